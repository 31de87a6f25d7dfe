/**
 * Ruby's `format` / `sprintf` / `String#%`: `%s %p %d %i %u %f %e %E %g %G %x %X %o %b %B %c %%`, the
 * flags `- + 0 space #`, width and precision (also `*`), positional `%1$s`, and `%{name}` /
 * `%<name>s` with a hash argument. Errors Ruby raises (too few arguments, a malformed directive,
 * `Integer('abc')` of a `%d` argument) are raised as RubyRaise.
 */
import { type Value, type CallContext, str, unknown, hashGet, sym } from '../values';
import { raise, unknownArg } from './args';
import { rubyInspect, rubyToS } from './display';
import { fixedDigits, expParts, expString, generalDigits, radixDigits } from './formatNumber';
import { toInteger, toFloat, ConversionError } from './convert';
import { fitsString, tooLarge } from './limits';

/** Thrown inside the formatter; turned into a Ruby raise at the top. */
class FormatError {
  constructor(readonly exceptionClass: string, readonly message: string) {}
}

interface Spec {
  flags: string;
  width?: number;
  precision?: number;
  type: string;
}

/** Where directives take their arguments from: in order, by position, or by name from one hash. */
class ArgSource {
  private next = 0;
  private mode: 'none' | 'seq' | 'pos' = 'none';
  constructor(private readonly args: Value[]) {}

  sequential(): Value {
    if (this.mode === 'pos') throw new FormatError('ArgumentError', `unnumbered(${this.next + 1}) mixed with numbered`);
    this.mode = 'seq';
    if (this.next >= this.args.length) throw new FormatError('ArgumentError', 'too few arguments');
    return this.args[this.next++];
  }

  positional(n: number): Value {
    if (this.mode === 'seq') throw new FormatError('ArgumentError', `numbered(${n}) after unnumbered(${this.next})`);
    this.mode = 'pos';
    if (n < 1 || n > this.args.length) throw new FormatError('ArgumentError', 'invalid index - ' + n + '$');
    return this.args[n - 1];
  }

  named(name: string, brace: '{' | '<'): Value {
    const h = this.args.length === 1 ? this.args[0] : undefined;
    if (h?.k !== 'hash') throw new FormatError('ArgumentError', 'one hash required');
    const v = hashGet(h, sym(name)) ?? hashGet(h, str(name));
    if (v === undefined) throw new FormatError('KeyError', `key${brace}${name}${brace === '{' ? '}' : '>'} not found`);
    return v;
  }
}

/** Pads a formatted body to the width: zeros go after the sign and prefix, spaces before or after. */
function pad(sign: string, prefix: string, body: string, spec: Spec, zeroAllowed: boolean): string {
  const width = spec.width ?? 0;
  const len = sign.length + prefix.length + body.length;
  if (len >= width) return sign + prefix + body;
  if (spec.flags.includes('-')) return sign + prefix + body + ' '.repeat(width - len);
  if (spec.flags.includes('0') && zeroAllowed) return sign + prefix + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + sign + prefix + body;
}

function signOf(negative: boolean, flags: string): string {
  return negative ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function convert<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConversionError) throw new FormatError(e.exceptionClass, e.message);
    throw e;
  }
}

function formatInteger(arg: Value, spec: Spec): string {
  const n = convert(() => toInteger(arg, { forFormat: true }));
  const radix = { d: 10, i: 10, u: 10, x: 16, X: 16, o: 8, b: 2, B: 2 }[spec.type]!;
  const signed = radix === 10 || /[+ ]/.test(spec.flags);
  let digits = radixDigits(n, radix, !signed);
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  if (spec.type === 'X') digits = digits.toUpperCase();
  let prefix = '';
  if (spec.flags.includes('#') && n !== 0) prefix = { x: '0x', X: '0X', b: '0b', B: '0B', o: '0', d: '', i: '', u: '' }[spec.type]!;
  if (prefix === '0' && digits.startsWith('0')) prefix = '';
  return pad(signed ? signOf(n < 0, spec.flags) : '', prefix, digits, spec, spec.precision === undefined);
}

function formatFloat(arg: Value, spec: Spec): string {
  const x = convert(() => toFloat(arg));
  const sign = signOf(x < 0 || Object.is(x, -0), spec.flags);
  if (!Number.isFinite(x)) return pad(Number.isNaN(x) ? signOf(false, spec.flags) : sign, '', Number.isNaN(x) ? 'NaN' : 'Inf', spec, false);
  const prec = spec.precision ?? 6;
  const alt = spec.flags.includes('#');
  const upper = spec.type === 'E' || spec.type === 'G';
  let body: string;
  if (spec.type === 'f') body = fixedDigits(x, prec);
  else if (spec.type === 'e' || spec.type === 'E') {
    const e = expParts(x, prec);
    body = expString(alt && !e.mantissa.includes('.') ? e.mantissa + '.' : e.mantissa, e.exp, upper);
  } else body = generalDigits(x, prec, alt, upper);
  return pad(sign, '', body, spec, true);
}

function formatChar(arg: Value, spec: Spec): string {
  let c: string;
  if (arg.k === 'str') {
    if ([...arg.v].length !== 1) throw new FormatError('ArgumentError', '%c requires a character');
    c = arg.v;
  } else c = String.fromCodePoint(convert(() => toInteger(arg, { forFormat: true })));
  return pad('', '', c, { ...spec, precision: undefined }, false);
}

function formatOne(arg: Value, spec: Spec): string {
  switch (spec.type) {
    case 's': case 'p': {
      let s = spec.type === 's' ? rubyToS(arg) : rubyInspect(arg);
      if (spec.precision !== undefined) s = [...s].slice(0, spec.precision).join('');
      return pad('', '', s, spec, false);
    }
    case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'b': case 'B': return formatInteger(arg, spec);
    case 'f': case 'e': case 'E': case 'g': case 'G': return formatFloat(arg, spec);
    case 'c': return formatChar(arg, spec);
    default: throw new FormatError('ArgumentError', `malformed format string - %${spec.type}`);
  }
}

/** One directive as written: `%-+08.3f`, `%1$s`, `%*d`, `%<a>05.1f`, `%-10{a}`. */
interface Directive {
  flags: string;
  position?: number;
  name?: { text: string; brace: '{' | '<' };
  width?: number | '*';
  precision?: number | '*';
  type?: string;
  end: number;
}

/** Reads a directive starting at the `%` at `at`; Ruby accepts flags, width and names in any order. */
function parseDirective(fmt: string, at: number): Directive {
  const d: Directive = { flags: '', end: at + 1 };
  let i = at + 1;
  const number = (): number => { const m = /^\d+/.exec(fmt.slice(i))!; i += m[0].length; return Number(m[0]); };
  while (i < fmt.length) {
    const c = fmt[i];
    if ('-+ 0#'.includes(c)) { d.flags += c; i++; }
    else if (/\d/.test(c)) {
      const n = number();
      if (fmt[i] === '$') { d.position = n; i++; } else d.width = n;
    } else if (c === '*') { d.width = '*'; i++; }
    else if (c === '.') {
      i++;
      if (fmt[i] === '*') { d.precision = '*'; i++; } else d.precision = /\d/.test(fmt[i] ?? '') ? number() : 0;
    } else if (c === '<' || c === '{') {
      const close = fmt.indexOf(c === '<' ? '>' : '}', i);
      if (close < 0) break;
      d.name = { text: fmt.slice(i + 1, close), brace: c };
      i = close + 1;
      if (c === '{') break; // `%{a}` is complete: no conversion character follows
    } else { d.type = c; i++; break; }
  }
  d.end = i;
  return d;
}

/** Reads `*` from the arguments. */
function starValue(source: ArgSource): number {
  const v = source.sequential();
  if (v.k !== 'int') throw new FormatError('TypeError', 'width/precision must be an Integer');
  return v.v;
}

function directive(d: Directive, source: ArgSource): string {
  if (d.type === '%' && !d.flags && d.width === undefined && d.precision === undefined && !d.name) return '%';
  let flags = d.flags;
  let width = d.width === '*' ? starValue(source) : d.width;
  // A negative `*` width means left-justified, as in C.
  if (width !== undefined && width < 0) { flags += '-'; width = -width; }
  const precision = d.precision === '*' ? starValue(source) : d.precision;
  // A width or precision past the string bound would be built before any check could stop it.
  if (!fitsString(width ?? 0) || !fitsString(precision ?? 0)) throw new FormatError('', 'too large');
  if (d.name?.brace === '{') return pad('', '', rubyToS(source.named(d.name.text, '{')), { flags, width, type: 's' }, false);
  if (!d.type) throw new FormatError('ArgumentError', 'incomplete format specifier; use %% (double %) instead');
  const arg = d.name ? source.named(d.name.text, '<') : d.position !== undefined ? source.positional(d.position) : source.sequential();
  return formatOne(arg, { flags, width, precision, type: d.type });
}

function render(fmt: string, args: Value[]): string {
  const source = new ArgSource(args);
  let out = '';
  for (let i = 0; i < fmt.length;) {
    const at = fmt.indexOf('%', i);
    if (at < 0) { out += fmt.slice(i); break; }
    out += fmt.slice(i, at);
    const d = parseDirective(fmt, at);
    out += directive(d, source);
    if (!fitsString(out.length)) throw new FormatError('', 'too large');
    i = d.end;
  }
  return out;
}

/**
 * Ruby's `format(fmt, *args)`. An unknown argument makes the result unknown with its reason; Ruby's
 * errors are raised (as unknowns when `ctx` says the code may not run).
 */
export function formatString(fmt: string, args: Value[], ctx?: CallContext): Value {
  const u = unknownArg(args);
  if (u) return u;
  try {
    return str(render(fmt, args));
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    if (!e.exceptionClass) return tooLarge('the formatted string');
    return raise(ctx, e.exceptionClass, e.message);
  }
}

/** `String#%`: an array supplies the arguments, anything else (a hash too) is the one argument. */
export function stringPercent(fmt: string, arg: Value, ctx?: CallContext): Value {
  if (arg.k === 'unknown') return unknown(arg.reason, arg.loc);
  return formatString(fmt, arg.k === 'array' ? arg.items : [arg], ctx);
}
