/**
 * Regexp: Ruby patterns compiled for linear-time matching (cached; `regexRe2.ts` translates them),
 * and the methods of Regexp values. A pattern Cloche cannot run throws `RegexUnsupported`, which
 * `callValueMethod` turns into an unknown carrying its reason.
 */
import { type Value, NIL, str, int, arr, bool, regexpText } from '../values';
import { type MethodTable, unknownArg } from './args';
import { compileRubyRegex, compileLiteral, LinearRegex, RegexUnsupported } from './regexRe2';
import { matchDataValue, utf16ToCharIndex } from './matchData';
import { recordMatch } from './lastMatch';

export { RegexUnsupported, type LinearRegex } from './regexRe2';

const cache = new Map<string, LinearRegex | RegexUnsupported>();

function cached(key: string, make: () => LinearRegex): LinearRegex {
  let r = cache.get(key);
  if (r === undefined) {
    try { r = make(); } catch (e) { if (!(e instanceof RegexUnsupported)) throw e; r = e; }
    if (cache.size > 500) cache.clear();
    cache.set(key, r);
  }
  if (r instanceof RegexUnsupported) throw r;
  return r;
}

/** The compiled form of Ruby regexp source and flags. Throws `RegexUnsupported` for what it cannot run. */
export function rubyRegex(source: string, flags: string): LinearRegex {
  return cached('r' + flags + '/' + source, () => compileRubyRegex(source, flags));
}

/** The compiled regexp, or undefined when Cloche cannot run it (for callers that only test). */
export function safeRegex(source: string, flags: string): LinearRegex | undefined {
  try { return rubyRegex(source, flags); } catch (e) { if (e instanceof RegexUnsupported) return undefined; throw e; }
}

/** A string pattern as a regexp that matches it literally. */
export function literalRegex(s: string): LinearRegex {
  return cached('l' + s, () => compileLiteral(s));
}

/** The matcher for a pattern argument (a string matches literally), or undefined for anything else. */
export function patternRegex(pattern: Value | undefined): LinearRegex | undefined {
  if (pattern?.k === 'str') return literalRegex(pattern.v);
  if (pattern?.k === 'regexp') return rubyRegex(pattern.source, pattern.flags);
  return undefined;
}

type Re = Extract<Value, { k: 'regexp' }>;

/** What `regexp.match(s)` and `s.match(regexp)` share: the MatchData or nil, from a character position. */
export function matchAt(re: Re, s: string, fromChar = 0): Value {
  const from = [...s].slice(0, Math.max(0, fromChar)).join('').length;
  if (fromChar > [...s].length) return NIL;
  const m = rubyRegex(re.source, re.flags).exec(s, from);
  return m ? matchDataValue(m, s) : NIL;
}

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
    const compiled = rubyRegex(re.source, re.flags);
    if (kind === 'match?') return bool(compiled.test(s));
    const m = compiled.exec(s);
    const md = m ? matchDataValue(m, s) : NIL;
    recordMatch(ctx, md);
    if (kind === '===') return bool(!!m);
    if (kind === '=~') return m ? int(utf16ToCharIndex(s, m.index)) : NIL;
    return md;
  };
}

/** Methods of Regexp values. */
export const REGEXP_METHODS: MethodTable<Re> = {
  '=~': search('=~'),
  match: search('match'),
  'match?': search('match?'),
  '===': search('==='),
  source: (re) => str(re.source),
  to_s: (re) => str(regexpText(re.flags, re.source)),
  inspect: (re) => str(`/${re.source}/${['m', 'i', 'x'].filter((f) => re.flags.includes(f)).join('')}`),
  options: (re) => int((re.flags.includes('i') ? 1 : 0) | (re.flags.includes('x') ? 2 : 0) | (re.flags.includes('m') ? 4 : 0)),
  'casefold?': (re) => bool(re.flags.includes('i')),
  names: (re) => arr([...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => str(m[1]))),
  '==': (re, [o]) => bool(o?.k === 'regexp' && o.source === re.source && o.flags === re.flags),
  'eql?': (re, [o]) => bool(o?.k === 'regexp' && o.source === re.source && o.flags === re.flags),
  freeze: (re) => re,
};
