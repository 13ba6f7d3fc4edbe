// The emulator's spec validator as a library: lets a test check a REST body (for example the
// compiler's PUT bodies, or the emulator's own responses) against the Azure ML spec without a server.
import type { Json } from "./json.js";
import { findDefaultSpecRoot, SpecDocuments } from "./spec-documents.js";
import { SpecValidator, type SpecIssue, type ValidationMode } from "./spec-validator.js";

export interface AzureMlSpecCheck {
  /** The api-version folder the spec comes from, e.g. "2025-12-01". */
  readonly apiVersion: string;
  /** Checks a request body for an operation (e.g. "Jobs_CreateOrUpdate"); read-only fields are ignored. */
  requestBody(operationId: string, body: Json): SpecIssue[];
  /** Checks a response body for an operation and status (falling back to the "default" response). */
  responseBody(operationId: string, status: number, body: Json): SpecIssue[];
  /** Checks a value against a named definition of the main spec document (e.g. "PipelineJob"). */
  definition(name: string, value: Json, mode: ValidationMode): SpecIssue[];
}

export function loadAzureMlSpecCheck(specRoot: string | undefined = findDefaultSpecRoot()): AzureMlSpecCheck {
  if (specRoot === undefined) throw new Error("loadAzureMlSpecCheck: could not find shared/azureml/rest; pass the folder that contains specification/.");
  const docs = SpecDocuments.load(specRoot);
  const validator = new SpecValidator(docs);
  const operation = (operationId: string) => {
    const found = docs.operationById(operationId);
    if (!found) throw new Error(`No operation ${operationId} in the ${docs.apiVersion} spec.`);
    return found;
  };
  return {
    apiVersion: docs.apiVersion,
    requestBody(operationId, body) {
      const param = operation(operationId).parameters.find((p) => p.in === "body");
      if (!param) throw new Error(`${operationId} takes no request body.`);
      return validator.validate(param.schema, body, "request");
    },
    responseBody(operationId, status, body) {
      const op = operation(operationId);
      const response = op.responses[String(status)] ?? op.responses["default"];
      const schema = typeof response === "object" && response !== null && !Array.isArray(response) ? response["schema"] : undefined;
      if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
        return body === null ? [] : [{ code: "NO_RESPONSE_SCHEMA", path: "", message: `${operationId} declares no body for status ${status}` }];
      }
      return validator.validate({ file: op.file, schema }, body, "response");
    },
    definition(name, value, mode) {
      return validator.validateDefinition(name, value, mode);
    },
  };
}
