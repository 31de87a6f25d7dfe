/**
 * The workspace model: cookbooks, the catalog with the workspace's custom resources, definitions and
 * library helpers. Compilations for a run list and platform are made from it; front ends (CLI,
 * language server) hold one Model and ask it for graphs and diagnostics.
 */
import * as path from 'node:path';
import type { Diagnostic, Graph } from '../protocol';
import type { MethodDef } from '../ruby/interpreter';
import { Catalog } from './catalog/catalog';
import { Workspace, type Cookbook } from './workspace';
import { loadCookbookResources, type CustomResourceDef, type DefinitionDef } from './customResources';
import { loadLibraries } from './libraries';
import { Compilation } from './compilation';
import type { PlatformFacts } from './platforms';
import { validate } from './validate';
import { toGraph } from './graph';
import { desiredContent, type ContentResult } from './fileContent';

export class Model {
  readonly ws: Workspace;
  readonly catalog = new Catalog();
  readonly customDefs = new Map<string, CustomResourceDef>();
  readonly definitions = new Map<string, DefinitionDef>();
  helpers = new Map<string, MethodDef>();
  libraryResourceNames = new Set<string>();

  constructor(roots: string[]) {
    this.ws = new Workspace(roots);
    this.ws.scan();
    this.reload();
  }

  /** Re-reads custom resources, definitions and libraries of every cookbook. */
  reload(): void {
    for (const cb of this.ws.cookbooks.values()) this.reloadCookbook(cb);
    this.reloadLibraries();
  }

  /**
   * Finds the cookbooks under the roots again (one appeared, went away or was renamed) and re-reads
   * everything; what the cookbooks that are gone declared is forgotten.
   */
  rescan(): void {
    const before = [...this.ws.cookbooks.keys()];
    this.ws.scan();
    for (const name of before) if (!this.ws.cookbooks.has(name)) this.forgetCookbook(name);
    this.reload();
  }

  /** Re-reads one cookbook's custom resources and definitions (after a file under resources/, providers/ or definitions/ changed). */
  reloadCookbook(cb: Cookbook): void {
    this.forgetCookbook(cb.name);
    const { resources, definitions } = loadCookbookResources(this.ws, cb);
    for (const def of resources) {
      this.catalog.addCustom(def.schema);
      this.customDefs.set(def.schema.name, def);
    }
    for (const d of definitions) this.definitions.set(d.name, d);
  }

  private forgetCookbook(name: string): void {
    this.catalog.removeCookbook(name);
    for (const [n, def] of this.customDefs) if (def.schema.cookbook === name) this.customDefs.delete(n);
    for (const [n, def] of this.definitions) if (def.cookbook === name) this.definitions.delete(n);
  }

  /** Re-reads the library helpers of the workspace (after a file under libraries/ changed). */
  reloadLibraries(): void {
    const libs = loadLibraries(this.ws, [...this.ws.cookbooks.values()]);
    this.helpers = libs.helpers;
    this.libraryResourceNames = libs.resourceNames;
  }

  /** Compiles a run list (`cookbook::recipe` entries) for a platform. */
  compile(runList: string[], facts: PlatformFacts): Compilation {
    const c = new Compilation(this, facts);
    c.run(runList);
    return c;
  }

  /**
   * The run list a path stands for: a recipe file is that recipe; a cookbook folder (or its
   * metadata.rb) its default recipe; any other file of a cookbook, that cookbook's default recipe.
   */
  runListFor(target: string): string[] | undefined {
    const abs = path.resolve(target);
    const cb = this.ws.cookbookOf(abs);
    if (!cb) return undefined;
    if (cb.files.recipes.includes(abs)) return [`${cb.name}::${path.basename(abs).replace(/\.(rb|ya?ml)$/, '')}`];
    return [`${cb.name}::default`];
  }

  /** Every recipe of a cookbook as its own run-list entry, default first (for checking a whole cookbook). */
  allRecipes(cb: Cookbook): string[] {
    const names = cb.files.recipes.map((f) => path.basename(f).replace(/\.(rb|ya?ml)$/, ''));
    names.sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a < b ? -1 : 1));
    return names.map((n) => `${cb.name}::${n}`);
  }

  /** Diagnostics of a compilation, with the workspace's static checks. */
  diagnostics(c: Compilation): Diagnostic[] {
    return validate(this, c);
  }

  graph(c: Compilation, runList: string[]): Graph {
    return toGraph(this, c, runList, this.diagnostics(c));
  }

  /** The graph of a run list, and the desired content of its file-like resources (for the engine). */
  graphWithContent(runList: string[], facts: PlatformFacts): { graph: Graph; compilation: Compilation; contentOf(id: string): ContentResult } {
    const compilation = this.compile(runList, facts);
    const byId = new Map(compilation.resources.map((r) => [r.id, r]));
    const contentOf = (id: string): ContentResult => { const r = byId.get(id); return r ? desiredContent(compilation, r) : undefined; };
    return { graph: this.graph(compilation, runList), compilation, contentOf };
  }
}
