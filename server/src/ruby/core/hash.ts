/**
 * Hash: the method table (reading, building, mutating, and Enumerable over [key, value] pairs) and
 * its entry point. Enumerable methods yield each pair as one array, which a `|k, v|` block splats,
 * as Ruby does; Hash's own select/reject/to_h/any? yield the key and the value.
 */
import type { Value } from '../values';
import { type MethodTable, type Hash, type Ctx } from './args';
import { HASH_READ, pairsOf } from './hashRead';
import { HASH_BUILD } from './hashBuild';
import { HASH_MUTATORS } from './hashMutate';
import { ENUMERABLE } from './enumerable';

const ENUMERABLE_ON_PAIRS: MethodTable<Hash> = Object.fromEntries(
  Object.entries(ENUMERABLE).map(([name, fn]) => [name, (h: Hash, args: Value[], ctx: Ctx) => fn(pairsOf(h), args, ctx, h)]),
);

/** `each`/`each_pair` yield pairs; each_key/each_value one side. */
const HASH_EACH: MethodTable<Hash> = {
  each_pair: ENUMERABLE_ON_PAIRS.each,
  each_key: (h, _a, ctx) => (ctx.block ? (ENUMERABLE.each([...h.map.values()].map((e) => e.key), [], ctx, h), h) : undefined),
  each_value: (h, _a, ctx) => (ctx.block ? (ENUMERABLE.each([...h.map.values()].map((e) => e.value), [], ctx, h), h) : undefined),
};

/** Every Hash method Cloche evaluates; Hash's own definitions win over Enumerable's. */
export const HASH_METHODS: MethodTable<Hash> = { ...ENUMERABLE_ON_PAIRS, ...HASH_EACH, ...HASH_BUILD, ...HASH_READ, ...HASH_MUTATORS };

/** Calls a Hash method; undefined when it is not one Cloche evaluates. */
export function callHash(h: Hash, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = HASH_METHODS[name];
  return method ? method(h, args, ctx) : undefined;
}
