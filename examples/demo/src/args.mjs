// Shared by the demo steps: `--name value` arguments, with a clear message when one is missing.
import { parseArgs } from "node:util";

export function readArgs(names, { optional = [] } = {}) {
  const options = Object.fromEntries([...names, ...optional].map((name) => [name, { type: "string" }]));
  const { values } = parseArgs({ options, strict: true });
  for (const name of names) {
    if (values[name] === undefined) {
      console.error(`${process.argv[1]}: missing --${name}`);
      process.exit(2);
    }
  }
  return values;
}

/** Azure ML passes booleans as "True"/"False"; accept any casing. */
export function isTrue(text) {
  return /^true$/i.test(String(text));
}
