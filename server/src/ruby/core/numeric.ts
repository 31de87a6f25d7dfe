/**
 * Integer and Float: the method table (arithmetic and rounding live beside it) and its entry point.
 */
import { type Value, NIL, str, int, bool, arr, unknown } from '../values';
import { type MethodTable, type Num, type Ctx, float, intResult, isNum, raise, unknownArg } from './args';
import { NUMERIC_ARITH, floorMod } from './numericArith';
import { NUMERIC_ROUNDING } from './numericRound';
import { rubyFloatToS } from './floatFormat';
import { yieldEach, yieldOnceUnknown } from './iterate';
import { MAX_RANGE_ITEMS, tooLarge } from './limits';

const intOnly = (fn: (n: number, args: Value[], ctx: Ctx) => Value | undefined): MethodTable<Num>[string] =>
  (n, args, ctx) => (n.k === 'int' ? fn(n.v, args, ctx) : undefined);

/** The values of `from.step(to, by)` (also upto/downto/times), or an unknown when there are too many. */
export function stepValues(from: Num, to: Num | undefined, by: Num): Value[] | Value {
  if (by.v === 0) return unknown('a step of 0 never ends');
  const isFloat = from.k === 'float' || to?.k === 'float' || by.k === 'float';
  if (!to) return unknown('an endless step never ends');
  const n = Math.floor((to.v - from.v) / by.v + (isFloat ? 1e-9 : 0)) + 1;
  if (n > MAX_RANGE_ITEMS) return tooLarge(`a sequence of ${n} numbers`);
  return Array.from({ length: Math.max(0, n) }, (_, i) => (isFloat ? float(from.v + i * by.v) : int(from.v + i * by.v)));
}

/** Runs the block over the values, or returns them as an array (Ruby's Enumerator, as far as map/to_a go). */
function iterateOver(values: Value[] | Value, recv: Value, ctx: Ctx): Value {
  if (!Array.isArray(values)) return ctx.block && values.k === 'unknown' ? yieldOnceUnknown(ctx, values.reason) : values;
  if (!ctx.block) return arr(values);
  return yieldEach(ctx, values.length, (i) => [values[i]]) ?? recv;
}

function step(n: Num, args: Value[], ctx: Ctx): Value | undefined {
  const opts = args[args.length - 1]?.k === 'hash' ? (args[args.length - 1] as Extract<Value, { k: 'hash' }>) : undefined;
  const positional = opts ? args.slice(0, -1) : args;
  const to = opts?.map.get('y:to')?.value ?? positional[0];
  const by = opts?.map.get('y:by')?.value ?? positional[1] ?? int(1);
  if ((to && !isNum(to) && to.k !== 'nil') || !isNum(by)) return undefined;
  return iterateOver(stepValues(n, isNum(to) ? to : undefined, by), n, ctx);
}

function digits(n: number, [b]: Value[], ctx: Ctx): Value | undefined {
  const base = b?.k === 'int' ? b.v : 10;
  if (n < 0) return raise(ctx, 'Math::DomainError', 'out of domain');
  if (base < 2) return raise(ctx, 'ArgumentError', `invalid radix ${base}`);
  const out: Value[] = [];
  for (let x = n; ; x = Math.floor(x / base)) { out.push(int(x % base)); if (x < base) break; }
  return arr(out);
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a), y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

function clamp(n: Num, [a, b]: Value[], ctx: Ctx): Value | undefined {
  const lo = a?.k === 'range' ? a.from : a, hi = a?.k === 'range' ? a.to : b;
  if (!isNum(lo) || !isNum(hi)) return undefined;
  if (lo.v > hi.v) return raise(ctx, 'ArgumentError', 'min argument must be less than or equal to max argument');
  return n.v < lo.v ? lo : n.v > hi.v ? hi : n;
}

function toI(n: Num, _a: Value[], ctx: Ctx): Value {
  if (n.k === 'int') return n;
  if (!Number.isFinite(n.v)) return raise(ctx, 'FloatDomainError', rubyFloatToS(n.v));
  return intResult(Math.trunc(n.v));
}

function toS(n: Num, [b]: Value[], ctx: Ctx): Value | undefined {
  if (n.k === 'float') return b ? undefined : str(rubyFloatToS(n.v));
  const base = b?.k === 'int' ? b.v : 10;
  if (base < 2 || base > 36) return raise(ctx, 'ArgumentError', `invalid radix ${base}`);
  return str(n.v.toString(base));
}

function chr(n: number, _a: Value[], ctx: Ctx): Value {
  if (n < 0 || n > 255) return raise(ctx, 'RangeError', `${n} out of char range`);
  // 128..255 make a binary (ASCII-8BIT) string, which has no faithful JavaScript text form.
  return n < 128 ? str(String.fromCharCode(n)) : unknown(`${n}.chr is a binary string`);
}

const NUMERIC_OTHER: MethodTable<Num> = {
  to_i: toI, to_int: toI,
  to_f: (n) => float(n.v),
  to_s: toS, inspect: (n, _a, ctx) => toS(n, [], ctx),
  to_r: () => unknown('Rational values are not evaluated'),
  rationalize: () => unknown('Rational values are not evaluated'),
  to_c: () => unknown('Complex values are not evaluated'),
  abs: (n) => (n.k === 'int' ? intResult(Math.abs(n.v)) : float(Math.abs(n.v))),
  magnitude: (n) => (n.k === 'int' ? intResult(Math.abs(n.v)) : float(Math.abs(n.v))),
  'zero?': (n) => bool(n.v === 0),
  'positive?': (n) => bool(n.v > 0),
  'negative?': (n) => bool(n.v < 0),
  'nonzero?': (n) => (n.v === 0 ? NIL : n),
  'even?': intOnly((n) => bool(floorMod(n, 2) === 0)),
  'odd?': intOnly((n) => bool(floorMod(n, 2) === 1)),
  'integer?': (n) => bool(n.k === 'int'),
  'finite?': (n) => bool(Number.isFinite(n.v)),
  'infinite?': (n) => (Number.isFinite(n.v) || Number.isNaN(n.v) ? NIL : int(n.v > 0 ? 1 : -1)),
  'nan?': (n) => (n.k === 'float' ? bool(Number.isNaN(n.v)) : undefined),
  succ: intOnly((n) => intResult(n + 1)),
  next: intOnly((n) => intResult(n + 1)),
  pred: intOnly((n) => intResult(n - 1)),
  ord: intOnly((n) => int(n)),
  chr: intOnly(chr),
  digits: intOnly(digits),
  gcd: intOnly((n, [o]) => (o?.k === 'int' ? int(gcd(n, o.v)) : undefined)),
  lcm: intOnly((n, [o]) => (o?.k === 'int' ? (n === 0 || o.v === 0 ? int(0) : intResult(Math.abs((n / gcd(n, o.v)) * o.v))) : undefined)),
  bit_length: intOnly((n) => int((n < 0 ? -n - 1 : n).toString(2).replace(/^0$/, '').length)),
  size: intOnly(() => int(8)),
  'between?': (n, [a, b]) => (isNum(a) && isNum(b) ? bool(n.v >= a.v && n.v <= b.v) : undefined),
  clamp,
  times: intOnly((n, _a, ctx) => iterateOver(stepValues(int(0) as Num, int(n - 1) as Num, int(1) as Num), int(n), ctx)),
  upto: (n, [to], ctx) => (isNum(to) ? iterateOver(stepValues(n, to, int(1) as Num), n, ctx) : undefined),
  downto: (n, [to], ctx) => (isNum(to) ? iterateOver(stepValues(n, to, int(-1) as Num), n, ctx) : undefined),
  step,
  dup: (n) => n, clone: (n) => n,
};

/** Every Integer and Float method Cloche evaluates. */
export const NUMERIC_METHODS: MethodTable<Num> = { ...NUMERIC_ARITH, ...NUMERIC_ROUNDING, ...NUMERIC_OTHER };

/** Calls an Integer or Float method; undefined when it is not one Cloche evaluates. */
export function callNumeric(n: Num, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = NUMERIC_METHODS[name];
  if (!method) return undefined;
  return unknownArg(args) ?? method(n, args, ctx);
}
