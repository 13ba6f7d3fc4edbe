/**
 * `emitAsset`: one resource or asset definition to the YAML `az ml <kind> create -f` takes,
 * with its `$schema` line and local paths relative to the emitted file. The definition is
 * checked first; with any error there is no document, never a half-written one. Secrets are
 * written as `<secret:SOURCE:NAME>` placeholders and listed in `secrets`, for the runner to fill
 * in at creation: their values never pass through the compiler.
 */
import type { AssetKind, AssetModel } from "@pipewright/dsl";
import { posix } from "node:path";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { yamlText } from "../emit/yaml-text.js";
import { checkAsset } from "./check-asset.js";
import type { AssetHost } from "./host.js";
import { renderAsset, type SecretPlacement } from "./render.js";

export interface EmitAssetOptions {
  /** Absolute folder the document is meant for; local paths are written relative to it. */
  readonly outDir: string;
  /** The document's path inside `outDir`. @default `<kind>/<name>.yml` */
  readonly path?: string;
  /** Lets the checks read conda files and model folders. @default nothing on disk is checked */
  readonly host?: AssetHost;
}

export interface AssetDocument {
  /** Relative to `outDir`, forward slashes. */
  readonly path: string;
  readonly kind: AssetKind;
  /** The YAML text, starting with its `$schema` line. */
  readonly content: string;
  /** Placeholders the runner replaces with secret values when it creates the resource. */
  readonly secrets: readonly SecretPlacement[];
}

export interface EmitAssetResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when there are error diagnostics. */
  readonly document?: AssetDocument;
}

export function emitAsset(asset: AssetModel, options: EmitAssetOptions): EmitAssetResult {
  const diagnostics: Diagnostic[] = checkAsset(asset, options.host ? { host: options.host } : {});
  if (hasErrors(diagnostics)) return { diagnostics };
  const name = asset.kind === "component" ? asset.component.name : asset.name;
  const path = (options.path ?? `${asset.kind}/${name}.yml`).replace(/\\/g, "/").replace(/^\.\//, "");
  const fileDir = posix.dirname(posix.join(rootedFolder(options.outDir), path));
  const secrets: SecretPlacement[] = [];
  const body = renderAsset(asset, { fileDir, secrets, diagnostics });
  return { diagnostics, document: { path, kind: asset.kind, content: yamlText(body), secrets } };
}

function rootedFolder(folder: string): string {
  const path = folder.replace(/\\/g, "/");
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join("/", path);
}
