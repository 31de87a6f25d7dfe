/**
 * Calls: evaluating a call node, dispatching it through the object model (the receiver's class and
 * its ancestors, then `method_missing`), running Ruby methods and blocks with Ruby's parameter
 * binding, `yield` and `super`. Values that are not objects of the model (strings, arrays, …) answer
 * through the core methods; what nobody answers is an unknown that says so.
 */
import type { SourceLocation } from '../../protocol';
import {
  type Value, type RubyObject, type ProcValue, NIL, sym, arr, bool, unknown, hashOf, findUnknown, rubyEquals, hashKey,
} from '../values';
import { callValueMethod, ITERATORS } from '../rubyMethods';
import { RModule, RInstance, isModelObject, lookupClassOf, type MethodEntry } from '../objects';
import { Env, ControlFlow, type EvalCallContext, type MethodDef, type Frame, type LexicalScope } from '../env';
import type { Interpreter } from '../interpreter';
import { assignTarget } from './variables';
import { RubyRaise } from '../errors';
import { recordMatch } from '../core/lastMatch';
import { allocationUnits } from '../allocations';
import { memoizedCall, callMemoOn } from '../callMemo';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

const BINARY_OPERATORS = new Set(['==', '!=', '+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '<=>', '=~', '!~', '<<', '>>', '&', '|', '^', '===']);

export function evalCall(it: Interpreter, node: N, env: Env): Value {
  const name: string = node.name;
  let block: Value | undefined;
  let blockNode: N | undefined;
  if (node.block?.constructor.name === 'BlockNode') {
    blockNode = node.block;
    block = { k: 'proc', proc: makeProc(it, node.block, env) };
  }
  if (!node.receiver) {
    if (node.isVariableCall?.()) {
      const local = env.lookup(name);
      if (local !== undefined) return local;
    }
    if (name === 'lambda' || name === 'proc') return block ?? unknown('lambda without a block');
    const { values, argNodes, blockArg } = evalArgs(it, node.arguments_, env);
    if (!block && node.block?.constructor.name === 'BlockArgumentNode') block = blockArgument(it, node.block, env, blockArg);
    return callFunction(it, name, values, it.ctx(env, block, node, argNodes, blockNode));
  }
  const recv = it.evalNode(node.receiver, env);
  if (node.isSafeNavigation?.() && recv.k === 'nil') return NIL;
  const { values, argNodes, blockArg } = evalArgs(it, node.arguments_, env);
  if (!block && node.block?.constructor.name === 'BlockArgumentNode') block = blockArgument(it, node.block, env, blockArg);
  if (BINARY_OPERATORS.has(name) && values.length === 1 && !block) return binaryOp(it, recv, name, values[0], node, env);
  return callMethod(it, recv, name, values, it.ctx(env, block, node, argNodes, blockNode));
}

/** `&blk` or `&:sym` (Symbol#to_proc: the block calls that method on its first argument). */
function blockArgument(it: Interpreter, arg: N, env: Env, fallback: Value | undefined): Value | undefined {
  const v = arg.expression ? it.evalNode(arg.expression, env) : fallback ?? env.lookup('__block__');
  if (v?.k !== 'sym') return v;
  return { k: 'proc', proc: { node: { symbolProc: v.v }, env, source: `&:${v.v}`, loc: it.locOf(env.unit, arg) } };
}

/** A receiver-less call: self's methods (private ones too), then Kernel, then the host's fallback. */
export function callFunction(it: Interpreter, name: string, args: Value[], ctx: EvalCallContext): Value {
  const r = answerFunction(it, name, args, ctx);
  it.allocations.charge(r);
  return r;
}

function answerFunction(it: Interpreter, name: string, args: Value[], ctx: EvalCallContext): Value {
  const self = ctx.env.self;
  const selfV: Value = { k: 'object', obj: self };
  if (isModelObject(self)) {
    const r = dispatch(it, selfV, self, name, args, ctx);
    if (r !== undefined) return r;
  } else {
    it.effects++;
    const r = self.call(name, args, ctx) ?? invokeFound(it, it.world.object.findMethod(name), selfV, self, args, ctx);
    if (r !== undefined) return r;
  }
  it.effects++;
  const k = it.kernel?.(name, args, ctx);
  if (k !== undefined) return k;
  return unknown(`calls \`${name}\`, which Cloche does not know`, ctx.nameLoc ?? ctx.loc);
}

/** A call with a receiver value. */
export function callMethod(it: Interpreter, recv: Value, name: string, args: Value[], ctx: EvalCallContext): Value {
  const unitsBefore = allocationUnits(recv);
  const r = callAny(it, recv, name, args, ctx);
  // What the call built counts against the evaluation's allocation budget: its result, or how much the receiver grew.
  it.allocations.grew(recv, unitsBefore);
  if (r !== recv) it.allocations.charge(r);
  // A match against something unknown leaves an unknown last match: `$1` after it is not nil.
  if (r.k === 'unknown' && (name === '=~' || name === 'match' || (name === '===' && recv.k === 'regexp'))) recordMatch(ctx, r);
  return r;
}

function callAny(it: Interpreter, recv: Value, name: string, args: Value[], ctx: EvalCallContext): Value {
  if (IDENTITY_METHODS.has(name)) it.effects++;
  if (recv.k === 'object') {
    const o = recv.obj;
    if (!isModelObject(o) && !o.pureMethods?.has(name)) {
      const read = it.memoHost ? o.memoRead?.(name, args, ctx) : undefined;
      if (read === undefined) it.effects++;
      else it.noteRead(read);
    }
    const r = isModelObject(o) ? dispatch(it, recv, o, name, args, ctx)
      : o.call(name, args, ctx) ?? invokeFound(it, it.world.object.findMethod(name), recv, o, args, ctx);
    if (r !== undefined) return r;
    const generic = callValueMethod(recv, name, args, ctx);
    if (generic !== undefined) return generic;
    return unknown(`calls \`${name}\` on ${o.describe()}, which Cloche does not know`, ctx.nameLoc ?? ctx.loc);
  }
  if (recv.k === 'unknown') {
    // `!(x || true)`: the truthiness is known even when the value is not.
    if (name === '!' && recv.truthy !== undefined) return { k: 'bool', v: !recv.truthy };
    if (name === '!' && recv.test) return { k: 'unknown', reason: recv.reason, ...(recv.loc ? { loc: recv.loc } : {}), test: `! { ${recv.test}; }` };
    return overUnknown(it, recv, name, ctx);
  }
  const r = callValueMethod(recv, name, args, ctx) ?? invokeFound(it, it.world.object.findMethod(name), recv, undefined, args, ctx);
  if (r !== undefined) return r;
  const u = args.map((a) => findUnknown(a)).find(Boolean);
  if (u) return unknown(u.reason, u.loc);
  return unknown(`method \`${name}\` of ${it.world.classOf(recv).name} is not evaluated statically`, ctx.nameLoc ?? ctx.loc);
}

/** Iterating an unknown collection: the body runs once with an unknown element (marked repeated). */
function overUnknown(it: Interpreter, recv: Extract<Value, { k: 'unknown' }>, name: string, ctx: EvalCallContext): Value {
  if (ctx.block && ITERATORS.has(name)) {
    it.repetitions.push(recv.reason);
    try {
      const arity = name === 'each_pair' || name === 'each_with_index' || name === 'each_with_object' ? 2 : 1;
      callProc(it, ctx.block, Array.from({ length: arity }, () => unknown(recv.reason, recv.loc)));
    } catch (e) {
      if (!(e instanceof ControlFlow || e instanceof RubyRaise)) throw e;
      // An element we cannot know may make the loop raise or return: what follows may not run.
      it.conditions.push(`unless the loop over ${recv.reason} ends early`);
    } finally { it.repetitions.pop(); }
  }
  return unknown(recv.reason, recv.loc);
}

/** The method a model object answers for `name` (its class's ancestors, then Class/Module for modules), or method_missing. */
function dispatch(it: Interpreter, recv: Value, o: RModule | RInstance, name: string, args: Value[], ctx: EvalCallContext): Value | undefined {
  const cls = lookupClassOf(o);
  const entry = cls.findMethod(name) ?? (o instanceof RModule ? (o.isClass ? it.world.klass : it.world.module).findMethod(name) : undefined);
  const r = invokeFound(it, entry, recv, o, args, ctx);
  if (r !== undefined) return r;
  if (name === 'method_missing' || name === 'respond_to_missing?') return undefined;
  // Each native method_missing that declines passes the call on, as one calling `super` would.
  for (const m of cls.ancestors()) {
    const missing = m.methods.get('method_missing');
    if (!missing) continue;
    const handled = invokeFound(it, missing, recv, o, [sym(name), ...args], ctx);
    if (handled !== undefined || missing.def) return handled;
  }
  return undefined;
}

/** Runs a found method; undefined when there is none or a native declines. */
export function invokeFound(it: Interpreter, entry: MethodEntry | undefined, recv: Value, self: RubyObject | undefined, args: Value[], ctx: EvalCallContext): Value | undefined {
  if (!entry) return undefined;
  if (entry.native) {
    if (self && !entry.memoSafe) it.effects++;
    return entry.native(recv, args, ctx);
  }
  if (entry.def && self) return invokeMethod(it, entry.def, self, args, ctx.block, ctx, entry);
  return undefined;
}

/** Runs a Ruby method with Ruby's parameter binding. */
export function invokeMethod(it: Interpreter, def: MethodDef, self: RubyObject, args: Value[], block: Value | undefined, ctx?: EvalCallContext, entry?: MethodEntry): Value {
  if (!block && callMemoOn() && isModelObject(self)) return memoizedCall(it, def, self, args, () => runMethod(it, def, self, args, block, ctx, entry));
  return runMethod(it, def, self, args, block, ctx, entry);
}

function runMethod(it: Interpreter, def: MethodDef, self: RubyObject, args: Value[], block: Value | undefined, ctx?: EvalCallContext, entry?: MethodEntry): Value {
  if (it.depth >= it.budgets.callDepth) { it.effects++; return unknown(`recursion deeper than ${it.budgets.callDepth} calls in \`${def.name}\``, ctx?.loc); }
  // A method calling itself with a value nobody knows would only make more unknowns, level after level.
  if (it.frames.some((f) => f.entry.def === def)) {
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    if (u) { it.effects++; return unknown(`\`${def.name}\` calls itself with a value that is not known (${u.reason})`, ctx?.loc); }
  }
  const selfV: Value = { k: 'object', obj: self };
  const owner = entry?.owner ?? def.nesting[0];
  const frame = new MethodFrame(entry ?? { name: def.name, owner: owner!, def, visibility: 'public' }, selfV, args, block, ctx);
  const scope: LexicalScope = { nesting: def.closure ? def.closure.scope.nesting : def.nesting, definee: owner && !owner.attachedTo ? owner : undefined };
  const env = new Env(def.closure, self, def.unit, scope, frame);
  if (block) env.vars.set('__block__', block);
  const params = def.node.parameters?.constructor.name === 'BlockParametersNode' ? def.node.parameters.parameters : def.node.parameters;
  bindParams(it, params, args, env, block);
  if (++it.depth > it.depthPeak) it.depthPeak = it.depth;
  it.frames.push(frame);
  const decided = (v: Value): Value => (frame.undecidedReturn && v.k !== 'unknown' ? unknown(`what \`${def.name}\` returns depends on ${frame.undecidedReturn}`, ctx?.loc) : v);
  try {
    const v = it.body(() => (def.node.body ? it.evalNode(def.node.body, env) : NIL));
    // Said where it came from; what is known of it (its truthiness, its machine test) stays.
    return decided(v.k === 'unknown' && !v.reason.includes(`\`${def.name}\``) ? { ...v, reason: `${v.reason} (in \`${def.name}\` from ${shortPath(def.origin)})` } : v);
  } catch (e) {
    if (e instanceof ControlFlow && (e.kind === 'return' || (def.closure && e.kind === 'next'))) return decided(e.value);
    throw e;
  } finally {
    it.depth--;
    it.frames.pop();
  }
}

/** A method being run; where it was called from is computed only if asked for (a raise, a finding moved to its call site). */
class MethodFrame implements Frame {
  undecidedReturn?: string;
  lastMatch?: Value;
  constructor(readonly entry: MethodEntry, readonly self: Value, readonly args: Value[], readonly block: Value | undefined, private readonly call: EvalCallContext | undefined) {}
  get callLoc(): SourceLocation | undefined { return this.call?.loc; }
}

/** Calls a block or lambda with arguments (block semantics: missing args are nil, arrays splat). */
export function callProc(it: Interpreter, p: Value, args: Value[], block?: Value): Value {
  if (p.k !== 'proc' && p.k !== 'lazy') return unknown('not a block');
  const outer = p.proc.env as Env;
  return runProcIn(it, p.proc.node as N, outer.child(), args, block);
}

/** `instance_eval`/`class_eval` semantics: the block's body runs with another self (and lexical scope). */
export function callProcWithSelf(it: Interpreter, p: Value, self: RubyObject, args: Value[], opts: { vars?: Record<string, Value>; scope?: LexicalScope }): Value {
  if (p.k !== 'proc' && p.k !== 'lazy') return unknown('not a block');
  const outer = p.proc.env as Env;
  const env = outer.child(self, opts.scope);
  for (const [k, v] of Object.entries(opts.vars ?? {})) env.vars.set(k, v);
  return runProcIn(it, p.proc.node as N, env, args);
}

function runProcIn(it: Interpreter, node: N, env: Env, args: Value[], block?: Value): Value {
  if (node.nativeBlock) return node.nativeBlock(args);
  if (node.symbolProc) return args[0] ? callMethod(it, args[0], node.symbolProc, args.slice(1), it.ctx(env)) : unknown(`&:${node.symbolProc} called without an argument`);
  if (it.depth >= it.budgets.callDepth) { it.effects++; return unknown(`blocks nested deeper than ${it.budgets.callDepth}`); }
  const isLambda = node.constructor?.name === 'LambdaNode';
  const paramsKind = node.parameters?.constructor.name;
  const params = paramsKind === 'BlockParametersNode' ? node.parameters.parameters : paramsKind === 'NumberedParametersNode' || paramsKind === 'ItParametersNode' ? undefined : node.parameters;
  if (paramsKind === 'NumberedParametersNode' || paramsKind === 'ItParametersNode') {
    env.vars.set('it', args[0] ?? NIL);
    const splat = args.length === 1 && args[0].k === 'array' && (node.parameters.maximum ?? 1) > 1 ? args[0].items : args;
    splat.forEach((a, i) => env.vars.set(`_${i + 1}`, a));
    if (!splat.length) env.vars.set('_1', NIL);
  }
  // A single array argument is splatted over several block parameters (and over `|a, |`).
  const count = (params?.requireds?.length ?? 0) + (params?.optionals?.length ?? 0) + (params?.posts?.length ?? 0) + (params?.rest ? 1 : 0);
  const effective = !isLambda && args.length === 1 && args[0].k === 'array' && count > 1 ? args[0].items : args;
  bindParams(it, params, effective, env, block);
  if (++it.depth > it.depthPeak) it.depthPeak = it.depth;
  try {
    return it.body(() => (node.body ? it.evalNode(node.body, env) : NIL));
  } catch (e) {
    if (e instanceof ControlFlow && (e.kind === 'next' || (isLambda && e.kind === 'return'))) return e.value;
    throw e;
  } finally {
    it.depth--;
  }
}

function bindParams(it: Interpreter, params: N, args: Value[], env: Env, block: Value | undefined): void {
  if (!params) return;
  let i = 0;
  const takesKeywords = params.keywords?.length || params.keywordRest;
  const last = args[args.length - 1];
  const kwargs = takesKeywords && last?.k === 'hash' && [...last.map.values()].every((e) => e.key.k === 'sym') ? last : undefined;
  const positional = kwargs ? args.slice(0, -1) : args;
  const posts = params.posts?.length ?? 0;
  for (const p of params.requireds ?? []) assignTarget(it, p, positional[i++] ?? NIL, env);
  for (const p of params.optionals ?? []) env.vars.set(p.name, i < positional.length - posts ? positional[i++] : it.evalNode(p.value, env));
  if (params.rest?.name) env.vars.set(params.rest.name, arr(positional.slice(i, Math.max(i, positional.length - posts))));
  const postStart = Math.max(i, positional.length - posts);
  (params.posts ?? []).forEach((p: N, j: number) => assignTarget(it, p, positional[postStart + j] ?? NIL, env));
  for (const k of params.keywords ?? []) {
    const given = kwargs?.map.get(hashKey(sym(k.name)))?.value;
    env.vars.set(k.name, given ?? (k.value ? it.evalNode(k.value, env) : unknown(`missing keyword argument ${k.name}`)));
  }
  if (params.keywordRest?.name) {
    const named = new Set((params.keywords ?? []).map((k: N) => k.name));
    env.vars.set(params.keywordRest.name, kwargs ? hashOf([...kwargs.map.values()].filter((e) => !named.has(e.key.k === 'sym' ? e.key.v : '')).map((e) => [e.key, e.value])) : hashOf([]));
  }
  if (params.block?.name) env.vars.set(params.block.name, block ?? NIL);
}

export function binaryOp(it: Interpreter, l: Value, op: string, r: Value, node: N, env: Env): Value {
  if ((op === '==' || op === '!=') && (l.k !== 'object' || !isModelObject(l.obj))) {
    if (l.k === 'object') { const own = l.obj.call(op, [r], it.ctx(env, undefined, node)); if (own !== undefined) return own; }
    const eq = rubyEquals(l, r);
    if (eq === undefined) return unknown((findUnknown(l) ?? findUnknown(r))?.reason ?? 'the values are too large or nest too deeply to compare statically', it.locOf(env.unit, node));
    return bool(op === '==' ? eq : !eq);
  }
  return callMethod(it, l, op, [r], it.ctx(env, undefined, node));
}

/**
 * Arguments of a call, with keyword arguments folded into a trailing hash as Ruby 2 did, and the
 * node each value came from (its location is computed only if asked for: `ctx.argLocs`).
 */
export function evalArgs(it: Interpreter, argsNode: N, env: Env): { values: Value[]; argNodes: N[]; blockArg?: Value } {
  const values: Value[] = [];
  const argNodes: N[] = [];
  let blockArg: Value | undefined;
  for (const a of argsNode?.arguments_ ?? []) {
    const name = a.constructor.name;
    if (name === 'SplatNode') {
      const v = a.expression ? it.evalNode(a.expression, env) : env.lookup('*') ?? NIL;
      const spread = v.k === 'array' ? v.items : v.k === 'nil' ? [] : [v];
      it.allocations.chargeElements(spread.length);
      for (const s of spread) { values.push(s); argNodes.push(a); }
    } else if (name === 'BlockArgumentNode') {
      blockArg = a.expression ? it.evalNode(a.expression, env) : undefined;
    } else if (name === 'ForwardingArgumentsNode') {
      const f = env.frame;
      if (f) { values.push(...f.args); blockArg = f.block; }
    } else {
      values.push(it.evalNode(a, env));
      argNodes.push(a);
    }
  }
  return { values, argNodes, blockArg };
}

export function argsValue(it: Interpreter, argsNode: N, env: Env): Value {
  const { values } = evalArgs(it, argsNode, env);
  return values.length === 0 ? NIL : values.length === 1 ? values[0] : arr(values);
}

/** Methods whose answer depends on which object a value is, not on what it holds (callMemo.ts). */
const IDENTITY_METHODS = new Set(['equal?', 'object_id', '__id__']);

export function makeProc(it: Interpreter, node: N, env: Env): ProcValue {
  return new BlockProc(it, node, env);
}

/** A block or lambda as written: its source text and location are read when first asked for (most blocks never are). */
class BlockProc implements ProcValue {
  private sourceMemo?: string;
  private locMemo?: SourceLocation;
  constructor(private readonly it: Interpreter, readonly node: N, readonly env: Env) {}
  get source(): string { return (this.sourceMemo ??= this.it.source(this.env.unit, this.node)); }
  get loc(): SourceLocation { return (this.locMemo ??= this.it.locOf(this.env.unit, this.node)); }
}

export function evalYield(it: Interpreter, node: N, env: Env): Value {
  const blk = env.lookup('__block__') ?? env.frame?.block;
  if (!blk || (blk.k !== 'proc' && blk.k !== 'lazy')) return unknown('yield without a block', it.locOf(env.unit, node));
  return callProc(it, blk, evalArgs(it, node.arguments_, env).values);
}

/** `super` and `super(…)`: the next method of that name after the current one's owner. */
export function evalSuper(it: Interpreter, node: N, env: Env): Value {
  const frame = env.frame;
  const loc = it.locOf(env.unit, node);
  if (!frame) return unknown('super outside a method', loc);
  const explicit = node.constructor.name === 'SuperNode';
  const { values, blockArg } = explicit ? evalArgs(it, node.arguments_, env) : { values: frame.args, blockArg: undefined };
  let block = frame.block;
  if (node.block?.constructor.name === 'BlockNode') block = { k: 'proc', proc: makeProc(it, node.block, env) };
  else if (blockArg) block = blockArg;
  const self = frame.self.k === 'object' ? frame.self.obj : undefined;
  if (!self || !isModelObject(self)) return unknown('calls super', loc);
  const next = lookupClassOf(self).findSuper(frame.entry.name, frame.entry.owner)
    ?? (self instanceof RModule ? (self.isClass ? it.world.klass : it.world.module).findMethod(frame.entry.name) : undefined);
  const ctx = it.ctx(env, block, node);
  const r = invokeFound(it, next, frame.self, self, values, ctx);
  if (r !== undefined) return r;
  if (frame.entry.name === 'initialize') return NIL;
  return unknown(`calls super of \`${frame.entry.name}\`, which Cloche does not know`, loc);
}

function shortPath(p: string): string {
  return p.split('/').slice(-2).join('/');
}
