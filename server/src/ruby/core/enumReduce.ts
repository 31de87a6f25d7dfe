/**
 * Enumerable methods that fold the elements into one answer: inject/reduce, sum, min/max (with a
 * block or by a key), sort and sort_by.
 */
import { type Value, NIL, arr, int, unknown, findUnknown } from '../values';
import { type Ctx, float, intResult, isNum, yieldTo } from './args';
import { type EnumMethod } from './enumIterate';
import { sortValues, extreme, blockOrder, spaceship, type Order } from './compare';
import { send } from './dispatch';

/** Ruby's float sum (Kahan-Babuska compensated), so `[0.1, 0.2, 0.3].sum` is 0.6 as in Ruby. */
export function floatSum(start: number, xs: number[]): number {
  let f = start, c = 0;
  for (const x of xs) {
    if (Number.isNaN(f)) continue;
    if (Number.isNaN(x)) { f = x; continue; }
    if (!Number.isFinite(x)) { f = !Number.isFinite(f) && Math.sign(f) !== Math.sign(x) ? NaN : x; continue; }
    if (!Number.isFinite(f)) continue;
    const t = f + x;
    c += Math.abs(f) >= Math.abs(x) ? (f - t) + x : (x - t) + f;
    f = t;
  }
  return f + c;
}

function sum(items: Value[], [init]: Value[], ctx: Ctx): Value {
  const values = ctx.block ? items.map((x) => yieldTo(ctx, [x])) : items;
  let acc: Value = init ?? int(0);
  const u = findUnknown(acc) ?? values.map((v) => findUnknown(v)).find(Boolean);
  if (u) return unknown(u.reason, u.loc);
  if (isNum(acc) && values.every(isNum)) {
    const nums = values as Extract<Value, { k: 'int' | 'float' }>[];
    if (acc.k === 'int' && nums.every((v) => v.k === 'int')) return intResult(nums.reduce((t, v) => t + v.v, acc.v));
    return float(floatSum(acc.v, nums.map((v) => v.v)));
  }
  for (const v of values) {
    acc = send(acc, '+', [v], ctx);
    if (acc.k === 'unknown') return acc;
  }
  return acc;
}

/** inject(sym), inject(init, sym), inject(init) { }, inject { }. */
function inject(items: Value[], args: Value[], ctx: Ctx): Value | undefined {
  const op = args.length && args[args.length - 1].k === 'sym' && !ctx.block ? (args[args.length - 1] as { v: string }).v : undefined;
  if (!op && !ctx.block) return undefined;
  const hasInit = op ? args.length === 2 : args.length === 1;
  let acc: Value | undefined = hasInit ? args[0] : items[0];
  for (const x of hasInit ? items : items.slice(1)) {
    acc = op ? send(acc!, op, [x], ctx) : yieldTo(ctx, [acc!, x]);
    if (op && acc.k === 'unknown') return acc;
  }
  return acc ?? NIL;
}

/** The comparison min/max/sort use: the block's answer when there is one, else `<=>`. */
function comparator(ctx: Ctx): (a: Value, b: Value) => Order {
  return ctx.block ? (a, b) => blockOrder(yieldTo(ctx, [a, b])) : (a, b) => spaceship(a, b, ctx);
}

/** min/max, min(n)/max(n), with or without a comparing block. */
function minMax(wantMax: boolean): EnumMethod {
  return (items, [n], ctx) => {
    const cmp = comparator(ctx);
    if (n?.k === 'int') {
      const sorted = sortValues(items, ctx, wantMax ? (a, b) => { const o = cmp(a, b); return typeof o === 'number' ? -o : o; } : cmp);
      return Array.isArray(sorted) ? arr(sorted.slice(0, Math.max(0, n.v))) : sorted;
    }
    if (n) return undefined;
    return extreme(items, ctx, wantMax, cmp) ?? NIL;
  };
}

/** min_by/max_by/sort_by: compare the block's keys, keep the elements. */
function byKey(kind: 'min' | 'max' | 'sort'): EnumMethod {
  return (items, [n], ctx) => {
    if (!ctx.block) return undefined;
    const keyed = items.map((x) => arr([yieldTo(ctx, [x]), x]));
    const byFirst = (a: Value, b: Value): Order => spaceship((a as { items: Value[] }).items[0], (b as { items: Value[] }).items[0], ctx);
    const second = (v: Value): Value => (v as { items: Value[] }).items[1];
    if (kind === 'sort' || n?.k === 'int') {
      const sorted = sortValues(keyed, ctx, kind === 'max' ? (a, b) => { const o = byFirst(a, b); return typeof o === 'number' ? -o : o; } : byFirst);
      if (!Array.isArray(sorted)) return sorted;
      const values = sorted.map(second);
      return arr(n?.k === 'int' ? values.slice(0, Math.max(0, n.v)) : values);
    }
    const best = extreme(keyed, ctx, kind === 'max', byFirst);
    return best === undefined ? NIL : best.k === 'array' ? second(best) : best;
  };
}

function sort(items: Value[], _a: Value[], ctx: Ctx): Value {
  const sorted = sortValues(items, ctx, comparator(ctx));
  return Array.isArray(sorted) ? arr(sorted) : sorted;
}

function minmax(items: Value[], args: Value[], ctx: Ctx, self: Value): Value | undefined {
  const lo = minMax(false)(items, args, ctx, self), hi = minMax(true)(items, args, ctx, self);
  if (!lo || !hi) return undefined;
  if (lo.k === 'unknown') return lo;
  return hi.k === 'unknown' ? hi : arr([lo, hi]);
}

export const ENUM_REDUCE: Record<string, EnumMethod> = {
  sum: (items, args, ctx) => sum(items, args, ctx),
  inject: (items, args, ctx) => inject(items, args, ctx),
  reduce: (items, args, ctx) => inject(items, args, ctx),
  min: minMax(false),
  max: minMax(true),
  minmax,
  min_by: byKey('min'),
  max_by: byKey('max'),
  sort_by: byKey('sort'),
  sort,
};

