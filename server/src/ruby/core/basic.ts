/**
 * The small classes: NilClass, TrueClass/FalseClass and Proc.
 */
import { type Value, str, int, arr, bool, hashOf, truthy, unknown } from '../values';
import { type MethodTable, float } from './args';

type Bool = Extract<Value, { k: 'bool' }>;
type Proc = Extract<Value, { k: 'proc' | 'lazy' }>;

/** `&`, `|` and `^` of nil and booleans: an unknown right side leaves the answer unknown only when it matters. */
function logic(op: '&' | '|' | '^'): MethodTable<Value>[string] {
  return (recv, [o]) => {
    const l = truthy(recv)!;
    const r = o ? truthy(o) : false;
    if (op === '&' && !l) return bool(false);
    if (op === '|' && l) return bool(true);
    if (r === undefined) return unknown((o as { reason: string }).reason);
    return bool(op === '&' ? r : op === '|' ? r : l !== r);
  };
}

export const NIL_METHODS: MethodTable<Value> = {
  to_a: () => arr([]),
  to_s: () => str(''),
  to_i: () => int(0),
  to_f: () => float(0),
  to_h: () => hashOf([]),
  inspect: () => str('nil'),
  '&': logic('&'),
  '|': logic('|'),
  '^': logic('^'),
  '==': (_n, [o]) => bool(o?.k === 'nil'),
};

export const BOOL_METHODS: MethodTable<Bool> = {
  '&': logic('&'),
  '|': logic('|'),
  '^': logic('^'),
  to_s: (b) => str(String(b.v)),
  inspect: (b) => str(String(b.v)),
  '==': (b, [o]) => bool(o?.k === 'bool' && o.v === b.v),
  '===': (b, [o]) => bool(o?.k === 'bool' && o.v === b.v),
};

const call: MethodTable<Proc>[string] = (p, args, ctx) => ctx.callProc(p, args);

export const PROC_METHODS: MethodTable<Proc> = {
  call, '()': call, '[]': call, yield: call, '===': call,
  to_proc: (p) => p,
  'lambda?': () => unknown('whether a block is a lambda is not tracked'),
  arity: () => unknown('the arity of a block is not evaluated'),
};

