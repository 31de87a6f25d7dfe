/**
 * `round`, `floor`, `ceil` and `truncate` with digits, as Ruby computes them. Float#round rounds half
 * away from zero, correcting for the binary error of `x * 10**n` (so `2.675.round(2)` is 2.68, as
 * in Ruby); negative digits round the integer part and give an Integer.
 */
import { type Value, unknown } from '../values';
import { type MethodTable, type Num, float, intResult, option } from './args';
import { floorMod } from './numericArith';

/** C's round(): half away from zero, exactly (JavaScript's Math.round rounds -2.5 to -2). */
function cRound(v: number): number {
  const a = Math.abs(v);
  const r = Math.floor(a);
  return Math.sign(v) * (a - r >= 0.5 ? r + 1 : r);
}

/** The binary exponent of frexp(): x = m * 2**e with 0.5 <= |m| < 1. */
function binaryExponent(x: number): number {
  if (x === 0) return 0;
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  if (Math.abs(x) / 2 ** e >= 1) e++;
  if (Math.abs(x) / 2 ** e < 0.5) e--;
  return e;
}

/** Ruby's test that `ndigits` is past the precision of x (the value is returned unchanged). */
function beyondPrecision(x: number, ndigits: number): boolean {
  const e = binaryExponent(x);
  return ndigits >= 17 - (e > 0 ? Math.trunc(e / 4) : Math.trunc(e / 3) - 1);
}

/** Ruby's round_half_up(x, s), then divided by s. */
function roundHalfUp(x: number, s: number): number {
  let f = cRound(x * s);
  if (x > 0 && (f + 0.5) / s <= x) f += 1;
  if (x < 0 && (f - 0.5) / s >= x) f -= 1;
  return f / s;
}

/** Integer rounding to 10**-ndigits (ndigits < 0) with Ruby's half modes. */
function roundInteger(n: number, ndigits: number, half: string): Value {
  if (ndigits >= 0) return intResult(n);
  const s = 10 ** -ndigits;
  if (!Number.isSafeInteger(s)) return intResult(0);
  const r = floorMod(Math.abs(n), s);
  const down = Math.abs(n) - r;
  const up = 2 * r > s || (2 * r === s && (half === 'up' || (half === 'even' && (down / s) % 2 === 1)));
  return intResult(Math.sign(n) * (up ? down + s : down));
}

function halfMode(args: Value[]): string {
  const h = option(args, 'half');
  return h?.k === 'sym' ? h.v : 'up';
}

function roundFloat(x: number, ndigits: number, half: string): Value {
  if (!Number.isFinite(x)) return ndigits > 0 ? float(x) : unknown(`${x} cannot be rounded to an Integer (FloatDomainError)`);
  if (ndigits < 0) return roundInteger(Math.trunc(x), ndigits, half);
  if (ndigits === 0) {
    const r = Math.floor(x), frac = x - r;
    if (frac !== 0.5 || half === 'up') return intResult(cRound(x));
    return intResult(half === 'down' ? Math.trunc(x) : r % 2 === 0 ? r : r + 1);
  }
  if (beyondPrecision(x, ndigits)) return float(x);
  if (ndigits > 14) return float(Math.sign(x) * Number(Math.abs(x).toFixed(ndigits)));
  return float(roundHalfUp(x, 10 ** ndigits));
}

/** Float#floor/ceil with positive digits, with Ruby's check against the binary error of the product. */
function floorCeilFloat(x: number, ndigits: number, ceil: boolean): Value {
  if (!Number.isFinite(x)) return ndigits > 0 ? float(x) : unknown(`${x} cannot be converted to an Integer (FloatDomainError)`);
  if (ndigits <= 0) {
    const i = ceil ? Math.ceil(x) : Math.floor(x);
    return ndigits === 0 ? intResult(i) : floorCeilInteger(i, ndigits, ceil);
  }
  if (beyondPrecision(x, ndigits)) return float(x);
  const f = 10 ** ndigits;
  const mul = ceil ? Math.ceil(x * f) : Math.floor(x * f);
  const near = ceil ? (mul - 1) / f : (mul + 1) / f;
  return float(ceil ? (near < x ? mul / f : near) : near > x ? mul / f : near);
}

function floorCeilInteger(n: number, ndigits: number, ceil: boolean): Value {
  if (ndigits >= 0) return intResult(n);
  const s = 10 ** -ndigits;
  const down = n - floorMod(n, s);
  return intResult(ceil && down !== n ? down + s : down);
}

const digitsArg = (args: Value[]): number | undefined => (args[0] === undefined || args[0].k === 'hash' ? 0 : args[0].k === 'int' ? args[0].v : undefined);

export const NUMERIC_ROUNDING: MethodTable<Num> = {
  round: (n, args) => {
    const d = digitsArg(args);
    if (d === undefined) return undefined;
    return n.k === 'int' ? roundInteger(n.v, d, halfMode(args)) : roundFloat(n.v, d, halfMode(args));
  },
  floor: (n, args) => { const d = digitsArg(args); return d === undefined ? undefined : n.k === 'int' ? floorCeilInteger(n.v, d, false) : floorCeilFloat(n.v, d, false); },
  ceil: (n, args) => { const d = digitsArg(args); return d === undefined ? undefined : n.k === 'int' ? floorCeilInteger(n.v, d, true) : floorCeilFloat(n.v, d, true); },
  truncate: (n, args) => {
    const d = digitsArg(args);
    if (d === undefined) return undefined;
    const negative = n.v < 0;
    if (n.k === 'int') return floorCeilInteger(n.v, d, negative);
    return floorCeilFloat(n.v, d, negative);
  },
};
