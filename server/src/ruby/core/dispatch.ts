/**
 * Sending a method to any value from inside a core class (`inject(:+)`, `sum` of strings, `dig`
 * through nested values) without the classes importing each other: index.ts registers the entry point.
 */
import { type Value, type CallContext, unknown, rubyClassOf } from '../values';

type Dispatch = (recv: Value, name: string, args: Value[], ctx: CallContext) => Value | undefined;

let dispatch: Dispatch | undefined;

/** Called once by index.ts. */
export function registerDispatch(fn: Dispatch): void {
  dispatch = fn;
}

/** `recv.name(*args)`: an object answers itself; an unevaluated method gives an unknown with the reason. */
export function send(recv: Value, name: string, args: Value[], ctx: CallContext): Value {
  if (recv.k === 'unknown') return unknown(recv.reason, recv.loc);
  const r = (recv.k === 'object' ? recv.obj.call(name, args, ctx) : undefined) ?? dispatch?.(recv, name, args, ctx);
  return r ?? unknown(`method \`${name}\` of ${rubyClassOf(recv)} is not evaluated statically`, ctx.loc);
}
