/**
 * Range: integer and string ranges are enumerated (bounded), numeric ones are also answered
 * arithmetically without building them (`include?`, `sum`, `size`, `min`, `max`), and the methods of
 * Enumerable run over the values. Float ranges cannot be iterated (Ruby raises TypeError).
 */
import { type Value, NIL, int, arr, bool, unknown, findUnknown, rubyEquals } from '../values';
import { type MethodTable, type Range, type Ctx, raise, intResult, isNum, unknownArg } from './args';
import { rangeItems, rangeSize } from './rangeItems';
import { rangeCovers } from './caseEquals';
import { ENUMERABLE, type EnumMethod } from './enumerable';
import { stepValues } from './numeric';
import { includes } from './enumQuery';
import { yieldOnceUnknown } from './iterate';
import { tooLarge } from './limits';

/** Why the values of a range cannot be listed (endless, float, too long), or undefined when they can. */
function notEnumerable(r: Range): string | undefined {
  if (r.from.k === 'float') return "can't iterate from Float";
  if (r.to.k === 'nil') return 'the range is endless';
  if (r.from.k !== 'int' && r.from.k !== 'str') return `a range of ${r.from.k} is not evaluated`;
  return rangeItems(r) ? undefined : (tooLarge('the range') as { reason: string }).reason;
}

/** Runs an Enumerable method over the values, or says why not (a block still runs once, marked repeated). */
function overValues(fn: EnumMethod): MethodTable<Range>[string] {
  return (r, args, ctx) => {
    const items = rangeItems(r);
    if (items) return fn(items, args, ctx, r);
    const why = notEnumerable(r)!;
    if (r.from.k === 'float') return raise(ctx, 'TypeError', why);
    if (r.to.k === 'nil' && fn === ENUMERABLE.to_a) return raise(ctx, 'RangeError', 'cannot convert endless range to an array');
    return ctx.block ? yieldOnceUnknown(ctx, why) : unknown(why, ctx.loc);
  };
}

const numericEnds = (r: Range): boolean => isNum(r.from) && (isNum(r.to) || r.to.k === 'nil');

function sum(r: Range, args: Value[], ctx: Ctx): Value | undefined {
  if (!ctx.block && !args.length && r.from.k === 'int' && r.to.k === 'int') {
    const last = r.exclusive ? r.to.v - 1 : r.to.v;
    return last < r.from.v ? int(0) : intResult(((r.from.v + last) * (last - r.from.v + 1)) / 2);
  }
  return overValues(ENUMERABLE.sum)(r, args, ctx);
}

function max(r: Range, args: Value[], ctx: Ctx): Value | undefined {
  if (ctx.block || args.length || !numericEnds(r) || r.to.k === 'nil') return overValues(ENUMERABLE.max)(r, args, ctx);
  const from = r.from as Extract<Value, { k: 'int' | 'float' }>, to = r.to as Extract<Value, { k: 'int' | 'float' }>;
  if (r.exclusive && to.k === 'float') return raise(ctx, 'TypeError', 'cannot exclude non Integer end value');
  const last = r.exclusive ? to.v - 1 : to.v;
  return last < from.v ? NIL : r.exclusive ? int(last) : to;
}

function min(r: Range, args: Value[], ctx: Ctx): Value | undefined {
  if (ctx.block || args.length || !numericEnds(r)) return overValues(ENUMERABLE.min)(r, args, ctx);
  const from = r.from as Extract<Value, { k: 'int' | 'float' }>;
  if (r.to.k === 'nil') return from;
  const to = r.to as Extract<Value, { k: 'int' | 'float' }>;
  return to.v < from.v || (r.exclusive && to.v === from.v) ? NIL : from;
}

/** `include?`: by comparison for numbers, by the listed values for strings (`('a'..'z').include?('bb')` is false). */
function include(r: Range, [x]: Value[], ctx: Ctx): Value | undefined {
  if (!x) return undefined;
  if (r.from.k === 'str' && x.k === 'str') { const items = rangeItems(r); return items ? includes(items, x) : undefined; }
  const c = rangeCovers(r, x, ctx);
  return c === undefined ? undefined : bool(c);
}

function firstN(r: Range, [n]: Value[], ctx: Ctx): Value | undefined {
  if (!n) return r.from.k === 'nil' ? raise(ctx, 'RangeError', 'cannot get the first element of beginless range') : r.from;
  if (n.k !== 'int' || r.from.k !== 'int') return overValues(ENUMERABLE.first)(r, [n], ctx);
  const last = r.to.k === 'int' ? (r.exclusive ? r.to.v - 1 : r.to.v) : r.to.k === 'nil' || (r.to.k === 'float' && r.to.v === Infinity) ? Infinity : undefined;
  if (last === undefined) return undefined;
  const count = Math.max(0, Math.min(n.v, last - r.from.v + 1));
  return arr(Array.from({ length: count }, (_, i) => int((r.from as { v: number }).v + i)));
}

/** `(a..b).step(n)` / `%`: the values from a by n up to b (not b itself when exclusive). */
function step(r: Range, [by]: Value[], ctx: Ctx): Value | undefined {
  if (!isNum(by) || !isNum(r.from) || !isNum(r.to)) return undefined;
  const all = stepValues(r.from, r.to, by);
  if (!Array.isArray(all)) return ctx.block && all.k === 'unknown' ? yieldOnceUnknown(ctx, all.reason) : all;
  const end = r.to.v;
  const values = r.exclusive ? all.filter((v) => (v as { v: number }).v !== end) : all;
  return ctx.block ? (ENUMERABLE.each(values, [], ctx, r), r) : arr(values);
}

const ENUMERABLE_ON_RANGES: MethodTable<Range> = Object.fromEntries(Object.entries(ENUMERABLE).map(([name, fn]) => [name, overValues(fn)]));

const RANGE_OWN: MethodTable<Range> = {
  to_a: overValues(ENUMERABLE.to_a),
  entries: overValues(ENUMERABLE.to_a),
  to_ary: overValues(ENUMERABLE.to_a),
  'include?': include,
  'member?': include,
  'cover?': (r, [x], ctx) => { if (!x) return undefined; const c = x.k === 'range' ? undefined : rangeCovers(r, x, ctx); return c === undefined ? undefined : bool(c); },
  '===': (r, [x], ctx) => { if (!x) return undefined; const c = rangeCovers(r, x, ctx); return c === undefined ? undefined : bool(c); },
  first: firstN,
  begin: (r) => r.from,
  end: (r) => r.to,
  last: (r, [n], ctx) => (n ? lastN(r, n, ctx) : r.to),
  min, max,
  minmax: (r, args, ctx) => { const lo = min(r, args, ctx), hi = max(r, args, ctx); return lo && hi ? arr([lo, hi]) : undefined; },
  sum,
  size: (r) => { const n = rangeSize(r); return n === undefined ? (r.from.k === 'int' && r.to.k === 'nil' ? { k: 'float', v: Infinity } : NIL) : int(n); },
  count: (r, args, ctx) => { const n = !args.length && !ctx.block ? rangeSize(r) : undefined; return n !== undefined ? int(n) : overValues(ENUMERABLE.count)(r, args, ctx); },
  'exclude_end?': (r) => bool(r.exclusive),
  step,
  '%': step,
  '==': (r, [o]) => bool(o?.k === 'range' && o.exclusive === r.exclusive && rubyEquals(o.from, r.from) === true && rubyEquals(o.to, r.to) === true),
  'eql?': (r, [o]) => bool(o?.k === 'range' && o.exclusive === r.exclusive && rubyEquals(o.from, r.from) === true && rubyEquals(o.to, r.to) === true),
  dup: (r) => ({ ...r }),
};

function lastN(r: Range, n: Value, ctx: Ctx): Value | undefined {
  const items = rangeItems(r);
  if (!items || n.k !== 'int') return undefined;
  if (n.v < 0) return raise(ctx, 'ArgumentError', 'negative array size');
  return arr(n.v === 0 ? [] : items.slice(-n.v));
}

/** Every Range method Cloche evaluates. */
export const RANGE_METHODS: MethodTable<Range> = { ...ENUMERABLE_ON_RANGES, ...RANGE_OWN };

/** Calls a Range method; undefined when it is not one Cloche evaluates. */
export function callRange(r: Range, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = RANGE_METHODS[name];
  if (!method) return undefined;
  const u = unknownArg(args) ?? (findUnknown(r.from) || findUnknown(r.to) ? unknown((findUnknown(r.from) ?? findUnknown(r.to))!.reason) : undefined);
  return u ?? method(r, args, ctx);
}
