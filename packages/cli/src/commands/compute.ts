/** `pipewright compute create|list|show`: compute clusters, instances and attached compute of an Azure ML workspace. */
import type { ComputeModel } from "@pipewright/dsl";
import { stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { AZURE_OPTIONS } from "../assets/azure-assets.js";
import { WORKSPACE_HELP } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "compute",
  help: `Usage: pipewright compute create <file.yml | definitions.ts[#export]> [--azure] [workspace options]
       pipewright compute create --name N [--type amlcompute|computeinstance] [--size S]
                                 [--min-instances N] [--max-instances N] [--idle-time-before-scale-down SECONDS]
                                 [--tier dedicated|low_priority] [--location REGION]
       pipewright compute list
       pipewright compute show <name>
  (each also takes --json; computes live in an Azure ML workspace, so --azure is implied)

create  Creates a compute cluster or compute instance, or attaches a Kubernetes cluster or a VM
        (YAML as for \`az ml compute create -f\`, or a .ts file exporting amlCompute(...),
        computeInstance(...), kubernetesCompute(...), attachedVm(...)). Waits for Azure to finish,
        printing its progress. Passwords are secret references read from the environment now.
list    The workspace's computes, with type, size, scale range and provisioning state.
show    One compute.

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
  const { runAzureComputeVerb } = await import("../assets/azure-assets.js");
  return runAzureComputeVerb(sub, rest, args, context, () => fromFlags(args, context));
}
