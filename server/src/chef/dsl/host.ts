/**
 * What the Chef DSL's natives reach through `ctx.interp.host`: the run being compiled (facts, node,
 * the resource collection), and the scope each recipe, action or definition body runs in.
 */
import type { SourceLocation } from '../../protocol';
import type { Value } from '../../ruby/values';
import type { RInstance } from '../../ruby/objects';
import type { EvalCallContext } from '../../ruby/interpreter';
import type { PlatformFacts } from '../platforms';
import type { NodeObject } from '../attributes';
import type { ResourceDecl } from '../resourceDecl';

export type ResourceKind = 'builtin' | 'custom' | 'definition' | 'library' | 'unknown';

/** Where a recipe, a custom resource's action or a definition body runs. */
export interface ScopeContext {
  cookbook: string;
  /** `cookbook::recipe` */
  origin: string;
  recipeName: string;
  runItem: number;
  /** Id of the custom resource / definition instance being expanded. */
  parent?: string;
  /** The resource collection this scope declares into (each action of a custom resource has its own). */
  collection?: string;
  /** `new_resource` in a custom resource action. */
  newResource?: Value;
  /** The action being run (`action` inside an action body). */
  action?: string;
  /** `params` in a definition body. */
  params?: Value;
  /**
   * The cookbook template and cookbook_file sources are looked up in when a resource names none:
   * Chef's `cookbook_name`, which inside a custom resource action or a definition is the calling
   * recipe's cookbook, not the one defining the resource. Unset: `cookbook`. Null: no caller is
   * known (actions checked on their own), so the lookup cannot be decided.
   */
  sourceCookbook?: string | null;
}

/** The source cookbook a scope passes on to what it expands (its own, or its caller's). */
export function sourceCookbookOf(sc: ScopeContext): string | null {
  return sc.sourceCookbook === undefined ? sc.cookbook : sc.sourceCookbook;
}

/** The run being compiled, as the DSL's natives see it (implemented by Compilation). */
export interface RunHost {
  readonly facts: PlatformFacts;
  readonly node: NodeObject;
  resourceKind(name: string): ResourceKind | undefined;
  isCloseToKnownType(name: string): boolean;
  /** Declares a resource from a DSL call; returns the resource object. */
  declare(type: string, kind: ResourceKind, args: Value[], ctx: EvalCallContext, scope: RInstance): Value;
  /** `literal`: where the argument naming the recipe is written (for fixes of a missing recipe). */
  includeRecipe(spec: Value, ctx: EvalCallContext | undefined, from: RInstance, literal?: SourceLocation): void;
  /**
   * `resources(…)`, `find_resource(…)`: the resource object found from the scope's collection up to
   * the run's (as Chef's lookups go up run contexts), or a reference to one not declared.
   */
  findResource(args: Value[], ctx: EvalCallContext, from: ScopeContext): Value;
  /** The collection a collection's owner was declared in (undefined: the run's). */
  parentCollection(collection: string | undefined): string | undefined;
  /** `edit_resource(…) do … end` (the block gets new_resource when called from an action). */
  editResource(decl: ResourceDecl, block: Value, ctx: EvalCallContext, from: ScopeContext): void;
}

/** The platform and node of the evaluation, when it is for one (a run, or a `provides` block being decided). */
export function hostFacts(ctx: EvalCallContext): { facts: PlatformFacts; node: NodeObject } | undefined {
  const h = ctx.interp.host as { facts?: PlatformFacts; node?: NodeObject } | undefined;
  return h?.facts && h.node ? (h as { facts: PlatformFacts; node: NodeObject }) : undefined;
}

export function runHost(ctx: EvalCallContext): RunHost | undefined {
  const h = ctx.interp.host as { declare?: unknown } | undefined;
  return h && typeof h.declare === 'function' ? (h as RunHost) : undefined;
}

/** The scope of a recipe, action or definition object. */
export function scopeOf(self: Value): ScopeContext | undefined {
  return self.k === 'object' ? ((self.obj as { data?: { sc?: ScopeContext } }).data?.sc) : undefined;
}
