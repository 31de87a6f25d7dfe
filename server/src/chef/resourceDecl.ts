/**
 * A resource as a recipe declares it, with everything validation, the graph and the engine need:
 * each property assignment with its location, actions, notifications, guards and provenance.
 */
import type { GraphGuard, SourceLocation, Timing } from '../protocol';
import type { Value } from '../ruby/values';
import type { ResourceSchema } from './catalog/schema';

export interface PropertyAssignment {
  name: string;
  value: Value;
  /** The whole call (`mode '0644'`). */
  loc: SourceLocation;
  /** The property name token. */
  nameLoc?: SourceLocation;
  /** The value argument. */
  valueLoc?: SourceLocation;
  /** False when the schema has no such property (validation reports it). */
  known: boolean;
  /** The value is what the property's `coerce` made of the one written. */
  coerced?: boolean;
  /** Written under a condition inside the resource's block that is not known statically. */
  conditional?: string;
}

export interface NotificationDecl {
  kind: 'notifies' | 'subscribes';
  /** The action to run ('' when it is not known statically: see actionUnknown). */
  action: string;
  /** Why the action cannot be read statically. */
  actionUnknown?: string;
  /** The target as written (`service[nginx]`), or a description when it is not a string. */
  target: string;
  /** Parsed target: type and name, when the text is well formed. */
  targetType?: string;
  targetName?: string;
  /** True when the target could not be read statically (an unknown value). */
  targetUnknown?: boolean;
  /** Why the target cannot be read. */
  targetReason?: string;
  /** Set when the target text is not of the form `type[name]`. */
  malformed?: string;
  timing: Timing;
  /** A timing symbol that Chef does not know (`:later`). */
  badTiming?: string;
  loc: SourceLocation;
  /** The action's name when written as a literal (without the `:`). */
  actionLoc?: SourceLocation;
  targetLoc?: SourceLocation;
  /** Filled at the end of compilation. */
  resolved?: ResourceDecl;
}

export interface ResourceDecl {
  /** Declaration order in the whole run. */
  seq: number;
  /** The DSL name as written (`package`). */
  type: string;
  /** The resource type it resolves to on the platform (`apt_package`); the type itself when unknown. */
  resolvedType: string;
  schema?: ResourceSchema;
  /** Why the schema is missing (unknown type, type of a dependency not in the workspace, …). */
  schemaMissing?: 'unknown' | 'external' | 'other-platform' | 'library';
  name: Value;
  /** The name as Chef prints it; `«unknown»` (never source text) when nameUnknown is set. */
  nameText: string;
  /** Why the name is not known statically (nil, an unknown value). */
  nameUnknown?: string;
  id: string;
  props: PropertyAssignment[];
  /** The actions known statically (see actionUnknown). */
  actions: string[];
  /** Why (some of) the actions written cannot be read statically. */
  actionUnknown?: string;
  actionLoc?: SourceLocation;
  /** Each action written as a literal symbol or string in `action`: where its name is (without the `:`). */
  actionWordLocs?: Map<string, SourceLocation>;
  explicitAction: boolean;
  notifications: NotificationDecl[];
  guards: GraphGuard[];
  /** The whole declaration. */
  loc: SourceLocation;
  /** The type token. */
  nameLoc?: SourceLocation;
  file: string;
  cookbook: string;
  /**
   * Where its template/cookbook_file source is looked up when it names no `cookbook` (see
   * ScopeContext.sourceCookbook): unset means `cookbook`, null means not known statically.
   */
  sourceCookbook?: string | null;
  /** `cookbook::recipe` that declared it. */
  origin: string;
  /** Which run-list entry led to it (duplicates are only compared within one). */
  runItem: number;
  /**
   * The resource collection it is declared into when not the run's: each action of a custom
   * resource instance has its own (Chef runs it as a sub-run), so duplicates are compared within it.
   */
  collection?: string;
  conditional?: string;
  repeated?: string;
  parent?: string;
  /** The action of the parent custom resource whose body declared it (Chef converges it during that action only). */
  parentAction?: string;
  custom?: boolean;
  compileTime?: boolean;
  /** A pseudo resource standing for a definition's expansion (not a real Chef resource). */
  definition?: boolean;
}

/** Chef's `type[name]` key. Array names join with ", " as Chef's `to_s` does. */
export function resourceId(type: string, nameText: string): string {
  return `${type}[${nameText}]`;
}

/** Parses `type[name]` (the name may itself contain brackets, e.g. `execute[run [x]]`). */
export function parseTarget(text: string): { type: string; name: string } | undefined {
  const m = /^\s*([a-z_][a-z0-9_]*)\[(.*)\]\s*$/is.exec(text);
  return m ? { type: m[1], name: m[2] } : undefined;
}

/** The value a property was last set to, if any. */
export function propValue(decl: ResourceDecl, name: string): Value | undefined {
  for (let i = decl.props.length - 1; i >= 0; i--) if (decl.props[i].name === name) return decl.props[i].value;
  const alias = decl.schema?.properties.get(name);
  if (alias) for (let i = decl.props.length - 1; i >= 0; i--) if (decl.schema?.properties.get(decl.props[i].name)?.aliasOf === name) return decl.props[i].value;
  return undefined;
}
