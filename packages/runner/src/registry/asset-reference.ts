/**
 * Asset references as jobs write them: `azureml:<name>:<version>`, `azureml:<name>@<label>`,
 * bare `azureml:<name>` (the latest version), and the long forms ending in
 * `/<kind>/<name>/versions/<v>` or `/labels/<l>`. Registry and job URIs are recognised so they
 * can be refused with a clear sentence.
 */
import type { RegistryKind } from "./records.js";

export type AssetSelector = { readonly version: string } | { readonly label: string };

export type ParsedReference =
  | { readonly kind: "asset"; readonly name: string; readonly selector: AssetSelector; readonly assetKind?: RegistryKind }
  | { readonly kind: "unsupported"; readonly why: string };

const LONG_FORM = /\/(data|models|environments|components)\/([^/]+)\/(versions|labels)\/([^/]+)$/;
const KIND_OF_SEGMENT: Readonly<Record<string, RegistryKind>> = { data: "data", models: "model", environments: "environment", components: "component" };

export function isAssetReference(value: string): boolean {
  return value.startsWith("azureml:") && !value.startsWith("azureml://datastores/");
}

export function parseAssetReference(ref: string): ParsedReference {
  if (!ref.startsWith("azureml:")) return { kind: "unsupported", why: "it does not start with azureml:" };
  const body = ref.slice("azureml:".length);
  if (body.startsWith("//registries/")) return { kind: "unsupported", why: "it names an asset in an Azure ML registry, which the local workspace does not hold" };
  const long = LONG_FORM.exec(body);
  if (long && (body.startsWith("/") || body.startsWith("//"))) {
    const [, segment = "", name = "", how, value = ""] = long;
    const assetKind = KIND_OF_SEGMENT[segment];
    const selector = how === "versions" ? { version: value } : { label: value };
    return { kind: "asset", name, selector, ...(assetKind !== undefined ? { assetKind } : {}) };
  }
  if (body.startsWith("/")) return { kind: "unsupported", why: "it is a URI the local workspace cannot resolve (use azureml:<name>:<version>)" };
  return parseShortReference(body) ?? { kind: "unsupported", why: "it is not of the form azureml:<name>:<version> or azureml:<name>@<label>" };
}

/** `name`, `name:version` or `name@label` (what `show` takes, without the `azureml:` prefix). */
export function parseShortReference(text: string): ParsedReference | undefined {
  const at = text.lastIndexOf("@");
  if (at > 0) {
    const label = text.slice(at + 1);
    return label ? { kind: "asset", name: text.slice(0, at), selector: { label } } : undefined;
  }
  const colon = text.indexOf(":");
  if (colon === 0 || text === "") return undefined;
  if (colon < 0) return { kind: "asset", name: text, selector: { label: "latest" } };
  const version = text.slice(colon + 1);
  return version ? { kind: "asset", name: text.slice(0, colon), selector: { version } } : undefined;
}

export function describeSelector(name: string, selector: AssetSelector): string {
  return "version" in selector ? `${name}:${selector.version}` : `${name}@${selector.label}`;
}
