/**
 * `pipewright run <entry.ts|pipeline.yml>`: runs a pipeline job on this machine, with live
 * progress, history in the local workspace, reuse of unchanged steps, and Ctrl-C that stops every
 * step and records the job as canceled.
 */
import { dirname } from "node:path";
import {
  booleanOption,
  stringOption,
  UsageError,
  type CommandContext,
  type CommandDefinition,
  type ParsedCommandLine,
} from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";
import { loadSelectedJob, parseSetOptions } from "../entry/select-job.js";

export const command: CommandDefinition = {
  name: "run",
  help: `Usage: pipewright run <entry.ts | pipeline.yml> [--job NAME] [--set input=value ...]
                      [--concurrency N] [--force-rerun] [--retries N] [--json] [--workspace DIR]
       pipewright run --resume JOB [--concurrency N] [--json]

Runs a pipeline job locally: every command step as a child process, in dependency order, in
parallel up to --concurrency. Steps whose component, code, environment and inputs are unchanged
since an earlier successful run are reused instead of run again. History, logs, outputs and
metrics go to the workspace (.pipewright/ at the project root).

Options:
  --job NAME         The exported job to run when the entry exports several
  --set input=value  Set a job input (repeatable); data inputs take a path or URI
  --concurrency N    Steps running at once (default: the number of CPUs)
  --force-rerun      Run every step, reusing nothing
  --retries N        Attempts after a failed one, with doubling backoff from 1s (default 0)
  --resume JOB       Finish an interrupted job; completed steps are not run again
  --name NAME        Name of the new job (default: <pipeline>_<time>_<random>)
  --json             Events as JSON lines on stdout
  --plain            Plain timestamped lines even on a terminal
  --workspace DIR    The workspace folder (default: PIPEWRIGHT_WORKSPACE, else .pipewright/
                     at the project root)
  --no-type-check    Run the entry without type-checking it first

Steps can record metrics by appending JSON lines such as {"name": "loss", "value": 0.3, "step": 1}
or {"loss": 0.3} to the file named by the environment variable PIPEWRIGHT_METRICS_FILE.

Exit codes: 0 completed, 1 failed (or errors in the input), 2 wrong command line, 130 canceled.`,
  options: {
    job: { type: "string" },
    set: { type: "string", multiple: true },
    concurrency: { type: "string" },
    "force-rerun": { type: "boolean" },
    retries: { type: "string" },
    resume: { type: "string" },
    name: { type: "string" },
    json: { type: "boolean" },
    plain: { type: "boolean" },
    workspace: { type: "string" },
    "no-type-check": { type: "boolean" },
  },
  run: runRun,
};

async function runRun(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const concurrency = positiveInteger(args, "concurrency", 1);
  const retries = positiveInteger(args, "retries", 0);
  const overrides = parseSetOptions(args.values["set"]);
  const resume = stringOption(args.values, "resume");
  const runner = await import("@pipewright/runner");

  let model: import("@pipewright/dsl").PipelineJobModel | undefined;
  let projectDir = context.cwd;
  if (resume === undefined) {
    const { entryArgument } = await import("../entry/entry-argument.js");
    const entry = entryArgument(args, context, "run");
    projectDir = dirname(entry);
    const loaded = await loadSelectedJob(entry, args, context);
    if (typeof loaded === "number") return loaded;
    model = loaded;
  } else if (args.positionals.length > 1) {
    throw new UsageError("--resume takes the job name; give at most the entry file besides it");
  }

  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  const client = runner.MLClient.local({
    ...(workspace !== undefined ? { workspace } : {}),
    cwd: projectDir,
    run: {
      env: stepEnvironment(context.env),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(retries !== undefined ? { retries } : {}),
    },
  });
  const onSignal = () => {
    context.stderr.write("\nCanceling: stopping every running step...\n");
    void client.jobs.cancelAll();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    let job;
    try {
      job = model
        ? await client.jobs.createOrUpdate(model, {
            overrides,
            overridesBaseDir: context.cwd,
            forceRerun: booleanOption(args.values, "force-rerun"),
            ...(stringOption(args.values, "name") !== undefined ? { name: stringOption(args.values, "name") as string } : {}),
          })
        : await client.jobs.resume(resume as string, booleanOption(args.values, "force-rerun") ? { forceRerun: true } : {});
    } catch (error) {
      return runnerFailure(runner, error, context);
    }
    const stdout = context.stdout as { write(text: string): unknown; isTTY?: boolean };
    const reporter = booleanOption(args.values, "json")
      ? new runner.JsonLinesReporter(stdout)
      : stdout.isTTY === true && !booleanOption(args.values, "plain")
        ? new runner.LiveReporter(stdout, { color: !context.env["NO_COLOR"] })
        : new runner.PlainReporter(stdout);
    await runner.report(client.jobs.stream(job.name), reporter);
    const final = await client.jobs.wait(job.name);
    return exitCodeFor(final.status);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    client.close();
  }
}

/** 0 completed, 1 failed, 130 canceled (the shell's code for Ctrl-C). */
export function exitCodeFor(status: string): number {
  return status === "completed" ? EXIT.ok : status === "canceled" ? 130 : EXIT.failed;
}

function positiveInteger(args: ParsedCommandLine, name: string, min: number): number | undefined {
  const text = stringOption(args.values, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, got '${text}'`);
  return Number(text);
}

/** The steps inherit the CLI's environment (PATH, HOME...), as a shell would pass it on. */
function stepEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
