/**
 * Data and model paths checked against the files the caller can see: the path exists, a
 * `uri_file` is a file and a `uri_folder` a folder, an `mltable` folder holds an `MLTable` file,
 * an `mlflow_model` folder holds an `MLmodel` file, a `triton_model` is a folder (a model
 * repository). Only local paths are checked, and only when the host can list folders.
 */
import type { DataAssetModel, ModelAssetModel } from "@pipewright/dsl";
import { resolveAssetPath } from "./asset-paths.js";
import type { Report } from "./check-asset.js";
import type { AssetHost } from "./host.js";

type Entry = { readonly kind: "file" } | { readonly kind: "folder"; readonly names: readonly string[] } | { readonly kind: "missing" };

function entryAt(path: string, host: AssetHost): Entry | undefined {
  if (!host.listFolder) return undefined;
  const names = host.listFolder(path);
  if (names !== undefined) return { kind: "folder", names };
  return host.readFile(path) === undefined ? { kind: "missing" } : { kind: "file" };
}

export function checkLocalFiles(asset: DataAssetModel | ModelAssetModel, host: AssetHost, report: Report): void {
  const path = resolveAssetPath(asset.path, asset.baseDir);
  if (path === undefined) return;
  const entry = entryAt(path, host);
  if (entry === undefined) return;
  const label = asset.kind === "data" ? "data asset" : "model";
  const type = asset.type ?? (asset.kind === "data" ? "uri_folder" : "custom_model");
  if (entry.kind === "missing") {
    report("PW1506", `${label} ${asset.name}: ${path} does not exist; create it or fix path.`, ["path"]);
    return;
  }
  const mismatch = (message: string): void => report("PW1507", `${label} ${asset.name} is a ${type}, but ${path} ${message}`, ["type"]);
  if (type === "uri_file" && entry.kind === "folder") mismatch("is a folder; use uri_folder or point at a file.");
  else if (type === "uri_folder" && entry.kind === "file") mismatch("is a file; use uri_file or point at a folder.");
  else if (type === "mltable") {
    if (entry.kind === "file") mismatch("is a file; an mltable is a folder holding an MLTable file.");
    else if (!entry.names.includes("MLTable")) mismatch("has no MLTable file; add one or use uri_folder.");
  } else if (type === "mlflow_model") {
    if (entry.kind === "file") mismatch("is a file; an MLflow model is a folder holding an MLmodel file.");
    else if (!entry.names.includes("MLmodel")) mismatch("has no MLmodel file; save the model with MLflow or use custom_model.");
  } else if (type === "triton_model" && entry.kind === "file") {
    mismatch("is a file; a Triton model is a model repository folder.");
  }
}
