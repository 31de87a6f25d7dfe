/**
 * Reading an Array: `[]`/`slice`/`at` (index, start and length, range, negative positions), `dig`,
 * `fetch` (IndexError, default, block), `values_at`, `first`/`last`, `index`/`rindex`, `assoc`.
 */
import { type Value, NIL, arr, int, unknown, rubyEquals, findUnknown } from '../values';
import { type MethodTable, type Arr, type Ctx, raise, yieldTo } from './args';
import { sliceBounds } from './sliceBounds';
import { send } from './dispatch';
import { verdict } from './enumIterate';

/** `ary[…]`; undefined for a form not evaluated. */
export function arrayIndex(items: Value[], [a, b]: Value[]): Value | undefined {
  if (a?.k === 'int' && !b) return items[a.v < 0 ? a.v + items.length : a.v] ?? NIL;
  const ok = (a?.k === 'int' && b?.k === 'int') || (a?.k === 'range' && !b);
  if (!ok) return undefined;
  if (a.k === 'range' && !((a.from.k === 'int' || a.from.k === 'nil') && (a.to.k === 'int' || a.to.k === 'nil'))) return undefined;
  const bounds = sliceBounds(items.length, a, b);
  return bounds ? arr(items.slice(bounds.start, bounds.start + bounds.len)) : NIL;
}

function fetch(a: Arr, [i, dflt]: Value[], ctx: Ctx): Value | undefined {
  if (i?.k !== 'int') return undefined;
  const at = i.v < 0 ? i.v + a.items.length : i.v;
  if (at >= 0 && at < a.items.length) return a.items[at];
  if (ctx.block) return yieldTo(ctx, [i]);
  if (dflt) return dflt;
  return raise(ctx, 'IndexError', `index ${i.v} outside of array bounds: ${-a.items.length}...${a.items.length}`);
}

/** `dig(i, *rest)`: each step sends `dig` to what the previous one found (hashes, arrays, objects). */
export function dig(first: Value, rest: Value[], ctx: Ctx): Value {
  if (rest.length === 0 || first.k === 'nil') return first;
  if (first.k === 'unknown') return unknown(first.reason, first.loc);
  if (first.k !== 'array' && first.k !== 'hash' && first.k !== 'object') return raise(ctx, 'TypeError', `${first.k === 'str' ? 'String' : first.k === 'int' ? 'Integer' : first.k} does not have #dig method`);
  return send(first, 'dig', rest, ctx);
}

function valuesAt(items: Value[], args: Value[]): Value | undefined {
  const out: Value[] = [];
  for (const a of args) {
    if (a.k === 'int') out.push(items[a.v < 0 ? a.v + items.length : a.v] ?? NIL);
    else if (a.k === 'range' && a.from.k === 'int' && a.to.k === 'int') {
      const r = arrayIndex(items, [a]);
      if (r?.k !== 'array') continue;
      const end = (a.to.v < 0 ? a.to.v + items.length : a.to.v) + (a.exclusive ? 0 : 1);
      out.push(...r.items, ...Array(Math.max(0, end - (a.from.v < 0 ? a.from.v + items.length : a.from.v) - r.items.length)).fill(NIL));
    } else return undefined;
  }
  return arr(out);
}

/** index/rindex by value (`==`) or by block. */
function position(reverse: boolean): MethodTable<Arr>[string] {
  return (a, [x], ctx) => {
    if (!x && !ctx.block) return undefined;
    const order = a.items.map((_, i) => i);
    if (reverse) order.reverse();
    for (const i of order) {
      const t = x ? rubyEquals(a.items[i], x) : verdict(ctx, [a.items[i]]);
      if (t === undefined) return unknown(findUnknown(a.items[i])?.reason ?? 'value not known');
      if (typeof t !== 'boolean') return t;
      if (t) return int(i);
    }
    return NIL;
  };
}

/** assoc/rassoc: the first element array whose first (or second) item equals the argument. */
function assoc(slot: number): MethodTable<Arr>[string] {
  return (a, [x]) => {
    if (!x) return undefined;
    for (const e of a.items) {
      if (e.k !== 'array' || e.items.length <= slot) continue;
      const eq = rubyEquals(e.items[slot], x);
      if (eq === undefined) return unknown(findUnknown(e)?.reason ?? 'value not known');
      if (eq) return e;
    }
    return NIL;
  };
}

export const ARRAY_ACCESS: MethodTable<Arr> = {
  '[]': (a, args) => arrayIndex(a.items, args),
  slice: (a, args) => arrayIndex(a.items, args),
  at: (a, [i]) => (i?.k === 'int' ? arrayIndex(a.items, [i]) : undefined),
  dig: (a, [i, ...rest], ctx) => { const v = i ? arrayIndex(a.items, [i]) : undefined; return v && dig(v, rest, ctx); },
  fetch,
  values_at: (a, args) => valuesAt(a.items, args),
  first: (a, [n], ctx) => (n ? (n.k === 'int' ? (n.v < 0 ? raise(ctx, 'ArgumentError', 'negative array size') : arr(a.items.slice(0, n.v))) : undefined) : a.items[0] ?? NIL),
  last: (a, [n], ctx) => (n ? (n.k === 'int' ? (n.v < 0 ? raise(ctx, 'ArgumentError', 'negative array size') : arr(n.v === 0 ? [] : a.items.slice(-n.v))) : undefined) : a.items[a.items.length - 1] ?? NIL),
  index: position(false),
  find_index: position(false),
  rindex: position(true),
  assoc: assoc(0),
  rassoc: assoc(1),
  length: (a) => int(a.items.length),
  size: (a) => int(a.items.length),
  'empty?': (a) => ({ k: 'bool', v: a.items.length === 0 }),
  sample: () => unknown('`sample` picks at random'),
  shuffle: () => unknown('`shuffle` orders at random'),
};
