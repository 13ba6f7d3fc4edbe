// The Microsoft Entra side of the emulator: the OpenID discovery document and v2.0 token endpoint
// that MSAL (inside @azure/identity's credentials) calls, and the checks ARM and the data plane
// make on the bearer tokens it issued. Tokens are HS256 JWTs signed with a per-process key; their
// expiry is wall-clock time, because MSAL caches them by wall-clock time.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { errorResponse, header, jsonResponse, type EmulatorRequest, type EmulatorResponse } from "./http.js";
import { isJsonObject, type Json } from "./json.js";

export interface EmulatorAuthOptions {
  /** Client id -> secret. When given, other clients and wrong secrets get `invalid_client`. */
  readonly clients?: Readonly<Record<string, string>>;
  /** @default 3600 */
  readonly tokenLifetimeSeconds?: number;
}

export const ARM_AUDIENCES: readonly string[] = ["https://management.azure.com", "https://management.core.windows.net"];
export const ML_AUDIENCE = "https://ml.azure.com";

export interface TokenClaims {
  readonly aud: string;
  readonly appid: string;
  readonly tid: string;
  readonly exp: number;
}

type Verified = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly code: string; readonly message: string };

const TOKEN_PATH = /^\/([^/]+)\/oauth2(?:\/v2\.0)?\/token\/?$/;
const OPENID_PATH = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration\/?$/;
const INSTANCE_PATH = /^\/([^/]+)\/discovery\/instance\/?$/;
const KEYS_PATH = /^\/([^/]+)\/discovery(?:\/v2\.0)?\/keys\/?$/;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

function normaliseAudience(aud: string): string {
  return aud.replace(/\/+$/, "").toLowerCase();
}

function aadError(status: number, error: string, code: number, description: string): EmulatorResponse {
  return {
    ...jsonResponse(status, { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code] }),
    errorCode: error,
  };
}

export class TokenAuthority {
  readonly #baseUrl: string;
  readonly #key = randomBytes(32);
  readonly #options: EmulatorAuthOptions;
  /** Token requests served, by audience; lets tests see which scopes a client asked for. */
  readonly issued: { readonly clientId: string; readonly audience: string }[] = [];

  constructor(baseUrl: string, options: EmulatorAuthOptions = {}) {
    this.#baseUrl = baseUrl;
    this.#options = options;
  }

  static isAuthorityPath(path: string): boolean {
    return TOKEN_PATH.test(path) || OPENID_PATH.test(path) || INSTANCE_PATH.test(path) || KEYS_PATH.test(path);
  }

  handle(request: EmulatorRequest): EmulatorResponse {
    const response = this.#route(request);
    const operationId = TOKEN_PATH.test(request.path) ? "Authority_Token" : OPENID_PATH.test(request.path) ? "Authority_OpenIdConfiguration" : "Authority_Discovery";
    return { ...response, operationId };
  }

  #route(request: EmulatorRequest): EmulatorResponse {
    const { path } = request;
    const openid = OPENID_PATH.exec(path);
    if (openid && request.method === "GET") {
      const tenant = openid[1] ?? "common";
      const authority = `${this.#baseUrl}/${tenant}`;
      return jsonResponse(200, {
        issuer: `${authority}/v2.0`,
        authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
        token_endpoint: `${authority}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        jwks_uri: `${authority}/discovery/v2.0/keys`,
        response_types_supported: ["code", "id_token", "token id_token", "token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        tenant_region_scope: null,
        cloud_instance_name: "pipewright.emulator",
      });
    }
    const instance = INSTANCE_PATH.exec(path);
    if (instance && request.method === "GET") {
      const host = new URL(this.#baseUrl).host;
      return jsonResponse(200, {
        tenant_discovery_endpoint: `${this.#baseUrl}/${instance[1] ?? "common"}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    if (KEYS_PATH.test(path) && request.method === "GET") return jsonResponse(200, { keys: [] });
    const token = TOKEN_PATH.exec(path);
    if (token && request.method === "POST") return this.#token(token[1] ?? "common", request);
    return errorResponse(405, "MethodNotAllowed", `${request.method} is not supported on this authority route`);
  }

  #token(tenant: string, request: EmulatorRequest): EmulatorResponse {
    const form = new URLSearchParams(request.body.toString("utf8"));
    const grant = form.get("grant_type");
    if (grant !== "client_credentials") {
      return aadError(400, "unsupported_grant_type", 70003, "The emulator issues tokens for the client_credentials grant only.");
    }
    let clientId = form.get("client_id") ?? "";
    let secret = form.get("client_secret");
    const basic = header(request, "authorization");
    if (basic?.toLowerCase().startsWith("basic ")) {
      const [id, pass] = Buffer.from(basic.slice(6), "base64").toString("utf8").split(":");
      clientId ||= decodeURIComponent(id ?? "");
      secret ??= decodeURIComponent(pass ?? "");
    }
    const assertion = form.get("client_assertion");
    if (clientId === "") return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
    if (!secret && !assertion) {
      return aadError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    const known = this.#options.clients;
    if (known !== undefined) {
      const expected = known[clientId];
      if (expected === undefined) return aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId.slice(0, 64)}' was not found in the directory.`);
      if (secret && !safeEqual(secret, expected)) return aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
    }
    const scopes = (form.get("scope") ?? "").split(/\s+/).filter((s) => s.endsWith("/.default"));
    const scope = scopes[0];
    if (scope === undefined) return aadError(400, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
    const audience = scope.slice(0, -"/.default".length);
    const lifetime = this.#options.tokenLifetimeSeconds ?? 3600;
    this.issued.push({ clientId, audience });
    return jsonResponse(200, {
      token_type: "Bearer",
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.issue(clientId, tenant, audience, lifetime),
    });
  }

  issue(clientId: string, tenant: string, audience: string, lifetimeSeconds = 3600): string {
    const now = Math.floor(Date.now() / 1000);
    const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const payload = base64url(
      JSON.stringify({ aud: audience, iss: `${this.#baseUrl}/${tenant}/v2.0`, iat: now, nbf: now, exp: now + lifetimeSeconds, appid: clientId, azp: clientId, tid: tenant, oid: clientId, sub: clientId, idtyp: "app", ver: "2.0" }),
    );
    const signature = createHmac("sha256", this.#key).update(`${head}.${payload}`).digest("base64url");
    return `${head}.${payload}.${signature}`;
  }

  verify(token: string): Verified {
    const [head, payload, signature, extra] = token.split(".");
    if (head === undefined || payload === undefined || signature === undefined || extra !== undefined) {
      return { ok: false, code: "InvalidAuthenticationToken", message: "The access token is invalid (not a JWT issued by this emulator)." };
    }
    const expected = createHmac("sha256", this.#key).update(`${head}.${payload}`).digest("base64url");
    if (!safeEqual(signature, expected)) {
      return { ok: false, code: "InvalidAuthenticationToken", message: "The access token is invalid (signature does not match; was it issued by this emulator instance?)." };
    }
    let claims: Json = null;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Json;
    } catch {
      claims = null;
    }
    if (!isJsonObject(claims) || typeof claims["aud"] !== "string" || typeof claims["exp"] !== "number") {
      return { ok: false, code: "InvalidAuthenticationToken", message: "The access token is invalid (claims)." };
    }
    if (claims["exp"] * 1000 <= Date.now()) return { ok: false, code: "ExpiredAuthenticationToken", message: "The access token expiry UTC time is earlier than current UTC time." };
    return { ok: true, claims: { aud: claims["aud"], appid: String(claims["appid"] ?? ""), tid: String(claims["tid"] ?? ""), exp: claims["exp"] } };
  }

  /** Checks a token for one of `audiences`; returns a 401 response when it does not pass. */
  checkToken(token: string | undefined, audiences: readonly string[], source: string): EmulatorResponse | undefined {
    const challenge = { "www-authenticate": `Bearer authorization_uri="${this.#baseUrl}/common", error="invalid_token"` };
    if (token === undefined || token === "") {
      return errorResponse(401, "AuthenticationFailed", `Authentication failed. The '${source}' header is missing.`, { headers: source === "Authorization" ? challenge : {} });
    }
    const verified = this.verify(token);
    if (!verified.ok) return errorResponse(401, verified.code, `${verified.message} (${source} header)`, { headers: source === "Authorization" ? challenge : {} });
    const accepted = audiences.map(normaliseAudience);
    if (!accepted.includes(normaliseAudience(verified.claims.aud))) {
      return errorResponse(401, "InvalidAuthenticationTokenAudience", `The access token in the ${source} header has been obtained for the wrong audience or resource '${verified.claims.aud}'. It should match one of: ${audiences.join(", ")}.`);
    }
    return undefined;
  }

  checkBearer(request: EmulatorRequest, audiences: readonly string[]): EmulatorResponse | undefined {
    const value = header(request, "authorization");
    const token = value !== undefined && /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, "") : undefined;
    if (value !== undefined && token === undefined) {
      return errorResponse(401, "InvalidAuthenticationToken", "The Authorization header must use the Bearer scheme.");
    }
    return this.checkToken(token, audiences, "Authorization");
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
