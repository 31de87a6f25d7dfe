/**
 * Class methods of the core classes (`Hash.new`, `Array.new`, `Regexp.escape`, …) and the
 * methods of exception objects. Instance methods of values live in core/ (through rubyMethods).
 */
import { type Value, NIL, str, arr, unknown, hashOf, regexpText } from '../values';
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
  cls('Regexp').defineNative('escape', (_self, args) => (args[0]?.k === 'str' || args[0]?.k === 'sym' ? str(escapeRegexp(args[0].v)) : args[0]?.k === 'unknown' ? args[0] : undefined));
  cls('Regexp').defineNative('quote', (self, args, ctx) => cls('Regexp').findMethod('escape')!.native!(self, args, ctx));
  cls('Regexp').defineNative('union', (_self, args) => {
    const pats = args.length === 1 && args[0].k === 'array' ? args[0].items : args;
    const u = pats.find((p) => p.k === 'unknown');
    if (u) return u;
    if (!pats.length || !pats.every((p) => p.k === 'str' || p.k === 'sym' || p.k === 'regexp')) return undefined;
    // One pattern is itself (a string escaped); several are alternatives, each regexp with its own flags.
    if (pats.length === 1 && pats[0].k === 'regexp') return pats[0];
    const source = pats.map((p) => (p.k === 'regexp' ? regexpText(p.flags, p.source) : escapeRegexp((p as { v: string }).v))).join('|');
    return { k: 'regexp', source, flags: '' };
  });
  cls('Regexp').defineNative('new', (_self, args) => {
    const [source, options] = args;
    if (source?.k === 'regexp' || source?.k === 'unknown') return source;
    if (source?.k !== 'str') return undefined;
    const flags = regexpOptions(options);
    return typeof flags === 'string' ? { k: 'regexp', source: source.v, flags } : flags;
  });
  // Regexp::IGNORECASE and friends, the bits `Regexp.new` and `options` use.
  for (const [name, bit] of [['IGNORECASE', 1], ['EXTENDED', 2], ['MULTILINE', 4]] as const) world.coreClass('Regexp')?.constants.set(name, { k: 'int', v: bit });
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

/** `Regexp.new`'s second argument as flags: an Integer of option bits, a String of letters (`'mi'`), else truthiness for `i`; unknown when it is. */
function regexpOptions(o: Value | undefined): string | Value {
  if (!o || o.k === 'nil' || (o.k === 'bool' && !o.v)) return '';
  if (o.k === 'unknown') return o;
  if (o.k === 'int') return (o.v & 1 ? 'i' : '') + (o.v & 2 ? 'x' : '') + (o.v & 4 ? 'm' : '');
  if (o.k === 'str') return /^[imx]*$/.test(o.v) ? [...new Set(o.v)].join('') : unknown(`unknown regexp options ${JSON.stringify(o.v)}`);
  return 'i';
}

/** Ruby's `Regexp.escape`: metacharacters, spaces, tabs and line breaks backslashed. */
function escapeRegexp(s: string): string {
  return s.replace(/[.*?+^$|()[\]{}\\/\- \t\n]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === ' ' ? '\\ ' : '\\' + c));
}
