/** `pipewright component create|list|show|archive|restore`: component versions in the local workspace registry. */
import { assetCommand } from "../assets/asset-command.js";

export const command = assetCommand("component");
