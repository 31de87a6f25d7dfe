/**
 * Small helpers every core class uses: reading arguments, keeping the reason of an unknown argument,
 * and raising the way Ruby would (or not, when the code may not run at all).
 */
import { type Value, type CallContext, unknown, findUnknown } from '../values';
import { RubyRaise } from '../errors';

export type Ctx = CallContext;
export type Num = Extract<Value, { k: 'int' | 'float' }>;
export type Str = Extract<Value, { k: 'str' }>;
export type Arr = Extract<Value, { k: 'array' }>;
export type Hash = Extract<Value, { k: 'hash' }>;
export type Range = Extract<Value, { k: 'range' }>;

/** A method of one class: undefined when this form of the call is not evaluated (the caller says why). */
export type Method<R extends Value = Value> = (recv: R, args: Value[], ctx: Ctx) => Value | undefined;
export type MethodTable<R extends Value = Value> = Record<string, Method<R>>;

export const isNum = (v: Value | undefined): v is Num => v?.k === 'int' || v?.k === 'float';
export const float = (v: number): Value => ({ k: 'float', v });

/** The first unknown inside any argument, as a fresh unknown that keeps its reason and location. */
export function unknownArg(args: Value[]): Value | undefined {
  for (const a of args) {
    const u = findUnknown(a);
    if (u) return unknown(u.reason, u.loc);
  }
  return undefined;
}

/**
 * An Integer result. JavaScript numbers are exact only up to 2^53, while Ruby integers grow without
 * bound, so a larger result is unknown rather than a silently rounded number.
 */
export function intResult(n: number): Value {
  // Callers pass Infinity or NaN for a result they know overflowed.
  if (!Number.isSafeInteger(n)) return unknown('the integer is beyond 2**53, which Cloche does not compute exactly');
  return { k: 'int', v: n === 0 ? 0 : n };
}

interface Uncertainty { conditions?: string[]; repetitions?: string[] }

/**
 * Raises a Ruby exception. Under an unknown condition, or in the body of a loop over an unknown
 * collection, the code may never run, so the raise becomes an unknown value instead of a certain stop.
 */
export function raise(ctx: Ctx | undefined, exceptionClass: string, message: string): Value {
  const interp = (ctx as { interp?: Uncertainty } | undefined)?.interp;
  if (interp && (interp.conditions?.length || interp.repetitions?.length)) {
    return unknown(`raises ${exceptionClass}: ${message}`, ctx?.loc);
  }
  // Through the interpreter when there is one, so the raise knows the calls that led to it.
  const raiser = interp as { raise?: (m: string, l: unknown, c: string) => never } | undefined;
  if (raiser?.raise) raiser.raise(message, ctx?.loc, exceptionClass);
  throw new RubyRaise(message, ctx?.loc, exceptionClass);
}

/** The block of the call, or undefined. */
export const blockOf = (ctx: Ctx): Value | undefined => ctx.block;

/** Calls the block with arguments (block semantics: a single array argument splats over several parameters). */
export const yieldTo = (ctx: Ctx, args: Value[]): Value => ctx.callProc(ctx.block!, args);

/** Ruby's keyword option `name:` in a trailing hash, or undefined. */
export function option(args: Value[], name: string): Value | undefined {
  const last = args[args.length - 1];
  if (last?.k !== 'hash') return undefined;
  return last.map.get('y:' + name)?.value;
}

/** How Ruby names a value in "no implicit conversion of X into String": nil, true, false, else the class. */
export function implicitName(v: Value | undefined): string {
  if (!v || v.k === 'nil') return 'nil';
  if (v.k === 'bool') return String(v.v);
  return ({ int: 'Integer', float: 'Float', str: 'String', sym: 'Symbol', array: 'Array', hash: 'Hash', range: 'Range', regexp: 'Regexp', proc: 'Proc', lazy: 'Proc' } as Record<string, string>)[v.k]
    ?? (v.k === 'object' ? v.obj.className : 'Object');
}

/**
 * Turns a value into an unknown in place, for every holder of it. A mutating method whose effect
 * cannot be known (`s << unknown_thing`) must not leave the old contents looking certain.
 */
export function becomeUnknown(v: Value, reason: string, loc?: Extract<Value, { k: 'unknown' }>['loc']): Value {
  const o = v as unknown as Record<string, unknown>;
  for (const key of Object.keys(o)) delete o[key];
  Object.assign(o, { k: 'unknown', reason, loc });
  return v;
}
