/** `pipewright data create|list|show|archive|restore`: data versions in the local workspace registry. */
import { assetCommand } from "../assets/asset-command.js";

export const command = assetCommand("data");
