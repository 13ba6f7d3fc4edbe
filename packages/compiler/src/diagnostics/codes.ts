/**
 * The one catalog of diagnostic codes. PW1xxx model and DSL, PW2xxx graph and wiring,
 * PW3xxx emit and load (YAML), PW4xxx runner. Append within a group; never reuse a code.
 */
export const CODES = {
  // PW1xxx: model and DSL
  PW1001: { severity: "error", title: "invalid component name" },
  PW1002: { severity: "error", title: "invalid node name" },
  PW1003: { severity: "error", title: "duplicate node name" },
  PW1004: { severity: "error", title: "invalid port name" },
  PW1005: { severity: "error", title: "primitive default outside its type, min, max or enum" },
  PW1006: { severity: "error", title: "mode not allowed for this port kind" },
  PW1007: { severity: "error", title: "unknown port kind" },
  PW1008: { severity: "error", title: "command references an undeclared port" },
  PW1009: { severity: "error", title: "required input used inside an optional $[[ ]] block" },
  PW1010: { severity: "error", title: "command component has no environment" },
  PW1011: { severity: "error", title: "invalid value in the pipeline model" },
  PW1012: { severity: "error", title: "TypeScript error in the entry file" },
  PW1013: { severity: "error", title: "entry file could not be loaded" },
  PW1014: { severity: "error", title: "entry file exports no pipeline job" },
  // PW2xxx: graph and wiring
  PW2001: { severity: "error", title: "required input is not bound" },
  PW2002: { severity: "error", title: "unknown input" },
  PW2003: { severity: "error", title: "input kind does not match the bound value" },
  PW2004: { severity: "error", title: "unknown node output" },
  PW2005: { severity: "error", title: "binding refers to an unknown node" },
  PW2006: { severity: "error", title: "binding refers to an unknown pipeline input" },
  PW2007: { severity: "error", title: "primitive value outside its type, min, max or enum" },
  PW2008: { severity: "error", title: "pipeline output bound twice" },
  PW2009: { severity: "error", title: "pipeline output never bound" },
  PW2010: { severity: "error", title: "pipeline output bound to something that is not a node output" },
  PW2011: { severity: "error", title: "cycle between nodes" },
  PW2012: { severity: "warning", title: "node has no compute and the pipeline has no default compute" },
  PW2013: { severity: "error", title: "pipeline has more than 30,000 steps" },
  PW2014: { severity: "error", title: "value cannot be bound here" },
  PW2015: { severity: "error", title: "output mode not allowed" },
  // PW3xxx: emit and load (YAML)
  PW3001: { severity: "info", title: "pipeline component written to its own file although inline output was asked for" },
  PW3002: { severity: "warning", title: "component field cannot be written on an inline command job node" },
} as const satisfies Record<string, { severity: "error" | "warning" | "info"; title: string }>;

export type DiagnosticCode = keyof typeof CODES;
