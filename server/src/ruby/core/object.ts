/**
 * The methods every value has (Object and Kernel): nil?, is_a?/kind_of?/instance_of?, equality and
 * identity, freezing and copying, to_s/inspect, respond_to?, then/tap/itself. For objects (node
 * attributes, resources) these are the fallback after the object's own answer.
 */
import { type Value, TRUE, NIL, bool, arr, unknown, truthy, rubyEquals, rubyClassOf, findUnknown } from '../values';
import { type MethodTable, yieldTo } from './args';
import { rubyInspect, rubyToS } from './display';
import { respondTo } from './respond';
import { strResult } from './limits';

/** Whether a value of Ruby class `actual` is_a? `wanted`. */
export function classMatches(actual: string, wanted: string): boolean {
  const w = wanted.replace(/^::/, '');
  if (actual === w || w === 'Object' || w === 'BasicObject' || w === 'Kernel') return true;
  if (w === 'Numeric') return actual === 'Integer' || actual === 'Float';
  if (w === 'Enumerable') return actual === 'Array' || actual === 'Hash' || actual === 'Range';
  if (w === 'Comparable') return actual === 'String' || actual === 'Integer' || actual === 'Float' || actual === 'Symbol';
  return false;
}

/** The name of a class argument (`String`, `Numeric`), or undefined when it is not a class. */
function className(c: Value | undefined): string | undefined {
  return c?.k === 'object' && (c.obj.className === 'Class' || c.obj.className === 'Module') ? c.obj.describe() : undefined;
}

function isA(exact: boolean): MethodTable<Value>[string] {
  return (v, [c]) => {
    if (c?.k === 'unknown') return unknown(c.reason, c.loc);
    const want = className(c);
    if (!want) return undefined;
    return bool(exact ? rubyClassOf(v) === want.replace(/^::/, '') : classMatches(rubyClassOf(v), want));
  };
}

/** Same object: immediates by value; strings, arrays and hashes by identity of their contents. */
function identical(a: Value, b: Value | undefined): boolean {
  if (!b || a.k !== b.k) return false;
  if (a.k === 'array') return a.items === (b as typeof a).items;
  if (a.k === 'hash') return a.map === (b as typeof a).map;
  if (a.k === 'str' || a.k === 'range' || a.k === 'regexp' || a.k === 'proc' || a.k === 'lazy') return a === b;
  if (a.k === 'object') return a.obj === (b as typeof a).obj;
  return rubyEquals(a, b) === true;
}

const IMMEDIATE = new Set(['nil', 'bool', 'int', 'float', 'sym', 'range', 'regexp']);

/** Methods of every value; `tables` answers respond_to? from the value's own class. */
export function objectMethods(tableOf: (v: Value) => MethodTable<never> | undefined): MethodTable<Value> {
  const methods: MethodTable<Value> = {
    'nil?': (v) => bool(v.k === 'nil'),
    'is_a?': isA(false), 'kind_of?': isA(false), 'instance_of?': isA(true),
    '==': (v, [o]) => { const e = rubyEquals(v, o ?? NIL); return e === undefined ? unknown(findUnknown(o ?? NIL)?.reason ?? 'value not known') : bool(e); },
    '!=': (v, [o]) => { const e = rubyEquals(v, o ?? NIL); return e === undefined ? unknown(findUnknown(o ?? NIL)?.reason ?? 'value not known') : bool(!e); },
    '===': (v, [o]) => { const e = rubyEquals(v, o ?? NIL); return e === undefined ? undefined : bool(e); },
    '!': (v) => { const t = truthy(v); return t === undefined ? undefined : bool(!t); },
    'equal?': (v, [o]) => bool(identical(v, o)),
    'eql?': (v, [o]) => bool(!!o && o.k === v.k && rubyEquals(v, o) === true),
    '=~': () => NIL,
    // Literals of strings, arrays and hashes may or may not be frozen (`# frozen_string_literal`, `.freeze`); Cloche does not track it.
    'frozen?': (v) => (IMMEDIATE.has(v.k) ? TRUE : v.k === 'object' ? undefined : unknown('whether the value is frozen is not tracked')),
    freeze: (v) => v,
    itself: (v) => v,
    dup: (v) => v,
    clone: (v) => v,
    to_s: (v) => (v.k === 'object' ? undefined : strResult(rubyToS(v))),
    inspect: (v) => (v.k === 'object' ? undefined : strResult(rubyInspect(v))),
    then: (v, _a, ctx) => (ctx.block ? yieldTo(ctx, [v]) : undefined),
    yield_self: (v, _a, ctx) => (ctx.block ? yieldTo(ctx, [v]) : undefined),
    tap: (v, _a, ctx) => { if (!ctx.block) return undefined; yieldTo(ctx, [v]); return v; },
    hash: () => unknown('`hash` values differ from one Ruby process to the next'),
    object_id: () => unknown('object ids are assigned at run time'),
    instance_variable_get: (v) => (v.k === 'object' ? undefined : NIL),
    instance_variables: (v) => (v.k === 'object' ? undefined : arr([])),
    'respond_to?': (v, [n]) => (n?.k === 'sym' || n?.k === 'str') && v.k !== 'object' ? respondTo(v, n.v, tableOf(v), methods) : n?.k === 'unknown' ? n : undefined,
    to_json_safe: (v) => v,
  };
  return methods;
}

