/**
 * Which components get a file of their own and what each file is called. One file per distinct
 * component, where distinct means different content: the same component called from many nodes
 * (or declared twice identically) shares one file. Components that share a name but differ get
 * `name-<content hash>.yml`, so the names never depend on declaration order. A component kept in
 * place (a prompt flow loaded from YAML) gets no file: nodes name its source file.
 */
import type { ComponentModel, OpaqueComponentModel, PipelineComponentModel } from "@pipewright/dsl";
import { renderComponent } from "./components.js";
import { contentHash } from "./content-hash.js";
import { isNodeOnlyComponent } from "../load/nodes.js";
import { isComponentReference, isInlineJob } from "./nodes.js";
import { relocatePath } from "./paths.js";

/**
 * The file a component must be named by rather than written (OpaqueComponentModel.sourceFile):
 * a file that depends on its own folder, such as a prompt flow.
 */
export function keptInPlace(component: ComponentModel): string | undefined {
  if (component.type === "command" || component.type === "pipeline") return undefined;
  return (component as OpaqueComponentModel).sourceFile;
}

/** How a node in a file in `fileDir` names a component kept in place: its path from there. */
export function inPlaceRef(sourceFile: string, fileDir: string): string {
  return relocatePath(sourceFile, undefined, fileDir);
}

export class ComponentFiles {
  /** Components needing a file, in first-seen order (deduplicated by object). */
  private readonly components: ComponentModel[] = [];
  private readonly seen = new Set<ComponentModel>();
  private readonly keys = new Map<ComponentModel, string>();
  private readonly fileNames = new Map<string, string>();
  private readonly inlineKeyRenders = new Map<ComponentModel, unknown>();

  constructor(
    private readonly inline: boolean,
    /** Absolute folder of the component files, for rendering local paths while keying. */
    private readonly componentsDir: string,
  ) {}

  /** Whether nodes of this component name a file (rather than an inline mapping or a job node). */
  needsFile(component: ComponentModel): boolean {
    if (isInlineJob(component) || isNodeOnlyComponent(component) || keptInPlace(component) !== undefined) return false;
    // Azure has no inline pipeline components (FIELDS.md §5), so those keep a file even inline.
    return component.type === "pipeline" || !this.inline;
  }

  /** Collects the components `root` calls; `withRoot` gives `root` a file too (a job's `component:`). */
  collect(root: PipelineComponentModel, withRoot = false): this {
    if (withRoot) {
      this.seen.add(root);
      this.components.push(root);
    }
    const visit = (pipeline: PipelineComponentModel): void => {
      for (const node of pipeline.jobs) {
        const component = node.component;
        if (isComponentReference(component) || this.seen.has(component)) continue;
        this.seen.add(component);
        if (this.needsFile(component)) this.components.push(component);
        if (component.type === "pipeline") visit(component as PipelineComponentModel);
      }
    };
    visit(root);
    this.assignFileNames();
    return this;
  }

  /** Distinct components with a file, each once, sorted by file name. */
  distinct(): ReadonlyArray<{ readonly component: ComponentModel; readonly fileName: string }> {
    const byKey = new Map<string, ComponentModel>();
    for (const component of this.components) {
      const key = this.keyOf(component);
      if (!byKey.has(key)) byKey.set(key, component);
    }
    return [...byKey.entries()]
      .map(([key, component]) => ({ component, fileName: this.fileNames.get(key) ?? "" }))
      .sort((x, y) => (x.fileName < y.fileName ? -1 : x.fileName > y.fileName ? 1 : 0));
  }

  fileName(component: ComponentModel): string {
    const name = this.fileNames.get(this.keyOf(component));
    if (name === undefined) throw new Error(`internal: no file for component '${component.name}'`);
    return name;
  }

  /**
   * The identity of a component: its rendered content, with components it calls that have
   * files of their own standing in by their identity (their file names are not known yet).
   */
  private keyOf(component: ComponentModel): string {
    let key = this.keys.get(component);
    if (key === undefined) {
      const content = renderComponent(component, {
        standalone: true,
        fileDir: this.componentsDir,
        componentRef: (child) => this.childKey(child),
        diagnostics: [],
      });
      key = JSON.stringify(content);
      this.keys.set(component, key);
    }
    return key;
  }

  /** What stands in for a child component while keying its parent. */
  private childKey(child: ComponentModel): unknown {
    const source = keptInPlace(child);
    if (source !== undefined) return inPlaceRef(source, this.componentsDir);
    return this.needsFile(child) ? `key:${contentHash(this.keyOf(child))}` : this.inlineKeyRender(child);
  }

  private inlineKeyRender(component: ComponentModel): unknown {
    let rendered = this.inlineKeyRenders.get(component);
    if (rendered === undefined) {
      rendered = renderComponent(component, {
        standalone: false,
        fileDir: this.componentsDir,
        componentRef: (child) => this.childKey(child),
        diagnostics: [],
      });
      this.inlineKeyRenders.set(component, rendered);
    }
    return rendered;
  }

  private assignFileNames(): void {
    const groups = new Map<string, Set<string>>();
    for (const component of this.components) {
      const base = fileBase(component.name);
      const keys = groups.get(base.toLowerCase()) ?? new Set<string>();
      keys.add(this.keyOf(component));
      groups.set(base.toLowerCase(), keys);
    }
    for (const component of this.components) {
      const key = this.keyOf(component);
      if (this.fileNames.has(key)) continue;
      const base = fileBase(component.name);
      const shared = (groups.get(base.toLowerCase())?.size ?? 1) > 1;
      this.fileNames.set(key, shared ? `${base}-${contentHash(key)}.yml` : `${base}.yml`);
    }
  }
}

/** A component name as a portable file name. */
function fileBase(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_").replace(/^\.+/, "_") || "component";
}
