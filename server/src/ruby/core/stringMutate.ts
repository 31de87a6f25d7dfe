/**
 * The String methods that change the receiver. Strings are values with identity here, as in Ruby:
 * the method changes the receiver's value object in place, so every variable holding that string sees
 * the change (`cmd << ' --force'`, `line.strip!`). Bang methods return nil when nothing changed, as
 * Ruby's do. An unknown argument makes the receiver itself unknown (see becomeUnknown).
 */
import { type Value, NIL, findUnknown } from '../values';
import { type MethodTable, type Str, type Ctx, raise, implicitName, becomeUnknown } from './args';
import { fitsString } from './limits';
import { STRING_TRANSFORMS } from './stringTransform';
import { stringIndex } from './stringSlice';
import { sliceBounds } from './sliceBounds';
import { patternRegex } from './regexp';

/** Sets the receiver's contents (bounded). */
function assign(s: Str, next: string): Value {
  if (!fitsString(next.length)) return becomeUnknown(s, 'the string grew too large to evaluate statically');
  s.v = next;
  return s;
}

/** A bang method from its copying twin: nil when nothing changed (unless Ruby always returns self). */
function bang(name: string, alwaysSelf = false): MethodTable<Str>[string] {
  return (s, args, ctx) => {
    const r = STRING_TRANSFORMS[name](s, args, ctx);
    if (r?.k === 'unknown') return becomeUnknown(s, r.reason, r.loc);
    if (r?.k !== 'str') return r;
    if (r.v === s.v && !alwaysSelf) return NIL;
    return assign(s, r.v);
  };
}

function appendable(v: Value, ctx: Ctx): string | Value {
  if (v.k === 'str') return v.v;
  if (v.k === 'int' && v.v >= 0 && v.v <= 0x10ffff) return String.fromCodePoint(v.v);
  return raise(ctx, 'TypeError', `no implicit conversion of ${implicitName(v)} into String`);
}

function append(prepend: boolean): MethodTable<Str>[string] {
  return (s, args, ctx) => {
    let add = '';
    for (const a of args) {
      const piece = appendable(a, ctx);
      if (typeof piece !== 'string') return piece;
      add += piece;
    }
    return assign(s, prepend ? add + s.v : s.v + add);
  };
}

function insert(s: Str, [i, o]: Value[], ctx: Ctx): Value | undefined {
  if (i?.k !== 'int' || o?.k !== 'str') return undefined;
  const cs = [...s.v];
  const at = i.v < 0 ? cs.length + i.v + 1 : i.v;
  if (at < 0 || at > cs.length) return raise(ctx, 'IndexError', `index ${i.v} out of string`);
  cs.splice(at, 0, o.v);
  return assign(s, cs.join(''));
}

/** Character bounds of `s[args]` for `[]=` and `slice!`, or undefined when the form is not evaluated. */
function boundsOf(s: string, args: Value[]): { start: number; len: number } | null | undefined {
  const cs = [...s];
  const [a, b] = args;
  if (a?.k === 'int' && !b) {
    const i = a.v < 0 ? a.v + cs.length : a.v;
    return i >= 0 && i < cs.length ? { start: i, len: 1 } : null;
  }
  if ((a?.k === 'int' && b?.k === 'int') || (a?.k === 'range' && !b)) return sliceBounds(cs.length, a, b) ?? null;
  if (a?.k === 'str' || (a?.k === 'regexp' && !b)) {
    const m = patternRegex(a)!.exec(s);
    return m ? { start: [...s.slice(0, m.index)].length, len: [...m[0]!].length } : null;
  }
  return undefined;
}

function setIndex(s: Str, args: Value[], ctx: Ctx): Value | undefined {
  const value = args[args.length - 1];
  if (value?.k !== 'str') return undefined;
  const b = boundsOf(s.v, args.slice(0, -1));
  if (b === undefined) return undefined;
  if (b === null) return raise(ctx, 'IndexError', args[0]?.k === 'str' || args[0]?.k === 'regexp' ? 'string not matched' : `index ${args[0]?.k === 'int' ? args[0].v : ''} out of string`);
  const cs = [...s.v];
  cs.splice(b.start, b.len, value.v);
  assign(s, cs.join(''));
  return value;
}

function sliceBang(s: Str, args: Value[]): Value | undefined {
  const part = stringIndex(s.v, args);
  const b = boundsOf(s.v, args);
  if (!part || b === undefined) return undefined;
  if (b === null || part.k === 'nil') return NIL;
  const cs = [...s.v];
  cs.splice(b.start, b.len);
  assign(s, cs.join(''));
  return part;
}

/** The mutating methods; an unknown argument to one of them makes the receiver unknown. */
export const STRING_MUTATORS: MethodTable<Str> = {
  '<<': append(false),
  concat: append(false),
  prepend: append(true),
  insert,
  replace: (s, [o]) => (o?.k === 'str' ? assign(s, o.v) : undefined),
  clear: (s) => assign(s, ''),
  '[]=': setIndex,
  'slice!': sliceBang,
  'upcase!': bang('upcase'), 'downcase!': bang('downcase'), 'capitalize!': bang('capitalize'), 'swapcase!': bang('swapcase'),
  'strip!': bang('strip'), 'lstrip!': bang('lstrip'), 'rstrip!': bang('rstrip'), 'chomp!': bang('chomp'), 'chop!': bang('chop'),
  'squeeze!': bang('squeeze'), 'delete!': bang('delete'), 'tr!': bang('tr'), 'tr_s!': bang('tr_s'),
  'sub!': bang('sub'), 'gsub!': bang('gsub'), 'reverse!': bang('reverse', true), 'succ!': bang('succ', true), 'next!': bang('next', true),
  'unicode_normalize!': bang('unicode_normalize', true),
};

/** Applies a mutator whose arguments include an unknown: the receiver's new contents are unknown. */
export function mutateWithUnknown(s: Str, args: Value[]): Value {
  const u = args.map((a) => findUnknown(a)).find(Boolean)!;
  return becomeUnknown(s, u.reason, u.loc);
}

