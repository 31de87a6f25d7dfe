/**
 * One compilation of a run list for a platform: loads the attributes of the cookbooks involved,
 * evaluates recipes in order (include_recipe once each, as Chef does), declares resources, expands
 * custom resources (each action in a collection of its own, run in its provider) and definitions,
 * and resolves notifications. The result is the resource collection in converge order; validation
 * rules and the graph read it.
 */
import * as path from 'node:path';
import type { DiagnosticData, SourceLocation } from '../protocol';
import { type Value, NIL, str, unknown, toS, inspect, findUnknown } from '../ruby/values';
import { RModule, RInstance } from '../ruby/objects';
import { type Interpreter, Env, type EvalCallContext, type EvalFinding } from '../ruby/interpreter';
import { RubyRaise } from '../ruby/errors';
import { AttributeStore, NodeObject, type NodeRead } from './attributes';
import { AttributeLoader } from './attributeFiles';
import type { AttributeLayer } from './attributeLayers';
import { type RunInputs, NO_INPUTS, applyRunInputs } from './inputs/runInputs';
import { type PlatformFacts, automaticAttributes } from './platforms';
import { type ResourceDecl, resourceId, parseTarget, propValue } from './resourceDecl';
import { type ResourceKind, type ScopeContext, type RunHost, sourceCookbookOf, scopeOf } from './dsl/host';
import { type ResourceState, resourceObject, resourceStateOf, readProperty, ResourceRef } from './dsl/resourceDsl';
import { type ActionImpl, allProperties } from './dsl/resourceClass';
import { DefinitionParams } from './definitionParams';
import { type CustomResourceDef, type DefinitionDef, actionsOn } from './customResources';
import { evalYamlRecipe } from './yamlRecipe';
import type { Model } from './model';
import type { Cookbook } from './workspace';
import { missingRecipeMessage } from './missingRecipeMessage';
import { missingRecipeData, nameInLiteral } from './recipeNames';

export type { ResourceKind };

/** A problem found while compiling (rules add theirs later). */
export interface CompileFinding extends EvalFinding {
  related?: { loc: SourceLocation; message: string }[];
  /** What a fix needs (protocol.ts DiagnosticData). */
  data?: DiagnosticData;
}

export interface IncludedRecipe {
  id: string;
  file: string;
  includes: string[];
}

export interface AttributeRead {
  path: string[];
  loc?: SourceLocation;
}

const MAX_EXPANSION_DEPTH = 8;

export class Compilation implements RunHost {
  readonly resources: ResourceDecl[] = [];
  readonly recipes = new Map<string, IncludedRecipe>();
  readonly findings: CompileFinding[] = [];
  readonly attributeReads: AttributeRead[] = [];
  /** Dependencies named by include_recipe or resources that are not in the workspace (reported once). */
  readonly missingCookbooks = new Map<string, SourceLocation | undefined>();
  /** Where the name of each missing cookbook is written in the include_recipe that first named it (for did-you-mean). */
  readonly missingCookbookNames = new Map<string, SourceLocation>();
  readonly store = new AttributeStore();
  readonly node: NodeObject;
  readonly interp: Interpreter;
  private readonly attributes: AttributeLoader;
  private readonly loadedAttributeCookbooks = new Set<string>();
  /**
   * While nothing but attribute files has run, the store is exactly the last attribute layer's
   * (`attributeLayers.ts`), so layers can be taken from the model's cache instead of evaluated.
   */
  private attributeLayersUsable = true;
  private attributeLayer?: AttributeLayer;
  private readonly initialLayerKey: string;
  /** Attribute files are running: their own reads of the node are not recipe reads. */
  private inAttributeFiles = false;
  private seq = 0;
  private expansionDepth = 0;
  /** Each action collection → the collection its instance was declared in. */
  private readonly collectionParents = new Map<string, string | undefined>();

  constructor(readonly model: Model, readonly facts: PlatformFacts, readonly inputs: RunInputs = NO_INPUTS) {
    const world = model.world;
    this.interp = world.interpreter(this);
    this.node = new NodeObject(this.store, (p, loc) => { if (!this.inAttributeFiles) this.attributeReads.push({ path: p, loc }); }, inputs);
    // A helper's node reads are followed by the call memo while the store holds a snapshot unchanged.
    this.interp.memoHost = { state: () => this.store.memoToken(), replay: (read) => this.node.replayRead(read as NodeRead) };
    this.initialLayerKey = model.attributeLayers.initialKey(facts, inputs);
    const initial = model.attributeLayers.initial(this.initialLayerKey);
    if (initial) this.store.restore(initial);
    else {
      this.store.setAutomatic(automaticAttributes(facts));
      // The node's own attributes (JSON, roles, environment, policy) are there before any attributes file runs.
      applyRunInputs(this.store, inputs);
      model.attributeLayers.setInitial(this.initialLayerKey, this.store.snapshot());
    }
    this.attributes = new AttributeLoader(model.ws, this.interp, this.node, facts, (n) => model.cookbook(n));
  }

  /** Compiles `cookbook::recipe` entries (a bare name means its default recipe). */
  run(runList: string[]): void {
    const cookbooks = runList.map((r) => r.split('::')[0]);
    for (const name of cookbooks) this.loadAttributes(name);
    this.attributeLayersUsable = false;
    runList.forEach((item, i) => {
      // Each entry has budgets of its own: a runaway recipe leaves the others analysed.
      this.interp.startEntry();
      this.include(str(item), undefined, undefined, { runItem: i });
    });
    this.resolveNotifications();
    this.collectFindings();
  }

  private collectFindings(): void {
    for (const f of this.interp.findings.splice(0)) this.findings.push(f);
  }

  /** A recipe, action or definition-body object: self of the code it runs. */
  scopeObject(sc: ScopeContext, provider = false): RInstance {
    return new RInstance(this.model.world.recipe, { sc, provider }, `recipe ${sc.origin}`);
  }

  /**
   * Runs every action of a custom resource for an instance no recipe declares: its name and
   * properties are unknown (whoever declares one sets them), so what the actions declare can be
   * checked on its own, used or not. The resources declared land in this compilation as children of
   * `type[«any instance»]`. A raise or a budget ends that action's evaluation, not the others.
   */
  runUndeclared(def: CustomResourceDef): void {
    this.attributeLayersUsable = false;
    const cookbook = def.schema.cookbook ?? '';
    const name = unknown(`the name is given by whoever declares a ${def.schema.name}`);
    const decl = this.newDecl(def.schema.name, 'custom', name, '«any instance»', {
      loc: { file: def.file, line: 1, column: 1 }, file: def.file, cookbook, origin: `${cookbook}::${path.basename(def.file, '.rb')}`, runItem: 0,
    });
    decl.schema = def.schema;
    const instance = resourceObject(def.cls, { decl, undeclared: true, cache: new Map() });
    let runItem = 0;
    for (const [action, impl] of actionsOn(def, this.facts)) {
      const sc: ScopeContext = {
        cookbook, origin: decl.origin, recipeName: `${path.basename(def.file, '.rb')} :${action}`, runItem: runItem++,
        parent: decl.id, collection: `${decl.id}:${action}`, newResource: { k: 'object', obj: instance }, action, sourceCookbook: null,
      };
      this.expansionDepth++;
      try {
        this.runAction(def, impl, sc);
      } catch {
        // A raise, a budget or a stray `return`: what was declared before it is still checked.
      } finally {
        this.expansionDepth--;
      }
    }
    this.resolveNotifications();
    this.collectFindings();
  }

  /**
   * Runs a definition's body for a call nobody made: `params` (name included) is unknown, so what it
   * declares can be checked whether or not a recipe uses the definition.
   */
  runUndeclaredDefinition(def: DefinitionDef): void {
    this.attributeLayersUsable = false;
    const params = unknown(`params are given by whoever calls ${def.name}`, def.loc);
    const sc: ScopeContext = {
      cookbook: def.cookbook, origin: `${def.cookbook}::${path.basename(def.file, '.rb')}`, recipeName: `definition ${def.name}`, runItem: 0,
      parent: resourceId(def.name, '«any call»'), params, sourceCookbook: null,
    };
    this.expansionDepth++;
    try {
      this.interp.callProcWithSelf(def.body, this.scopeObject(sc), [], { vars: { params } });
    } catch {
      // A raise or a budget: what was declared before it is still checked.
    } finally {
      this.expansionDepth--;
    }
    this.resolveNotifications();
    this.collectFindings();
  }

  /** Loads attributes of a cookbook and (first) of everything it depends on. */
  loadAttributes(name: string): void {
    const order: Cookbook[] = [];
    this.attributeOrder(name, order);
    this.inAttributeFiles = true;
    try {
      if (this.attributeLayersUsable) this.loadLayers(order);
      else for (const cb of order) this.attributes.loadCookbook(cb);
    } finally {
      this.inAttributeFiles = false;
    }
  }

  /** The cookbooks whose attribute files loading `name` runs, in Chef's order (dependencies first). */
  private attributeOrder(name: string, order: Cookbook[]): void {
    if (this.loadedAttributeCookbooks.has(name)) return;
    this.loadedAttributeCookbooks.add(name);
    const cb = this.model.cookbook(name);
    if (!cb) return;
    for (const dep of cb.depends) this.attributeOrder(dep.name, order);
    order.push(cb);
  }

  /**
   * Loads cookbooks' attribute files through the model's layer cache: the longest run of cached
   * layers is restored, the rest evaluated, each cookbook's result kept as a layer for the next
   * compilation. A file that leaves state outside the node's attributes (top-level constants,
   * `node.run_state`) makes the rest of this compilation load without the cache.
   */
  private loadLayers(order: Cookbook[]): void {
    const cache = this.model.attributeLayers;
    const lookup = (n: string) => this.model.cookbook(n);
    let i = 0;
    let at = this.attributeLayer;
    for (; i < order.length; i++) {
      const next = cache.get(at, this.initialLayerKey, order[i], this.model.ws, lookup);
      if (!next) break;
      at = next;
    }
    if (at && at !== this.attributeLayer) {
      this.store.restore(at.snapshot);
      this.attributes.restoreLoaded(at.loadedFiles);
      const replayed: AttributeLayer[] = [];
      for (let l: AttributeLayer | undefined = at; l && l !== this.attributeLayer; l = l.parent) replayed.push(l);
      for (const l of replayed.reverse()) this.interp.findings.push(...l.findings);
      this.attributeLayer = at;
    }
    for (; i < order.length; i++) {
      const cb = order[i];
      if (!this.attributeLayersUsable) { this.attributes.loadCookbook(cb); continue; }
      const findings = this.interp.findings.length;
      const constants = this.interp.constants.size;
      const read = this.attributes.recordCookbook(cb);
      if (this.interp.constants.size !== constants || this.node.runStateUsed()) { this.attributeLayersUsable = false; continue; }
      this.attributeLayer = cache.add(this.attributeLayer, this.initialLayerKey, cb, read, this.store.snapshot(), this.attributes.loadedFiles(), this.interp.findings.slice(findings));
    }
  }

  /** What a bare DSL name declares, if anything. */
  resourceKind(name: string): ResourceKind | undefined {
    if (this.model.definitions.has(name)) return 'definition';
    if (this.model.catalog.has(name)) return this.model.customDefs.has(this.model.catalog.resolve(name, this.facts)?.name ?? '') ? 'custom' : 'builtin';
    if (this.model.libraryResourceNames.has(name)) return 'library';
    return undefined;
  }

  isCloseToKnownType(name: string): boolean {
    return this.model.catalog.suggest(name).length > 0;
  }

  private newDecl(type: string, kind: ResourceKind, nameV: Value, nameText: string, at: Pick<ResourceDecl, 'loc' | 'file' | 'cookbook' | 'origin' | 'runItem'> & { nameLoc?: SourceLocation }): ResourceDecl {
    return {
      seq: this.seq++, type, resolvedType: type, name: nameV, nameText, id: resourceId(type, nameText), props: [], actions: [], explicitAction: false,
      notifications: [], guards: [], conditional: this.interp.currentCondition(), repeated: this.interp.currentRepetition(),
      custom: kind === 'custom' || undefined, ...at,
    };
  }

  /** Declares a resource (or expands a definition) from a DSL call in a recipe, action or definition body. */
  declare(type: string, kind: ResourceKind, args: Value[], ctx: EvalCallContext, scope: RInstance): Value {
    const sc = scopeOf({ k: 'object', obj: scope })!;
    // `apt_update` with no name is Chef's empty name; an explicit nil is a missing one.
    const nameV = args[0] ?? str('');
    const { text: nameText, unknownReason } = nameOf(nameV);
    if (kind === 'definition') return this.expandDefinition(type, nameV, nameText, ctx, scope);
    const schema = kind === 'builtin' || kind === 'custom' ? this.model.catalog.resolve(type, this.facts) : undefined;
    const decl = this.newDecl(type, kind, nameV, nameText, {
      loc: ctx.loc!, nameLoc: ctx.nameLoc, file: ctx.env.unit.file, cookbook: sc.cookbook, origin: sc.origin, runItem: sc.runItem,
    });
    decl.resolvedType = schema?.name ?? type;
    decl.schema = schema;
    if (!schema) decl.schemaMissing = kind === 'library' ? 'library' : kind === 'unknown' ? 'unknown' : 'other-platform';
    if (unknownReason) decl.nameUnknown = unknownReason;
    if (sc.parent) decl.parent = sc.parent;
    if (sc.parent && sc.action) decl.parentAction = sc.action.replace(/^:/, '');
    if (sc.collection) decl.collection = sc.collection;
    if (sc.sourceCookbook !== undefined) decl.sourceCookbook = sc.sourceCookbook;
    const def = schema ? this.model.customDefs.get(schema.name) : undefined;
    const cls = def?.cls ?? (schema ? this.model.world.builtinResourceClass(schema.name) : undefined) ?? this.model.world.resource;
    const state: ResourceState = { decl, declaredIn: scope, blockNode: ctx.blockNode, cache: new Map() };
    const obj = resourceObject(cls, state);
    const self: Value = { k: 'object', obj };
    // Chef evaluates the block with the resource as self, passing new_resource inside an action.
    if (ctx.block) this.interp.callProcWithSelf(ctx.block, obj, sc.newResource ? [sc.newResource] : [], { scope: { nesting: blockNesting(ctx.block), definee: obj.singleton() } });
    if (!decl.explicitAction) decl.actions = schema ? [schema.defaultAction] : [];
    const compileTime = propValue(decl, 'compile_time');
    if (compileTime?.k === 'bool' && compileTime.v) decl.compileTime = true;
    this.resources.push(decl);
    if (unknownReason) this.nameFinding(decl, nameV, unknownReason);
    if (def) this.expandCustom(decl, def, sc, self);
    return self;
  }

  /** A resource whose name is nil (Chef stops: name is required) or not known statically. */
  private nameFinding(decl: ResourceDecl, nameV: Value, reason: string): void {
    const loc = decl.nameLoc ?? decl.loc;
    if (nameV.k === 'nil' && !decl.conditional && !decl.repeated) {
      this.findings.push({ code: 'resource-name-nil', severity: 'warning', loc, message: `The name of this ${decl.type} is nil: Chef stops with "name is a required property".` });
    } else if (nameV.k !== 'nil') {
      this.findings.push({ code: 'resource-name-unknown', severity: 'info', loc, message: `The name of this ${decl.type} is not known statically: ${reason}.` });
    }
  }

  /** Runs each action of a custom resource instance in its provider, in a collection of its own. */
  private expandCustom(decl: ResourceDecl, def: CustomResourceDef, scope: ScopeContext, self: Value): void {
    if (this.expansionDepth >= MAX_EXPANSION_DEPTH) return;
    // An action we cannot read could be any of them: each is run, under that condition.
    const impls = actionsOn(def, this.facts);
    const actions = decl.actionUnknown ? [...impls.keys()] : decl.actions;
    this.expansionDepth++;
    try {
      for (const action of actions) {
        const impl = impls.get(action);
        if (!impl) continue;
        const sc: ScopeContext = {
          ...scope, cookbook: def.schema.cookbook ?? scope.cookbook, parent: decl.id, collection: `${decl.id}#${decl.seq}:${action}`,
          newResource: self, action, sourceCookbook: sourceCookbookOf(scope),
        };
        this.collectionParents.set(sc.collection!, decl.collection);
        this.interp.underCondition(decl.actionUnknown ? `the action of ${decl.id} is not known (${decl.actionUnknown})` : undefined, () => this.runActionReporting(decl, def, impl, sc, action));
      }
    } finally {
      this.expansionDepth--;
    }
  }

  /** Runs an action; a raise there fails the converge of that resource: reported at its declaration. */
  private runActionReporting(decl: ResourceDecl, def: CustomResourceDef, impl: ActionImpl, sc: ScopeContext, action: string): void {
    try {
      this.runAction(def, impl, sc);
    } catch (e) {
      if (!(e instanceof RubyRaise)) throw e;
      const at = decl.nameLoc ?? decl.loc;
      this.findings.push({
        code: 'action-raises', severity: 'warning', loc: at,
        message: `On ${this.platformLabel}, ${decl.type} :${action} stops with an error: ${e.message}`,
        ...(e.loc ? { related: [{ loc: e.loc, message: 'raised here' }] } : {}),
      });
    }
  }

  /** A provider object for one action: its `@new_resource`, `@current_resource` and `@action` as Chef sets them. */
  private providerObject(cls: RModule, sc: ScopeContext, label: string): RInstance {
    const provider = new RInstance(cls, { sc, provider: true }, label);
    if (sc.newResource) provider.ivars.set('@new_resource', sc.newResource);
    provider.ivars.set('@current_resource', unknown('current_resource is the state read from the machine at converge time'));
    if (sc.action) provider.ivars.set('@action', { k: 'sym', v: sc.action });
    return provider;
  }

  private runAction(def: CustomResourceDef, impl: ActionImpl, sc: ScopeContext): void {
    const world = this.model.world;
    if (impl.kind === 'block') {
      const provider = this.providerObject(impl.provider ?? world.actionClassOf(def.cls), sc, `${def.schema.name} action ${sc.action}`);
      this.interp.callProcWithSelf(impl.proc, provider, [], { scope: { nesting: blockNesting(impl.proc), definee: provider.singleton() } });
      return;
    }
    const provider = this.providerObject(impl.provider, sc, `${impl.provider.name} #${impl.method}`);
    const entry = impl.provider.findMethod(impl.method);
    if (entry?.def) this.interp.invokeMethod(entry.def, provider, [], undefined, this.interp.ctx(new Env(undefined, provider, entry.def.unit)), entry);
  }

  private expandDefinition(type: string, nameV: Value, nameText: string, ctx: EvalCallContext, scope: RInstance): Value {
    const sc = scopeOf({ k: 'object', obj: scope })!;
    const def = this.model.definitions.get(type)!;
    const params = new DefinitionParams(def.defaults, nameV, this.node);
    if (ctx.block) this.interp.callProcWithSelf(ctx.block, params);
    const decl = this.newDecl(type, 'definition', nameV, nameText, { loc: ctx.loc!, nameLoc: ctx.nameLoc, file: ctx.env.unit.file, cookbook: sc.cookbook, origin: sc.origin, runItem: sc.runItem });
    decl.custom = true;
    decl.definition = true;
    if (sc.parent) decl.parent = sc.parent;
    if (sc.parent && sc.action) decl.parentAction = sc.action.replace(/^:/, '');
    if (sc.collection) decl.collection = sc.collection;
    for (const [k, v] of params.values) if (k !== 'name') decl.props.push({ name: k, value: v, loc: ctx.loc!, known: true });
    this.resources.push(decl);
    if (this.expansionDepth >= MAX_EXPANSION_DEPTH) return NIL;
    this.expansionDepth++;
    try {
      // A definition's body is part of the recipe that calls it: same collection.
      const inner: ScopeContext = { ...sc, cookbook: def.cookbook, parent: decl.id, params: params.toHash(), sourceCookbook: sourceCookbookOf(sc) };
      this.interp.callProcWithSelf(def.body, this.scopeObject(inner), [], { vars: { params: params.toHash() } });
    } finally {
      this.expansionDepth--;
    }
    return NIL;
  }

  /** `include_recipe 'cookbook::recipe'`: evaluates it once per run. `literal`: where the argument is written. */
  includeRecipe(specV: Value, ctx: EvalCallContext | undefined, from: RInstance | undefined, literal?: SourceLocation): void {
    this.include(specV, ctx, from, { literal });
  }

  private include(specV: Value, ctx: EvalCallContext | undefined, from: RInstance | undefined, { runItem, literal }: { runItem?: number; literal?: SourceLocation }): void {
    this.attributeLayersUsable = false;
    const fromSc = from ? scopeOf({ k: 'object', obj: from }) : undefined;
    if (specV.k !== 'str' && specV.k !== 'sym') {
      if (specV.k === 'unknown' && ctx?.loc) this.findings.push({ code: 'include-unknown', severity: 'info', loc: ctx.loc, message: `The recipe included here is not known statically: ${specV.reason}.` });
      return;
    }
    let spec = specV.v.replace(/^recipe\[(.*)\]$/, '$1');
    if (spec.startsWith('::') && fromSc) spec = fromSc.cookbook + spec;
    const [cbName, recipe = 'default'] = spec.split('::');
    const id = `${cbName}::${recipe}`;
    if (fromSc) this.recipes.get(fromSc.origin)?.includes.push(id);
    if (this.recipes.has(id)) return;
    const cb = this.model.cookbook(cbName);
    if (!cb) {
      if (!this.missingCookbooks.has(cbName)) {
        this.missingCookbooks.set(cbName, ctx?.loc);
        const word = nameInLiteral(specV.v, cbName, literal, 'cookbook');
        if (word) this.missingCookbookNames.set(cbName, word);
      }
      return;
    }
    const file = cb.files.recipes.find((f) => path.basename(f).replace(/\.(rb|ya?ml)$/, '') === recipe);
    if (!file) {
      const data = missingRecipeData(cb, recipe, nameInLiteral(specV.v, recipe, literal, 'recipe'));
      if (ctx?.loc) this.findings.push({ code: 'missing-recipe', severity: 'error', loc: ctx.loc, message: missingRecipeMessage(id, cb, this.model.cookbooks.values()), ...(data ? { data } : {}) });
      return;
    }
    this.loadAttributes(cbName);
    this.recipes.set(id, { id, file, includes: [] });
    const sc: ScopeContext = { cookbook: cbName, origin: id, recipeName: recipe, runItem: runItem ?? fromSc?.runItem ?? 0 };
    this.evalRecipeFile(file, this.scopeObject(sc));
  }

  private evalRecipeFile(file: string, scope: RInstance): void {
    if (/\.ya?ml$/.test(file)) {
      evalYamlRecipe(this, file, scope);
      return;
    }
    const parsed = this.model.ws.parse(file);
    if (!parsed) return;
    const { raised } = this.interp.evalProgram(new Env(undefined, scope, { file, parsed }, { nesting: [] }));
    if (raised) this.recipeRaised(file, raised);
  }

  /** The platform as people name it (a container's facts say what it runs: debian-12.5). */
  private get platformLabel(): string {
    return this.facts.profile === 'container' ? `${this.facts.platform}-${this.facts.platformVersion}` : this.facts.profile;
  }

  /** A recipe that raises for certain: reported where the recipe makes the call that ends in the raise. */
  private recipeRaised(file: string, raised: RubyRaise): void {
    const inRecipe = [...raised.callSites, raised.loc].find((l) => l?.file === file);
    const loc = inRecipe ?? raised.loc ?? { file, line: 1, column: 1 };
    const related = raised.loc && raised.loc !== loc ? [{ loc: raised.loc, message: 'raised here' }] : undefined;
    this.findings.push({ code: 'recipe-raises', severity: 'warning', loc, message: `On ${this.platformLabel} this recipe stops with an error: ${raised.message}`, ...(related ? { related } : {}) });
  }

  /** `resources('service[x]')`, `resources(service: 'x')`, `find_resource(:service, 'x')`. */
  findResource(args: Value[], ctx: EvalCallContext, from?: ScopeContext): Value {
    let type: string | undefined, name: string | undefined;
    const a0 = args[0];
    if (a0?.k === 'str') { const t = parseTarget(a0.v); type = t?.type; name = t?.name; }
    else if (a0?.k === 'hash') { const e = [...a0.map.values()][0]; if (e && !findUnknown(e.value)) { type = toS(e.key); name = toS(e.value); } }
    if (a0?.k === 'sym' && args[1] && !findUnknown(args[1])) { type = a0.v; name = toS(args[1]); }
    else if (a0?.k === 'str' && args[1] && !findUnknown(args[1])) { type = a0.v; name = toS(args[1]); }
    if (!type || name === undefined) return unknown('resource lookup not known statically', ctx.loc);
    const found = this.lookup(type, name, from ? { collection: from.collection, runItem: from.runItem } : undefined);
    if (found) return this.objectOf(found);
    return { k: 'object', obj: new ResourceRef(resourceId(type, name)) };
  }

  parentCollection(collection: string | undefined): string | undefined {
    return collection === undefined ? undefined : this.collectionParents.get(collection);
  }

  /** The resource object of a declaration (a fresh view: its state is the declaration). */
  private objectOf(decl: ResourceDecl): Value {
    const def = decl.schema ? this.model.customDefs.get(decl.schema.name) : undefined;
    const cls: RModule = def?.cls ?? (decl.schema ? this.model.world.builtinResourceClass(decl.schema.name) : undefined) ?? this.model.world.resource;
    return { k: 'object', obj: resourceObject(cls, { decl, cache: new Map() }) };
  }

  /**
   * The defaults of a custom resource's properties the run did not set, as Chef computes them when
   * they are read: lazy ones evaluated with the resource as self (and the node as the run left it).
   */
  customDefaults(decl: ResourceDecl): Map<string, Value> {
    const out = new Map<string, Value>();
    const def = decl.schema ? this.model.customDefs.get(decl.schema.name) : undefined;
    if (!def || decl.definition) return out;
    const obj = this.objectOf(decl);
    const st = resourceStateOf(obj)!;
    const unit = { file: def.file, parsed: this.model.ws.parse(def.file)! };
    if (!unit.parsed || obj.k !== 'object') return out;
    const ctx = this.interp.ctx(new Env(undefined, obj.obj, unit));
    for (const name of allProperties(def.cls).keys()) {
      if (propValue(decl, name) !== undefined) continue;
      try {
        out.set(name, readProperty(obj, st, name, ctx));
      } catch (e) {
        if (e instanceof RubyRaise) out.set(name, unknown(`reading its default raises: ${e.message}`));
        else throw e;
      }
    }
    return out;
  }

  /** `edit_resource(...) do … end`: the block changes an existing resource. */
  editResource(decl: ResourceDecl, block: Value, ctx: EvalCallContext, from: ScopeContext): void {
    const obj = this.objectOf(decl);
    const st = resourceStateOf(obj)!;
    st.blockNode = ctx.blockNode;
    if (obj.k === 'object') this.interp.callProcWithSelf(block, obj.obj, from.newResource ? [from.newResource] : [], { scope: { nesting: blockNesting(block) } });
  }

  /**
   * The last declared resource with this type (as written or resolved) and name, as Chef's lookup
   * does: in the given collection, then the ones it is nested in, up to the run's.
   */
  lookup(type: string, name: string, from?: { collection?: string; runItem: number }): ResourceDecl | undefined {
    const matches = (r: ResourceDecl) => (r.type === type || r.resolvedType === type) && !r.nameUnknown && (r.nameText === name || (r.name.k === 'array' && r.name.items.some((x) => toS(x) === name)));
    if (!from) {
      for (let i = this.resources.length - 1; i >= 0; i--) if (matches(this.resources[i])) return this.resources[i];
      return undefined;
    }
    for (let c: string | undefined = from.collection, depth = 0; depth < 32; c = this.parentCollection(c), depth++) {
      for (let i = this.resources.length - 1; i >= 0; i--) {
        const r = this.resources[i];
        if (r.collection === c && (c !== undefined || r.runItem === from.runItem) && matches(r)) return r;
      }
      if (c === undefined) break;
    }
    return undefined;
  }

  /** Resolves every notification target against the whole collection (as `lookup` would, with an index). */
  private resolveNotifications(): void {
    const index = new Map<string, Map<string, ResourceDecl>>();
    for (const r of this.resources) for (const n of r.notifications) if (n.targetType && !index.has(n.targetType)) index.set(n.targetType, new Map());
    if (!index.size) return;
    const add = (type: string, r: ResourceDecl) => {
      const byName = index.get(type);
      if (!byName || r.nameUnknown) return;
      byName.set(r.nameText, r);
      if (r.name.k === 'array') for (const x of r.name.items) byName.set(toS(x), r);
    };
    for (const r of this.resources) { add(r.type, r); if (r.resolvedType !== r.type) add(r.resolvedType, r); }
    for (const r of this.resources) {
      for (const n of r.notifications) {
        if (n.targetType && n.targetName !== undefined) n.resolved = index.get(n.targetType)?.get(n.targetName);
      }
    }
  }

  /** The cookbook object of a name, if it is in the workspace. */
  cookbook(name: string): Cookbook | undefined {
    return this.model.cookbook(name);
  }
}

/** The name of a resource as Chef prints it, or why it cannot be known (never its source text). */
function nameOf(v: Value): { text: string; unknownReason?: string } {
  if (v.k === 'str' || v.k === 'sym') return { text: v.v };
  if (v.k === 'int' || v.k === 'float') return { text: String(v.v) };
  if (v.k === 'array' && v.items.every((i) => i.k === 'str' || i.k === 'sym')) return { text: v.items.map(toS).join(', ') };
  if (v.k === 'nil') return { text: '«nil»', unknownReason: 'the name is nil' };
  const u = findUnknown(v);
  if (u) return { text: '«unknown»', unknownReason: u.reason };
  return { text: '«unknown»', unknownReason: `the name is ${inspect(v)}, not a string` };
}

/** The lexical nesting a block was written in (its constants resolve from there). */
function blockNesting(block: Value): RModule[] {
  return block.k === 'proc' || block.k === 'lazy' ? ((block.proc.env as Env).scope.nesting) : [];
}
