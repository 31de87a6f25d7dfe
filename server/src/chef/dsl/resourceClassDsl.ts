/**
 * The class-level DSL of Chef::Resource (and LWRPBase): what a resource file or a library class body
 * calls to declare properties, actions, names and provides rules. Every call writes the class's
 * ResourceClassInfo (resourceClass.ts); nothing here runs an action.
 */
import {
  type Value, NIL, sym, arr, unknown, toS, toJson, hashGetName, truthy, findUnknown,
} from '../../ruby/values';
import { RModule, RInstance } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import type { PropertySchema } from '../catalog/schema';
import { classInfo, findProperty, defaultActionOf, type PropertyDef } from './resourceClass';
import { propertyAccessor } from './resourceDsl';
import type { ChefWorld } from './chefWorld';
import { providesRule } from './providesRule';

const nameOf = (v: Value | undefined): string | undefined => (v && (v.k === 'sym' || v.k === 'str') ? v.v : undefined);
const flatNames = (args: Value[]): string[] => args.flatMap((a) => (a.k === 'array' ? a.items : [a])).map(nameOf).filter((n): n is string => !!n);

function classOf(self: Value): RModule | undefined {
  return self.k === 'object' && self.obj instanceof RModule ? self.obj : undefined;
}

export function defineResourceClassDsl(world: ChefWorld): void {
  const meta = world.resource.singleton();
  const def = (name: string, fn: (cls: RModule, args: Value[], ctx: EvalCallContext) => Value | undefined) =>
    meta.defineNative(name, (self, args, ctx) => { const cls = classOf(self); return cls ? fn(cls, args, ctx) : undefined; });

  const property = (cls: RModule, args: Value[], ctx: EvalCallContext): Value => {
    const name = nameOf(args[0]);
    if (!name) return args[0]?.k === 'unknown' ? args[0] : NIL;
    classInfo(cls).properties.set(name, propertyDef(cls, name, args.slice(1), ctx));
    answerProperties(cls);
    world.invalidate();
    return sym(name);
  };
  def('property', property);
  def('attribute', (cls, args, ctx) => { classInfo(cls).lwrp = true; return property(cls, args, ctx); });

  const actions = (cls: RModule, args: Value[]): Value => {
    const info = classInfo(cls);
    for (const a of flatNames(args)) if (!info.allowedActions.includes(a)) info.allowedActions.push(a);
    return arr(info.allowedActions.map(sym));
  };
  def('actions', (cls, args) => { classInfo(cls).lwrp = true; return actions(cls, args); });
  def('allowed_actions', actions);
  def('actions=', actions);
  def('allowed_actions=', actions);
  const defaultAction = (cls: RModule, args: Value[]): Value => {
    if (args.length) {
      const names = flatNames(args);
      if (names.length) classInfo(cls).defaultAction = names;
    }
    return arr(defaultActionOf(cls).map(sym));
  };
  def('default_action', defaultAction);
  def('default_action=', defaultAction);
  const resourceName = (cls: RModule, args: Value[], ctx: EvalCallContext): Value => {
    const n = nameOf(args[0]);
    if (n) { classInfo(cls).resourceName = n; classInfo(cls).resourceNameLoc = ctx.loc; }
    const current = classInfo(cls).resourceName ?? classInfo(cls).autoName;
    return current ? sym(current) : NIL;
  };
  def('resource_name', resourceName);
  def('resource_name=', resourceName);
  def('provides', (cls, args, ctx) => {
    const n = nameOf(args[0]);
    if (n) classInfo(cls).provides.push(providesRule(world, n, args[1], ctx));
    world.invalidate();
    return NIL;
  });
  def('action', (cls, args, ctx) => {
    const n = nameOf(args[0]);
    if (!n) return args[0]?.k === 'unknown' ? args[0] : NIL;
    const info = classInfo(cls);
    if (ctx.block) info.actions.set(n, { kind: 'block', proc: ctx.block, loc: ctx.loc! });
    if (!info.allowedActions.includes(n)) info.allowedActions.push(n);
    // Chef: the first action defined becomes the default when none is set.
    if (defaultActionOf(cls).join() === 'nothing') info.defaultAction = [n];
    return NIL;
  });
  const actionClass = (cls: RModule, _args: Value[], ctx: EvalCallContext): Value => {
    const ac = world.actionClassOf(cls);
    if (ctx.block) ctx.interp.callProcWithSelf(ctx.block, ac, [], { scope: { nesting: blockNesting(ctx), definee: ac } });
    return { k: 'object', obj: ac };
  };
  def('action_class', actionClass);
  def('declare_action_class', actionClass);
  def('load_current_value', () => NIL);
  def('provider', (cls, args) => {
    const p = args[0];
    if (p?.k === 'object' && p.obj instanceof RModule) classInfo(cls).providerClass = p.obj;
    return NIL;
  });
  def('use', (cls, args, ctx) => {
    const rel = nameOf(args[0]);
    if (rel) world.usePartial(cls, rel, ctx);
    return NIL;
  });
  def('lazy', (_cls, _args, ctx) => (ctx.block?.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block', ctx.loc)));
  def('identity_attr', (cls, args) => { const n = nameOf(args[0]); const p = n ? findProperty(cls, n) : undefined; if (p) p.schema.identity = true; return NIL; });
  def('identity_property', (cls, args) => { const n = nameOf(args[0]); const p = n ? findProperty(cls, n) : undefined; if (p) p.schema.identity = true; return NIL; });
  def('node', (_cls, _args, ctx) => unknown('node is only known when the resource is used in a run', ctx.loc));
  def('new_resource', (_cls, _args, ctx) => unknown('new_resource only exists inside an action', ctx.loc));
  def('run_context', (_cls, _args, ctx) => unknown('the run context exists only during a run', ctx.loc));
  def('inherited', (cls, args) => {
    const sub = args[0];
    if (sub?.k === 'object' && sub.obj instanceof RModule) world.resourceClasses.push(sub.obj);
    void cls;
    return NIL;
  });
  for (const noop of ['unified_mode', 'description', 'introduced', 'examples', 'preview_resource', 'skip_docs', 'deprecated', 'default_description',
    'chef_version_for_provides', 'state_attrs', 'whyrun_supported?', 'use_inline_resources', 'sensitive', 'target_mode', 'resource_name_sym', 'is_custom_resource!']) {
    def(noop, () => NIL);
  }
  def('custom_resource?', (cls) => ({ k: 'bool', v: classInfo(cls).actions.size > 0 }));
  def('properties', (_cls, _args, ctx) => unknown('the properties table of a resource class', ctx.loc));
}

/**
 * Properties are methods of the class that declares them (before anything its ancestors or mixins
 * define, as Chef's generated accessors are): `tag` is the property, not Chef's `tag` helper.
 */
function answerProperties(cls: RModule): void {
  if (cls.dynamic) return;
  const info = classInfo(cls);
  cls.dynamic = (name) => {
    const base = name.endsWith('=') ? name.slice(0, -1) : name;
    return info.properties.has(base) ? propertyAccessor(base) : undefined;
  };
}

/** The lexical nesting of the block being class-evaluated (constants inside it resolve as written). */
function blockNesting(ctx: EvalCallContext): RModule[] {
  const b = ctx.block;
  const env = b && (b.k === 'proc' || b.k === 'lazy') ? b.proc.env as { scope?: { nesting: RModule[] } } : undefined;
  return env?.scope?.nesting ?? [];
}

/** `property :x, Type, opts` → its schema facts and its default/coerce values. */
export function propertyDef(cls: RModule, name: string, rest: Value[], ctx: EvalCallContext): PropertyDef {
  let types: string[] = [];
  let opts: Extract<Value, { k: 'hash' }> | undefined;
  let typed = false;
  for (const a of rest) {
    if (a.k === 'hash') opts = a;
    else { types.push(...typeNames(a)); typed = true; }
  }
  const opt = (k: string) => (opts ? hashGetName(opts, k) : undefined);
  const kindOf = opt('kind_of') ?? opt('is');
  if (kindOf) { types = types.concat(typeNames(kindOf)); typed = true; }
  // Without a type, a property re-declared in a subclass keeps what its superclass declared.
  const inherited = !typed ? findProperty(cls.superclass ?? cls, name) : undefined;
  const dflt = opt('default');
  const nameProp = truthy(opt('name_property') ?? opt('name_attribute') ?? NIL) === true;
  const equalTo = opt('equal_to');
  const regex = opt('regex');
  const required = opt('required');
  const coerce = opt('coerce');
  const defaultKind: PropertySchema['defaultKind'] = nameProp ? 'name' : dflt === undefined ? (inherited?.schema.defaultKind ?? 'none')
    : dflt.k === 'lazy' || dflt.k === 'proc' ? 'lazy' : findUnknown(dflt) ? 'expression' : 'literal';
  const schema: PropertySchema & { coerce?: boolean } = {
    name,
    types: types.includes('unknown') ? [] : typed ? types : inherited?.schema.types ?? [],
    defaultKind,
    default: dflt && defaultKind === 'literal' ? toJson(dflt) : dflt === undefined ? inherited?.schema.default : undefined,
    nameProperty: nameProp,
    required: required !== undefined ? truthy(required) === true : inherited?.schema.required ?? false,
    requiredForActions: required?.k === 'array' ? required.items.map(toS) : undefined,
    equalTo: equalTo?.k === 'array' && !equalTo.items.some((i) => findUnknown(i)) ? equalTo.items.map((i) => toJson(i)) : undefined,
    regex: regex?.k === 'regexp' ? [`/${regex.source}/${regex.flags}`] : undefined,
    deprecated: opt('deprecated') !== undefined && truthy(opt('deprecated')!) !== false,
    sensitive: truthy(opt('sensitive') ?? NIL) === true,
    desiredState: opt('desired_state') === undefined || truthy(opt('desired_state')!) !== false,
    identity: truthy(opt('identity') ?? NIL) === true || undefined,
    location: ctx.loc,
    coerce: coerce !== undefined || opt('callbacks') !== undefined || undefined,
  };
  return { schema, default: dflt ?? inherited?.default, coerce: coerce?.k === 'proc' ? coerce : inherited?.coerce };
}

/** `String`, `[String, Array]`, `[true, false]` → Ruby type names as the catalog writes them. */
function typeNames(v: Value): string[] {
  if (v.k === 'array') return v.items.flatMap(typeNames);
  if (v.k === 'object' && v.obj instanceof RModule) return [v.obj.name];
  if (v.k === 'object' && v.obj instanceof RInstance) return ['unknown'];
  if (v.k === 'object') return [v.obj.describe()];
  if (v.k === 'bool') return [String(v.v)];
  if (v.k === 'nil') return ['nil'];
  if (v.k === 'sym') return [':' + v.v];
  if (v.k === 'str') return [JSON.stringify(v.v)];
  return ['unknown'];
}
