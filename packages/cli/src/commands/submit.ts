/**
 * `pipewright submit <entry.ts|pipeline.yml>`: compiles a pipeline job and submits it to an Azure ML
 * workspace (code uploaded once per content hash, components registered only when new, local data
 * uploaded), prints its name and studio link, and with --watch follows it like a local run.
 */
import { dirname } from "node:path";
import { booleanOption, stringOption, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { loadSelectedJob, parseSetOptions } from "../entry/select-job.js";
import { azureClient, reportAzureError, WORKSPACE_HELP, WORKSPACE_OPTIONS, watchToExit } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "submit",
  help: `Usage: pipewright submit <entry.ts | pipeline.yml> [--job NAME] [--name JOB] [--set input=value ...]
                         [--watch] [--json] [--cancel-on-interrupt] [workspace options]

Submits a pipeline job to Azure Machine Learning: each local code folder is uploaded once per
content (a workspace that already has it uploads nothing), each component is registered as an
anonymous version named by its content hash (the same definition is never registered twice),
local data inputs are uploaded to the default datastore, then the job is created under a name
chosen before the request, so a retried request can never create a second job.

Options:
  --job NAME             The exported job to submit when the entry exports several
  --name JOB             Name of the Azure ML job (default: the job's name, else <pipeline>_<time>_<random>)
  --set input=value      Set a job input (repeatable); data inputs take a local path or a URI
  --experiment NAME      Experiment to file the job under (default: the pipeline's name)
  --force-rerun          Ask Azure ML not to reuse earlier identical steps
  --watch                Follow the job until it ends (as \`pipewright watch\`)
  --json                 JSON output (one object; with --watch, events as JSON lines)
  --plain                Plain timestamped lines even on a terminal
  --cancel-on-interrupt  With --watch, Ctrl-C also cancels the job (default: it keeps running)
  --no-type-check        Run the entry without type-checking it first

${WORKSPACE_HELP}

Exit codes: 0 submitted (with --watch: Completed), 1 failed, canceled or errors in the input,
2 wrong command line, 130 interrupted while watching.`,
  options: {
    job: { type: "string" },
    name: { type: "string" },
    set: { type: "string", multiple: true },
    experiment: { type: "string" },
    "force-rerun": { type: "boolean" },
    watch: { type: "boolean" },
    json: { type: "boolean" },
    plain: { type: "boolean" },
    "cancel-on-interrupt": { type: "boolean" },
    "no-type-check": { type: "boolean" },
    ...WORKSPACE_OPTIONS,
  },
  run: runSubmit,
};

async function runSubmit(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const overrides = parseSetOptions(args.values["set"]);
  const { entryArgument } = await import("../entry/entry-argument.js");
  const entry = entryArgument(args, context, "submit");
  const model = await loadSelectedJob(entry, args, context);
  if (typeof model === "number") return model;
  try {
    const client = await azureClient(args, context, dirname(entry));
    const name = stringOption(args.values, "name");
    const experiment = stringOption(args.values, "experiment");
    const submitted = await client.jobs.submit(model, {
      overrides,
      overridesBaseDir: context.cwd,
      forceRerun: booleanOption(args.values, "force-rerun"),
      ...(name !== undefined ? { name } : {}),
      ...(experiment !== undefined ? { experimentName: experiment } : {}),
    });
    for (const warning of submitted.warnings) context.stderr.write(`warning: ${warning.path}: ${warning.message}\n`);
    const record = submitted.record;
    const json = booleanOption(args.values, "json");
    const watch = booleanOption(args.values, "watch");
    if (json && !watch) {
      context.stdout.write(`${JSON.stringify({ name: record.name, status: record.azureStatus, studioUrl: record.studioUrl ?? null, registeredComponents: submitted.registered.length })}\n`);
    } else {
      const out = json ? context.stderr : context.stdout;
      out.write(`Submitted job ${record.name} (${record.azureStatus})${submitted.registered.length ? `, ${submitted.registered.length} new component version(s)` : ""}.\n`);
      if (record.studioUrl) out.write(`Studio: ${record.studioUrl}\n`);
      if (!watch) out.write(`Follow it with: pipewright watch ${record.name}\n`);
    }
    return watch ? await watchToExit(client, record.name, args, context) : EXIT.ok;
  } catch (error) {
    return reportAzureError(error, context);
  }
}

