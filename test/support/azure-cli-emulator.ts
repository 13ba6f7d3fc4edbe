// The CLI's Azure verbs in process against the emulator: an emulator whose clock moves a second
// with every request, a HOME folder holding its certificate, the environment that points
// `pipewright` at both, and `run`, which calls main() and keeps everything it printed.
import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock, startEmulator, type RunningEmulator } from "@pipewright/runner";
import { main } from "../../packages/cli/src/main.js";

/** The client secret the CLI is given; nothing it prints or writes may contain it. */
const CLI_CLIENT_SECRET = "cli-test-client-secret";

/** A stdout or stderr for main() that keeps what is written. */
export class Sink {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A suite's emulator, HOME and environment (set in `before`, valid inside tests) and its CLI runner. */
export interface AzureCliSuite {
  readonly emulator: RunningEmulator;
  readonly home: string;
  readonly env: Record<string, string>;
  /** Everything the CLI printed, stdout and stderr, in order. */
  readonly produced: string[];
  /** Runs `pipewright <args>` in `cwd` (the suite's default folder unless given) with the suite's environment plus `extraEnv`. */
  run(args: string[], extraEnv?: Record<string, string>, cwd?: string): Promise<CliResult>;
}

/**
 * Registers the mocha hooks of a CLI-against-the-emulator suite: before it, a fresh emulator and a
 * temporary HOME (`homePrefix`) with the emulator's CA file; after each test, no request broke the
 * REST spec and the emulator hit no internal error; everything removed afterwards. `cwd` gives the
 * folder `run` works in by default, from the suite's HOME.
 */
export function useAzureCliEmulator(options: { readonly homePrefix: string; readonly cwd: (home: string) => string }): AzureCliSuite {
  const suite = { produced: [] as string[] } as { -readonly [K in keyof AzureCliSuite]: AzureCliSuite[K] };
  suite.run = async (args, extraEnv = {}, cwd = options.cwd(suite.home)) => {
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await main(args, { cwd, env: { ...suite.env, ...extraEnv }, stdout, stderr });
    suite.produced.push(stdout.text, stderr.text);
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  before(async () => {
    // Each request moves the emulator clock a second, so jobs progress as the CLI polls.
    const emulator = await startEmulator({ clock: new ManualClock(), advanceOnRequestMs: 1000 });
    const home = mkdtempSync(join(tmpdir(), options.homePrefix));
    const caFile = join(home, "ca.pem");
    writeFileSync(caFile, emulator.ca);
    suite.emulator = emulator;
    suite.home = home;
    suite.env = {
      HOME: home,
      PATH: process.env["PATH"] ?? "/usr/bin:/bin",
      PIPEWRIGHT_AZURE_ENDPOINT: emulator.url,
      PIPEWRIGHT_AZURE_CA_FILE: caFile,
      PIPEWRIGHT_AZURE_POLL_MS: "5",
      AZURE_SUBSCRIPTION_ID: emulator.workspace.subscriptionId,
      AZURE_RESOURCE_GROUP: emulator.workspace.resourceGroup,
      AZUREML_WORKSPACE_NAME: emulator.workspace.name,
      AZURE_CLIENT_SECRET: CLI_CLIENT_SECRET,
    };
  });
  after(async () => {
    await suite.emulator.close();
    rmSync(suite.home, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(suite.emulator.state.violations(), "spec violations").to.deep.equal([]);
    expect(suite.emulator.state.internalErrors, "emulator errors").to.deep.equal([]);
  });
  return suite;
}
