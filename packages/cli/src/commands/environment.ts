/** `pipewright environment create|list|show|archive|restore`: environment versions in the local workspace registry. */
import { assetCommand } from "../assets/asset-command.js";

export const command = assetCommand("environment");
