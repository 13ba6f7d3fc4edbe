// The Azure ML corpus for the YAML interop tests: every YAML file, a file-system load host, and
// the wrapping that lets a lone component go through the pipeline job emitter.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { ComponentModel, PipelineJobModel } from "@pipewright/dsl";
import type { LoadHost } from "@pipewright/compiler";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const corpusRoot = resolve(repoRoot, "../shared/azureml/corpus");

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (/\.ya?ml$/i.test(entry)) out.push(full);
  }
  return out;
}

/** Every YAML file of the corpus, absolute, sorted. */
export const corpusFiles: readonly string[] = walk(corpusRoot);

export function corpusName(file: string): string {
  return relative(corpusRoot, file).split(sep).join("/");
}

/** Reads from disk; `overlay` (absolute path -> text) shadows it, e.g. emitted documents. */
export function fsHost(overlay: ReadonlyMap<string, string> = new Map()): LoadHost {
  return {
    readFile(path) {
      const shadow = overlay.get(path);
      if (shadow !== undefined) return shadow;
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** A one-node pipeline job around a component, so the emitter writes the component's file. */
export function wrapComponent(component: ComponentModel): PipelineJobModel {
  return {
    type: "pipeline_job",
    settings: {},
    inputs: {},
    outputs: {},
    pipeline: {
      type: "pipeline",
      name: "wrapper",
      inputs: {},
      outputs: {},
      jobs: [{ name: "node", type: component.type, component, inputs: {}, outputs: {} }],
    },
  };
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

const LOCAL_PATH_FIELDS = new Set(["code", "condaFile", "additionalIncludes"]);

function isLocal(value: string): boolean {
  return value !== "" && !/^(?:azureml:|git\+|[A-Za-z][A-Za-z0-9+.-]*:\/\/|\$\{\{)/.test(value);
}

/**
 * A model as plain data for comparing two loads: locations and baseDirs left out, local paths
 * (code, conda files, data, includes, build contexts) resolved against their baseDir so the same
 * file written from another folder compares equal, and a shared component compared by value.
 */
export function comparableModel(value: unknown, baseDir?: string, key?: string): Plain {
  if (Array.isArray(value)) return value.map((item) => comparableModel(item, baseDir, key));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const here = typeof record["baseDir"] === "string" ? record["baseDir"] : baseDir;
    const out: Record<string, Plain> = {};
    for (const name of Object.keys(record).sort()) {
      if (name === "location" || name === "baseDir") continue;
      const item = record[name];
      if (item === undefined) continue;
      const isPath =
        LOCAL_PATH_FIELDS.has(name) ||
        (name === "path" && (record["kind"] === "data" || key === "build"));
      out[name] = isPath && typeof item === "string" && isLocal(item) && here
        ? resolve(here, item.replace(/^file:/, ""))
        : comparableModel(item, here, name);
    }
    return out;
  }
  if (typeof value === "string" && LOCAL_PATH_FIELDS.has(key ?? "") && isLocal(value) && baseDir) {
    return resolve(baseDir, value.replace(/^file:/, ""));
  }
  return value as Plain;
}
