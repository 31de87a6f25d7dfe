/**
 * `sub` and `gsub`: a string pattern matches literally, a regexp as Ruby's; the replacement is a
 * string with back-references (`\0` `\&` `\1`…`\9` `\k<name>` `` \` `` `\'` `\\`), a hash looked up by
 * the matched text, or a block given the matched text.
 */
import { type Value, findUnknown, hashGet, str, unknown } from '../values';
import { rubyRegex, literalRegex } from './regexp';
import { rubyToS } from './display';
import { fitsString, tooLarge } from './limits';

interface Match { text: string; groups: (string | undefined)[]; named?: Record<string, string | undefined>; index: number; subject: string }

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
export function replacerFor(rep: Value | undefined, block: ((matched: string) => Value) | undefined): Replacer | undefined {
  if (rep?.k === 'str') return (m) => str(expandReplacement(rep.v, m));
  if (rep?.k === 'hash') return (m) => hashGet(rep, str(m.text)) ?? str('');
  if (!rep && block) return (m) => block(m.text);
  return undefined;
}

/** The JavaScript regexp for a pattern argument, or undefined. */
export function patternRegex(pattern: Value | undefined, global: boolean): RegExp | undefined {
  const g = global ? 'g' : '';
  if (pattern?.k === 'str') return literalRegex(pattern.v, g);
  if (pattern?.k === 'regexp') return rubyRegex(pattern.source, pattern.flags, g);
  return undefined;
}

/** Replaces the first (or every) match; an unknown replacement makes the whole result unknown. */
export function substitute(s: string, re: RegExp, replace: Replacer): Value {
  let failure: Value | undefined;
  const out = s.replace(re, (...parts: unknown[]) => {
    if (failure) return '';
    const hasNamed = typeof parts[parts.length - 1] === 'object' && parts[parts.length - 1] !== undefined;
    const named = hasNamed ? (parts[parts.length - 1] as Record<string, string | undefined>) : undefined;
    const tail = hasNamed ? 3 : 2;
    const index = parts[parts.length - tail] as number;
    const m: Match = { text: parts[0] as string, groups: parts.slice(1, parts.length - tail) as (string | undefined)[], named, index, subject: s };
    const v = replace(m);
    const u = findUnknown(v);
    if (u) { failure = unknown(u.reason, u.loc); return ''; }
    return rubyToS(v);
  });
  if (failure) return failure;
  return fitsString(out.length) ? str(out) : tooLarge('the resulting string');
}
