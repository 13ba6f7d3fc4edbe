#!/usr/bin/env node
// The `pipewright` command. There is no build step: tsx's loader is registered here so the CLI's
// own TypeScript sources, and the user's TypeScript entry files, load directly. The CommonJS hook
// too, so an entry in a folder without "type": "module" still loads with correct stack traces.
import { register } from "tsx/esm/api";
import { register as registerCommonJs } from "tsx/cjs/api";

// `pipewright runs list | head`: the reader went away; stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
registerCommonJs();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2));
