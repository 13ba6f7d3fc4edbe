/** `pipewright model create|list|show|archive|restore`: model versions in the local workspace registry. */
import { assetCommand } from "../assets/asset-command.js";

export const command = assetCommand("model");
