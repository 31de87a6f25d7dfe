/**
 * Enumerable methods that ask about the elements or pick some: count, include?, any?/all?/none?/one?
 * (with a pattern, a block, or truthiness), first/take/drop and their _while forms, uniq, tally,
 * zip, to_h, grep, find_index.
 */
import { type Value, NIL, TRUE, FALSE, arr, int, bool, unknown, truthy, rubyEquals, findUnknown, hashOf, hashKey } from '../values';
import { type Ctx, yieldTo, raise, implicitName } from './args';
import { type EnumMethod, verdict } from './enumIterate';
import { caseEquals } from './caseEquals';
import { rangeItems } from './rangeItems';

/** Whether some element equals `x` (Ruby `==`); unknown when an unknown element might. */
export function includes(items: Value[], x: Value): Value {
  let undecided: Value | undefined;
  for (const i of items) {
    const e = rubyEquals(i, x);
    if (e === true) return TRUE;
    if (e === undefined) undecided ??= findUnknown(i) ?? findUnknown(x);
  }
  return undecided ? unknown((undecided as { reason: string }).reason) : FALSE;
}

/** The test any?/all?/none?/one? apply to an element: a pattern, the block, or the element itself. */
function tester(args: Value[], ctx: Ctx): (x: Value) => boolean | Value {
  if (args.length) return (x) => caseEquals(args[0], x, ctx) ?? unknown(findUnknown(x)?.reason ?? 'the pattern match is not known');
  if (ctx.block) return (x) => verdict(ctx, [x]);
  return (x) => truthy(x) ?? unknown((x as { reason: string }).reason);
}

/** any?/all?/none?/one?: how many hits settle it, and the answer then. */
function quantifier(kind: 'any' | 'all' | 'none' | 'one'): EnumMethod {
  return (items, args, ctx) => {
    const test = tester(args, ctx);
    let hits = 0;
    let undecided: Value | undefined;
    for (const x of items) {
      const t = test(x);
      if (typeof t !== 'boolean') { undecided ??= t; continue; }
      const hit = kind === 'all' ? !t : t;
      if (hit) hits++;
      if (kind !== 'one' && hits > 0) return bool(kind === 'any');
      if (kind === 'one' && hits > 1) return FALSE;
    }
    if (undecided) return undecided;
    return bool(kind === 'one' ? hits === 1 : kind !== 'any');
  };
}

function count(items: Value[], args: Value[], ctx: Ctx): Value {
  if (args.length) {
    let n = 0;
    for (const x of items) { const e = rubyEquals(x, args[0]); if (e === undefined) return unknown(findUnknown(x)?.reason ?? 'value not known'); if (e) n++; }
    return int(n);
  }
  if (!ctx.block) return int(items.length);
  let n = 0;
  for (const x of items) { const t = verdict(ctx, [x]); if (typeof t !== 'boolean') return t; if (t) n++; }
  return int(n);
}

/** A key for `eql?`-equality: 1 and 1.0 are different elements to uniq and tally. */
export const eqlKey = (v: Value): string => (v.k === 'float' ? 'f:' + v.v : hashKey(v));

/**
 * `eqlKey` for the elements of one operation, each array or hash keyed once: an element held many
 * times (`[a] * 100_000`) is not printed again for each (its key is as long as its `inspect`), and
 * equal keys are one string, which sets compare at once instead of character by character.
 */
export function eqlKeys(): (v: Value) => string {
  const known = new Map<Value, string>();
  const canonical = new Map<string, string>();
  return (v) => {
    if (v.k !== 'array' && v.k !== 'hash') return eqlKey(v);
    let k = known.get(v);
    if (k === undefined) {
      k = eqlKey(v);
      const same = canonical.get(k);
      if (same === undefined) canonical.set(k, k); else k = same;
      known.set(v, k);
    }
    return k;
  };
}

function uniq(items: Value[], _a: Value[], ctx: Ctx): Value {
  const seen = new Set<string>();
  const out: Value[] = [];
  const keyOf = eqlKeys();
  // Without a block the elements are the keys: looked through for unknowns once, shared ones once.
  const u0 = ctx.block ? undefined : findUnknown(arr(items));
  if (u0) return unknown(u0.reason, u0.loc);
  for (const x of items) {
    const k = ctx.block ? yieldTo(ctx, [x]) : x;
    const u = ctx.block ? findUnknown(k) : undefined;
    if (u) return unknown(u.reason, u.loc);
    const key = keyOf(k);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(x);
  }
  return arr(out);
}

/** to_h: each element (or the block's answer) must be a [key, value] pair. */
function toH(items: Value[], _a: Value[], ctx: Ctx): Value {
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < items.length; i++) {
    const p = ctx.block ? yieldTo(ctx, [items[i]]) : items[i];
    if (p.k === 'unknown') return unknown(p.reason, p.loc);
    if (p.k !== 'array') return raise(ctx, 'TypeError', `wrong element type ${implicitName(p)} at ${i} (expected array)`);
    if (p.items.length !== 2) return raise(ctx, 'ArgumentError', `wrong array length at ${i} (expected 2, was ${p.items.length})`);
    pairs.push([p.items[0], p.items[1]]);
  }
  return hashOf(pairs);
}

function whileTest(items: Value[], ctx: Ctx): number | Value {
  let i = 0;
  for (; i < items.length; i++) {
    const t = verdict(ctx, [items[i]]);
    if (typeof t !== 'boolean') return t;
    if (!t) break;
  }
  return i;
}

function sizeArg(n: Value | undefined, ctx: Ctx, what: string): number | Value | undefined {
  if (n?.k !== 'int') return undefined;
  return n.v < 0 ? raise(ctx, 'ArgumentError', `attempt to ${what} negative size`) : n.v;
}

function zip(items: Value[], others: Value[], ctx: Ctx): Value | undefined {
  const lists: Value[][] = [];
  for (const o of others) {
    const l = o.k === 'array' ? o.items : o.k === 'range' ? rangeItems(o) : undefined;
    if (!l) return undefined;
    lists.push(l);
  }
  // Rows of exactly their size: a spread makes arrays with room to spare, twice the memory for pairs.
  const rows = items.map((x, i) => { const row = new Array<Value>(lists.length + 1); row[0] = x; lists.forEach((l, j) => { row[j + 1] = l[i] ?? NIL; }); return arr(row); });
  if (!ctx.block) return arr(rows);
  for (const r of rows) yieldTo(ctx, [r]);
  return NIL;
}

function grep(invert: boolean): EnumMethod {
  return (items, [pattern], ctx) => {
    if (!pattern) return undefined;
    const out: Value[] = [];
    for (const x of items) {
      const m = caseEquals(pattern, x, ctx);
      if (m === undefined) return unknown(findUnknown(x)?.reason ?? 'the pattern match is not known');
      if (m !== invert) out.push(ctx.block ? yieldTo(ctx, [x]) : x);
    }
    return arr(out);
  };
}

function tally(items: Value[]): Value {
  const counts = new Map<string, [Value, number]>();
  for (const x of items) {
    const u = findUnknown(x);
    if (u) return unknown(u.reason, u.loc);
    const k = eqlKey(x);
    counts.set(k, [x, (counts.get(k)?.[1] ?? 0) + 1]);
  }
  return hashOf([...counts.values()].map(([v, n]) => [v, int(n)]));
}

export const ENUM_QUERY: Record<string, EnumMethod> = {
  count: (items, args, ctx) => count(items, args, ctx),
  'include?': (items, [x]) => (x ? includes(items, x) : undefined),
  'member?': (items, [x]) => (x ? includes(items, x) : undefined),
  'any?': quantifier('any'), 'all?': quantifier('all'), 'none?': quantifier('none'), 'one?': quantifier('one'),
  first: (items, [n], ctx) => {
    if (!n) return items[0] ?? NIL;
    const k = sizeArg(n, ctx, 'take');
    return typeof k === 'number' ? arr(items.slice(0, k)) : k;
  },
  take: (items, [n], ctx) => { const k = sizeArg(n, ctx, 'take'); return typeof k === 'number' ? arr(items.slice(0, k)) : k; },
  drop: (items, [n], ctx) => { const k = sizeArg(n, ctx, 'drop'); return typeof k === 'number' ? arr(items.slice(k)) : k; },
  take_while: (items, _a, ctx) => { if (!ctx.block) return undefined; const i = whileTest(items, ctx); return typeof i === 'number' ? arr(items.slice(0, i)) : i; },
  drop_while: (items, _a, ctx) => { if (!ctx.block) return undefined; const i = whileTest(items, ctx); return typeof i === 'number' ? arr(items.slice(i)) : i; },
  uniq,
  tally: (items) => tally(items),
  to_h: toH,
  to_a: (items) => arr([...items]),
  entries: (items) => arr([...items]),
  zip: (items, others, ctx) => zip(items, others, ctx),
  grep: grep(false),
  grep_v: grep(true),
  find_index: (items, [x], ctx) => {
    for (let i = 0; i < items.length; i++) {
      const t = x ? rubyEquals(items[i], x) ?? unknown(findUnknown(items[i])?.reason ?? 'value not known') : ctx.block ? verdict(ctx, [items[i]]) : undefined;
      if (t === undefined) return undefined;
      if (typeof t !== 'boolean') return t;
      if (t) return int(i);
    }
    return NIL;
  },
};
