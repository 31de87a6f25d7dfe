/**
 * Ruby's object model, as far as cookbooks need it: modules and classes with method tables,
 * constants, `include`/`prepend`/`extend`, superclasses and singleton classes; instances with
 * instance variables. Methods are either Ruby code (`def`, run by the interpreter) or native
 * (TypeScript functions: Ruby's and Chef's built-in behaviour). Lookup follows Ruby's ancestor order,
 * so a cookbook that reopens a class, mixes a module into the recipe DSL or overrides a method gets
 * what Ruby would give it.
 */
import type { SourceLocation } from '../protocol';
import type { Value, RubyObject, CallContext } from './values';
import type { MethodDef, EvalCallContext } from './env';

/** A method implemented in TypeScript. `undefined` means "not handled here": lookup goes on. */
export type NativeMethod = (self: Value, args: Value[], ctx: EvalCallContext) => Value | undefined;

export type Visibility = 'public' | 'private' | 'protected';

export interface MethodEntry {
  name: string;
  owner: RModule;
  visibility: Visibility;
  /** Ruby code: a `def`, a `define_method` block, or an alias of one. */
  def?: MethodDef;
  native?: NativeMethod;
  /** A native the call memo can follow (callMemo.ts): its answer depends on its arguments alone, or it hands out the run's node (whose reads are checked and replayed). */
  memoSafe?: boolean;
}

/** Methods a module answers for names it does not store (Chef's resource DSL, property accessors). */
export type DynamicMethods = (name: string) => NativeMethod | undefined;

let worldVersion = 0;
export function currentWorldVersion(): number { return worldVersion; }
/** Any change to a method table or an ancestor list: lookup caches made before it are stale. */
function bump(): void { worldVersion++; }

/** For dynamic method tables whose answers changed (a cookbook's resources were reloaded). */
export function invalidateMethodCaches(): void { bump(); }

export class RModule implements RubyObject {
  readonly className: 'Class' | 'Module';
  readonly methods = new Map<string, MethodEntry>();
  readonly constants = new Map<string, Value>();
  /** Modules included, in the order they were included. */
  readonly includes: RModule[] = [];
  readonly prepends: RModule[] = [];
  /** Class-level instance variables (`@x` in a class body or a `def self.x`). */
  readonly ivars = new Map<string, Value>();
  readonly classVars = new Map<string, Value>();
  /** Names looked up when no method of that name is stored (see DynamicMethods). */
  dynamic?: DynamicMethods;
  /** Native state of Chef's classes (a custom resource's properties and actions, …). */
  readonly data: Record<string, unknown> = {};
  /** Where the module is (first) defined. */
  location?: SourceLocation;
  private meta?: RModule;
  private ancestorCache?: { version: number; list: RModule[] };
  private lookupCache = new Map<string, { version: number; entry: MethodEntry | undefined }>();
  /** The current visibility of `def`s in the body being evaluated (`private` with no arguments). */
  defaultVisibility: Visibility = 'public';
  /** `module_function` with no arguments: later defs are also singleton methods. */
  moduleFunction = false;

  constructor(
    public name: string,
    readonly isClass: boolean,
    public superclass?: RModule,
    readonly lexicalParent?: RModule,
    /** Set for the singleton class of an object or module. */
    readonly attachedTo?: RubyObject,
  ) {
    this.className = isClass ? 'Class' : 'Module';
  }

  describe(): string { return this.name; }
  toJson(): string { return this.name; }

  /** The class holding this module's own methods (`def self.x`, `extend M`). */
  singleton(): RModule {
    if (!this.meta) {
      // A class's singleton inherits its superclass's singleton, so class methods are inherited.
      // No bump: a new singleton is in no existing ancestor list (a subclass's singleton makes its parent's first).
      this.meta = new RModule(`#<Class:${this.name}>`, true, this.superclass?.singleton(), undefined, this);
    }
    return this.meta;
  }

  hasSingleton(): boolean { return this.meta !== undefined; }

  include(m: RModule): void {
    if (m === this || this.includes.includes(m)) return;
    this.includes.push(m);
    bump();
  }

  prepend(m: RModule): void {
    if (m === this || this.prepends.includes(m)) return;
    this.prepends.push(m);
    bump();
  }

  define(entry: Omit<MethodEntry, 'owner'>): void {
    this.methods.set(entry.name, { ...entry, owner: this });
    bump();
  }

  defineNative(name: string, native: NativeMethod, visibility: Visibility = 'public', traits: { memoSafe?: boolean } = {}): void {
    this.define({ name, native, visibility, ...traits });
  }

  /**
   * A singleton class nothing was defined in yet (each resource object of a run gets one): it
   * answers as its superclass does, whose lookups are cached already (and the call memo keys calls
   * on its object by that superclass).
   */
  isBareSingleton(): boolean {
    return this.attachedTo !== undefined && this.methods.size === 0 && this.includes.length === 0 && this.prepends.length === 0 && !this.dynamic;
  }

  /** Ruby's ancestor list: prepends, the module, its includes (latest first), then the superclass's. */
  ancestors(): RModule[] {
    if (this.ancestorCache?.version === worldVersion) return this.ancestorCache.list;
    if (this.isBareSingleton() && this.superclass) {
      const list = [this, ...this.superclass.ancestors()];
      this.ancestorCache = { version: worldVersion, list };
      return list;
    }
    const list: RModule[] = [];
    const seen = new Set<RModule>();
    const addModule = (m: RModule, depth: number): void => {
      if (depth > 64) return;
      for (let i = m.prepends.length - 1; i >= 0; i--) addModule(m.prepends[i], depth + 1);
      if (!seen.has(m)) { seen.add(m); list.push(m); }
      for (let i = m.includes.length - 1; i >= 0; i--) addModule(m.includes[i], depth + 1);
    };
    for (let c: RModule | undefined = this, n = 0; c && n < 64; c = c.superclass, n++) addModule(c, 0);
    this.ancestorCache = { version: worldVersion, list };
    return list;
  }

  /** The method `name` resolves to on instances of this module (or, for a singleton, on its object). */
  findMethod(name: string): MethodEntry | undefined {
    if (this.isBareSingleton()) return this.superclass?.findMethod(name);
    const cached = this.lookupCache.get(name);
    if (cached && cached.version === worldVersion) return cached.entry;
    let entry: MethodEntry | undefined;
    for (const m of this.ancestors()) {
      entry = m.ownMethod(name);
      if (entry) break;
    }
    if (this.lookupCache.size > 2000) this.lookupCache.clear();
    this.lookupCache.set(name, { version: worldVersion, entry });
    return entry;
  }

  /** A method this module itself defines (stored, or answered by its dynamic table). */
  ownMethod(name: string): MethodEntry | undefined {
    const stored = this.methods.get(name);
    if (stored || !this.dynamic) return stored;
    const native = this.dynamic(name);
    return native ? { name, owner: this, visibility: 'public', native } : undefined;
  }

  /** The next method of that name after `owner` in this module's ancestors (for `super`). */
  findSuper(name: string, owner: RModule): MethodEntry | undefined {
    const list = this.ancestors();
    const at = list.indexOf(owner);
    for (let i = at + 1; at >= 0 && i < list.length; i++) {
      const entry = list[i].ownMethod(name);
      if (entry) return entry;
    }
    return undefined;
  }

  /** `self <= other`: this module is other or has it among its ancestors. */
  isA(other: RModule): boolean {
    return this.ancestors().includes(other);
  }

  /** A constant of this module or of its ancestors. */
  constant(name: string): Value | undefined {
    for (const m of this.ancestors()) {
      const v = m.constants.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Calls on the module itself (class methods) are dispatched by the interpreter through singleton(). */
  call(_method: string, _args: Value[], _ctx: CallContext): Value | undefined {
    return undefined;
  }
}

/** An instance of a class (a recipe, a resource, a provider, an object a library makes with `new`). */
export class RInstance implements RubyObject {
  readonly ivars = new Map<string, Value>();
  private meta?: RModule;
  constructor(
    readonly cls: RModule,
    /** Native state (the resource declaration behind a resource object, …). */
    readonly data: Record<string, unknown> = {},
    private readonly label?: string,
  ) {}

  get className(): string { return this.cls.name; }

  describe(): string { return this.label ?? `#<${this.cls.name}>`; }

  /** The singleton class (for `extend` and `def obj.x`), made on first need. */
  singleton(): RModule {
    if (!this.meta) {
      // No bump: only this object's lookups change, and they are made through the new class from now on.
      this.meta = new RModule(`#<Class:${this.describe()}>`, true, this.cls, undefined, this);
    }
    return this.meta;
  }

  /** The class methods are looked up in: the singleton class if there is one, else the class. */
  lookupClass(): RModule {
    return this.meta ?? this.cls;
  }

  call(_method: string, _args: Value[], _ctx: CallContext): Value | undefined {
    return undefined;
  }
}

/** Whether a value is one of this model's objects (dispatched through method tables). */
export function isModelObject(o: RubyObject): o is RModule | RInstance {
  return o instanceof RModule || o instanceof RInstance;
}

/** The class methods of an object are looked up in. */
export function lookupClassOf(o: RModule | RInstance): RModule {
  return o instanceof RModule ? o.singleton() : o.lookupClass();
}
