/**
 * String methods that return a new string (or another value) made from the receiver: case, trimming,
 * padding, repetition, character sets, substitution, conversions, encodings.
 */
import { type Value, NIL, str, sym, unknown } from '../values';
import { type MethodTable, type Str, type Ctx, raise, implicitName, float, intResult, yieldTo } from './args';
import { strResult, fitsString, tooLarge } from './limits';
import { stringPercent } from './format';
import { stringSucc, stringRange } from './stringSucc';
import { parseCharSets, inAllSets, translate } from './charSets';
import { type Match, replacerFor, substitute } from './stringSubst';
import { patternRegex } from './regexp';
import { matchDataValue } from './matchData';
import { recordMatch } from './lastMatch';
import { leadingInteger, leadingFloat } from './stringNumbers';
import { MAX_RANGE_ITEMS } from './limits';

/** Ruby's whitespace for strip: NUL, \t, \n, \v, \f, \r and space (not Unicode spaces, unlike JavaScript's trim). */
export const lstrip = (s: string): string => s.replace(/^[\0\t\n\v\f\r ]+/, '');
export const rstrip = (s: string): string => s.replace(/[\0\t\n\v\f\r ]+$/, '');

export function chomp(s: string, sep?: string): string {
  if (sep === undefined) return s.replace(/(\r\n|\n|\r)$/, '');
  if (sep === '') return s.replace(/(\r?\n)+$/, '');
  return sep && s.endsWith(sep) ? s.slice(0, -sep.length) : s;
}

export const chop = (s: string): string => (s.endsWith('\r\n') ? s.slice(0, -2) : [...s].slice(0, -1).join(''));
export const capitalize = (s: string): string => { const [first = '', ...rest] = [...s]; return first.toUpperCase() + rest.join('').toLowerCase(); };
export const swapcase = (s: string): string => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');

function justify(kind: 'ljust' | 'rjust' | 'center'): MethodTable<Str>[string] {
  return (s, [w, p], ctx) => {
    if (w?.k !== 'int' || (p && p.k !== 'str')) return undefined;
    const pad = p?.k === 'str' ? p.v : ' ';
    if (pad === '') return raise(ctx, 'ArgumentError', 'zero width padding');
    if (!fitsString(w.v)) return tooLarge('the padded string');
    const n = w.v - [...s.v].length;
    if (n <= 0) return str(s.v);
    const left = kind === 'ljust' ? 0 : kind === 'rjust' ? n : Math.floor(n / 2);
    const padChars = [...pad];
    // A pad of single-unit characters is cut by units; otherwise by characters (astral ones take two units).
    const fill = (k: number): string => (padChars.length === pad.length ? pad.repeat(Math.ceil(k / pad.length)).slice(0, k)
      : [...pad.repeat(Math.ceil(k / padChars.length))].slice(0, k).join(''));
    return str(fill(left) + s.v + fill(n - left));
  };
}

function charSetMethod(fn: (s: string, inSet: (c: string) => boolean) => string, emptyMeansAll = false): MethodTable<Str>[string] {
  return (s, args) => {
    if (!args.every((a) => a.k === 'str')) return undefined;
    if (args.length === 0 && !emptyMeansAll) return undefined;
    const sets = parseCharSets(args.map((a) => (a as Str).v));
    return sets ? str(fn(s.v, (c) => args.length === 0 || inAllSets(c, sets))) : undefined;
  };
}

const squeeze = (s: string, inSet: (c: string) => boolean): string => [...s].filter((c, i, a) => !(i > 0 && a[i - 1] === c && inSet(c))).join('');

/** `sub`/`gsub` (and their bang forms through stringMutate). */
export function substitution(global: boolean): MethodTable<Str>[string] {
  return (s, [pattern, rep], ctx) => {
    const re = patternRegex(pattern);
    const replace = replacerFor(rep, ctx.block ? (m: Match) => yieldTo(ctx, [str(m.text)]) : undefined);
    if (!re || !replace) return undefined;
    // `$~` is each match while it is replaced (a block reads `$1`), then the last one, or nil.
    recordMatch(ctx, NIL);
    return substitute(s.v, re, (m) => { recordMatch(ctx, matchDataValue(m.found, m.subject)); return replace(m); }, global);
  };
}

/** Ruby's `Shellwords.escape`: a backslash before each character the shell treats specially. */
function shellescape(s: string): string {
  if (s === '') return "''";
  return s.replace(/[^A-Za-z0-9_\-.,:+/@\n]/gu, '\\$&').replace(/\n/g, "'\n'");
}

const ascii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Conversions between encodings only keep the text when it is ASCII (or the target is UTF-8). */
function sameText(s: string, target: Value | undefined): Value {
  const name = target?.k === 'str' ? target.v.toUpperCase() : target?.k === 'object' ? target.obj.describe().toUpperCase() : 'UTF-8';
  if (name.includes('UTF-8') || name.includes('UTF_8') || ascii(s)) return str(s);
  return unknown(`converting non-ASCII text to ${name} is not evaluated`);
}

function repeat(s: Str, [n]: Value[], ctx: Ctx): Value | undefined {
  if (n?.k !== 'int') return undefined;
  if (n.v < 0) return raise(ctx, 'ArgumentError', 'negative argument');
  return fitsString(s.v.length * n.v) ? str(s.v.repeat(n.v)) : tooLarge(`${JSON.stringify(s.v.slice(0, 20))} * ${n.v}`);
}

function upto(s: Str, [to, excl]: Value[], ctx: Ctx): Value | undefined {
  if (to?.k !== 'str' || !ctx.block) return undefined;
  const items = stringRange(s.v, to.v, excl?.k === 'bool' && excl.v, MAX_RANGE_ITEMS);
  if (!items) return tooLarge('the string range');
  for (const x of items) yieldTo(ctx, [str(x)]);
  return s;
}

export const STRING_TRANSFORMS: MethodTable<Str> = {
  upcase: (s) => str(s.v.toUpperCase()),
  downcase: (s) => str(s.v.toLowerCase()),
  capitalize: (s) => str(capitalize(s.v)),
  swapcase: (s) => str(swapcase(s.v)),
  strip: (s) => str(rstrip(lstrip(s.v))),
  lstrip: (s) => str(lstrip(s.v)),
  rstrip: (s) => str(rstrip(s.v)),
  chomp: (s, [sep]) => (sep && sep.k !== 'str' && sep.k !== 'nil' ? undefined : str(sep?.k === 'nil' ? s.v : chomp(s.v, sep?.k === 'str' ? sep.v : undefined))),
  chop: (s) => str(chop(s.v)),
  reverse: (s) => str([...s.v].reverse().join('')),
  ljust: justify('ljust'), rjust: justify('rjust'), center: justify('center'),
  '*': repeat,
  '+': (s, [o], ctx) => (o?.k === 'str' ? strResult(s.v + o.v) : raise(ctx, 'TypeError', `no implicit conversion of ${implicitName(o)} into String`)),
  '%': (s, [a], ctx) => stringPercent(s.v, a ?? NIL, ctx),
  succ: (s) => str(stringSucc(s.v)),
  next: (s) => str(stringSucc(s.v)),
  upto,
  tr: (s, [a, b]) => (a?.k === 'str' && b?.k === 'str' ? strOrUndefined(translate(s.v, a.v, b.v, false)) : undefined),
  tr_s: (s, [a, b]) => (a?.k === 'str' && b?.k === 'str' ? strOrUndefined(translate(s.v, a.v, b.v, true)) : undefined),
  delete: charSetMethod((s, inSet) => [...s].filter((c) => !inSet(c)).join('')),
  squeeze: charSetMethod(squeeze, true),
  sub: substitution(false),
  gsub: substitution(true),
  delete_prefix: (s, [p]) => (p?.k === 'str' ? str(s.v.startsWith(p.v) ? s.v.slice(p.v.length) : s.v) : undefined),
  delete_suffix: (s, [p]) => (p?.k === 'str' ? str(p.v && s.v.endsWith(p.v) ? s.v.slice(0, -p.v.length) : s.v) : undefined),
  to_s: (s) => s,
  to_str: (s) => s,
  to_sym: (s) => sym(s.v),
  intern: (s) => sym(s.v),
  to_i: (s, [b], ctx) => {
    const base = b?.k === 'int' ? b.v : 10;
    if (base < 0 || base === 1 || base > 36) return raise(ctx, 'ArgumentError', `invalid radix ${base}`);
    return intResult(leadingInteger(s.v, base));
  },
  to_f: (s) => float(leadingFloat(s.v)),
  hex: (s) => intResult(leadingInteger(s.v, 16)),
  oct: (s) => intResult(leadingInteger(s.v, -8)),
  to_r: () => unknown('Rational values are not evaluated'),
  to_c: () => unknown('Complex values are not evaluated'),
  shellescape: (s) => str(shellescape(s.v)),
  unicode_normalize: (s, [form]) => {
    const f = form?.k === 'sym' ? form.v.toUpperCase() : 'NFC';
    return ['NFC', 'NFD', 'NFKC', 'NFKD'].includes(f) ? str(s.v.normalize(f)) : undefined;
  },
  encode: (s, [to]) => sameText(s.v, to),
  force_encoding: (s, [to]) => { const r = sameText(s.v, to); return r.k === 'str' ? s : r; },
  b: (s) => (ascii(s.v) ? str(s.v) : unknown('the bytes of non-ASCII text as a binary string are not evaluated')),
  scrub: (s) => str(s.v),
  dup: (s) => str(s.v),
  clone: (s) => str(s.v),
  '+@': (s) => str(s.v),
  '-@': (s) => s,
  dedup: (s) => s,
  freeze: (s) => s,
  unpack: () => unknown('unpacking binary data is not evaluated'),
  unpack1: () => unknown('unpacking binary data is not evaluated'),
  crypt: () => unknown('String#crypt depends on the system crypt library'),
  to_json: (s) => str(JSON.stringify(s.v)),
};

function strOrUndefined(s: string | undefined): Value | undefined {
  return s === undefined ? undefined : strResult(s);
}
