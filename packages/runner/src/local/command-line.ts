/**
 * Resolving a component command as Azure ML does (`${{inputs.x}}`, `${{outputs.y}}`, optional
 * `$[[ ... ]]` blocks dropped when an input in them has no value) while keeping values out of the
 * shell's reach: each value is quoted for the quoting context it lands in (bare, inside '...' or
 * inside "..."), so `/bin/sh -c` sees it as exactly one piece of literal text.
 */

const REFERENCE = /\$\{\{\s*(inputs|outputs)\.([A-Za-z0-9_.]+)\s*\}\}/g;

export type PortGroup = "inputs" | "outputs";
/** A port's text in the command, or undefined when the input has no value. */
export type PortLookup = (group: PortGroup, name: string) => string | undefined;

type Part = { readonly text: string } | { readonly value: string };

/** The shell script for a command, every substituted value quoted. */
export function renderCommand(command: string, lookup: PortLookup): string {
  const parts: Part[] = [];
  let rest = command;
  for (;;) {
    const open = rest.indexOf("$[[");
    if (open < 0) break;
    const close = rest.indexOf("]]", open + 3);
    if (close < 0) break;
    substitute(rest.slice(0, open), lookup, parts);
    const block = rest.slice(open + 3, close);
    if (referencesOf(block).every(([group, name]) => lookup(group, name) !== undefined)) substitute(block, lookup, parts);
    rest = rest.slice(close + 2);
  }
  substitute(rest, lookup, parts);
  return quoteParts(parts);
}

/** The ports a command mentions, in order, with repeats. */
export function referencesOf(command: string): Array<[PortGroup, string]> {
  return [...command.matchAll(REFERENCE)].map((match) => [match[1] as PortGroup, match[2] ?? ""]);
}

function substitute(text: string, lookup: PortLookup, parts: Part[]): void {
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ text: text.slice(last, index) });
    parts.push({ value: lookup(match[1] as PortGroup, match[2] ?? "") ?? "" });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
}

type QuoteState = "bare" | "single" | "double";

function quoteParts(parts: readonly Part[]): string {
  let state: QuoteState = "bare";
  let out = "";
  for (const part of parts) {
    if ("text" in part) {
      state = advance(state, part.text);
      out += part.text;
    } else {
      out += quoteFor(state, part.value);
    }
  }
  return out;
}

/** Follows POSIX sh quoting through literal text to know the context of the next value. */
function advance(initial: QuoteState, text: string): QuoteState {
  let state = initial;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (state === "single") {
      if (c === "'") state = "bare";
    } else if (c === "\\") {
      i++;
    } else if (state === "double") {
      if (c === '"') state = "bare";
    } else if (c === "'") {
      state = "single";
    } else if (c === '"') {
      state = "double";
    }
  }
  return state;
}

export function quoteFor(state: QuoteState, value: string): string {
  switch (state) {
    case "bare":
      return value === "" ? "" : `'${value.replace(/'/g, `'\\''`)}'`;
    case "single":
      return value.replace(/'/g, `'\\''`);
    case "double":
      return value.replace(/[\\$`"]/g, "\\$&");
  }
}
