/**
 * The elements of a range: integers, or strings by `succ`. Float ranges cannot be iterated in Ruby
 * (`TypeError: can't iterate from Float`), and endless ranges never end, so those give undefined.
 */
import { type Value, int, str } from '../values';
import { MAX_RANGE_ITEMS } from './limits';
import { stringRange } from './stringSucc';

type Range = Extract<Value, { k: 'range' }>;

/** The elements of an integer or string range, or undefined when it is too long or not enumerable. */
export function rangeItems(r: Range, limit = MAX_RANGE_ITEMS): Value[] | undefined {
  if (r.from.k === 'int' && (r.to.k === 'int' || r.to.k === 'float')) {
    const last = r.to.k === 'int' ? (r.exclusive ? r.to.v - 1 : r.to.v) : (r.exclusive && Number.isInteger(r.to.v) ? r.to.v - 1 : Math.floor(r.to.v));
    if (last - r.from.v >= limit) return undefined;
    const out: Value[] = [];
    for (let i = r.from.v; i <= last; i++) out.push(int(i));
    return out;
  }
  if (r.from.k === 'str' && r.to.k === 'str') return stringRange(r.from.v, r.to.v, r.exclusive, limit)?.map(str);
  return undefined;
}

/** How many elements the range has without building it (integer ranges only). */
export function rangeSize(r: Range): number | undefined {
  if (r.from.k !== 'int' || (r.to.k !== 'int' && r.to.k !== 'float')) return undefined;
  const last = r.to.k === 'int' ? (r.exclusive ? r.to.v - 1 : r.to.v) : (r.exclusive && Number.isInteger(r.to.v) ? r.to.v - 1 : Math.floor(r.to.v));
  return Math.max(0, last - r.from.v + 1);
}
