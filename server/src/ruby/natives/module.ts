/**
 * Methods of Module and Class: mixing in (`include`, `prepend`, `extend` with their hooks),
 * `attr_accessor`, `alias_method`, `define_method`, visibility, constants, `class_eval`, `new`.
 */
import { type Value, NIL, str, sym, arr, bool, unknown, toS } from '../values';
import { RModule, RInstance, type Visibility } from '../objects';
import { defineAlias, inherited } from '../eval/definitions';
import type { EvalCallContext } from '../env';
import type { RubyWorld } from '../world';
import { blockMethod } from './object';

const nameOf = (v: Value | undefined): string | undefined => (v && (v.k === 'sym' || v.k === 'str') ? v.v : undefined);
const names = (args: Value[]): string[] => args.flatMap((a) => (a.k === 'array' ? a.items : [a])).map(nameOf).filter((n): n is string => !!n);

function moduleOf(self: Value): RModule | undefined {
  return self.k === 'object' && self.obj instanceof RModule ? self.obj : undefined;
}

/** Calls a user hook (`self.included(base)`, `self.extended`) if the module defines one. */
function hook(mod: RModule, name: string, base: Value, ctx: EvalCallContext): void {
  const h = mod.singleton().findMethod(name);
  if (h?.def) ctx.interp.invokeMethod(h.def, mod, [base], undefined, ctx, h);
}

export function defineModuleNatives(world: RubyWorld): void {
  const m = world.module;
  // `pure`: answered from the arguments and the class hierarchy alone (`Hash === v` in a `case`), so the call memo may keep a helper calling it.
  const def = (name: string, fn: (mod: RModule, args: Value[], ctx: EvalCallContext, self: Value) => Value | undefined, pure = false) =>
    m.defineNative(name, (self, args, ctx) => { const mod = moduleOf(self); return mod ? fn(mod, args, ctx, self) : undefined; }, 'public', { memoSafe: pure });

  def('include', (mod, args, ctx, self) => {
    for (const a of args) if (a.k === 'object' && a.obj instanceof RModule) { mod.include(a.obj); hook(a.obj, 'included', self, ctx); }
    return self;
  });
  def('prepend', (mod, args, ctx, self) => {
    for (const a of args) if (a.k === 'object' && a.obj instanceof RModule) { mod.prepend(a.obj); hook(a.obj, 'prepended', self, ctx); }
    return self;
  });
  def('include?', (mod, args) => (args[0]?.k === 'object' && args[0].obj instanceof RModule ? bool(mod !== args[0].obj && mod.isA(args[0].obj)) : undefined));
  def('ancestors', (mod) => arr(mod.ancestors().map((a) => ({ k: 'object', obj: a }))));
  def('included_modules', (mod) => arr(mod.ancestors().filter((a) => !a.isClass).map((a) => ({ k: 'object', obj: a }))));
  def('name', (mod) => (mod.name.startsWith('#<') ? NIL : str(mod.name)), true);
  def('to_s', (mod) => str(mod.name), true);
  def('inspect', (mod) => str(mod.name), true);
  def('===', (mod, args) => (args[0] && args[0].k !== 'unknown' ? bool(world.classOf(args[0]).isA(mod)) : args[0]), true);
  def('==', (mod, args) => bool(args[0]?.k === 'object' && args[0].obj === mod), true);
  def('<', (mod, args) => (args[0]?.k === 'object' && args[0].obj instanceof RModule ? bool(mod !== args[0].obj && mod.isA(args[0].obj)) : undefined), true);
  def('<=', (mod, args) => (args[0]?.k === 'object' && args[0].obj instanceof RModule ? bool(mod.isA(args[0].obj)) : undefined), true);
  def('superclass', (mod) => (mod.superclass ? { k: 'object', obj: mod.superclass } : NIL));

  def('attr_accessor', (mod, args) => { for (const n of names(args)) { reader(mod, n); writer(mod, n); } return NIL; });
  def('attr_reader', (mod, args) => { for (const n of names(args)) reader(mod, n); return NIL; });
  def('attr', (mod, args) => { for (const n of names(args)) reader(mod, n); return NIL; });
  def('attr_writer', (mod, args) => { for (const n of names(args)) writer(mod, n); return NIL; });
  def('alias_method', (mod, args) => {
    const [to, from] = [nameOf(args[0]), nameOf(args[1])];
    if (to && from) defineAlias(mod, to, from);
    return to ? sym(to) : NIL;
  });
  def('define_method', (mod, args, ctx) => {
    const name = nameOf(args[0]);
    const blk = ctx.block ?? args[1];
    if (!name) return args[0]?.k === 'unknown' ? args[0] : NIL;
    if (!blk || (blk.k !== 'proc' && blk.k !== 'lazy')) return unknown(`define_method :${name} without a block`, ctx.loc);
    mod.define({ name, def: blockMethod(name, blk, ctx), visibility: mod.defaultVisibility });
    return sym(name);
  });
  for (const v of ['public', 'private', 'protected'] as Visibility[]) {
    def(v, (mod, args) => {
      if (!args.length) { mod.defaultVisibility = v; return NIL; }
      for (const n of names(args)) { const e = mod.methods.get(n); if (e) e.visibility = v; }
      return args[0];
    });
  }
  def('module_function', (mod, args) => {
    if (!args.length) { mod.moduleFunction = true; return NIL; }
    for (const n of names(args)) { const e = mod.findMethod(n); if (e) mod.singleton().define({ name: n, def: e.def, native: e.native, visibility: 'public' }); }
    return NIL;
  });
  for (const noop of ['private_class_method', 'public_class_method', 'private_constant', 'public_constant', 'module_eval_file', 'remove_const', 'deprecate_constant']) def(noop, () => NIL);
  def('extend', (mod, args, ctx, self) => {
    for (const a of args) if (a.k === 'object' && a.obj instanceof RModule) { mod.singleton().include(a.obj); hook(a.obj, 'extended', self, ctx); }
    return self;
  });

  def('const_get', (mod, args, ctx) => {
    const n = nameOf(args[0]);
    if (!n) return args[0]?.k === 'unknown' ? args[0] : undefined;
    let cur: Value = { k: 'object', obj: mod };
    for (const part of n.replace(/^::/, '').split('::')) {
      const c: Value | undefined = cur.k === 'object' && cur.obj instanceof RModule ? cur.obj.constant(part) ?? world.object.constant(part) : undefined;
      if (!c) return ctx.interp.resolveConstant(n, ctx.loc!) ?? unknown(`constant ${n} is not known statically`, ctx.loc);
      cur = c;
    }
    return cur;
  });
  def('const_set', (mod, args) => { const n = nameOf(args[0]); if (n) mod.constants.set(n, args[1] ?? NIL); return args[1] ?? NIL; });
  def('const_defined?', (mod, args) => { const n = nameOf(args[0]); return n ? bool(mod.constant(n) !== undefined || world.object.constant(n) !== undefined) : undefined; });
  def('constants', (mod) => arr([...mod.constants.keys()].map(sym)));

  const classEval = (mod: RModule, args: Value[], ctx: EvalCallContext): Value | undefined => {
    if (!ctx.block) return args[0]?.k === 'str' ? unknown('class_eval of a string is not evaluated', ctx.loc) : undefined;
    const blockEnv = ctx.block.k === 'proc' || ctx.block.k === 'lazy' ? ctx.block.proc.env as { scope: { nesting: RModule[] } } : undefined;
    return ctx.interp.callProcWithSelf(ctx.block, mod, [{ k: 'object', obj: mod }], { scope: { nesting: blockEnv?.scope.nesting ?? [], definee: mod } });
  };
  for (const n of ['class_eval', 'module_eval', 'class_exec', 'module_exec']) def(n, classEval);

  def('method_defined?', (mod, args) => { const n = nameOf(args[0]); return n ? bool(mod.findMethod(n) !== undefined) : undefined; });
  def('public_method_defined?', (mod, args) => { const n = nameOf(args[0]); return n ? bool(mod.findMethod(n)?.visibility === 'public') : undefined; });
  def('private_method_defined?', (mod, args) => { const n = nameOf(args[0]); return n ? bool(mod.findMethod(n)?.visibility === 'private') : undefined; });
  def('instance_methods', (mod, args) => arr(instanceMethods(mod, args[0]?.k !== 'bool' || args[0].v).map(sym)));
  def('public_instance_methods', (mod, args) => arr(instanceMethods(mod, args[0]?.k !== 'bool' || args[0].v).map(sym)));
  def('remove_method', (mod, args) => { for (const n of names(args)) mod.methods.delete(n); return NIL; });
  def('undef_method', (mod, args) => { for (const n of names(args)) mod.methods.delete(n); return NIL; });
  def('class_variable_get', (mod, args, ctx) => { const n = nameOf(args[0]); return n ? ctx.interp.moduleIvar(mod, n) ?? unknown(`class variable ${n} is not known`) : undefined; });
  def('class_variable_set', (mod, args, ctx) => { const n = nameOf(args[0]); if (n) ctx.interp.setModuleIvar(mod, n, args[1] ?? NIL, ctx.interp.persistentModuleState); return args[1] ?? NIL; });
  def('class_variable_defined?', (mod, args, ctx) => { const n = nameOf(args[0]); return n ? bool(ctx.interp.moduleIvar(mod, n) !== undefined) : undefined; });

  def('new', (mod, args, ctx) => {
    if (mod === world.klass || mod === world.module) return anonymous(world, mod === world.klass, args, ctx);
    if (!mod.isClass) return undefined;
    const obj = new RInstance(mod);
    const init = mod.findMethod('initialize');
    const self: Value = { k: 'object', obj };
    if (init?.def) ctx.interp.invokeMethod(init.def, obj, args, ctx.block, ctx, init);
    else if (init?.native) init.native(self, args, ctx);
    return self;
  });
  def('allocate', (mod) => ({ k: 'object', obj: new RInstance(mod) }));
  def('freeze', (_mod, _args, _ctx, self) => self);
  def('hash', () => unknown('hash of a module'));
  def('to_str', (mod) => str(toS({ k: 'object', obj: mod })));
}

/** `Class.new(Super) { … }` and `Module.new { … }`. */
function anonymous(world: RubyWorld, isClass: boolean, args: Value[], ctx: EvalCallContext): Value {
  const superclass = isClass && args[0]?.k === 'object' && args[0].obj instanceof RModule ? args[0].obj : isClass ? world.object : undefined;
  const mod = new RModule(`#<${isClass ? 'Class' : 'Module'}>`, isClass, superclass);
  if (isClass) inherited(ctx.interp, mod, ctx.env);
  if (ctx.block) {
    const blockEnv = ctx.block.k === 'proc' ? ctx.block.proc.env as { scope: { nesting: RModule[] } } : undefined;
    ctx.interp.callProcWithSelf(ctx.block, mod, [{ k: 'object', obj: mod }], { scope: { nesting: blockEnv?.scope.nesting ?? [], definee: mod } });
  }
  return { k: 'object', obj: mod };
}

function instanceMethods(mod: RModule, inherit: boolean): string[] {
  const out = new Set<string>();
  for (const a of inherit ? mod.ancestors() : [mod]) for (const [n, e] of a.methods) if (e.visibility !== 'private') out.add(n);
  return [...out];
}

function reader(mod: RModule, name: string): void {
  mod.define({ name, visibility: mod.defaultVisibility, native: (self, _args, ctx) => readIvarOf(self, '@' + name, ctx) });
}

function writer(mod: RModule, name: string): void {
  mod.define({
    name: name + '=', visibility: mod.defaultVisibility,
    native: (self, args, ctx) => {
      const v = args[0] ?? NIL;
      if (self.k === 'object' && self.obj instanceof RInstance) self.obj.ivars.set('@' + name, v);
      else if (self.k === 'object' && self.obj instanceof RModule) ctx.interp.setModuleIvar(self.obj, '@' + name, v, ctx.interp.persistentModuleState);
      return v;
    },
  });
}

function readIvarOf(self: Value, name: string, ctx: EvalCallContext): Value {
  if (self.k === 'object' && self.obj instanceof RInstance) return self.obj.ivars.get(name) ?? NIL;
  if (self.k === 'object' && self.obj instanceof RModule) return ctx.interp.moduleIvar(self.obj, name) ?? NIL;
  if (self.k === 'object') return self.obj.call('instance_variable_get', [sym(name)], ctx) ?? NIL;
  return NIL;
}
