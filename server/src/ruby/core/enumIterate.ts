/**
 * Enumerable methods that walk the elements with a block: each and its variants, map, select and
 * reject, find, partition, group_by, chunk_while, slice_when. They work on a list of elements
 * (an Array's items, a Hash's [key, value] pairs, a Range's values). A block result that is unknown
 * where the method must decide (select, find) makes the result unknown, with its reason.
 */
import { type Value, NIL, int, arr, unknown, truthy, hashOf, hashKey } from '../values';
import { type Ctx, yieldTo } from './args';
import { arrResult, fitsCollection, tooLarge } from './limits';
import { yieldOnceUnknown } from './iterate';

/** A method over elements; `self` is what Ruby returns for `each` (the receiver). */
export type EnumMethod = (items: Value[], args: Value[], ctx: Ctx, self: Value) => Value | undefined;

/** The block's verdict on an element: a boolean, or the unknown that stops the method. */
export function verdict(ctx: Ctx, args: Value[]): boolean | Value {
  const r = yieldTo(ctx, args);
  const t = truthy(r);
  return t === undefined ? unknown((r as { reason: string }).reason, (r as { loc?: undefined }).loc) : t;
}

const needsBlock = (fn: EnumMethod): EnumMethod => (items, args, ctx, self) => (ctx.block ? fn(items, args, ctx, self) : undefined);

/** Keeps the elements whose verdict is `keep`. */
export function filterItems(items: Value[], ctx: Ctx, keep: boolean): Value[] | Value {
  const out: Value[] = [];
  for (const x of items) {
    const t = verdict(ctx, [x]);
    if (typeof t !== 'boolean') return t;
    if (t === keep) out.push(x);
  }
  return out;
}

const asArray = (r: Value[] | Value): Value => (Array.isArray(r) ? arr(r) : r);

function eachSlice(items: Value[], size: Value | undefined, ctx: Ctx, self: Value, cons: boolean): Value | undefined {
  if (size?.k !== 'int' || size.v <= 0) return undefined;
  const groups: Value[] = [];
  if (cons) for (let i = 0; i + size.v <= items.length; i++) groups.push(arr(items.slice(i, i + size.v)));
  else for (let i = 0; i < items.length; i += size.v) groups.push(arr(items.slice(i, i + size.v)));
  if (!ctx.block) return arrResult(groups);
  for (const g of groups) yieldTo(ctx, [g]);
  return self;
}

/** chunk_while / slice_when: split between neighbours where the block says so. */
function chunkBy(items: Value[], ctx: Ctx, splitWhen: boolean): Value {
  if (items.length === 0) return arr([]);
  const out: Value[][] = [[items[0]]];
  for (let i = 1; i < items.length; i++) {
    const t = verdict(ctx, [items[i - 1], items[i]]);
    if (typeof t !== 'boolean') return t;
    if (t === splitWhen) out.push([items[i]]); else out[out.length - 1].push(items[i]);
  }
  return arr(out.map(arr));
}

function groupBy(items: Value[], ctx: Ctx): Value {
  const groups = new Map<string, [Value, Value[]]>();
  for (const x of items) {
    const k = yieldTo(ctx, [x]);
    if (k.k === 'unknown') return unknown(k.reason, k.loc);
    const key = hashKey(k);
    if (!groups.has(key)) groups.set(key, [k, []]);
    groups.get(key)![1].push(x);
  }
  return hashOf([...groups.values()].map(([k, v]) => [k, arr(v)]));
}

function find(items: Value[], ctx: Ctx, index: boolean): Value {
  for (let i = 0; i < items.length; i++) {
    const t = verdict(ctx, [items[i]]);
    if (typeof t !== 'boolean') return t;
    if (t) return index ? int(i) : items[i];
  }
  return NIL;
}

function flatMap(items: Value[], ctx: Ctx): Value {
  const out: Value[] = [];
  for (const x of items) {
    const r = yieldTo(ctx, [x]);
    if (r.k === 'array') out.push(...r.items); else out.push(r);
    if (!fitsCollection(out.length)) return tooLarge('the resulting array');
  }
  return arr(out);
}

function filterMap(items: Value[], ctx: Ctx): Value {
  const out: Value[] = [];
  for (const x of items) {
    const r = yieldTo(ctx, [x]);
    const t = truthy(r);
    if (t === undefined) return unknown((r as { reason: string }).reason);
    if (t) out.push(r);
  }
  return arr(out);
}

function partition(items: Value[], ctx: Ctx): Value {
  const yes: Value[] = [], no: Value[] = [];
  for (const x of items) {
    const t = verdict(ctx, [x]);
    if (typeof t !== 'boolean') return t;
    (t ? yes : no).push(x);
  }
  return arr([arr(yes), arr(no)]);
}

/** `each` over elements; without a block, the elements (standing in for Ruby's Enumerator). */
export const each: EnumMethod = (items, _a, ctx, self) => {
  if (!ctx.block) return arr(items);
  for (const x of [...items]) yieldTo(ctx, [x]);
  return self;
};

export const ENUM_ITERATE: Record<string, EnumMethod> = {
  each,
  each_entry: each,
  reverse_each: (items, a, ctx, self) => (ctx.block ? (each([...items].reverse(), a, ctx, self), self) : arr([...items].reverse())),
  each_with_index: (items, _a, ctx, self) => {
    if (!ctx.block) return arr(items.map((x, i) => arr([x, int(i)])));
    items.forEach((x, i) => yieldTo(ctx, [x, int(i)]));
    return self;
  },
  each_with_object: (items, [memo], ctx) => {
    if (!ctx.block || !memo) return undefined;
    for (const x of [...items]) yieldTo(ctx, [x, memo]);
    return memo;
  },
  each_slice: (items, [n], ctx, self) => eachSlice(items, n, ctx, self, false),
  each_cons: (items, [n], ctx, self) => eachSlice(items, n, ctx, self, true),
  map: needsBlock((items, _a, ctx) => arr(items.map((x) => yieldTo(ctx, [x])))),
  collect: needsBlock((items, _a, ctx) => arr(items.map((x) => yieldTo(ctx, [x])))),
  flat_map: needsBlock((items, _a, ctx) => flatMap(items, ctx)),
  collect_concat: needsBlock((items, _a, ctx) => flatMap(items, ctx)),
  filter_map: needsBlock((items, _a, ctx) => filterMap(items, ctx)),
  select: needsBlock((items, _a, ctx) => asArray(filterItems(items, ctx, true))),
  filter: needsBlock((items, _a, ctx) => asArray(filterItems(items, ctx, true))),
  find_all: needsBlock((items, _a, ctx) => asArray(filterItems(items, ctx, true))),
  reject: needsBlock((items, _a, ctx) => asArray(filterItems(items, ctx, false))),
  partition: needsBlock((items, _a, ctx) => partition(items, ctx)),
  find: needsBlock((items, _a, ctx) => find(items, ctx, false)),
  detect: needsBlock((items, _a, ctx) => find(items, ctx, false)),
  group_by: needsBlock((items, _a, ctx) => groupBy(items, ctx)),
  chunk_while: needsBlock((items, _a, ctx) => chunkBy(items, ctx, false)),
  slice_when: needsBlock((items, _a, ctx) => chunkBy(items, ctx, true)),
  cycle: (_items, [n], ctx) => (ctx.block && n === undefined ? yieldOnceUnknown(ctx, '`cycle` without a count never ends') : undefined),
};

