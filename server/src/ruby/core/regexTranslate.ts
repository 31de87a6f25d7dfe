/**
 * Ruby (Onigmo) regexp source in JavaScript terms. Most of what cookbooks write means the same in
 * both; the differences are translated (`\A`, `\z`, `\Z`, `\h`, POSIX brackets, the `x` flag, `^`/`$`
 * always matching at line ends) and what JavaScript cannot express (atomic groups, possessive
 * quantifiers, inline flags, `\G`, `\p{…}`) makes the translation fail, so callers say "not evaluated"
 * instead of matching differently.
 */

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\r\\n\\f\\v',
  xdigit: '0-9A-Fa-f', word: '\\w', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** Escapes outside a character class that have another meaning (or none) in JavaScript. */
const OUTSIDE: Record<string, string> = {
  e: '\\x1b', a: '\\x07', A: '(?<![\\s\\S])', z: '(?![\\s\\S])', Z: '(?=\\n?(?![\\s\\S]))', h: '[0-9a-fA-F]', H: '[^0-9a-fA-F]',
};
const UNSUPPORTED_ESCAPES = new Set(['G', 'p', 'P', 'R', 'X', 'K', 'g']);

interface Translated { source: string; flags: string }

/** Drops whitespace and `#` comments outside classes, as Ruby's `x` flag does. */
function stripExtended(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { out += c + (src[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (c === ']') inClass = false; out += c; continue; }
    if (c === '[') { inClass = true; out += c; continue; }
    if (/\s/.test(c)) continue;
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    out += c;
  }
  return out;
}

/** The body of a character class starting after `[`; returns the translation and the index of `]`. */
function translateClass(src: string, start: number): { body: string; end: number } | undefined {
  let body = '';
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === ']' && i > start) return { body, end: i };
    if (c === '\\') {
      const e = src[i + 1];
      if (e === 'h') body += '0-9a-fA-F';
      else if (UNSUPPORTED_ESCAPES.has(e) || e === 'H') return undefined;
      else body += c + (e ?? '');
      i++;
      continue;
    }
    if (c === '[' && src[i + 1] === ':') {
      const m = /^\[:(\^?)(\w+):\]/.exec(src.slice(i));
      if (!m || !POSIX[m[2]] || m[1]) return undefined;
      body += POSIX[m[2]];
      i += m[0].length - 1;
      continue;
    }
    // Ruby's nested classes and `&&` intersections have no JavaScript counterpart here.
    if (c === '[' || (c === '&' && src[i + 1] === '&')) return undefined;
    body += c;
  }
  return undefined;
}

/** Translates a group opening at `(`; undefined for constructs JavaScript lacks. */
function groupOpening(src: string, i: number, hasNames: boolean): { text: string; skip: number } | undefined {
  const rest = src.slice(i, i + 4);
  if (rest.startsWith('(?<') && !/^\(\?<[=!]/.test(rest)) return { text: '(?<', skip: 3 };
  if (/^\(\?[:=!]/.test(rest) || /^\(\?<[=!]/.test(rest)) return { text: '', skip: 0 };
  if (rest.startsWith('(?')) return undefined; // (?>atomic), (?i) inline flags, (?#comment)
  // With named groups Ruby does not capture the plain ones, so they must not shift the numbering.
  return hasNames ? { text: '(?:', skip: 1 } : { text: '', skip: 0 };
}

/** Translates Ruby regexp source and flags (`imx`); undefined when JavaScript cannot express it. */
export function translateRubyRegex(rubySource: string, rubyFlags: string): Translated | undefined {
  const src = rubyFlags.includes('x') ? stripExtended(rubySource) : rubySource;
  const hasNames = /\(\?<[A-Za-z_]/.test(src);
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      if (UNSUPPORTED_ESCAPES.has(e)) return undefined;
      out += OUTSIDE[e] ?? c + e;
      i++;
    } else if (c === '[') {
      const cls = translateClass(src, src[i + 1] === '^' ? i + 2 : i + 1);
      if (!cls) return undefined;
      out += (src[i + 1] === '^' ? '[^' : '[') + cls.body + ']';
      i = cls.end;
    } else if (c === '(') {
      const g = groupOpening(src, i, hasNames);
      if (!g) return undefined;
      out += g.text || c;
      i += Math.max(g.skip, 1) - 1;
    } else if (c === '+' && i > 0 && /[*+?]/.test(src[i - 1]) && src[i - 2] !== '\\') {
      return undefined; // possessive quantifier (a++, a*+, a?+)
    } else out += c;
  }
  // Ruby's ^ and $ always match at line boundaries (JavaScript's m); Ruby's m is JavaScript's s.
  const flags = 'm' + (rubyFlags.includes('i') ? 'i' : '') + (rubyFlags.includes('m') ? 's' : '');
  return { source: out, flags };
}
