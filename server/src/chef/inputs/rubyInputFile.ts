/**
 * Roles, environments and Policyfiles written in Ruby: evaluated by our interpreter with `self`
 * answering their DSL (`name`, `run_list`, `default_attributes`, `named_run_list`, …). Unlike a
 * recipe, such a file runs on the workstation, so `Dir` and `File` read the repository it sits in
 * (never outside it); nothing is written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../../protocol';
import { type Value, type RubyObject, type CallContext, str, arr, bool, unknown } from '../../ruby/values';
import { Interpreter, Env } from '../../ruby/interpreter';
import { RubyWorld } from '../../ruby/world';
import { FileClass } from '../../ruby/natives/file';
import { parseRuby } from '../../ruby/prism';
import { InputError } from './inputFile';

export interface DslCall {
  name: string;
  args: Value[];
  block?: Value;
  loc?: SourceLocation;
}

/** Answers a DSL method (undefined: not part of the DSL). */
export type DslAnswer = (call: DslCall, ctx: CallContext) => Value | undefined;

/**
 * Evaluates a Ruby input file. A syntax error or a certain raise is an {@link InputError} at its
 * line; `repository` is the folder whose files `Dir`/`File` may read (the file's folder by default).
 */
export function evalInputRuby(file: string, text: string, what: string, answer: DslAnswer, repository = path.dirname(file)): void {
  const parsed = parseRuby(text, file);
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    const at = parsed.lines.position(e.startOffset);
    throw new InputError(`${what} does not parse: ${e.message}`, file, at.line + 1, at.character + 1);
  }
  const world = new RubyWorld();
  const local = new LocalFiles(path.dirname(file), path.resolve(repository));
  for (const name of ['Dir', 'File']) world.object.constants.set(name, { k: 'object', obj: local.as(name) });
  const self: RubyObject = {
    className: 'Object',
    describe: () => what,
    call: (name, args, ctx) => (name === '__dir__' ? str(path.dirname(file)) : answer({ name, args, block: ctx.block, loc: ctx.loc }, ctx)),
  };
  const interp = new Interpreter({ world });
  const { raised } = interp.evalProgram(new Env(undefined, self, { file, parsed }));
  if (raised) throw new InputError(`${what} raises ${raised.exceptionClass}: ${raised.message}`, file, raised.loc?.line, raised.loc?.column);
}

/** `Dir` and `File` of the workstation, relative to the input file's folder, confined to one folder. */
class LocalFiles {
  constructor(private readonly cwd: string, private readonly root: string) {}

  as(name: string): RubyObject {
    const arithmetic = new FileClass(name);
    return {
      className: 'Class',
      describe: () => name,
      call: (method, args, ctx) => this.answer(name, method, args, ctx) ?? arithmetic.call(method, args, ctx),
    };
  }

  private inside(p: string): string | undefined {
    const abs = path.resolve(this.cwd, p);
    return abs === this.root || abs.startsWith(this.root + path.sep) ? abs : undefined;
  }

  private answer(cls: string, method: string, args: Value[], ctx: CallContext): Value | undefined {
    const a = args[0];
    if (a?.k !== 'str') return undefined;
    const abs = this.inside(a.v);
    const outside = () => unknown(`${cls}.${method}(${a.v}) reads outside the repository`, ctx.loc);
    const stat = (p: string) => { try { return fs.statSync(p); } catch { return undefined; } };
    const list = (withDots: boolean): Value => {
      if (!abs) return outside();
      try {
        const names = fs.readdirSync(abs).sort();
        return arr((withDots ? ['.', '..', ...names] : names).map((n) => str(n)));
      } catch { return unknown(`${cls}.${method}(${a.v}): no such folder`, ctx.loc); }
    };
    if (cls === 'Dir') {
      switch (method) {
        case 'children': return list(false);
        case 'entries': return list(true);
        case 'exist?': case 'exists?': return abs ? bool(!!stat(abs)?.isDirectory()) : outside();
        default: return undefined;
      }
    }
    switch (method) {
      case 'exist?': case 'exists?': return abs ? bool(!!stat(abs)) : outside();
      case 'file?': return abs ? bool(!!stat(abs)?.isFile()) : outside();
      case 'directory?': return abs ? bool(!!stat(abs)?.isDirectory()) : outside();
      case 'expand_path': return args[1]?.k === 'str' ? str(path.resolve(this.cwd, args[1].v, a.v)) : str(path.resolve(this.cwd, a.v));
      default: return undefined;
    }
  }
}

/** The strings of DSL arguments (`run_list 'a', 'b'` or `run_list ['a', 'b']`); unknown parts are an error at the call. */
export function stringArgs(call: DslCall, file: string, what: string): string[] {
  const flat = call.args.flatMap((a) => (a.k === 'array' ? a.items : [a]));
  const out: string[] = [];
  for (const v of flat) {
    if (v.k === 'str' || v.k === 'sym') out.push(v.v);
    else throw new InputError(`${what}: ${call.name} takes strings${v.k === 'unknown' ? ` (this one is not known: ${v.reason})` : ''}`, file, call.loc?.line, call.loc?.column);
  }
  return out;
}

/** The hash argument of a DSL call (`default_attributes 'a' => 1`), or an error at the call. */
export function hashArg(call: DslCall, file: string, what: string): Extract<Value, { k: 'hash' }> {
  const h = call.args[0];
  if (h?.k === 'hash') return h;
  throw new InputError(`${what}: ${call.name} takes a hash`, file, call.loc?.line, call.loc?.column);
}
