/**
 * One Chef world: a set of cookbooks (one per name, as a run resolves them: `modelSet.ts`), the
 * world their libraries were evaluated into, the catalog with their resource types, and definitions.
 * Compilations for a run list and platform are made from it; front ends ask it for graphs and
 * diagnostics. `new Model(roots)` is the whole workspace with the first cookbook of each name in the
 * cookbook path order (tests, tools that check one cookbook).
 */
import * as path from 'node:path';
import type { Diagnostic, Graph } from '../protocol';
import { type Value, truthy } from '../ruby/values';
import type { RModule } from '../ruby/objects';
import type { EvalCallContext, MethodDef } from '../ruby/interpreter';
import { Catalog } from './catalog/catalog';
import { Workspace, type Cookbook } from './workspace';
import type { ModelSource } from './modelSet';
import { loadCookbookResources, libraryResources, evalIntoClass, type CustomResourceDef, type DefinitionDef } from './customResources';
import { loadLibraries } from './libraries';
import { ChefWorld } from './dsl/chefWorld';
import type { RunInputs } from './inputs/runInputs';
import { Compilation } from './compilation';
import { AttributeStore, NodeObject } from './attributes';
import { AttributeLayerCache } from './attributeLayers';
import { type PlatformFacts, automaticAttributes } from './platforms';
import { withNodeName } from './nodeName';
import { validate } from './validate';
import { toGraph } from './graph';
import { desiredContent, type ContentResult } from './fileContent';

/** How the cookbooks of a Model were resolved (see `resolution.ts`). */
export interface ModelResolution {
  /** Clashes, constraints nothing satisfies, bad sources: reported by `validate`. */
  findings: Diagnostic[];
  /** Names left out of the run because nothing satisfies their constraints (their dependents are incomplete). */
  unsatisfied: Set<string>;
  /** A cookbook nobody in the run depends on, for `include_recipe` (the repository's own only). */
  outsideRun?(name: string): Cookbook | undefined;
}

export interface ModelOptions {
  /** The files do not change while the model lives (a CLI run; see Workspace). */
  stableDisk?: boolean;
  /** The cookbooks of this world, one per name (default: the first of each name in the cookbook path order). */
  cookbooks?: Iterable<Cookbook>;
  resolution?: ModelResolution;
}

export class Model implements ModelSource {
  readonly ws: Workspace;
  /** The cookbooks of this world, by name. */
  readonly cookbooks = new Map<string, Cookbook>();
  readonly resolution: ModelResolution;
  readonly catalog = new Catalog();
  readonly customDefs = new Map<string, CustomResourceDef>();
  readonly definitions = new Map<string, DefinitionDef>();
  world!: ChefWorld;
  /** Library methods by name (for hover and go to definition). */
  helpers = new Map<string, MethodDef>();
  /** Names library files give resources, read from their source (a safety net for classes we cannot load). */
  libraryResourceNames = new Set<string>();

  /** What cookbooks' attribute files leave in the node, per loading order, platform and inputs (shared by this world's compilations). */
  attributeLayers = new AttributeLayerCache();

  /** Findings of loading libraries (a library that raises while it loads). */
  libraryFindings: { file: string; finding: import('../ruby/interpreter').EvalFinding }[] = [];

  /** A world over a workspace (made and scanned here from roots, or shared). */
  constructor(source: string[] | Workspace, opts: ModelOptions = {}) {
    if (source instanceof Workspace) this.ws = source;
    else { this.ws = new Workspace(source, opts.stableDisk ?? false); this.ws.scan(); }
    for (const cb of opts.cookbooks ?? this.ws.all.map((c) => this.ws.named(c.name)[0])) if (!this.cookbooks.has(cb.name)) this.cookbooks.set(cb.name, cb);
    this.resolution = opts.resolution ?? { findings: [], unsatisfied: new Set() };
    this.reload();
  }

  /** The world a cookbook of this model is analysed in: this one (a ModelSource of one world). */
  modelOf(): Model {
    return this;
  }

  /** The world of a run list: this one. */
  modelForRun(): Model {
    return this;
  }

  /**
   * This world as one run sees it: the same world, catalog and definitions (shared: one world may
   * serve several entry cookbooks whose resolutions agree), but by-name lookups, findings and
   * unsatisfied names of that run's own resolution, so a cookbook the run does not depend on is
   * not reached through another entry's. The view delegates everything else to this Model (it is
   * made with `Object.create`); reloads go to this Model, never to a view.
   */
  seenFrom(cookbooks: Map<string, Cookbook>, resolution: ModelResolution): Model {
    const view = Object.create(this) as Model;
    Object.defineProperty(view, 'cookbooks', { value: cookbooks });
    Object.defineProperty(view, 'resolution', { value: resolution });
    return view;
  }

  /** A cookbook of this world by name; else one the run does not depend on that `include_recipe` may still reach. */
  cookbook(name: string): Cookbook | undefined {
    return this.cookbooks.get(name) ?? this.resolution.outsideRun?.(name);
  }

  /** Re-reads libraries, custom resources and definitions of every cookbook (a new world). */
  reload(): void {
    this.attributeLayers = new AttributeLayerCache();
    this.customDefs.clear();
    this.definitions.clear();
    this.catalog.clearCustom();
    this.world = new ChefWorld({
      isResourceName: (n) => this.catalog.has(n) || this.definitions.has(n) || this.libraryResourceNames.has(n),
      builtinSchema: (n) => this.catalog.builtin(n),
      usePartial: (cls, rel, ctx) => this.usePartial(cls, rel, ctx),
      providesDecider: (block) => {
        // Asked at every declaration the rule may answer: decided once per platform.
        const decided = new Map<PlatformFacts, boolean | undefined>();
        return (facts) => {
          if (!decided.has(facts)) decided.set(facts, this.decideProvides(block, facts));
          return decided.get(facts);
        };
      },
    });
    const cookbooks = [...this.cookbooks.values()];
    const libs = loadLibraries(this.ws, this.world, cookbooks);
    this.helpers = libs.helpers;
    this.libraryResourceNames = libs.resourceNames;
    for (const def of libraryResources(this.world, libs.owners)) this.addResource(def);
    for (const cb of cookbooks) this.loadCookbook(cb);
    this.world.invalidate();
  }

  /** Re-reads one cookbook's custom resources and definitions (after a file under resources/, providers/ or definitions/ changed). */
  reloadCookbook(cb: Cookbook): void {
    this.forgetCookbook(cb.name, true);
    this.loadCookbook(cb);
    this.world.invalidate();
  }

  private loadCookbook(cb: Cookbook): void {
    const { resources, definitions } = loadCookbookResources(this.ws, this.world, cb);
    for (const def of resources) this.addResource(def);
    for (const d of definitions) this.definitions.set(d.name, d);
  }

  private addResource(def: CustomResourceDef): void {
    this.catalog.addCustom(def.schema);
    this.customDefs.set(def.schema.name, def);
  }

  /** Forgets what a cookbook declared; library classes stay unless the whole world is rebuilt. */
  private forgetCookbook(name: string, keepLibraryClasses = false): void {
    for (const [n, def] of this.customDefs) {
      if (def.schema.cookbook !== name) continue;
      if (keepLibraryClasses && !def.file.includes(`${path.sep}resources${path.sep}`)) continue;
      this.customDefs.delete(n);
      this.catalog.remove(n);
    }
    for (const [n, def] of this.definitions) if (def.cookbook === name) this.definitions.delete(n);
  }

  /** Re-reads the libraries of the workspace (after a file under libraries/ changed): a new world. */
  reloadLibraries(): void {
    this.reload();
  }

  /** `use 'partial'`: the partial file (`_name.rb` beside the resource) evaluated into the class. */
  private usePartial(cls: RModule, rel: string, ctx: EvalCallContext): void {
    const dir = path.dirname(ctx.env.unit.file);
    const base = path.basename(rel, '.rb').replace(/^_/, '');
    const candidates = [path.join(dir, path.dirname(rel), `_${base}.rb`), path.join(dir, rel + '.rb'), path.join(dir, rel)];
    const file = candidates.find((c) => this.ws.exists(c));
    const parsed = file ? this.ws.parse(file) : undefined;
    if (!file || !parsed) {
      ctx.interp.finding('missing-partial', `The partial '${rel}' used here does not exist.`, ctx.loc!, 'error');
      return;
    }
    evalIntoClass(ctx.interp, cls, { file, parsed });
  }

  /** A `provides :x do |node| … end` block, decided with a node made from the platform's facts. */
  private decideProvides(block: Value, facts: PlatformFacts): boolean | undefined {
    const store = new AttributeStore();
    store.setAutomatic(automaticAttributes(facts));
    const node = new NodeObject(store);
    const interp = this.world.interpreter({ facts, node });
    return truthy(interp.callProc(block, [{ k: 'object', obj: node }]));
  }

  /** Compiles a run list (`cookbook::recipe` entries) for a platform, with the run's inputs (node attributes, roles, …). */
  compile(runList: string[], facts: PlatformFacts, inputs?: RunInputs): Compilation {
    // The machine answers to the node name the run chose (hostname, fqdn), as Chef's node_name does.
    const c = new Compilation(this, withNodeName(facts, inputs?.nodeName), inputs);
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
    if (this.cookbooks.get(cb.name) !== cb) return undefined; // another cookbook of that name is this world's
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

  /** The graph of a compilation, with its diagnostics (every rule's, unless others are given). */
  graph(c: Compilation, runList: string[], diagnostics: Diagnostic[] = this.diagnostics(c)): Graph {
    return toGraph(this, c, runList, diagnostics);
  }

  /** The graph of a run list, and the desired content of its file-like resources (for the engine). */
  graphWithContent(runList: string[], facts: PlatformFacts, inputs?: RunInputs): { graph: Graph; compilation: Compilation; contentOf(id: string): ContentResult } {
    const compilation = this.compile(runList, facts, inputs);
    const byId = new Map(compilation.resources.map((r) => [r.id, r]));
    const contentOf = (id: string): ContentResult => { const r = byId.get(id); return r ? desiredContent(compilation, r) : undefined; };
    return { graph: this.graph(compilation, runList), compilation, contentOf };
  }
}
