/**
 * The Hash methods that change the receiver in place (so every holder of the hash sees it, as in
 * Ruby): `[]=`/`store`, `delete`, `merge!`/`update`, the bang forms of select/reject/transform, and
 * `default=`. An unknown key makes the whole hash unknown: any entry could have been the one written.
 */
import { type Value, type HashEntry, NIL, hashKey, hashGet, findUnknown, arr } from '../values';
import { type MethodTable, type Hash, type Ctx, becomeUnknown, yieldTo } from './args';
import { HASH_BUILD, mergedEntries, filterEntries, storedKey } from './hashBuild';
import { setDefault } from './hashDefaults';
import { fitsCollection, tooLarge } from './limits';

/** Replaces the receiver's entries with those of a result hash (or turns it unknown with the result). */
function adopt(h: Hash, r: Value | undefined, bangNilWhenSame = false): Value | undefined {
  if (r?.k === 'unknown') return becomeUnknown(h, r.reason, r.loc);
  if (r?.k !== 'hash') return r;
  const same = r.map.size === h.map.size && [...r.map].every(([k, e]) => h.map.get(k) === e);
  if (same && bangNilWhenSame) return NIL;
  h.map.clear();
  for (const [k, e] of r.map) h.map.set(k, e);
  return h;
}

function store(h: Hash, [k, v]: Value[]): Value | undefined {
  if (!k || !v) return undefined;
  const u = findUnknown(k);
  if (u) { becomeUnknown(h, u.reason, u.loc); return v; }
  if (!h.map.has(hashKey(k)) && !fitsCollection(h.map.size + 1)) { becomeUnknown(h, (tooLarge('the hash') as { reason: string }).reason); return v; }
  const prev = h.map.get(hashKey(k));
  h.map.set(hashKey(k), { key: prev?.key ?? storedKey(k), value: v });
  return v;
}

function del(h: Hash, [k]: Value[], ctx: Ctx): Value | undefined {
  if (!k) return undefined;
  const u = findUnknown(k);
  if (u) return becomeUnknown(h, u.reason, u.loc);
  const v = hashGet(h, k);
  h.map.delete(hashKey(k));
  return v ?? (ctx.block ? yieldTo(ctx, [k]) : NIL);
}

function mergeBang(h: Hash, others: Value[], ctx: Ctx): Value | undefined {
  const m = mergedEntries(h, others, ctx);
  return m instanceof Map ? adopt(h, { k: 'hash', map: m }) : adopt(h, m);
}

function filterBang(keep: boolean, nilWhenSame: boolean): MethodTable<Hash>[string] {
  return (h, _a, ctx) => {
    if (!ctx.block) return undefined;
    const es = filterEntries(h, ctx, keep);
    const r: Value = Array.isArray(es) ? { k: 'hash', map: new Map((es as HashEntry[]).map((e) => [hashKey(e.key), e])) } : es;
    return adopt(h, r, nilWhenSame);
  };
}

function shift(h: Hash): Value {
  const first = h.map.entries().next();
  if (first.done) return NIL;
  h.map.delete(first.value[0]);
  return arr([first.value[1].key, first.value[1].value]);
}

export const HASH_MUTATORS: MethodTable<Hash> = {
  '[]=': store,
  store,
  '[]||=': store,
  delete: del,
  'merge!': mergeBang,
  update: mergeBang,
  'deep_merge!': (h, others, ctx) => adopt(h, HASH_BUILD.deep_merge(h, others, ctx)),
  'select!': filterBang(true, true), 'filter!': filterBang(true, true), keep_if: filterBang(true, false),
  'reject!': filterBang(false, true), delete_if: filterBang(false, false),
  'transform_keys!': (h, args, ctx) => adopt(h, HASH_BUILD.transform_keys(h, args, ctx)),
  'transform_values!': (h, args, ctx) => adopt(h, HASH_BUILD.transform_values(h, args, ctx)),
  'compact!': (h, args, ctx) => adopt(h, HASH_BUILD.compact(h, args, ctx), true),
  clear: (h) => { h.map.clear(); return h; },
  replace: (h, [o]) => (o?.k === 'hash' ? adopt(h, { k: 'hash', map: new Map(o.map) }) : undefined),
  'default=': (h, [v]) => { if (!v) return undefined; setDefault(h, { value: v }); return v; },
  shift,
};

