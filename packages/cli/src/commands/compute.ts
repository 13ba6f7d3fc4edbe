/**
 * `pipewright compute create|list|show`: compute definitions recorded in the local workspace
 * registry, or (--azure) the clusters, instances and attached compute of an Azure ML workspace.
 */
import type { ComputeModel } from "@pipewright/dsl";
import type { LocalComputeRecord } from "@pipewright/runner";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";
import { one, openClient } from "../assets/asset-command.js";
import { AZURE_OPTIONS, definitionsFrom } from "../assets/azure-assets.js";
import { WORKSPACE_HELP } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "compute",
  help: `Usage: pipewright compute create <file.yml | definitions.ts[#export]> [--azure [workspace options]]
       pipewright compute create --name N [--type amlcompute|computeinstance] [--size S]
                                 [--min-instances N] [--max-instances N] [--idle-time-before-scale-down SECONDS]
                                 [--tier dedicated|low_priority] [--location REGION]
       pipewright compute list
       pipewright compute show <name>
  (each also takes --json, and --workspace DIR for the local workspace)

create  Records a compute definition in the local workspace registry (YAML as for
        \`az ml compute create -f\`, or a .ts file exporting amlCompute(...), computeInstance(...),
        kubernetesCompute(...), attachedVm(...)), checked as Azure checks it. The same definition
        again changes nothing; another one replaces it. Local runs still run on this machine (a
        node's compute is reported as ignored).
list    The recorded computes, with type, size and scale range.
show    One compute.

With --azure the verb works on an Azure ML workspace: create creates a cluster or instance (or
attaches Kubernetes or a VM) and waits for Azure to finish, printing its progress; passwords are
secret references read from the environment only then. list and show include provisioning state.
${WORKSPACE_HELP}

Exit codes: 0 done, 1 bad definition, failed creation or unknown compute, 2 wrong command line.`,
  options: {
    json: { type: "boolean" },
    name: { type: "string" },
    type: { type: "string" },
    size: { type: "string" },
    "min-instances": { type: "string" },
    "max-instances": { type: "string" },
    "idle-time-before-scale-down": { type: "string" },
    tier: { type: "string" },
    location: { type: "string" },
    workspace: { type: "string" },
    ...AZURE_OPTIONS,
  },
  run: runCompute,
};

function integer(args: ParsedCommandLine, name: string): number | undefined {
  const text = stringOption(args.values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`--${name} takes a whole number, got '${text}'`);
  return value;
}

function fromFlags(args: ParsedCommandLine, context: CommandContext): ComputeModel | undefined {
  const name = stringOption(args.values, "name");
  if (name === undefined) return undefined;
  const type = stringOption(args.values, "type") ?? "amlcompute";
  const size = stringOption(args.values, "size");
  const region = stringOption(args.values, "location");
  const common = { kind: "compute" as const, name, baseDir: context.cwd, ...(size !== undefined ? { size } : {}), ...(region !== undefined ? { region } : {}) };
  if (type === "computeinstance") return { ...common, type };
  if (type !== "amlcompute") throw new UsageError(`--type is amlcompute or computeinstance (attach Kubernetes or a VM with a definition file), got '${type}'`);
  const tier = stringOption(args.values, "tier");
  if (tier !== undefined && tier !== "dedicated" && tier !== "low_priority") throw new UsageError(`--tier is dedicated or low_priority, got '${tier}'`);
  const min = integer(args, "min-instances");
  const max = integer(args, "max-instances");
  const idle = integer(args, "idle-time-before-scale-down");
  return {
    ...common,
    type,
    ...(min !== undefined ? { minInstances: min } : {}),
    ...(max !== undefined ? { maxInstances: max } : {}),
    ...(idle !== undefined ? { idleTimeBeforeScaleDown: idle } : {}),
    ...(tier !== undefined ? { tier } : {}),
  };
}

async function runCompute(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "create" && sub !== "list" && sub !== "show") throw new UsageError("expected 'compute create', 'compute list' or 'compute show <name>'");
  if (booleanOption(args.values, "azure")) {
    const { runAzureComputeVerb } = await import("../assets/azure-assets.js");
    return runAzureComputeVerb(sub, rest, args, context, () => fromFlags(args, context));
  }
  return runLocalCompute(sub, rest, args, context);
}

function localLine(compute: LocalComputeRecord): string {
  const scale = compute.maxInstances !== undefined ? `${compute.minInstances ?? 0}-${compute.maxInstances}` : "";
  return `${compute.name.padEnd(26)}${compute.type.padEnd(17)}${(compute.size ?? "").padEnd(18)}${scale}`.trimEnd() + "\n";
}

async function runLocalCompute(sub: string, rest: readonly string[], args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const runner = await import("@pipewright/runner");
  const client = openClient(runner, args, context);
  const json = booleanOption(args.values, "json");
  const write = (record: LocalComputeRecord, text: string): void => {
    context.stdout.write(json ? `${JSON.stringify(record)}\n` : text);
  };
  try {
    if (sub === "list") {
      if (rest.length) throw new UsageError("'compute list' takes no arguments");
      const computes = await client.computes.list();
      if (!computes.length && !json) context.stdout.write(`No compute recorded in ${client.workspace.root}.\n`);
      for (const compute of computes) write(compute, localLine(compute));
      return EXIT.ok;
    }
    if (sub === "show") {
      const compute = await client.computes.get(one(rest, "'compute show' takes one name"));
      const rows: Array<[string, string | undefined]> = [
        ["name", compute.name],
        ["type", compute.type],
        ["size", compute.size],
        ["instances", compute.maxInstances !== undefined ? `${compute.minInstances ?? 0}-${compute.maxInstances}` : undefined],
        ["location", compute.location],
        ["description", compute.description],
        ["tags", Object.keys(compute.tags).length ? Object.entries(compute.tags).map(([k, v]) => `${k}=${v}`).join(", ") : undefined],
        ["updated", new Date(compute.updatedAt).toISOString()],
      ];
      write(compute, rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${`${k}:`.padEnd(13)}${v}\n`).join(""));
      return EXIT.ok;
    }
    if (rest.length > 1) throw new UsageError("'compute create' takes one definition file");
    const flagged = rest[0] === undefined ? fromFlags(args, context) : undefined;
    if (rest[0] === undefined && flagged === undefined) throw new UsageError("'compute create' needs a definition file, or --name (with --size, --min-instances, --max-instances...)");
    const definitions = rest[0] !== undefined ? await definitionsFrom(rest[0], "compute", "compute create", context) : [flagged as ComputeModel];
    if (definitions === undefined) return EXIT.failed;
    for (const definition of definitions) {
      const compute = await (await client.computes.beginCreateOrUpdate(definition as ComputeModel)).pollUntilDone();
      const verb = compute.outcome === "unchanged" ? "Unchanged" : compute.outcome === "updated" ? "Updated" : "Recorded";
      write(compute, `${verb} compute ${compute.name} (${compute.type}) in ${client.workspace.root}; local runs still run on this machine.\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}
