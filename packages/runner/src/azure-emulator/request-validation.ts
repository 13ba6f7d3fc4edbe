// Checks one ARM request against the operation the spec declares for its method and path:
// api-version, path and query parameters, content type, and the JSON body.
import type { Json } from "./json.js";
import type { OperationMatch, ParameterSpec } from "./spec-documents.js";
import type { SpecIssue, SpecValidator } from "./spec-validator.js";

/**
 * Stable api-versions of Microsoft.MachineLearningServices that carry the v2 job/asset APIs
 * (folders under `stable/` in Azure/azure-rest-api-specs). Bodies are always validated against the
 * newest one in the spec root: the request shapes pipewright sends are the same in all of them.
 */
export const KNOWN_STABLE_API_VERSIONS: readonly string[] = [
  "2022-05-01",
  "2022-10-01",
  "2023-04-01",
  "2023-10-01",
  "2024-04-01",
  "2024-10-01",
  "2025-04-01",
  "2025-06-01",
  "2025-09-01",
  "2025-12-01",
];

export interface RequestCheck {
  /** HTTP status to answer with when the request is rejected. */
  readonly status: number;
  readonly code: string;
  readonly issues: readonly SpecIssue[];
  /** The parsed body, when the operation has one and it parsed. */
  readonly body: Json | undefined;
}

export function checkApiVersion(value: string | null, accepted: readonly string[]): RequestCheck | undefined {
  if (value === null || value === "") {
    const message = "The api-version query parameter (?api-version=) is required for all requests.";
    return { status: 400, code: "MissingApiVersionParameter", issues: [{ code: "MissingApiVersionParameter", path: "query.api-version", message }], body: undefined };
  }
  if (!accepted.includes(value)) {
    const message = `The api-version '${value.slice(0, 40)}' is invalid. The supported versions are '${accepted.join(",")}'.`;
    return { status: 400, code: "InvalidApiVersionParameter", issues: [{ code: "InvalidApiVersionParameter", path: "query.api-version", message }], body: undefined };
  }
  return undefined;
}

type Coerced = { readonly value: Json } | { readonly issue: SpecIssue };

function coerceQuery(param: ParameterSpec, raw: string): Coerced {
  const type = param.schema.schema["type"];
  const path = `query.${param.name}`;
  if (type === "integer" || type === "number") {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) {
      return { issue: { code: "INVALID_TYPE", path, message: `Expected type ${type} but found ${JSON.stringify(raw.slice(0, 40))}` } };
    }
    return { value: n };
  }
  if (type === "boolean") {
    const lower = raw.toLowerCase();
    if (lower !== "true" && lower !== "false") {
      return { issue: { code: "INVALID_TYPE", path, message: `Expected type boolean but found ${JSON.stringify(raw.slice(0, 40))}` } };
    }
    return { value: lower === "true" };
  }
  if (type === "array") return { value: raw.split(",") };
  return { value: raw };
}

/**
 * Validates everything except api-version (checked first, for every ARM route). The result has
 * no issues when the request conforms; `body` is then the parsed body (if any).
 */
export function checkOperationRequest(
  validator: SpecValidator,
  match: OperationMatch,
  query: URLSearchParams,
  contentType: string | undefined,
  rawBody: Buffer,
): RequestCheck {
  const issues: SpecIssue[] = [];
  let body: Json | undefined;
  let bodyParam: ParameterSpec | undefined;
  for (const param of match.operation.parameters) {
    if (param.in === "path") {
      const value = match.pathParams[param.name];
      if (value !== undefined) issues.push(...validator.validate(param.schema, value, "request", `path.${param.name}`));
    } else if (param.in === "query" && param.name !== "api-version") {
      const values = query.getAll(param.name);
      if (values.length === 0) {
        if (param.required) issues.push({ code: "REQUIRED_PARAMETER_MISSING", path: `query.${param.name}`, message: `Missing required query parameter: ${param.name}` });
        continue;
      }
      const coerced = coerceQuery(param, values.join(","));
      if ("issue" in coerced) issues.push(coerced.issue);
      else issues.push(...validator.validate(param.schema, coerced.value, "request", `query.${param.name}`));
    } else if (param.in === "body") {
      bodyParam = param;
    }
  }
  const hasBody = rawBody.length > 0;
  if (bodyParam === undefined) {
    if (hasBody) {
      issues.push({ code: "BODY_NOT_ALLOWED", path: "body", message: `${match.operation.operationId} takes no request body, but one was sent` });
    }
  } else if (!hasBody) {
    if (bodyParam.required) issues.push({ code: "REQUIRED_PARAMETER_MISSING", path: "body", message: `${match.operation.operationId} requires a JSON request body` });
  } else if (!/^application\/(.+\+)?json\b/i.test(contentType ?? "")) {
    const message = `Content-Type must be application/json for ${match.operation.operationId}`;
    return { status: 415, code: "UnsupportedMediaType", issues: [{ code: "UnsupportedMediaType", path: "header.content-type", message }], body: undefined };
  } else {
    try {
      body = JSON.parse(rawBody.toString("utf8")) as Json;
    } catch {
      // The parser's own message quotes the input, which may hold a secret: say only what is wrong.
      issues.push({ code: "INVALID_JSON", path: "body", message: "The request body is not valid JSON" });
    }
    if (body !== undefined) issues.push(...validator.validate(bodyParam.schema, body, "request"));
  }
  return issues.length === 0 ? { status: 200, code: "", issues, body } : { status: 400, code: "UserError", issues, body };
}

export function bodyCheckSummary(operationId: string, schemaName: string | undefined, specVersion: string, issues: readonly SpecIssue[]): string {
  const what = schemaName ? `${schemaName} via ${operationId}` : operationId;
  const first = issues.slice(0, 3).map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ");
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : "";
  return `The request does not conform to the Azure ML REST specification (${specVersion}, ${what}): ${first}${more}`;
}
