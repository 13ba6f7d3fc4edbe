import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSpawner } from "../src/local/executor.js";
import { loadNativeSpawner, NativeSpawner } from "../src/local/native-spawner.js";
import { HelperSpawner, type HelperKind, type SpawnRequest, type Spawner } from "../src/local/spawner.js";
import { isAlive } from "../src/local/running-task.js";

interface Outcome {
  readonly pid?: number;
  readonly code?: number | null;
  readonly signal?: string | null;
  readonly error?: string;
}

function run(spawner: Spawner, request: SpawnRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    let pid: number | undefined;
    spawner.spawn(request, {
      started: (started) => (pid = started),
      exited: (code, signal) => resolve({ ...(pid !== undefined ? { pid } : {}), code, signal }),
      failed: (error) => resolve({ error }),
    });
  });
}

/** The python helper needs python3 with os.posix_spawn; a machine with only Node uses the other. */
const pythonUsable = spawnSync("python3", ["-c", "import os; os.posix_spawn"], { stdio: "ignore" }).status === 0;

/** The native spawner is built by `npm run setup` wherever there is a C compiler (this machine kind). */
const compilerPresent = spawnSync(process.env["CC"] ?? "cc", ["--version"], { stdio: "ignore" }).status === 0;

for (const kind of ["native", "python", "node"] as const) {
  describe(kind === "native" ? "the native spawner" : `the ${kind} spawn helper`, () => {
    let dir: string;
    let spawner: Spawner;
    before(function () {
      if (kind === "python" && !pythonUsable) this.skip();
      if (kind === "native" && !compilerPresent && !("module" in loadNativeSpawner())) this.skip();
    });
    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "pw-spawner-"));
      const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", BASE: "base" };
      if (kind === "native") spawner = new NativeSpawner(env);
      else {
        const helper = new HelperSpawner(env, { prefer: kind });
        expect(await helper.booted).to.equal(kind);
        spawner = helper;
      }
    });
    afterEach(() => {
      spawner.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs the script with /bin/sh in its folder and environment, appending stdout and stderr to the log", async () => {
      const log = join(dir, "step.log");
      const outcome = await run(spawner, { script: "echo out $BASE $EXTRA; pwd; echo err >&2; exit 3", cwd: dir, env: { EXTRA: "extra" }, logFile: log });
      expect(outcome.code).to.equal(3);
      expect(outcome.signal).to.equal(null);
      expect(readFileSync(log, "utf8")).to.equal(`out base extra\n${dir}\nerr\n`);
      await run(spawner, { script: "echo again", cwd: dir, env: {}, logFile: log });
      expect(readFileSync(log, "utf8")).to.match(/err\nagain\n$/);
    });

    it("gives a step's own variables precedence over the base environment, which every step still gets", async () => {
      const log = join(dir, "env.log");
      await run(spawner, { script: "echo $BASE; env | grep -c '^BASE='", cwd: dir, env: { BASE: "own" }, logFile: log });
      await run(spawner, { script: "echo $BASE; env | grep -c '^BASE='", cwd: dir, env: {}, logFile: log });
      expect(readFileSync(log, "utf8")).to.equal("own\n1\nbase\n1\n");
    });

    it("starts each step as the leader of its own session and process group, reading nothing from stdin", async () => {
      const log = join(dir, "ids.log");
      const outcome = await run(spawner, { script: "read -r line || echo no-input; cut -d' ' -f1,5,6 /proc/$$/stat", cwd: dir, env: {}, logFile: log });
      expect(outcome.code).to.equal(0);
      const [input, ids] = readFileSync(log, "utf8").trim().split("\n");
      expect(input).to.equal("no-input");
      expect(ids).to.equal(`${outcome.pid} ${outcome.pid} ${outcome.pid}`);
    });

    it("leaves no signal ignored or blocked in the step, and reports a signal that ended it by name", async () => {
      const log = join(dir, "signals.log");
      const outcome = await run(spawner, { script: "grep -E '^Sig(Ign|Blk)' /proc/self/status; kill -TERM $$", cwd: dir, env: {}, logFile: log });
      expect(outcome).to.include({ code: null, signal: "SIGTERM" });
      const masks = Object.fromEntries(readFileSync(log, "utf8").trim().split("\n").map((line) => line.split(/:\s+/) as [string, string]));
      expect(BigInt(`0x${masks["SigBlk"]}`)).to.equal(0n);
      // SIGINT (2), SIGPIPE (13), SIGTERM (15), SIGXFSZ (25): bits signal - 1.
      const ignored = BigInt(`0x${masks["SigIgn"]}`);
      for (const signal of [2, 13, 15, 25]) expect(ignored & (1n << BigInt(signal - 1)), `signal ${signal} ignored`).to.equal(0n);
    });

    it("lets the step run on every CPU the runner may use, however many steps ran before it", async () => {
      // The native spawner's threads are each bound to one CPU; what they start must not be.
      const own = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
      const log = join(dir, "cpus.log");
      const steps = Array.from({ length: 6 }, () => run(spawner, { script: "grep '^Cpus_allowed_list' /proc/self/status", cwd: dir, env: {}, logFile: log }));
      for (const outcome of await Promise.all(steps)) expect(outcome.code).to.equal(0);
      const lists = readFileSync(log, "utf8").trim().split("\n").map((line) => line.split(/:\s+/)[1]);
      expect(lists).to.have.length(6);
      for (const list of lists) expect(list).to.equal(own);
    });

    it("hands the step stdin, stdout and stderr, and no descriptor the runner opened itself", async () => {
      // Descriptors this process inherited without close-on-exec (from whatever started it)
      // reach every child, make's too; anything else in the step would be the spawner's leak.
      const flagsOf = (fd: number) => {
        try {
          return /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"))?.[1];
        } catch {
          return undefined; // the listing's own descriptor, closed by now
        }
      };
      const inherited = readdirSync("/proc/self/fd").map(Number).filter((fd) => {
        const flags = flagsOf(fd);
        return fd > 2 && flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0;
      });
      const log = join(dir, "fds.log");
      const outcome = await run(spawner, { script: "ls /proc/$$/fd", cwd: dir, env: {}, logFile: log });
      expect(outcome.code).to.equal(0);
      const fds = readFileSync(log, "utf8").trim().split("\n").map(Number);
      expect(fds.filter((fd) => fd <= 2).sort()).to.deep.equal([0, 1, 2]);
      expect(fds.filter((fd) => fd > 2 && !inherited.includes(fd))).to.deep.equal([]);
    });

    it("creates the requested folders, with their parents, before the step starts in one of them", async () => {
      const step = join(dir, "steps", "a", "b");
      const outcome = await run(spawner, { script: "ls -a .out.staging-1 > listing", cwd: step, env: {}, logFile: join(step, "attempt-1.log"), dirs: [step, join(step, ".out.staging-1")] });
      expect(outcome.code).to.equal(0);
      expect(readFileSync(join(step, "listing"), "utf8")).to.equal(".\n..\n");
    });

    it("reports a step that cannot start (its folder is missing) as a failure, not an exit", async () => {
      const outcome = await run(spawner, { script: "true", cwd: join(dir, "missing"), env: {}, logFile: join(dir, "x.log") });
      expect(outcome.error).to.be.a("string").and.match(/ENOENT|No such file/);
    });
  });
}

describe("the native spawner beside Node's own child processes", () => {
  let dir: string;
  before(function () {
    if (!("module" in loadNativeSpawner())) this.skip();
  });
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "pw-native-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reports every one of many steps exactly once, with its own exit code, while Node reaps its own children", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" });
    const seen = new Map<number, number>();
    const steps = Array.from({ length: 60 }, (_, i) =>
      run(spawner, { script: `exit ${i % 7}`, cwd: dir, env: {}, logFile: join(dir, `s${i}.log`) }).then((outcome) => {
        seen.set(i, (seen.get(i) ?? 0) + 1);
        return outcome.code;
      }),
    );
    const own = spawn(process.execPath, ["-e", "process.exit(9)"]);
    const ownCode = new Promise<number | null>((resolve) => own.once("exit", resolve));
    expect(spawnSync("/bin/sh", ["-c", "exit 5"]).status).to.equal(5);
    expect(await Promise.all(steps)).to.deep.equal(Array.from({ length: 60 }, (_, i) => i % 7));
    expect(await ownCode).to.equal(9);
    expect([...seen.values()].every((count) => count === 1)).to.equal(true);
  });

  it("runs at most `admits` steps at once, starting each waiting one as soon as a running one ends", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, 1);
    const trace = join(dir, "trace");
    try {
      await Promise.all([1, 2, 3].map((i) => run(spawner, { script: `echo start ${i} >> ${trace}; sleep 0.1; echo end ${i} >> ${trace}`, cwd: dir, env: {}, logFile: join(dir, `s${i}.log`) })));
    } finally {
      spawner.close();
    }
    expect(readFileSync(trace, "utf8")).to.equal("start 1\nend 1\nstart 2\nend 2\nstart 3\nend 3\n");
  });

  it("starts every step it has room for when several are handed over while its thread wakes up", async () => {
    // Two long steps handed over from the end of the one they follow: the first hand-over wakes
    // the idle thread, and the second must get a thread too, not wait for the first to end.
    // Before the fix this lost the second step in about one round of ten.
    for (let round = 0; round < 40; round++) {
      const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, 2);
      const marker = join(dir, `go${round}`);
      const started: string[] = [];
      const ended: Array<Promise<void>> = [];
      try {
        await new Promise<void>((resolve) => {
          spawner.spawn({ script: "true", cwd: dir, env: {}, logFile: join(dir, "quick.log") }, {
            started: () => undefined,
            exited: () => {
              for (const name of ["a", "b"]) {
                ended.push(new Promise<void>((done) => {
                  spawner.spawn({ script: `while [ ! -e ${marker} ]; do sleep 0.02; done`, cwd: dir, env: {}, logFile: join(dir, `${name}.log`) }, {
                    started: () => started.push(name),
                    exited: () => done(),
                    failed: () => done(),
                  });
                }));
              }
              resolve();
            },
            failed: () => resolve(),
          });
        });
        const deadline = Date.now() + 3_000;
        while (started.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
        const both = [...started].sort();
        writeFileSync(marker, "");
        await Promise.all(ended);
        expect(both, `round ${round}`).to.deep.equal(["a", "b"]);
      } finally {
        writeFileSync(marker, "");
        spawner.close();
      }
    }
  });

  it("never starts a step withdrawn while it waited for its turn, and cannot withdraw a running one", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, 1);
    const heard: string[] = [];
    const first = new Promise<void>((resolve) => {
      const ticket = spawner.spawn({ script: "sleep 0.2", cwd: dir, env: {}, logFile: join(dir, "a.log") }, {
        started: () => heard.push("a started", `a withdrawn: ${ticket?.withdraw()}`),
        exited: () => resolve(),
        failed: () => resolve(),
      });
    });
    const second = spawner.spawn({ script: `touch ${join(dir, "b-ran")}`, cwd: dir, env: {}, logFile: join(dir, "b.log") }, {
      started: () => heard.push("b started"),
      exited: () => heard.push("b exited"),
      failed: (message) => heard.push(`b failed: ${message}`),
    });
    expect(second?.withdraw()).to.equal(true);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 150));
    spawner.close();
    expect(heard).to.deep.equal(["a started", "a withdrawn: false"]);
    expect(existsSync(join(dir, "b-ran"))).to.equal(false);
    expect(existsSync(join(dir, "b.log"))).to.equal(false);
  });

  it("makes the next waiting step's folders and log while it waits, and removes what it made if the step is withdrawn", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, 1);
    const kept = join(dir, "kept");
    mkdirSync(kept);
    // The first step runs until it is stopped, so the second one waits however loaded the machine.
    let firstTicket: ReturnType<NativeSpawner["spawn"]>;
    const first = new Promise<void>((resolve) => {
      firstTicket = spawner.spawn({ script: "sleep 30", cwd: dir, env: {}, logFile: join(dir, "a.log") }, { started: () => undefined, exited: () => resolve(), failed: () => resolve() });
    });
    const made = join(dir, "b", "staging");
    const ticket = spawner.spawn({ script: "true", cwd: dir, env: {}, logFile: join(dir, "b", "attempt-1.log"), dirs: [kept, join(dir, "b"), made] }, {
      started: () => undefined,
      exited: () => undefined,
      failed: () => undefined,
    });
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(() => existsSync(join(dir, "b", "attempt-1.log")));
    expect(existsSync(made), "made while the first step still runs").to.equal(true);
    expect(ticket?.withdraw()).to.equal(true);
    // Removed at once, or by the spawn thread if it was still making them.
    await until(() => !existsSync(join(dir, "b")));
    expect(existsSync(join(dir, "b")), "the withdrawn step's folders and log are gone").to.equal(false);
    expect(existsSync(kept), "a folder that was there before stays").to.equal(true);
    expect(firstTicket!.signal?.("SIGKILL")).to.equal(true);
    await first;
    spawner.close();
  });

  it("survives worker threads that end with their steps still running or waiting", () => {
    // Each worker loads the module (a state of its own), starts steps and exits from a report
    // while others run, wait, or have reports on their way; then the main thread runs steps of
    // its own. Before the fix, a report arriving during a worker's teardown crashed the process. In a child
    // process, so a crash shows as its exit rather than ending the test run.
    const module = join(import.meta.dirname, "..", "native", "build", "pw-spawn.node");
    const script = join(dir, "workers.mjs");
    writeFileSync(script, `
      import { Worker, isMainThread, parentPort } from "node:worker_threads";
      import { createRequire } from "node:module";
      const native = createRequire(import.meta.url)(${JSON.stringify(module)});
      const env = ["PATH=/usr/bin:/bin"];
      if (isMainThread) {
        for (let i = 0; i < 4; i++) {
          const worker = new Worker(new URL(import.meta.url));
          await new Promise((resolve, reject) => { worker.on("message", () => undefined); worker.on("exit", resolve); worker.on("error", reject); });
        }
        let ended = 0;
        native.onReports((reports) => { for (let i = 0; i < reports.length; i += 4) if (reports[i + 1] === 2) ended++; });
        const pool = native.pool(2, env);
        for (let i = 0; i < 5; i++) native.spawn(pool, "true", ${JSON.stringify(dir)}, [], ${JSON.stringify(join(dir, "main.log"))}, []);
        while (ended < 5) await new Promise((resolve) => setTimeout(resolve, 10));
        native.closePool(pool);
        console.log("main ran", ended);
      } else {
        let ended = 0;
        native.onReports((reports) => {
          for (let i = 0; i < reports.length; i += 4) if (reports[i + 1] === 2) ended++;
          if (ended >= 4) {
            parentPort.postMessage("leaving");
            process.exit(0);
          }
        });
        const pool = native.pool(2, env);
        for (let i = 0; i < 6; i++) native.spawn(pool, i >= 4 ? "sleep 0.5" : "true", ${JSON.stringify(dir)}, [], ${JSON.stringify(join(dir, "worker.log"))}, []);
      }
    `);
    const result = spawnSync(process.execPath, [script], { encoding: "utf8", timeout: 30_000 });
    expect({ status: result.status, signal: result.signal, out: result.stdout.trim() }, result.stderr).to.deep.equal({ status: 0, signal: null, out: "main ran 5" });
  });

  it("signals a running step's whole group through its ticket, and nothing once the step has ended", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" });
    const child = join(dir, "child.pid");
    let ticket: ReturnType<NativeSpawner["spawn"]>;
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      ticket = spawner.spawn({ script: `sleep 30 & echo $! > ${child}; wait`, cwd: dir, env: {}, logFile: join(dir, "g.log") }, {
        started: () => undefined,
        exited: (code, signal) => resolve({ code, signal }),
        failed: (message) => resolve({ code: null, signal: message }),
      });
    });
    while (!existsSync(child) || readFileSync(child, "utf8").trim() === "") await new Promise((resolve) => setTimeout(resolve, 10));
    const background = Number(readFileSync(child, "utf8"));
    expect(ticket!.signal?.("SIGTERM")).to.equal(true);
    expect(await ended).to.deep.equal({ code: null, signal: "SIGTERM" });
    // The group was signaled before the leader was reaped; the kill takes effect when the
    // background process next runs, which on a loaded machine can be a moment later.
    for (let waited = 0; isAlive(background) && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isAlive(background), "the step's background process went with its group").to.equal(false);
    expect(ticket!.signal?.("SIGTERM"), "an ended step's id may belong to another process by now").to.equal(false);
    spawner.close();
  });

  it("reports each step of a full queue once, never more running than it admits, however its reports are batched", async () => {
    const spawner = new NativeSpawner({ PATH: process.env["PATH"] ?? "/usr/bin:/bin" }, 2);
    const heard: string[] = [];
    const steps = Array.from({ length: 40 }, (_, i) =>
      new Promise<void>((resolve) => {
        spawner.spawn({ script: i === 25 ? "exit 3" : "true", cwd: dir, env: {}, logFile: join(dir, `q${i}.log`) }, {
          started: () => heard.push(`start ${i}`),
          exited: (code) => {
            heard.push(`end ${i} ${code}`);
            resolve();
          },
          failed: () => resolve(),
        });
      }),
    );
    await Promise.all(steps);
    spawner.close();
    const starts = heard.filter((line) => line.startsWith("start")).map((line) => Number(line.split(" ")[1]));
    expect([...starts].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i));
    // Two threads start theirs side by side (either may report first), each reporting a step's
    // start before its end: at no point have more than two started and not ended.
    let running = 0;
    for (const line of heard) {
      running += line.startsWith("start") ? 1 : -1;
      expect(running, heard.join(", ")).to.be.within(0, 2);
    }
    expect(heard.filter((line) => line.startsWith("end"))).to.have.length(40);
    expect(heard).to.include("end 25 3");
    for (let i = 0; i < 40; i++) expect(heard.indexOf(`start ${i}`)).to.be.lessThan(heard.indexOf(`end ${i} ${i === 25 ? 3 : 0}`));
  });

  it("refuses a NUL byte in the command or environment before starting anything", async () => {
    const spawner = new NativeSpawner({});
    const outcome = await run(spawner, { script: "echo a\0b", cwd: dir, env: { X: "1\0" }, logFile: join(dir, "nul.log") });
    expect(outcome.error).to.match(/NUL byte/);
  });

  it("names the log file that could not be opened", async () => {
    const spawner = new NativeSpawner({});
    const outcome = await run(spawner, { script: "true", cwd: dir, env: {}, logFile: join(dir, "missing", "x.log") });
    expect(outcome.error).to.equal(`open: No such file or directory ${join(dir, "missing", "x.log")}`);
  });
});

describe("choosing the spawn helper", () => {
  it("uses the native spawner by default where setup could build it", function () {
    if (!compilerPresent) this.skip();
    const native = loadNativeSpawner();
    expect(native, "reason" in native ? native.reason : "").to.have.property("module");
    const spawner = createSpawner({});
    try {
      expect(spawner).to.be.instanceOf(NativeSpawner);
    } finally {
      spawner.close();
    }
  });

  it("falls back to the Node helper when the Python cannot be started", async () => {
    const spawner = new HelperSpawner({}, { python: "pipewright-no-such-python3" });
    try {
      const kind: HelperKind | undefined = await spawner.booted;
      expect(kind).to.equal("node");
    } finally {
      spawner.close();
    }
  });
});
