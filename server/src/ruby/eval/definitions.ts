/**
 * Definitions: `def` (on the lexical definee, a singleton with `def self.x`), `class`/`module`
 * bodies (reopening what exists, with a superclass and Ruby's `inherited` hook), `class << self`,
 * and `alias`.
 */
import { type Value, NIL, sym, unknown } from '../values';
import { RModule, RInstance, type MethodEntry } from '../objects';
import { Env, type MethodDef, type LexicalScope } from '../env';
import type { Interpreter } from '../interpreter';
import { constantPathName } from './variables';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

/** Where a `def` without a receiver puts its method (Ruby's default definee). */
export function definee(it: Interpreter, env: Env): RModule {
  if (env.scope.definee) return env.scope.definee;
  const self = env.self;
  if (self instanceof RModule) return self;
  if (self instanceof RInstance) return self.singleton();
  return it.world.object;
}

export function defineMethod(it: Interpreter, node: N, env: Env): Value {
  let target: RModule | undefined;
  if (node.receiver) {
    const recv = node.receiver.constructor.name === 'SelfNode' ? { k: 'object', obj: env.self } as Value : it.evalNode(node.receiver, env);
    if (recv.k === 'object' && (recv.obj instanceof RModule || recv.obj instanceof RInstance)) target = recv.obj.singleton();
    if (!target) return sym(node.name);
  } else target = definee(it, env);
  const def: MethodDef = { name: node.name, node, unit: env.unit, origin: env.unit.file, nesting: env.scope.nesting };
  addMethod(target, def, node.receiver ? 'public' : target.defaultVisibility);
  if (!node.receiver && target.moduleFunction) addMethod(target.singleton(), def, 'public');
  return sym(node.name);
}

/** Defines a Ruby method on a module; what a method defined at a library's top level is (private on Object). */
export function addMethod(target: RModule, def: MethodDef, visibility: MethodEntry['visibility']): void {
  target.define({ name: def.name, def, visibility });
}

/** `class X < Y … end` and `module X … end`: made or reopened, then the body runs with self = the module. */
export function classBody(it: Interpreter, node: N, env: Env): Value {
  const isClass = node.constructor.name === 'ClassNode';
  const path = node.constantPath;
  const name: string = path.name ?? constantPathName(path).split('::').pop();
  let container: RModule | undefined;
  if (path.constructor.name === 'ConstantPathNode' && path.parent) {
    const p = it.evalNode(path.parent, env);
    if (p.k === 'object' && p.obj instanceof RModule) container = p.obj;
    else return unknown(`the namespace of ${constantPathName(path)} is not known statically`, it.locOf(env.unit, node));
  } else if (path.constructor.name === 'ConstantPathNode') container = it.world.object;
  else container = env.scope.nesting[0] ?? it.world.object;

  let superclass: RModule | undefined;
  let superUnknown: string | undefined;
  if (isClass && node.superclass) {
    const s = it.evalNode(node.superclass, env);
    if (s.k === 'object' && s.obj instanceof RModule && s.obj.isClass) superclass = s.obj;
    else superUnknown = s.k === 'unknown' ? s.reason : `superclass ${it.source(env.unit, node.superclass)} is not a class Cloche knows`;
  }
  const existing = container.constants.get(name) ?? (container === it.world.object ? it.world.object.constant(name) : undefined);
  let mod: RModule;
  if (existing?.k === 'object' && existing.obj instanceof RModule) {
    mod = existing.obj;
  } else {
    const full = container === it.world.object ? name : `${container.name}::${name}`;
    mod = new RModule(full, isClass, isClass ? superclass ?? it.world.object : undefined, container);
    mod.location = it.locOf(env.unit, node);
    if (superUnknown) mod.data.unknownSuperclass = superUnknown;
    container.constants.set(name, { k: 'object', obj: mod });
    if (isClass) inherited(it, mod, env);
  }
  if (!node.body) return NIL;
  const scope: LexicalScope = { nesting: [mod, ...env.scope.nesting], definee: mod };
  const saved = { v: mod.defaultVisibility, f: mod.moduleFunction };
  mod.defaultVisibility = 'public';
  mod.moduleFunction = false;
  try {
    // A class body is a scope of its own: it does not see the enclosing locals.
    return it.evalNode(node.body, new Env(undefined, mod, env.unit, scope, env.frame));
  } finally {
    mod.defaultVisibility = saved.v;
    mod.moduleFunction = saved.f;
  }
}

/** Ruby's `Class#inherited` hook, which Chef's base classes use to learn about subclasses. */
export function inherited(it: Interpreter, cls: RModule, env: Env): void {
  const hook = cls.superclass?.singleton().findMethod('inherited');
  if (!hook) return;
  const self = { k: 'object', obj: cls.superclass! } as Value;
  if (hook.native) hook.native(self, [{ k: 'object', obj: cls }], it.ctx(env));
  else if (hook.def) it.invokeMethod(hook.def, cls.superclass!, [{ k: 'object', obj: cls }], undefined, it.ctx(env), hook);
}

/** `class << obj … end`: the body defines singleton methods. */
export function singletonClassBody(it: Interpreter, node: N, env: Env): Value {
  const target = it.evalNode(node.expression, env);
  if (target.k !== 'object' || !(target.obj instanceof RModule || target.obj instanceof RInstance)) return NIL;
  const meta = target.obj.singleton();
  if (!node.body) return NIL;
  return it.evalNode(node.body, new Env(undefined, meta, env.unit, { nesting: [meta, ...env.scope.nesting], definee: meta }, env.frame));
}

/** `alias new old` (also used by `alias_method`). */
export function aliasMethod(it: Interpreter, node: N, env: Env): Value {
  const newName = node.newName?.unescaped?.value ?? node.newName?.name;
  const oldName = node.oldName?.unescaped?.value ?? node.oldName?.name;
  if (typeof newName === 'string' && typeof oldName === 'string') defineAlias(definee(it, env), newName, oldName);
  return NIL;
}

/**
 * Makes `newName` call what `oldName` is now; when the old method is answered dynamically (a
 * property accessor), the alias forwards to it by name.
 */
export function defineAlias(target: RModule, newName: string, oldName: string): void {
  const found = target.findMethod(oldName);
  if (found && !found.owner.dynamic?.(oldName)) {
    target.define({ name: newName, def: found.def, native: found.native, visibility: found.visibility });
    return;
  }
  target.define({
    name: newName,
    visibility: 'public',
    native: (self, args, ctx) => ctx.interp.callMethod(self, oldName, args, ctx),
  });
  target.data.aliases = { ...(target.data.aliases as Record<string, string> | undefined), [newName]: oldName };
}
