/**
 * Kernel functions a recipe calls without a receiver that only compute: `format`/`sprintf` (see
 * format.ts) and the conversion functions `Integer()`, `Float()`, `String()`, `Array()`, `Hash()`.
 */
import { type Value, type CallContext, NIL, arr, hashOf, unknown, findUnknown } from '../values';
import { float, intResult, option, raise } from './args';
import { ConversionError, toFloat, toInteger } from './convert';
import { rubyToS } from './display';
import { rangeItems } from './rangeItems';
import { strResult } from './limits';

export { formatString } from './format';

/** Ruby's `exception: false` option, which makes a failed conversion nil instead of an error. */
function quiet(args: Value[]): boolean {
  const o = option(args, 'exception');
  return o?.k === 'bool' && !o.v;
}

/** Runs a conversion; a ConversionError becomes nil (`exception: false`) or a Ruby raise. */
function attempt(args: Value[], ctx: CallContext | undefined, fn: () => Value): Value {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ConversionError)) throw e;
    return quiet(args) ? NIL : raise(ctx, e.exceptionClass, e.message);
  }
}

function integer(args: Value[], ctx?: CallContext): Value | undefined {
  const [v, b] = args;
  const base = b?.k === 'int' ? b.v : undefined;
  if (b && b.k !== 'int' && b.k !== 'hash') return undefined;
  if (base !== undefined && v.k !== 'str') return attempt(args, ctx, () => { throw new ConversionError('ArgumentError', 'base specified for non string value'); });
  return attempt(args, ctx, () => intResult(toInteger(v, { base })));
}

function toArray(v: Value): Value | undefined {
  if (v.k === 'nil') return arr([]);
  if (v.k === 'array') return v;
  if (v.k === 'hash') return arr([...v.map.values()].map((e) => arr([e.key, e.value])));
  if (v.k === 'range') { const items = rangeItems(v); return items ? arr(items) : undefined; }
  return arr([v]);
}

function toHash(v: Value, ctx?: CallContext): Value {
  if (v.k === 'hash') return v;
  if (v.k === 'nil' || (v.k === 'array' && v.items.length === 0)) return hashOf([]);
  const cls = v.k === 'array' ? 'Array' : v.k === 'str' ? 'String' : v.k === 'int' ? 'Integer' : v.k === 'object' ? v.obj.className : v.k;
  return raise(ctx, 'TypeError', `can't convert ${cls} into Hash`);
}

/**
 * `Integer(x, base = nil, exception: true)`, `Float(x, exception: true)`, `String(x)`, `Array(x)`,
 * `Hash(x)`; undefined for any other name (or a form not evaluated). Invalid input raises as Ruby does
 * (ArgumentError, TypeError), through RubyRaise, unless `exception: false`; under an unknown condition
 * (when `ctx` tells) the raise is an unknown instead. An unknown argument gives an unknown result.
 */
export function kernelConversion(name: string, args: Value[], ctx?: CallContext): Value | undefined {
  if (!['Integer', 'Float', 'String', 'Array', 'Hash'].includes(name) || args.length === 0) return undefined;
  const v = args[0];
  const u = findUnknown(v) ?? (args[1] ? findUnknown(args[1]) : undefined);
  if (u && (name !== 'Array' || v.k === 'unknown')) return unknown(u.reason, u.loc);
  switch (name) {
    case 'Integer': return integer(args, ctx);
    case 'Float': return attempt(args, ctx, () => float(toFloat(v)));
    case 'String': return v.k === 'object' ? undefined : strResult(rubyToS(v));
    case 'Array': return toArray(v);
    default: return toHash(v, ctx);
  }
}
