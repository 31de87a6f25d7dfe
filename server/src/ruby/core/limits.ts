/**
 * How large a value the evaluator is willing to build. A hostile or careless recipe (`'x' * 10**9`,
 * `(1..10**9).to_a`, `a.product(a, a, a)`) must not exhaust memory or hang the language server, so a
 * result past these bounds becomes an unknown instead of being computed. What many values add up to
 * is the evaluation's allocation budget (`../allocations.ts`).
 */
import { type Value, unknown } from '../values';
import { TEXT_LIMIT } from '../boundedText';

/** Longest string a method may return (writers of `inspect` and JSON stop just past it). */
export const MAX_STRING_LENGTH = TEXT_LIMIT;
/** Most elements an array or hash result may have. */
export const MAX_COLLECTION_SIZE = 100_000;
/** Most elements a range may be expanded to. */
export const MAX_RANGE_ITEMS = 100_000;
/** Most times a block is called by one `times`/`upto`/`step`/`each` call (the interpreter has its own step budget too). */
export const MAX_BLOCK_CALLS = 100_000;

/** The unknown every bound returns: the value exists in Ruby, Cloche just will not build it. */
export function tooLarge(what: string): Value {
  return unknown(`${what} is too large to evaluate statically`);
}

/** Whether `n` strings/elements of output stay within the bound (callers check before building). */
export function fitsString(length: number): boolean {
  return length <= MAX_STRING_LENGTH;
}

export function fitsCollection(size: number): boolean {
  return size <= MAX_COLLECTION_SIZE;
}

/** A string result, or the too-large unknown. */
export function strResult(s: string): Value {
  return fitsString(s.length) ? { k: 'str', v: s } : tooLarge('the resulting string');
}

/** An array result, or the too-large unknown. */
export function arrResult(items: Value[]): Value {
  return fitsCollection(items.length) ? { k: 'array', items } : tooLarge('the resulting array');
}
