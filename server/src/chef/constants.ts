/**
 * Constants recipes use that are not defined by the cookbook: Ruby classes (`String`, for property
 * types and `is_a?`), `::File` path helpers, `Chef::Log`, `Chef::Config`, `Chef::Application.fatal!`.
 * Anything that asks the machine (`File.exist?`) is unknown, with that reason.
 */
import type { SourceLocation } from '../protocol';
import {
  type Value, type RubyObject, type CallContext, NIL, str, arr, unknown, bool, findUnknown, toS, hashOf, rubyClassOf,
} from '../ruby/values';
import { RubyRaise } from '../ruby/interpreter';
import { classMatches } from '../ruby/rubyMethods';

const RUBY_CLASSES = new Set([
  'String', 'Integer', 'Float', 'Numeric', 'Symbol', 'Array', 'Hash', 'TrueClass', 'FalseClass', 'NilClass', 'Regexp',
  'Proc', 'Range', 'Object', 'BasicObject', 'Time', 'Struct', 'Set', 'Mash', 'Chef::Node::ImmutableMash', 'Chef::Node::ImmutableArray',
  'StandardError', 'RuntimeError', 'ArgumentError', 'Exception', 'NotImplementedError', 'Errno::ENOENT', 'IOError', 'TypeError', 'KeyError', 'NameError',
]);

/** A Ruby class used as a value (property types, `is_a?`, `rescue`). */
export class ClassObject implements RubyObject {
  readonly className = 'Class';
  constructor(readonly name: string) {}
  describe(): string { return this.name; }
  toJson() { return this.name; }
  call(method: string, args: Value[]): Value | undefined {
    switch (method) {
      case '===': return args[0] && args[0].k !== 'unknown' ? bool(classMatches(rubyClassOf(args[0]), this.name)) : undefined;
      case 'new':
        if (this.name === 'Hash' || this.name === 'Mash') return hashOf([]);
        if (this.name === 'Array') return arr([]);
        if (this.name === 'String') return str(args[0]?.k === 'str' ? args[0].v : '');
        return unknown(`${this.name}.new is not evaluated statically`);
      case 'name': case 'to_s': return str(this.name);
      default: return undefined;
    }
  }
}

/** A module or class of Chef or Ruby that is only referred to (`Chef::DSL::Recipe.include(X)`). */
class OpaqueModule implements RubyObject {
  readonly className = 'Module';
  constructor(readonly name: string) {}
  describe(): string { return this.name; }
  call(method: string): Value | undefined {
    if (['include', 'send', 'prepend', 'extend', 'class_eval', 'module_eval', 'instance_eval', 'define_method', 'const_set', 'private_class_method'].includes(method)) return NIL;
    return undefined;
  }
}

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error', 'fatal', 'trace', 'level', 'level=']);

class ChefLog implements RubyObject {
  readonly className = 'Chef::Log';
  describe(): string { return 'Chef::Log'; }
  call(method: string): Value | undefined {
    return LOG_LEVELS.has(method) ? NIL : method.endsWith('?') ? bool(false) : undefined;
  }
}

/** Chef::Config defaults of chef-client running as root (what a throwaway container sees). */
const CONFIG_DEFAULTS: Record<string, string> = {
  file_cache_path: '/var/chef/cache',
  file_backup_path: '/var/chef/backup',
  cache_path: '/var/chef',
  node_name: 'cloche',
  chef_server_url: 'https://localhost:443',
};

class ChefConfig implements RubyObject {
  readonly className = 'Chef::Config';
  describe(): string { return 'Chef::Config'; }
  call(method: string, args: Value[]): Value | undefined {
    const key = method === '[]' ? args[0] : { k: 'sym', v: method } as Value;
    if (key?.k === 'sym' || key?.k === 'str') {
      const v = CONFIG_DEFAULTS[key.v];
      return v !== undefined ? str(v) : unknown(`Chef::Config[:${key.v}] depends on the client's configuration`);
    }
    return undefined;
  }
}

class ChefApplication implements RubyObject {
  readonly className = 'Chef::Application';
  describe(): string { return 'Chef::Application'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    if (method !== 'fatal!') return undefined;
    const interp = (ctx as { interp?: { conditions: string[]; repetitions: string[] } }).interp;
    if (interp && (interp.conditions.length || interp.repetitions.length)) return NIL;
    throw new RubyRaise(args[0]?.k === 'str' ? args[0].v : 'Chef::Application.fatal!', ctx.loc);
  }
}

/** `::File` and `File`: path arithmetic is known; anything about the file system is not. */
class FileClass implements RubyObject {
  readonly className = 'Class';
  constructor(readonly name: string) {}
  describe(): string { return this.name; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    const strings = args.map((a) => (a.k === 'str' || a.k === 'sym' ? a.v : undefined));
    switch (method) {
      case 'join': {
        if (u) return unknown(u.reason, u.loc);
        const parts = args.flatMap((a) => (a.k === 'array' ? a.items : [a])).map(toS);
        return str(parts.join('/').replace(/\/+/g, '/'));
      }
      case 'basename': {
        if (u) return unknown(u.reason, u.loc);
        if (strings[0] === undefined) return undefined;
        let base = strings[0].replace(/\/+$/, '').split('/').pop() ?? '';
        if (strings[1] === '.*') base = base.replace(/\.[^.]*$/, '');
        else if (strings[1] && base.endsWith(strings[1])) base = base.slice(0, -strings[1].length);
        return str(base);
      }
      case 'dirname': {
        if (u) return unknown(u.reason, u.loc);
        if (strings[0] === undefined) return undefined;
        const d = strings[0].replace(/\/+$/, '').replace(/\/[^/]*$/, '');
        return str(d === '' ? (strings[0].startsWith('/') ? '/' : '.') : d);
      }
      case 'extname': {
        if (strings[0] === undefined) return u ? unknown(u.reason) : undefined;
        const m = /(\.[^./]+)$/.exec(strings[0].split('/').pop() ?? '');
        return str(m ? m[1] : '');
      }
      case 'expand_path': case 'absolute_path':
        return strings[0]?.startsWith('/') ? str(strings[0]) : unknown('path relative to the working directory');
      case 'split': return strings[0] !== undefined ? arr([str(strings[0].replace(/\/[^/]*$/, '') || '/'), str(strings[0].split('/').pop() ?? '')]) : undefined;
      case 'exist?': case 'exists?': case 'file?': case 'directory?': case 'symlink?': case 'executable?': case 'readable?':
      case 'writable?': case 'size?': case 'zero?': case 'empty?': case 'read': case 'readlines': case 'stat': case 'lstat': case 'mtime':
      case 'readlink': case 'realpath': case 'open': case 'foreach': case 'size': case 'glob': case 'entries': case 'children': case 'exists':
        return unknown(`${this.name}.${method}(${strings[0] ?? '…'}) depends on the machine Chef runs on`, ctx.loc);
      case 'write': case 'delete': case 'unlink': case 'chmod': case 'chown': case 'rename': case 'mkdir': case 'mkdir_p': case 'rm_rf':
        return unknown(`${this.name}.${method} changes the machine while the recipe compiles`, ctx.loc);
      case 'const_get': return undefined;
      default: return undefined;
    }
  }
}

const OPAQUE_PREFIXES = ['Chef::', 'Chef', 'Opscode', 'Mixlib', 'ChefUtils', 'ChefConfig', 'Ohai', 'Etc', 'Socket', 'Resolv', 'IPAddr', 'URI', 'Net', 'JSON', 'YAML', 'OpenSSL', 'Digest', 'Base64', 'SecureRandom', 'FileUtils', 'Shellwords', 'Process', 'Kernel', 'Gem', 'ERB', 'Open3', 'Timeout', 'Mutex', 'Thread', 'Comparable', 'Enumerable', 'Math', 'Marshal', 'ObjectSpace', 'Singleton', 'Forwardable', 'Pathname', 'Tempfile'];

/** Resolves a constant path that the cookbook does not define itself. */
export function resolveChefConstant(path: string, loc: SourceLocation): Value | undefined {
  const name = path.replace(/^::/, '');
  if (RUBY_CLASSES.has(name)) return { k: 'object', obj: new ClassObject(name) };
  switch (name) {
    case 'File': case 'Dir': case 'FileTest': case 'IO': return { k: 'object', obj: new FileClass(name) };
    case 'Chef::Log': return { k: 'object', obj: new ChefLog() };
    case 'Chef::Config': return { k: 'object', obj: new ChefConfig() };
    case 'Chef::Application': return { k: 'object', obj: new ChefApplication() };
    case 'Chef::VERSION': return str('19.4.14');
    case 'RUBY_PLATFORM': return str('x86_64-linux');
    case 'RUBY_VERSION': return str('3.1.6');
    case 'ENV': return unknown('environment variables of the machine Chef runs on', loc);
    case 'ARGV': return arr([]);
    case 'TrueClass': case 'FalseClass': return { k: 'object', obj: new ClassObject(name) };
    default: break;
  }
  if (name.startsWith('Chef::Resource::') || name.startsWith('Chef::Provider::') || name.startsWith('Chef::Exceptions::')) return { k: 'object', obj: new ClassObject(name) };
  if (OPAQUE_PREFIXES.some((p) => name === p || name.startsWith(p + '::'))) return { k: 'object', obj: new OpaqueModule(name) };
  return undefined;
}
