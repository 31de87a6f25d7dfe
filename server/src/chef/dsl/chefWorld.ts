/**
 * Chef's classes and modules in the object model: Chef::Recipe and its DSL, Chef::Resource (with its
 * class-level DSL and LWRPBase), Chef::Provider, the built-in resource classes, and the modules
 * cookbooks mix their helpers into. A cookbook's libraries are evaluated into one ChefWorld, so a
 * module included into `Chef::DSL::Recipe` or a class inheriting `Chef::Resource` is what the run sees.
 */
import type { Value } from '../../ruby/values';
import { RModule, invalidateMethodCaches } from '../../ruby/objects';
import { Interpreter, type EvalCallContext, type Budgets } from '../../ruby/interpreter';
import { RubyWorld } from '../../ruby/world';
import type { PlatformFacts } from '../platforms';
import type { ResourceSchema } from '../catalog/schema';
import { classInfo, ownInfo } from './resourceClass';
import { defineResourceClassDsl } from './resourceClassDsl';
import { defineUniversalDsl } from './universalDsl';
import { defineRecipeDsl } from './recipeDsl';
import { defineResourceDsl, propertyAccessor } from './resourceDsl';
import { defineProviderDsl } from './providerDsl';
import { defineChefConstants, resolveChefConstant } from './chefConstants';
import { CHEF_DSL_METHODS } from './chefDslMethods';
import { camel } from './names';
import { commonProperties } from '../catalog/builtin';

const COMMON_PROPERTY_NAMES: ReadonlySet<string> = new Set(commonProperties().keys());

/** What the world asks the model it belongs to. */
export interface ChefWorldHooks {
  /** Whether a DSL name is a resource type or a definition somewhere in the workspace or in Chef. */
  isResourceName(name: string): boolean;
  /** The built-in schema of a resource type by its Chef name (`template`). */
  builtinSchema(name: string): ResourceSchema | undefined;
  /** `use 'partial'` in a resource class: evaluates the partial file into the class. */
  usePartial(cls: RModule, rel: string, ctx: EvalCallContext): void;
  /** Makes the decider of a `provides :x do |node| … end` block. */
  providesDecider(block: Value): (facts: PlatformFacts) => boolean | undefined;
}

export class ChefWorld extends RubyWorld {
  readonly chef: RModule;
  readonly universal: RModule;
  readonly dslRecipe: RModule;
  /** Resource types as methods of the recipe DSL (answered dynamically from the catalog). */
  readonly dslResources: RModule;
  readonly recipe: RModule;
  readonly resource: RModule;
  readonly lwrpBase: RModule;
  readonly provider: RModule;
  readonly providerLwrpBase: RModule;
  /** The base of custom resources' action classes (Chef::Resource::ActionClass). */
  readonly actionClassBase: RModule;
  /** Classes code derived from Chef::Resource / Chef::Provider (via `inherited`), in order. */
  readonly resourceClasses: RModule[] = [];
  readonly providerClasses: RModule[] = [];
  private readonly builtinClasses = new Map<string, RModule>();

  constructor(readonly hooks: ChefWorldHooks) {
    super();
    this.chef = this.defineModuleAt('Chef', true);
    this.universal = this.defineModuleAt('Chef::DSL::Universal');
    this.dslResources = this.defineModuleAt('Chef::DSL::Resources');
    this.dslRecipe = this.defineModuleAt('Chef::DSL::Recipe');
    this.dslRecipe.include(this.universal);
    this.dslRecipe.include(this.dslResources);
    for (const alias of ['Chef::DSL::PlatformIntrospection', 'Chef::DSL::DataQuery', 'Chef::DSL::IncludeRecipe', 'Chef::DSL::DeclareResource', 'Chef::Mixin::ShellOut', 'ChefUtils::DSL::Platform']) {
      this.universal.include(this.defineModuleAt(alias));
    }
    this.recipe = this.defineClassAt('Chef::Recipe');
    this.recipe.include(this.dslRecipe);
    this.resource = this.defineClassAt('Chef::Resource');
    this.resource.include(this.universal);
    this.resource.include(this.defineModuleAt('Chef::DSL::DeclareResource'));
    this.lwrpBase = this.defineClassAt('Chef::Resource::LWRPBase', this.resource);
    this.provider = this.defineClassAt('Chef::Provider');
    this.provider.include(this.dslRecipe);
    this.providerLwrpBase = this.defineClassAt('Chef::Provider::LWRPBase', this.provider);
    this.actionClassBase = this.defineClassAt('Chef::Resource::ActionClass', this.provider);
    // Chef's DSL methods Cloche does not implement still exist: respond_to? says so.
    this.universal.data.knownMethods = CHEF_DSL_METHODS;
    defineResourceClassDsl(this);
    defineUniversalDsl(this);
    defineRecipeDsl(this);
    defineResourceDsl(this);
    defineProviderDsl(this);
    defineChefConstants(this);
  }

  /** A world that knows no workspace (no custom resources, partials or provides blocks). */
  static standalone(builtinSchema: (name: string) => ResourceSchema | undefined = () => undefined): ChefWorld {
    return new ChefWorld({ isResourceName: () => false, builtinSchema, usePartial: () => undefined, providesDecider: () => () => undefined });
  }

  /** An interpreter over this world; `host` is what the DSL's natives reach (a run, or facts and a node). */
  interpreter(host?: unknown, budgets?: Budgets): Interpreter {
    return new Interpreter({ world: this, resolveConstant: (p, loc) => resolveChefConstant(this, p, loc), host, budgets });
  }

  /** The names of the properties every resource has (retries, sensitive, …). */
  commonPropertyNames(): ReadonlySet<string> {
    return COMMON_PROPERTY_NAMES;
  }

  /** The dynamic answers changed (a cookbook's resources were reloaded): method caches are stale. */
  invalidate(): void {
    invalidateMethodCaches();
  }

  usePartial(cls: RModule, rel: string, ctx: EvalCallContext): void {
    this.hooks.usePartial(cls, rel, ctx);
  }

  providesDecider(block: Value): (facts: PlatformFacts) => boolean | undefined {
    return this.hooks.providesDecider(block);
  }

  /**
   * The class of a built-in resource type (`Chef::Resource::Template` for `template`), made on first
   * use, with its properties as accessors.
   */
  builtinResourceClass(name: string): RModule | undefined {
    const cached = this.builtinClasses.get(name);
    if (cached) return cached;
    const schema = this.hooks.builtinSchema(name);
    if (!schema) return undefined;
    const path = `Chef::Resource::${camel(name)}`;
    const existing = this.constantAt(path);
    const cls = existing instanceof RModule ? existing : this.defineClassAt(path, this.resource);
    const info = classInfo(cls);
    info.resourceName = name;
    cls.data.builtin = schema;
    cls.dynamic = (prop) => (schema.properties.has(prop) ? propertyAccessor(prop) : prop.endsWith('=') && schema.properties.has(prop.slice(0, -1)) ? propertyAccessor(prop.slice(0, -1)) : undefined);
    this.builtinClasses.set(name, cls);
    return cls;
  }

  /** The action class of a custom resource class: the provider its `action` blocks run in (made on first need). */
  actionClassOf(cls: RModule): RModule {
    const info = classInfo(cls);
    if (info.actionClass) return info.actionClass;
    const parent = cls.superclass && ownInfo(cls.superclass)?.actionClass ? this.actionClassOf(cls.superclass) : this.actionClassBase;
    const ac = new RModule(`${cls.name} action class`, true, parent);
    ac.data.resourceClass = cls;
    // Chef delegates the resource's public methods (its own and its modules', not its properties nor
    // Chef::Resource's) that the provider does not have to new_resource.
    ac.dynamic = (name) => {
      const own = cls.findMethod(name);
      if (!own?.def || own.visibility !== 'public' || own.owner.name.startsWith('Chef::')) return undefined;
      // Not what the provider has itself (its action_class helpers, modules it includes, Chef::Provider's).
      if (ac.methods.has(name) || ac.ancestors().some((m) => m !== ac && m.ownMethod(name))) return undefined;
      return (self, args, ctx) => {
        const nr = (self.k === 'object' && (self.obj as { data?: { sc?: { newResource?: Value } } }).data?.sc?.newResource) || undefined;
        return nr ? ctx.interp.callMethod(nr, name, args, ctx) : undefined;
      };
    };
    info.actionClass = ac;
    return ac;
  }
}
