/**
 * `to_s` and `inspect` as Ruby prints them. values.ts has the project-wide versions; these differ in
 * what Ruby shows for floats (`1.0e+20`, not `100000000000000000000`), string escapes (`"\e"`) and
 * operator symbols (`:+`), which core methods return as strings a recipe may use.
 */
import { type Value, toS } from '../values';
import { rubyFloatToS } from './floatFormat';

const NAMED_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\f': '\\f', '\v': '\\v', '\b': '\\b', '\x07': '\\a', '\x1b': '\\e',
};

/** Ruby's `String#inspect` for a UTF-8 string. */
export function inspectString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (NAMED_ESCAPES[c]) out += NAMED_ESCAPES[c];
    // `#{`, `#$` and `#@` would interpolate if the output were pasted back as a literal.
    else if (c === '#' && /[{$@]/.test(s[i + 1] ?? '')) out += '\\#';
    else if (c < ' ' || c === '\x7f') out += '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

const OPERATOR_SYMBOLS = new Set(['+', '-', '*', '/', '%', '**', '==', '!=', '<', '>', '<=', '>=', '<=>', '===', '=~', '!~', '!', '[]', '[]=', '<<', '>>', '&', '|', '^', '~', '+@', '-@', '`']);

/** Ruby's `Symbol#inspect`: bare when it reads back as a symbol literal, quoted otherwise. */
export function inspectSymbol(s: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*[?!=]?$/.test(s) || /^[@$]{1,2}[A-Za-z_][A-Za-z0-9_]*$/.test(s) || OPERATOR_SYMBOLS.has(s);
  return ':' + (bare ? s : inspectString(s));
}

/** Ruby's `inspect`. Unknowns show as `«unknown: …»` (callers check findUnknown first when it matters). */
export function rubyInspect(v: Value, depth = 0): string {
  if (depth > 6) return '…';
  switch (v.k) {
    case 'nil': return 'nil';
    case 'float': return rubyFloatToS(v.v);
    case 'str': return inspectString(v.v);
    case 'sym': return inspectSymbol(v.v);
    case 'array': return '[' + v.items.map((i) => rubyInspect(i, depth + 1)).join(', ') + ']';
    case 'hash': return '{' + [...v.map.values()].map((e) => hashPair(e.key, e.value, depth)).join(', ') + '}';
    case 'range': return `${rubyInspectBound(v.from, depth)}${v.exclusive ? '...' : '..'}${rubyInspectBound(v.to, depth)}`;
    case 'regexp': return `/${v.source}/${v.flags}`;
    case 'unknown': return `«unknown: ${v.reason}»`;
    default: return toS(v);
  }
}

/** Hashes print as Ruby 3.4 does (`{"k" => 1, s: :v}`), the form the rest of Cloche shows. */
function hashPair(key: Value, value: Value, depth: number): string {
  if (key.k === 'sym' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key.v)) return `${key.v}: ${rubyInspect(value, depth + 1)}`;
  return `${rubyInspect(key, depth + 1)} => ${rubyInspect(value, depth + 1)}`;
}

/** An endless or beginless range omits the nil bound. */
function rubyInspectBound(v: Value, depth: number): string {
  return v.k === 'nil' ? '' : rubyInspect(v, depth + 1);
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
