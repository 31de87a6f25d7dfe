/**
 * Calling a block once per element. Past the bound, the block runs once with an unknown element,
 * marked as repeated, the way the interpreter treats a loop over an unknown collection: what the body
 * declares is still seen, but nothing claims to know how often.
 */
import { type Value, unknown } from '../values';
import { type Ctx, yieldTo } from './args';
import { MAX_BLOCK_CALLS, tooLarge } from './limits';

interface Repetitions { repetitions?: string[] }

/** Runs the block once with unknown arguments, marked (when the interpreter is there) as repeated. */
export function yieldOnceUnknown(ctx: Ctx, reason: string, arity = 1): Value {
  const interp = (ctx as { interp?: Repetitions }).interp;
  interp?.repetitions?.push(reason);
  try {
    yieldTo(ctx, Array.from({ length: arity }, () => unknown(reason, ctx.loc)));
  } finally {
    interp?.repetitions?.pop();
  }
  return unknown(reason, ctx.loc);
}

/**
 * Yields `count` elements made by `at(i)`; returns undefined when it did, or the unknown result
 * when the count was past the bound (after running the block once with an unknown element).
 */
export function yieldEach(ctx: Ctx, count: number, at: (i: number) => Value[]): Value | undefined {
  if (count > MAX_BLOCK_CALLS) {
    const r = tooLarge(`a loop of ${count} iterations`);
    return yieldOnceUnknown(ctx, (r as { reason: string }).reason);
  }
  for (let i = 0; i < count; i++) yieldTo(ctx, at(i));
  return undefined;
}
