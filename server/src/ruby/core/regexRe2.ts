/**
 * Ruby (Onigmo) regexps matched in linear time. A recipe's pattern is translated to RE2's syntax and
 * run by re2js (a JavaScript port of RE2), never by JavaScript's backtracking RegExp, so no pattern
 * can run for ever (`/^(a+)+$/` on `'a' * 40 + '!'` answers nil at once) and the server keeps
 * answering other documents.
 *
 * Most of what cookbooks write means the same in both; the differences are translated: `\A`, `\z`,
 * `\h`, `\e`, Ruby's `\s` (with `\v`), `(?<name>…)` (plain groups then do not capture, as in Ruby),
 * the `x` flag, `m` (Ruby's "dot matches newline"), `^`/`$` always at line ends, `{,n}`, inline
 * `(?i-m:…)`, POSIX brackets and `\p{…}`. Lookbehind runs (re2js has a linear-time one).
 * What RE2 cannot run — backreferences, lookahead, atomic groups, possessive quantifiers,
 * subexpression calls — throws `RegexUnsupported` with a reason that says so, which the core turns
 * into an unknown. Some constructs are exact only on some subjects, and refuse the others:
 * `\Z` before a final line break, POSIX classes, `\p{Alpha}` and `\b` on non-ASCII text (Ruby's
 * Unicode definitions are not reproduced), `i` on text with characters Ruby folds to several
 * (`ß` matches `/ss/i`). Positions are UTF-16 offsets, as JavaScript strings count.
 */
import { RE2JS } from 're2js';

/** A pattern (or a pattern on this subject) that Cloche will not match: `reason` says why. */
export class RegexUnsupported extends Error {
  constructor(readonly reason: string) { super(reason); }
}

/** A match: `[whole, group 1, …]` (undefined for a group that did not take part), where it starts, named groups. */
export interface RegexMatch extends Array<string | undefined> {
  index: number;
  groups?: Record<string, string | undefined>;
}

/** Past this much time in one call's loop of searches (a global substitution, a backwards search), the call gives up. */
export const REGEX_CALL_MS = 2_000;

/** Thrown inside the translation: what Ruby syntax the pattern uses that RE2 lacks. */
class Untranslatable { constructor(readonly what: string) {} }

const fail = (what: string): never => { throw new Untranslatable(what); };

/** POSIX bracket names (RE2 has them all, with ASCII meanings). Ruby's are Unicode-aware except these two. */
const POSIX_NAMES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const POSIX_ASCII_IN_RUBY = new Set(['ascii', 'xdigit']);

/** Ruby's `\s` is `[ \t\r\n\f\v]`; RE2's lacks `\v`. */
const SPACE = '\\t\\n\\v\\f\\r ';
const HEX = '0-9A-Fa-f';
/** Characters Ruby's case folding maps to several (ß → ss, ligatures, some Greek), which RE2's simple folding does not. */
const MULTI_FOLD = /[\u00DF\u0130\u0149\u01F0\u0390\u03B0\u0587\u1E96-\u1E9A\u1E9E\u1F50-\u1FFC\uFB00-\uFB06\uFB13-\uFB17]/;

interface Translation {
  source: string;
  /** Exact only when the subject is ASCII (POSIX classes, `\p{Alpha}`, `\b`). */
  asciiOnly: boolean;
  /** Uses `\Z` (translated as `\z`: exact unless the subject ends with a line break). */
  endZ: boolean;
  /** Case-insensitive somewhere. */
  caseFold: boolean;
  lookbehind: boolean;
}

/** Drops whitespace and `#` comments outside classes, as Ruby's `x` flag does (an escaped space stays). */
function stripExtended(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { out += c + (src[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (c === ' ' || (c >= '\t' && c <= '\r')) continue;
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    out += c;
  }
  return out;
}

/** Ruby source → RE2 source, one token at a time. */
class Translator {
  private i = 0;
  private out = '';
  readonly t: Omit<Translation, 'source'> = { asciiOnly: false, endZ: false, caseFold: false, lookbehind: false };

  constructor(private readonly src: string, private readonly hasNames: boolean, caseFold: boolean, private readonly extended: boolean) {
    this.t.caseFold = caseFold;
  }

  run(): string {
    const s = this.src;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '\\') this.out += this.escape(false);
      else if (c === '[') this.out += this.charClass();
      else if (c === '(') this.out += this.group();
      else if (c === '*' || c === '+' || c === '?') { this.i++; this.out += c + this.quantifierSuffix(); }
      else if (c === '{') this.out += this.interval();
      else { this.out += c; this.i++; }
    }
    return this.out;
  }

  /** After a quantifier: `?` makes it lazy; `+` makes it possessive, which RE2 lacks. */
  private quantifierSuffix(): string {
    const n = this.src[this.i];
    if (n === '?') { this.i++; return '?'; }
    if (n === '+') fail('a possessive quantifier');
    return '';
  }

  /** `{n}`, `{n,}`, `{,m}`, `{n,m}`; a brace that is no interval is literal, as in Ruby. */
  private interval(): string {
    const m = /^\{(\d*)(,(\d*))?\}/.exec(this.src.slice(this.i, this.i + 24));
    if (!m || (m[1] === '' && (m[3] ?? '') === '')) { this.i++; return '\\{'; }
    this.i += m[0].length;
    if (Number(m[1] || 0) > 1000 || Number(m[3] || 0) > 1000) fail('a repetition count above 1000');
    const body = m[2] === undefined ? m[1] : `${m[1] || '0'},${m[3]}`;
    const next = this.src[this.i];
    if (next === '+') fail('a repeated interval ({n,m}+)');
    if (next === '?') { this.i++; return `{${body}}?`; }
    return `{${body}}`;
  }

  private group(): string {
    const s = this.src;
    const rest = s.slice(this.i, this.i + 4);
    if (!rest.startsWith('(?')) { this.i++; return this.hasNames ? '(?:' : '('; }
    if (rest.startsWith('(?#')) {
      const close = s.indexOf(')', this.i);
      if (close < 0) fail('an unterminated comment group');
      this.i = close + 1;
      return '';
    }
    if (rest.startsWith('(?:')) { this.i += 3; return '(?:'; }
    if (/^\(\?<[=!]/.test(rest)) { this.t.lookbehind = true; this.i += 4; return rest; }
    const named = /^\(\?(?:<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(s.slice(this.i, this.i + 80));
    if (named) { this.i += named[0].length; return `(?P<${named[1] ?? named[2]}>`; }
    if (/^\(\?[=!]/.test(rest)) fail('a lookahead');
    if (rest.startsWith('(?>')) fail('an atomic group');
    if (rest.startsWith('(?~')) fail('an absent operator (?~…)');
    if (rest.startsWith('(?(')) fail('a conditional group');
    const flags = /^\(\?([imx]*)(?:-([imx]*))?([:)])/.exec(s.slice(this.i, this.i + 12));
    if (!flags) fail('the group syntax ' + s.slice(this.i, this.i + 3) + '…');
    const [whole, on, off = '', end] = flags!;
    // `(?-mix:…)` is how an interpolated Regexp reads (`/#{re}/`): turning x off is nothing to do
    // unless the whole pattern is extended (its spaces were dropped already); turning it on is not run.
    if (on.includes('x') || (off.includes('x') && this.extended)) fail('an inline x flag');
    if (on.includes('i')) this.t.caseFold = true;
    this.i += whole.length;
    // Ruby's m is RE2's s; RE2's own m (^ and $ at lines) stays on throughout.
    const re2 = (f: string) => f.replace('m', 's');
    const offFlags = re2(off.replace('x', ''));
    const spec = re2(on) + (offFlags ? '-' + offFlags : '');
    if (!spec) return end === ':' ? '(?:' : '';
    return `(?${spec}${end}`;
  }

  /** `[…]`: ranges, escapes and POSIX brackets; nested classes and `&&` have no RE2 form. */
  private charClass(): string {
    const s = this.src;
    this.i++;
    let body = '[';
    if (s[this.i] === '^') { body += '^'; this.i++; }
    let first = true;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ']' && !first) { this.i++; return body + ']'; }
      first = false;
      if (c === '\\') { body += this.escape(true); continue; }
      if (c === '[' && s[this.i + 1] === ':') { body += this.posix(); continue; }
      if (c === '[') fail('a nested character class');
      if (c === '&' && s[this.i + 1] === '&') fail('a character class intersection (&&)');
      body += c === ']' ? '\\]' : c;
      this.i++;
    }
    return fail('an unterminated character class');
  }

  /** `[:alpha:]` and `[:^alpha:]` inside a class. */
  private posix(): string {
    const m = /^\[:(\^?)(\w+):\]/.exec(this.src.slice(this.i, this.i + 16));
    if (!m || !POSIX_NAMES.has(m[2])) return fail('the POSIX bracket ' + this.src.slice(this.i, this.i + 10));
    this.i += m[0].length;
    if (!POSIX_ASCII_IN_RUBY.has(m[2])) this.t.asciiOnly = true;
    return m[0];
  }

  /** `\p{Name}`, `\p{^Name}`, `\P{Name}`: POSIX-like names, Unicode categories and scripts. */
  private property(inClass: boolean): string {
    const m = /^\\([pP])\{(\^?)([^}]*)\}/.exec(this.src.slice(this.i, this.i + 64));
    if (!m) return fail('the property escape ' + this.src.slice(this.i, this.i + 4));
    this.i += m[0].length;
    const negate = (m[1] === 'P') !== (m[2] === '^');
    const name = m[3].replace(/[\s_-]/g, '').toLowerCase();
    if (POSIX_NAMES.has(name)) {
      if (!POSIX_ASCII_IN_RUBY.has(name)) this.t.asciiOnly = true;
      const cls = `[:${negate ? '^' : ''}${name}:]`;
      return inClass ? cls : `[${cls}]`;
    }
    if (name === 'any') {
      if (negate) fail('\\P{Any}');
      return inClass ? '\\x{0}-\\x{10FFFF}' : '[\\x{0}-\\x{10FFFF}]';
    }
    const re2Name = [m[3], m[3].length <= 2 ? m[3][0].toUpperCase() + m[3].slice(1).toLowerCase() : m[3][0].toUpperCase() + m[3].slice(1)]
      .find((n) => { try { RE2JS.compile(`\\p{${n}}`); return true; } catch { return false; } });
    if (!re2Name) return fail(`the property \\p{${m[3]}}`);
    return `\\${negate ? 'P' : 'p'}{${re2Name}}`;
  }

  /** The escape at `\`, inside a class or not. */
  private escape(inClass: boolean): string {
    const s = this.src;
    const e = s[this.i + 1];
    if (e === undefined) return fail('a trailing backslash');
    if (e === 'p' || e === 'P') return this.property(inClass);
    if (e === 'x') return this.hexEscape();
    if (e === 'u') return this.unicodeEscape();
    this.i += 2;
    switch (e) {
      case 'n': case 't': case 'r': case 'f': case 'v': case 'a': case 'd': case 'D': case 'w': case 'W': return '\\' + e;
      case 'e': return '\\x{1b}';
      case 's': return inClass ? SPACE : `[${SPACE}]`;
      case 'S': return inClass ? '[:^space:]' : `[^${SPACE}]`;
      case 'h': return inClass ? HEX : `[${HEX}]`;
      case 'H': return inClass ? '[:^xdigit:]' : `[^${HEX}]`;
      case 'b': if (inClass) return '\\x{8}'; this.t.asciiOnly = true; return '\\b';
      case 'B': if (inClass) break; this.t.asciiOnly = true; return '\\B';
      case 'A': case 'z': if (inClass) break; return '\\' + e;
      case 'Z': if (inClass) break; this.t.endZ = true; return '\\z';
      case '0': {
        const oct = /^[0-7]{0,2}/.exec(s.slice(this.i))![0];
        this.i += oct.length;
        return `\\x{${parseInt('0' + oct, 8).toString(16)}}`;
      }
      case 'k': return fail('a named backreference (\\k<…>)');
      case 'g': return fail('a subexpression call (\\g<…>)');
      default: break;
    }
    if (/[1-9]/.test(e)) return fail(inClass ? 'an octal escape in a class' : `a backreference (\\${e})`);
    if (/[A-Za-z]/.test(e)) return fail(`the escape \\${e}`);
    // Punctuation, spaces and other characters stand for themselves; RE2 only accepts ASCII ones escaped.
    const cp = s.codePointAt(this.i - 1)!;
    if (cp > 0x7f) { this.i += cp > 0xffff ? 1 : 0; return String.fromCodePoint(cp); }
    return '\\' + e;
  }

  /** `\xH` or `\xHH`. */
  private hexEscape(): string {
    const m = /^\\x([0-9A-Fa-f]{1,2})/.exec(this.src.slice(this.i, this.i + 4));
    if (!m) return fail('an empty \\x escape');
    this.i += m[0].length;
    return `\\x{${m[1]}}`;
  }

  /** `\uHHHH` or `\u{H…}` (one code point). */
  private unicodeEscape(): string {
    const m = /^\\u(?:([0-9A-Fa-f]{4})|\{\s*([0-9A-Fa-f]{1,6})\s*\})/.exec(this.src.slice(this.i, this.i + 14));
    if (!m) return fail('the escape ' + this.src.slice(this.i, this.i + 6));
    this.i += m[0].length;
    return `\\x{${m[1] ?? m[2]}}`;
  }
}

/** How a pattern reads in a reason: short, as Ruby writes it. */
function shown(source: string): string {
  return '/' + (source.length > 60 ? source.slice(0, 57) + '…' : source) + '/';
}

/** What RE2 said, in words that name the Ruby construct where it can. */
function re2Complaint(message: string): string {
  if (/lookbehind|captur/i.test(message) && /look/i.test(message)) return 'a capture group inside a lookbehind';
  if (/duplicate capture group name/.test(message)) return 'a group name used twice';
  if (/invalid repeat count/.test(message)) return 'a repetition count RE2 does not allow';
  if (/nested repetition/.test(message)) return 'a repeated quantifier';
  return `syntax RE2 does not accept (${message.replace(/^error parsing regexp: /, '')})`;
}

/**
 * A Ruby regexp compiled for linear-time matching. Methods take the subject and a UTF-16 offset and
 * throw `RegexUnsupported` for a subject the translation is not exact on.
 */
export class LinearRegex {
  /** Group names, in the order Ruby lists them. */
  readonly names: string[];
  private readonly nameIndex: [string, number][];

  constructor(
    readonly rubySource: string,
    private readonly re: RE2JS,
    private readonly t: Omit<Translation, 'source'>,
  ) {
    this.nameIndex = Object.entries(re.namedGroups()).sort((a, b) => a[1] - b[1]);
    this.names = this.nameIndex.map(([n]) => n);
  }

  private check(s: string): void {
    const t = this.t;
    if (t.endZ && s.endsWith('\n')) throw new RegexUnsupported(`${shown(this.rubySource)} uses \\Z, which is not evaluated on text ending with a line break`);
    if (t.asciiOnly && !isAscii(s)) {
      throw new RegexUnsupported(`${shown(this.rubySource)} uses POSIX classes, \\p{…} or \\b, whose Unicode meaning in Ruby Cloche does not evaluate on non-ASCII text`);
    }
    if (t.caseFold && (MULTI_FOLD.test(s) || MULTI_FOLD.test(this.rubySource))) {
      throw new RegexUnsupported(`${shown(this.rubySource)} ignores case on text with characters Ruby folds to several (ß, ligatures), which Cloche does not evaluate`);
    }
  }

  /** Whether the pattern matches anywhere in `s`. */
  test(s: string): boolean {
    this.check(s);
    return this.re.test(s);
  }

  /** The first match starting at or after `from`, or null. */
  exec(s: string, from = 0): RegexMatch | null {
    this.check(s);
    if (from > s.length) return null;
    const m = this.re.matcher(s);
    return m.find(from) ? this.matchOf(m) : null;
  }

  /** A match starting exactly at `at`, or null (the leftmost match from `at` starts there if any does). */
  execAt(s: string, at: number): RegexMatch | null {
    const m = this.exec(s, at);
    return m && m.index === at ? m : null;
  }

  /**
   * Every match from `from` on, as Ruby's `scan`/`gsub` find them: after an empty match the next
   * search starts one character further. Bounded in time (`REGEX_CALL_MS`).
   */
  *matches(s: string, from = 0): Generator<RegexMatch> {
    this.check(s);
    const matcher = this.re.matcher(s);
    const guard = callGuard(this.rubySource);
    let at = from;
    while (at <= s.length && matcher.find(at)) {
      const m = this.matchOf(matcher);
      yield m;
      const end = m.index + m[0]!.length;
      at = end > m.index ? end : end + charLength(s, end);
      guard();
    }
  }

  /**
   * The match that starts last at or before `at` (Ruby's `rindex`), or null. The nearest starts are
   * tried first (cheap when a match starts close to `at`); then the starts are enumerated forwards,
   * one search per match instead of one per position. Bounded in time.
   */
  lastMatchAtOrBefore(s: string, at: number): RegexMatch | null {
    this.check(s);
    const matcher = this.re.matcher(s);
    const guard = callGuard(this.rubySource);
    const top = Math.min(at, s.length);
    const nearest = Math.max(0, top - 16);
    for (let p = top; p >= nearest; p--) {
      if (p > 0 && p < s.length && isLowSurrogate(s.charCodeAt(p))) continue;
      if (matcher.find(p) && matcher.start() === p) return this.matchOf(matcher);
      guard();
    }
    let last: RegexMatch | null = null;
    for (let p = 0; p < nearest && matcher.find(p) && matcher.start() < nearest; p = matcher.start() + charLength(s, matcher.start())) {
      last = this.matchOf(matcher);
      guard();
    }
    return last;
  }

  private matchOf(m: ReturnType<RE2JS['matcher']>): RegexMatch {
    const out = [] as unknown as RegexMatch;
    for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? undefined);
    out.index = m.start();
    if (this.nameIndex.length) {
      const groups: Record<string, string | undefined> = {};
      for (const [name, index] of this.nameIndex) groups[name] = out[index];
      out.groups = groups;
    }
    return out;
  }
}

const isAscii = (s: string): boolean => !/[^\x00-\x7f]/.test(s);
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
/** UTF-16 units of the character at `at` (a pair for astral characters), 1 at the end. */
export const charLength = (s: string, at: number): number => ((s.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);

/** A check to call after each search of one call: past REGEX_CALL_MS it refuses the call. */
export function callGuard(source: string): () => void {
  const started = Date.now();
  return () => {
    if (Date.now() - started > REGEX_CALL_MS) {
      throw new RegexUnsupported(`${shown(source)} searched for more than ${REGEX_CALL_MS / 1000} s in one call; the rest is not evaluated`);
    }
  };
}

/**
 * Compiles Ruby regexp source with its flags (`i`, `m`, `x`). Throws `RegexUnsupported` when the
 * pattern uses what RE2 cannot run.
 */
export function compileRubyRegex(rubySource: string, rubyFlags: string): LinearRegex {
  const src = rubyFlags.includes('x') ? stripExtended(rubySource) : rubySource;
  const hasNames = /\(\?(<[A-Za-z_]|'[A-Za-z_])/.test(src);
  let translator: Translator;
  let source: string;
  try {
    translator = new Translator(src, hasNames, rubyFlags.includes('i'), rubyFlags.includes('x'));
    source = translator.run();
  } catch (e) {
    if (e instanceof Untranslatable) throw new RegexUnsupported(`${shown(rubySource)} uses ${e.what}, which Cloche's linear-time regexp matcher cannot evaluate`);
    throw e;
  }
  const t = translator.t;
  let flags = RE2JS.MULTILINE;
  if (rubyFlags.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
  if (rubyFlags.includes('m')) flags |= RE2JS.DOTALL;
  if (t.lookbehind) flags |= RE2JS.LOOKBEHINDS;
  try {
    return new LinearRegex(rubySource, RE2JS.compile(source, flags), t);
  } catch (e) {
    throw new RegexUnsupported(`${shown(rubySource)} uses ${re2Complaint((e as Error).message ?? String(e))}, which Cloche's linear-time regexp matcher cannot evaluate`);
  }
}

/** A pattern matching `text` literally (a string given where Ruby accepts a pattern). */
export function compileLiteral(text: string): LinearRegex {
  return new LinearRegex(RE2JS.quote(text), RE2JS.compile(RE2JS.quote(text)), { asciiOnly: false, endZ: false, caseFold: false, lookbehind: false });
}
