/**
 * Splitting strings the way Ruby does: `split` (whitespace "awk" mode, string or regexp separators
 * with captures kept, the limit argument, trailing empty fields dropped), `lines`, `partition`.
 */
import { literalRegex } from './regexp';
import { type LinearRegex, callGuard, charLength } from './regexRe2';
import { MAX_COLLECTION_SIZE } from './limits';

const isSpace = (c: string): boolean => c === ' ' || (c >= '\t' && c <= '\r');

/** Ruby's trailing rule: a remainder is kept when a limit was given or it is not empty. */
function finish(s: string, fields: string[], rest: string, limit: number): string[] {
  if (s.length > 0 && (limit !== 0 || rest.length > 0)) fields.push(rest);
  if (limit === 0) while (fields.length && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/** `split(' ')` and `split` with no pattern: runs of whitespace separate, leading whitespace is ignored. */
export function splitWhitespace(s: string, limit: number): string[] {
  const fields: string[] = [];
  let p = 0;
  while (p < s.length && isSpace(s[p])) p++;
  let beg = p;
  while (p < s.length) {
    if (limit > 0 && fields.length === limit - 1) break;
    let q = p;
    while (q < s.length && !isSpace(s[q])) q++;
    if (q >= s.length) break;
    fields.push(s.slice(beg, q));
    while (q < s.length && isSpace(s[q])) q++;
    beg = p = q;
  }
  return finish(s, fields, s.slice(beg), limit);
}

/** `split(regexp)` (and string separators, as literal regexps), with Ruby's handling of empty matches. */
export function splitRegex(s: string, re: LinearRegex, limit: number): string[] {
  if (limit === 1) return s.length ? [s] : [];
  const guard = callGuard(re.rubySource);
  const fields: string[] = [];
  let beg = 0, start = 0, lastNull = false;
  // Ruby counts separators, not fields: captured groups do not count toward the limit.
  let pieces = 1;
  while (start <= s.length) {
    const m = re.exec(s, start);
    if (!m) break;
    guard();
    if (start === m.index && m[0] === '') {
      // An empty match splits between characters: the first one at a position only moves on.
      if (s.length === 0) { fields.push(''); break; }
      if (!lastNull) { start += start === s.length ? 1 : charLength(s, start); lastNull = true; continue; }
      fields.push(s.slice(beg, beg + charLength(s, beg)));
      beg = start;
    } else {
      fields.push(s.slice(beg, m.index));
      beg = start = m.index + m[0]!.length;
    }
    lastNull = false;
    for (const group of m.slice(1)) if (group !== undefined) fields.push(group);
    if (limit > 0 && limit <= ++pieces) break;
    // Past the bound the caller answers "too large"; building the rest would only cost memory.
    if (fields.length > MAX_COLLECTION_SIZE) return fields;
  }
  return finish(s, fields, beg >= s.length ? '' : s.slice(beg), limit);
}

/** `split(pattern, limit)` for a string pattern. */
export function splitString(s: string, sep: string, limit: number): string[] {
  return sep === ' ' ? splitWhitespace(s, limit) : splitRegex(s, literalRegex(sep), limit);
}

/** `lines(separator)`: each line keeps its separator; `chomp` drops it. A paragraph separator (`''`) is a run of blank lines. */
export function splitLines(s: string, sep = '\n', chomp = false): string[] {
  if (s === '') return [];
  const out: string[] = [];
  const paragraph = sep === '';
  let at = 0;
  for (;;) {
    let found: number, length: number;
    if (paragraph) {
      found = s.indexOf('\n\n', at);
      length = 2;
      while (found >= 0 && s[found + length] === '\n') length++;
    } else {
      found = s.indexOf(sep, at);
      length = sep.length;
    }
    if (found < 0) break;
    const end = found + length;
    const line = chomp ? s.slice(at, found) : s.slice(at, paragraph ? found + 2 : end);
    // chomp: true drops "\r\n" as a whole, as String#chomp does.
    out.push(chomp && sep === '\n' && line.endsWith('\r') ? line.slice(0, -1) : line);
    at = end;
  }
  if (at < s.length) out.push(s.slice(at));
  return out;
}
