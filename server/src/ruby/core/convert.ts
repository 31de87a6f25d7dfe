/**
 * The strict conversions of `Integer()` and `Float()` (also used by `format`'s `%d` and `%f`): Ruby's
 * grammar for numeric strings (`"0x1f"`, `"0b1"`, `"0o7"`, `"010"` is octal, single underscores
 * between digits, surrounding whitespace) and its errors, thrown as ConversionError for the caller
 * to raise.
 */
import type { Value } from '../values';
import { rubyInspect, inspectString } from './display';

export class ConversionError {
  constructor(readonly exceptionClass: string, readonly message: string) {}
}

const PREFIX_BASE: Record<string, number> = { x: 16, b: 2, o: 8, d: 10 };

/** Digits of `base` with single underscores between them. */
function digitsPattern(base: number): RegExp {
  const d = base <= 10 ? `[0-${base - 1}]` : `[0-9a-${String.fromCharCode(86 + base)}]`;
  return new RegExp(`^${d}+(?:_${d}+)*$`, 'i');
}

/** Ruby's `Integer(string, base)`, or undefined when the string is not an integer literal. */
export function parseIntegerString(text: string, base?: number): number | undefined {
  let s = text.replace(/^\s+|\s+$/g, '');
  let sign = 1;
  if (/^[+-]/.test(s)) { sign = s[0] === '-' ? -1 : 1; s = s.slice(1); }
  let b = base ?? 10;
  const prefix = /^0([xbod])/i.exec(s);
  if (prefix) {
    const pb = PREFIX_BASE[prefix[1].toLowerCase()];
    if (base !== undefined && base !== pb) return undefined;
    b = pb;
    s = s.slice(2);
  } else if (base === undefined && /^0[0-9_]/.test(s)) {
    b = 8;
    s = s.slice(1).replace(/^_/, '');
  }
  if (!digitsPattern(b).test(s)) return undefined;
  const n = parseInt(s.replace(/_/g, ''), b);
  return Number.isSafeInteger(n) ? sign * n : undefined;
}

/** Ruby's `Float(string)`: a decimal literal with optional exponent, or a hex integer. */
export function parseFloatString(text: string): number | undefined {
  const s = text.replace(/^\s+|\s+$/g, '');
  const dec = /^[+-]?(?:\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?$/;
  if (dec.test(s)) return Number(s.replace(/_/g, ''));
  if (/^[+-]?0x[0-9a-f]+$/i.test(s)) return parseInt(s.replace(/0x/i, ''), 16) * (s.startsWith('-') ? -1 : 1);
  return undefined;
}

const className = (v: Value): string => v.k === 'object' ? v.obj.className :
  ({ nil: 'nil', bool: v.k === 'bool' && v.v ? 'true' : 'false', array: 'Array', hash: 'Hash', sym: 'Symbol', range: 'Range', regexp: 'Regexp', proc: 'Proc' } as Record<string, string>)[v.k] ?? 'Object';

/** `Integer(v)` for a known value; throws ConversionError as Ruby raises. */
export function toInteger(v: Value, opts: { base?: number; forFormat?: boolean } = {}): number {
  if (opts.base !== undefined && (opts.base < 2 || opts.base > 36)) throw new ConversionError('ArgumentError', `invalid radix ${opts.base}`);
  if (v.k === 'int') return v.v;
  if (v.k === 'float') {
    if (!Number.isFinite(v.v)) throw new ConversionError('FloatDomainError', rubyInspect(v));
    const t = Math.trunc(v.v);
    if (!Number.isSafeInteger(t)) throw new ConversionError('RangeError', 'the integer is beyond 2**53, which Cloche does not compute exactly');
    return t;
  }
  if (v.k === 'str') {
    const n = parseIntegerString(v.v, opts.base);
    if (n === undefined) throw new ConversionError('ArgumentError', `invalid value for Integer(): ${inspectString(v.v)}`);
    return n;
  }
  throw new ConversionError('TypeError', `can't convert ${className(v)} into Integer`);
}

/** `Float(v)` for a known value; throws ConversionError as Ruby raises. */
export function toFloat(v: Value): number {
  if (v.k === 'int' || v.k === 'float') return v.v;
  if (v.k === 'str') {
    const n = parseFloatString(v.v);
    if (n === undefined) throw new ConversionError('ArgumentError', `invalid value for Float(): ${inspectString(v.v)}`);
    return n;
  }
  throw new ConversionError('TypeError', `can't convert ${className(v)} into Float`);
}
