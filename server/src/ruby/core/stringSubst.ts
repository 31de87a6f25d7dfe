/**
 * `sub` and `gsub`: a string pattern matches literally, a regexp as Ruby's; the replacement is a
 * string with back-references (`\0` `\&` `\1`…`\9` `\k<name>` `` \` `` `\'` `\\`), a hash looked up by
 * the matched text, or a block given the matched text.
 */
import { type Value, findUnknown, hashGet, str, unknown } from '../values';
import type { LinearRegex, RegexMatch } from './regexRe2';
import { rubyToS } from './display';
import { fitsString, tooLarge } from './limits';

/** One match being replaced. */
export interface Match { text: string; groups: (string | undefined)[]; named?: Record<string, string | undefined>; index: number; subject: string; found: RegexMatch }

/** Expands the back-references of a replacement string for one match. */
export function expandReplacement(rep: string, m: Match): string {
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c !== '\\' || i + 1 >= rep.length) { out += c; continue; }
    const e = rep[++i];
    if (/\d/.test(e)) out += e === '0' ? m.text : m.named ? '' : m.groups[Number(e) - 1] ?? '';
    else if (e === '&') out += m.text;
    else if (e === '`') out += m.subject.slice(0, m.index);
    else if (e === "'") out += m.subject.slice(m.index + m.text.length);
    else if (e === '\\') out += '\\';
    else if (e === 'k' && rep[i + 1] === '<' && rep.indexOf('>', i) > 0) {
      const close = rep.indexOf('>', i);
      out += m.named?.[rep.slice(i + 2, close)] ?? '';
      i = close;
    } else out += '\\' + e;
  }
  return out;
}

/** What each match is replaced by. */
export type Replacer = (m: Match) => Value;

/** The replacer for a `sub`/`gsub` second argument or block; undefined when the form is not evaluated. */
export function replacerFor(rep: Value | undefined, block: Replacer | undefined): Replacer | undefined {
  if (rep?.k === 'str') return (m) => str(expandReplacement(rep.v, m));
  if (rep?.k === 'hash') return (m) => hashGet(rep, str(m.text)) ?? str('');
  if (!rep && block) return block;
  return undefined;
}

/**
 * Replaces the first (or every) match; an unknown replacement makes the whole result unknown, and
 * so does a result past the string bound (checked as it grows, so it never is built).
 */
export function substitute(s: string, re: LinearRegex, replace: Replacer, global: boolean): Value {
  const pieces: string[] = [];
  let length = 0, copied = 0;
  for (const found of global ? re.matches(s) : [re.exec(s)]) {
    if (!found) break;
    const text = found[0]!;
    const m: Match = { text, groups: found.slice(1), named: found.groups, index: found.index, subject: s, found };
    const v = replace(m);
    const u = findUnknown(v);
    if (u) return unknown(u.reason, u.loc);
    const piece = s.slice(copied, found.index) + rubyToS(v);
    length += piece.length;
    if (!fitsString(length)) return tooLarge('the resulting string');
    pieces.push(piece);
    copied = found.index + text.length;
  }
  const out = pieces.join('') + s.slice(copied);
  return fitsString(out.length) ? str(out) : tooLarge('the resulting string');
}
