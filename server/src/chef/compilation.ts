/**
 * One compilation of a run list for a platform: loads the attributes of the cookbooks involved,
 * evaluates recipes in order (include_recipe once each, as Chef does), declares resources, expands
 * custom resources and definitions, and resolves notifications. The result is the resource
 * collection in converge order; validation rules and the graph read it.
 */
import * as path from 'node:path';
import type { SourceLocation } from '../protocol';
import { type Value, type RubyObject, NIL, str, unknown, toS, inspect } from '../ruby/values';
import { Interpreter, Env, type EvalCallContext, type EvalFinding, type MethodDef } from '../ruby/interpreter';
import { AttributeStore, NodeObject } from './attributes';
import { AttributeLoader } from './attributeFiles';
import { resolveChefConstant } from './constants';
import { type PlatformFacts, automaticAttributes } from './platforms';
import type { ResourceSchema } from './catalog/schema';
import { valueFromCatalogJson } from './catalog/builtin';
import { type ResourceDecl, resourceId, parseTarget, propValue } from './resourceDecl';
import { ResourceScope, ResourceRef } from './resourceScope';
import { RecipeScope, DefinitionParams, type ScopeContext, sourceCookbookOf } from './recipeScope';
import type { CustomResourceDef, DefinitionDef } from './customResources';
import { evalYamlRecipe } from './yamlRecipe';
import type { Model } from './model';
import type { Cookbook } from './workspace';

export type ResourceKind = 'builtin' | 'custom' | 'definition' | 'library' | 'unknown';

/** A problem found while compiling (rules add theirs later). */
export interface CompileFinding extends EvalFinding {
  related?: { loc: SourceLocation; message: string }[];
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

export class Compilation {
  readonly resources: ResourceDecl[] = [];
  readonly recipes = new Map<string, IncludedRecipe>();
  readonly findings: CompileFinding[] = [];
  readonly attributeReads: AttributeRead[] = [];
  /** Dependencies named by include_recipe or resources that are not in the workspace (reported once). */
  readonly missingCookbooks = new Map<string, SourceLocation | undefined>();
  readonly store = new AttributeStore();
  readonly node: NodeObject;
  readonly interp: Interpreter;
  private readonly attributes: AttributeLoader;
  private readonly loadedAttributeCookbooks = new Set<string>();
  private seq = 0;
  private expansionDepth = 0;
  /** Library helpers plus a custom resource's own methods, made once per resource type in a compilation. */
  private readonly actionMethods = new Map<CustomResourceDef, Map<string, MethodDef>>();

  constructor(readonly model: Model, readonly facts: PlatformFacts) {
    this.interp = new Interpreter(undefined, resolveChefConstant);
    this.node = new NodeObject(this.store, (p, loc) => this.attributeReads.push({ path: p, loc }));
    this.store.setAutomatic(automaticAttributes(facts));
    this.attributes = new AttributeLoader(model.ws, this.interp, this.node, facts, model.helpers, (n) => model.ws.cookbooks.get(n));
  }

  /** Compiles `cookbook::recipe` entries (a bare name means its default recipe). */
  run(runList: string[]): void {
    const cookbooks = runList.map((r) => r.split('::')[0]);
    for (const name of cookbooks) this.loadAttributes(name);
    runList.forEach((item, i) => this.includeRecipe(str(item), undefined, undefined, i));
    this.resolveNotifications();
    for (const f of this.interp.findings) this.findings.push(f);
  }

  /**
   * Runs every action of a custom resource for an instance no recipe declares: its name and
   * properties are unknown (whoever declares one sets them), so what the actions declare can be
   * checked on its own, used or not. The resources declared land in this compilation as children of
   * `type[«any instance»]`. A raise or a budget ends that action's evaluation, not the others.
   */
  runUndeclared(def: CustomResourceDef): void {
    const cookbook = def.schema.cookbook ?? '';
    const parent = resourceId(def.schema.name, '«any instance»');
    const newResource = new UndeclaredResourceObject(def);
    const methods = this.methodsOf(def);
    const origin = `${cookbook}::${path.basename(def.file, '.rb')}`;
    let runItem = 0;
    for (const [action, body] of def.actions) {
      const sc: ScopeContext = { cookbook, origin, recipeName: `${path.basename(def.file, '.rb')} :${action}`, runItem: runItem++, parent, newResource, sourceCookbook: null };
      this.expansionDepth++;
      try {
        this.interp.callProcWithSelf(body.proc, new RecipeScope(this, sc), [], { methods });
      } catch {
        // A raise, a budget or a stray `return`: what was declared before it is still checked.
      } finally {
        this.expansionDepth--;
      }
    }
    this.resolveNotifications();
  }

  /**
   * Runs a definition's body for a call nobody made: `params` (name included) is unknown, so what it
   * declares can be checked whether or not a recipe uses the definition.
   */
  runUndeclaredDefinition(def: DefinitionDef): void {
    const params = unknown(`params are given by whoever calls ${def.name}`, def.loc);
    const sc: ScopeContext = {
      cookbook: def.cookbook, origin: `${def.cookbook}::${path.basename(def.file, '.rb')}`, recipeName: `definition ${def.name}`, runItem: 0,
      parent: resourceId(def.name, '«any call»'), params, sourceCookbook: null,
    };
    this.expansionDepth++;
    try {
      this.interp.callProcWithSelf(def.body, new RecipeScope(this, sc), [], { vars: { params }, methods: new Map(this.model.helpers) });
    } catch {
      // A raise or a budget: what was declared before it is still checked.
    } finally {
      this.expansionDepth--;
    }
    this.resolveNotifications();
  }

  /** What an action of the resource can call: library helpers, then the resource's own methods. */
  private methodsOf(def: CustomResourceDef): Map<string, MethodDef> {
    let methods = this.actionMethods.get(def);
    if (!methods) {
      methods = new Map(this.model.helpers);
      for (const [name, m] of def.methods) methods.set(name, m);
      this.actionMethods.set(def, methods);
    }
    return methods;
  }

  /** Loads attributes of a cookbook and (first) of everything it depends on. */
  loadAttributes(name: string): void {
    if (this.loadedAttributeCookbooks.has(name)) return;
    this.loadedAttributeCookbooks.add(name);
    const cb = this.model.ws.cookbooks.get(name);
    if (!cb) return;
    for (const dep of cb.depends) this.loadAttributes(dep.name);
    this.attributes.loadCookbook(cb);
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

  /** Declares a resource (or expands a definition) from a recipe-level call. */
  declare(type: string, kind: ResourceKind, args: Value[], ctx: EvalCallContext, scope: RecipeScope): Value {
    const nameV = args[0] ?? str('');
    const nameText = this.nameText(nameV, ctx);
    if (kind === 'definition') return this.expandDefinition(type, nameV, nameText, ctx, scope);
    const schema = kind === 'builtin' || kind === 'custom' ? this.model.catalog.resolve(type, this.facts) : undefined;
    const decl: ResourceDecl = {
      seq: this.seq++,
      type,
      resolvedType: schema?.name ?? type,
      schema,
      schemaMissing: schema ? undefined : kind === 'library' ? 'library' : kind === 'unknown' ? 'unknown' : 'other-platform',
      name: nameV,
      nameText,
      id: resourceId(type, nameText),
      props: [],
      actions: [],
      explicitAction: false,
      notifications: [],
      guards: [],
      loc: ctx.loc!,
      nameLoc: ctx.nameLoc,
      file: ctx.env.unit.file,
      cookbook: scope.sc.cookbook,
      origin: scope.sc.origin,
      runItem: scope.sc.runItem,
      conditional: this.interp.currentCondition(),
      repeated: this.interp.currentRepetition(),
      parent: scope.sc.parent,
      custom: kind === 'custom' || undefined,
    };
    if (scope.sc.sourceCookbook !== undefined) decl.sourceCookbook = scope.sc.sourceCookbook;
    const resourceScope = new ResourceScope(decl, scope, ctx.blockNode);
    if (ctx.block) this.interp.callProcWithSelf(ctx.block, resourceScope, [{ k: 'object', obj: resourceScope }]);
    if (!decl.explicitAction) decl.actions = schema ? [schema.defaultAction] : [];
    const compileTime = propValue(decl, 'compile_time');
    if (compileTime?.k === 'bool' && compileTime.v) decl.compileTime = true;
    this.resources.push(decl);
    const def = schema ? this.model.customDefs.get(schema.name) : undefined;
    if (def) this.expandCustom(decl, def, scope);
    return { k: 'object', obj: new ResourceRef(decl, decl.id) };
  }

  /** The name of a resource as Chef prints it; an unknown name shows its source text. */
  private nameText(v: Value, ctx: EvalCallContext): string {
    if (v.k === 'str' || v.k === 'sym') return v.v;
    if (v.k === 'array' && v.items.every((i) => i.k === 'str' || i.k === 'sym')) return v.items.map(toS).join(', ');
    const src = ctx.node?.arguments_?.arguments_?.[0];
    return src ? ctx.interp.source(ctx.env.unit, src) : inspect(v);
  }

  /** Runs the custom resource's actions with `new_resource` bound to this instance. */
  private expandCustom(decl: ResourceDecl, def: CustomResourceDef, scope: RecipeScope): void {
    if (this.expansionDepth >= MAX_EXPANSION_DEPTH) return;
    const newResource = new NewResourceObject(decl, def, this.interp);
    const methods = this.methodsOf(def);
    this.expansionDepth++;
    try {
      for (const action of decl.actions) {
        const body = def.actions.get(action);
        if (!body) continue;
        const sc: ScopeContext = { ...scope.sc, cookbook: def.schema.cookbook ?? scope.sc.cookbook, parent: decl.id, newResource, sourceCookbook: sourceCookbookOf(scope.sc) };
        this.interp.callProcWithSelf(body.proc, new RecipeScope(this, sc), [], { methods });
      }
    } finally {
      this.expansionDepth--;
    }
  }

  private expandDefinition(type: string, nameV: Value, nameText: string, ctx: EvalCallContext, scope: RecipeScope): Value {
    const def = this.model.definitions.get(type)!;
    const params = new DefinitionParams(def.defaults, nameV);
    if (ctx.block) this.interp.callProcWithSelf(ctx.block, params);
    const decl: ResourceDecl = {
      seq: this.seq++, type, resolvedType: type, name: nameV, nameText, id: resourceId(type, nameText), props: [],
      actions: [], explicitAction: false, notifications: [], guards: [], loc: ctx.loc!, nameLoc: ctx.nameLoc, file: ctx.env.unit.file,
      cookbook: scope.sc.cookbook, origin: scope.sc.origin, runItem: scope.sc.runItem, conditional: this.interp.currentCondition(),
      repeated: this.interp.currentRepetition(), parent: scope.sc.parent, custom: true, definition: true,
    };
    for (const [k, v] of params.values) if (k !== 'name') decl.props.push({ name: k, value: v, loc: ctx.loc!, known: true });
    this.resources.push(decl);
    if (this.expansionDepth >= MAX_EXPANSION_DEPTH) return NIL;
    this.expansionDepth++;
    try {
      const sc: ScopeContext = { ...scope.sc, cookbook: def.cookbook, parent: decl.id, params: params.toHash(), sourceCookbook: sourceCookbookOf(scope.sc) };
      this.interp.callProcWithSelf(def.body, new RecipeScope(this, sc), [], { vars: { params: params.toHash() }, methods: new Map(this.model.helpers) });
    } finally {
      this.expansionDepth--;
    }
    return NIL;
  }

  /** `include_recipe 'cookbook::recipe'`: evaluates it once per run. */
  includeRecipe(specV: Value, ctx: EvalCallContext | undefined, from: RecipeScope | undefined, runItem = from?.sc.runItem ?? 0): void {
    if (specV.k !== 'str' && specV.k !== 'sym') return;
    let spec = specV.v.replace(/^recipe\[(.*)\]$/, '$1');
    if (spec.startsWith('::') && from) spec = from.sc.cookbook + spec;
    const [cbName, recipe = 'default'] = spec.split('::');
    const id = `${cbName}::${recipe}`;
    if (from) this.recipes.get(from.sc.origin)?.includes.push(id);
    if (this.recipes.has(id)) return;
    const cb = this.model.ws.cookbooks.get(cbName);
    if (!cb) {
      if (!this.missingCookbooks.has(cbName)) this.missingCookbooks.set(cbName, ctx?.loc);
      return;
    }
    const file = cb.files.recipes.find((f) => path.basename(f).replace(/\.(rb|ya?ml)$/, '') === recipe);
    if (!file) {
      if (ctx?.loc) this.findings.push({ code: 'missing-recipe', severity: 'error', loc: ctx.loc, message: `Recipe ${id} does not exist (${cb.dir}/recipes has ${cb.files.recipes.map((f) => path.basename(f)).join(', ') || 'no recipes'}).` });
      return;
    }
    this.loadAttributes(cbName);
    this.recipes.set(id, { id, file, includes: [] });
    const scope = new RecipeScope(this, { cookbook: cbName, origin: id, recipeName: recipe, runItem });
    this.evalRecipeFile(file, scope);
  }

  private evalRecipeFile(file: string, scope: RecipeScope): void {
    if (/\.ya?ml$/.test(file)) {
      evalYamlRecipe(this, file, scope);
      return;
    }
    const parsed = this.model.ws.parse(file);
    if (!parsed) return;
    const env = new Env(undefined, scope, { file, parsed }, new Map(this.model.helpers));
    const { raised } = this.interp.evalProgram(env);
    if (raised) {
      this.findings.push({ code: 'recipe-raises', severity: 'warning', loc: raised.loc ?? { file, line: 1, column: 1 }, message: `On ${this.facts.profile} this recipe stops with an error: ${raised.message}` });
    }
  }

  /** `resources('service[x]')`, `resources(service: 'x')`, `find_resource(:service, 'x')`. */
  findResource(args: Value[], ctx: EvalCallContext): Value {
    let type: string | undefined, name: string | undefined;
    const a0 = args[0];
    if (a0?.k === 'str') { const t = parseTarget(a0.v); type = t?.type; name = t?.name; }
    else if (a0?.k === 'hash') { const e = [...a0.map.values()][0]; if (e) { type = toS(e.key); name = toS(e.value); } }
    if (a0?.k === 'sym' && args[1]) { type = a0.v; name = toS(args[1]); }
    else if (a0?.k === 'str' && args[1]) { type = a0.v; name = toS(args[1]); }
    if (!type || name === undefined) return unknown('resource lookup not known statically', ctx.loc);
    const id = resourceId(type, name);
    const found = this.lookup(type, name);
    return { k: 'object', obj: new ResourceRef(found, id) };
  }

  /** `edit_resource(...) do … end`: the block changes an existing resource. */
  editResource(decl: ResourceDecl, block: Value, scope: RecipeScope, ctx: EvalCallContext): void {
    this.interp.callProcWithSelf(block, new ResourceScope(decl, scope, ctx.blockNode));
  }

  /** The last declared resource with this type (as written or resolved) and name, as Chef's lookup does. */
  lookup(type: string, name: string): ResourceDecl | undefined {
    for (let i = this.resources.length - 1; i >= 0; i--) {
      const r = this.resources[i];
      if ((r.type === type || r.resolvedType === type) && (r.nameText === name || (r.name.k === 'array' && r.name.items.some((x) => toS(x) === name)))) return r;
    }
    return undefined;
  }

  /** Resolves every notification target against the whole collection (as `lookup` would, with an index). */
  private resolveNotifications(): void {
    // Target type (as written or resolved) → name → the last declaration, as lookup's backwards scan
    // finds it; only the types some notification names are indexed.
    const index = new Map<string, Map<string, ResourceDecl>>();
    for (const r of this.resources) for (const n of r.notifications) if (n.targetType && !index.has(n.targetType)) index.set(n.targetType, new Map());
    if (!index.size) return;
    const add = (type: string, r: ResourceDecl) => {
      const byName = index.get(type);
      if (!byName) return;
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
    return this.model.ws.cookbooks.get(name);
  }
}

/** `new_resource` of an instance nobody declared: its name and properties are unknown. */
export class UndeclaredResourceObject implements RubyObject {
  readonly className: string;
  constructor(readonly def: CustomResourceDef) {
    this.className = `Chef::Resource(${def.schema.name})`;
  }
  describe(): string { return `new_resource (any ${this.def.schema.name})`; }
  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    if (args.length) return method === 'updated_by_last_action' ? NIL : undefined;
    const type = this.def.schema.name;
    if (method === 'resource_name' || method === 'declared_type') return { k: 'sym', v: type };
    if (method === 'name' || method === 'to_s' || this.def.schema.properties.has(method)) {
      return unknown(`new_resource.${method} is set by whoever declares a ${type}`, ctx.loc);
    }
    return undefined;
  }
}

/** `new_resource` in a custom resource action: the instance's properties, with defaults filled in. */
export class NewResourceObject implements RubyObject {
  readonly className: string;
  private readonly cache = new Map<string, Value>();
  constructor(readonly decl: ResourceDecl, readonly def: CustomResourceDef, private readonly interp: Interpreter) {
    this.className = `Chef::Resource(${def.schema.name})`;
  }
  describe(): string { return `new_resource (${this.decl.id})`; }
  call(method: string, args: Value[], _ctx: EvalCallContext): Value | undefined {
    if (args.length) return method === 'updated_by_last_action' ? NIL : undefined;
    if (method === 'name') return this.decl.name;
    if (method === 'to_s') return str(this.decl.id);
    if (method === 'resource_name' || method === 'declared_type') return { k: 'sym', v: this.decl.type };
    const schema: ResourceSchema = this.def.schema;
    const prop = schema.properties.get(method);
    if (!prop) return undefined;
    const set = propValue(this.decl, method);
    if (set !== undefined) return set.k === 'lazy' ? this.interp.callProcWithSelf(set, this) : set;
    if (this.cache.has(method)) return this.cache.get(method);
    let v: Value = NIL;
    const def = this.def.defaults.get(method);
    if (prop.nameProperty) v = this.decl.name;
    else if (def?.k === 'lazy' || def?.k === 'proc') v = this.interp.callProcWithSelf(def, this, [{ k: 'object', obj: this }]);
    else if (def) v = def;
    else if (prop.defaultKind === 'literal' && prop.default !== undefined) v = valueFromCatalogJson(prop.default);
    this.cache.set(method, v);
    return v;
  }
}
