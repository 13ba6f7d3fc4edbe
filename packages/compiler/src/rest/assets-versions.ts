/**
 * REST bodies of versioned assets (REST.md §7.2, mfe.json 2025-12-01): DataVersions,
 * ModelVersions, EnvironmentVersions and named ComponentVersions `_CreateOrUpdate`. Pure: local
 * files are uploaded by the runner, which passes the resulting URIs (and a conda file's text) in.
 */
import type { DataAssetModel, EnvironmentAssetModel, ModelAssetModel } from "@pipewright/dsl";
import { stringify } from "yaml";
import { canonicalJson } from "./canonical-json.js";
import type { RestMap } from "./rest-values.js";

export interface AssetVersionBody {
  readonly properties: RestMap;
}

/** What every asset version carries: description, tags, properties (strings on the wire). */
function common(definition: { readonly description?: string; readonly tags?: Readonly<Record<string, string>>; readonly properties?: Readonly<Record<string, unknown>> }): RestMap {
  const out: RestMap = { isAnonymous: false, isArchived: false };
  if (definition.description !== undefined) out["description"] = definition.description;
  if (definition.tags !== undefined && Object.keys(definition.tags).length > 0) out["tags"] = { ...definition.tags };
  if (definition.properties !== undefined && Object.keys(definition.properties).length > 0) {
    const properties: Record<string, string> = {};
    for (const [key, value] of Object.entries(definition.properties)) properties[key] = typeof value === "string" ? value : JSON.stringify(value);
    out["properties"] = properties;
  }
  return out;
}

/** Azure's default data type when a definition gives none. */
export const DEFAULT_DATA_TYPE = "uri_folder";
/** Azure's default model type when a definition gives none. */
export const DEFAULT_MODEL_TYPE = "custom_model";

/** DataVersionBase: `dataType` (uri_file | uri_folder | mltable) and `dataUri`, the uploaded or given URI. */
export function dataVersionBody(definition: DataAssetModel, dataUri: string): AssetVersionBody {
  return { properties: { ...common(definition), dataType: definition.type ?? DEFAULT_DATA_TYPE, dataUri } };
}

/** ModelVersion: `modelType` (custom_model | mlflow_model | triton_model) and `modelUri`. */
export function modelVersionBody(definition: ModelAssetModel, modelUri: string): AssetVersionBody {
  return { properties: { ...common(definition), modelType: definition.type ?? DEFAULT_MODEL_TYPE, modelUri } };
}

export interface EnvironmentResolution {
  /** The conda file's text (read by the runner); an inline conda spec is written as YAML here. */
  readonly condaText?: string;
  /** The uploaded docker build context (a blob folder URL). */
  readonly contextUri?: string;
}

const OS_TYPES: Readonly<Record<string, string>> = { linux: "Linux", windows: "Windows" };

/** EnvironmentVersion: an image (with an optional conda file), or a docker build context. */
export function environmentVersionBody(definition: EnvironmentAssetModel, resolved: EnvironmentResolution = {}): AssetVersionBody {
  const out: RestMap = common(definition);
  if (definition.image !== undefined) out["image"] = definition.image;
  const conda = resolved.condaText ?? (typeof definition.condaFile === "object" ? stringify(definition.condaFile) : undefined);
  if (conda !== undefined) out["condaFile"] = conda;
  if (definition.build !== undefined && resolved.contextUri !== undefined) {
    const build: RestMap = { contextUri: resolved.contextUri };
    if (definition.build.dockerfilePath !== undefined) build["dockerfilePath"] = definition.build.dockerfilePath;
    out["build"] = build;
  }
  if (definition.osType !== undefined) out["osType"] = OS_TYPES[definition.osType.toLowerCase()] ?? definition.osType;
  return { properties: out };
}

/**
 * A component registered under its own name (`az ml component create`), from the anonymous
 * version the job path registers for it (its body, or the resource read back): same spec, named
 * and versioned, not anonymous. Read-only fields of a resource read back are dropped.
 */
export function namedComponentBody(anonymous: { readonly properties: RestMap }, name: string, version: string): AssetVersionBody {
  const { componentSpec, description, tags, properties } = structuredClone(anonymous.properties);
  const out: RestMap = { componentSpec: { ...(componentSpec as RestMap), name, version }, isAnonymous: false, isArchived: false };
  if (description !== undefined) out["description"] = description;
  if (tags !== undefined && Object.keys(tags as RestMap).length > 0) out["tags"] = tags;
  if (properties !== undefined && Object.keys(properties as RestMap).length > 0) out["properties"] = properties;
  return { properties: out };
}

/**
 * Whether a stored version holds what `body` would create: every property the body sets is
 * equal in the stored one (read-only fields the service adds are ignored).
 */
export function sameAssetContent(body: AssetVersionBody, stored: Readonly<Record<string, unknown>>): boolean {
  for (const [key, value] of Object.entries(body.properties)) {
    if (key === "isArchived") continue;
    const other = stored[key];
    if (canonicalJson(value) !== canonicalJson(other === undefined ? null : other)) return false;
  }
  return true;
}
