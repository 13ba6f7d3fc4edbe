// The spawner: a small plain-Node process that starts step processes for the runner.
// Forking copies the parent's page tables, so a fork from this ~45 MB process costs a fraction
// of one from a runner holding a large pipeline model. Newline-delimited JSON on stdin/stdout:
//   in:  {"op":"env","env":{...}}                      base environment of every step
//        {"op":"spawn","id":1,"script":"...","cwd":"...","env":{...},"log":"/path","dirs":["/path"]}
//   out: {"op":"ready","id":0} once, then
//        {"op":"started","id":1,"pid":123} | {"op":"exit","id":1,"code":0,"signal":null}
//        {"op":"error","id":1,"message":"..."}
// The runner signals process groups itself (kill(-pid)); on stdin EOF this process exits and
// leaves running steps alone, exactly as a killed runner would.
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { createInterface } from "node:readline";

let baseEnv = {};
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

createInterface({ input: process.stdin }).on("line", (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message.op === "env") {
    baseEnv = message.env;
    return;
  }
  if (message.op !== "spawn") return;
  let log;
  try {
    for (const dir of message.dirs ?? []) mkdirSync(dir, { recursive: true });
    log = openSync(message.log, "a");
    const child = spawn("/bin/sh", ["-c", message.script], {
      cwd: message.cwd,
      env: { ...baseEnv, ...message.env },
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.once("error", (error) => {
      if (child.pid === undefined) send({ op: "error", id: message.id, message: error.message });
    });
    if (child.pid !== undefined) send({ op: "started", id: message.id, pid: child.pid });
    child.once("exit", (code, signal) => send({ op: "exit", id: message.id, code, signal }));
  } catch (error) {
    send({ op: "error", id: message.id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    if (log !== undefined) closeSync(log);
  }
});
process.stdin.on("end", () => process.exit(0));
// The runner went away (or closed us before we said ready): nothing left to report to.
process.stdout.on("error", () => process.exit(0));
send({ op: "ready", id: 0 });
