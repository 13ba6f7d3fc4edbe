// Corpus round trip for issue 6: every environment, data and model file of the Azure ML corpus,
// and every file under cli/assets/, loads into pipewright's definitions, and emitting the loaded
// definition gives a document semantically equal to the file. Normalizations, each with its
// reason, are listed in NORMALIZATIONS and VERSION_PLACEHOLDER below; nothing else is forgiven.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { dirname, posix } from "node:path";
import { parse } from "yaml";
import { corpusFiles, corpusName } from "./support/corpus-files.js";
import { detectDocumentKind, emitAsset, loadAsset, type AssetHost } from "@pipewright/compiler";
import type { AssetModel } from "@pipewright/dsl";
import { VERSION_AS_STRING, defineNormalization, parseAzureYaml, semanticDiff, type Normalization } from "./support/yaml-equal.js";

const assetsFolder = "azureml-examples/cli/assets/";

/**
 * The component emitter (issue 3) writes local paths with a leading `./`; `common_src` and
 * `./common_src` resolve to the same folder next to the file.
 */
const DOT_SLASH_LOCAL_PATH: Normalization = defineNormalization(
  "local path with or without ./",
  "Azure resolves a relative local path against the file's folder, so `x` and `./x` name the same place",
  (value, site) => {
    const inIncludes = site.path.length === 2 && site.path[0] === "additional_includes";
    const isCode = site.path.length === 1 && site.path[0] === "code";
    if (typeof value !== "string" || !(inIncludes || isCode) || /^(?:\.{1,2}\/|\/|[a-z+]+:)/.test(value)) return value;
    return `./${value}`;
  },
);

/** `version: 1` in a file and `version: "1"` emitted (the model keeps versions as strings). */
const NORMALIZATIONS: readonly Normalization[] = [VERSION_AS_STRING, DOT_SLASH_LOCAL_PATH];

/**
 * Two corpus files carry `<VERSION>` where azureml-examples' CI substitutes a real version
 * before calling `az ml <kind> create` (a placeholder Azure would reject, and PW1502 does). The
 * round trip runs on the text as CI would submit it; the raw files are checked for PW1502.
 */
const VERSION_PLACEHOLDER = /<VERSION>/g;
const SUBSTITUTED_VERSION = "7";

/** The corpus holds only YAML: folders, MLmodel files and build contexts were not copied (SOURCES.md). */
const host: AssetHost = {
  readFile: (path) => {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
};

interface CorpusAsset {
  readonly path: string;
  readonly name: string;
  readonly kind: string;
}

const ASSET_KINDS = ["environment", "data", "model"];
const all = corpusFiles.map((path) => {
  const name = corpusName(path);
  let kind: string;
  try {
    kind = detectDocumentKind(parse(readFileSync(path, "utf8")));
  } catch {
    kind = "unreadable";
  }
  return { path, name, kind };
});
const conda = (file: CorpusAsset): boolean => file.name.startsWith(assetsFolder) && /conda/.test(file.name) && file.kind === "other";
const selected: CorpusAsset[] = all.filter((file) => ASSET_KINDS.includes(file.kind) || (file.name.startsWith(assetsFolder) && !conda(file)));
const condaFiles = all.filter(conda);

function asSubmitted(text: string): string {
  return text.replace(VERSION_PLACEHOLDER, SUBSTITUTED_VERSION);
}

function roundTrip(file: CorpusAsset, outDir: string): { asset: AssetModel; emitted: unknown; expected: unknown; diagnostics: readonly unknown[] } {
  const text = asSubmitted(readFileSync(file.path, "utf8"));
  const loaded = loadAsset(text, file.path, host);
  expect(loaded.asset, `${file.name}: ${JSON.stringify(loaded.diagnostics)}`).not.to.equal(undefined);
  const asset = loaded.asset as AssetModel;
  const result = emitAsset(asset, { outDir, path: posix.basename(file.path) });
  expect(result.document, `${file.name}: ${JSON.stringify(result.diagnostics)}`).not.to.equal(undefined);
  const expected = parseAzureYaml(text);
  return { asset, emitted: parseAzureYaml(result.document?.content ?? ""), expected, diagnostics: loaded.diagnostics };
}

describe("asset corpus round trip (issue 6)", () => {
  it("finds the corpus's environment, data and model files and the cli/assets files", () => {
    const counts: Record<string, number> = {};
    for (const file of selected) counts[file.kind] = (counts[file.kind] ?? 0) + 1;
    // 4 environments (3 in cli/assets), 2 data, 1 model, and cli/assets' 2 command and 1 pipeline components.
    expect(counts).to.deep.equal({ environment: 4, data: 2, model: 1, command_component: 2, pipeline_component: 1 });
    expect(condaFiles.map((file) => file.name)).to.deep.equal([`${assetsFolder}environment/conda-yamls/pydata.yml`]);
  });

  for (const file of selected) {
    it(`${file.name}: loads without diagnostics and emit(load(file)) equals the file`, () => {
      const { emitted, expected, diagnostics } = roundTrip(file, dirname(file.path));
      expect(diagnostics).to.deep.equal([]);
      expect(semanticDiff(emitted, expected, { normalizations: NORMALIZATIONS })).to.deep.equal([]);
    });
  }

  it("keeps local paths pointing at the same files when emitted to another folder", () => {
    for (const file of selected.filter((f) => ASSET_KINDS.includes(f.kind))) {
      const outDir = posix.join(dirname(file.path), "emitted", "deeper");
      const { emitted, expected } = roundTrip(file, outDir);
      const local = (doc: unknown, base: string): string[] => {
        const record = doc as Record<string, unknown>;
        const build = record["build"] as Record<string, unknown> | undefined;
        return [record["path"], record["conda_file"], build?.["path"]]
          .filter((value): value is string => typeof value === "string" && !/^[a-z]+:/.test(value))
          .map((value) => posix.join(base, value));
      };
      expect(local(emitted, outDir), file.name).to.deep.equal(local(expected, dirname(file.path)));
    }
  });

  it("follows the environment's conda file: it exists and is a conda mapping", () => {
    const env = selected.find((file) => file.name.endsWith("docker-image-plus-conda.yaml")) as CorpusAsset;
    const { asset } = roundTrip(env, dirname(env.path));
    const condaFile = (asset as { condaFile?: unknown }).condaFile;
    expect(condaFile).to.equal("conda-yamls/pydata.yml");
    expect(posix.join(dirname(env.path), condaFile as string)).to.equal(condaFiles[0]?.path);
    const spec = parseAzureYaml(readFileSync(condaFiles[0]?.path ?? "", "utf8")) as Record<string, unknown>;
    expect(spec["dependencies"]).to.be.an("array");
  });

  it("reports the raw <VERSION> placeholder as a version Azure cannot take (PW1502), at the version key", () => {
    const raw = selected.filter((file) => readFileSync(file.path, "utf8").includes("<VERSION>"));
    expect(raw.map((file) => file.name.split("/").pop()).sort()).to.deep.equal(["env_train.yml", "nyc-taxi-model.yaml"]);
    for (const file of raw) {
      const text = readFileSync(file.path, "utf8");
      const line = text.split("\n").findIndex((l) => l.startsWith("version:")) + 1;
      const result = loadAsset(text, file.path, host);
      expect(result.diagnostics.map((d) => [d.code, d.location?.line, d.location?.column])).to.deep.equal([["PW1502", line, 1]]);
    }
  });
});
