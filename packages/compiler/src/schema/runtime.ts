// Where and how a step runs: environments (§6), resources, distribution, limits, identity,
// services, code and compute (FIELDS.md §2, §3, §5).
import { z } from "zod";
import { DISTRIBUTION_TYPES, REGISTRY_REF_PATTERN, isRecord, isVersionedAzuremlRef } from "./patterns.js";
import {
  anyMap, bool, byShape, closedObject, custom, describeValue, forward, int, nonEmptyString, oneOf, openObject,
  optional, orBinding, report, str, stringList, stringMap, tagOf, versionValue, type Check, type SchemaMode,
} from "./schema-kit.js";

/** Options for the run-time blocks of nodes, which accept `${{...}}` bindings in most fields. */
export interface RuntimeContext {
  readonly mode: SchemaMode;
  /** `true` inside a pipeline node, where Azure accepts data-binding strings for field values. */
  readonly bindable: boolean;
}

function maybeBound(schema: Check, context: RuntimeContext): Check {
  return context.bindable ? orBinding(schema) : schema;
}

const environmentRef: Check = custom((value, ctx) => {
  if (typeof value !== "string") return;
  if (value.startsWith("azureml://registries/") || value.startsWith("azureml://feeds/")) {
    if (!/^azureml:\/\/(?:registries|feeds)\/[^/]+\/environments\/[^/]+\/(?:versions|labels)\/[^/]+$/.test(value)) {
      report(ctx, `a registry environment is azureml://registries/<registry>/environments/<name>/(versions|labels)/<x>, got ${JSON.stringify(value)}`);
    }
  } else if (!isVersionedAzuremlRef(value, true)) {
    report(ctx, `an environment reference is azureml:<name>[:<version>|@<label>] or a registry reference, got ${JSON.stringify(value)}`);
  }
});

const route: Check = closedObject({ port: int, path: str });

function inlineEnvironment(mode: SchemaMode): Check {
  const shape = closedObject({
    ...optional({
      // Ignored by Azure for an inline environment (with a warning unless CliV2AnonymousEnvironment).
      name: str,
      version: versionValue,
      description: str,
      tags: stringMap,
      properties: anyMap,
      image: nonEmptyString,
      conda_file: byShape({ string: nonEmptyString, object: anyMap }, "a conda file path or an inline conda mapping"),
      build: closedObject(optional({ path: str, dockerfile_path: str })),
      os_type: oneOf(["linux", "windows"], mode),
      inference_config: closedObject({ liveness_route: route, scoring_route: route, readiness_route: route }),
      datastore: str,
    }),
  });
  return custom((value, ctx) => {
    if (!isRecord(value)) return;
    for (const key of ["channels", "dependencies"]) {
      if (key in value) report(ctx, `"${key}" belongs in the conda file (conda_file), not in the environment`, [key]);
    }
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => key !== "channels" && key !== "dependencies"));
    forward(ctx, shape, rest);
    if ("image" in value && "build" in value) report(ctx, "an environment has either image or build, not both", ["build"]);
    if (!("image" in value) && !("build" in value)) report(ctx, "an inline environment needs an image or a build context", []);
  });
}

/** An environment reference string or an inline environment mapping. */
export function environment(mode: SchemaMode): Check {
  return byShape(
    { string: environmentRef, object: inlineEnvironment(mode) },
    "an environment reference (azureml:..., azureml://registries/...) or an inline environment mapping",
  );
}

/** Code: a local path, URL, git+ URL, registry code ref or versioned `azureml:` code asset. */
export const code: Check = custom((value, ctx) => {
  if (typeof value !== "string") {
    report(ctx, `expected a code path or reference, got ${describeValue(value)}`);
    return;
  }
  if (value.length === 0) report(ctx, "must not be empty");
  else if (value.startsWith("azureml:") && !isVersionedAzuremlRef(value, false)) {
    report(ctx, `a code asset reference needs a version or label (azureml:<name>:<version>), got ${JSON.stringify(value)}`);
  }
});

/** Unknown resource keys are kept by Azure. */
export function resources(context: RuntimeContext): Check {
  const b = (schema: Check): Check => maybeBound(schema, context);
  return openObject(
    optional({
      instance_count: b(int),
      instance_type: str,
      properties: anyMap,
      locations: stringList,
      shm_size: str,
      max_instance_count: b(int),
      docker_args: str,
    }),
    context.mode,
  );
}

export function distribution(context: RuntimeContext): Check {
  const b = (schema: Check): Check => maybeBound(schema, context);
  const mode = context.mode;
  const byType: Record<(typeof DISTRIBUTION_TYPES)[number], Check> = {
    mpi: openObject({ type: str, ...optional({ process_count_per_instance: b(int) }) }, mode),
    pytorch: openObject({ type: str, ...optional({ process_count_per_instance: b(int) }) }, mode),
    tensorflow: openObject({ type: str, ...optional({ worker_count: b(int), parameter_server_count: b(int) }) }, mode),
    ray: openObject(
      {
        type: str,
        ...optional({
          port: b(int), address: str, include_dashboard: b(bool), dashboard_port: b(int),
          head_node_additional_args: str, worker_node_additional_args: str,
        }),
      },
      mode,
    ),
  };
  return custom((value, ctx) => {
    if (!isRecord(value)) {
      report(ctx, `a distribution is a mapping with a type (${DISTRIBUTION_TYPES.join(", ")}), got ${describeValue(value)}`);
      return;
    }
    const raw = value["type"];
    const type = mode.strict ? (typeof raw === "string" ? raw : undefined) : tagOf(value, "type");
    const schema = type === undefined ? undefined : (byType as Record<string, Check>)[type];
    if (raw === undefined) report(ctx, `required: the distribution type (${DISTRIBUTION_TYPES.join(", ")})`, ["type"]);
    else if (!schema) report(ctx, `unknown distribution type ${JSON.stringify(raw)}; expected one of ${DISTRIBUTION_TYPES.join(", ")}`, ["type"]);
    else forward(ctx, schema, value);
  });
}

export function commandLimits(context: RuntimeContext): Check {
  return closedObject(optional({ timeout: maybeBound(int, context) }));
}

export function identity(mode: SchemaMode): Check {
  const managed = closedObject({ type: str, ...optional({ client_id: str, object_id: str, msi_resource_id: str }) });
  const plain = closedObject({ type: str });
  const kinds: Record<string, Check> = { managed, managed_identity: managed, aml_token: plain, user_identity: plain };
  return custom((value, ctx) => {
    if (!isRecord(value)) {
      report(ctx, `an identity is a mapping with a type (managed, aml_token, user_identity), got ${describeValue(value)}`);
      return;
    }
    const raw = value["type"];
    const schema = typeof raw === "string" ? kinds[mode.strict ? raw : raw.toLowerCase()] : undefined;
    if (!schema) report(ctx, `expected identity type managed, aml_token or user_identity, got ${describeValue(raw)}`, ["type"]);
    else forward(ctx, schema, value);
  });
}

/** Typed services (ssh, jupyter_lab, tensor_board, vs_code) and generic entries. */
export function services(mode: SchemaMode): Check {
  const service = openObject(
    optional({ type: str, port: int, nodes: anyMap, properties: anyMap, ssh_public_keys: str, log_dir: str }),
    mode,
  );
  return z.record(z.string(), service);
}

export function queueSettings(mode: SchemaMode): Check {
  return openObject(optional({ job_tier: str, priority: str }), mode);
}

/** Compute: `local`, `azureml:<name>`, or any other string (virtual clusters). */
export const compute: Check = nonEmptyString;

/** A component reference string: registry, `azureml:` (default version allowed) or local file. */
export const componentRef: Check = custom((value, ctx) => {
  if (typeof value !== "string" || value.length === 0) {
    report(ctx, `expected a component reference, got ${describeValue(value)}`);
    return;
  }
  if (value.startsWith("azureml://")) {
    if (!REGISTRY_REF_PATTERN.test(value)) {
      report(ctx, `a registry component is azureml://registries/<registry>/components/<name>/(versions|labels)/<x>, got ${JSON.stringify(value)}`);
    }
  } else if (value.startsWith("azureml:") && !isVersionedAzuremlRef(value, true)) {
    report(ctx, `a component reference is azureml:<name>[:<version>|@<label>], got ${JSON.stringify(value)}`);
  }
});
