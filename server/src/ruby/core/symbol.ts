/**
 * Symbol: a name. Most methods answer as the String of the same name would, converting back to a
 * symbol where Ruby's do (`:a.upcase` is `:A`).
 */
import { type Value, str, sym, int, bool, NIL } from '../values';
import { type MethodTable, type Ctx, unknownArg } from './args';
import { STRING_METHODS } from './string';
import { stringSucc } from './stringSucc';

type Sym = Extract<Value, { k: 'sym' }>;

/** Runs the String method of the same name on the symbol's name. */
function viaString(name: string, asSymbol: boolean): MethodTable<Sym>[string] {
  return (s, args, ctx) => {
    const r = STRING_METHODS[name](str(s.v) as Extract<Value, { k: 'str' }>, args, ctx);
    return asSymbol && r?.k === 'str' ? sym(r.v) : r;
  };
}

/** `:name.to_proc`: the block `&:name` makes (calls `name` on its first argument). */
function toProc(s: Sym, _args: Value[], ctx: Ctx): Value | undefined {
  const env = (ctx as { env?: unknown }).env;
  if (!env) return undefined;
  return { k: 'proc', proc: { node: { symbolProc: s.v }, env, source: `&:${s.v}`, loc: ctx.loc } };
}

export const SYMBOL_METHODS: MethodTable<Sym> = {
  to_s: (s) => str(s.v),
  id2name: (s) => str(s.v),
  name: (s) => str(s.v),
  to_sym: (s) => s,
  to_proc: toProc,
  length: (s) => int([...s.v].length),
  size: (s) => int([...s.v].length),
  upcase: viaString('upcase', true),
  downcase: viaString('downcase', true),
  capitalize: viaString('capitalize', true),
  swapcase: viaString('swapcase', true),
  succ: (s) => sym(stringSucc(s.v)),
  next: (s) => sym(stringSucc(s.v)),
  '<=>': (s, [o]) => (o?.k === 'sym' ? int(s.v < o.v ? -1 : s.v > o.v ? 1 : 0) : NIL),
  '==': (s, [o]) => bool(o?.k === 'sym' && o.v === s.v),
  '===': (s, [o]) => bool(o?.k === 'sym' && o.v === s.v),
  '[]': viaString('[]', false),
  slice: viaString('slice', false),
  'start_with?': viaString('start_with?', false),
  'end_with?': viaString('end_with?', false),
  'empty?': (s) => bool(s.v.length === 0),
  '=~': viaString('=~', false),
  match: viaString('match', false),
  'match?': viaString('match?', false),
};

/** Calls a Symbol method; undefined when it is not one Cloche evaluates. */
export function callSymbol(s: Sym, name: string, args: Value[], ctx: Ctx): Value | undefined {
  const method = SYMBOL_METHODS[name];
  if (!method) return undefined;
  return unknownArg(args) ?? method(s, args, ctx);
}
