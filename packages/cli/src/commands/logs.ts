/** `pipewright logs <job> [node] [--follow]`: the output of a job's steps, every attempt kept. */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { runnerFailure } from "../runner-failure.js";

export const command: CommandDefinition = {
  name: "logs",
  help: `Usage: pipewright logs <job> [node] [--follow] [--workspace DIR]

Prints the logs (stdout and stderr) of every step of a job, or of one step (its node path, e.g.
'stats/count_words'). Each attempt's log is kept and printed under its own heading.

Options:
  --follow, -f     Keep printing new output until the job finishes

Exit codes: 0 printed, 1 no such job or step, 2 wrong command line.`,
  options: { follow: { type: "boolean", short: "f" }, workspace: { type: "string" } },
  run: runLogs,
};

async function runLogs(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [name, node, ...rest] = args.positionals;
  if (name === undefined || rest.length) throw new UsageError("logs takes a job name and optionally one node");
  const runner = await import("@pipewright/runner");
  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  const client = runner.MLClient.local({ ...(workspace !== undefined ? { workspace } : {}), cwd: context.cwd });
  try {
    await client.jobs.get(name);
    if (node !== undefined && !client.jobs.steps(name).some((s) => s.id === node)) {
      const ids = client.jobs.steps(name).map((s) => s.id);
      context.stderr.write(`error PW4010: job '${name}' has no step '${node}' (steps: ${ids.join(", ")})\n`);
      return EXIT.failed;
    }
    const offsets = new Map<string, number>();
    let current: string | undefined;
    const drain = () => {
      const order = new Map(client.jobs.steps(name).map((s, i) => [s.id, i]));
      const attempts = client.jobs
        .attempts(name, node)
        .sort((a, b) => (order.get(a.step) ?? 0) - (order.get(b.step) ?? 0) || a.attempt - b.attempt);
      for (const attempt of attempts) {
        const from = offsets.get(attempt.logPath) ?? 0;
        const chunk = readFrom(attempt.logPath, from);
        if (!chunk.length && offsets.has(attempt.logPath)) continue;
        offsets.set(attempt.logPath, from + chunk.length);
        if (current !== attempt.logPath) {
          context.stdout.write(`== ${attempt.step} (attempt ${attempt.attempt}) ==\n`);
          current = attempt.logPath;
        }
        if (chunk.length) context.stdout.write(chunk.toString("utf8"));
      }
    };
    drain();
    if (booleanOption(args.values, "follow")) {
      while ((await client.jobs.get(name)).status === "running") {
        await new Promise((resolve) => setTimeout(resolve, 200));
        drain();
      }
      drain();
    }
    return EXIT.ok;
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}

function readFrom(file: string, offset: number): Buffer {
  if (!existsSync(file)) return Buffer.alloc(0);
  const size = statSync(file).size;
  if (size <= offset) return Buffer.alloc(0);
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer;
}
