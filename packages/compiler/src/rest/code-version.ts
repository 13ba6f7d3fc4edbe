/** The CodeVersions_CreateOrUpdate body for an uploaded folder (REST.md §2, step 3.1). */

/** The Python SDK's content-hash scheme version for code folders. */
export const CODE_HASH_VERSION = "202208";

export function codeVersionBody(codeUri: string, sha256: string): { readonly properties: Record<string, unknown> } {
  return { properties: { codeUri, isAnonymous: true, properties: { hash_sha256: sha256, hash_version: CODE_HASH_VERSION } } };
}
