/**
 * Ruby's `<=>` between values, and sorting with it. Ruby raises ArgumentError when two elements cannot
 * be compared (`[1, 'a'].sort`), so do we; an unknown element makes the order unknown.
 */
import { type Value, unknown, findUnknown, rubyClassOf } from '../values';
import { type Ctx, raise } from './args';
import { rubyInspect } from './display';

/** -1, 0 or 1; null when Ruby's `<=>` answers nil (incomparable); undefined when a side is unknown. */
export type Order = number | null | undefined;

/** Ruby's `a <=> b` for values (objects answer their own `<=>`, e.g. Gem::Version). */
export function spaceship(a: Value, b: Value, ctx?: Ctx): Order {
  if (a.k === 'unknown' || b.k === 'unknown') return undefined;
  if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) {
    if (Number.isNaN(a.v) || Number.isNaN(b.v)) return null;
    return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  }
  if ((a.k === 'str' && b.k === 'str') || (a.k === 'sym' && b.k === 'sym')) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (a.k === 'array' && b.k === 'array') return compareArrays(a.items, b.items, ctx);
  if (a.k === 'object' && ctx) {
    const r = a.obj.call('<=>', [b], ctx);
    return r?.k === 'int' ? r.v : r?.k === 'nil' ? null : undefined;
  }
  // Object#<=>: 0 for the same value, nil otherwise.
  if ((a.k === 'nil' && b.k === 'nil') || (a.k === 'bool' && b.k === 'bool' && a.v === b.v)) return 0;
  return findUnknown(a) || findUnknown(b) ? undefined : null;
}

function compareArrays(x: Value[], y: Value[], ctx?: Ctx): Order {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const o = spaceship(x[i], y[i], ctx);
    if (o !== 0) return o;
  }
  return Math.sign(x.length - y.length);
}

/** Ruby's message: the right side is shown by value when it is an immediate (nil, 1, :a), else by class. */
export function comparisonFailed(a: Value, b: Value): string {
  const immediate = ['nil', 'bool', 'int', 'float', 'sym'].includes(b.k);
  return `comparison of ${rubyClassOf(a)} with ${immediate ? rubyInspect(b) : rubyClassOf(b)} failed`;
}

/** Thrown inside a comparator to stop a sort that cannot finish. */
class SortStop { constructor(readonly result: Value) {} }

/**
 * A stable sort with `compare` (Ruby `<=>` by default, or a block's answer). Returns the sorted items,
 * or the value to return instead: an unknown, or the ArgumentError raised for incomparable elements.
 */
export function sortValues(items: Value[], ctx: Ctx, compare: (a: Value, b: Value) => Order = (a, b) => spaceship(a, b, ctx)): Value[] | Value {
  const failure = (a: Value, b: Value, o: Order): Value =>
    o === undefined ? unknown((findUnknown(a) ?? findUnknown(b))?.reason ?? 'the order of the elements is not known') : raise(ctx, 'ArgumentError', comparisonFailed(a, b));
  // Neighbours first, so the message names the pair Ruby would meet first in simple cases.
  for (let i = 1; i < items.length; i++) {
    const o = compare(items[i - 1], items[i]);
    if (o === null || o === undefined) return failure(items[i - 1], items[i], o);
  }
  try {
    return [...items].sort((a, b) => {
      const o = compare(a, b);
      if (o === null || o === undefined) throw new SortStop(failure(a, b, o));
      return o;
    });
  } catch (e) {
    if (e instanceof SortStop) return e.result;
    throw e;
  }
}

/** The order a block gave (`sort { |a, b| … }`, `max { … }`): an Integer, else incomparable or unknown. */
export function blockOrder(v: Value): Order {
  if (v.k === 'int') return Math.sign(v.v);
  if (v.k === 'float') return Math.sign(v.v);
  return v.k === 'unknown' ? undefined : null;
}

/** The extreme element (`min`/`max`): Ruby compares each new element with the best so far. */
export function extreme(items: Value[], ctx: Ctx, wantMax: boolean, compare: (a: Value, b: Value) => Order = (a, b) => spaceship(a, b, ctx)): Value | undefined {
  let best: Value | undefined;
  for (const v of items) {
    if (best === undefined) { best = v; continue; }
    const o = compare(v, best);
    if (o === undefined) return unknown((findUnknown(v) ?? findUnknown(best))?.reason ?? 'the order of the elements is not known');
    if (o === null) return raise(ctx, 'ArgumentError', comparisonFailed(v, best));
    if (wantMax ? o > 0 : o < 0) best = v;
  }
  return best;
}
