/** `pipewright cancel <job>`: stops a running local job from another terminal. */
import { stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";

export const command: CommandDefinition = {
  name: "cancel",
  help: `Usage: pipewright cancel <job> [--workspace DIR]

Asks a running job to stop: its runner stops every running step (SIGTERM, then SIGKILL after a
grace period), starts no new ones and records the job as canceled. Waits until it has.

Exit codes: 0 canceled (or already finished), 1 no such job, 2 wrong command line.`,
  options: { workspace: { type: "string" } },
  run: runCancel,
};

async function runCancel(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [name, ...rest] = args.positionals;
  if (name === undefined || rest.length) throw new UsageError("cancel takes one job name");
  const runner = await import("@pipewright/runner");
  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  const client = runner.MLClient.local({ ...(workspace !== undefined ? { workspace } : {}), cwd: context.cwd });
  try {
    let job = await client.jobs.get(name);
    if (job.status !== "running") {
      context.stdout.write(`Job ${name} is already ${job.status}.\n`);
      return EXIT.ok;
    }
    job = await client.jobs.cancel(name);
    const deadline = Date.now() + 60_000;
    while (job.status === "running" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await client.jobs.get(name);
    }
    context.stdout.write(job.status === "running" ? `Cancel requested for job ${name}; it is still stopping.\n` : `Job ${name} ${job.status}.\n`);
    return EXIT.ok;
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}
