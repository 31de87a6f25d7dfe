/**
 * Chef::DSL::Recipe: declaring resources (each resource type is a method of Chef::DSL::Resources),
 * `include_recipe`, resource lookups and edits, `cookbook_name` & co. Recipes, custom resources'
 * actions and providers all include it; what a call means depends on the scope it runs in.
 */
import { type Value, NIL, str, unknown, toS } from '../../ruby/values';
import { RInstance, type NativeMethod } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import { runHost, scopeOf, sourceCookbookOf } from './host';
import { resourceStateOf } from './resourceDsl';
import type { ChefWorld } from './chefWorld';

/** `package 'x'`, `apt_update`, `service 'x' do … end` — not `package.name`-style calls with a hash. */
function looksLikeDeclaration(args: Value[], ctx: EvalCallContext): boolean {
  if (args.length === 0) return true;
  return args[0].k !== 'hash' || !!ctx.block || args.length > 1;
}

const declareNative = (type: string): NativeMethod => (self, args, ctx) => {
  const host = runHost(ctx);
  if (!host || !(self.k === 'object' && self.obj instanceof RInstance)) return undefined;
  const kind = host.resourceKind(type);
  if (!kind || !looksLikeDeclaration(args, ctx)) return undefined;
  return host.declare(type, kind, args, ctx, self.obj);
};

/**
 * A bare call that reads like a resource declaration: a name-like first argument and a `do` block,
 * or a close misspelling of a known resource type. Anything else stays an unknown call.
 */
function looksLikeUnknownResource(method: string, args: Value[], ctx: EvalCallContext, closeToKnown: boolean): boolean {
  if (!/^[a-z][a-z0-9_]*$/.test(method) || args.length > 2) return false;
  const first = args[0];
  const nameLike = first && (first.k === 'str' || first.k === 'array' || first.k === 'unknown');
  if (!nameLike) return false;
  if (ctx.blockNode && ctx.blockNode.openingLoc && ctx.interp.source(ctx.env.unit, ctx.blockNode).startsWith('do')) return true;
  return closeToKnown;
}

export function defineRecipeDsl(world: ChefWorld): void {
  world.dslResources.dynamic = (name) => (world.hooks.isResourceName(name) ? declareNative(name) : undefined);
  const r = world.dslRecipe;
  const withScope = (name: string, fn: NativeMethod) => r.defineNative(name, fn);

  const include: NativeMethod = (self, args, ctx) => {
    const host = runHost(ctx);
    if (!host || !(self.k === 'object' && self.obj instanceof RInstance)) return unknown('include_recipe outside a run', ctx.loc);
    const from = self.obj;
    args.forEach((x, i) => {
      if (x.k === 'array') for (const a of x.items) host.includeRecipe(a, ctx, from);
      else host.includeRecipe(x, ctx, from, ctx.argLocs[i]);
    });
    return NIL;
  };
  withScope('include_recipe', include);
  withScope('include_recipes', include);
  withScope('cookbook_name', (self, _args, ctx) => {
    const sc = scopeOf(self);
    if (!sc) return undefined;
    const cb = sourceCookbookOf(sc);
    return cb === null ? unknown('cookbook_name is the cookbook of the recipe that declares the resource', ctx.loc) : str(cb);
  });
  withScope('recipe_name', (self) => { const sc = scopeOf(self); return sc ? str(sc.recipeName) : undefined; });
  withScope('params', (self) => scopeOf(self)?.params);
  withScope('lazy', (_self, _args, ctx) => (ctx.block?.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block', ctx.loc)));
  const declare: NativeMethod = (self, args, ctx) => {
    const host = runHost(ctx);
    const type = args[0];
    if (!host || !(self.k === 'object' && self.obj instanceof RInstance)) return undefined;
    if (type?.k !== 'sym' && type?.k !== 'str') return unknown('declare_resource with a type not known statically', ctx.loc);
    // `declare_resource(:type, name, created_at: …)`: the options hash is not a property.
    const rest = args.slice(1).filter((a, i) => !(i > 0 && a.k === 'hash'));
    return host.declare(type.v, host.resourceKind(type.v) ?? 'unknown', rest, ctx, self.obj);
  };
  withScope('declare_resource', declare);
  withScope('build_resource', declare);
  const find: NativeMethod = (self, args, ctx) => { const sc = scopeOf(self); return sc ? runHost(ctx)?.findResource(args, ctx, sc) : undefined; };
  withScope('resources', find);
  withScope('find_resource!', find);
  // With a block, find_resource declares the resource when it is not found (the block is not applied to one found).
  withScope('find_resource', (self, args, ctx) => {
    const sc = scopeOf(self);
    const host = runHost(ctx);
    if (!sc || !host) return undefined;
    const found = host.findResource(args, ctx, sc);
    if (resourceStateOf(found) || !ctx.block) return found;
    return declare(self, args, ctx);
  });
  // edit_resource edits the resource found, or declares it with the block.
  const edit: NativeMethod = (self, args, ctx) => {
    const sc = scopeOf(self);
    const host = runHost(ctx);
    if (!host || !sc) return undefined;
    const ref = host.findResource(args, ctx, sc);
    const st = resourceStateOf(ref);
    if (st && ctx.block) host.editResource(st.decl, ctx.block, ctx, sc);
    if (!st && ctx.block && ref.k !== 'unknown') return declare(self, args, ctx);
    return ref;
  };
  withScope('edit_resource', edit);
  withScope('edit_resource!', edit);
  withScope('delete_resource', () => NIL);
  withScope('delete_resource!', () => NIL);
  // with_run_context(:root) / (:parent): what the block declares goes to that collection (Chef's accumulator pattern).
  withScope('with_run_context', (self, args, ctx) => {
    const sc = scopeOf(self);
    const host = runHost(ctx);
    if (!ctx.block) return NIL;
    const where = args[0]?.k === 'sym' ? args[0].v : undefined;
    if (!sc || !host || (where !== 'root' && where !== 'parent')) return ctx.interp.callProc(ctx.block, []);
    const saved = { collection: sc.collection, parent: sc.parent };
    sc.collection = where === 'root' ? undefined : host.parentCollection(sc.collection);
    if (where === 'root') sc.parent = undefined;
    try { return ctx.interp.callProc(ctx.block, []); } finally { Object.assign(sc, saved); }
  });
  for (const n of ['events', 'resource_collection']) withScope(n, (_self, _args, ctx) => unknown(`${n} is the run's internal state`, ctx.loc));
  withScope('log_message', () => NIL);
  withScope('method_missing', (self, args, ctx) => {
    const host = runHost(ctx);
    const name = args[0]?.k === 'sym' ? args[0].v : undefined;
    if (!host || !name || !(self.k === 'object' && self.obj instanceof RInstance)) return undefined;
    const rest = args.slice(1);
    // A declaration of a type nobody provides: validation decides whether that is worth reporting.
    if (looksLikeUnknownResource(name, rest, ctx, host.isCloseToKnownType(name))) return host.declare(name, 'unknown', rest, ctx, self.obj);
    return undefined;
  });
  void toS;
}
