/**
 * String methods that ask about a string without changing it: sizes, comparisons, searches,
 * pattern matches.
 */
import { recordMatch } from './lastMatch';
import { type Value, NIL, int, bool } from '../values';
import { type MethodTable, type Str, raise } from './args';
import { rubyRegex, matchAt } from './regexp';
import { utf16ToCharIndex } from './matchData';
import { parseCharSets, inAllSets } from './charSets';

const chars = (s: string): string[] => [...s];
const strArgs = (args: Value[]): string[] | undefined => (args.every((a) => a.k === 'str') ? args.map((a) => (a as Str).v) : undefined);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `index`/`rindex` with a string or regexp, from a character position (negative counts from the end). */
function search(s: string, pattern: Value | undefined, from: Value | undefined, reverse: boolean): Value | undefined {
  const cs = chars(s);
  let start = from?.k === 'int' ? from.v : reverse ? cs.length : 0;
  if (start < 0) start += cs.length;
  if (start < 0 || (!reverse && start > cs.length)) return NIL;
  start = Math.min(start, cs.length);
  const unitStart = cs.slice(0, start).join('').length;
  if (pattern?.k === 'str') {
    const at = reverse ? s.lastIndexOf(pattern.v, unitStart) : s.indexOf(pattern.v, unitStart);
    return at < 0 ? NIL : int(utf16ToCharIndex(s, at));
  }
  if (pattern?.k !== 'regexp') return undefined;
  const re = rubyRegex(pattern.source, pattern.flags);
  // Ruby's rindex wants the last match that starts at or before the position.
  const m = reverse ? re.lastMatchAtOrBefore(s, unitStart) : re.exec(s, unitStart);
  return m ? int(utf16ToCharIndex(s, m.index)) : NIL;
}

function startsWith(s: string, args: Value[]): Value | undefined {
  for (const a of args) {
    if (a.k === 'str' && s.startsWith(a.v)) return bool(true);
    if (a.k === 'regexp') {
      if (rubyRegex(a.source, a.flags).execAt(s, 0)) return bool(true);
    } else if (a.k !== 'str') return undefined;
  }
  return bool(false);
}

/** `=~`, `match`, `match?`: a string argument to match/match? is compiled as a regexp (not escaped). */
function matching(kind: '=~' | 'match' | 'match?'): MethodTable<Str>[string] {
  return (s, [p, pos], ctx) => {
    if (kind === '=~' && p?.k === 'str') return raise(ctx, 'TypeError', 'wrong argument type String (expected Regexp)');
    const re: Value | undefined = p?.k === 'str' ? { k: 'regexp', source: p.v, flags: '' } : p;
    if (re?.k !== 'regexp') return undefined;
    const m = matchAt(re, s.v, pos?.k === 'int' ? pos.v : 0);
    if (kind !== 'match?') recordMatch(ctx, m);
    if (m.k === 'nil') return kind === 'match?' ? bool(false) : NIL;
    if (kind === 'match?') return bool(true);
    return kind === 'match' ? m : (m.k === 'object' ? m.obj.call('begin', [int(0)], ctx) : undefined);
  };
}

function compare(op: '<' | '>' | '<=' | '>='): MethodTable<Str>[string] {
  return (s, [o], ctx) => {
    if (o?.k !== 'str') return raise(ctx, 'ArgumentError', `comparison of String with ${o?.k === 'int' ? o.v : o?.k ?? 'nil'} failed`);
    const c = cmp(s.v, o.v);
    return bool(op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0);
  };
}

/** Ruby's simple case folding, close enough for ASCII and the Latin letters cookbooks contain. */
const fold = (s: string): string => s.toLowerCase();

export const STRING_QUERIES: MethodTable<Str> = {
  length: (s) => int(chars(s.v).length),
  size: (s) => int(chars(s.v).length),
  bytesize: (s) => int(new TextEncoder().encode(s.v).length),
  'empty?': (s) => bool(s.v.length === 0),
  'include?': (s, [o], ctx) => (o?.k === 'str' ? bool(s.v.includes(o.v)) : raise(ctx, 'TypeError', `no implicit conversion of ${o?.k ?? 'nil'} into String`)),
  'start_with?': (s, args) => startsWith(s.v, args),
  'end_with?': (s, args) => { const p = strArgs(args); return p ? bool(p.some((x) => s.v.endsWith(x))) : undefined; },
  index: (s, [p, from]) => search(s.v, p, from, false),
  rindex: (s, [p, from]) => search(s.v, p, from, true),
  count: (s, args) => {
    const specs = strArgs(args);
    const sets = specs && specs.length ? parseCharSets(specs) : undefined;
    return sets ? int(chars(s.v).filter((c) => inAllSets(c, sets)).length) : undefined;
  },
  ord: (s, _a, ctx) => (s.v.length ? int(s.v.codePointAt(0)!) : raise(ctx, 'ArgumentError', 'empty string')),
  '==': (s, [o]) => bool(o?.k === 'str' && o.v === s.v),
  '===': (s, [o]) => bool(o?.k === 'str' && o.v === s.v),
  'eql?': (s, [o]) => bool(o?.k === 'str' && o.v === s.v),
  '<=>': (s, [o]) => (o?.k === 'str' ? int(cmp(s.v, o.v)) : NIL),
  '<': compare('<'), '>': compare('>'), '<=': compare('<='), '>=': compare('>='),
  'between?': (s, [a, b]) => (a?.k === 'str' && b?.k === 'str' ? bool(s.v >= a.v && s.v <= b.v) : undefined),
  casecmp: (s, [o]) => {
    if (o?.k !== 'str') return NIL;
    const a = s.v.replace(/[A-Z]/g, (c) => c.toLowerCase()), b = o.v.replace(/[A-Z]/g, (c) => c.toLowerCase());
    return int(cmp(a, b));
  },
  'casecmp?': (s, [o]) => (o?.k === 'str' ? bool(fold(s.v) === fold(o.v)) : NIL),
  '=~': matching('=~'),
  match: matching('match'),
  'match?': matching('match?'),
  'ascii_only?': (s) => bool(/^[\x00-\x7f]*$/.test(s.v)),
  'valid_encoding?': () => bool(true),
};
