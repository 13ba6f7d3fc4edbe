/**
 * `pipewright jobs list|show|cancel|logs`: Azure ML jobs, the remote counterparts of the local
 * `runs`, `cancel` and `logs` verbs.
 */
import { booleanOption, stringOption, UsageError, type CommandContext, type CommandDefinition, type ParsedCommandLine } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { azureClient, registeredLine, reportAzureError, WORKSPACE_HELP, WORKSPACE_OPTIONS } from "../azure/azure-cli.js";

export const command: CommandDefinition = {
  name: "jobs",
  help: `Usage: pipewright jobs list [--parent JOB] [--status STATUS] [--limit N] [--json] [workspace options]
       pipewright jobs show <job> [--json] [workspace options]
       pipewright jobs cancel <job> [--wait] [workspace options]
       pipewright jobs logs <job> [step] [workspace options]
       pipewright jobs register-outputs <job> [--json] [workspace options]

Azure ML jobs (the local workspace's are under \`pipewright runs\`, \`cancel\` and \`logs\`):
  list     Jobs in the workspace, newest first; with --parent, the steps of that pipeline job
  show     One job: status, type, studio link, outputs
  cancel   Ask Azure ML to cancel a job (--wait: until it is Canceled)
  logs     Each step's log as it stands (or one step's)
  register-outputs
           Register a Completed job's outputs named as assets (name/version on a job output) as
           data versions (model versions for model outputs) at the outputs' URIs; watching the
           job to completion does this too. Outputs already registered are left as they are.

Options:
  --parent JOB     List the steps of this pipeline job
  --status STATUS  Only jobs in this state: running, completed, failed, canceled
  --limit N        At most N jobs (default 50; steps of a pipeline are all listed)
  --json           JSON output
  --wait           With cancel: wait until the job has stopped

${WORKSPACE_HELP}

Exit codes: 0 done, 1 no such job (or the request failed), 2 wrong command line.`,
  options: {
    parent: { type: "string" },
    status: { type: "string" },
    limit: { type: "string" },
    json: { type: "boolean" },
    wait: { type: "boolean" },
    ...WORKSPACE_OPTIONS,
  },
  run: runJobs,
};

const STATUSES = ["running", "completed", "failed", "canceled"] as const;

async function runJobs(args: ParsedCommandLine, context: CommandContext): Promise<number> {
  const [action, ...rest] = args.positionals;
  if (action === undefined) throw new UsageError("jobs takes an action: list, show, cancel, logs or register-outputs");
  if (!["list", "show", "cancel", "logs", "register-outputs"].includes(action)) throw new UsageError(`'${action}' is not a jobs action; use list, show, cancel, logs or register-outputs`);
  if (action === "list" && rest.length) throw new UsageError("jobs list takes no job name (use --parent JOB for a pipeline's steps)");
  if ((action === "show" || action === "cancel" || action === "register-outputs") && rest.length !== 1) throw new UsageError(`jobs ${action} takes one job name`);
  if (action === "logs" && (rest.length < 1 || rest.length > 2)) throw new UsageError("jobs logs takes a job name and optionally a step");
  const status = stringOption(args.values, "status");
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status takes one of ${STATUSES.join(", ")}`);
  const limitText = stringOption(args.values, "limit");
  if (limitText !== undefined && !/^[1-9]\d*$/.test(limitText)) throw new UsageError(`--limit takes a whole number of at least 1, got '${limitText}'`);
  const json = booleanOption(args.values, "json");
  try {
    const client = await azureClient(args, context);
    const out = context.stdout;
    if (action === "list") {
      const parent = stringOption(args.values, "parent");
      const jobs = await client.jobs.list({
        ...(parent !== undefined ? { parent } : {}),
        ...(status !== undefined ? { status: status as (typeof STATUSES)[number] } : {}),
        ...(limitText !== undefined ? { limit: Number(limitText) } : parent === undefined ? { limit: 50 } : {}),
      });
      if (json) out.write(`${JSON.stringify(jobs)}\n`);
      else if (!jobs.length) out.write("No jobs.\n");
      else {
        const width = Math.max(...jobs.map((j) => (parent !== undefined ? j.pipeline : j.name).length));
        for (const job of jobs) {
          const when = job.createdAt ? new Date(job.createdAt).toISOString().replace(/\.\d+Z$/, "Z") : "";
          out.write(`${(parent !== undefined ? job.pipeline : job.name).padEnd(width)}  ${job.azureStatus.padEnd(15)}  ${when}${parent === undefined ? `  ${job.displayName ?? ""}` : ""}\n`);
        }
      }
      return EXIT.ok;
    }
    const name = rest[0] as string;
    if (action === "show") {
      const job = await client.jobs.get(name);
      if (json) out.write(`${JSON.stringify(job)}\n`);
      else {
        out.write(`Job ${job.name}: ${job.azureStatus} (${job.jobType})\n`);
        if (job.displayName) out.write(`  display name  ${job.displayName}\n`);
        if (job.experiment) out.write(`  experiment    ${job.experiment}\n`);
        if (job.studioUrl) out.write(`  studio        ${job.studioUrl}\n`);
        for (const [output, uri] of Object.entries(job.outputs)) out.write(`  output        ${output}: ${uri}\n`);
      }
      return EXIT.ok;
    }
    if (action === "cancel") {
      let job = await client.jobs.get(name);
      if (job.status !== "running") {
        out.write(`Job ${name} is already ${job.azureStatus}.\n`);
        return EXIT.ok;
      }
      job = await client.jobs.cancel(name);
      if (booleanOption(args.values, "wait")) {
        const pollMs = Number(context.env["PIPEWRIGHT_AZURE_POLL_MS"] ?? "") || 2000;
        const deadline = Date.now() + 30 * 60_000;
        while (job.status === "running" && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          job = await client.jobs.get(name);
        }
      }
      out.write(job.status === "running" ? `Cancel requested for job ${name} (${job.azureStatus}).\n` : `Job ${name} ${job.azureStatus}.\n`);
      return EXIT.ok;
    }
    if (action === "register-outputs") {
      const registered = await client.jobs.registerOutputs(name);
      if (!registered.length && !json) out.write(`Job ${name} names no outputs to register as assets.\n`);
      for (const r of registered) out.write(json ? `${JSON.stringify(r)}\n` : registeredLine(r));
      return EXIT.ok;
    }
    const logs = await client.jobs.logs(name, rest[1]);
    for (const log of logs) {
      out.write(`==> ${log.step}${log.file ? ` (${log.file})` : ""} <==\n`);
      out.write(log.text === "" ? "(no output yet)\n" : log.text.endsWith("\n") ? log.text : `${log.text}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportAzureError(error, context);
  }
}
