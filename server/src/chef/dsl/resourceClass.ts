/**
 * What a resource class declares, as data: its properties (with defaults and coerce procs as
 * values), actions and how they are implemented, allowed and default actions, names and provides
 * rules, its action class. The class-level DSL (`property`, `action`, …, resourceClassDsl.ts) writes
 * it; schemas for the catalog and the compiler's expansion read it. Inheritance follows Chef.
 */
import type { SourceLocation } from '../../protocol';
import type { Value } from '../../ruby/values';
import type { RModule } from '../../ruby/objects';
import type { PropertySchema, ProvidesRule } from '../catalog/schema';

export interface PropertyDef {
  schema: PropertySchema;
  /** The default as a value (a literal or a lazy block); undefined when there is none. */
  default?: Value;
  /** `coerce: proc { |v| … }`, run with the resource as self when a value is set (and on defaults). */
  coerce?: Value;
}

/** How an action runs: a recipe block (custom resources, LWRP providers) or a provider method (`def action_create`). */
export type ActionImpl =
  /** `provider` is the provider class the block was written in (LWRP providers); unset: the resource's action class. */
  | { kind: 'block'; proc: Value; loc: SourceLocation; provider?: RModule }
  | { kind: 'method'; provider: RModule; method: string; loc?: SourceLocation };

export interface ResourceClassInfo {
  cookbook?: string;
  /** The file that defines it (resources/x.rb, or the library file of a class). */
  file?: string;
  /** `<cookbook>_<file>` (or `<cookbook>` for default.rb) for resources/ files. */
  autoName?: string;
  resourceName?: string;
  /** Where `resource_name` is called. */
  resourceNameLoc?: SourceLocation;
  provides: ProvidesRule[];
  properties: Map<string, PropertyDef>;
  /** `actions`/`allowed_actions`, in order of declaration (own; inherited ones are merged on read). */
  allowedActions: string[];
  defaultAction?: string[];
  /** Actions defined by this class with `action :x do … end`. */
  actions: Map<string, ActionImpl>;
  actionClass?: RModule;
  /** `provider Chef::Provider::X` or `@provider` set in `initialize`. */
  providerClass?: RModule;
  /** LWRP style (`attribute`, `actions`): the provider file of the same name holds the actions. */
  lwrp: boolean;
  /** `property_name: alias target` from `alias_method`. */
  aliases: Map<string, string>;
  location?: SourceLocation;
}

/** The info record of a resource class (made on first write). */
export function classInfo(cls: RModule): ResourceClassInfo {
  let info = cls.data.resource as ResourceClassInfo | undefined;
  if (!info) {
    info = { provides: [], properties: new Map(), allowedActions: [], actions: new Map(), lwrp: false, aliases: new Map() };
    cls.data.resource = info;
  }
  return info;
}

export function ownInfo(cls: RModule): ResourceClassInfo | undefined {
  return cls.data.resource as ResourceClassInfo | undefined;
}

/** The class and its superclasses that are resource classes, root first. */
export function resourceLineage(cls: RModule): RModule[] {
  const out: RModule[] = [];
  for (let c: RModule | undefined = cls; c && out.length < 32; c = c.superclass) out.unshift(c);
  return out;
}

/** Every property a class has, inherited ones first, overridden by subclasses. */
export function allProperties(cls: RModule): Map<string, PropertyDef> {
  const out = new Map<string, PropertyDef>();
  for (const c of resourceLineage(cls)) for (const [k, p] of ownInfo(c)?.properties ?? []) out.set(k, p);
  return out;
}

export function findProperty(cls: RModule, name: string): PropertyDef | undefined {
  for (let c: RModule | undefined = cls; c; c = c.superclass) {
    const p = ownInfo(c)?.properties.get(name);
    if (p) return p;
  }
  return undefined;
}

/** Chef's default action: the nearest class that set one, else `:nothing`. */
export function defaultActionOf(cls: RModule): string[] {
  for (let c: RModule | undefined = cls; c; c = c.superclass) {
    const d = ownInfo(c)?.defaultAction;
    if (d?.length) return d;
  }
  return ['nothing'];
}

/** Allowed actions (`:nothing` first), with those of superclasses and every action defined. */
export function allowedActionsOf(cls: RModule): string[] {
  const out = new Set<string>(['nothing']);
  for (const c of resourceLineage(cls)) {
    const info = ownInfo(c);
    if (!info) continue;
    for (const a of info.allowedActions) out.add(a);
    for (const a of info.actions.keys()) out.add(a);
    for (const a of info.defaultAction ?? []) out.add(a);
  }
  return [...out];
}

/** The implementation of an action: the nearest class defining it, else its provider's. */
export function actionImplOf(cls: RModule, action: string): ActionImpl | undefined {
  for (let c: RModule | undefined = cls; c; c = c.superclass) {
    const a = ownInfo(c)?.actions.get(action);
    if (a) return a;
  }
  return undefined;
}

export function aliasesOf(cls: RModule): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of resourceLineage(cls)) {
    for (const [k, v] of ownInfo(c)?.aliases ?? []) out.set(k, v);
    for (const [k, v] of Object.entries((c.data.aliases as Record<string, string> | undefined) ?? {})) out.set(k, v);
  }
  return out;
}
