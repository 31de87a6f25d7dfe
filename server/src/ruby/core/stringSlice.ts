/**
 * String methods that take a string apart: `[]`/`slice` (index, start and length, range, regexp with
 * capture, substring), characters, bytes, lines, `split`, `scan`, `partition`.
 */
import { type Value, NIL, str, int, arr } from '../values';
import { type MethodTable, type Str, type Ctx, option, yieldTo } from './args';
import { arrResult, fitsCollection } from './limits';
import { rubyRegex, patternRegex, matchAt } from './regexp';
import { recordMatch } from './lastMatch';
import { matchDataValue } from './matchData';
import { sliceBounds } from './sliceBounds';
import { splitWhitespace, splitString, splitRegex, splitLines } from './stringSplit';

/** `s[…]` for every argument form; undefined for a form not evaluated. */
export function stringIndex(s: string, [a, b]: Value[]): Value | undefined {
  const cs = [...s];
  if (a?.k === 'int' && !b) {
    const i = a.v < 0 ? a.v + cs.length : a.v;
    return i >= 0 && i < cs.length ? str(cs[i]) : NIL;
  }
  if (a?.k === 'str') return s.includes(a.v) ? str(a.v) : NIL;
  if (a?.k === 'regexp') {
    const m = matchAt(a, s);
    if (m.k !== 'object') return m;
    return m.obj.call('[]', [b ?? int(0)], undefined as unknown as Ctx) ?? NIL;
  }
  const rangeForm = a?.k === 'range' && !b && (a.from.k === 'int' || a.from.k === 'nil') && (a.to.k === 'int' || a.to.k === 'nil');
  if (!rangeForm && !(a?.k === 'int' && b?.k === 'int')) return undefined;
  const bounds = sliceBounds(cs.length, a!, b);
  return bounds ? str(cs.slice(bounds.start, bounds.start + bounds.len).join('')) : NIL;
}

/** `split(pattern = nil, limit = 0)`. */
function split(s: Str, [p, l]: Value[], ctx: Ctx): Value | undefined {
  if (l && l.k !== 'int') return undefined;
  const limit = l?.k === 'int' ? l.v : 0;
  let fields: string[] | undefined;
  if (!p || p.k === 'nil') fields = splitWhitespace(s.v, limit);
  else if (p.k === 'str') fields = splitString(s.v, p.v, limit);
  else if (p.k === 'regexp') fields = splitRegex(s.v, rubyRegex(p.source, p.flags), limit);
  if (!fields) return undefined;
  if (ctx.block) { for (const f of fields) yieldTo(ctx, [str(f)]); return s; }
  return arrResult(fields.map(str));
}

/** `scan`: every match (its groups when it has some); `$~` is the match a block is given, then the last one. */
function scan(s: Str, [p]: Value[], ctx: Ctx): Value | undefined {
  const re = patternRegex(p);
  if (!re) return undefined;
  const found: Value[] = [];
  const matches: Value[] = [];
  for (const m of re.matches(s.v)) {
    found.push(m.length > 1 ? arr(m.slice(1).map((x) => (x === undefined ? NIL : str(x)))) : str(m[0]!));
    if (!fitsCollection(found.length)) return arrResult(found);
    matches.push(matchDataValue(m, s.v));
  }
  recordMatch(ctx, matches[matches.length - 1] ?? NIL);
  if (!ctx.block) return arrResult(found);
  found.forEach((f, i) => { recordMatch(ctx, matches[i]); yieldTo(ctx, [f]); });
  return s;
}

/** The first (or, searching back from the end, the last) match of a regexp: [index, length], [-1, 0] for none. */
function regexpAt(s: string, p: Extract<Value, { k: 'regexp' }>, last: boolean): [number, number] {
  const re = rubyRegex(p.source, p.flags);
  const m = last ? re.lastMatchAtOrBefore(s, s.length) : re.exec(s);
  return m ? [m.index, m[0]!.length] : [-1, 0];
}

/** `partition`/`rpartition`: before, separator, after; the last match for rpartition. */
function partition(reverse: boolean): MethodTable<Str>[string] {
  return (s, [p]) => {
    let at = -1, len = 0;
    if (p?.k === 'str') { at = reverse ? s.v.lastIndexOf(p.v) : s.v.indexOf(p.v); len = p.v.length; }
    else if (p?.k === 'regexp') {
      [at, len] = regexpAt(s.v, p, reverse);
    } else return undefined;
    if (at < 0) return arr(reverse ? [str(''), str(''), str(s.v)] : [str(s.v), str(''), str('')]);
    return arr([str(s.v.slice(0, at)), str(s.v.slice(at, at + len)), str(s.v.slice(at + len))]);
  };
}

function lines(s: Str, [sep]: Value[]): string[] | undefined {
  if (sep && sep.k !== 'str' && sep.k !== 'hash') return undefined;
  const chompOpt = option(sep ? [sep] : [], 'chomp');
  return splitLines(s.v, sep?.k === 'str' ? sep.v : '\n', chompOpt?.k === 'bool' && chompOpt.v);
}

/** `each_line`/`each_char`/`each_byte`: yield each piece, return the string. */
function eachOf(pieces: (s: Str, args: Value[]) => Value[] | undefined): MethodTable<Str>[string] {
  return (s, args, ctx) => {
    if (!ctx.block) return undefined;
    const items = pieces(s, args);
    if (!items) return undefined;
    for (const x of items) yieldTo(ctx, [x]);
    return s;
  };
}

const bytesOf = (s: string): Value[] => [...new TextEncoder().encode(s)].map(int);

export const STRING_SLICES: MethodTable<Str> = {
  '[]': (s, args) => stringIndex(s.v, args),
  slice: (s, args) => stringIndex(s.v, args),
  chars: (s) => arrResult([...s.v].map(str)),
  bytes: (s) => arrResult(bytesOf(s.v)),
  lines: (s, args) => { const l = lines(s, args); return l && arrResult(l.map(str)); },
  each_line: eachOf((s, args) => lines(s, args)?.map(str)),
  each_char: eachOf((s) => [...s.v].map(str)),
  each_byte: eachOf((s) => bytesOf(s.v)),
  split,
  scan,
  partition: partition(false),
  rpartition: partition(true),
};
