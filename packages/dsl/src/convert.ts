/** Spec (DSL spelling) to model conversions shared by components, nodes and jobs. */
import type { EnvironmentSpec, ResourcesSpec, DistributionSpec, OutputSettings, ServiceSpec } from "./options.js";
import type {
  DistributionModel,
  EnvironmentModel,
  JobOutputModel,
  NodeOutputModel,
  ResourcesModel,
  ServiceModel,
} from "./model.js";

/** Copies the defined fields only: exactOptionalPropertyTypes forbids explicit undefined. */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}

export function environmentModel(spec: EnvironmentSpec): EnvironmentModel {
  if (typeof spec === "string") return spec;
  return Object.freeze(defined({ ...spec }));
}

export function resourcesModel(spec: ResourcesSpec): ResourcesModel {
  return Object.freeze(defined({ ...spec }));
}

export function distributionModel(spec: DistributionSpec): DistributionModel {
  return Object.freeze(defined({ ...spec })) as DistributionModel;
}

export function servicesModel(spec: Readonly<Record<string, ServiceSpec>>): Readonly<Record<string, ServiceModel>> {
  const out: Record<string, ServiceModel> = {};
  for (const [name, service] of Object.entries(spec)) out[name] = Object.freeze(defined({ ...service }));
  return Object.freeze(out);
}

export function outputSettingsModel(settings: OutputSettings): NodeOutputModel & JobOutputModel {
  return defined({ ...settings });
}

/** Deep-freezes plain data so the model cannot be changed after construction. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}
