/**
 * The default of a Hash (`Hash.new(0)`, `Hash.new { |h, k| h[k] = [] }`, `h.default = x`). Hash
 * values carry only their entries, so the default is kept beside them, keyed by the entries' Map:
 * it lives exactly as long as the hash and follows it wherever the value goes.
 */
import { type Value, hashOf } from '../values';

interface HashDefault { value?: Value; proc?: Value }

const defaults = new WeakMap<Map<string, unknown>, HashDefault>();

type Hash = Extract<Value, { k: 'hash' }>;

export function defaultOf(h: Hash): HashDefault | undefined {
  return defaults.get(h.map);
}

export function setDefault(h: Hash, d: HashDefault): void {
  defaults.set(h.map, d);
}

/** A new empty hash with a default value or a default block: what `Hash.new(…)` evaluates to. */
export function newHash(defaultValue?: Value, defaultProc?: Value): Value {
  const h = hashOf([]) as Hash;
  if (defaultValue || defaultProc) setDefault(h, { value: defaultValue, proc: defaultProc });
  return h;
}
