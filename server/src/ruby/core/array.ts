/**
 * Array: the method table (reading, building, mutating, and Enumerable over the items) and its entry
 * point. Methods that take values to store (`<<`, `push`, `[]=`) keep unknown elements as they are;
 * a mutating method that cannot be evaluated because of an unknown argument makes the array unknown.
 */
import { type Value, findUnknown } from '../values';
import { type MethodTable, type Arr, type Ctx, becomeUnknown } from './args';
import { ARRAY_ACCESS } from './arrayAccess';
import { ARRAY_COMBINE } from './arrayCombine';
import { ARRAY_MUTATORS } from './arrayMutate';
import { ENUMERABLE } from './enumerable';

const ENUMERABLE_ON_ARRAYS: MethodTable<Arr> = Object.fromEntries(
  Object.entries(ENUMERABLE).map(([name, fn]) => [name, (a: Arr, args: Value[], ctx: Ctx) => fn(a.items, args, ctx, a)]),
);

/** Every Array method Cloche evaluates; Array's own definitions win over Enumerable's. */
export const ARRAY_METHODS: MethodTable<Arr> = { ...ENUMERABLE_ON_ARRAYS, ...ARRAY_COMBINE, ...ARRAY_ACCESS, ...ARRAY_MUTATORS };

/** Calls an Array method; undefined when it is not one Cloche evaluates. */
export function callArray(a: Arr, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = ARRAY_METHODS[name];
  if (!method) return undefined;
  const r = method(a, args, ctx);
  if (r === undefined && name in ARRAY_MUTATORS) {
    const u = args.map((x) => findUnknown(x)).find(Boolean);
    if (u) return becomeUnknown(a, u.reason, u.loc);
  }
  return r;
}
