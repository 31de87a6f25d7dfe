/**
 * Constants of Chef and of the Ruby libraries cookbooks use that the cookbook does not define:
 * `Chef::Config` (chef-client's defaults as root), `Chef::Log`, `Chef::VERSION`, `ENV` (the platform
 * profile's), `Chef::Resource::Template` & co. (built-in resource classes), exception classes, and
 * the namespaces whose methods we do not model (unknown when called, never an error).
 */
import type { SourceLocation } from '../../protocol';
import { type Value, type RubyObject, type CallContext, NIL, str, bool, unknown, findUnknown } from '../../ruby/values';
import { RModule } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import { hostFacts } from './host';
import type { ChefWorld } from './chefWorld';
import { snake } from './names';
import { VersionString } from './versionString';

/** The version of Chef Infra whose resources the catalog describes. */
export const CHEF_VERSION = '19.4.14';

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error', 'fatal', 'trace', 'level', 'level=', 'deprecation']);

/** Logging does nothing a compilation sees: a helper that logs may still be kept by the call memo. */
const LOG_METHODS = new Set(['debug', 'info', 'warn', 'error', 'fatal', 'trace', 'deprecation']);

class ChefLog implements RubyObject {
  readonly className = 'Chef::Log';
  readonly pureMethods = LOG_METHODS;
  describe(): string { return 'Chef::Log'; }
  call(method: string): Value | undefined {
    return LOG_LEVELS.has(method) ? NIL : method.endsWith('?') ? bool(false) : undefined;
  }
}

/** Chef::Config defaults of chef-client running as root (what a throwaway container sees); chef-config's config.rb. */
const CONFIG_DEFAULTS: Record<string, Value> = {
  file_cache_path: str('/var/chef/cache'),
  file_backup_path: str('/var/chef/backup'),
  cache_path: str('/var/chef'),
  config_dir: str('/etc/chef'),
  node_name: str('cloche'),
  chef_server_url: str('https://localhost:443'),
  why_run: bool(false),
  local_mode: bool(false),
  solo: bool(false),
  solo_legacy_mode: bool(false),
  log_level: { k: 'sym', v: 'auto' },
  file_atomic_update: bool(true),
  enable_reporting: bool(true),
  chef_zero: { k: 'hash', map: new Map() },
};

class ChefConfig implements RubyObject {
  readonly className = 'Chef::Config';
  describe(): string { return 'Chef::Config'; }
  call(method: string, args: Value[]): Value | undefined {
    const key = method === '[]' || method === 'fetch' ? args[0] : { k: 'sym', v: method } as Value;
    if (method.endsWith('=') || method === '[]=') return args[args.length - 1] ?? NIL;
    if (key?.k === 'sym' || key?.k === 'str') {
      if (key.v.endsWith('?')) return undefined;
      return CONFIG_DEFAULTS[key.v] ?? unknown(`Chef::Config[:${key.v}] depends on the client's configuration`);
    }
    return undefined;
  }
}

class ChefApplication implements RubyObject {
  readonly className = 'Chef::Application';
  describe(): string { return 'Chef::Application'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    if (method !== 'fatal!') return undefined;
    const interp = (ctx as EvalCallContext).interp;
    if (!interp) return NIL;
    return interp.raise(args[0]?.k === 'str' ? args[0].v : 'Chef::Application.fatal!', ctx.loc, 'SystemExit');
  }
}

/** `ENV`: Chef's sanitised PATH and root's environment on the profile's platform; the rest is the machine's. */
class EnvObject implements RubyObject {
  readonly className = 'ENV';
  describe(): string { return 'ENV'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    if (method !== '[]' && method !== 'fetch') return method === '[]=' ? args[1] ?? NIL : unknown('environment variables of the machine Chef runs on', ctx.loc);
    const key = args[0]?.k === 'str' ? args[0].v : undefined;
    const host = hostFacts(ctx as EvalCallContext);
    const windows = host?.facts.os === 'windows';
    const known: Record<string, string> = windows
      ? { SYSTEMDRIVE: 'C:', SYSTEMROOT: 'C:\\Windows', WINDIR: 'C:\\Windows', PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', PROGRAMDATA: 'C:\\ProgramData' }
      : { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/sh' };
    if (key && key in known && host) return str(known[key]);
    return args[1] ?? unknown(`ENV[${JSON.stringify(key ?? '…')}] is the environment of the machine Chef runs on`, ctx.loc);
  }
}

/**
 * `Chef::Platform::ServiceHelpers`: which service managers the node has, as Chef detects them (from
 * the binaries the platform ships and its init system); cookbooks pick a service manager with it.
 */
class ServiceHelpers implements RubyObject {
  readonly className = 'Module';
  describe(): string { return 'Chef::Platform::ServiceHelpers'; }
  call(method: string, _args: Value[], ctx: CallContext): Value | undefined {
    if (method !== 'service_resource_providers') return undefined;
    const host = hostFacts(ctx as EvalCallContext);
    if (!host) return unknown('the service managers of the node are known only for a platform', ctx.loc);
    const f = host.facts;
    const out: string[] = [];
    if (f.platformFamily === 'debian') out.push('debian', 'invokercd');
    if (f.initSystem === 'systemd') out.push('systemd');
    if (f.platformFamily === 'rhel' && /^[67]\b/.test(f.platformVersion)) out.push('redhat');
    return { k: 'array', items: out.map((v) => ({ k: 'sym', v })) };
  }
}

/**
 * `Chef::Util::PathHelper`: path arithmetic, known without the machine. On Unix `cleanpath` is
 * Pathname's lexical cleanpath (`/a//b/./c/../d/` → `/a/b/d`), `join` joins and cleans.
 */
class PathHelper implements RubyObject {
  readonly className = 'Class';
  describe(): string { return 'Chef::Util::PathHelper'; }
  call(method: string, args: Value[]): Value | undefined {
    const u = args.map((a) => findUnknown(a)).find(Boolean);
    if ((method === 'cleanpath' || method === 'join') && u) return unknown(u.reason, u.loc);
    const parts = args.filter((a) => a.k === 'str').map((a) => (a as { v: string }).v);
    if (parts.length !== args.length || !parts.length) return undefined;
    if (method === 'cleanpath' && parts.length === 1) return str(cleanpath(parts[0]));
    if (method === 'join') return str(cleanpath(parts.join('/')));
    return undefined;
  }
}

/** Pathname#cleanpath: `.` and empty parts go, `x/..` collapses, a leading `..` of a relative path stays. */
export function cleanpath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && absolute) continue;
    else out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

/** `Mixlib::ShellOut.new(cmd)`: a command run on the machine; whatever it answers is unknown, saying so. */
class ShellOutClass implements RubyObject {
  readonly className = 'Class';
  describe(): string { return 'Mixlib::ShellOut'; }
  call(method: string, args: Value[], ctx: CallContext): Value | undefined {
    const cmd = args.find((a) => a.k === 'str') as { v: string } | undefined;
    return unknown(`Mixlib::ShellOut${method === 'new' ? '' : '.' + method} runs ${cmd ? `\`${cmd.v}\`` : 'a command'} on the machine`, ctx.loc);
  }
}

/** Namespaces whose methods Cloche does not model: their constants resolve (so `include X` works), calls are unknown. */
const OPAQUE_PREFIXES = ['Chef', 'Opscode', 'Mixlib', 'ChefUtils', 'ChefConfig', 'ChefVault', 'Ohai', 'Etc', 'Socket', 'Resolv', 'IPAddr', 'URI', 'Net',
  'JSON', 'YAML', 'Psych', 'OpenSSL', 'Digest', 'Base64', 'SecureRandom', 'Shellwords', 'Process', 'Gem', 'ERB', 'Open3', 'Timeout',
  'Mutex', 'Thread', 'Math', 'Marshal', 'ObjectSpace', 'Singleton', 'Forwardable', 'Pathname', 'Tempfile', 'Win32', 'WIN32OLE', 'Train',
  'Inspec', 'Erubis', 'ChefSpec', 'Fauxhai', 'Kitchen', 'Berkshelf', 'Dir', 'Logger', 'OpenStruct', 'Benchmark', 'Zlib', 'Uri', 'HTTParty', 'Aws', 'Date', 'DateTime'];

export function defineChefConstants(world: ChefWorld): void {
  const chef = world.chef;
  chef.constants.set('VERSION', { k: 'object', obj: new VersionString(CHEF_VERSION) });
  chef.constants.set('VersionString', { k: 'object', obj: world.defineClassAt('Chef::VersionString', world.coreClass('String')) });
  chef.constants.set('Log', { k: 'object', obj: new ChefLog() });
  chef.constants.set('Config', { k: 'object', obj: new ChefConfig() });
  chef.constants.set('Application', { k: 'object', obj: new ChefApplication() });
  world.object.constants.set('ENV', { k: 'object', obj: new EnvObject() });
  world.defineModuleAt('Chef::Platform').constants.set('ServiceHelpers', { k: 'object', obj: new ServiceHelpers() });
  world.defineModuleAt('Mixlib').constants.set('ShellOut', { k: 'object', obj: new ShellOutClass() });
  world.defineModuleAt('Chef::Util').constants.set('PathHelper', { k: 'object', obj: new PathHelper() });
  const hash = world.coreClass('Hash')!;
  const array = world.coreClass('Array')!;
  world.object.constants.set('Mash', { k: 'object', obj: hash });
  for (const name of ['ImmutableMash', 'VividMash', 'Attribute', 'AttrArray']) world.defineModuleAt('Chef::Node').constants.set(name, { k: 'object', obj: name === 'AttrArray' ? array : hash });
  world.defineModuleAt('Chef::Node').constants.set('ImmutableArray', { k: 'object', obj: array });
  const exceptions = world.defineModuleAt('Chef::Exceptions');
  void exceptions;
}

/**
 * Resolves a constant path the code does not define. Built-in resource and provider classes and
 * exception classes are made on first use (so `class X < Chef::Resource::File` and `rescue
 * Chef::Exceptions::X` work); other Chef and library namespaces become opaque modules.
 */
export function resolveChefConstant(world: ChefWorld, path: string, loc: SourceLocation): Value | undefined {
  const name = path.replace(/^::/, '');
  const defined = world.constantAt(name);
  if (defined !== undefined) return defined instanceof RModule ? { k: 'object', obj: defined } : defined as Value;
  if (name === 'File::SEPARATOR') return str('/');
  if (name === 'File::ALT_SEPARATOR') return runHostlessNil();
  const m = /^Chef::Resource::([A-Z]\w*)$/.exec(name);
  if (m) {
    const builtin = world.builtinResourceClass(snake(m[1]));
    return { k: 'object', obj: builtin ?? world.defineClassAt(name, world.resource) };
  }
  if (/^Chef::Provider::[A-Z]\w*$/.test(name)) return { k: 'object', obj: world.defineClassAt(name, world.provider) };
  if (/^Chef::Exceptions::[A-Z]\w*$/.test(name) || /Error$|Exception$/.test(name)) {
    return { k: 'object', obj: world.defineClassAt(name, world.constantAt('RuntimeError') as RModule) };
  }
  if (OPAQUE_PREFIXES.some((p) => name === p || name.startsWith(p + '::'))) return { k: 'object', obj: world.defineModuleAt(name) };
  void loc;
  return undefined;
}

function runHostlessNil(): Value { return NIL; }
