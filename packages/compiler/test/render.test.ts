import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PipelineJobModel } from "@pipewright/dsl";
import { checkPipelineJob } from "../src/checks/index.js";
import { diagnostic, type Diagnostic } from "../src/diagnostics/diagnostic.js";
import { relativePath, renderDiagnostics, summarizeDiagnostics } from "../src/diagnostics/render.js";
import { sortDiagnostics } from "../src/diagnostics/sort.js";

const golden = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "render", "expected.txt");

/** Compares with the golden file; `UPDATE_GOLDENS=1` rewrites it instead (review the diff). */
function expectGolden(actual: string): void {
  if (process.env["UPDATE_GOLDENS"] === "1") writeFileSync(golden, actual);
  expect(actual).to.equal(readFileSync(golden, "utf8"));
}

const cwd = "/home/ana/taxi";
const handMade: Diagnostic[] = [
  diagnostic("PW2003", "input 'data' of node 'train' takes uri_folder, but is bound to the mltable output 'table' of node 'prep'", {
    path: "taxi/train/inputs/data",
    location: { file: "/home/ana/taxi/src/pipeline.ts", line: 12, column: 5 },
  }),
  diagnostic("PW2012", "node 'prep' has no compute and the job has none to inherit", {
    path: "taxi/prep",
    location: { file: "/home/ana/shared/steps.ts", line: 3, column: 14 },
  }),
  diagnostic("PW3001", "pipeline component written to its own file", { location: { file: "/home/ana/taxi/src/pipeline.ts", line: 40, column: 1 } }),
  diagnostic("PW2011", "nodes of pipeline 'taxi' depend on each other in a cycle: a -> b -> a", { path: "taxi/a" }),
  diagnostic("PW1011", "a diagnostic with neither place nor path"),
];

/** A YAML-loaded job: nothing has a location, so only the `at` lines place the problems. */
const yamlJob: PipelineJobModel = {
  type: "pipeline_job",
  settings: {},
  inputs: { epochs: { kind: "literal", value: 2.5 } },
  outputs: {},
  pipeline: {
    type: "pipeline",
    name: "hello_pipeline_io",
    inputs: { epochs: { type: "integer" } },
    outputs: {},
    jobs: [
      {
        name: "hello_job",
        type: "command",
        component: { type: "command", name: "hello", inputs: {}, outputs: { out: { type: "uri_folder" } }, command: "echo ${{inputs.greeting}}" },
        inputs: {},
        outputs: {},
      },
    ],
  },
};

describe("rendering diagnostics", () => {
  it("renders file:line:col - severity code: message, then the node path, as pinned in the golden file", () => {
    const checked = checkPipelineJob(yamlJob);
    const text = [
      "# hand-made diagnostics, cwd " + cwd,
      renderDiagnostics(sortDiagnostics(handMade), { cwd }),
      summarizeDiagnostics(handMade),
      "# hand-made diagnostics, no cwd",
      renderDiagnostics(sortDiagnostics(handMade)),
      "# checks of a YAML-style job",
      renderDiagnostics(checked),
      summarizeDiagnostics(checked),
      "",
    ].join("\n");
    expectGolden(text);
  });

  it("renders nothing for no diagnostics", () => {
    expect(renderDiagnostics([])).to.equal("");
  });

  it("summarizes counts with plurals, and infos only when there are some", () => {
    expect(summarizeDiagnostics([])).to.equal("0 errors, 0 warnings");
    const error = diagnostic("PW2001", "x");
    const warning = diagnostic("PW2012", "y");
    const info = diagnostic("PW3001", "z");
    expect(summarizeDiagnostics([error, warning])).to.equal("1 error, 1 warning");
    expect(summarizeDiagnostics([error, error, info])).to.equal("2 errors, 0 warnings, 1 info");
  });

  it("shows files relative to cwd, with .. for files outside it, and leaves other drives and relative files as given", () => {
    expect(relativePath("/a/b", "/a/b/c/d.ts")).to.equal("c/d.ts");
    expect(relativePath("/a/b/", "/a/b/d.ts")).to.equal("d.ts");
    expect(relativePath("/a/b", "/a/x/d.ts")).to.equal("../x/d.ts");
    expect(relativePath("/a/b", "/a/bc/d.ts")).to.equal("../bc/d.ts");
    expect(relativePath("/", "/a/d.ts")).to.equal("a/d.ts");
    expect(relativePath("C:\\work\\p", "C:\\work\\p\\src\\x.ts")).to.equal("src/x.ts");
    expect(relativePath("C:\\work", "D:\\other\\x.ts")).to.equal("D:\\other\\x.ts");
    expect(relativePath("/a", "pipeline.yml")).to.equal("pipeline.yml");
  });
});

describe("sorting diagnostics", () => {
  it("orders by file, line, column, code, path, message, with unlocated diagnostics last", () => {
    const d = (code: "PW2001" | "PW2003", path: string, file?: string, line = 1, column = 1, message = "m") =>
      diagnostic(code, message, file === undefined ? { path } : { path, location: { file, line, column } });
    const shuffled = [
      d("PW2001", "p/z"),
      d("PW2003", "p/a", "b.ts", 1, 1),
      d("PW2003", "p/a", "a.ts", 2, 1),
      d("PW2001", "p/b", "a.ts", 2, 1),
      d("PW2001", "p/a", "a.ts", 2, 1, "second"),
      d("PW2001", "p/a", "a.ts", 2, 1, "first"),
      d("PW2003", "p/a", "a.ts", 1, 9),
      d("PW2001", "p/a"),
    ];
    const order = sortDiagnostics(shuffled).map((x) => `${x.location?.file ?? "-"}:${x.location?.line ?? "-"}:${x.location?.column ?? "-"} ${x.code} ${x.path} ${x.message}`);
    expect(order).to.deep.equal([
      "a.ts:1:9 PW2003 p/a m",
      "a.ts:2:1 PW2001 p/a first",
      "a.ts:2:1 PW2001 p/a second",
      "a.ts:2:1 PW2001 p/b m",
      "a.ts:2:1 PW2003 p/a m",
      "b.ts:1:1 PW2003 p/a m",
      "-:-:- PW2001 p/a m",
      "-:-:- PW2001 p/z m",
    ]);
    expect(shuffled[0]?.path).to.equal("p/z");
  });
});
