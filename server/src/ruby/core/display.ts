/**
 * `to_s` and `inspect` as Ruby prints them. values.ts has the project-wide versions; these differ in
 * what Ruby shows for floats (`1.0e+20`, not `100000000000000000000`), string escapes (`"\e"`) and
 * operator symbols (`:+`), which core methods return as strings a recipe may use.
 */
import { type Value, toS } from '../values';
import { rubyFloatToS } from './floatFormat';
import { BoundedText } from '../boundedText';

const NAMED_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a', '\x1b': '\\e',
};

/** Characters `String#inspect` escapes: quotes, backslashes, controls, and `#` before `{`, `$` or `@` (it would interpolate). */
const ESCAPED = /["\\\x00-\x1f\x7f]|#(?=[{$@])/g;

/** Ruby's `String#inspect` for a UTF-8 string. */
export function inspectString(s: string): string {
  return '"' + s.replace(ESCAPED, (c) => NAMED_ESCAPES[c] ?? (c === '#' ? '\\#' : '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'))) + '"';
}

const OPERATOR_SYMBOLS = new Set(['+', '-', '*', '/', '%', '**', '==', '!=', '<', '>', '<=', '>=', '<=>', '===', '=~', '!~', '!', '[]', '[]=', '<<', '>>', '&', '|', '^', '~', '+@', '-@', '`']);

/** Ruby's `Symbol#inspect`: bare when it reads back as a symbol literal, quoted otherwise. */
export function inspectSymbol(s: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*[?!=]?$/.test(s) || /^[@$]{1,2}[A-Za-z_][A-Za-z0-9_]*$/.test(s) || OPERATOR_SYMBOLS.has(s);
  return ':' + (bare ? s : inspectString(s));
}

/**
 * Ruby's `inspect`. Unknowns show as `«unknown: …»` (callers check findUnknown first when it matters).
 * Past `TEXT_LIMIT` characters it stops, and the text is longer than the limit: callers making a Ruby
 * string from it (`strResult`) answer "too large" instead of building gigabytes for `[a] * 100_000`.
 */
export function rubyInspect(v: Value, depth = 0): string {
  const out = new BoundedText();
  writeInspect(v, depth, out);
  return out.text;
}

function writeInspect(v: Value, depth: number, out: BoundedText): void {
  if (out.full) return;
  if (depth > 6) { out.add('…'); return; }
  switch (v.k) {
    case 'nil': out.add('nil'); return;
    case 'float': out.add(rubyFloatToS(v.v)); return;
    case 'str': out.add(inspectString(v.v)); return;
    case 'sym': out.add(inspectSymbol(v.v)); return;
    case 'array':
      out.add('[');
      for (let i = 0; i < v.items.length && !out.full; i++) { if (i) out.add(', '); writeInspect(v.items[i], depth + 1, out); }
      out.add(']');
      return;
    case 'hash': {
      out.add('{');
      let first = true;
      for (const e of v.map.values()) {
        if (out.full) break;
        if (!first) out.add(', ');
        first = false;
        writePair(e.key, e.value, depth, out);
      }
      out.add('}');
      return;
    }
    case 'range':
      if (v.from.k !== 'nil') writeInspect(v.from, depth + 1, out);
      out.add(v.exclusive ? '...' : '..');
      if (v.to.k !== 'nil') writeInspect(v.to, depth + 1, out);
      return;
    case 'regexp': out.add(`/${v.source}/${v.flags}`); return;
    case 'unknown': out.add(`«unknown: ${v.reason}»`); return;
    default: out.add(toS(v));
  }
}

/** Hashes print as Ruby 3.4 does (`{"k" => 1, s: :v}`), the form the rest of Cloche shows. */
function writePair(key: Value, value: Value, depth: number, out: BoundedText): void {
  if (key.k === 'sym' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key.v)) out.add(`${key.v}: `);
  else { writeInspect(key, depth + 1, out); out.add(' => '); }
  writeInspect(value, depth + 1, out);
}

/** Ruby's `to_s`. */
export function rubyToS(v: Value): string {
  switch (v.k) {
    case 'float': return rubyFloatToS(v.v);
    case 'array': case 'hash': return rubyInspect(v);
    case 'range': return `${v.from.k === 'nil' ? '' : rubyToS(v.from)}${v.exclusive ? '...' : '..'}${v.to.k === 'nil' ? '' : rubyToS(v.to)}`;
    default: return toS(v);
  }
}
