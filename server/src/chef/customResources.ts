/**
 * Reads a cookbook's custom resources (`resources/*.rb`, with partials via `use`), LWRPs
 * (`resources/` + `providers/` with `attribute`/`actions`) and definitions (`definitions/*.rb`) into
 * schemas for the catalog, plus the action bodies the compiler expands with `new_resource` bound.
 */
import * as path from 'node:path';
import type { SourceLocation } from '../protocol';
import {
  type Value, type RubyObject, NIL, unknown, toS, toJson, hashGetName, truthy, str,
} from '../ruby/values';
import { Interpreter, Env, type EvalCallContext, type EvalFinding, type MethodDef, type FileUnit } from '../ruby/interpreter';
import type { PropertySchema, ProvidesRule, ResourceSchema } from './catalog/schema';
import { commonProperties } from './catalog/builtin';
import { ClassObject, resolveChefConstant } from './constants';
import type { Workspace, Cookbook } from './workspace';

export interface ActionDef {
  proc: Value;
  loc: SourceLocation;
}

export interface CustomResourceDef {
  schema: ResourceSchema;
  file: string;
  /** Action name → body (from `action :x do` or, for LWRPs, the provider file). */
  actions: Map<string, ActionDef>;
  /** `def`s of `action_class` and of the resource class, callable from actions. */
  methods: Map<string, MethodDef>;
  /** Property defaults as values (literal or lazy), for `new_resource`. */
  defaults: Map<string, Value>;
  /** Problems found while reading the file (a missing partial, a budget). */
  findings: EvalFinding[];
}

export interface DefinitionDef {
  name: string;
  cookbook: string;
  defaults: Value;
  body: Value;
  loc: SourceLocation;
  file: string;
}

/** Loads every custom resource, LWRP and definition of a cookbook. */
export function loadCookbookResources(ws: Workspace, cb: Cookbook): { resources: CustomResourceDef[]; definitions: DefinitionDef[] } {
  const resources: CustomResourceDef[] = [];
  for (const file of cb.files.resources) {
    const rel = path.relative(path.join(cb.dir, 'resources'), file);
    if (rel.includes(path.sep) || path.basename(file).startsWith('_')) continue; // partials
    const def = loadResourceFile(ws, cb, file);
    if (def) resources.push(def);
  }
  const definitions: DefinitionDef[] = [];
  for (const file of cb.files.definitions) definitions.push(...loadDefinitionFile(ws, cb, file));
  return { resources, definitions };
}

function newInterpreter(): Interpreter {
  return new Interpreter(undefined, resolveChefConstant);
}

function loadResourceFile(ws: Workspace, cb: Cookbook, file: string): CustomResourceDef | undefined {
  const parsed = ws.parse(file);
  if (!parsed) return undefined;
  const base = path.basename(file, '.rb');
  const autoName = `${cb.name}_${base}`;
  const scope = new ResourceFileScope(ws, cb, file, autoName);
  const interp = newInterpreter();
  const unit: FileUnit = { file, parsed };
  const env = new Env(undefined, scope, unit, scope.methods);
  interp.evalProgram(env);
  // LWRP: the provider file of the same name holds the actions.
  const provider = cb.files.providers.find((p) => path.basename(p, '.rb') === base);
  if (provider) {
    const pparsed = ws.parse(provider);
    if (pparsed) {
      const pscope = new ResourceFileScope(ws, cb, provider, autoName);
      interp.evalProgram(new Env(undefined, pscope, { file: provider, parsed: pparsed }, scope.methods));
      for (const [name, a] of pscope.actions) scope.actions.set(name, a);
      if (scope.lwrp && scope.declaredActions.length === 0) scope.declaredActions.push(...pscope.actions.keys());
    }
  }
  return { ...scope.toDef(), findings: interp.findings };
}

/** Collects what a resource file declares. */
class ResourceFileScope implements RubyObject {
  readonly className = 'Chef::Resource (definition)';
  readonly properties = new Map<string, PropertySchema>();
  readonly defaults = new Map<string, Value>();
  readonly actions = new Map<string, ActionDef>();
  readonly methods = new Map<string, MethodDef>();
  readonly declaredActions: string[] = [];
  readonly provides: ProvidesRule[] = [];
  readonly actionLocations = new Map<string, SourceLocation>();
  resourceName?: string;
  defaultAction?: string;
  lwrp = false;

  constructor(private readonly ws: Workspace, private readonly cb: Cookbook, private readonly file: string, private readonly autoName: string) {}

  describe(): string { return `resource file ${path.basename(this.file)}`; }

  call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
    const sym = (v: Value | undefined) => (v && (v.k === 'sym' || v.k === 'str') ? v.v : undefined);
    switch (method) {
      case 'property': case 'attribute': {
        const name = sym(args[0]);
        if (!name) return NIL;
        if (method === 'attribute') this.lwrp = true;
        this.addProperty(name, args.slice(1), ctx);
        return NIL;
      }
      case 'action': {
        const name = sym(args[0]);
        if (name && ctx.block) {
          this.actions.set(name, { proc: ctx.block, loc: ctx.loc! });
          this.actionLocations.set(name, ctx.loc!);
        }
        return NIL;
      }
      case 'actions': case 'allowed_actions': this.declaredActions.push(...args.flatMap((a) => (a.k === 'array' ? a.items : [a])).map(toS)); this.lwrp ||= method === 'actions'; return NIL;
      case 'default_action': { const a = args[0]; this.defaultAction = a?.k === 'array' ? toS(a.items[0] ?? NIL) : sym(a); return NIL; }
      case 'resource_name': { const n = sym(args[0]); if (n) this.resourceName = n; return args.length ? NIL : str(this.resourceName ?? this.autoName); }
      case 'provides': {
        const n = sym(args[0]);
        if (n) this.provides.push(providesRule(n, args[1]));
        return NIL;
      }
      case 'use': {
        const rel = sym(args[0]);
        if (rel) this.usePartial(rel, ctx);
        return NIL;
      }
      case 'action_class': case 'class_eval': {
        // Its defs land in this scope's methods (see __define_method__), callable from actions.
        if (ctx.block) ctx.interp.callProc(ctx.block, []);
        return NIL;
      }
      case '__define_method__': {
        const p = ctx.block;
        if (p?.k === 'proc') {
          const node = p.proc.node as { name: string };
          this.methods.set(node.name, { name: node.name, node, unit: ctx.env.unit, origin: this.file });
        }
        return NIL;
      }
      case 'unified_mode': case 'description': case 'introduced': case 'examples': case 'preview_resource': case 'skip_docs':
      case 'load_current_value': case 'use_inline_resources': case 'whyrun_supported?': case 'include': case 'extend': case 'deprecated':
      case 'identity_attr': case 'state_attrs': case 'chef_version_for_provides': case 'provider': case 'require': case 'default_description':
        return NIL;
      case 'lazy': return ctx.block?.k === 'proc' ? { k: 'lazy', proc: ctx.block.proc } : unknown('lazy without a block');
      case 'new_resource': return unknown('new_resource only exists inside an action');
      case 'node': return unknown('node is only known when the resource is used in a run');
      default: return undefined;
    }
  }

  private usePartial(rel: string, ctx: EvalCallContext): void {
    const dir = path.dirname(this.file);
    const candidates = [path.join(dir, rel + '.rb'), path.join(dir, path.dirname(rel), '_' + path.basename(rel) + '.rb'), path.join(dir, rel)];
    const file = candidates.find((c) => this.ws.exists(c));
    const parsed = file ? this.ws.parse(file) : undefined;
    if (!file || !parsed) {
      ctx.interp.finding('missing-partial', `The partial '${rel}' used here does not exist.`, ctx.loc!, 'error');
      return;
    }
    ctx.interp.evalProgram(new Env(undefined, this, { file, parsed }, this.methods));
  }

  private addProperty(name: string, rest: Value[], ctx: EvalCallContext): void {
    let types: string[] = [];
    let opts: Value | undefined;
    for (const a of rest) {
      if (a.k === 'hash') opts = a;
      else types.push(...typeNames(a));
    }
    const opt = (k: string) => (opts?.k === 'hash' ? hashGetName(opts, k) : undefined);
    const kindOf = opt('kind_of') ?? opt('is');
    if (kindOf) types = types.concat(typeNames(kindOf));
    const def = opt('default');
    const nameProp = truthy(opt('name_property') ?? opt('name_attribute') ?? NIL) === true;
    const equalTo = opt('equal_to');
    const regex = opt('regex');
    const required = opt('required');
    const prop: PropertySchema & { coerce?: boolean } = {
      name,
      types,
      defaultKind: nameProp ? 'name' : def === undefined ? 'none' : def.k === 'lazy' || def.k === 'proc' ? 'lazy' : def.k === 'unknown' ? 'expression' : 'literal',
      default: def && def.k !== 'lazy' && def.k !== 'proc' && def.k !== 'unknown' ? toJson(def) : undefined,
      nameProperty: nameProp,
      required: required !== undefined && truthy(required) === true,
      requiredForActions: required?.k === 'array' ? required.items.map(toS) : undefined,
      equalTo: equalTo?.k === 'array' && !equalTo.items.some((i) => i.k === 'unknown') ? equalTo.items.map((i) => toJson(i)) : undefined,
      regex: regex?.k === 'regexp' ? [`/${regex.source}/${regex.flags}`] : undefined,
      deprecated: opt('deprecated') !== undefined && truthy(opt('deprecated')!) !== false,
      sensitive: truthy(opt('sensitive') ?? NIL) === true,
      desiredState: opt('desired_state') === undefined || truthy(opt('desired_state')!) !== false,
      location: ctx.loc,
      coerce: opt('coerce') !== undefined || opt('callbacks') !== undefined,
    };
    if (types.includes('unknown')) prop.types = [];
    this.properties.set(name, prop);
    if (def !== undefined) this.defaults.set(name, def);
  }

  toDef(): Omit<CustomResourceDef, 'findings'> {
    const name = this.resourceName ?? this.autoName;
    const properties = new Map<string, PropertySchema>(commonProperties(name));
    for (const [k, p] of this.properties) properties.set(k, p);
    const actions = ['nothing', ...new Set([...this.declaredActions, ...this.actions.keys()])].filter((a, i, all) => all.indexOf(a) === i);
    const provides = [...this.provides];
    // Chef names resources/*.rb after the cookbook and file unless resource_name says otherwise; both stay usable.
    if (!provides.some((p) => p.name === this.autoName)) provides.push({ name: this.autoName });
    if (this.resourceName && !provides.some((p) => p.name === this.resourceName)) provides.push({ name: this.resourceName });
    const schema: ResourceSchema = {
      name,
      source: this.lwrp ? 'lwrp' : 'custom',
      actions,
      defaultAction: this.defaultAction ?? actions.find((a) => a !== 'nothing') ?? 'nothing',
      properties,
      provides,
      cookbook: this.cb.name,
      location: { file: this.file, line: 1, column: 1 },
      actionLocations: this.actionLocations,
    };
    return { schema, file: this.file, actions: this.actions, methods: this.methods, defaults: this.defaults };
  }
}

/** `String`, `[String, Array]`, `[true, false]` → Ruby type names as the catalog writes them. */
function typeNames(v: Value): string[] {
  if (v.k === 'array') return v.items.flatMap(typeNames);
  if (v.k === 'object' && v.obj instanceof ClassObject) return [v.obj.name];
  if (v.k === 'object') return [v.obj.describe()];
  if (v.k === 'bool') return [String(v.v)];
  if (v.k === 'nil') return ['nil'];
  if (v.k === 'sym') return [':' + v.v];
  if (v.k === 'str') return [JSON.stringify(v.v)];
  return ['unknown'];
}

function providesRule(name: string, opts: Value | undefined): ProvidesRule {
  const rule: ProvidesRule = { name };
  if (opts?.k !== 'hash') return rule;
  const list = (v: Value | undefined) => (v ? (v.k === 'array' ? v.items.map(toS) : [toS(v)]) : undefined);
  rule.platform = list(hashGetName(opts, 'platform'));
  rule.platformFamily = list(hashGetName(opts, 'platform_family'));
  rule.os = list(hashGetName(opts, 'os'));
  const ver = hashGetName(opts, 'platform_version');
  if (ver) rule.platformVersion = toS(ver);
  return rule;
}

function loadDefinitionFile(ws: Workspace, cb: Cookbook, file: string): DefinitionDef[] {
  const parsed = ws.parse(file);
  if (!parsed) return [];
  const out: DefinitionDef[] = [];
  const scope: RubyObject = {
    className: 'Chef::Definitions',
    describe: () => 'definitions file',
    call(method: string, args: Value[], ctx: EvalCallContext): Value | undefined {
      if (method !== 'define') return undefined;
      const name = args[0];
      if ((name?.k === 'sym' || name?.k === 'str') && ctx.block) {
        out.push({ name: name.v, cookbook: cb.name, defaults: args[1] ?? NIL, body: ctx.block, loc: ctx.loc!, file });
      }
      return NIL;
    },
  };
  newInterpreter().evalProgram(new Env(undefined, scope, { file, parsed }));
  return out;
}
