/**
 * Checks of one resource or asset definition, as coded diagnostics (PW15xx; PW1001 for a
 * registered component's name). Names and versions against Azure's rules, secrets that are
 * not references, image references, environments with both or neither of image and build,
 * compute settings, and, when the caller can read files, local paths, conda files and whether
 * a model's or table's files match its type. A secret's value is never part of a message.
 */
import type { AssetModel, CredentialValue, EnvironmentAssetModel, SourceLocation } from "@pipewright/dsl";
import { parse } from "yaml";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import { COMPONENT_NAME_PATTERN } from "../schema/patterns.js";
import { resolveAssetPath } from "./asset-paths.js";
import { checkLocalFiles } from "./check-files.js";
import type { AssetHost } from "./host.js";
import {
  ASSET_NAME_PATTERN,
  ASSET_NAME_RULE,
  COMPONENT_NAME_RULE,
  COMPUTE_NAME_RULE,
  isComputeName,
  isImageReference,
  VERSION_PATTERN,
  VERSION_RULE,
  WORKSPACE_NAME_PATTERN,
  WORKSPACE_NAME_RULE,
} from "./rules.js";

export type KeyPath = readonly (string | number)[];

export interface CheckAssetOptions {
  /** Reads files (conda files, model folders); without it, nothing on disk is checked. */
  readonly host?: AssetHost;
  /** Where a YAML key of the definition is (the loader passes one); @default the definition's location */
  readonly locate?: (keys: KeyPath) => SourceLocation | undefined;
}

/** Reports a problem at a YAML key of the definition being checked. */
export type Report = (code: DiagnosticCode, message: string, keys: KeyPath) => void;

const LABELS: Readonly<Record<string, string>> = {
  workspace: "workspace",
  compute: "compute",
  datastore: "datastore",
  data: "data asset",
  model: "model",
  environment: "environment",
  component: "component",
};

export function checkAsset(asset: AssetModel, options: CheckAssetOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const name = asset.kind === "component" ? asset.component.name : asset.name;
  const fallback = asset.kind === "component" ? (asset.location ?? asset.component.location) : asset.location;
  const report: Report = (code, message, keys) => {
    const location = options.locate?.(keys) ?? fallback;
    diagnostics.push(diagnostic(code, message, { path: [asset.kind, name, ...keys].join("/"), location }));
  };
  const label = LABELS[asset.kind] ?? asset.kind;
  checkName(asset, name, label, report);
  if (asset.kind === "data" || asset.kind === "model" || asset.kind === "environment" || asset.kind === "component") {
    const version = asset.kind === "component" ? asset.component.version : asset.version;
    if (version !== undefined && !VERSION_PATTERN.test(version)) {
      report("PW1502", `${label} ${name} has version ${JSON.stringify(version)}; Azure ML versions are ${VERSION_RULE}.`, ["version"]);
    }
  }
  if (asset.kind === "environment") checkEnvironment(asset, report, options.host);
  if (asset.kind === "compute") checkCompute(asset, report);
  if (asset.kind === "datastore" && asset.credentials) {
    const creds = asset.credentials;
    if (creds.type === "account_key") checkSecret(creds.accountKey, ["credentials", "account_key"], report);
    else if (creds.type === "sas") checkSecret(creds.sasToken, ["credentials", "sas_token"], report);
    else if (creds.type === "service_principal") checkSecret(creds.clientSecret, ["credentials", "client_secret"], report);
    else checkSecret(creds.certificate, ["credentials", "certificate"], report);
  }
  if (options.host && (asset.kind === "data" || asset.kind === "model")) checkLocalFiles(asset, options.host, report);
  return diagnostics;
}

function checkName(asset: AssetModel, name: string, label: string, report: Report): void {
  const fix = "rename it";
  if (asset.kind === "component") {
    if (!COMPONENT_NAME_PATTERN.test(name)) {
      report("PW1001", `Component name ${JSON.stringify(name)} cannot be registered: Azure ML component names are ${COMPONENT_NAME_RULE}; ${fix}.`, ["name"]);
    }
    return;
  }
  const [valid, rule] =
    asset.kind === "workspace"
      ? [WORKSPACE_NAME_PATTERN.test(name), WORKSPACE_NAME_RULE]
      : asset.kind === "compute"
        ? [isComputeName(name), COMPUTE_NAME_RULE]
        : [ASSET_NAME_PATTERN.test(name), ASSET_NAME_RULE];
  if (!valid) report("PW1501", `${label} name ${JSON.stringify(name)} is outside Azure's rules: ${label} names are ${rule}; ${fix}.`, ["name"]);
}

function checkEnvironment(env: EnvironmentAssetModel, report: Report, host: AssetHost | undefined): void {
  const hasImage = env.image !== undefined;
  const hasBuild = env.build !== undefined;
  if (hasImage === hasBuild) {
    report(
      "PW1508",
      hasImage
        ? `environment ${env.name} has both an image and a build context; Azure builds from one or the other: keep one.`
        : `environment ${env.name} has neither an image nor a build context; give a docker image (optionally with a conda file) or a build folder.`,
      [hasImage ? "build" : "name"],
    );
  }
  if (env.image !== undefined && !isImageReference(env.image)) {
    report(
      "PW1504",
      `environment ${env.name} has image ${JSON.stringify(env.image)}, which is not a docker image reference ` +
        "([registry/]repository[:tag][@digest], lowercase repository); fix the image name.",
      ["image"],
    );
  }
  if (host && typeof env.condaFile === "string") checkCondaFile(env, env.condaFile, report, host);
  if (host?.listFolder && env.build) {
    const folder = resolveAssetPath(env.build.path, env.baseDir);
    if (folder !== undefined && host.listFolder(folder) === undefined) {
      report("PW1506", `environment ${env.name}: the build context folder ${folder} does not exist; create it or fix build.path.`, ["build", "path"]);
    }
  }
}

function checkCondaFile(env: EnvironmentAssetModel, condaFile: string, report: Report, host: AssetHost): void {
  const file = resolveAssetPath(condaFile, env.baseDir);
  if (file === undefined) return;
  const text = host.readFile(file);
  if (text === undefined) {
    report("PW1506", `environment ${env.name}: the conda file ${file} does not exist; create it or fix conda_file.`, ["conda_file"]);
    return;
  }
  if (!isYamlMapping(text)) {
    report(
      "PW1505",
      `environment ${env.name}: the conda file ${file} is not a YAML mapping (a conda environment has name, channels and dependencies); fix the file.`,
      ["conda_file"],
    );
  }
}

function checkCompute(compute: Extract<AssetModel, { kind: "compute" }>, report: Report): void {
  if (compute.type === "amlcompute") {
    const { minInstances: min, maxInstances: max } = compute;
    if (min !== undefined && max !== undefined && min > max) {
      report("PW1509", `compute ${compute.name} has min_instances ${min} above max_instances ${max}; lower min_instances or raise max_instances.`, ["min_instances"]);
    }
    if (max !== undefined && max < 1) report("PW1509", `compute ${compute.name} has max_instances ${max}; a cluster needs at least 1.`, ["max_instances"]);
    if (compute.tier !== undefined && !["dedicated", "low_priority"].includes(compute.tier.toLowerCase())) {
      report("PW1509", `compute ${compute.name} has tier ${JSON.stringify(compute.tier)}; use "dedicated" or "low_priority".`, ["tier"]);
    }
    checkSecret(compute.sshSettings?.adminPassword, ["ssh_settings", "admin_password"], report);
  } else if (compute.type === "computeinstance") {
    const idle = compute.idleTimeBeforeShutdownMinutes;
    // Azure ML documents auto-stop bounds of 15 minutes to 3 days for compute instances.
    if (idle !== undefined && (idle < 15 || idle > 4320)) {
      report("PW1509", `compute ${compute.name} has idle_time_before_shutdown_minutes ${idle}; Azure accepts 15 to 4320 (3 days).`, ["idle_time_before_shutdown_minutes"]);
    }
  } else if (compute.type === "virtualmachine") {
    checkSecret(compute.sshSettings?.adminPassword, ["ssh_settings", "admin_password"], report);
  }
}

const SOURCE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkSecret(value: CredentialValue | undefined, keys: KeyPath, report: Report): void {
  if (value === undefined) return;
  const key = keys.join(".");
  if (value.kind === "inline_secret") {
    report(
      "PW1503",
      `${key} is written inline; pipewright never writes secrets into YAML. Pass secret.env("NAME") in TypeScript, ` +
        `or write <secret:env:NAME> in YAML, and set the environment variable NAME when the resource is created.`,
      keys,
    );
    return;
  }
  const nameOk = value.source === "env" ? ENV_NAME.test(value.name) : value.name.length > 0 && !/\s/.test(value.name);
  if (!SOURCE_NAME.test(value.source) || !nameOk) {
    report(
      "PW1510",
      `${key} refers to secret ${JSON.stringify(value.name)} in source ${JSON.stringify(value.source)}, which is not a usable reference; ` +
        "use secret.env(\"NAME\") with an environment variable name (letters, digits, '_') or secret.from(source, name).",
      keys,
    );
  }
}

function isYamlMapping(text: string): boolean {
  try {
    const value: unknown = parse(text, { maxAliasCount: 100 });
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
