// Brings a fresh clone to a runnable state with only Node and npm on the machine, and is a
// no-op (a hash comparison) when nothing changed since the last install.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tools = join(root, ".tools");
const pnpm = join(tools, "node_modules", ".bin", "pnpm");

function run(cmd, args, opts = {}) {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"], ...opts });
  } catch (error) {
    console.error(`setup: \`${[cmd, ...args].join(" ")}\` failed (${error.status ?? error.code}); see its output above.`);
    process.exit(1);
  }
}

// 1. The pinned package manager, installed by npm from a committed lockfile.
if (!existsSync(pnpm)) {
  console.error("setup: installing pnpm 12.4.2 into .tools (first run only)");
  run("npm", ["ci", "--prefix", tools, "--no-audit", "--no-fund", "--loglevel=error"]);
}

// 2. The workspace's dependencies, re-installed only when a manifest or the lockfile changed.
const manifests = ["pnpm-lock.yaml", "pnpm-workspace.yaml", "package.json"];
for (const pkg of readdirSync(join(root, "packages"))) {
  manifests.push(join("packages", pkg, "package.json"));
}
const hash = createHash("sha256");
for (const file of manifests) {
  hash.update(file + "\0");
  if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)));
}
const digest = hash.digest("hex");
const stamp = join(root, "node_modules", ".pipewright-install-stamp");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== digest) {
  console.error("setup: installing workspace dependencies (better-sqlite3 compiles from source on a fresh machine: about 90 s)");
  const env = { ...process.env };
  // node-gyp must build against the headers of the Node that runs us; without this it tries to
  // download them, and this machine has no network beyond the npm registry.
  const headers = join(dirname(dirname(process.execPath)), "include", "node");
  if (!env.npm_config_nodedir && existsSync(join(headers, "node.h"))) {
    env.npm_config_nodedir = dirname(dirname(process.execPath));
  }
  run(pnpm, ["install", "--frozen-lockfile", "--reporter=append-only"], { env: { ...env, CI: "true" } });
  writeFileSync(stamp, digest);
}

// 3. The runner's native step spawner (C, built against this Node's headers in well under a
//    second): rebuilt only when its source or the Node version changed; skipped with a note where
//    it cannot be built, and the runner then uses its python3 or Node spawn helper.
const nativeBuild = join(root, "packages", "runner", "native", "build.mjs");
if (spawnSync(process.execPath, [nativeBuild, "--check"]).status !== 0) run(process.execPath, [nativeBuild]);
