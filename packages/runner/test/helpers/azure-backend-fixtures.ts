// Pipelines and a client for the Azure backend tests: real code folders on disk, a real
// ClientSecretCredential against the emulator, and a watcher whose waits move the emulator clock.
import { command, Input, Output, pipeline, uriFolder, type PipelineJob } from "@pipewright/dsl";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AzureMLClient,
  EMULATOR_OUTCOME_TAG,
  startEmulator,
  type AzureClientOptions,
  type EmulatorOptions,
  type RunEvent,
  type RunningEmulator,
} from "../../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, emulatorCredential } from "./emulator-clients.js";

export function projectFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "pw-azure-"));
  mkdirSync(join(dir, "src", "pkg"), { recursive: true });
  writeFileSync(join(dir, "src", "main.py"), "print('hello')\n");
  writeFileSync(join(dir, "src", "pkg", "util.py"), "X = 1\n");
  mkdirSync(join(dir, "data"), { recursive: true });
  writeFileSync(join(dir, "data", "rows.csv"), "a,b\n1,2\n");
  return dir;
}

export function azureClient(emulator: RunningEmulator, cwd: string, extra: AzureClientOptions = {}): AzureMLClient {
  const ws = emulator.workspace;
  return new AzureMLClient(emulatorCredential(emulator), ws.subscriptionId, ws.resourceGroup, ws.name, {
    endpoint: emulator.url,
    ca: emulator.ca,
    cwd,
    retry: { maxRetries: 10, retryDelayInMs: 2, maxRetryDelayInMs: 20 },
    watch: { sleep: async (ms) => emulator.advance(ms), now: () => emulator.clock.now(), minPollMs: 2000, maxPollMs: 5000 },
    ...extra,
  });
}

/** prep -> train -> score, every step's code in `<dir>/src`; `failing` names a step that fails. */
export function threeSteps(dir: string, options: { failing?: string; data?: boolean } = {}): PipelineJob {
  const code = join(dir, "src");
  const env = "azureml:AzureML-sklearn-1.5@latest";
  const prep = command({
    name: "prep",
    inputs: { raw: Input.uriFolder({ optional: true }), rate: Input.number({ default: 0.5 }) },
    outputs: { out: Output.uriFolder() },
    code,
    environment: env,
    command: "python main.py $[[--raw ${{inputs.raw}}]] --rate ${{inputs.rate}} --out ${{outputs.out}}",
  });
  const train = command({
    name: "train",
    inputs: { data: Input.uriFolder() },
    outputs: { model: Output.uriFolder() },
    code,
    environment: env,
    command: "python main.py --data ${{inputs.data}} --model ${{outputs.model}}",
  });
  const score = command({
    name: "score",
    inputs: { model: Input.uriFolder() },
    outputs: { report: Output.uriFolder() },
    code,
    environment: env,
    command: "python main.py --model ${{inputs.model}} --report ${{outputs.report}}",
  });
  const tags = (step: string) => (options.failing === step ? { tags: { [EMULATOR_OUTCOME_TAG]: "Failed" } } : {});
  const p = pipeline(
    {
      name: "three_steps",
      inputs: { raw: Input.uriFolder({ optional: true }), rate: Input.number({ default: 0.5 }) },
      outputs: { report: Output.uriFolder() },
      settings: { defaultCompute: "azureml:cpu-cluster" },
    },
    ({ raw, rate }) => {
      const a = prep({ raw, rate }, tags("prep"));
      const b = train({ data: a.outputs.out }, tags("train"));
      const c = score({ model: b.outputs.model }, tags("score"));
      return { report: c.outputs.report };
    },
  );
  return options.data ? p.job({ raw: uriFolder(join(dir, "data")) }) : p.job();
}

/** `n` steps, all with the same code folder, side by side. */
export function wide(dir: string, n: number): PipelineJob {
  const steps = Array.from({ length: n }, (_, i) =>
    command({ name: `step_${i}`, code: join(dir, "src"), environment: "azureml:AzureML-sklearn-1.5@latest", command: `python main.py --i ${i}` }),
  );
  return pipeline({ name: "wide", settings: { defaultCompute: "azureml:cpu-cluster" } }, () => {
    for (const step of steps) step();
  }).job();
}

export async function collect(events: AsyncIterable<RunEvent>, stopWhen?: (event: RunEvent) => boolean | Promise<boolean>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of events) {
    out.push(event);
    if (stopWhen && (await stopWhen(event))) break;
  }
  return out;
}

export function logLines(events: readonly RunEvent[], step: string): string[] {
  return events.flatMap((e) => (e.type === "step_log" && e.step === step ? [...e.lines] : []));
}

/** A suite's emulator, project folder and Azure client; set in `before`, valid inside tests. */
export interface AzureBackendSuite {
  readonly emulator: RunningEmulator;
  readonly dir: string;
  readonly ml: AzureMLClient;
}

/**
 * Registers the mocha hooks every Azure backend suite needs: a fresh emulator (accepting the test
 * client's secret), a project folder and a client before the suite; after each test, no request
 * broke the REST spec and the emulator hit no internal error; everything removed afterwards.
 * `options` go to the emulator as they are (computes, faults...), besides the client's secret.
 */
export function useAzureBackend(options: Omit<EmulatorOptions, "auth"> = {}): AzureBackendSuite {
  const suite = {} as { emulator: RunningEmulator; dir: string; ml: AzureMLClient };
  before(async () => {
    suite.emulator = await startEmulator({ ...options, auth: { clients: { [CLIENT_ID]: CLIENT_SECRET } } });
    suite.dir = projectFolder();
    suite.ml = azureClient(suite.emulator, suite.dir);
  });
  after(async () => {
    await suite.emulator.close();
    rmSync(suite.dir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(suite.emulator.state.violations(), "spec violations").to.deep.equal([]);
    expect(suite.emulator.state.internalErrors, "emulator errors").to.deep.equal([]);
  });
  return suite;
}
