/** `pipewright runs list|show`: the history the local workspace keeps. */
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

export const command: CommandDefinition = {
  name: "runs",
  help: `Usage: pipewright runs list [--status S] [--limit N] [--json] [--workspace DIR]
       pipewright runs show <job> [--why <node>] [--json] [--workspace DIR]

list   Jobs in the local workspace, newest first. --status is one of running, completed,
       failed, canceled.
show   One job: its steps (status, reuse, attempts, exit code, duration), outputs, metrics
       and the settings ignored locally. --why <node> says why that step was or was not
       reused: which part of its fingerprint (component, code, environment, inputs, output
       settings) changed since the nearest earlier run.

Exit codes: 0 shown, 1 no such job or step, 2 wrong command line.`,
  options: {
    status: { type: "string" },
    limit: { type: "string" },
    why: { type: "string" },
    json: { type: "boolean" },
    workspace: { type: "string" },
  },
  run: runRuns,
};

async function runRuns(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [sub, ...rest] = args.positionals;
  if (sub !== "list" && sub !== "show") throw new UsageError("expected 'runs list' or 'runs show <job>'");
  const runner = await import("@pipewright/runner");
  const workspace = stringOption(args.values, "workspace") ?? context.env["PIPEWRIGHT_WORKSPACE"];
  const client = runner.MLClient.local({ ...(workspace !== undefined ? { workspace } : {}), cwd: context.cwd });
  try {
    if (sub === "list") return await list(args, context, client);
    const name = rest[0];
    if (name === undefined || rest.length > 1) throw new UsageError("'runs show' takes one job name");
    return await show(name, args, context, client);
  } catch (error) {
    return runnerFailure(runner, error, context);
  } finally {
    client.close();
  }
}

type Client = import("@pipewright/runner").LocalMLClient;

async function list(args: ParsedCommandLine, context: CommandContext, client: Client): Promise<number> {
  const { JOB_STATUSES, formatDuration } = await import("@pipewright/runner");
  const status = stringOption(args.values, "status");
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status is one of ${JOB_STATUSES.join(", ")}, got '${status}'`);
  }
  const limitText = stringOption(args.values, "limit");
  const jobs = await client.jobs.list({
    ...(status !== undefined ? { status: status as (typeof JOB_STATUSES)[number] } : {}),
    ...(limitText !== undefined ? { limit: Number(limitText) } : {}),
  });
  if (booleanOption(args.values, "json")) {
    for (const job of jobs) context.stdout.write(`${JSON.stringify(job)}\n`);
    return EXIT.ok;
  }
  if (!jobs.length) {
    context.stdout.write(`No jobs${status ? ` with status ${status}` : ""} in ${client.workspace.root}.\n`);
    return EXIT.ok;
  }
  const rows = jobs.map((job) => [
    job.name,
    job.status,
    job.pipeline,
    new Date(job.createdAt).toISOString().replace(/\.\d+Z$/, "Z"),
    job.endedAt !== undefined ? formatDuration(job.endedAt - job.createdAt) : "",
  ]);
  context.stdout.write(table([["JOB", "STATUS", "PIPELINE", "CREATED", "DURATION"], ...rows]));
  return EXIT.ok;
}

async function show(name: string, args: ParsedCommandLine, context: CommandContext, client: Client): Promise<number> {
  const { formatDuration, renderReuseExplanation } = await import("@pipewright/runner");
  const why = stringOption(args.values, "why");
  const json = booleanOption(args.values, "json");
  if (why !== undefined) {
    const explanation = client.jobs.explain(name, why);
    context.stdout.write(json ? `${JSON.stringify(explanation, null, 2)}\n` : `${renderReuseExplanation(explanation)}\n`);
    return EXIT.ok;
  }
  const job = await client.jobs.get(name);
  const steps = client.jobs.steps(name);
  const outputs = client.jobs.outputs(name);
  const metrics = client.jobs.metrics(name);
  const summary = client.workspace.store.jobInternals(name)?.summaryJson;
  const ignored = summary ? ((JSON.parse(summary) as { ignored?: { step: string; setting: string; value: string }[] }).ignored ?? []) : [];
  if (json) {
    context.stdout.write(`${JSON.stringify({ job, steps, outputs, metrics, ignored }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines: string[] = [];
  lines.push(`Job       ${job.name}`);
  lines.push(`Pipeline  ${job.pipeline}`);
  lines.push(`Status    ${job.status}`);
  lines.push(`Created   ${new Date(job.createdAt).toISOString()}`);
  if (job.endedAt !== undefined) lines.push(`Duration  ${formatDuration(job.endedAt - job.createdAt)}`);
  lines.push(`Folder    ${job.folder}`);
  if (job.error) lines.push(`Error     ${job.error.split("\n").join("\n          ")}`);
  context.stdout.write(`${lines.join("\n")}\n\nSteps:\n`);
  const rows = steps.map((s) => [
    s.id,
    s.reusedFrom ? "reused" : s.status,
    s.reusedFrom ? `from ${s.reusedFrom.job}` : s.attempts > 1 ? `${s.attempts} attempts` : "",
    s.exitCode !== undefined ? `exit ${s.exitCode}` : "",
    s.startedAt !== undefined && s.endedAt !== undefined && !s.reusedFrom ? formatDuration(s.endedAt - s.startedAt) : "",
    s.status === "skipped" || s.status === "failed" ? (s.reason ?? "") : "",
  ]);
  context.stdout.write(indentText(table([["STEP", "STATUS", "", "EXIT", "TIME", "NOTE"], ...rows])));
  const jobOutputs = Object.entries(job.outputs);
  if (jobOutputs.length) {
    context.stdout.write(`\nJob outputs:\n${indentText(table(jobOutputs.map(([k, v]) => [k, v])))}`);
  }
  if (outputs.length) {
    context.stdout.write(`\nStep outputs:\n${indentText(table(outputs.map((o) => [`${o.step}.${o.name}`, o.type, o.path])))}`);
  }
  if (metrics.length) {
    context.stdout.write(
      `\nMetrics:\n${indentText(table([["STEP", "NAME", "VALUE", "AT"], ...metrics.map((m) => [m.step, m.name, String(m.value), m.metricStep !== undefined ? `step ${m.metricStep}` : ""])]))}`,
    );
  }
  if (ignored.length) {
    context.stdout.write(`\nIgnored locally (only meaningful on Azure ML):\n${indentText(table(ignored.map((i) => [i.step, i.setting, i.value])))}`);
  }
  return EXIT.ok;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join("  ").trimEnd()).join("\n") + "\n";
}

function indentText(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}
