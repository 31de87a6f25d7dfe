/**
 * The shared rule of `str[start, len]`, `str[range]`, `ary[start, len]` and `ary[range]`: negative
 * positions count from the end, a start just past the end gives an empty result, further gives nil.
 */
import type { Value } from '../values';

/** Start and length for `[start, len]` and `[range]` of a string or array, or undefined when Ruby answers nil. */
export function sliceBounds(length: number, index: Value, count?: Value): { start: number; len: number } | undefined {
  if (index.k === 'int' && count?.k === 'int') {
    const start = index.v < 0 ? index.v + length : index.v;
    if (start < 0 || start > length || count.v < 0) return undefined;
    return { start, len: Math.min(count.v, length - start) };
  }
  if (index.k === 'range' && (index.from.k === 'int' || index.from.k === 'nil') && (index.to.k === 'int' || index.to.k === 'nil')) {
    let start = index.from.k === 'int' ? index.from.v : 0;
    if (start < 0) start += length;
    if (start < 0 || start > length) return undefined;
    let end = index.to.k === 'int' ? index.to.v : length;
    if (end < 0) end += length;
    if (index.to.k === 'int' && !index.exclusive) end += 1;
    return { start, len: Math.max(0, Math.min(end, length) - start) };
  }
  return undefined;
}

