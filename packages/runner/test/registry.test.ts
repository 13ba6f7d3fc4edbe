import { amlCompute, command, data, environment, Input, model, Output, registerComponent } from "@pipewright/dsl";
import type { ComponentAssetModel, DataAssetModel } from "@pipewright/dsl";
import { loadAsset } from "@pipewright/compiler";
import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRegistry } from "../src/registry/local-registry.js";
import { RegistryError } from "../src/registry/registry-error.js";

function codeOf(fn: () => unknown): { code: string; diagnostics: string[] } {
  try {
    fn();
  } catch (error) {
    if (error instanceof RegistryError) return { code: error.code, diagnostics: error.diagnostics.map((d) => d.code) };
    throw error;
  }
  throw new Error("expected a RegistryError");
}

describe("the local registry", () => {
  let dir: string;
  let registry: LocalRegistry;
  const dataAt = (name: string, path: string, extra: Partial<DataAssetModel> = {}): DataAssetModel => ({ kind: "data", name, type: "uri_folder", path, baseDir: dir, ...extra });
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const stagingLeft = () => (existsSync(join(dir, "ws", "blobs", ".staging")) ? readdirSync(join(dir, "ws", "blobs", ".staging")).length : 0);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "pw-registry-"));
    registry = new LocalRegistry(join(dir, "ws"));
    write("raw/a.csv", "x,y\n1,2\n");
    write("raw/b.csv", "x,y\n3,4\n");
  });
  afterEach(() => {
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("versions", () => {
    it("gives versions left out the next integer after the highest numeric version", () => {
      expect(registry.register(dataAt("raw", "raw")).version).to.equal("1");
      write("raw/c.csv", "c");
      expect(registry.register(dataAt("raw", "raw")).version).to.equal("2");
      write("raw/d.csv", "d");
      expect(registry.register(dataAt("raw", "raw", { version: "7" })).version).to.equal("7");
      write("raw/e.csv", "e");
      expect(registry.register(dataAt("raw", "raw", { version: "v9-beta" })).version).to.equal("v9-beta");
      write("raw/f.csv", "f");
      expect(registry.register(dataAt("raw", "raw")).version).to.equal("8");
      expect(registry.list("data", "raw").map((r) => r.version)).to.deep.equal(["1", "2", "7", "v9-beta", "8"]);
    });

    it("refuses a registered version with different content and stores nothing for it", () => {
      registry.register(dataAt("raw", "raw", { version: "1" }));
      const blobs = registry.blobs.count();
      write("raw/c.csv", "changed");
      expect(codeOf(() => registry.register(dataAt("raw", "raw", { version: "1" }))).code).to.equal("PW4501");
      expect(registry.blobs.count()).to.equal(blobs);
      expect(registry.db.countVersions()).to.equal(1);
      expect(stagingLeft()).to.equal(0);
    });

    it("returns the existing version when the same content is registered under the same version", () => {
      const first = registry.register(dataAt("raw", "raw", { version: "1" }));
      const again = registry.register(dataAt("raw", "raw", { version: "1", description: "same bytes" }));
      expect(again).to.deep.equal(first);
      expect(registry.db.countVersions()).to.equal(1);
    });

    it("resolves @latest to the newest version and other labels to the version they point at", () => {
      registry.register(dataAt("raw", "raw", { version: "2" }), { labels: ["prod"] });
      write("raw/c.csv", "c");
      registry.register(dataAt("raw", "raw", { version: "1" }));
      expect(registry.get("data", "raw").version).to.equal("1", "latest is the most recently created version, as in Azure");
      expect(registry.get("data", "raw", { label: "prod" }).version).to.equal("2");
      expect(registry.get("data", "raw", { version: "2" }).labels).to.deep.equal(["prod"]);
      write("raw/d.csv", "d");
      registry.register(dataAt("raw", "raw", { version: "3" }), { labels: ["prod"] });
      expect(registry.get("data", "raw", { label: "prod" }).version).to.equal("3", "a label moves to the version it is set on");
      expect(codeOf(() => registry.get("data", "raw", { label: "staging" })).code).to.equal("PW4502");
    });

    it("refuses 'latest' and malformed labels", () => {
      expect(codeOf(() => registry.register(dataAt("raw", "raw"), { labels: ["latest"] })).code).to.equal("PW4505");
      expect(codeOf(() => registry.register(dataAt("raw", "raw"), { labels: ["has space"] })).code).to.equal("PW4505");
      expect(registry.db.countVersions()).to.equal(0);
    });

    it("hides archived versions from list and @latest but resolves them by version", () => {
      registry.register(dataAt("raw", "raw"));
      write("raw/c.csv", "c");
      registry.register(dataAt("raw", "raw"));
      expect(registry.archive("data", "raw", "2").archived).to.equal(true);
      expect(registry.get("data", "raw").version).to.equal("1");
      expect(registry.list("data", "raw").map((r) => r.version)).to.deep.equal(["1"]);
      expect(registry.list("data", "raw", { includeArchived: true }).map((r) => r.version)).to.deep.equal(["1", "2"]);
      expect(registry.get("data", "raw", { version: "2" }).archived).to.equal(true);
      registry.archive("data", "raw", "1");
      expect(codeOf(() => registry.get("data", "raw")).code).to.equal("PW4502");
      expect(registry.list("data")).to.deep.equal([]);
      write("raw/d.csv", "d");
      expect(registry.register(dataAt("raw", "raw")).version).to.equal("3", "archived versions still count for the next version");
      expect(registry.restore("data", "raw", "1").archived).to.equal(false);
      expect(codeOf(() => registry.archive("data", "raw", "9")).code).to.equal("PW4502");
    });

    it("lists the latest version of each name when no name is given", () => {
      registry.register(dataAt("raw", "raw"));
      registry.register(dataAt("other", "raw/a.csv", { type: "uri_file" }));
      write("raw/c.csv", "c");
      registry.register(dataAt("raw", "raw"));
      expect(registry.list("data").map((r) => `${r.name}:${r.version}`)).to.deep.equal(["other:1", "raw:2"]);
      expect(registry.list("model")).to.deep.equal([]);
    });
  });

  describe("content addressing", () => {
    it("stores the same bytes once, however often and under whatever name they are registered", () => {
      const a = registry.register(dataAt("raw", "raw"));
      const b = registry.register(dataAt("copy", "raw"));
      write("elsewhere/a.csv", "x,y\n1,2\n");
      write("elsewhere/b.csv", "x,y\n3,4\n");
      const c = registry.register(dataAt("third", "elsewhere"));
      expect(registry.blobs.count()).to.equal(1);
      expect(a.blob).to.equal(b.blob).and.to.equal(c.blob);
      expect(a.path).to.equal(registry.blobs.pathOf(a.blob as string));
      expect(readFileSync(join(a.path, "a.csv"), "utf8")).to.equal("x,y\n1,2\n");
      registry.register(dataAt("single", "raw/a.csv", { type: "uri_file" }));
      expect(registry.blobs.count()).to.equal(2);
      expect(stagingLeft()).to.equal(0);
    });

    it("keeps a registered file under its own name inside its blob", () => {
      const record = registry.register(dataAt("single", "raw/a.csv", { type: "uri_file" }));
      expect(record.path).to.equal(join(registry.blobs.pathOf(record.blob as string), "a.csv"));
      expect(readFileSync(record.path, "utf8")).to.equal("x,y\n1,2\n");
    });

    it("records URIs as they are, storing no files", () => {
      const record = registry.register(dataAt("remote", "azureml://datastores/workspaceblobstore/paths/raw/", {}));
      expect(record.path).to.equal("azureml://datastores/workspaceblobstore/paths/raw/");
      expect(record.blob).to.equal(undefined);
      expect(registry.blobs.count()).to.equal(0);
    });
  });

  it("removes staging folders a killed registration left behind when the registry opens", () => {
    const staging = join(dir, "ws", "blobs", ".staging");
    mkdirSync(join(staging, "999999999-deadbeef", "half"), { recursive: true });
    mkdirSync(join(staging, `${process.pid}-mine`), { recursive: true });
    new LocalRegistry(join(dir, "ws")).close();
    expect(readdirSync(staging)).to.deep.equal([`${process.pid}-mine`]);
    rmSync(join(staging, `${process.pid}-mine`), { recursive: true });
  });

  describe("kinds", () => {
    it("registers a model folder, an environment with its conda file and a component with its code", () => {
      write("model/MLmodel", "flavors: {}\n");
      write("model/model.pkl", "weights");
      write("env/conda.yml", "name: x\ndependencies: [python=3.10]\n");
      write("src/train.py", "print('hi')\n");
      const m = registry.register(model({ name: "clf", type: "mlflow_model", path: join(dir, "model") }));
      expect(m.type).to.equal("mlflow_model");
      expect(readFileSync(join(m.path, "MLmodel"), "utf8")).to.equal("flavors: {}\n");
      const e = registry.register(environment({ name: "py", image: "python:3.10-slim", condaFile: join(dir, "env/conda.yml") }));
      expect(e.image).to.equal("python:3.10-slim");
      expect(readFileSync(e.condaFile as string, "utf8")).to.contain("python=3.10");
      const train = command({
        name: "train",
        version: "3",
        code: join(dir, "src"),
        inputs: { data: Input.uriFolder() },
        outputs: { model: Output.uriFolder() },
        command: "python train.py ${{inputs.data}} ${{outputs.model}}",
        environment: "azureml:py:1",
      });
      const c = registry.register(registerComponent(train));
      expect(c.version).to.equal("3");
      expect(c.type).to.equal("command");
      const loaded = registry.loadComponent("train", { version: "3" });
      expect(loaded.version).to.equal("3");
      expect(loaded.name).to.equal("train");
      const code = loaded.type === "command" && "code" in loaded ? (loaded.code as string) : "";
      expect(readFileSync(join(loaded.baseDir as string, code, "train.py"), "utf8")).to.equal("print('hi')\n");
      expect(join(loaded.baseDir as string, code).startsWith(registry.blobs.folder)).to.equal(true);
      expect(registry.register(registerComponent(train)).version).to.equal("3", "the same component again is a no-op");
    });
  });

  it("registers a component from its YAML file, code relative to the file, and an identical one again as a no-op", () => {
    write("yaml/src/run.sh", "echo hi\n");
    write(
      "yaml/component.yml",
      "$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json\nname: hello\nversion: 2\ntype: command\ncode: ./src\nenvironment: azureml:AzureML-minimal@latest\ncommand: sh run.sh\n",
    );
    const file = join(dir, "yaml/component.yml");
    const loaded = loadAsset(readFileSync(file, "utf8"), file, { readFile: (p) => (existsSync(p) ? readFileSync(p, "utf8") : undefined) });
    expect(loaded.asset?.kind).to.equal("component");
    const record = registry.register(loaded.asset as ComponentAssetModel);
    expect([record.name, record.version]).to.deep.equal(["hello", "2"]);
    const component = registry.loadComponent("hello");
    const code = "code" in component ? String(component.code) : "";
    expect(readFileSync(join(component.baseDir as string, code, "run.sh"), "utf8")).to.equal("echo hi\n");
    expect(registry.register(loaded.asset as ComponentAssetModel).contentHash).to.equal(record.contentHash);
    write("yaml/src/run.sh", "echo changed\n");
    expect(codeOf(() => registry.register(loaded.asset as ComponentAssetModel)).code).to.equal("PW4501", "changed code is changed content");
  });

  describe("bad input", () => {
    const cases: Array<{ what: string; code: string; diagnostic?: string; run: (r: LocalRegistry, d: string) => unknown }> = [
      { what: "a name outside Azure's rules", code: "PW4504", diagnostic: "PW1501", run: (r, d) => r.register(dataAt("bad name!", "raw")) && d },
      { what: "a version outside Azure's rules", code: "PW4504", diagnostic: "PW1502", run: (r) => r.register(dataAt("raw", "raw", { version: "1/2" })) },
      { what: "a path that does not exist", code: "PW4504", diagnostic: "PW1506", run: (r) => r.register(dataAt("raw", "nowhere")) },
      { what: "a uri_file that is a folder", code: "PW4504", diagnostic: "PW1507", run: (r) => r.register(dataAt("raw", "raw", { type: "uri_file" })) },
      { what: "an mlflow_model without an MLmodel file", code: "PW4504", diagnostic: "PW1507", run: (r, d) => r.register(model({ name: "m", type: "mlflow_model", path: join(d, "raw") })) },
      {
        what: "a conda file that is not YAML",
        code: "PW4504",
        diagnostic: "PW1505",
        run: (r, d) => {
          writeFileSync(join(d, "conda.yml"), "name: [unclosed\n");
          return r.register(environment({ name: "env", image: "python:3.10", condaFile: join(d, "conda.yml") }));
        },
      },
      { what: "a malformed image reference", code: "PW4504", diagnostic: "PW1504", run: (r) => r.register(environment({ name: "env", image: "Not An Image" })) },
      { what: "a conda file that does not exist", code: "PW4504", diagnostic: "PW1506", run: (r, d) => r.register(environment({ name: "env", image: "python:3.10", condaFile: join(d, "missing.yml") })) },
      {
        what: "a component whose code folder does not exist",
        code: "PW4504",
        diagnostic: "PW1506",
        run: (r, d) => r.register(registerComponent(command({ name: "c", code: join(d, "nocode"), command: "echo", environment: "azureml:e:1" }))),
      },
      { what: "a component name outside Azure's rules", code: "PW4504", diagnostic: "PW1001", run: (r) => r.register(registerComponent(command({ name: "Bad-Name", command: "echo", environment: "azureml:e:1" }))) },
      {
        what: "a definition that is not a versioned asset",
        code: "PW4506",
        run: (r) => r.register(amlCompute({ name: "cpu-cluster", size: "Standard_DS3_v2" }) as unknown as DataAssetModel),
      },
      { what: "a path that is an asset reference", code: "PW4504", diagnostic: "PW1506", run: (r) => r.register(dataAt("raw", "azureml:other:1")) },
    ];
    for (const c of cases) {
      it(`reports ${c.what} as ${c.diagnostic ?? c.code} and registers nothing`, () => {
        registry.register(dataAt("keep", "raw"));
        const blobs = readdirSync(registry.blobs.folder).sort();
        const result = codeOf(() => c.run(registry, dir));
        expect(result.code).to.equal(c.code);
        if (c.diagnostic) expect(result.diagnostics).to.include(c.diagnostic);
        expect(registry.db.countVersions()).to.equal(1);
        expect(readdirSync(registry.blobs.folder).sort()).to.deep.equal(blobs);
        expect(stagingLeft()).to.equal(0);
      });
    }

    it("names the file and the fix in the rendered error, without a stack trace", () => {
      const error = (() => {
        try {
          registry.register(data({ name: "raw", type: "uri_folder", path: "./nowhere" }));
        } catch (caught) {
          return caught as RegistryError;
        }
        return undefined;
      })();
      const text = error?.render() ?? "";
      expect(text).to.contain("error PW4504");
      expect(text).to.contain("PW1506");
      expect(text).to.contain("registry.test.ts:");
      expect(text).to.contain("does not exist; create it or fix path");
      expect(text).not.to.contain("    at ");
    });
  });
});
