/**
 * Kernel's functions: output (ignored), `require` (libraries are loaded by Chef, not by require),
 * `raise`, conversions, `format`, `loop`, and what depends on the machine at run time (unknown).
 */
import { type Value, NIL, str, sym, int, arr, bool, unknown, findUnknown, toS, hashOf } from '../values';
import { RModule, RInstance } from '../objects';
import { ControlFlow, type EvalCallContext } from '../interpreter';
import type { RubyWorld } from '../world';

/** What `raise X, 'msg'`, `raise 'msg'` and `raise X.new('msg')` say, and the exception's class. */
export function raiseArguments(args: Value[]): { message: string; exceptionClass: string } {
  let exceptionClass = 'RuntimeError';
  const parts: string[] = [];
  for (const a of args) {
    if (a.k === 'object' && a.obj instanceof RModule) exceptionClass = a.obj.name;
    else if (a.k === 'object' && a.obj instanceof RInstance) {
      exceptionClass = a.obj.cls.name;
      const m = a.obj.data.message;
      if (typeof m === 'string') parts.push(m);
    } else if (a.k === 'str') parts.push(a.v);
    else if (a.k === 'object') parts.push(a.obj.describe());
    else if (a.k !== 'hash') parts.push(toS(a));
  }
  const message = parts.filter(Boolean).join(': ') || (exceptionClass === 'RuntimeError' ? 'unhandled exception' : exceptionClass);
  return { message, exceptionClass };
}

export function defineKernelNatives(world: RubyWorld): void {
  const k = world.kernel;
  // Kernel's functions are module functions: private methods of every object, and `Kernel.format(…)`.
  const fn = (name: string, f: (args: Value[], ctx: EvalCallContext, self: Value) => Value | undefined) => {
    k.defineNative(name, (self, args, ctx) => f(args, ctx, self), 'private');
    k.singleton().defineNative(name, (self, args, ctx) => f(args, ctx, self));
  };
  for (const quiet of ['puts', 'print', 'pp', 'warn', 'require', 'require_relative', 'load', 'sleep', 'at_exit', 'trap', 'autoload', 'gem', 'srand']) fn(quiet, () => NIL);
  fn('p', (args) => (args.length === 0 ? NIL : args.length === 1 ? args[0] : arr(args)));
  const raise = (args: Value[], ctx: EvalCallContext): Value => {
    const { message, exceptionClass } = raiseArguments(args);
    // Under a condition we cannot decide, the raise may not happen: the rest is still analysed.
    if (ctx.interp.uncertain()) return NIL;
    if (findUnknown(arr(args.filter((a) => a.k !== 'object')))) return ctx.interp.raise(`${exceptionClass} (its message is not known statically)`, ctx.loc, exceptionClass);
    return ctx.interp.raise(message, ctx.loc, exceptionClass);
  };
  fn('raise', raise);
  fn('fail', raise);
  fn('format', (args) => format(args));
  fn('sprintf', (args) => format(args));
  fn('Integer', (args) => {
    const a = args[0];
    if (a?.k === 'int') return a;
    if (a?.k === 'str' && /^\s*[-+]?\d+\s*$/.test(a.v)) return int(parseInt(a.v, 10));
    if (a?.k === 'float') return int(Math.trunc(a.v));
    return a?.k === 'unknown' ? a : undefined;
  });
  fn('Float', (args) => (args[0]?.k === 'int' || args[0]?.k === 'float' ? { k: 'float', v: args[0].v } : args[0]?.k === 'str' && args[0].v.trim() !== '' && !isNaN(Number(args[0].v)) ? { k: 'float', v: Number(args[0].v) } : args[0]?.k === 'unknown' ? args[0] : undefined));
  fn('String', (args) => (args[0] && args[0].k !== 'unknown' && args[0].k !== 'object' ? str(toS(args[0])) : args[0]));
  fn('Array', (args) => {
    const a = args[0];
    if (!a || a.k === 'nil') return arr([]);
    if (a.k === 'array' || a.k === 'unknown') return a;
    if (a.k === 'hash') return arr([...a.map.values()].map((e) => arr([e.key, e.value])));
    return arr([a]);
  });
  fn('Hash', (args) => (args[0]?.k === 'hash' ? args[0] : args[0]?.k === 'nil' || (args[0]?.k === 'array' && !args[0].items.length) ? hashOf([]) : args[0]?.k === 'unknown' ? args[0] : undefined));
  fn('loop', (_args, ctx) => {
    // How often a loop runs depends on a `break` we cannot time: its body runs once, as repeated.
    if (ctx.block) {
      ctx.interp.repetitions.push('a loop that runs until it breaks');
      try { ctx.interp.callProc(ctx.block, []); } catch (e) { if (!(e instanceof ControlFlow)) throw e; } finally { ctx.interp.repetitions.pop(); }
    }
    return unknown('a loop that runs until it breaks is not evaluated', ctx.loc);
  });
  fn('block_given?', (_args, ctx) => bool(ctx.env.lookup('__block__') !== undefined || !!ctx.env.frame?.block));
  fn('__method__', (_args, ctx) => (ctx.env.frame ? sym(ctx.env.frame.entry.name) : NIL));
  fn('catch', (_args, ctx) => unknown('catch/throw is not evaluated', ctx.loc));
  fn('throw', (_args, ctx) => unknown('catch/throw is not evaluated', ctx.loc));
  fn('freeze', (_a, _c, self) => self);
  for (const machine of ['binding', 'caller', 'caller_locations', 'rand', 'gets', 'system', 'exec', 'spawn', 'open', '`', 'exit', 'exit!', 'abort', 'fork', 'select', 'readlines']) {
    fn(machine, (_args, ctx) => unknown(`\`${machine}\` depends on the machine at run time`, ctx.loc));
  }
}

function format(args: Value[]): Value | undefined {
  if (args[0]?.k !== 'str') return args[0]?.k === 'unknown' ? args[0] : undefined;
  const u = args.map((a) => findUnknown(a)).find(Boolean);
  if (u) return unknown(u.reason, u.loc);
  let i = 1;
  return str(args[0].v.replace(/%([-0-9.]*)([sdfo%])/g, (_m, _w, c) => (c === '%' ? '%' : toS(args[i++] ?? NIL))));
}
