/**
 * Reading a Hash: `[]` (with its default), `fetch` (KeyError, default, block), `dig`, membership,
 * keys and values, `key`, `values_at`/`fetch_values`, `slice`/`except`, `first`, `sort`, `invert`, `flatten`.
 */
import { type Value, NIL, arr, int, bool, unknown, findUnknown, hashGet, hashOf, rubyEquals, withBlock } from '../values';
import { type MethodTable, type Hash, type Ctx, raise, yieldTo } from './args';
import { defaultOf } from './hashDefaults';
import { dig } from './arrayAccess';
import { rubyInspect } from './display';
import { ENUMERABLE } from './enumerable';

export const pairsOf = (h: Hash): Value[] => [...h.map.values()].map((e) => arr([e.key, e.value]));
const entries = (h: Hash) => [...h.map.values()];

/** `h[k]`: the entry, else the default value, else the default block's answer, else nil. */
export function hashRead(h: Hash, key: Value, ctx: Ctx): Value {
  if (findUnknown(key)) return unknown(findUnknown(key)!.reason, findUnknown(key)!.loc);
  const v = hashGet(h, key);
  if (v !== undefined) return v;
  const d = defaultOf(h);
  if (d?.proc) return ctx.callProc(d.proc, [h, key]);
  return d?.value ?? NIL;
}

function fetch(h: Hash, [k, dflt]: Value[], ctx: Ctx): Value | undefined {
  if (!k) return undefined;
  if (findUnknown(k)) return unknown(findUnknown(k)!.reason, findUnknown(k)!.loc);
  const v = hashGet(h, k);
  if (v !== undefined) return v;
  if (ctx.block) return yieldTo(ctx, [k]);
  if (dflt) return dflt;
  return raise(ctx, 'KeyError', `key not found: ${rubyInspect(k)}`);
}

/** Membership of a key; unknown for an unknown key. */
function hasKey(h: Hash, [k]: Value[]): Value | undefined {
  if (!k) return undefined;
  const u = findUnknown(k);
  return u ? unknown(u.reason, u.loc) : bool(hashGet(h, k) !== undefined);
}

function hasValue(h: Hash, [v]: Value[]): Value | undefined {
  return v ? ENUMERABLE['include?'](entries(h).map((e) => e.value), [v], undefined as unknown as Ctx, h) : undefined;
}

function keyOf(h: Hash, [v]: Value[]): Value | undefined {
  if (!v) return undefined;
  for (const e of entries(h)) {
    const eq = rubyEquals(e.value, v);
    if (eq === undefined) return unknown(findUnknown(e.value)?.reason ?? findUnknown(v)?.reason ?? 'value not known');
    if (eq) return e.key;
  }
  return NIL;
}

function pick(keep: boolean): MethodTable<Hash>[string] {
  return (h, keys) => {
    const u = keys.map((k) => findUnknown(k)).find(Boolean);
    if (u) return unknown(u.reason, u.loc);
    const wanted = hashOf(keys.map((k) => [k, NIL])) as Hash;
    if (keep) return hashOf(keys.filter((k) => hashGet(h, k) !== undefined).map((k) => [k, hashGet(h, k)!]));
    return hashOf(entries(h).filter((e) => hashGet(wanted, e.key) === undefined).map((e) => [e.key, e.value]));
  };
}

export const HASH_READ: MethodTable<Hash> = {
  '[]': (h, [k], ctx) => (k ? hashRead(h, k, ctx) : undefined),
  fetch,
  dig: (h, [k, ...rest], ctx) => (k ? dig(hashRead(h, k, ctx), rest, ctx) : undefined),
  'key?': hasKey, 'has_key?': hasKey, 'include?': hasKey, 'member?': hasKey,
  'value?': hasValue, 'has_value?': hasValue,
  keys: (h) => arr(entries(h).map((e) => e.key)),
  values: (h) => arr(entries(h).map((e) => e.value)),
  values_at: (h, keys, ctx) => arr(keys.map((k) => hashRead(h, k, ctx))),
  fetch_values: (h, keys, ctx) => {
    const out: Value[] = [];
    for (const k of keys) { const v = fetch(h, [k], ctx); if (!v) return undefined; out.push(v); }
    return arr(out);
  },
  key: keyOf,
  slice: pick(true),
  except: pick(false),
  length: (h) => int(h.map.size),
  size: (h) => int(h.map.size),
  'empty?': (h) => bool(h.map.size === 0),
  first: (h, args, ctx) => ENUMERABLE.first(pairsOf(h), args, ctx, h),
  to_a: (h) => arr(pairsOf(h)),
  invert: (h) => hashOf(entries(h).map((e) => [e.value, e.key])),
  // `{ a: [1, 2] }.flatten` is `[:a, [1, 2]]`; a depth n > 1 flattens n - 1 more levels of arrays.
  flatten: (h, [d]) => {
    if (d && d.k !== 'int') return undefined;
    const flat = (items: Value[], depth: number): Value[] => items.flatMap((x) => (x.k === 'array' && depth > 0 ? flat(x.items, depth - 1) : [x]));
    return arr(flat(entries(h).flatMap((e) => [e.key, e.value]), (d?.v ?? 1) - 1));
  },
  default: (h) => defaultOf(h)?.value ?? NIL,
  '==': (h, [o]) => { const e = rubyEquals(h, o ?? NIL); return e === undefined ? unknown(findUnknown(h)?.reason ?? 'value not known') : bool(e); },
  'eql?': (h, [o]) => { const e = rubyEquals(h, o ?? NIL); return e === undefined ? unknown(findUnknown(h)?.reason ?? 'value not known') : bool(e); },
  to_h: (h, _a, ctx) => (ctx.block ? toHWithBlock(h, ctx) : h),
  to_hash: (h) => h,
};

/** `to_h { |k, v| [k2, v2] }`: Hash#to_h yields the key and value as two arguments. */
function toHWithBlock(h: Hash, ctx: Ctx): Value {
  const pairs = entries(h).map((e) => yieldTo(ctx, [e.key, e.value]));
  return ENUMERABLE.to_h(pairs, [], withBlock(ctx, undefined), h)!;
}
