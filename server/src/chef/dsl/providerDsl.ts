/**
 * Chef::Provider: the object an action runs in. Instances answer `new_resource`, `action` (the one
 * being run), `current_resource` (read from the machine: unknown), `converge_by` and
 * `converge_if_changed`; classes declare `provides` and, for LWRP providers, `action :x do … end`.
 */
import { type Value, NIL, sym, unknown } from '../../ruby/values';
import { RModule, RInstance } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import type { ProvidesRule } from '../catalog/schema';
import { scopeOf } from './host';
import type { ActionImpl } from './resourceClass';
import { resourceStateOf, propertyAccessor } from './resourceDsl';
import type { ChefWorld } from './chefWorld';
import { providesRule } from './providesRule';

/** What a provider class declares. */
export interface ProviderClassInfo {
  provides: ProvidesRule[];
  /** `action :x do … end` in an LWRP provider file or a provider class. */
  actions: Map<string, ActionImpl>;
}

export function providerInfo(cls: RModule): ProviderClassInfo {
  let info = cls.data.providerInfo as ProviderClassInfo | undefined;
  if (!info) cls.data.providerInfo = info = { provides: [], actions: new Map() };
  return info;
}

/** The actions a provider class implements: `action :x` blocks and `def action_x` methods, with inherited ones. */
export function providerActions(cls: RModule): Map<string, ActionImpl> {
  const out = new Map<string, ActionImpl>();
  const chain: RModule[] = [];
  for (let c: RModule | undefined = cls; c && chain.length < 32; c = c.superclass) chain.unshift(c);
  for (const c of chain) {
    for (const [name, entry] of c.methods) if (name.startsWith('action_') && entry.def) out.set(name.slice(7), { kind: 'method', provider: cls, method: name });
    for (const [k, a] of (c.data.providerInfo as ProviderClassInfo | undefined)?.actions ?? []) out.set(k, a);
  }
  return out;
}

const nameOf = (v: Value | undefined): string | undefined => (v && (v.k === 'sym' || v.k === 'str') ? v.v : undefined);

export function defineProviderDsl(world: ChefWorld): void {
  const p = world.provider;
  p.defineNative('new_resource', (self) => scopeOf(self)?.newResource);
  p.defineNative('action', (self, args) => { const a = scopeOf(self)?.action; return a && !args.length ? sym(a) : undefined; });
  p.defineNative('current_resource', (_self, _args, ctx) => unknown('current_resource is the state read from the machine at converge time', ctx.loc));
  p.defineNative('after_resource', (_self, _args, ctx) => unknown('after_resource is the state read from the machine at converge time', ctx.loc));
  p.defineNative('converge_by', () => NIL); // runs Ruby at converge time; it declares no resources
  p.defineNative('converge_if_changed', (_self, _args, ctx) => (ctx.block ? ctx.interp.underCondition('converge_if_changed: only when properties differ from the machine', () => ctx.interp.callProc(ctx.block!, [])) : NIL));
  for (const m of ['load_current_resource', 'load_after_resource', 'define_resource_requirements', 'updated_by_last_action', 'whyrun_supported?', 'cleanup_after_converge', 'requirements']) {
    p.defineNative(m, () => NIL);
  }
  // Chef's providers delegate property_is_set? to new_resource.
  p.defineNative('property_is_set?', (self, args, ctx) => { const nr = scopeOf(self)?.newResource; return nr ? ctx.interp.callMethod(nr, 'property_is_set?', args, ctx) : undefined; });
  p.defineNative('whyrun_mode?', (_self, _args, ctx) => unknown('why-run mode is chosen when Chef runs', ctx.loc));
  // Chef < 16 let actions read new_resource's properties by their bare names; old cookbooks rely on it.
  p.defineNative('method_missing', (self, args, ctx) => {
    const name = nameOf(args[0]);
    const nr = scopeOf(self)?.newResource;
    if (!name || !nr || args.length > 1 || ctx.block) return undefined;
    const st = resourceStateOf(nr);
    if (!st?.decl.schema?.properties.has(name)) return undefined;
    return propertyAccessor(name)(nr, [], ctx);
  });

  const meta = p.singleton();
  const onClass = (name: string, fn: (cls: RModule, args: Value[], ctx: EvalCallContext) => Value | undefined) =>
    meta.defineNative(name, (self, args, ctx) => (self.k === 'object' && self.obj instanceof RModule ? fn(self.obj, args, ctx) : undefined));
  onClass('provides', (cls, args, ctx) => {
    const n = nameOf(args[0]);
    if (n) providerInfo(cls).provides.push(providesRule(world, n, args[1], ctx));
    return NIL;
  });
  onClass('action', (cls, args, ctx) => {
    const n = nameOf(args[0]);
    if (n && ctx.block) providerInfo(cls).actions.set(n, { kind: 'block', proc: ctx.block, loc: ctx.loc!, provider: cls });
    return NIL;
  });
  onClass('inherited', (_cls, args) => {
    if (args[0]?.k === 'object' && args[0].obj instanceof RModule) world.providerClasses.push(args[0].obj);
    return NIL;
  });
  for (const noop of ['use_inline_resources', 'whyrun_supported?', 'include_resource_dsl?', 'include_resource_dsl_module', 'description', 'unified_mode']) onClass(noop, () => NIL);
  void RInstance;
}
