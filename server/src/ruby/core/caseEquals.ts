/**
 * Ruby's `===` ("case equality") between a pattern and a value, for `grep`, `any?(pattern)` and
 * friends: a regexp matches strings, a range covers values, a class tests membership, anything else
 * compares with `==`.
 */
import { type Value, type CallContext, rubyEquals, truthy, rubyClassOf } from '../values';
import { classMatches } from './object';
import { rubyRegex } from './regexp';
import { spaceship } from './compare';

/** true/false, or undefined when it cannot be known. */
export function caseEquals(pattern: Value, v: Value, ctx: CallContext): boolean | undefined {
  if (pattern.k === 'unknown' || v.k === 'unknown') return undefined;
  if (pattern.k === 'regexp') {
    if (v.k !== 'str' && v.k !== 'sym') return false;
    return rubyRegex(pattern.source, pattern.flags).test(v.v);
  }
  if (pattern.k === 'range') return rangeCovers(pattern, v, ctx);
  // A class pattern (`grep(String)`, `any?(Integer)`) tests the class of a plain value.
  if (pattern.k === 'object' && (pattern.obj.className === 'Class' || pattern.obj.className === 'Module') && v.k !== 'object') {
    return classMatches(rubyClassOf(v), pattern.obj.describe());
  }
  if (pattern.k === 'object') {
    const r = pattern.obj.call('===', [v], ctx);
    return r ? truthy(r) : undefined;
  }
  return rubyEquals(pattern, v);
}

/** `range.cover?(v)` by comparison of the ends (nil ends are open). */
export function rangeCovers(r: Extract<Value, { k: 'range' }>, v: Value, ctx?: CallContext): boolean | undefined {
  if (r.from.k !== 'nil') {
    const lo = spaceship(r.from, v, ctx);
    if (lo === undefined) return undefined;
    if (lo === null || lo > 0) return false;
  }
  if (r.to.k !== 'nil') {
    const hi = spaceship(v, r.to, ctx);
    if (hi === undefined) return undefined;
    if (hi === null || hi > 0 || (r.exclusive && hi === 0)) return false;
  }
  return true;
}
