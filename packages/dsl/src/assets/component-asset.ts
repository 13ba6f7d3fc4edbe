/** Component registration: a component defined with `command(...)` (or its model) as an asset of its own. */
import type { ComponentModel } from "../model.js";
import type { ComponentAssetModel } from "./asset-model.js";
import { declarationSite, freezeDefinition } from "./common.js";

/** `registerComponent(train)`: the component `az ml component create -f` registers. */
export function registerComponent(component: { readonly model: ComponentModel } | ComponentModel): ComponentAssetModel {
  const site = declarationSite();
  const model = "model" in component ? component.model : component;
  return freezeDefinition<ComponentAssetModel>({ kind: "component", component: model, location: site.location });
}
