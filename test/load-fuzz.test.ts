// Robustness of the YAML loader (issue 3): corpus files mutated by fast-check (keys deleted,
// values changed to other types, component references swapped for other files, missing files,
// registry strings or the file itself, expressions injected, text truncated or garbled, alias
// bombs) never make loading throw, and every rejection carries a catalogued diagnostic code;
// generating TypeScript from what loads never throws either.
import { expect } from "chai";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parse as parseYaml, stringify } from "yaml";
import { CODES, generateTypeScript, loadYamlDocument, type LoadHost } from "@pipewright/compiler";
import { corpusFiles, fsHost } from "./support/corpus-files.js";

/** Fixed so a failure reproduces; set PIPEWRIGHT_FUZZ_SEED to explore other cases. */
const SEED = Number(process.env["PIPEWRIGHT_FUZZ_SEED"] ?? 20261127);
const RUNS = 10_000;

const texts = new Map<string, string>();
function text(path: string): string | undefined {
  if (!texts.has(path)) {
    try {
      texts.set(path, readFileSync(path, "utf8"));
    } catch {
      return undefined;
    }
  }
  return texts.get(path);
}

/** The corpus jobs and components: the seeds the mutations start from. */
const seeds = corpusFiles.filter((file) => loadYamlDocument(file, fsHost()).document !== undefined);

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 2_000) return out;
  if (Array.isArray(value)) value.forEach((item, index) => { out.push([...prefix, index]); paths(item, [...prefix, index], out); });
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: Path): { parent: Record<string | number, unknown>; key: string | number } | undefined {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  const key = path[path.length - 1];
  return typeof node === "object" && node !== null && key !== undefined ? { parent: node as Record<string | number, unknown>, key } : undefined;
}

const OTHER_TYPES: readonly unknown[] = [42, -1.5, true, false, null, "", "text", [], [1, "a"], {}, { type: "uri_folder" }, { a: { b: [null] } }];
const EXPRESSIONS = [
  "${{parent.inputs.nope}}",
  "${{parent.jobs.ghost.outputs.out}}",
  "${{parent.outputs.x}}",
  "${{parent.jobs.train_job}}",
  "${{inputs.x}}",
  "${{",
  "$[[ --flag ${{inputs.y}} ]]",
  "${{parent.inputs.}}",
  "${{ parent.inputs.a.b.c }}",
];

interface Operation {
  readonly kind: "delete" | "retype" | "reference" | "expression" | "truncate" | "garble" | "bomb" | "duplicate";
  readonly pick: number;
  readonly payload: number;
}

const operation = fc.record({
  kind: fc.constantFrom<Operation["kind"]>("delete", "retype", "reference", "expression", "truncate", "garble", "bomb", "duplicate"),
  pick: fc.nat(),
  payload: fc.nat(),
});

function references(file: string): string[] {
  return [
    "./does_not_exist.yml",
    `./${basename(file)}`,
    "file:../../missing/component.yml",
    "azureml:",
    "azureml:train:1",
    "azureml:train@latest",
    "azureml://registries/azureml/components/x/versions/1",
    "azureml://registries/broken",
    "https://example.com/c.yml",
    seeds[(file.length * 7) % seeds.length] ?? "./x.yml",
    "/",
    ".",
  ];
}

/** Applies the operations to a seed; returns the mutated text. */
function mutate(file: string, operations: readonly Operation[]): string {
  let source = text(file) ?? "";
  let value: unknown;
  try {
    value = loadPlain(source);
  } catch {
    value = undefined;
  }
  for (const op of operations) {
    const all = paths(value);
    const path = all.length ? all[op.pick % all.length] : undefined;
    const slot = path && parentOf(value, path);
    switch (op.kind) {
      case "delete":
        if (slot) {
          if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
          else delete slot.parent[slot.key];
        }
        break;
      case "retype":
        if (slot) slot.parent[slot.key] = structuredClone(OTHER_TYPES[op.payload % OTHER_TYPES.length]);
        break;
      case "reference": {
        const refs = all.filter((p) => p[p.length - 1] === "component" || p[p.length - 1] === "trial" || p[p.length - 1] === "conda_file");
        const target = refs.length ? refs[op.pick % refs.length] : path;
        const at = target && parentOf(value, target);
        const options = references(file);
        if (at) at.parent[at.key] = options[op.payload % options.length];
        break;
      }
      case "expression":
        if (slot) slot.parent[slot.key] = EXPRESSIONS[op.payload % EXPRESSIONS.length];
        break;
      case "duplicate":
        if (slot && !Array.isArray(slot.parent) && typeof slot.key === "string") slot.parent[`${slot.key}_`] = slot.parent[slot.key];
        break;
      default:
        break;
    }
  }
  try {
    source = value === undefined ? source : stringify(value, { aliasDuplicateObjects: false, logLevel: "error" });
  } catch {
    // Keep the original text.
  }
  for (const op of operations) {
    if (op.kind === "truncate") source = source.slice(0, op.payload % (source.length + 1));
    if (op.kind === "garble") {
      const at = op.payload % (source.length + 1);
      const junk = [":", "[", "{", "&a ", "*a", "\t", "- ", "'", '"', "\n  - x: y\n", "!!binary x", "? "][op.pick % 12] ?? "";
      source = source.slice(0, at) + junk + source.slice(at);
    }
    if (op.kind === "bomb") {
      source += "\nbomb0: &b0 [x, x, x, x, x, x, x, x, x, x]\n";
      for (let i = 1; i < 8; i++) source += `bomb${i}: &b${i} [${Array(10).fill(`*b${i - 1}`).join(", ")}]\n`;
    }
  }
  return source;
}

/** The seed as plain, unshared data (so one mutation never shows up twice). */
function loadPlain(source: string): unknown {
  return JSON.parse(JSON.stringify(parseYaml(source, { version: "1.1", logLevel: "error" }) ?? null));
}

describe("YAML loader robustness (fast-check)", function () {
  this.timeout(120_000);

  it(`never throws and always explains a rejection with a catalogued code (${RUNS} mutated corpus files)`, () => {
    expect(seeds.length).to.be.greaterThan(150);
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(operation, { minLength: 1, maxLength: 4 }), (index, operations) => {
        const file = seeds[index] as string;
        const mutated = mutate(file, operations);
        const host: LoadHost = { readFile: (path) => (path === file ? mutated : text(path)) };
        const result = loadYamlDocument(file, host);
        for (const d of result.diagnostics) {
          expect(d.code in CODES, `${d.code} is in the catalog`).to.equal(true);
          expect(d.code, d.message).to.not.equal("PW3115");
          expect(d.location?.file, `${d.code} has a location`).to.be.a("string");
        }
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        if (!result.document || errors.length > 0) {
          rejected++;
          expect(errors.length, "a rejected file has at least one error diagnostic").to.be.greaterThan(0);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The mutations must really break files, or the property says little.
    expect(rejected).to.be.greaterThan(RUNS / 10);
  });

  it("generates TypeScript from whatever loads, never throwing, explaining each file it cannot generate (1,000 cases)", () => {
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(operation, { minLength: 1, maxLength: 3 }), (index, operations) => {
        const file = seeds[index] as string;
        const mutated = mutate(file, operations.filter((op) => op.kind !== "bomb" && op.kind !== "truncate"));
        const host: LoadHost = { readFile: (path) => (path === file ? mutated : text(path)) };
        const result = loadYamlDocument(file, host);
        if (!result.document) return;
        const generated = generateTypeScript([{ file, document: result.document }], { outDir: "/generated", sourceRoot: dirname(file) });
        for (const d of generated.diagnostics) {
          expect(d.code in CODES, d.code).to.equal(true);
          expect(d.location?.file, `${d.code} ${d.message} points into the YAML`).to.be.a("string");
        }
        for (const out of generated.files) expect(out.content).to.match(/^\/\/ Generated by `pipewright import`/);
        const wanted = result.document.kind === "pipeline_job" ? "pipeline_job" : undefined;
        if (wanted && !generated.files.some((f) => f.kind === wanted)) {
          expect(generated.diagnostics.some((d) => d.code === "PW3117"), "a missing file is explained").to.equal(true);
        }
      }),
      { numRuns: 1_000, seed: SEED },
    );
  });

  it("reports a component file that references itself as a cycle", () => {
    const file = "/w/self.yml";
    const self = "$schema: https://azuremlschemas.azureedge.net/latest/pipelineComponent.schema.json\ntype: pipeline\nname: self\njobs:\n  again:\n    type: pipeline\n    component: ./self.yml\n";
    const result = loadYamlDocument(file, { readFile: (path) => (path === file ? self : undefined) });
    expect(result.diagnostics.map((d) => d.code)).to.include("PW3109");
  });
});
