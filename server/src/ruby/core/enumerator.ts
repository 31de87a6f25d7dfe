/**
 * Enumerators: what an iterator returns when called without a block (`map.with_index`,
 * `each.with_object`, `select.each_with_index`). An Enumerator remembers the receiver and the
 * method; given a block later (`with_index { |x, i| … }`) it runs that method with it, and for
 * anything else it works on the elements the method yields.
 */
import { type Value, type RubyObject, type CallContext, arr, int, unknown, withBlock } from '../values';
import { send } from './dispatch';
import { isModelObject } from '../objects';

/** Iterators that return an Enumerator when called without a block. */
export const ENUMERATOR_METHODS = new Set(['map', 'collect', 'each', 'select', 'filter', 'reject', 'filter_map', 'flat_map', 'collect_concat', 'each_char', 'each_line', 'each_entry', 'each_pair', 'each_key', 'each_value']);

/** A block implemented in TypeScript (the interpreter calls `run` with the yielded values). */
export interface NativeBlock { nativeBlock: (args: Value[]) => Value }

export function nativeBlock(run: (args: Value[]) => Value, ctx: CallContext): Value {
  return { k: 'proc', proc: { node: { nativeBlock: run } satisfies NativeBlock, env: (ctx as { env?: unknown }).env, source: '(block)' } };
}

/** What an enumerator answers is its receiver's method run again. */
const EVERY_METHOD = { has: () => true };

export class Enumerator implements RubyObject {
  readonly className = 'Enumerator';
  constructor(private readonly recv: Value, private readonly method: string, private readonly args: Value[]) {}

  /**
   * For the call memo: pure when its receiver's methods are followed by the evaluator (a value, a
   * Ruby object, another such enumerator), not when they are a native object's (`ENV.each`).
   */
  get pureMethods(): { has(method: string): boolean } | undefined {
    const r = this.recv;
    return r.k !== 'object' || isModelObject(r.obj) || (r.obj instanceof Enumerator && r.obj.pureMethods) ? EVERY_METHOD : undefined;
  }
  describe(): string { return `#<Enumerator: ${this.method}>`; }

  /** The values the method yields, in order (one value per yield; several become an array). */
  private elements(ctx: CallContext): Value[] | Value {
    const out: Value[] = [];
    const r = send(this.recv, this.method, this.args, withBlock(ctx, nativeBlock((a) => { const v = a.length === 1 ? a[0] : arr(a); out.push(v); return v; }, ctx)));
    return r.k === 'unknown' ? r : out;
  }

  call(name: string, args: Value[], ctx: CallContext): Value | undefined {
    const block = ctx.block;
    if ((name === 'with_index' || name === 'each_with_index') && block) {
      let i = name === 'with_index' && args[0]?.k === 'int' ? args[0].v : 0;
      return send(this.recv, this.method, this.args, withBlock(ctx, nativeBlock((a) => ctx.callProc(block, [a.length === 1 ? a[0] : arr(a), int(i++)]), ctx)));
    }
    if ((name === 'with_object' || name === 'each_with_object') && block) {
      const memo = args[0] ?? unknown('with_object without an object');
      send(this.recv, this.method, this.args, withBlock(ctx, nativeBlock((a) => ctx.callProc(block, [a.length === 1 ? a[0] : arr(a), memo]), ctx)));
      return memo;
    }
    if (name === 'each' && block) return send(this.recv, this.method, this.args, ctx);
    // Without a block these make another enumerator (`each.with_index(1).map { |x, i| … }`).
    if (!block && (name === 'with_index' || name === 'each_with_index' || name === 'with_object' || name === 'each_with_object')) return { k: 'object', obj: new Enumerator({ k: 'object', obj: this }, name, args) };
    const items = this.elements(ctx);
    if (!Array.isArray(items)) return items;
    if (name === 'to_a' || name === 'force' || name === 'entries') return arr(items);
    if (name === 'size' || name === 'count' && !block && !args.length) return int(items.length);
    return send(arr(items), name, args, ctx);
  }
}
