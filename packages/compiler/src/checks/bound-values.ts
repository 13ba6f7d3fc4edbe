/**
 * Checks shared by node inputs and job inputs: whether a literal or concrete data fits the input
 * it is bound to (PW2003 kind, PW2007 value, PW2020 enum, PW2016 mode) and whether kinds are compatible.
 */
import {
  INPUT_MODES,
  isDataKind,
  isKindAssignable,
  isPrimitiveKind,
  type BindingModel,
  type InputPortModel,
} from "@pipewright/dsl";
import type { CheckContext } from "./check-context.js";
import { isKnownKind } from "./port-declarations.js";
import { describe, enumProblem, valueProblem } from "./primitive-values.js";

const MODEL_KINDS: readonly string[] = ["custom_model", "mlflow_model", "triton_model"];

/**
 * Whether a value of kind `from` may feed an input of kind `to`. Unknown kinds pass (PW1007
 * reports them). Beyond `isKindAssignable` (same kind, integer into number), two things Azure
 * accepts and its own samples do:
 * - concrete uri_folder data into an mltable input: a folder holding an `MLTable` file
 *   (corpus: basics/4b_datastore_datapath_uri);
 * - concrete uri_file data into a uri_folder input: the step gets the file's path
 *   (corpus: basics/4b_datastore_datapath_uri, basics/4c_web_url_input);
 * - a model (a folder in MLflow, Triton or custom layout) into a uri_folder input: the AutoML
 *   samples feed `best_model` to a registration step's uri_folder input
 *   (corpus: pipelines/automl/*). The DSL's types still ask for a cast there.
 */
export function kindFits(from: string, to: string, concreteData: boolean): boolean {
  if (!isKnownKind(from) || !isKnownKind(to)) return true;
  if (from === "path" || to === "path") return !isPrimitiveKind(from) && !isPrimitiveKind(to);
  if (isKindAssignable(from, to)) return true;
  if (to === "uri_folder" && MODEL_KINDS.includes(from)) return true;
  return concreteData && ((from === "uri_folder" && to === "mltable") || (from === "uri_file" && to === "uri_folder"));
}

/**
 * Where a binding sits. Messages and paths are built from it only when something is reported:
 * this runs for every binding of a 10,000-node pipeline. (A plain object, not closures: tsx's
 * keepNames wraps every named closure in a defineProperty call.)
 */
export interface InputSite {
  /** The node's name, or undefined for a job input. */
  readonly node: string | undefined;
  readonly input: string;
  /** The node path (or the root path for job inputs). */
  readonly parentPath: string;
}

export function siteText(site: InputSite): string {
  return site.node === undefined ? `job input '${site.input}'` : `input '${site.input}' of node '${site.node}'`;
}

export function sitePath(site: InputSite): string {
  return `${site.parentPath}/inputs/${site.input}`;
}

/**
 * A literal or data binding against its input port. `input` names the input in messages
 * (`input 'lr' of node 'train'`); `at` is where to point when the binding has no location.
 */
export function checkConcreteBinding(
  port: InputPortModel,
  binding: Extract<BindingModel, { kind: "literal" } | { kind: "data" }>,
  site: InputSite,
  at: BindingModel["location"],
  ctx: CheckContext,
): void {
  const location = binding.location ?? at;
  if (binding.kind === "literal") {
    if (isDataKind(port.type) || port.type === "path") {
      ctx.report(
        "PW2003",
        `${siteText(site)} takes ${port.type} data, but is bound to the literal ${describe(binding.value)}; ` +
          `pass data such as ${dataHelper(port.type)}("./folder") or a node output`,
        sitePath(site),
        location,
      );
      return;
    }
    const problem = valueProblem(port, binding.value, false);
    if (problem) ctx.report("PW2007", `${siteText(site)} cannot take this value: ${problem}`, sitePath(site), location);
    // Azure runs a job whose literal is outside an input's enum (corpus sample
    // image_classification_with_densenet binds 224 to a 'True'/'False' input): a warning.
    const outside = problem ? undefined : enumProblem(port, binding.value);
    if (outside) ctx.report("PW2020", `${siteText(site)} is given a value outside its enum: ${outside}`, sitePath(site), location);
    return;
  }
  if (!kindFits(binding.type, port.type, true)) {
    ctx.report(
      "PW2003",
      isPrimitiveKind(port.type)
        ? `${siteText(site)} takes a ${port.type} value, but is bound to ${binding.type} data`
        : `${siteText(site)} takes ${port.type}, but is bound to ${binding.type} data '${binding.path ?? ""}'`,
      sitePath(site),
      location,
    );
    return;
  }
  checkDataMode(binding, site, location, ctx);
}

/** PW2016: the mode given with concrete data must be one its kind allows (FIELDS.md §4). */
export function checkDataMode(
  binding: Extract<BindingModel, { kind: "data" }>,
  site: InputSite,
  location: BindingModel["location"],
  ctx: CheckContext,
): void {
  if (binding.mode === undefined || !isDataKind(binding.type)) return;
  const allowed: readonly string[] = INPUT_MODES[binding.type];
  if (allowed.includes(binding.mode)) return;
  ctx.report(
    "PW2016",
    `${siteText(site)} is bound to ${binding.type} data with mode '${binding.mode}'; allowed: ${allowed.join(", ")}`,
    sitePath(site),
    location,
  );
}

function dataHelper(kind: string): string {
  return kind === "path" ? "uriFolder" : kind.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}
