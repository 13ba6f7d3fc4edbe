/**
 * Secrets never leave pipewright: bearer tokens, SAS signatures and account keys are replaced in
 * every message, error and file it writes. SAS URLs are shown without their query.
 */

const PATTERNS: readonly [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, "$1REDACTED"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g, "REDACTED-JWT"],
  [/([?&](?:sig|se|st|sp|sv|sr|skoid|sktid|skt|ske|sks|skv|spr|srt|ss|si)=)[^&\s"'<>]*/gi, "$1REDACTED"],
  [/((?:AccountKey|SharedAccessSignature|client_secret|sasToken|key)["']?\s*[=:]\s*["']?)[^"'&;\s,}]+/gi, "$1REDACTED"],
  [/(x-azureml-token["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi, "$1REDACTED"],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A URL for display: scheme, host and path only (a SAS query never shows). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return redactSecrets(url.split("?")[0] ?? "");
  }
}
