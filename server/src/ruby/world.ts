/**
 * The top of Ruby's object model that every evaluation shares: BasicObject, Object, Kernel, Module,
 * Class, and the core classes (String, Integer, …) as constants of Object. The natives of Object,
 * Module and Kernel come from natives/. A cookbook's libraries are evaluated into one world, so what
 * they define (modules, classes, reopened Chef classes) is what its recipes see.
 */
import type { Value, RubyObject } from './values';
import { RModule, RInstance } from './objects';
import { defineObjectNatives } from './natives/object';
import { defineModuleNatives } from './natives/module';
import { defineKernelNatives } from './natives/kernel';
import { defineCoreClassNatives } from './natives/coreClasses';
import { FileClass } from './natives/file';
import { gemConstant } from './core/gem';
import { JSON_MODULE, SHELLWORDS_MODULE, URI_MODULE } from './natives/stdlib';

/** Core classes of values that are not objects of the model (strings, numbers, …). */
export const CORE_CLASS_NAMES = [
  'NilClass', 'TrueClass', 'FalseClass', 'Numeric', 'Integer', 'Float', 'String', 'Symbol', 'Array', 'Hash', 'Range', 'Regexp',
  'Proc', 'Time', 'Struct', 'Set', 'MatchData', 'Method', 'Random', 'Encoding', 'Rational', 'Complex',
] as const;

const EXCEPTION_CLASSES: [string, string][] = [
  ['Exception', ''], ['ScriptError', 'Exception'], ['NotImplementedError', 'ScriptError'], ['LoadError', 'ScriptError'],
  ['StandardError', 'Exception'], ['RuntimeError', 'StandardError'], ['ArgumentError', 'StandardError'], ['TypeError', 'StandardError'],
  ['NameError', 'StandardError'], ['NoMethodError', 'NameError'], ['IndexError', 'StandardError'], ['KeyError', 'IndexError'],
  ['StopIteration', 'IndexError'], ['RangeError', 'StandardError'], ['IOError', 'StandardError'], ['EOFError', 'IOError'],
  ['SystemCallError', 'StandardError'], ['ZeroDivisionError', 'StandardError'], ['FrozenError', 'RuntimeError'],
  ['SecurityError', 'Exception'], ['Timeout::Error', 'RuntimeError'], ['Errno::ENOENT', 'SystemCallError'], ['Errno::EACCES', 'SystemCallError'],
];

export class RubyWorld {
  readonly basicObject = new RModule('BasicObject', true);
  readonly object: RModule;
  readonly kernel = new RModule('Kernel', false);
  readonly module: RModule;
  readonly klass: RModule;
  readonly comparable = new RModule('Comparable', false);
  readonly enumerable = new RModule('Enumerable', false);
  /** `main`, the self of a library file's top level. */
  readonly main: RInstance;
  private readonly core = new Map<string, RModule>();

  constructor() {
    this.object = new RModule('Object', true, this.basicObject);
    this.object.include(this.kernel);
    this.module = new RModule('Module', true, this.object);
    this.klass = new RModule('Class', true, this.module);
    for (const m of [this.basicObject, this.object, this.kernel, this.module, this.klass, this.comparable, this.enumerable]) this.object.constants.set(m.name, { k: 'object', obj: m });
    for (const name of CORE_CLASS_NAMES) {
      const superclass = name === 'Integer' || name === 'Float' || name === 'Rational' || name === 'Complex' ? this.core.get('Numeric') : this.object;
      const cls = new RModule(name, true, superclass);
      this.core.set(name, cls);
      this.object.constants.set(name, { k: 'object', obj: cls });
    }
    for (const name of ['String', 'Numeric']) this.core.get(name)!.include(this.comparable);
    for (const name of ['Array', 'Hash', 'Range', 'Struct', 'Set']) this.core.get(name)!.include(this.enumerable);
    for (const [name, parent] of EXCEPTION_CLASSES) this.defineClassAt(name, parent ? this.constantAt(parent) as RModule : this.object);
    for (const name of ['File', 'Dir', 'FileTest', 'IO', 'FileUtils']) this.object.constants.set(name, { k: 'object', obj: new FileClass(name) });
    this.object.constants.set('RUBY_PLATFORM', { k: 'str', v: 'x86_64-linux' });
    this.object.constants.set('RUBY_VERSION', { k: 'str', v: '3.1.6' });
    this.object.constants.set('ARGV', { k: 'array', items: [] });
    this.object.constants.set('JSON', { k: 'object', obj: JSON_MODULE });
    this.object.constants.set('Shellwords', { k: 'object', obj: SHELLWORDS_MODULE });
    this.object.constants.set('URI', { k: 'object', obj: URI_MODULE });
    const gem = this.defineModuleAt('Gem');
    for (const name of ['Version', 'Requirement']) gem.constants.set(name, gemConstant(`Gem::${name}`)!);
    this.main = new RInstance(this.object, {}, 'main');
    defineObjectNatives(this);
    defineModuleNatives(this);
    defineKernelNatives(this);
    defineCoreClassNatives(this);
  }

  /** The core class of a value kind (`String` for strings …); objects answer their own class. */
  classOf(v: Value): RModule {
    switch (v.k) {
      case 'nil': return this.core.get('NilClass')!;
      case 'bool': return this.core.get(v.v ? 'TrueClass' : 'FalseClass')!;
      case 'int': return this.core.get('Integer')!;
      case 'float': return this.core.get('Float')!;
      case 'str': return this.core.get('String')!;
      case 'sym': return this.core.get('Symbol')!;
      case 'array': return this.core.get('Array')!;
      case 'hash': return this.core.get('Hash')!;
      case 'range': return this.core.get('Range')!;
      case 'regexp': return this.core.get('Regexp')!;
      case 'proc': case 'lazy': return this.core.get('Proc')!;
      case 'object': {
        const o = v.obj;
        if (o instanceof RInstance) return o.cls;
        if (o instanceof RModule) return o.isClass ? this.klass : this.module;
        return this.object;
      }
      default: return this.object;
    }
  }

  coreClass(name: string): RModule | undefined {
    return this.core.get(name);
  }

  /** A constant by its full path from Object (`Chef::Resource`), if defined. */
  constantAt(path: string): Value | RModule | undefined {
    let cur: RModule = this.object;
    const parts = path.replace(/^::/, '').split('::');
    for (let i = 0; i < parts.length; i++) {
      const v = cur.constants.get(parts[i]);
      if (!v) return undefined;
      if (i === parts.length - 1) return v.k === 'object' && v.obj instanceof RModule ? v.obj : v;
      if (v.k !== 'object' || !(v.obj instanceof RModule)) return undefined;
      cur = v.obj;
    }
    return cur;
  }

  /** Defines (or returns) the module at a path, making the namespaces on the way as modules. */
  defineModuleAt(path: string, isClass = false, superclass?: RModule): RModule {
    const parts = path.replace(/^::/, '').split('::');
    let cur: RModule = this.object;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const existing = cur.constants.get(parts[i]);
      if (existing?.k === 'object' && existing.obj instanceof RModule) { cur = existing.obj; continue; }
      const full = parts.slice(0, i + 1).join('::');
      const m = new RModule(full, last && isClass, last && isClass ? superclass ?? this.object : undefined, cur);
      cur.constants.set(parts[i], { k: 'object', obj: m });
      cur = m;
    }
    return cur;
  }

  defineClassAt(path: string, superclass: RModule = this.object): RModule {
    return this.defineModuleAt(path, true, superclass);
  }

  /** Wraps a model object as a value. */
  value(o: RubyObject): Value {
    return { k: 'object', obj: o };
  }
}
