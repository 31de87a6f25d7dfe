/**
 * A resource object (`file '/x' do … end`, `new_resource` in an action): property accessors that
 * read and write its declaration (coerced as Chef does, defaults and lazy values evaluated with the
 * resource as self), `action`, notifications, guards, `set_or_return`. A call the resource does not
 * answer goes to the enclosing provider, as Chef's method_missing does; a property-shaped statement
 * nobody answers is recorded for validation to report.
 */
import type { GraphGuard, SourceLocation, Timing } from '../../protocol';
import {
  type Value, NIL, str, sym, arr, bool, unknown, toS, inspect, findUnknown, truthy, hashGetName,
} from '../../ruby/values';
import { RInstance, lookupClassOf, type NativeMethod, type RModule } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import { valueFromCatalogJson } from '../catalog/builtin';
import { type ResourceDecl, type NotificationDecl, parseTarget, propValue } from '../resourceDecl';
import { findProperty, type PropertyDef } from './resourceClass';
import type { ChefWorld } from './chefWorld';
import { runHost, scopeOf } from './host';

/** What a resource object knows beyond its class. */
export interface ResourceState {
  decl: ResourceDecl;
  /** The recipe, action or definition object that declared it (its enclosing provider when an action). */
  declaredIn?: RInstance;
  /** The block as written, to tell statements (possible property setters) from expressions. */
  blockNode?: unknown;
  statements?: Set<unknown>;
  /** An instance no recipe declares (a custom resource's actions checked on their own). */
  undeclared?: boolean;
  cache: Map<string, Value>;
}

export function resourceStateOf(v: Value | undefined): ResourceState | undefined {
  return v?.k === 'object' && v.obj instanceof RInstance ? (v.obj.data.resource as ResourceState | undefined) : undefined;
}

/** Makes the object of a declared resource. */
export function resourceObject(cls: RModule, st: ResourceState): RInstance {
  return new RInstance(cls, { resource: st }, st.decl.id);
}

/** Setter methods of built-in resources that are plain methods in Chef, not properties. */
const RESOURCE_METHODS: Record<string, string[]> = {
  ruby_block: ['block'],
  remote_file: ['use_conditional_get', 'headers'],
  template: ['helpers', 'helper', 'helper_modules'],
};

const TIMINGS = new Set(['before', 'immediately', 'immediate', 'delayed']);

/** The accessor of a property: no argument reads it, an argument (or a block) sets it. */
export function propertyAccessor(name: string): NativeMethod {
  return (self, args, ctx) => {
    const st = resourceStateOf(self);
    if (!st) return undefined;
    if (args.length === 0 && !ctx.block) return readProperty(self, st, name, ctx);
    return writeProperty(self, st, name, args, ctx);
  };
}

function classProperty(self: Value, name: string): PropertyDef | undefined {
  return self.k === 'object' && self.obj instanceof RInstance ? findProperty(self.obj.cls, name) : undefined;
}

/** A property's value as Chef returns it: set (lazy values evaluated), else its default. */
export function readProperty(self: Value, st: ResourceState, name: string, ctx: EvalCallContext): Value {
  const set = propValue(st.decl, name);
  if (set !== undefined) return set.k === 'lazy' && self.k === 'object' ? ctx.interp.callProcWithSelf(set, self.obj, [self]) : set;
  if (name === 'name') return st.decl.name;
  if (st.undeclared) return unknown(`${name} is set by whoever declares a ${st.decl.type}`, ctx.loc);
  const cached = st.cache.get(name);
  if (cached) return cached;
  const def = classProperty(self, name);
  const prop = st.decl.schema?.properties.get(name) ?? def?.schema;
  let v: Value = NIL;
  if (prop?.nameProperty || prop?.defaultKind === 'name') v = st.decl.name;
  else if (def?.default && (def.default.k === 'lazy' || def.default.k === 'proc') && self.k === 'object') v = coerced(ctx.interp.callProcWithSelf(def.default, self.obj, [self]), def, self, ctx);
  else if (def?.default) v = coerced(def.default, def, self, ctx);
  else if (prop?.defaultKind === 'literal' && prop.default !== undefined) v = valueFromCatalogJson(prop.default);
  else if (prop && (prop.defaultKind === 'lazy' || prop.defaultKind === 'expression')) v = unknown(`the default of ${name} is computed by Chef when the resource runs`, ctx.loc);
  // Chef stores a mutable default on the resource when it is read, so `variables['x'] << y` sticks.
  if (v.k === 'array' || v.k === 'hash') st.decl.props.push({ name, value: v, loc: ctx.loc ?? st.decl.loc, known: true });
  else st.cache.set(name, v);
  return v;
}

function coerced(v: Value, def: PropertyDef | undefined, self: Value, ctx: EvalCallContext): Value {
  if (!def?.coerce || v.k === 'nil' || v.k === 'lazy' || findUnknown(v) || self.k !== 'object') return v;
  return ctx.interp.callProcWithSelf(def.coerce, self.obj, [v]);
}

export function writeProperty(self: Value, st: ResourceState, name: string, args: Value[], ctx: EvalCallContext): Value {
  let raw = args.length === 0 ? ctx.block ?? NIL : args.length === 1 ? args[0] : arr(args);
  const def = classProperty(self, name);
  // Chef: setting nil on a property that does not accept nil sets its default instead.
  if (raw.k === 'nil') raw = defaultOnNil(st, name, def) ?? raw;
  const value = coerced(raw, def, self, ctx);
  const known = !st.decl.schema || st.decl.schema.properties.has(name) || !!def;
  st.decl.props.push({ name, value, loc: ctx.loc!, nameLoc: ctx.nameLoc, valueLoc: ctx.argLocs[0], known, ...(value !== raw ? { coerced: true } : {}) });
  st.cache.delete(name);
  return value;
}

/** The value Chef stores when nil is set: the default, unless the property accepts nil (a coerce, or nil among its types). */
function defaultOnNil(st: ResourceState, name: string, def: PropertyDef | undefined): Value | undefined {
  const prop = def?.schema ?? st.decl.schema?.properties.get(name);
  if (!prop || def?.coerce || prop.types.some((t) => t === 'nil' || t === 'NilClass')) return undefined;
  if (def?.default) return def.default;
  if (prop.defaultKind === 'literal' && prop.default !== undefined) return valueFromCatalogJson(prop.default);
  return undefined;
}

export function defineResourceDsl(world: ChefWorld): void {
  const r = world.resource;
  const withState = (name: string, fn: (st: ResourceState, args: Value[], ctx: EvalCallContext, self: Value) => Value | undefined) =>
    r.defineNative(name, (self, args, ctx) => { const st = resourceStateOf(self); return st ? fn(st, args, ctx, self) : undefined; });
  withState('action', (st, args, ctx) => (args.length ? setAction(st.decl, args, ctx) : arr(st.decl.actions.map((a) => sym(a)))));
  for (const m of ['notifies', 'subscribes', 'notifies_before', 'notifies_immediately', 'notifies_delayed']) {
    const timing: Timing | undefined = m === 'notifies_before' ? 'before' : m === 'notifies_immediately' ? 'immediately' : m === 'notifies_delayed' ? 'delayed' : undefined;
    withState(m, (st, args, ctx) => { addNotification(st.decl, m === 'subscribes' ? 'subscribes' : 'notifies', args, ctx, timing); return NIL; });
  }
  withState('only_if', (st, args, ctx) => { addGuard(st.decl, 'only_if', args, ctx); return NIL; });
  withState('not_if', (st, args, ctx) => { addGuard(st.decl, 'not_if', args, ctx); return NIL; });
  withState('run_action', (st) => { st.decl.compileTime = true; return NIL; });
  withState('lazy', (_st, _args, ctx) => (ctx.block?.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block', ctx.loc)));
  withState('name', (st, args, ctx, self) => (args.length ? writeProperty(self, st, 'name', args, ctx) : st.decl.name));
  withState('resource_name', (st) => sym(st.decl.type));
  withState('declared_type', (st) => sym(st.decl.type));
  withState('to_s', (st) => str(st.decl.id));
  withState('inspect', (st) => str(st.decl.id));
  withState('identity', (st) => st.decl.name);
  // Chef::Resource includes Chef::DSL::DeclareResource: `resources(type: 'name')` in a resource block finds in the run.
  const find = (st: ResourceState, args: Value[], ctx: EvalCallContext): Value | undefined => {
    const sc = st.declaredIn ? scopeOf({ k: 'object', obj: st.declaredIn }) : undefined;
    return sc ? runHost(ctx)?.findResource(args, ctx, sc) : undefined;
  };
  withState('resources', find);
  withState('find_resource!', find);
  // A template's helper modules are kept for rendering (`helpers(MyHelpers)`); `helper(:x) { }` is not modelled.
  withState('helpers', (st, args, ctx) => {
    for (const a of args) st.decl.props.push({ name: 'helpers', value: a, loc: ctx.loc!, known: true });
    return NIL;
  });
  for (const m of ['helper', 'verify', 'delayed_action', 'updated_by_last_action', 'after_created', 'sensitive?', 'validate']) withState(m, () => NIL);
  for (const m of ['updated?', 'updated_by_last_action?', 'current_value', 'state_for_resource_reporter']) withState(m, (_st, _a, ctx) => unknown(`\`${m}\` is known only when the resource runs`, ctx.loc));
  withState('property_is_set?', (st, args, ctx) => {
    const n = args[0] && (args[0].k === 'sym' || args[0].k === 'str') ? args[0].v : undefined;
    if (!n) return undefined;
    if (st.undeclared) return unknown(`whether ${n} is set depends on whoever declares a ${st.decl.type}`, ctx.loc);
    return bool(propValue(st.decl, n) !== undefined);
  });
  withState('set_or_return', (st, args, ctx, self) => {
    const n = args[0] && (args[0].k === 'sym' || args[0].k === 'str') ? args[0].v : undefined;
    if (!n) return undefined;
    const v = args[1];
    if (v === undefined || v.k === 'nil') {
      const set = propValue(st.decl, n);
      if (set !== undefined) return set;
      if (st.undeclared) return unknown(`${n} is set by whoever declares a ${st.decl.type}`, ctx.loc);
      const opts = args[2];
      if (opts?.k === 'hash') {
        if (truthy(hashGetName(opts, 'name_attribute') ?? hashGetName(opts, 'name_property') ?? NIL) === true) return st.decl.name;
        return hashGetName(opts, 'default') ?? NIL;
      }
      return NIL;
    }
    // The legacy accessor was called from a resource block with a value: that is the property being set.
    const site = ctx.env.frame?.callLoc;
    st.decl.props.push({ name: n, value: v, loc: site ?? ctx.loc!, known: true });
    void self;
    return v;
  });
  // Resources declared in a definition's body see its params (Chef's resource builder sets them).
  withState('params', (st) => (st.declaredIn?.data.sc as { params?: Value } | undefined)?.params);
  for (const m of ['cookbook_name', 'recipe_name']) {
    withState(m, (st, _args, ctx) => (st.declaredIn ? ctx.interp.callMethod({ k: 'object', obj: st.declaredIn }, m, [], ctx) : undefined));
  }
  r.dynamic = (name) => commonPropertyAccessor(world, name);
  withState('method_missing', (st, args, ctx, self) => missing(st, args, ctx, self));
}

/** Every resource has Chef's common properties (retries, ignore_failure, sensitive, …). */
function commonPropertyAccessor(world: ChefWorld, name: string): NativeMethod | undefined {
  const common = world.commonPropertyNames();
  const base = name.endsWith('=') ? name.slice(0, -1) : name;
  return common.has(base) ? propertyAccessor(base) : undefined;
}

/** A call the resource's class does not answer. */
function missing(st: ResourceState, args: Value[], ctx: EvalCallContext, self: Value): Value | undefined {
  const name = args[0]?.k === 'sym' ? args[0].v : undefined;
  if (!name) return undefined;
  const rest = args.slice(1);
  const d = st.decl;
  if (RESOURCE_METHODS[d.resolvedType]?.includes(name)) {
    const value = rest.length ? rest[0] : ctx.block ?? NIL;
    d.props.push({ name, value, loc: ctx.loc!, nameLoc: ctx.nameLoc, known: true });
    return value;
  }
  if (d.schema?.properties.has(name) || (name.endsWith('=') && d.schema?.properties.has(name.slice(0, -1)))) {
    const base = name.endsWith('=') ? name.slice(0, -1) : name;
    return propertyAccessor(base)(self, rest, ctx);
  }
  const statement = (rest.length > 0 || !!ctx.block) && isStatement(st, ctx.node);
  // Chef forwards what the resource does not answer to the provider whose action declared it. When
  // the resource's schema is unknown, a statement may be one of its properties: it is not forwarded.
  const provider = st.declaredIn?.data.provider ? st.declaredIn : undefined;
  if (provider && (d.schema || !statement)) {
    const entry = lookupClassOf(provider).findMethod(name);
    // Chef before 16 also gave actions new_resource's properties by their bare names (the provider's method_missing).
    const nr = resourceStateOf((provider.data.sc as { newResource?: Value } | undefined)?.newResource);
    if (entry || (!rest.length && nr?.decl.schema?.properties.has(name))) return ctx.interp.callMethod({ k: 'object', obj: provider }, name, rest, ctx);
  }
  // A helper the declaring recipe has but the resource does not: Chef raises NoMethodError here.
  const helper = !provider && d.schema && st.declaredIn ? lookupClassOf(st.declaredIn).findMethod(name) : undefined;
  if (helper?.def) {
    ctx.interp.finding('helper-not-in-resource', `\`${name}\` (${shortFile(helper.def.origin)}) is mixed into the recipe DSL but not into resources: inside this ${d.type} block Chef raises NoMethodError. Include its module into Chef::Resource too, or compute the value outside the block.`, ctx.nameLoc ?? ctx.loc!, 'warning');
    return unknown(`\`${name}\` is not a method of ${d.type} resources (Chef raises NoMethodError)`, ctx.loc);
  }
  if (statement) {
    const value = rest.length === 0 ? ctx.block ?? NIL : rest.length === 1 ? rest[0] : arr(rest);
    const cond = ctx.interp.currentCondition();
    d.props.push({ name, value, loc: ctx.loc!, nameLoc: ctx.nameLoc, valueLoc: ctx.argLocs[0], known: !d.schema, ...(cond && cond !== d.conditional ? { conditional: cond } : {}) });
    return value;
  }
  if (!d.schema) return unknown(`\`${name}\` in a ${d.type} block, whose type Cloche does not know`, ctx.loc);
  return undefined;
}

function shortFile(p: string): string {
  return p.split('/').slice(-2).join('/');
}

/** Whether a call is a statement of the resource's block (found on first need: most blocks never ask). */
function isStatement(st: ResourceState, node: unknown): boolean {
  st.statements ??= blockStatements(st.blockNode);
  return st.statements.has(node);
}

function setAction(d: ResourceDecl, args: Value[], ctx: EvalCallContext): Value {
  const names: string[] = [];
  let unknownReason: string | undefined;
  for (const a of args.flatMap((x) => (x.k === 'array' ? x.items : [x]))) {
    if (a.k === 'sym' || a.k === 'str') names.push(a.v);
    else unknownReason ??= a.k === 'unknown' ? a.reason : `an action that is not a symbol: ${inspect(a)}`;
  }
  d.actions = names;
  d.actionUnknown = unknownReason;
  d.explicitAction = true;
  d.actionLoc = ctx.loc;
  const words = new Map<string, SourceLocation>();
  for (const arg of argumentNodes(ctx)) for (const el of arg?.constructor.name === 'ArrayNode' ? arg.elements : [arg]) {
    const w = literalWord(ctx, el);
    if (w && !words.has(w.text)) words.set(w.text, w.loc);
  }
  d.actionWordLocs = words;
  return NIL;
}

/** The id of a resource value (an object or a reference), if it is one. */
export function resourceIdOf(v: Value): string | undefined {
  const st = resourceStateOf(v);
  if (st) return st.decl.id;
  return v.k === 'object' && v.obj instanceof ResourceRef ? v.obj.describe() : undefined;
}

function addNotification(d: ResourceDecl, kind: 'notifies' | 'subscribes', args: Value[], ctx: EvalCallContext, fixedTiming?: Timing): void {
  const [actionV, targetV, timingV] = args;
  const n: NotificationDecl = {
    kind,
    action: actionV && (actionV.k === 'sym' || actionV.k === 'str') ? actionV.v : '',
    target: '',
    timing: fixedTiming ?? 'delayed',
    loc: ctx.loc!,
    actionLoc: literalWord(ctx, argumentNodes(ctx)[0])?.loc,
    targetLoc: ctx.argLocs[1],
  };
  if (!actionV) n.malformed = 'no action given';
  else if (actionV.k !== 'sym' && actionV.k !== 'str') n.actionUnknown = actionV.k === 'unknown' ? actionV.reason : `the action is ${inspect(actionV)}, not a symbol`;
  if (!fixedTiming && timingV) {
    const t = timingV.k === 'sym' || timingV.k === 'str' ? timingV.v : undefined;
    if (t && TIMINGS.has(t)) n.timing = t === 'immediate' ? 'immediately' : (t as Timing);
    else if (timingV.k !== 'unknown') n.badTiming = inspect(timingV);
  }
  const targetId = targetV ? resourceIdOf(targetV) : undefined;
  if (!targetV) n.malformed = 'no target given';
  else if (targetV.k === 'str' || targetId) {
    const text = targetV.k === 'str' ? targetV.v : targetId!;
    n.target = text;
    const parsed = parseTarget(text);
    if (parsed) { n.targetType = parsed.type; n.targetName = parsed.name; } else n.malformed = `'${text}' is not of the form 'type[name]'`;
    if (targetId && resourceStateOf(targetV)?.decl.nameUnknown) { n.targetUnknown = true; n.malformed = undefined; }
  } else if (targetV.k === 'hash') {
    // `resources(service: 'x')` style given inline: { service: 'x' }
    const first = [...targetV.map.values()][0];
    if (first && !findUnknown(first.value)) { n.targetType = toS(first.key); n.targetName = toS(first.value); n.target = `${n.targetType}[${n.targetName}]`; }
    else n.targetUnknown = true;
  } else {
    n.targetUnknown = targetV.k === 'unknown' || !!findUnknown(targetV);
    n.target = n.targetUnknown ? '' : inspect(targetV);
    if (n.targetUnknown) n.targetReason = (findUnknown(targetV) ?? { reason: 'not known' }).reason;
    else n.malformed = `${inspect(targetV)} is not a resource or 'type[name]' string`;
  }
  d.notifications.push(n);
}

function addGuard(d: ResourceDecl, kind: 'only_if' | 'not_if', args: Value[], ctx: EvalCallContext): void {
  const interp = ctx.interp;
  const g: GraphGuard = { kind, form: 'string', source: ctx.node ? interp.source(ctx.env.unit, ctx.node) : kind, location: ctx.loc! };
  const first = args[0];
  if (ctx.block && !first) {
    g.form = 'block';
    // Guard blocks run at converge time; evaluating them now is only safe because the evaluator has no side effects.
    const v = interp.callProc(ctx.block, []);
    const t = truthy(v);
    if (t === undefined) g.unknownReason = (findUnknown(v) ?? { reason: 'not known' }).reason;
    else g.value = t;
    if (t === undefined && v.k === 'unknown' && v.test) g.test = v.test;
  } else if (first?.k === 'str') {
    g.command = first.v;
    const opts = args[1];
    if (opts?.k === 'hash') {
      const cwd = hashGetName(opts, 'cwd');
      if (cwd?.k === 'str') g.cwd = cwd.v;
      const timeout = hashGetName(opts, 'timeout');
      if ((timeout?.k === 'int' || timeout?.k === 'float') && timeout.v > 0) g.timeout = timeout.v;
      const env = hashGetName(opts, 'environment') ?? hashGetName(opts, 'env');
      if (env?.k === 'hash' && !findUnknown(env)) g.environment = Object.fromEntries([...env.map.values()].map((e) => [toS(e.key), toS(e.value)]));
    }
  } else if (first?.k === 'array') {
    g.form = 'array';
    const u = findUnknown(first);
    if (u) g.unknownReason = u.reason; else g.command = first.items.map(toS).join(' ');
  } else if (first?.k === 'unknown') {
    g.form = 'string';
    g.unknownReason = first.reason;
  } else if (first) {
    g.form = 'block';
    const t = truthy(first);
    if (t === undefined) g.unknownReason = 'guard value not known'; else g.value = t;
  }
  d.guards.push(g);
}

/** The argument nodes of the call being evaluated. */
function argumentNodes(ctx: EvalCallContext): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (ctx.node as any)?.arguments_?.arguments_ ?? []; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A literal symbol or string argument (`:start`, `'start'`): its text and where the word itself is. */
function literalWord(ctx: EvalCallContext, node: any): { text: string; loc: SourceLocation } | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  const kind = node?.constructor.name;
  const l = kind === 'SymbolNode' ? node.valueLoc : kind === 'StringNode' ? node.contentLoc : undefined;
  if (!l || typeof node.unescaped?.value !== 'string') return undefined;
  return { text: node.unescaped.value, loc: ctx.interp.locOf(ctx.env.unit, l) };
}

/** A resource looked up by type and name that the run does not declare (`resources('service[x]')`). */
export class ResourceRef {
  readonly className = 'ResourceRef';
  constructor(private readonly id: string) {}
  describe(): string { return this.id; }
  toJson() { return this.id; }
  call(method: string): Value | undefined {
    if (method === 'to_s' || method === 'inspect') return str(this.id);
    if (method === 'run_action' || method === 'action') return NIL;
    return unknown(`${this.id} is not declared in the run`);
  }
}

/** Statement nodes of a block body, looking through if/unless/case/begin but not into expressions. */
export function blockStatements(blockNode: unknown): Set<unknown> {
  const out = new Set<unknown>();
  const visit = (n: any, depth: number): void => { // eslint-disable-line @typescript-eslint/no-explicit-any
    if (!n || depth > 50) return;
    switch (n.constructor.name) {
      case 'StatementsNode': for (const s of n.body) visit(s, depth + 1); return;
      case 'IfNode': visit(n.statements, depth + 1); visit(n.subsequent, depth + 1); return;
      case 'UnlessNode': visit(n.statements, depth + 1); visit(n.elseClause, depth + 1); return;
      case 'ElseNode': visit(n.statements, depth + 1); return;
      case 'CaseNode': for (const w of n.conditions) visit(w.statements, depth + 1); visit(n.elseClause, depth + 1); return;
      case 'BeginNode': visit(n.statements, depth + 1); return;
      case 'ParenthesesNode': visit(n.body, depth + 1); return;
      default: out.add(n);
    }
  };
  visit((blockNode as { body?: unknown } | undefined)?.body, 0);
  return out;
}
