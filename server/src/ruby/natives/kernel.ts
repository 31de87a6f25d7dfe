/**
 * Kernel's functions: output (ignored), `require` (libraries are loaded by Chef, not by require),
 * `raise`, conversions, `format`, `loop`, and what depends on the machine at run time (unknown).
 */
import { type Value, NIL, sym, arr, bool, unknown, findUnknown, toS } from '../values';
import { formatString, kernelConversion } from '../core/kernel';
import { RModule, RInstance } from '../objects';
import { ControlFlow, type EvalCallContext } from '../env';
import type { RubyWorld } from '../world';

/** A host that can load the files `require_relative` names (the library loader). */
export interface RequireHost {
  /** Loads `path` (relative to the file `from`) if it is one of the code base's and not loaded yet; true when it was loaded now. */
  requireRelative(path: string, from: string): boolean;
}

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
  // `pure`: the answer depends on the arguments alone, so a helper calling it may be kept by the call memo (callMemo.ts).
  const fn = (name: string, f: (args: Value[], ctx: EvalCallContext, self: Value) => Value | undefined, pure = false) => {
    k.defineNative(name, (self, args, ctx) => f(args, ctx, self), 'private', { memoSafe: pure });
    k.singleton().defineNative(name, (self, args, ctx) => f(args, ctx, self), 'public', { memoSafe: pure });
  };
  for (const quiet of ['puts', 'print', 'pp', 'warn']) fn(quiet, () => NIL, true);
  for (const quiet of ['require', 'load', 'sleep', 'at_exit', 'trap', 'autoload', 'gem', 'srand']) fn(quiet, () => NIL);
  // `require_relative` loads a file of the code base once (a library requiring another before it is loaded in order).
  fn('require_relative', (args, ctx) => {
    const host = ctx.interp.host as Partial<RequireHost> | undefined;
    if (args[0]?.k !== 'str' || !host?.requireRelative) return NIL;
    return bool(host.requireRelative(args[0].v, ctx.env.unit.file));
  });
  fn('p', (args) => (args.length === 0 ? NIL : args.length === 1 ? args[0] : arr(args)));
  const raise = (args: Value[], ctx: EvalCallContext): Value => {
    const { message, exceptionClass } = raiseArguments(args);
    // Under a condition we cannot decide, the branch ends here; evalBothBranches makes what follows conditional.
    if (findUnknown(arr(args.filter((a) => a.k !== 'object')))) return ctx.interp.raise(`${exceptionClass} (its message is not known statically)`, ctx.loc, exceptionClass);
    return ctx.interp.raise(message, ctx.loc, exceptionClass);
  };
  fn('raise', raise);
  fn('fail', raise);
  fn('format', (args, ctx) => (args[0]?.k === 'str' ? formatString(args[0].v, args.slice(1), ctx) : args[0]?.k === 'unknown' ? args[0] : undefined), true);
  fn('sprintf', (args, ctx) => (args[0]?.k === 'str' ? formatString(args[0].v, args.slice(1), ctx) : args[0]?.k === 'unknown' ? args[0] : undefined), true);
  for (const conversion of ['Integer', 'Float', 'String', 'Array', 'Hash']) fn(conversion, (args, ctx) => kernelConversion(conversion, args, ctx), true);
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
