/**
 * Regexp: compiling Ruby patterns to JavaScript ones (cached), and the methods of Regexp values.
 */
import { type Value, NIL, str, int, arr, bool, unknown } from '../values';
import { type MethodTable, unknownArg } from './args';
import { translateRubyRegex } from './regexTranslate';
import { matchDataValue, utf16ToCharIndex } from './matchData';
import { recordMatch } from './lastMatch';

const cache = new Map<string, { source: string; flags: string } | undefined>();

/** A fresh JavaScript RegExp for Ruby source and flags (plus JavaScript flags such as `g`), or undefined. */
export function rubyRegex(source: string, flags: string, extra = ''): RegExp | undefined {
  const key = flags + '/' + source;
  let t = cache.get(key);
  if (!cache.has(key)) {
    t = translateRubyRegex(source, flags);
    if (cache.size > 500) cache.clear();
    cache.set(key, t);
  }
  if (!t) return undefined;
  try {
    return new RegExp(t.source, t.flags + extra);
  } catch {
    return undefined;
  }
}

/** Ruby regexp source in JavaScript terms (\\A, \\z, \\h), or undefined when JavaScript cannot express it. */
export function safeRegex(source: string, flags: string): RegExp | undefined {
  return rubyRegex(source, flags);
}

/** A string pattern as a regexp that matches it literally. */
export function literalRegex(s: string, extra = ''): RegExp {
  return new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), extra);
}

type Re = Extract<Value, { k: 'regexp' }>;

/** What `regexp.match(s)` and `s.match(regexp)` share: the MatchData or nil, from a character position. */
export function matchAt(re: Re, s: string, fromChar = 0): Value | undefined {
  const js = rubyRegex(re.source, re.flags, 'g');
  if (!js) return undefined;
  js.lastIndex = [...s].slice(0, Math.max(0, fromChar)).join('').length;
  const m = js.exec(s);
  return m ? matchDataValue(m, s) : NIL;
}

const notEvaluated = (re: Re): Value => unknown(`the regexp /${re.source}/ uses syntax Cloche does not evaluate`);

/** The string a pattern is matched against, the unknown argument, or undefined for anything else. */
function subject(args: Value[]): string | Value | undefined {
  const u = unknownArg(args);
  if (u) return u;
  const s = args[0];
  return s?.k === 'str' || s?.k === 'sym' ? s.v : undefined;
}

/** `=~`, `match`, `match?`, `===` share one search. */
function search(kind: '=~' | 'match' | 'match?' | '==='): MethodTable<Re>[string] {
  return (re, args, ctx) => {
    const s = subject(args);
    if (typeof s !== 'string') {
      if (s) return s;
      // nil (and for === anything that is not a string) simply does not match.
      if (kind === '=~' || kind === 'match') recordMatch(ctx, NIL);
      return kind === 'match?' || kind === '===' ? bool(false) : args[0]?.k === 'nil' ? NIL : undefined;
    }
    const js = rubyRegex(re.source, re.flags, 'g');
    if (!js) return notEvaluated(re);
    const m = js.exec(s);
    if (kind === 'match?') return bool(!!m);
    const md = m ? matchDataValue(m, s) : NIL;
    recordMatch(ctx, md);
    if (kind === '===') return bool(!!m);
    if (kind === '=~') return m ? int(utf16ToCharIndex(s, m.index)) : NIL;
    return md;
  };
}

function regexpToS(re: Re): string {
  const on = ['m', 'i', 'x'].filter((f) => re.flags.includes(f)).join('');
  const off = ['m', 'i', 'x'].filter((f) => !re.flags.includes(f)).join('');
  return `(?${on}${off ? '-' + off : ''}:${re.source})`;
}

/** Methods of Regexp values. */
export const REGEXP_METHODS: MethodTable<Re> = {
  '=~': search('=~'),
  match: search('match'),
  'match?': search('match?'),
  '===': search('==='),
  source: (re) => str(re.source),
  to_s: (re) => str(regexpToS(re)),
  inspect: (re) => str(`/${re.source}/${['m', 'i', 'x'].filter((f) => re.flags.includes(f)).join('')}`),
  options: (re) => int((re.flags.includes('i') ? 1 : 0) | (re.flags.includes('x') ? 2 : 0) | (re.flags.includes('m') ? 4 : 0)),
  'casefold?': (re) => bool(re.flags.includes('i')),
  names: (re) => arr([...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => str(m[1]))),
  '==': (re, [o]) => bool(o?.k === 'regexp' && o.source === re.source && o.flags === re.flags),
  'eql?': (re, [o]) => bool(o?.k === 'regexp' && o.source === re.source && o.flags === re.flags),
  freeze: (re) => re,
};

