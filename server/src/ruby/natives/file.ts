/**
 * `File`, `Dir`, `FileTest` and `IO`: path arithmetic is known; anything that asks the file system
 * is unknown (it depends on the machine Chef runs on), and anything that changes it, too.
 */
import { type Value, type RubyObject, type CallContext, str, arr, unknown, findUnknown, toS } from '../values';

const MACHINE = new Set(['exist?', 'exists?', 'file?', 'directory?', 'symlink?', 'executable?', 'readable?', 'writable?', 'size?', 'zero?', 'empty?',
  'read', 'readlines', 'binread', 'stat', 'lstat', 'mtime', 'ctime', 'atime', 'readlink', 'realpath', 'open', 'foreach', 'size', 'glob', '[]', 'entries',
  'children', 'each_child', 'exists', 'owned?', 'pwd', 'getwd', 'home', 'ftype', 'world_readable?', 'world_writable?', 'socket?', 'pipe?', 'blockdev?', 'chardev?']);
const CHANGES = new Set(['write', 'binwrite', 'delete', 'unlink', 'chmod', 'chown', 'rename', 'mkdir', 'mkdir_p', 'rm_rf', 'symlink', 'link', 'utime', 'truncate', 'chdir', 'rmdir']);

/** Path arithmetic: answers from the arguments alone. */
const PATH_METHODS = new Set(['join', 'basename', 'dirname', 'extname', 'expand_path', 'absolute_path', 'split', 'absolute_path?']);

export class FileClass implements RubyObject {
  readonly className = 'Class';
  readonly pureMethods = PATH_METHODS;
  constructor(readonly name: string) {}
  describe(): string { return this.name; }
  toJson() { return this.name; }
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
        let base = strings[0] === '/' ? '/' : strings[0].replace(/\/+$/, '').split('/').pop() ?? '';
        if (strings[1] === '.*') base = base.replace(/(.)\.[^.]*$/, '$1');
        else if (strings[1] && base.endsWith(strings[1]) && base !== strings[1]) base = base.slice(0, -strings[1].length);
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
        const m = /[^/.](\.[^./]+)$/.exec(strings[0].split('/').pop() ?? '');
        return str(m ? m[1] : '');
      }
      case 'expand_path': case 'absolute_path':
        if (u) return unknown(u.reason, u.loc);
        return strings[0]?.startsWith('/') ? str(normalise(strings[0])) : strings[1]?.startsWith('/') && strings[0] !== undefined ? str(normalise(`${strings[1]}/${strings[0]}`)) : unknown('a path relative to the working directory of the Chef run', ctx.loc);
      case 'split': return strings[0] !== undefined ? arr([str(strings[0].replace(/\/[^/]*$/, '') || '/'), str(strings[0].split('/').pop() ?? '')]) : undefined;
      case 'absolute_path?': return strings[0] !== undefined ? { k: 'bool', v: strings[0].startsWith('/') } : undefined;
      default: break;
    }
    if (MACHINE.has(method)) {
      const value = unknown(`${this.name}.${method}(${strings[0] ?? '…'}) depends on the machine Chef runs on`, ctx.loc) as Extract<Value, { k: 'unknown' }>;
      const test = strings[0]?.startsWith('/') && !u ? machineTest(this.name, method, strings[0]) : undefined;
      return test ? { ...value, test } : value;
    }
    if (CHANGES.has(method)) return unknown(`${this.name}.${method} changes the machine while the recipe compiles`, ctx.loc);
    return undefined;
  }
}

/** `test(1)` operators of the predicates File, FileTest and Dir answer about one path. */
const TEST_OPERATORS: Record<string, string> = {
  'exist?': '-e', 'exists?': '-e', 'file?': '-f', 'directory?': '-d', 'symlink?': '-L', 'executable?': '-x', 'readable?': '-r',
  'writable?': '-w', 'size?': '-s', 'owned?': '-O', 'socket?': '-S', 'pipe?': '-p', 'blockdev?': '-b', 'chardev?': '-c',
};

/** The sh condition equal to a file predicate on an absolute path, when there is one. */
function machineTest(cls: string, method: string, path: string): string | undefined {
  const q = `'${path.replace(/'/g, `'\\''`)}'`;
  if (cls === 'Dir') {
    if (method === 'exist?' || method === 'exists?') return `test -d ${q}`;
    if (method === 'empty?') return `test -d ${q} && test -z "$(ls -A ${q})"`;
    return undefined;
  }
  if (cls !== 'File' && cls !== 'FileTest') return undefined;
  if (method === 'zero?' || method === 'empty?') return `test -f ${q} && ! test -s ${q}`;
  const op = TEST_OPERATORS[method];
  return op ? `test ${op} ${q}` : undefined;
}

/** `/a/./b/../c` → `/a/c`. */
function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop(); else out.push(part);
  }
  return '/' + out.join('/');
}
