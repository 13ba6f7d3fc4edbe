/** The Azure ML backend's fixed points: the one api-version, the token scopes, the public ARM host. */

/** The ARM api-version every call carries (overridable per client). REST.md §1. */
export const DEFAULT_API_VERSION = "2024-04-01";
export const ARM_SCOPE = "https://management.azure.com/.default";
/** The second token a pipeline job PUT carries as `x-azureml-token`. */
export const ML_SCOPE = "https://ml.azure.com/.default";
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
