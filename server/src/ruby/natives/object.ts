/**
 * Methods every Ruby object has (Object and Kernel's public side): `send`, `respond_to?`,
 * `is_a?`, `extend`, instance variables, `instance_eval`, `tap`. They take any value as self:
 * model objects, native objects and plain values alike.
 */
import { type Value, NIL, TRUE, FALSE, str, sym, arr, bool, unknown, findUnknown, inspect } from '../values';
import { classMatches } from '../rubyMethods';
import { jsonText } from './stdlib';
import { strResult } from '../core/limits';
import { RModule, RInstance, isModelObject, lookupClassOf } from '../objects';
import type { EvalCallContext, MethodDef } from '../env';
import type { RubyWorld } from '../world';

const nameOf = (v: Value | undefined): string | undefined => (v && (v.k === 'sym' || v.k === 'str') ? v.v : undefined);

/** The model object behind a value, if it is one. */
function modelObject(v: Value): RModule | RInstance | undefined {
  return v.k === 'object' && isModelObject(v.obj) ? v.obj : undefined;
}

export function defineObjectNatives(world: RubyWorld): void {
  const o = world.object;
  const send = (self: Value, args: Value[], ctx: EvalCallContext): Value => {
    const name = nameOf(args[0]);
    if (!name) return args[0]?.k === 'unknown' ? args[0] : unknown('send of a method name that is not known statically', ctx.loc);
    return ctx.interp.callMethod(self, name, args.slice(1), ctx);
  };
  o.defineNative('send', send);
  o.defineNative('__send__', send);
  o.defineNative('public_send', send);

  o.defineNative('respond_to?', (self, args, ctx) => {
    const name = nameOf(args[0]);
    if (!name) return args[0]?.k === 'unknown' ? args[0] : undefined;
    const m = modelObject(self);
    if (!m) return undefined; // values answer through their core methods; native objects cannot say
    const entry = lookupClassOf(m).findMethod(name) ?? (m instanceof RModule ? world.klass.findMethod(name) : undefined);
    if (entry) return bool(entry.visibility === 'public' || args[1]?.k === 'bool' && args[1].v);
    if (knownElsewhere(m, name)) return TRUE;
    const missing = lookupClassOf(m).findMethod('respond_to_missing?');
    if (missing?.def) return ctx.interp.invokeMethod(missing.def, m, [sym(name), args[1] ?? FALSE], undefined, ctx, missing);
    return FALSE;
  });

  const isA = (exact: boolean) => (self: Value, args: Value[]): Value | undefined => {
    const c = args[0];
    if (c?.k === 'unknown') return c;
    if (c?.k !== 'object' || !(c.obj instanceof RModule)) return undefined;
    const cls = world.classOf(self);
    if (self.k === 'object' && !isModelObject(self.obj)) return bool(classMatches(self.obj.className, c.obj.name));
    return bool(exact ? cls === c.obj : cls.isA(c.obj));
  };
  o.defineNative('is_a?', isA(false));
  o.defineNative('kind_of?', isA(false));
  o.defineNative('instance_of?', isA(true));
  o.defineNative('class', (self) => (self.k === 'object' && !isModelObject(self.obj) ? undefined : { k: 'object', obj: world.classOf(self) }));
  o.defineNative('singleton_class', (self) => { const m = modelObject(self); return m ? { k: 'object', obj: m.singleton() } : undefined; });

  o.defineNative('extend', (self, args, ctx) => {
    const m = modelObject(self);
    if (!m) return undefined;
    for (const a of args) {
      if (a.k !== 'object' || !(a.obj instanceof RModule)) continue;
      m.singleton().include(a.obj);
      const hook = a.obj.singleton().findMethod('extended');
      if (hook?.def) ctx.interp.invokeMethod(hook.def, a.obj, [self], undefined, ctx, hook);
    }
    return self;
  });

  o.defineNative('instance_variable_get', (self, args, ctx) => {
    const m = modelObject(self);
    const name = nameOf(args[0]);
    if (!m || !name) return undefined;
    return (m instanceof RInstance ? m.ivars.get(name) : ctx.interp.moduleIvar(m, name)) ?? NIL;
  });
  o.defineNative('instance_variable_set', (self, args, ctx) => {
    const m = modelObject(self);
    const name = nameOf(args[0]);
    if (!m || !name) return undefined;
    const v = args[1] ?? NIL;
    if (m instanceof RInstance) m.ivars.set(name, v); else ctx.interp.setModuleIvar(m, name, v, ctx.interp.persistentModuleState);
    return v;
  });
  o.defineNative('instance_variable_defined?', (self, args, ctx) => {
    const m = modelObject(self);
    const name = nameOf(args[0]);
    if (!m || !name) return undefined;
    return bool(m instanceof RInstance ? m.ivars.has(name) : ctx.interp.moduleIvar(m, name) !== undefined);
  });
  o.defineNative('instance_variables', (self) => {
    const m = modelObject(self);
    return m instanceof RInstance ? arr([...m.ivars.keys()].map(sym)) : m ? arr([...m.ivars.keys()].map(sym)) : undefined;
  });

  o.defineNative('define_singleton_method', (self, args, ctx) => {
    const m = modelObject(self);
    const name = nameOf(args[0]);
    const blk = ctx.block ?? args[1];
    if (!m || !name || !blk || (blk.k !== 'proc' && blk.k !== 'lazy')) return undefined;
    m.singleton().define({ name, def: blockMethod(name, blk, ctx), visibility: 'public' });
    return sym(name);
  });

  const instanceEval = (self: Value, args: Value[], ctx: EvalCallContext): Value | undefined => {
    if (!ctx.block) return args[0]?.k === 'str' ? unknown('instance_eval of a string is not evaluated', ctx.loc) : undefined;
    const m = modelObject(self);
    if (self.k !== 'object') return ctx.interp.callProc(ctx.block, [self, ...args]);
    const env = (ctx.block.k === 'proc' || ctx.block.k === 'lazy') ? ctx.block.proc.env as { scope: { nesting: RModule[] } } : undefined;
    return ctx.interp.callProcWithSelf(ctx.block, self.obj, [self, ...args], { scope: { nesting: env?.scope.nesting ?? [], definee: m?.singleton() } });
  };
  o.defineNative('instance_eval', instanceEval);
  o.defineNative('instance_exec', (self, args, ctx) => instanceEval(self, args.length ? args : [], ctx));

  o.defineNative('tap', (self, _args, ctx) => { if (ctx.block) ctx.interp.callProc(ctx.block, [self]); return self; });
  o.defineNative('then', (self, _args, ctx) => (ctx.block ? ctx.interp.callProc(ctx.block, [self]) : undefined));
  o.defineNative('yield_self', (self, _args, ctx) => (ctx.block ? ctx.interp.callProc(ctx.block, [self]) : undefined));
  for (const same of ['freeze', 'itself', 'dup', 'clone', 'to_enum', 'taint', 'untaint']) o.defineNative(same, (self) => (modelObject(self) ? self : undefined));
  o.defineNative('frozen?', (self) => (modelObject(self) ? FALSE : undefined));
  o.defineNative('nil?', (self) => (self.k === 'nil' ? TRUE : self.k === 'unknown' ? self : FALSE));
  o.defineNative('==', (self, args) => (modelObject(self) ? bool(args[0]?.k === 'object' && args[0].obj === (self as { obj: unknown }).obj) : undefined));
  o.defineNative('!=', (self, args) => (modelObject(self) ? bool(!(args[0]?.k === 'object' && args[0].obj === (self as { obj: unknown }).obj)) : undefined));
  o.defineNative('equal?', (self, args) => (self.k === 'object' ? bool(args[0]?.k === 'object' && args[0].obj === self.obj) : undefined));
  o.defineNative('eql?', (self, args) => (self.k === 'object' ? bool(args[0]?.k === 'object' && args[0].obj === self.obj) : undefined));
  o.defineNative('!', (self) => (self.k === 'object' ? FALSE : undefined));
  o.defineNative('to_s', (self) => (self.k === 'object' ? str(self.obj.describe()) : undefined));
  o.defineNative('inspect', (self) => (self.k === 'object' ? str(self.obj.describe()) : strResult(inspect(self))));
  o.defineNative('display', () => NIL);
  for (const opaque of ['object_id', 'hash', '__id__', 'method', 'methods', 'public_methods', 'private_methods', 'singleton_methods']) {
    o.defineNative(opaque, (_self, _args, ctx) => unknown(`\`${opaque}\` is not evaluated statically`, ctx.loc));
  }
  o.defineNative('to_json', (self, _args, ctx) => (findUnknown(self) ? unknown(findUnknown(self)!.reason) : self.k === 'object' ? unknown('to_json of an object is not evaluated', ctx.loc) : jsonValue(self)));
}

/** A method made from a block (`define_method`, `define_singleton_method`): a closure over the block's scope. */
export function blockMethod(name: string, blk: Extract<Value, { k: 'proc' | 'lazy' }>, ctx: EvalCallContext): MethodDef {
  const env = blk.proc.env as MethodDef['closure'];
  return { name, node: blk.proc.node, unit: env?.unit ?? ctx.env.unit, origin: (env?.unit ?? ctx.env.unit).file, nesting: env?.scope.nesting ?? [], closure: env };
}

/** Names a class answers that the model does not implement (Chef's DSL methods we only know by name). */
function knownElsewhere(m: RModule | RInstance, name: string): boolean {
  for (const a of lookupClassOf(m).ancestors()) {
    const known = a.data.knownMethods as Set<string> | undefined;
    if (known?.has(name)) return true;
  }
  return false;
}

/** `to_json`: what JSON cannot say plainly is written as its `to_s`; nested past 64 levels it is not evaluated. */
function jsonValue(v: Value): Value {
  const t = jsonText(v, { strict: false });
  return t === undefined ? unknown('JSON of a value nested more than 64 levels deep') : strResult(t);
}
