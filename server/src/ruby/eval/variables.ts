/** Variables and constants: locals, instance and class variables, constant lookup, multiple assignment. */
import type { SourceLocation } from '../../protocol';
import { type Value, NIL, arr, sym, unknown, truthy } from '../values';
import { RModule, RInstance } from '../objects';
import type { Interpreter, Env } from '../interpreter';
import { lastMatch } from '../core/lastMatch';
import { noteConstantWrite } from '../callMemo';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

/** `x ||= v`, `x &&= v`, `x += v`. */
export function localOpWrite(it: Interpreter, node: N, env: Env): Value {
  const cur = env.lookup(node.name) ?? NIL;
  const kind = node.constructor.name;
  let result: Value;
  if (kind === 'LocalVariableOrWriteNode') {
    const t = truthy(cur);
    if (t === true) return cur;
    const v = it.evalNode(node.value, env);
    result = t === undefined ? unknown((cur as { reason: string }).reason) : v;
  } else if (kind === 'LocalVariableAndWriteNode') {
    const t = truthy(cur);
    if (t === false) return cur;
    const v = it.evalNode(node.value, env);
    result = t === undefined ? cur : v;
  } else {
    result = it.binaryOp(cur, node.binaryOperator, it.evalNode(node.value, env), node, env);
  }
  env.assign(node.name, result);
  return result;
}

export function readIvar(it: Interpreter, name: string, env: Env, node?: N): Value {
  it.effects++;
  const self = env.self;
  if (self instanceof RInstance) return self.ivars.get(name) ?? NIL;
  if (self instanceof RModule) return it.moduleIvar(self, name) ?? NIL;
  const v = self.call('instance_variable_get', [sym(name)], it.ctx(env, undefined, node));
  return v ?? unknown(`instance variable ${name} is not known here`, node ? it.locOf(env.unit, node) : undefined);
}

export function writeIvar(it: Interpreter, name: string, value: Value, env: Env): void {
  it.effects++;
  const self = env.self;
  if (self instanceof RInstance) self.ivars.set(name, value);
  else if (self instanceof RModule) it.setModuleIvar(self, name, value, it.persistentModuleState);
  else self.call('instance_variable_set', [sym(name), value], it.ctx(env));
}

/** `@x ||= v`, `@x &&= v`, `@x += v`. */
export function ivarOpWrite(it: Interpreter, node: N, env: Env): Value {
  it.effects++;
  const cur = readIvar(it, node.name, env, node);
  const kind = node.constructor.name;
  let next: Value;
  if (kind === 'InstanceVariableOrWriteNode') {
    if (truthy(cur) === true) return cur;
    next = it.evalNode(node.value, env);
  } else if (kind === 'InstanceVariableAndWriteNode') {
    if (truthy(cur) === false) return cur;
    next = it.evalNode(node.value, env);
  } else {
    next = it.binaryOp(cur, node.binaryOperator, it.evalNode(node.value, env), node, env);
  }
  writeIvar(it, node.name, next, env);
  return next;
}

/** The module whose class variables the code sees: the innermost lexical module. */
function classVarOwner(env: Env): RModule | undefined {
  return env.scope.nesting[0] ?? (env.self instanceof RModule ? env.self : env.self instanceof RInstance ? env.self.cls : undefined);
}

export function readClassVar(it: Interpreter, node: N, env: Env): Value {
  it.effects++;
  const owner = classVarOwner(env);
  for (const m of owner?.ancestors() ?? []) {
    const v = it.moduleIvar(m, '@@' + node.name);
    if (v !== undefined) return v;
  }
  return unknown(`class variable ${node.name} is not known statically`, it.locOf(env.unit, node));
}

export function writeClassVar(it: Interpreter, node: N, env: Env): Value {
  it.effects++;
  const owner = classVarOwner(env);
  const kind = node.constructor.name;
  const cur = kind === 'ClassVariableWriteNode' ? NIL : readClassVar(it, node, env);
  if (kind === 'ClassVariableOrWriteNode' && truthy(cur) === true) return cur;
  const v = kind === 'ClassVariableOperatorWriteNode' ? it.binaryOp(cur, node.binaryOperator, it.evalNode(node.value, env), node, env) : it.evalNode(node.value, env);
  if (owner) it.setModuleIvar(owner, '@@' + node.name, v, it.persistentModuleState);
  return v;
}

/** `$~`, `$1`…`$9`, `$&`: the last match of this method (nil when none). */
export function lastMatchRead(it: Interpreter, node: N, env: Env): Value {
  const md = lastMatch(it.ctx(env));
  if (md.k !== 'object') return md;
  if (node.constructor.name === 'NumberedReferenceReadNode') return it.send(md, '[]', [{ k: 'int', v: node.number }], env);
  if (node.constructor.name === 'BackReferenceReadNode') {
    const which: Record<string, string> = { '$&': '0', '$`': 'pre_match', "$'": 'post_match' };
    const w = which[node.name];
    if (w === '0') return it.send(md, '[]', [{ k: 'int', v: 0 }], env);
    if (w) return it.send(md, w, [], env);
    return unknown(`${node.name} is not evaluated`, it.locOf(env.unit, node));
  }
  return md;
}

/** `/(?<year>\d+)/ =~ s`: Ruby also assigns each named capture to a local (nil when it did not match). */
export function matchWrite(it: Interpreter, node: N, env: Env): Value {
  const result = it.evalNode(node.call, env);
  const md = lastMatch(it.ctx(env));
  for (const target of node.targets ?? []) {
    const name: string = target.name;
    const value = result.k === 'unknown' ? unknown(result.reason, result.loc) : md.k === 'object' ? it.send(md, '[]', [sym(name)], env) : NIL;
    env.assign(name, value);
  }
  return result;
}

/** `A::B::C` from a constant read/path/target node. */
export function constantPathName(node: N): string {
  // A loop, not recursion: `A::B::…` is as deep as it is long.
  const names: string[] = [];
  for (let cur = node; ; cur = cur.parent) {
    if (!cur) return '';
    const kind = cur.constructor.name;
    if (kind === 'ConstantReadNode' || kind === 'ConstantTargetNode' || kind === 'ConstantWriteNode') return [cur.name, ...names.reverse()].join('::');
    if (kind !== 'ConstantPathNode' && kind !== 'ConstantPathTargetNode') return ['?', ...names.reverse()].join('::');
    names.push(cur.name);
    if (!cur.parent) return `::${names.reverse().join('::')}`;
  }
}

/** Ruby's constant lookup: the lexical nesting, then the ancestors of the innermost module, then Object. */
/** `loc`: where the constant is read (a function when it is computed only if needed). */
export function lookupConstant(it: Interpreter, name: string, env: Env, loc: SourceLocation | (() => SourceLocation)): Value {
  for (const m of env.scope.nesting) {
    const v = m.constants.get(name);
    if (v !== undefined) return v;
  }
  const inherited = env.scope.nesting[0]?.constant(name) ?? (env.self instanceof RModule ? env.self.constant(name) : undefined);
  if (inherited !== undefined) return inherited;
  return topConstant(it, name, loc);
}

function topConstant(it: Interpreter, name: string, where: SourceLocation | (() => SourceLocation)): Value {
  const bare = name.startsWith('::') ? name.slice(2) : name;
  const known = it.constants.get(bare) ?? it.world.object.constant(bare);
  if (known !== undefined) return known;
  const loc = typeof where === 'function' ? where() : where;
  return it.resolveConstant(bare, loc) ?? unknown(`constant ${bare} is not known statically`, loc);
}

export function readConstant(it: Interpreter, node: N, env: Env): Value {
  // Most constants are found without a location (Hash, a library's module): it is computed only for the rest.
  if (node.constructor.name === 'ConstantReadNode') return lookupConstant(it, node.name, env, () => it.locOf(env.unit, node));
  const loc = it.locOf(env.unit, node);
  if (!node.parent) return topConstant(it, node.name, loc);
  const parent = it.evalNode(node.parent, env);
  if (parent.k === 'object' && parent.obj instanceof RModule) {
    const v = parent.obj.constant(node.name);
    if (v !== undefined) return v;
  }
  const full = constantPathName(node).replace(/^::/, '');
  const resolved = it.resolveConstant(full, loc);
  if (resolved !== undefined) return resolved;
  if (parent.k === 'unknown') return parent;
  return unknown(`constant ${full} is not known statically`, loc);
}

/** Where a constant written here goes: the innermost module, Object at a library's top level, else this evaluation. */
function constantTarget(it: Interpreter, env: Env): Map<string, Value> {
  const m = env.scope.nesting[0] ?? env.scope.definee;
  return m ? m.constants : it.constants;
}

export function writeConstant(it: Interpreter, node: N, env: Env): Value {
  it.effects++;
  noteConstantWrite();
  const kind: string = node.constructor.name;
  let target: Map<string, Value>;
  let name: string;
  if (kind.startsWith('ConstantPath')) {
    const t = node.target;
    name = t.name;
    const parent = t.parent ? it.evalNode(t.parent, env) : { k: 'object', obj: it.world.object } as Value;
    if (parent.k !== 'object' || !(parent.obj instanceof RModule)) return it.evalNode(node.value, env);
    target = parent.obj.constants;
  } else {
    name = node.name;
    target = constantTarget(it, env);
  }
  const cur = target.get(name);
  if (kind.endsWith('OrWriteNode') && cur !== undefined && truthy(cur) !== false) return cur;
  if (kind.endsWith('AndWriteNode') && (cur === undefined || truthy(cur) === false)) return cur ?? NIL;
  const v = kind.endsWith('OperatorWriteNode') ? it.binaryOp(cur ?? NIL, node.binaryOperator, it.evalNode(node.value, env), node, env) : it.evalNode(node.value, env);
  target.set(name, v);
  if (v.k === 'object' && v.obj instanceof RModule && v.obj.name.startsWith('#<')) v.obj.name = name; // `Foo = Class.new(…)`
  return v;
}

export function multiWrite(it: Interpreter, node: N, env: Env): Value {
  const v = it.evalNode(node.value, env);
  destructure(it, node, v, env);
  return v;
}

/** `a, (b, c), *d = value`. */
function destructure(it: Interpreter, node: N, v: Value, env: Env): void {
  const items = v.k === 'array' ? v.items : v.k === 'unknown' ? undefined : [v];
  const lefts: N[] = node.lefts ?? [];
  const rights: N[] = node.rights ?? [];
  lefts.forEach((t, i) => assignTarget(it, t, items ? (items[i] ?? NIL) : v, env));
  const restStart = lefts.length;
  const restEnd = items ? Math.max(restStart, items.length - rights.length) : restStart;
  if (node.rest?.expression) assignTarget(it, node.rest.expression, items ? arr(items.slice(restStart, restEnd)) : v, env);
  rights.forEach((t, i) => assignTarget(it, t, items ? (items[restEnd + i] ?? NIL) : v, env));
}

export function assignTarget(it: Interpreter, t: N, v: Value, env: Env): void {
  switch (t.constructor.name) {
    case 'LocalVariableTargetNode': case 'RequiredParameterNode': env.assign(t.name, v); break;
    case 'InstanceVariableTargetNode': writeIvar(it, t.name, v, env); break;
    case 'MultiTargetNode': case 'MultiLeftNode': destructure(it, t, v, env); break;
    case 'SplatNode': if (t.expression) assignTarget(it, t.expression, v.k === 'array' ? v : arr([v]), env); break;
    case 'IndexTargetNode': {
      const recv = it.evalNode(t.receiver, env);
      const { values } = it.evalArgs(t.arguments_, env);
      it.send(recv, '[]=', [...values, v], env);
      break;
    }
    case 'CallTargetNode': it.send(it.evalNode(t.receiver, env), t.name, [v], env); break;
    case 'ConstantTargetNode': constantTarget(it, env).set(t.name, v); break;
    default: break;
  }
}

/** `x[k] ||= v`, `x[k] += v`, `x[k] &&= v`. */
export function indexOpWrite(it: Interpreter, node: N, env: Env): Value {
  const recv = it.evalNode(node.receiver, env);
  const { values } = it.evalArgs(node.arguments_, env);
  const ctx = it.ctx(env, undefined, node);
  const cur = it.callMethod(recv, '[]', values, ctx);
  const kind = node.constructor.name;
  let next: Value;
  if (kind === 'IndexOrWriteNode') {
    const t = truthy(cur);
    if (t === true) return cur;
    next = it.evalNode(node.value, env);
    if (t === undefined && recv.k !== 'object') return cur;
  } else if (kind === 'IndexAndWriteNode') {
    if (truthy(cur) === false) return cur;
    next = it.evalNode(node.value, env);
  } else {
    next = it.binaryOp(cur, node.binaryOperator, it.evalNode(node.value, env), node, env);
  }
  // `||=` on node attributes writes only when unset; objects decide through `[]=` with the flag.
  const modelled = recv.k === 'object' && (recv.obj instanceof RModule || recv.obj instanceof RInstance);
  it.callMethod(recv, kind === 'IndexOrWriteNode' && !modelled ? '[]||=' : '[]=', [...values, next], ctx);
  return next;
}

/** `obj.x ||= v`, `obj.x += v`. */
export function attrOpWrite(it: Interpreter, node: N, env: Env): Value {
  const recv = it.evalNode(node.receiver, env);
  const ctx = it.ctx(env, undefined, node);
  const cur = it.callMethod(recv, node.readName, [], ctx);
  let next: Value;
  if (node.constructor.name === 'CallOrWriteNode') {
    if (truthy(cur) === true) return cur;
    next = it.evalNode(node.value, env);
  } else if (node.constructor.name === 'CallAndWriteNode') {
    if (truthy(cur) === false) return cur;
    next = it.evalNode(node.value, env);
  } else {
    next = it.binaryOp(cur, node.binaryOperator, it.evalNode(node.value, env), node, env);
  }
  it.callMethod(recv, node.writeName, [next], ctx);
  return next;
}
