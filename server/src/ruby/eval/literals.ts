/** Literals: numbers, interpolated strings and symbols, regexps, arrays, hashes, ranges. */
import { type Value, NIL, str, int, arr, unknown, hashOf, findUnknown, toS } from '../values';
import { sliceSource } from '../prism';
import type { Interpreter, Env } from '../interpreter';
import { fitsString, fitsCollection, tooLarge } from '../core/limits';

/* eslint-disable @typescript-eslint/no-explicit-any */
type N = any;

/** Integers beyond 2^53 would be wrong as JavaScript numbers: they are unknown, never a wrong value. */
export function integer(node: N): Value {
  const v = node.value;
  if (typeof v === 'bigint' || !Number.isSafeInteger(Number(v))) return unknown('an integer too large to evaluate exactly');
  return int(Number(v));
}

export function interpolate(it: Interpreter, parts: N[], env: Env, make: (s: string) => Value): Value {
  let out = '';
  for (const part of parts) {
    const v = part.constructor.name === 'StringNode' ? str(part.unescaped.value) : it.evalNode(part, env);
    const u = findUnknown(v);
    if (u) return unknown(u.reason, u.loc);
    out += v.k === 'object' ? toS(it.send(v, 'to_s', [], env)) : toS(v);
    if (!fitsString(out.length)) return tooLarge('the interpolated string');
  }
  const made = make(out);
  it.allocations.charge(made);
  return made;
}

export function regexp(it: Interpreter, node: N, env: Env): Value {
  const flags = regexFlags(it.source(env.unit, node));
  if (node.parts) {
    const s = interpolate(it, node.parts, env, (x) => str(x));
    return s.k === 'str' ? { k: 'regexp', source: s.v, flags } : s;
  }
  return { k: 'regexp', source: node.unescaped.value, flags };
}

function regexFlags(src: string): string {
  const m = /[a-z]*$/.exec(src);
  return m ? m[0].replace(/[^imx]/g, '') : '';
}

export function array(it: Interpreter, elements: N[], env: Env): Value {
  const items: Value[] = [];
  for (const el of elements) {
    if (el.constructor.name === 'SplatNode') {
      const v = it.evalNode(el.expression, env);
      if (v.k === 'array') items.push(...v.items);
      else if (v.k === 'unknown') return v;
      else if (v.k === 'range') { const a = it.send(v, 'to_a', [], env); if (a.k === 'array') items.push(...a.items); else return a; }
      else if (v.k !== 'nil') items.push(v);
    } else items.push(it.evalNode(el, env));
    if (!fitsCollection(items.length)) return tooLarge('the array');
  }
  const made = arr(items);
  it.allocations.charge(made);
  return made;
}

export function hash(it: Interpreter, elements: N[], env: Env): Value {
  const pairs: [Value, Value][] = [];
  for (const el of elements) {
    if (el.constructor.name === 'AssocSplatNode') {
      const v = el.value ? it.evalNode(el.value, env) : NIL;
      if (v.k === 'hash') for (const e of v.map.values()) pairs.push([e.key, e.value]);
      else if (v.k === 'unknown') return v;
    } else {
      const key = it.evalNode(el.key, env);
      const value = el.value?.constructor.name === 'ImplicitNode' ? it.evalNode(el.value.value, env) : it.evalNode(el.value, env);
      pairs.push([key, value]);
    }
    if (!fitsCollection(pairs.length)) return tooLarge('the hash');
  }
  const made = hashOf(pairs);
  it.allocations.charge(made);
  return made;
}

export function range(it: Interpreter, node: N, env: Env): Value {
  const from = node.left ? it.evalNode(node.left, env) : NIL;
  const to = node.right ? it.evalNode(node.right, env) : NIL;
  return { k: 'range', from, to, exclusive: sliceSource(env.unit.parsed, node.operatorLoc) === '...' };
}
