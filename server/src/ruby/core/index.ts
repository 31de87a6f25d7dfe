/**
 * The methods of Ruby's core classes as recipes use them, one module per class. `callValueMethod`
 * answers a method call on a plain value (or falls back for an object), or returns undefined for a
 * method it does not evaluate, so the caller can say why.
 */
import { type Value, type CallContext, unknown, findUnknown } from '../values';
import { RubyRaise } from '../errors';
import { Enumerator, ENUMERATOR_METHODS } from './enumerator';
import type { MethodTable, Str, Num, Arr, Hash, Range } from './args';
import { callString, STRING_METHODS } from './string';
import { callSymbol, SYMBOL_METHODS } from './symbol';
import { callNumeric, NUMERIC_METHODS } from './numeric';
import { callArray, ARRAY_METHODS } from './array';
import { callHash, HASH_METHODS } from './hash';
import { callRange, RANGE_METHODS } from './range';
import { REGEXP_METHODS } from './regexp';
import { NIL_METHODS, BOOL_METHODS, PROC_METHODS } from './basic';
import { objectMethods } from './object';
import { registerDispatch } from './dispatch';
import { unknownArg } from './args';
import { RegexUnsupported } from './regexRe2';

export { safeRegex } from './regexp';
export { rangeItems } from './rangeItems';
export { classMatches } from './object';

/** The method table of a value's class. */
function tableOf(v: Value): MethodTable<never> | undefined {
  switch (v.k) {
    case 'str': return STRING_METHODS as MethodTable<never>;
    case 'sym': return SYMBOL_METHODS as MethodTable<never>;
    case 'int': case 'float': return NUMERIC_METHODS as MethodTable<never>;
    case 'array': return ARRAY_METHODS as MethodTable<never>;
    case 'hash': return HASH_METHODS as MethodTable<never>;
    case 'range': return RANGE_METHODS as MethodTable<never>;
    case 'regexp': return REGEXP_METHODS as MethodTable<never>;
    case 'nil': return NIL_METHODS as MethodTable<never>;
    case 'bool': return BOOL_METHODS as MethodTable<never>;
    case 'proc': case 'lazy': return PROC_METHODS as MethodTable<never>;
    default: return undefined;
  }
}

const OBJECT_METHODS = objectMethods(tableOf);

/** The class's own method, if it has one by that name. */
function classMethod(recv: Value, name: string, args: Value[], ctx: CallContext): Value | undefined {
  switch (recv.k) {
    case 'str': return callString(recv as Str, name, args, ctx);
    case 'sym': return callSymbol(recv, name, args, ctx);
    case 'int': case 'float': return callNumeric(recv as Num, name, args, ctx);
    case 'array': return callArray(recv as Arr, name, args, ctx);
    case 'hash': return callHash(recv as Hash, name, args, ctx);
    case 'range': return callRange(recv as Range, name, args, ctx);
    case 'regexp': case 'nil': case 'bool': case 'proc': case 'lazy': {
      const m = (tableOf(recv) as MethodTable<Value>)[name];
      return m ? unknownArg(args) ?? m(recv, args, ctx) : undefined;
    }
    default: return undefined;
  }
}

/**
 * Calls `recv.name(*args)` on a value: the method of its class, else one every object has. Returns
 * undefined for a method Cloche does not evaluate (the caller makes an unknown with the reason).
 * May throw RubyRaise where Ruby raises for certain (`Integer('x')`, `[].fetch(1)`).
 */
export function callValueMethod(recv: Value, name: string, args: Value[], ctx: CallContext): Value | undefined {
  if (recv.k === 'unknown') return undefined;
  if (!ctx.block && !args.length && ENUMERATOR_METHODS.has(name) && (recv.k === 'array' || recv.k === 'hash' || recv.k === 'range' || (recv.k === 'str' && name.startsWith('each_')))) {
    return { k: 'object', obj: new Enumerator(recv, name, args) };
  }
  try {
    const own = classMethod(recv, name, args, ctx);
    if (own !== undefined) return own;
    const generic = OBJECT_METHODS[name];
    return generic ? generic(recv, args, ctx) : undefined;
  } catch (e) {
    // A pattern Cloche cannot run (a backreference, lookahead) makes the call's result unknown.
    if (e instanceof RegexUnsupported) return unknown(e.reason, ctx.loc);
    // A Ruby error caused by a value we could not know (`[1] + unknown`) is not certain: the result is unknown.
    const u = e instanceof RubyRaise ? args.map((a) => findUnknown(a)).find(Boolean) ?? findUnknown(recv) : undefined;
    if (u) return unknown(u.reason, u.loc);
    throw e;
  }
}

registerDispatch(callValueMethod);

/** Methods that take a block and call it per element: over an unknown receiver the body still runs once. */
export const ITERATORS = new Set([
  'each', 'each_with_index', 'each_with_object', 'each_pair', 'each_key', 'each_value', 'each_entry', 'reverse_each', 'each_slice',
  'each_cons', 'each_char', 'each_line', 'each_byte', 'map', 'collect', 'flat_map', 'collect_concat', 'map!', 'collect!', 'filter_map',
  'select', 'filter', 'find_all', 'reject', 'select!', 'filter!', 'reject!', 'keep_if', 'delete_if', 'find', 'detect', 'find_index',
  'any?', 'all?', 'none?', 'one?', 'count', 'sum', 'min_by', 'max_by', 'sort_by', 'group_by', 'partition', 'chunk_while', 'slice_when',
  'take_while', 'drop_while', 'times', 'upto', 'downto', 'step', 'transform_values', 'transform_keys', 'uniq', 'scan',
]);
