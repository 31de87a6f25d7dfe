/**
 * Hash methods that make a new hash from the receiver: merge (with a block for conflicts), Chef's
 * deep_merge, select/filter/reject (Hash's own versions yield the key and value as two arguments and
 * return a hash), transform_keys/transform_values, compact, sort_by etc. go through Enumerable.
 */
import { type Value, type HashEntry, hashKey, hashOf, arr, unknown, findUnknown } from '../values';
import { type MethodTable, type Hash, type Ctx, yieldTo } from './args';
import { verdict } from './enumIterate';
import { fitsCollection, tooLarge } from './limits';

const entries = (h: Hash): HashEntry[] => [...h.map.values()];

/** Ruby dups and freezes String keys: a later change to the string must not move the entry. */
export const storedKey = (k: Value): Value => (k.k === 'str' ? { k: 'str', v: k.v } : k);

/** The entries of `h` merged with each other hash (a block decides conflicts); undefined when an argument is not a hash. */
export function mergedEntries(h: Hash, others: Value[], ctx: Ctx, deep = false): Map<string, HashEntry> | Value | undefined {
  const out = new Map(h.map);
  for (const o of others) {
    if (o.k === 'unknown') return unknown(o.reason, o.loc);
    if (o.k !== 'hash') return undefined;
    for (const [k, e] of o.map) {
      const prev = out.get(k);
      let value = e.value;
      if (prev && deep && prev.value.k === 'hash' && e.value.k === 'hash') {
        const inner = mergedEntries(prev.value, [e.value], ctx, true);
        if (!(inner instanceof Map)) return inner;
        value = { k: 'hash', map: inner };
      } else if (prev && ctx.block) value = yieldTo(ctx, [e.key, prev.value, e.value]);
      out.set(k, { key: prev?.key ?? storedKey(e.key), value });
    }
    if (!fitsCollection(out.size)) return tooLarge('the merged hash');
  }
  return out;
}

function merge(deep: boolean): MethodTable<Hash>[string] {
  return (h, others, ctx) => {
    const m = mergedEntries(h, others, ctx, deep);
    return m instanceof Map ? { k: 'hash', map: m } : m;
  };
}

/** Hash#select/reject/filter_map's hash-returning forms: the block gets key and value. */
export function filterEntries(h: Hash, ctx: Ctx, keep: boolean): HashEntry[] | Value {
  const out: HashEntry[] = [];
  for (const e of entries(h)) {
    const t = verdict(ctx, [e.key, e.value]);
    if (typeof t !== 'boolean') return t;
    if (t === keep) out.push(e);
  }
  return out;
}

const toHash = (es: HashEntry[] | Value): Value => (Array.isArray(es) ? { k: 'hash', map: new Map(es.map((e) => [hashKey(e.key), e])) } : es);

function transformKeys(h: Hash, [mapping]: Value[], ctx: Ctx): Value | undefined {
  if (!ctx.block && mapping?.k !== 'hash') return undefined;
  const pairs: [Value, Value][] = [];
  for (const e of entries(h)) {
    const mapped = mapping?.k === 'hash' ? mapping.map.get(hashKey(e.key))?.value : undefined;
    const k = mapped ?? (ctx.block ? yieldTo(ctx, [e.key]) : e.key);
    if (findUnknown(k)) return unknown(findUnknown(k)!.reason, findUnknown(k)!.loc);
    pairs.push([storedKey(k), e.value]);
  }
  return hashOf(pairs);
}

function transformValues(h: Hash, _a: Value[], ctx: Ctx): Value | undefined {
  if (!ctx.block) return undefined;
  return hashOf(entries(h).map((e) => [e.key, yieldTo(ctx, [e.value])]));
}

export const HASH_BUILD: MethodTable<Hash> = {
  merge: merge(false),
  deep_merge: merge(true),
  select: (h, _a, ctx) => (ctx.block ? toHash(filterEntries(h, ctx, true)) : undefined),
  filter: (h, _a, ctx) => (ctx.block ? toHash(filterEntries(h, ctx, true)) : undefined),
  reject: (h, _a, ctx) => (ctx.block ? toHash(filterEntries(h, ctx, false)) : undefined),
  transform_keys: transformKeys,
  transform_values: transformValues,
  compact: (h) => toHash(entries(h).filter((e) => e.value.k !== 'nil')),
  dup: (h) => ({ k: 'hash', map: new Map(h.map) }),
  clone: (h) => ({ k: 'hash', map: new Map(h.map) }),
  symbolize_keys: (h) => hashOf(entries(h).map((e) => [e.key.k === 'str' ? { k: 'sym', v: e.key.v } : e.key, e.value])),
  stringify_keys: (h) => hashOf(entries(h).map((e) => [e.key.k === 'sym' ? { k: 'str', v: e.key.v } : e.key, e.value])),
  compare_by_identity: (h) => h,
  to_a: (h) => arr(entries(h).map((e) => arr([e.key, e.value]))),
};
