/**
 * The shape of a resource type, whether built in (from Chef's facts) or declared by a cookbook
 * (custom resource, LWRP, definition). One shape drives validation, completion, hover and the engine.
 */
import type { JsonValue, SourceLocation } from '../../protocol';

export type DefaultKind = 'none' | 'literal' | 'lazy' | 'expression' | 'name';

export interface PropertySchema {
  name: string;
  /** Ruby class names or literal values rendered as Ruby (`"true"`, `":quiet"`); empty = any. */
  types: string[];
  default?: JsonValue;
  defaultKind: DefaultKind;
  nameProperty: boolean;
  required: boolean;
  requiredForActions?: string[];
  /** Allowed values (JSON encoding of chef-resources.json: symbols as `":x"`). */
  equalTo?: JsonValue[];
  /** Regexes as `/src/flags`; the value passes if any matches. */
  regex?: string[];
  deprecated: boolean;
  sensitive: boolean;
  desiredState: boolean;
  /** Another property this one is an alias of. */
  aliasOf?: string;
  /** A deprecated property's successor, when it is a plain rename (its alias target, or what Chef's docs name). */
  replacedBy?: string;
  /** A short description in our own words, when we have one. */
  doc?: string;
  /** Where a custom resource declares it. */
  location?: SourceLocation;
  /** True for properties that only exist on some platforms (e.g. Windows rights). */
  platform?: string;
  /** `identity: true`: the property names the resource in Chef's reports. */
  identity?: boolean;
  /** A public method of the resource class (legacy accessors, helpers callable in its block), not a declared property. */
  kind?: 'property' | 'method' | 'rights_attribute';
}

export type ResourceSource = 'builtin' | 'custom' | 'lwrp' | 'definition';

/** Conditions under which a DSL name maps to a resource class (from `provides … platform_family: …`). */
export interface ProvidesRule {
  name: string;
  platform?: string[];
  platformFamily?: string[];
  os?: string[];
  /** Version constraint such as `>= 8`. */
  platformVersion?: string;
  /** The rule has a `provides … do |node| … end` block. */
  block?: boolean;
  /** Decides the block for a platform (undefined: it cannot be decided statically). */
  decide?: (facts: import('../platforms').PlatformFacts) => boolean | undefined;
}

export interface ResourceSchema {
  /** The canonical resource name (`apt_package`, `mycookbook_site`). */
  name: string;
  source: ResourceSource;
  actions: string[];
  defaultAction: string;
  /** Properties by name, including the common ones every resource has. */
  properties: Map<string, PropertySchema>;
  provides: ProvidesRule[];
  doc?: string;
  /** For custom resources / LWRPs / definitions. */
  cookbook?: string;
  location?: SourceLocation;
  deprecated?: boolean;
  introduced?: string;
  /** Action name → where it is declared (custom resources). */
  actionLocations?: Map<string, SourceLocation>;
}
