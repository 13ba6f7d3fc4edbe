/** What every definition function does: capture where it was declared and freeze the result. */
import { deepFreeze, defined } from "../convert.js";
import { captureLocation, folderOf, type SourceLocation } from "../location.js";

/** Fields every resource and asset definition accepts. */
export interface DefinitionSpec {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface DeclarationSite {
  readonly location?: SourceLocation;
  /** The folder of the declaring file: relative local paths resolve against it. */
  readonly baseDir?: string;
}

export function declarationSite(): DeclarationSite {
  const location = captureLocation();
  return location === undefined ? {} : { location, baseDir: folderOf(location.file) };
}

/** `T` with `undefined` allowed on its optional fields, as built from a spec before cleaning. */
export type Loose<T> = { [K in keyof T]: T[K] | (undefined extends T[K] ? undefined : never) };

/** Drops undefined fields (exactOptionalPropertyTypes), then deep-freezes. */
export function freezeDefinition<T extends object>(value: Loose<T>): T {
  return deepFreeze(defined(value) as T);
}

export function copyMap<V>(map: Readonly<Record<string, V>> | undefined): Readonly<Record<string, V>> | undefined {
  return map === undefined ? undefined : { ...map };
}

export function versionText(version: string | number | undefined): string | undefined {
  return version === undefined ? undefined : String(version);
}
