// Builds pw-spawn.node (the runner's in-process step spawner) with the C compiler and the headers
// of the Node that runs this script. Called by scripts/setup.mjs; rebuilds only when the source,
// the Node version or the platform changed. Never fails the setup: when there is no compiler or
// no headers it says so in one line, and the runner starts steps through its python3 (or Node)
// spawn helper instead. `--check` exits 1 when a build is due (nothing is built).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "pw-spawn.c");
const out = join(here, "build");
const target = join(out, "pw-spawn.node");
const stamp = join(out, "pw-spawn.stamp");

const digest = createHash("sha256")
  .update(readFileSync(source))
  .update(`\0${process.version}\0${process.platform}\0${process.arch}`)
  .digest("hex");
const upToDate = existsSync(target) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest;
if (process.argv.includes("--check")) process.exit(upToDate ? 0 : 1);
if (upToDate) process.exit(0);

function headers() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, "include", "node"),
    join(dirname(dirname(process.execPath)), "include", "node"),
    join(homedir(), ".cache", "node-gyp", process.versions.node, "include", "node"),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, "node_api.h")) && existsSync(join(dir, "uv.h")));
}

function skip(why) {
  // A module built from an older source must not be loaded either.
  rmSync(stamp, { force: true });
  rmSync(target, { force: true });
  console.error(`setup: the native step spawner was not built (${why}); steps start through the python3 or Node spawn helper instead`);
  process.exit(0);
}

if (process.platform !== "linux") skip(`it uses Linux's clone and CPU affinity, and this is ${process.platform}`);
const include = headers();
if (!include) skip("Node's C headers were not found (node_api.h, uv.h)");
const compiler = process.env.CC || "cc";
mkdirSync(out, { recursive: true });
// Written beside the target, then renamed: a failed or interrupted build leaves no half a module.
const partial = join(out, `pw-spawn.${process.pid}.tmp.node`);
try {
  execFileSync(compiler, ["-O2", "-std=gnu11", "-shared", "-fPIC", "-Wall", `-I${include}`, source, "-o", partial], { stdio: ["ignore", "ignore", "pipe"] });
} catch (error) {
  rmSync(partial, { force: true });
  const detail = error.code === "ENOENT" ? `no C compiler: \`${compiler}\` was not found` : `\`${compiler}\` failed: ${String(error.stderr ?? "").trim().split("\n")[0]}`;
  skip(detail);
}
renameSync(partial, target);
writeFileSync(stamp, digest);
