/**
 * Class methods of the core classes (`Hash.new`, `Array.new`, `Regexp.escape`, …) and the
 * methods of exception objects. Instance methods of values live in core/ (through rubyMethods).
 */
import { type Value, NIL, str, arr, unknown, hashOf } from '../values';
import { RModule, RInstance } from '../objects';
import { newHash } from '../core/hashDefaults';
import { lastMatch } from '../core/lastMatch';
import type { RubyWorld } from '../world';

export function defineCoreClassNatives(world: RubyWorld): void {
  const cls = (name: string) => (world.coreClass(name) ?? (world.constantAt(name) as RModule)).singleton();
  cls('Hash').defineNative('new', (_self, args, ctx) => newHash(args[0], ctx.block));
  cls('Hash').defineNative('[]', (_self, args) => (args[0]?.k === 'hash' ? args[0] : args[0]?.k === 'array' ? hashOf(args[0].items.filter((p) => p.k === 'array').map((p) => [(p as { items: Value[] }).items[0] ?? NIL, (p as { items: Value[] }).items[1] ?? NIL])) : undefined));
  cls('Array').defineNative('new', (_self, args, ctx) => {
    const n = args[0];
    if (!n) return arr([]);
    if (n.k === 'array') return arr([...n.items]);
    if (n.k !== 'int' || n.v < 0 || n.v > 100_000) return unknown('Array.new of a size not known statically', ctx.loc);
    if (ctx.block) return arr(Array.from({ length: n.v }, (_, i) => ctx.interp.callProc(ctx.block!, [{ k: 'int', v: i }])));
    return arr(Array.from({ length: n.v }, () => args[1] ?? NIL));
  });
  cls('String').defineNative('new', (_self, args) => str(args[0]?.k === 'str' ? args[0].v : ''));
  cls('Regexp').defineNative('escape', (_self, args) => (args[0]?.k === 'str' || args[0]?.k === 'sym' ? str(args[0].v.replace(/[.*?+^$|()[\]{}\\/\- \t\n]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === ' ' ? '\\ ' : '\\' + c))) : args[0]?.k === 'unknown' ? args[0] : undefined));
  cls('Regexp').defineNative('quote', (self, args, ctx) => cls('Regexp').findMethod('escape')!.native!(self, args, ctx));
  cls('Regexp').defineNative('new', (_self, args) => (args[0]?.k === 'str' ? { k: 'regexp', source: args[0].v, flags: args[1]?.k === 'bool' && args[1].v ? 'i' : '' } : args[0]?.k === 'regexp' ? args[0] : args[0]?.k === 'unknown' ? args[0] : undefined));
  cls('Regexp').defineNative('last_match', (_self, args, ctx) => {
    const md = lastMatch(ctx);
    if (md.k === 'unknown') return md;
    return args.length && md.k === 'object' ? ctx.interp.callMethod(md, '[]', args, ctx) : args.length ? NIL : md;
  });
  for (const name of ['Time', 'Random', 'Struct', 'Set']) cls(name).defineNative('new', (_self, _args, ctx) => unknown(`${name}.new is not evaluated statically`, ctx.loc));
  cls('Time').defineNative('now', (_self, _args, ctx) => unknown('the time when Chef runs', ctx.loc));

  // Exceptions: `StandardError.new('msg')`, `e.message`.
  const exception = world.constantAt('Exception') as RModule;
  exception.defineNative('initialize', (self, args) => {
    if (self.k === 'object' && self.obj instanceof RInstance) self.obj.data.message = args[0]?.k === 'str' ? args[0].v : self.obj.cls.name;
    return NIL;
  });
  const message = (self: Value): Value | undefined => (self.k === 'object' && self.obj instanceof RInstance && typeof self.obj.data.message === 'string' ? str(self.obj.data.message) : undefined);
  for (const name of ['message', 'to_s', 'full_message']) exception.defineNative(name, message);
  exception.defineNative('backtrace', () => arr([]));
  exception.singleton().defineNative('exception', (self, args, ctx) => ctx.interp.callMethod(self, 'new', args, ctx));
}
