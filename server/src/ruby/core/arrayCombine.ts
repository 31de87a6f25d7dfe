/**
 * Array methods that build new arrays (or a string) from the receiver: set operations (by `eql?`, as
 * Ruby's hash-based ones: `[1, 1.0] - [1]` is `[1.0]`), repetition, join, flatten, rotate, and the
 * combinatorial ones (product, combination, permutation, transpose), bounded before they are built.
 */
import { type Value, NIL, str, int, arr, bool, unknown, findUnknown, rubyEquals } from '../values';
import { type MethodTable, type Arr, type Ctx, raise, implicitName, yieldTo } from './args';
import { arrResult, fitsCollection, fitsString, tooLarge, MAX_COLLECTION_SIZE } from './limits';
import { eqlKeys } from './enumQuery';
import { rubyToS } from './display';
import { spaceship } from './compare';

const otherArray = (v: Value | undefined): Value[] | undefined => (v?.k === 'array' ? v.items : undefined);

/** Elements with an unknown inside make set arithmetic unknowable. */
function setOp(fn: (a: Value[], others: Value[][]) => Value[]): MethodTable<Arr>[string] {
  return (a, args) => {
    const others = args.map(otherArray);
    if (others.some((o) => !o)) return undefined;
    const u = findUnknown(a) ?? args.map((x) => findUnknown(x)).find(Boolean);
    if (u) return unknown(u.reason, u.loc);
    return arrResult(fn(a.items, others as Value[][]));
  };
}

/** The keys of the elements; one `keyOf` for all the arrays of an operation, so an element they share has the same key string (compared at once, not character by character). */
const keysOf = (items: Value[], keyOf: (v: Value) => string): Set<string> => new Set(items.map(keyOf));
const uniqueBy = (items: Value[], keyOf = eqlKeys()): Value[] => { const seen = new Set<string>(); return items.filter((x) => !seen.has(keyOf(x)) && !!seen.add(keyOf(x))); };

/** `join`: nested arrays joined with the same separator, nil as empty, others by to_s. */
export function joinItems(items: Value[], sep: string, depth = 0): string | Value {
  if (depth > 32) return raise(undefined, 'ArgumentError', 'recursive array join');
  const parts: string[] = [];
  let length = 0;
  for (const x of items) {
    const u = findUnknown(x);
    if (u) return unknown(u.reason, u.loc);
    const p = x.k === 'array' ? joinItems(x.items, sep, depth + 1) : rubyToS(x);
    if (typeof p !== 'string') return p;
    length += p.length + sep.length;
    if (!fitsString(length)) return tooLarge('the joined string');
    parts.push(p);
  }
  return parts.join(sep);
}

/**
 * `flatten(depth)` (-1: all the way), without recursion on the JavaScript stack: undefined past the
 * collection bound; an array that holds itself raises, as in Ruby.
 */
function flatten(items: Value[], depth: number): Value[] | 'recursive' | undefined {
  const out: Value[] = [];
  const open = new Set<Value[]>([items]);
  const stack: { items: Value[]; at: number; depth: number }[] = [{ items, at: 0, depth }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.at >= top.items.length) { open.delete(top.items); stack.pop(); continue; }
    const x = top.items[top.at++];
    if (x.k === 'array' && top.depth !== 0) {
      if (open.has(x.items)) return 'recursive';
      open.add(x.items);
      stack.push({ items: x.items, at: 0, depth: top.depth - 1 });
    } else {
      out.push(x);
      if (out.length > MAX_COLLECTION_SIZE) return undefined;
    }
  }
  return out;
}

/** The elements also in the other array (for `intersect?`). */
const common = setOp((a, [b]) => { const keyOf = eqlKeys(); const k = keysOf(b, keyOf); return a.filter((x) => k.has(keyOf(x))); });

function repeat(a: Arr, [n]: Value[], ctx: Ctx): Value | undefined {
  if (n?.k === 'str') { const j = joinItems(a.items, n.v); return typeof j === 'string' ? str(j) : j; }
  if (n?.k !== 'int') return undefined;
  if (n.v < 0) return raise(ctx, 'ArgumentError', 'negative argument');
  if (!fitsCollection(a.items.length * n.v)) return tooLarge(`an array of ${a.items.length * n.v} elements`);
  return arr(Array.from({ length: n.v }, () => a.items).flat());
}

/** n choose k and n!/(n-k)!, capped past the bound so they never overflow. */
function countOf(n: number, k: number, ordered: boolean): number {
  let c = 1;
  for (let i = 0; i < k; i++) { c = ordered ? c * (n - i) : (c * (n - i)) / (i + 1); if (c > MAX_COLLECTION_SIZE) return Infinity; }
  return Math.round(c);
}

function choose(items: Value[], k: number, ordered: boolean): Value[] {
  const out: Value[] = [];
  const walk = (start: number, picked: number[]): void => {
    if (picked.length === k) { out.push(arr(picked.map((i) => items[i]))); return; }
    for (let i = ordered ? 0 : start; i < items.length; i++) if (!picked.includes(i)) walk(i + 1, [...picked, i]);
  };
  walk(0, []);
  return out;
}

/** combination(k)/permutation(k): with a block each is yielded, else they are returned. */
function combinatorial(ordered: boolean): MethodTable<Arr>[string] {
  return (a, [k], ctx) => {
    const size = k?.k === 'int' ? k.v : ordered ? a.items.length : undefined;
    if (size === undefined) return undefined;
    if (size < 0 || size > a.items.length) return ctx.block ? a : arr([]);
    if (countOf(a.items.length, size, ordered) > MAX_COLLECTION_SIZE) return tooLarge(`the ${ordered ? 'permutations' : 'combinations'} of ${a.items.length} elements`);
    const all = choose(a.items, size, ordered);
    if (!ctx.block) return arr(all);
    for (const c of all) yieldTo(ctx, [c]);
    return a;
  };
}

function product(a: Arr, args: Value[], ctx: Ctx): Value | undefined {
  const lists = [a.items, ...args.map(otherArray)];
  if (lists.some((l) => !l)) return undefined;
  const total = lists.reduce((n, l) => n * l!.length, 1);
  if (!fitsCollection(total)) return tooLarge(`a product of ${total} combinations`);
  let rows: Value[][] = [[]];
  for (const l of lists) rows = rows.flatMap((r) => l!.map((x) => [...r, x]));
  const out = rows.map(arr);
  if (!ctx.block) return arr(out);
  for (const r of out) yieldTo(ctx, [r]);
  return a;
}

function transpose(a: Arr, _args: Value[], ctx: Ctx): Value | undefined {
  if (a.items.length === 0) return arr([]);
  if (!a.items.every((r) => r.k === 'array')) return a.items.some((r) => r.k === 'unknown') ? unknown('an element is not known') : raise(ctx, 'TypeError', `no implicit conversion of ${implicitName(a.items.find((r) => r.k !== 'array'))} into Array`);
  const rows = a.items.map((r) => (r as Arr).items);
  const width = rows[0].length;
  const bad = rows.find((r) => r.length !== width);
  if (bad) return raise(ctx, 'IndexError', `element size differs (${bad.length} should be ${width})`);
  return arr(Array.from({ length: width }, (_, i) => arr(rows.map((r) => r[i]))));
}

function rotate(a: Arr, [n]: Value[]): Value | undefined {
  if (n && n.k !== 'int') return undefined;
  const len = a.items.length;
  if (len === 0) return arr([]);
  const k = (((n?.k === 'int' ? n.v : 1) % len) + len) % len;
  return arr([...a.items.slice(k), ...a.items.slice(0, k)]);
}

export const ARRAY_COMBINE: MethodTable<Arr> = {
  '+': (a, [o], ctx) => (o?.k === 'array' ? arrResult([...a.items, ...o.items]) : raise(ctx, 'TypeError', `no implicit conversion of ${implicitName(o)} into Array`)),
  '-': setOp((a, [b]) => { const keyOf = eqlKeys(); const k = keysOf(b, keyOf); return a.filter((x) => !k.has(keyOf(x))); }),
  difference: setOp((a, others) => { const keyOf = eqlKeys(); const k = keysOf(others.flat(), keyOf); return a.filter((x) => !k.has(keyOf(x))); }),
  '&': setOp((a, [b]) => { const keyOf = eqlKeys(); const k = keysOf(b, keyOf); return uniqueBy(a.filter((x) => k.has(keyOf(x))), keyOf); }),
  intersection: setOp((a, others) => { const keyOf = eqlKeys(); const ks = others.map((o) => keysOf(o, keyOf)); return uniqueBy(a.filter((x) => ks.every((k) => k.has(keyOf(x)))), keyOf); }),
  '|': setOp((a, others) => uniqueBy([...a, ...others.flat()])),
  union: setOp((a, others) => uniqueBy([...a, ...others.flat()])),
  'intersect?': (a, args, ctx) => { const r = common(a, args, ctx); return r?.k === 'array' ? bool(r.items.length > 0) : r; },
  '*': repeat,
  join: (a, [sep]) => {
    if (sep && sep.k !== 'str' && sep.k !== 'nil') return undefined;
    const j = joinItems(a.items, sep?.k === 'str' ? sep.v : '');
    return typeof j === 'string' ? str(j) : j;
  },
  flatten: (a, [d], ctx) => {
    if (d && d.k !== 'int' && d.k !== 'nil') return undefined;
    const f = flatten(a.items, d?.k === 'int' ? d.v : -1);
    return f === 'recursive' ? raise(ctx, 'ArgumentError', 'tried to flatten recursive array') : f ? arr(f) : tooLarge('the flattened array');
  },
  compact: (a) => arr(a.items.filter((x) => x.k !== 'nil')),
  reverse: (a) => arr([...a.items].reverse()),
  rotate,
  product,
  combination: combinatorial(false),
  permutation: combinatorial(true),
  transpose,
  '==': (a, [o]) => { const e = rubyEquals(a, o ?? NIL); return e === undefined ? unknown(findUnknown(a)?.reason ?? findUnknown(o!)?.reason ?? 'value not known') : bool(e); },
  '<=>': (a, [o], ctx) => { const c = spaceship(a, o ?? NIL, ctx); return c === undefined ? unknown('an element is not known') : c === null ? NIL : int(c); },
  to_a: (a) => a,
  to_ary: (a) => a,
  dup: (a) => arr([...a.items]),
  clone: (a) => arr([...a.items]),
  pack: () => unknown('packing binary data is not evaluated'),
};
