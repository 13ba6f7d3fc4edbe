/**
 * Azure's rules for resource and asset names, versions and image references, as data the
 * checks and the zod schemas share. Sources:
 * - asset, datastore and component-version names: the `name` path parameter pattern of every
 *   data/model/environment/component/datastore PUT in the ML REST spec (mfe.json, 2025-12-01);
 * - workspace names: `WorkspaceNameParameter` in machineLearningServices.json (2025-12-01);
 * - compute names: Azure ML's "create compute" documentation (3 to 24 characters, letters,
 *   digits and `-`, starting with a letter, a `-` followed by at least one letter later);
 * - registered component names: FIELDS.md §1 (COMPONENT_NAME_PATTERN).
 */
export const ASSET_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
export const WORKSPACE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;
export const COMPUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{2,23}$/;

/**
 * The REST spec gives versions no pattern, but a version is a URL path segment and follows `:`
 * in `azureml:<name>:<version>`, so pipewright accepts what survives both: letters, digits,
 * `.`, `-`, `_`, starting with a letter or digit, at most 255 characters.
 */
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export const ASSET_NAME_RULE = "1 to 255 characters: letters, digits, '-' and '_', starting with a letter or digit";
export const WORKSPACE_NAME_RULE = "3 to 33 characters: letters, digits, '-' and '_', starting with a letter or digit";
export const COMPUTE_NAME_RULE =
  "3 to 24 characters: letters, digits and '-', starting with a letter, and a '-' must be followed by a letter somewhere after it";
export const COMPONENT_NAME_RULE = "lowercase letters, digits and '_', starting with a lowercase letter";
export const VERSION_RULE = "1 to 255 characters: letters, digits, '.', '-' and '_', starting with a letter or digit";

export function isComputeName(name: string): boolean {
  if (!COMPUTE_NAME_PATTERN.test(name)) return false;
  const hyphen = name.lastIndexOf("-");
  return hyphen < 0 || /[A-Za-z]/.test(name.slice(hyphen + 1));
}

// Docker's reference grammar (distribution/reference): [domain/]path[:tag][@digest].
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?)`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** Whether `image` is a well-formed docker image reference (name at most 255 characters). */
export function isImageReference(image: string): boolean {
  const match = IMAGE_REFERENCE.exec(image);
  return match !== null && (match[1]?.length ?? 0) <= 255;
}
