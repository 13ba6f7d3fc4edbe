/**
 * Which workspace: explicit values first, then the `config.json` (or `.azureml/config.json`)
 * that `MLClient.from_config()` reads, searched upwards from a folder. Environment variables are
 * read by the CLI, which passes them in as explicit values.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AzureError } from "./azure-error.js";

export interface WorkspaceCoordinates {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly workspaceName: string;
}

export interface WorkspaceHints {
  readonly subscriptionId?: string | undefined;
  readonly resourceGroup?: string | undefined;
  readonly workspaceName?: string | undefined;
  /** A config file to read instead of searching. */
  readonly configPath?: string | undefined;
  /** Where the upward search starts. */
  readonly cwd?: string;
}

/** The nearest `config.json` or `.azureml/config.json` at or above `from`. */
export function findWorkspaceConfig(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    for (const candidate of [join(dir, "config.json"), join(dir, ".azureml", "config.json")]) {
      if (existsSync(candidate) && looksLikeWorkspaceConfig(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function looksLikeWorkspaceConfig(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    return typeof parsed === "object" && parsed !== null && ("subscription_id" in parsed || "workspace_name" in parsed);
  } catch {
    return false;
  }
}

export function readWorkspaceConfig(path: string): Partial<WorkspaceCoordinates> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new AzureError("PW4608", `${path}: not a JSON workspace config (${error instanceof Error ? error.message : String(error)}); it should hold subscription_id, resource_group and workspace_name`);
  }
  if (typeof parsed !== "object" || parsed === null) throw new AzureError("PW4608", `${path}: expected a JSON object with subscription_id, resource_group and workspace_name`);
  const map = parsed as Record<string, unknown>;
  const pick = (...keys: string[]): string | undefined => {
    for (const key of keys) if (typeof map[key] === "string" && map[key] !== "") return map[key];
    return undefined;
  };
  const out: { subscriptionId?: string; resourceGroup?: string; workspaceName?: string } = {};
  const sub = pick("subscription_id", "subscriptionId");
  const rg = pick("resource_group", "resourceGroup");
  const ws = pick("workspace_name", "workspaceName", "workspace");
  if (sub !== undefined) out.subscriptionId = sub;
  if (rg !== undefined) out.resourceGroup = rg;
  if (ws !== undefined) out.workspaceName = ws;
  return out;
}

/** Explicit values win over the config file; a clear error names whatever is still missing. */
export function resolveWorkspace(hints: WorkspaceHints): WorkspaceCoordinates & { readonly configPath?: string } {
  const explicitComplete = hints.subscriptionId && hints.resourceGroup && hints.workspaceName;
  const configPath = explicitComplete ? undefined : (hints.configPath ?? (hints.cwd !== undefined ? findWorkspaceConfig(hints.cwd) : undefined));
  const fromFile = configPath !== undefined ? readWorkspaceConfig(configPath) : {};
  const subscriptionId = hints.subscriptionId || fromFile.subscriptionId;
  const resourceGroup = hints.resourceGroup || fromFile.resourceGroup;
  const workspaceName = hints.workspaceName || fromFile.workspaceName;
  const missing: string[] = [];
  if (!subscriptionId) missing.push("subscription (--subscription or AZURE_SUBSCRIPTION_ID)");
  if (!resourceGroup) missing.push("resource group (--resource-group or AZURE_RESOURCE_GROUP)");
  if (!workspaceName) missing.push("workspace (--workspace or AZUREML_WORKSPACE_NAME)");
  if (missing.length > 0 || !subscriptionId || !resourceGroup || !workspaceName) {
    const where = configPath !== undefined ? `${configPath} does not give them` : "no config.json or .azureml/config.json was found in this folder or above";
    throw new AzureError("PW4601", `no Azure ML workspace: missing ${missing.join(", ")}; ${where}. Download config.json from the workspace's page in Azure ML studio, or pass the flags.`);
  }
  return { subscriptionId, resourceGroup, workspaceName, ...(configPath !== undefined ? { configPath } : {}) };
}
