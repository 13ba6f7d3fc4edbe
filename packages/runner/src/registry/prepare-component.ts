/**
 * A component version as stored: `component.yml` (written by the compiler's `emitAsset`, so it is
 * exactly what `az ml component create -f` would take) with each local code folder copied to
 * `code/<n>/` beside it, the YAML pointing there. The stored file loads back with the compiler's
 * `loadComponent`, and its code resolves inside the blob.
 */
import { diagnostic, emitAsset, loadComponent, type Diagnostic } from "@pipewright/compiler";
import type { ComponentAssetModel, ComponentModel, NodeModel } from "@pipewright/dsl";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SNAPSHOT_EXCLUDES } from "../local/content-hash.js";
import type { BlobStore } from "./blob-store.js";
import type { PreparedContent } from "./prepare-asset.js";
import { fileHost, localPath } from "./prepare-asset.js";
import { definitionError, RegistryError } from "./registry-error.js";

export const COMPONENT_FILE = "component.yml";

export function prepareComponent(asset: ComponentAssetModel, baseDir: string, blobs: BlobStore): PreparedContent {
  const name = asset.component.name;
  const staged = blobs.stage();
  try {
    const codeFolders = new Map<string, string>();
    const problems: Diagnostic[] = [];
    const rewrite = (component: ComponentModel, top: boolean): ComponentModel => {
      let out: ComponentModel = component;
      if (top) {
        const { version: _version, ...rest } = out;
        out = rest as ComponentModel;
      }
      if (out.type === "command" && "command" in out && out.code !== undefined) {
        const folder = localPath(out.code, out.baseDir ?? baseDir);
        if (folder !== undefined) {
          if (!existsSync(folder) || !statSync(folder).isDirectory()) {
            problems.push(
              diagnostic("PW1506", `component ${out.name}: the code folder ${folder} does not exist; create it or fix code.`, {
                path: `component/${out.name}/code`,
                ...(out.location !== undefined ? { location: out.location } : {}),
              }),
            );
            return out;
          }
          let entry = codeFolders.get(folder);
          if (entry === undefined) {
            entry = `code/${codeFolders.size}`;
            codeFolders.set(folder, entry);
          }
          out = { ...out, code: join(staged.dir, entry) };
        }
      }
      if (out.type === "pipeline" && "jobs" in out) {
        const jobs: NodeModel[] = out.jobs.map((node) =>
          node.component.type === "reference" && "ref" in node.component ? node : { ...node, component: rewrite(node.component as ComponentModel, false) },
        );
        out = { ...out, jobs };
      }
      return out;
    };
    const component = rewrite(asset.component, true);
    if (problems.length) throw definitionError(`component ${name}`, problems);
    const emitted = emitAsset({ ...asset, component }, { outDir: staged.dir, path: COMPONENT_FILE, host: fileHost });
    if (!emitted.document) throw definitionError(`component ${name}`, emitted.diagnostics);
    for (const [folder, entry] of codeFolders) blobs.copyInto(staged, folder, { as: entry, excludes: SNAPSHOT_EXCLUDES });
    writeFileSync(join(staged.dir, COMPONENT_FILE), emitted.document.content);
    const displayName = asset.component.displayName;
    return {
      fields: { kind: "component", type: asset.component.type, entry: COMPONENT_FILE, ...(displayName !== undefined ? { displayName } : {}) },
      staged,
    };
  } catch (error) {
    blobs.discard(staged);
    throw error;
  }
}

/** The stored component, loaded back (its code folders inside the blob), at its registered version. */
export function loadStoredComponent(file: string, version: string): ComponentModel {
  const result = loadComponent(file, {
    readFile: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
  });
  if (!result.model) {
    throw new RegistryError("PW4503", `the stored component ${file} could not be loaded back; register it again`, result.diagnostics);
  }
  return { ...result.model, version };
}
