/**
 * `self` in a recipe, a definition body or a custom resource's action: declares resources,
 * includes recipes, and answers the recipe DSL (`node`, `platform?`, `data_bag_item`, …).
 */
import {
  type Value, type RubyObject, NIL, str, arr, bool, unknown, toS, hashOf,
} from '../ruby/values';
import type { EvalCallContext } from '../ruby/interpreter';
import { platformHelper } from './platformDsl';
import { ResourceRef } from './resourceScope';
import type { Compilation } from './compilation';

export interface ScopeContext {
  cookbook: string;
  /** `cookbook::recipe` */
  origin: string;
  recipeName: string;
  runItem: number;
  /** Id of the custom resource / definition instance being expanded. */
  parent?: string;
  /** `new_resource` in a custom resource action. */
  newResource?: RubyObject;
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

/** Calls that reach the machine or the Chef server: unknown at authoring time, with a reason. */
const RUNTIME_CALLS: Record<string, string> = {
  data_bag: 'reads a data bag from the Chef server',
  data_bag_item: 'reads a data bag item from the Chef server',
  search: 'searches the Chef server',
  partial_search: 'searches the Chef server',
  encrypted_data_bag_item: 'reads an encrypted data bag',
  chef_vault_item: 'reads a Chef Vault item',
  shell_out: 'runs a command on the machine',
  'shell_out!': 'runs a command on the machine',
  powershell_out: 'runs PowerShell on the machine',
  'powershell_out!': 'runs PowerShell on the machine',
  'registry_key_exists?': 'reads the Windows registry',
  'registry_value_exists?': 'reads the Windows registry',
  registry_get_values: 'reads the Windows registry',
  'tagged?': 'depends on the node tags on the Chef server',
  secret: 'reads a secret store',
  current_resource: 'is the state read from the machine at converge time',
  'shell_out_compacted': 'runs a command on the machine',
};

export class RecipeScope implements RubyObject {
  readonly className = 'Chef::Recipe';
  private readonly ivars = new Map<string, Value>();

  constructor(readonly session: Compilation, readonly sc: ScopeContext) {}

  describe(): string {
    return `recipe ${this.sc.origin}`;
  }

  /** Resource types win over library helpers of the same name (a library's `def user` must not hide `user 'x'`). */
  owns(name: string): boolean {
    return this.session.resourceKind(name) !== undefined;
  }

  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    const s = this.session;
    const kind = s.resourceKind(method);
    if (kind && this.looksLikeDeclaration(args, ctx)) return s.declare(method, kind, args, ctx, this);
    const platform = platformHelper(method, args, s.facts);
    if (platform !== undefined) return platform;
    switch (method) {
      case 'node': return { k: 'object', obj: s.node };
      case 'include_recipe': case 'include_recipes':
        for (const a of args.flatMap((x) => (x.k === 'array' ? x.items : [x]))) s.includeRecipe(a, ctx, this);
        return NIL;
      case 'cookbook_name': { const cb = sourceCookbookOf(this.sc); return cb === null ? unknown('cookbook_name is the cookbook of the recipe that declares the resource', ctx.loc) : str(cb); }
      case 'recipe_name': return str(this.sc.recipeName);
      case 'new_resource': return this.sc.newResource ? { k: 'object', obj: this.sc.newResource } : undefined;
      case 'params': return this.sc.params;
      case 'lazy': return ctx.block?.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block');
      case 'declare_resource': case 'build_resource': {
        const type = args[0];
        if (type?.k !== 'sym' && type?.k !== 'str') return unknown('declare_resource with a type not known statically', ctx.loc);
        const k = s.resourceKind(type.v) ?? 'unknown';
        return s.declare(type.v, k, args.slice(1), ctx, this);
      }
      case 'resources': case 'find_resource': case 'find_resource!': return s.findResource(args, ctx);
      case 'edit_resource': case 'edit_resource!': {
        const ref = s.findResource(args, ctx);
        if (ref.k === 'object' && ref.obj instanceof ResourceRef && ref.obj.decl && ctx.block) s.editResource(ref.obj.decl, ctx.block, this, ctx);
        return ref;
      }
      case 'delete_resource': case 'delete_resource!': return NIL;
      case 'with_run_context': return ctx.block ? ctx.interp.callProc(ctx.block, []) : NIL;
      case 'converge_by': return NIL; // runs Ruby at converge time; no resources are declared by it
      case 'converge_if_changed': return ctx.block ? ctx.interp.underCondition('converge_if_changed: only when properties differ from the machine', () => ctx.interp.callProc(ctx.block!, [])) : NIL;
      case 'action_class': case 'load_current_value': case 'current_value_does_not_exist!': return NIL;
      case 'run_context': case 'events': case 'resource_collection': return unknown(`${method} is the run's internal state`, ctx.loc);
      case 'tag': case 'untag': case 'log_message': return NIL;
      case 'tags': return arr([]);
      case 'instance_variable_get': return this.ivars.get(toS(args[0] ?? NIL)) ?? NIL;
      case 'instance_variable_set': this.ivars.set(toS(args[0] ?? NIL), args[1] ?? NIL); return args[1] ?? NIL;
      case 'attribute?': {
        const k = args[0];
        return k && (k.k === 'str' || k.k === 'sym') ? bool(s.node.store.read([k.v]) !== undefined) : undefined;
      }
      case 'respond_to?': return unknown('respond_to? is not evaluated statically');
      default: break;
    }
    const reason = RUNTIME_CALLS[method];
    if (reason) return unknown(`\`${method}\` ${reason}`, ctx.loc);
    if (this.sc.newResource) {
      // In an action, a bare property name reads new_resource (Chef < 16 behaviour some cookbooks rely on).
      const v = this.sc.newResource.call(method, args, ctx);
      if (v !== undefined && args.length === 0) return v;
    }
    // A declaration of a type nobody provides: the caller decides whether that is worth reporting.
    if (this.looksLikeUnknownResource(method, args, ctx)) return s.declare(method, 'unknown', args, ctx, this);
    return undefined;
  }

  /** `package 'x'`, `apt_update`, `service 'x' do … end` — not `package.name` style calls. */
  private looksLikeDeclaration(args: Value[], ctx: EvalCallContext): boolean {
    if (args.length === 0) return true;
    const first = args[0];
    return first.k !== 'hash' || !!ctx.block || args.length > 1;
  }

  /**
   * A bare call that reads like a resource declaration: a name-like first argument and a `do` block,
   * or a close misspelling of a known resource type. Anything else stays an unknown call.
   */
  private looksLikeUnknownResource(method: string, args: Value[], ctx: EvalCallContext): boolean {
    if (!/^[a-z][a-z0-9_]*$/.test(method) || args.length > 2) return false;
    const first = args[0];
    const nameLike = first && (first.k === 'str' || first.k === 'array' || first.k === 'unknown');
    if (!nameLike) return false;
    if (ctx.blockNode && ctx.blockNode.openingLoc && ctx.interp.source(ctx.env.unit, ctx.blockNode).startsWith('do')) return true;
    return this.session.isCloseToKnownType(method);
  }
}

/** `params` of a definition: its defaults, overridden by the block's bare calls and the name. */
export class DefinitionParams implements RubyObject {
  readonly className = 'DefinitionParams';
  readonly values: Map<string, Value>;
  constructor(defaults: Value, name: Value) {
    this.values = new Map();
    if (defaults.k === 'hash') for (const e of defaults.map.values()) this.values.set(toS(e.key), e.value);
    this.values.set('name', name);
  }
  describe(): string { return 'params'; }
  call(method: string, args: Value[]): Value | undefined {
    if (args.length === 0) return this.values.get(method);
    this.values.set(method, args.length === 1 ? args[0] : arr(args));
    return args[0];
  }
  toHash(): Value {
    return hashOf([...this.values].map(([k, v]) => [{ k: 'sym', v: k }, v]));
  }
}
