export { emitAsset } from "./emit-asset.js";
export type { EmitAssetOptions, EmitAssetResult, AssetDocument } from "./emit-asset.js";
export type { SecretPlacement } from "./render.js";
export { loadAsset } from "./load-asset.js";
export type { LoadAssetResult } from "./load-asset.js";
export { checkAsset } from "./check-asset.js";
export type { CheckAssetOptions } from "./check-asset.js";
export type { AssetHost } from "./host.js";
export {
  ASSET_NAME_PATTERN,
  WORKSPACE_NAME_PATTERN,
  COMPUTE_NAME_PATTERN,
  VERSION_PATTERN,
  isComputeName,
  isImageReference,
} from "./rules.js";
export { ASSET_SCHEMAS } from "./schemas.js";
export { assetSchemaUrl } from "./schema-urls.js";
