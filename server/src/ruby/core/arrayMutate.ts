/**
 * The Array methods that change the receiver. Arrays are shared by reference, as in Ruby: the items
 * of the receiver change in place, so every holder sees it. Bang methods return nil when nothing
 * changed, as Ruby's do. (A frozen array is not tracked: Ruby would raise FrozenError.)
 */
import { type Value, NIL, arr, findUnknown, rubyEquals } from '../values';
import { type MethodTable, type Arr, type Ctx, raise, becomeUnknown, yieldTo } from './args';
import { fitsCollection, tooLarge } from './limits';
import { ENUMERABLE } from './enumerable';
import { ARRAY_COMBINE } from './arrayCombine';
import { sliceBounds } from './sliceBounds';

/** Replaces the receiver's items; past the bound the array becomes unknown. */
function setItems(a: Arr, items: Value[]): Value {
  if (!fitsCollection(items.length)) return becomeUnknown(a, (tooLarge('the array') as { reason: string }).reason);
  a.items.splice(0, a.items.length, ...items);
  return a;
}

/** A bang method from the copying method of the same name: nil when the result has the same elements. */
function bangOf(copy: (a: Arr, args: Value[], ctx: Ctx) => Value | undefined, alwaysSelf = false): MethodTable<Arr>[string] {
  return (a, args, ctx) => {
    const r = copy(a, args, ctx);
    if (r?.k === 'unknown') return becomeUnknown(a, r.reason, r.loc);
    if (r?.k !== 'array') return r;
    const same = r.items.length === a.items.length && r.items.every((x, i) => x === a.items[i]);
    if (same && !alwaysSelf) return NIL;
    return setItems(a, [...r.items]);
  };
}

const enumCopy = (name: string) => (a: Arr, args: Value[], ctx: Ctx): Value | undefined => ENUMERABLE[name](a.items, args, ctx, a);

function insert(a: Arr, [i, ...objs]: Value[], ctx: Ctx): Value | undefined {
  if (i?.k !== 'int') return undefined;
  if (objs.length === 0) return a;
  const len = a.items.length;
  const at = i.v < 0 ? len + i.v + 1 : i.v;
  if (at < 0) return raise(ctx, 'IndexError', `index ${i.v} too small for array; minimum: -${len + 1}`);
  const padded = at > len ? [...a.items, ...Array(at - len).fill(NIL)] : [...a.items];
  padded.splice(at, 0, ...objs);
  return setItems(a, padded);
}

/** pop/shift, with an optional count. */
function take(fromEnd: boolean): MethodTable<Arr>[string] {
  return (a, [n], ctx) => {
    if (n && n.k !== 'int') return undefined;
    if (n?.k === 'int' && n.v < 0) return raise(ctx, 'ArgumentError', 'negative array size');
    const k = n?.k === 'int' ? Math.min(n.v, a.items.length) : 1;
    const taken = fromEnd ? a.items.splice(a.items.length - k, k) : a.items.splice(0, k);
    return n ? arr(taken) : taken[0] ?? NIL;
  };
}

/** delete(x): removes every element == x; an unknown comparison makes the array unknown. */
function del(a: Arr, [x]: Value[], ctx: Ctx): Value | undefined {
  if (!x) return undefined;
  const keep: Value[] = [];
  let found: Value | undefined;
  for (const e of a.items) {
    const eq = rubyEquals(e, x);
    if (eq === undefined) return becomeUnknown(a, findUnknown(e)?.reason ?? findUnknown(x)?.reason ?? 'an element is not known');
    if (eq) found = e; else keep.push(e);
  }
  setItems(a, keep);
  return found ?? (ctx.block ? yieldTo(ctx, [x]) : NIL);
}

function deleteAt(a: Arr, [i]: Value[]): Value | undefined {
  if (i?.k !== 'int') return undefined;
  const at = i.v < 0 ? i.v + a.items.length : i.v;
  if (at < 0 || at >= a.items.length) return NIL;
  return a.items.splice(at, 1)[0];
}

/** `a[i] = v`, `a[start, len] = v`, `a[range] = v` (an array value replaces the slice). */
function setIndex(a: Arr, args: Value[], ctx: Ctx): Value | undefined {
  const value = args[args.length - 1];
  const [i, n] = args.slice(0, -1);
  const len = a.items.length;
  if (i?.k === 'int' && args.length === 2) {
    const at = i.v < 0 ? i.v + len : i.v;
    if (at < 0) return raise(ctx, 'IndexError', `index ${i.v} too small for array; minimum: -${len}`);
    if (!fitsCollection(at + 1)) return becomeUnknown(a, (tooLarge('the array') as { reason: string }).reason);
    const items = at >= len ? [...a.items, ...Array(at - len).fill(NIL), value] : a.items.map((x, j) => (j === at ? value : x));
    setItems(a, items);
    return value;
  }
  const b = i && (i.k === 'range' || (i.k === 'int' && n?.k === 'int')) ? sliceBounds(len, i, n) : undefined;
  if (!b) return i?.k === 'range' || n ? raise(ctx, 'RangeError', 'index out of range') : undefined;
  const items = [...a.items];
  items.splice(b.start, b.len, ...(value.k === 'array' ? value.items : [value]));
  setItems(a, items);
  return value;
}

/** The receiver's items as another array's (`replace`), or a value repeated (`fill`). */
function fill(a: Arr, [x]: Value[], ctx: Ctx): Value | undefined {
  if (ctx.block) return setItems(a, a.items.map((_, i) => yieldTo(ctx, [{ k: 'int', v: i }])));
  return x ? setItems(a, a.items.map(() => x)) : undefined;
}

export const ARRAY_MUTATORS: MethodTable<Arr> = {
  '<<': (a, [x]) => (x ? setItems(a, [...a.items, x]) : undefined),
  push: (a, xs) => setItems(a, [...a.items, ...xs]),
  append: (a, xs) => setItems(a, [...a.items, ...xs]),
  concat: (a, xs) => (xs.every((x) => x.k === 'array') ? setItems(a, [...a.items, ...xs.flatMap((x) => (x as Arr).items)]) : xs.find((x) => x.k === 'unknown') ? becomeUnknown(a, (xs.find((x) => x.k === 'unknown') as { reason: string }).reason) : undefined),
  unshift: (a, xs) => setItems(a, [...xs, ...a.items]),
  prepend: (a, xs) => setItems(a, [...xs, ...a.items]),
  insert,
  pop: take(true),
  shift: take(false),
  delete: del,
  delete_at: deleteAt,
  clear: (a) => setItems(a, []),
  replace: (a, [o]) => (o?.k === 'array' ? setItems(a, [...o.items]) : undefined),
  fill,
  '[]=': setIndex,
  '[]||=': setIndex,
  'select!': bangOf(enumCopy('select')), 'filter!': bangOf(enumCopy('select')), keep_if: bangOf(enumCopy('select'), true),
  'reject!': bangOf(enumCopy('reject')), delete_if: bangOf(enumCopy('reject'), true),
  'map!': bangOf(enumCopy('map'), true), 'collect!': bangOf(enumCopy('map'), true),
  'uniq!': bangOf(enumCopy('uniq')), 'sort!': bangOf(enumCopy('sort'), true), 'sort_by!': bangOf(enumCopy('sort_by'), true),
  'compact!': bangOf((a) => ARRAY_COMBINE.compact(a, [], undefined as unknown as Ctx)),
  'flatten!': bangOf((a, args, ctx) => ARRAY_COMBINE.flatten(a, args, ctx)),
  'reverse!': bangOf((a) => ARRAY_COMBINE.reverse(a, [], undefined as unknown as Ctx), true),
  'rotate!': bangOf((a, args, ctx) => ARRAY_COMBINE.rotate(a, args, ctx), true),
  'shuffle!': (a) => becomeUnknown(a, '`shuffle!` orders at random'),
};

