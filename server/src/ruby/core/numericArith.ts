/**
 * Integer and Float arithmetic with Ruby's rules: Integer division and modulo round toward negative
 * infinity (`-7 / 2` is -4, `-7 % 2` is 1), division by integer zero raises, a negative integer
 * exponent makes a Rational (not evaluated), and an Integer past 2**53 is unknown rather than rounded.
 */
import { type Value, NIL, int, bool, unknown } from '../values';
import { type MethodTable, type Num, type Ctx, float, intResult, isNum, raise, implicitName } from './args';
import { comparisonFailed } from './compare';

const bothInt = (a: Num, b: Num): boolean => a.k === 'int' && b.k === 'int';

/** Ruby's floored modulo: the result has the sign of the divisor. */
export function floorMod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}

/** Floored integer division, exact: the dividend less its modulo is a multiple of the divisor. */
export function floorDiv(x: number, y: number): number {
  return (x - floorMod(x, y)) / y;
}

function divide(a: Num, b: Num, ctx: Ctx): Value {
  if (!bothInt(a, b)) return float(a.v / b.v);
  if (b.v === 0) return raise(ctx, 'ZeroDivisionError', 'divided by 0');
  return intResult(floorDiv(a.v, b.v));
}

function modulo(a: Num, b: Num, ctx: Ctx): Value {
  if (!bothInt(a, b)) return float(b.v === 0 ? NaN : floorMod(a.v, b.v));
  if (b.v === 0) return raise(ctx, 'ZeroDivisionError', 'divided by 0');
  return intResult(floorMod(a.v, b.v));
}

/** `**`: exact for integers (through BigInt), Rational and Complex results are unknown. */
export function power(a: Num, b: Num, ctx: Ctx): Value {
  if (bothInt(a, b)) {
    if (b.v < 0) return a.v === 0 ? raise(ctx, 'ZeroDivisionError', 'divided by 0') : unknown('a negative integer exponent makes a Rational, which Cloche does not evaluate');
    if (Math.abs(a.v) > 1 && b.v > 64) return intResult(Infinity);
    const r = BigInt(a.v) ** BigInt(b.v);
    return intResult(r > BigInt(Number.MAX_SAFE_INTEGER) || r < -BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(r));
  }
  if (a.v < 0 && !Number.isInteger(b.v)) return unknown('a negative number to a fractional power makes a Complex, which Cloche does not evaluate');
  return float(a.v ** b.v);
}

/** `divmod`: the floored quotient (an Integer even for floats) and the modulo. */
function divmod(a: Num, b: Num, ctx: Ctx): Value {
  // Ruby raises for a zero divisor here even with floats.
  if (b.v === 0) return raise(ctx, 'ZeroDivisionError', 'divided by 0');
  const q = bothInt(a, b) ? floorDiv(a.v, b.v) : Math.floor(a.v / b.v);
  const m = bothInt(a, b) ? intResult(floorMod(a.v, b.v)) : float(floorMod(a.v, b.v));
  return { k: 'array', items: [intResult(q), m] };
}

/** Plain values Ruby cannot coerce into a number (objects may define `coerce`, so they are left alone). */
const UNCOERCIBLE = new Set(['str', 'sym', 'nil', 'bool', 'array', 'hash', 'range', 'regexp']);

/** A binary operation on two numbers; TypeError for a plain non-number, as Ruby raises. */
function binary(fn: (a: Num, b: Num, ctx: Ctx) => Value): MethodTable<Num>[string] {
  return (a, [b], ctx) => {
    if (isNum(b)) return fn(a, b, ctx);
    if (b && UNCOERCIBLE.has(b.k)) return raise(ctx, 'TypeError', `${implicitName(b)} can't be coerced into ${a.k === 'int' ? 'Integer' : 'Float'}`);
    return undefined;
  };
}

const arith = (op: (x: number, y: number) => number) => (a: Num, b: Num): Value => (bothInt(a, b) ? intResult(op(a.v, b.v)) : float(op(a.v, b.v)));

function comparison(test: (x: number, y: number) => boolean): MethodTable<Num>[string] {
  return (a, [b], ctx) => (isNum(b) ? bool(test(a.v, b.v)) : raise(ctx, 'ArgumentError', comparisonFailed(a, b ?? NIL)));
}

/** Bitwise operations are Integer-only and exact through BigInt. */
function bitwise(op: (x: bigint, y: bigint) => bigint): MethodTable<Num>[string] {
  return (a, [b]) => {
    if (a.k !== 'int' || b?.k !== 'int') return undefined;
    if (Math.abs(b.v) > 1024) return intResult(Infinity);
    return intResult(Number(op(BigInt(a.v), BigInt(b.v))));
  };
}

export const NUMERIC_ARITH: MethodTable<Num> = {
  '+': binary(arith((x, y) => x + y)),
  '-': binary(arith((x, y) => x - y)),
  '*': binary(arith((x, y) => x * y)),
  '/': binary(divide),
  div: binary((a, b, ctx) => (b.v === 0 ? raise(ctx, 'ZeroDivisionError', 'divided by 0') : intResult(bothInt(a, b) ? floorDiv(a.v, b.v) : Math.floor(a.v / b.v)))),
  '%': binary(modulo),
  modulo: binary(modulo),
  remainder: binary((a, b, ctx) => (bothInt(a, b) && b.v === 0 ? raise(ctx, 'ZeroDivisionError', 'divided by 0') : bothInt(a, b) ? intResult(a.v % b.v) : float(a.v % b.v))),
  divmod: binary(divmod),
  fdiv: binary((a, b) => float(a.v / b.v)),
  '**': binary(power),
  pow: (a, [b, m], ctx) => {
    if (!isNum(b)) return undefined;
    if (!m) return power(a, b, ctx);
    if (a.k !== 'int' || b.k !== 'int' || m.k !== 'int' || b.v < 0 || m.v === 0) return undefined;
    let r = 1n, base = BigInt(a.v) % BigInt(m.v), e = BigInt(b.v);
    const mod = BigInt(m.v);
    for (; e > 0n; e >>= 1n, base = (base * base) % mod) if (e & 1n) r = (r * base) % mod;
    return intResult(floorMod(Number(r), m.v));
  },
  '-@': (a) => (a.k === 'int' ? intResult(-a.v) : float(-a.v)),
  '+@': (a) => a,
  '~': (a) => (a.k === 'int' ? intResult(~a.v) : undefined),
  '&': bitwise((x, y) => x & y),
  '|': bitwise((x, y) => x | y),
  '^': bitwise((x, y) => x ^ y),
  '<<': bitwise((x, y) => (y >= 0n ? x << y : x >> -y)),
  '>>': bitwise((x, y) => (y >= 0n ? x >> y : x << -y)),
  '<': comparison((x, y) => x < y),
  '>': comparison((x, y) => x > y),
  '<=': comparison((x, y) => x <= y),
  '>=': comparison((x, y) => x >= y),
  '<=>': (a, [b]) => (isNum(b) && !Number.isNaN(a.v) && !Number.isNaN(b.v) ? int(a.v < b.v ? -1 : a.v > b.v ? 1 : 0) : NIL),
  '==': (a, [b]) => bool(isNum(b) && a.v === b.v),
  '===': (a, [b]) => bool(isNum(b) && a.v === b.v),
  'eql?': (a, [b]) => bool(isNum(b) && a.k === b.k && a.v === b.v),
  'equal?': (a, [b]) => bool(isNum(b) && a.k === b.k && a.v === b.v),
  coerce: (a, [b]) => (isNum(b) ? { k: 'array', items: a.k === 'int' && b.k === 'int' ? [b, a] : [float(b.v), float(a.v)] } : undefined),
};
