/**
 * String: the method table (queries, copies, slicing, mutation) and its entry point. An unknown
 * argument makes the result unknown with its reason; for a mutating method the receiver too.
 */
import type { Value } from '../values';
import { type MethodTable, type Str, type Ctx, unknownArg } from './args';
import { STRING_QUERIES } from './stringQuery';
import { STRING_TRANSFORMS } from './stringTransform';
import { STRING_SLICES } from './stringSlice';
import { STRING_MUTATORS, mutateWithUnknown } from './stringMutate';

/** Every String method Cloche evaluates. */
export const STRING_METHODS: MethodTable<Str> = { ...STRING_QUERIES, ...STRING_TRANSFORMS, ...STRING_SLICES, ...STRING_MUTATORS };

/** Calls a String method; undefined when it is not one Cloche evaluates. */
export function callString(s: Str, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = STRING_METHODS[name];
  if (!method) return undefined;
  const u = unknownArg(args);
  if (u) return name in STRING_MUTATORS ? mutateWithUnknown(s, args) : u;
  return method(s, args, ctx);
}
