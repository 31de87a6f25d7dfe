/**
 * A cookbook's resource types as Chef loads them: `resources/*.rb` (custom resources, LWRPs with their
 * `providers/*.rb`) evaluated into classes of the world, resource classes that libraries define
 * (`class X < Chef::Resource`, with providers as `Chef::Provider` subclasses), and definitions
 * (`definitions/*.rb`). Each becomes data — a schema for the catalog and the implementation of each
 * action — that validation, completion and the compiler read.
 */
import * as path from 'node:path';
import type { SourceLocation } from '../protocol';
import { type Value, type RubyObject, NIL, unknown, toS, sym, arr } from '../ruby/values';
import { RModule, RInstance } from '../ruby/objects';
import { Interpreter, Env, type EvalCallContext, type EvalFinding, type FileUnit } from '../ruby/interpreter';
import type { PropertySchema, ProvidesRule, ResourceSchema } from './catalog/schema';
import { commonProperties } from './catalog/builtin';
import { ruleScore, compareScores } from './catalog/catalog';
import type { PlatformFacts } from './platforms';
import type { ChefWorld } from './dsl/chefWorld';
import { snake } from './dsl/names';
import {
  classInfo, ownInfo, allProperties, allowedActionsOf, defaultActionOf, actionImplOf, aliasesOf, type ActionImpl,
} from './dsl/resourceClass';
import { providerActions, providerInfo } from './dsl/providerDsl';
import { legacyProperties } from './legacyProperties';
import type { Workspace, Cookbook } from './workspace';

export interface CustomResourceDef {
  schema: ResourceSchema;
  /** The resource class (its methods, properties with defaults and coerce procs). */
  cls: RModule;
  file: string;
  /** Action name → how it runs (the class's `action` blocks, its provider's blocks or methods). */
  actions: Map<string, ActionImpl>;
  /**
   * When provider classes with platform rules implement it (`provides :x, os: 'windows'`), each
   * with its actions: which one runs is decided per platform (`actionsOn`).
   */
  providers?: { rules: ProvidesRule[]; actions: Map<string, ActionImpl> }[];
  /** Problems found while reading the files (a missing partial, a budget). */
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

/** An interpreter for loading: class state written now is the world's (shared by every run). */
export function loadingInterpreter(world: ChefWorld, host?: unknown): Interpreter {
  const interp = world.interpreter(host);
  interp.persistentModuleState = true;
  return interp;
}

/** The name Chef gives `resources/<file>.rb` of a cookbook: `<cookbook>_<file>`, or `<cookbook>` for default.rb. */
export function autoResourceName(cookbook: string, file: string): string {
  const base = path.basename(file, '.rb');
  return (base === 'default' ? cookbook : `${cookbook}_${base}`).replace(/[^A-Za-z0-9_]/g, '_');
}

/** Loads every custom resource, LWRP and definition of a cookbook into the world. */
export function loadCookbookResources(ws: Workspace, world: ChefWorld, cb: Cookbook): { resources: CustomResourceDef[]; definitions: DefinitionDef[] } {
  const resources: CustomResourceDef[] = [];
  for (const file of cb.files.resources) {
    const rel = path.relative(path.join(cb.dir, 'resources'), file);
    if (rel.includes(path.sep) || path.basename(file).startsWith('_')) continue; // partials
    const def = loadResourceFile(ws, world, cb, file);
    if (def) resources.push(def);
  }
  const definitions: DefinitionDef[] = [];
  for (const file of cb.files.definitions) definitions.push(...loadDefinitionFile(ws, world, cb, file));
  return { resources, definitions };
}

/** Evaluates a file as the body of a class (Chef's class_eval of resource and provider files). */
export function evalIntoClass(interp: Interpreter, cls: RModule, unit: FileUnit): void {
  const { raised } = interp.evalProgram(new Env(undefined, cls, unit, { nesting: [cls], definee: cls }));
  if (raised) interp.finding('resource-raises', `Loading this file stops with an error: ${raised.message}`, raised.loc ?? { file: unit.file, line: 1, column: 1 }, 'warning');
}

function loadResourceFile(ws: Workspace, world: ChefWorld, cb: Cookbook, file: string): CustomResourceDef | undefined {
  const parsed = ws.parse(file);
  if (!parsed) return undefined;
  const autoName = autoResourceName(cb.name, file);
  const cls = new RModule(autoName, true, world.lwrpBase);
  const info = classInfo(cls);
  Object.assign(info, { cookbook: cb.name, file, autoName, location: { file, line: 1, column: 1 } });
  const interp = loadingInterpreter(world);
  evalIntoClass(interp, cls, { file, parsed });
  // LWRP: the provider file of the same name holds the actions.
  const base = path.basename(file, '.rb');
  const providerFile = cb.files.providers.find((p) => path.basename(p, '.rb') === base);
  const pparsed = providerFile ? ws.parse(providerFile) : undefined;
  if (providerFile && pparsed) {
    const pcls = new RModule(`${autoName} provider`, true, world.providerLwrpBase);
    evalIntoClass(interp, pcls, { file: providerFile, parsed: pparsed });
    info.providerClass ??= pcls;
  }
  const names = resourceNames(cls, interp.findings);
  const { actions, providers } = actionsOf(world, cls, names);
  return { schema: schemaOf(cls, names, actions, interp), cls, file, actions, ...(providers ? { providers } : {}), findings: interp.findings };
}

/**
 * The DSL names a class is used by: its `provides` rules, and for resources/ files the name Chef
 * gives the file. Since Chef 16 `resource_name` alone provides nothing.
 */
function resourceNames(cls: RModule, findings: EvalFinding[]): ProvidesRule[] {
  const info = classInfo(cls);
  const rules = [...info.provides];
  if (info.autoName && !rules.some((r) => r.name === info.autoName)) rules.push({ name: info.autoName });
  const n = info.resourceName;
  if (n && !rules.some((r) => r.name === n)) {
    // Chef 12.5 to 15 made `resource_name :x` usable as `x`; Chef 16 stopped. Cookbooks of that time
    // rely on it, so the name is kept, and said once, where it is declared, what Chef 16+ needs.
    rules.push({ name: n });
    if (info.resourceNameLoc) {
      findings.push({ code: 'resource-name-without-provides', severity: 'warning', loc: info.resourceNameLoc,
        message: `Since Chef 16, resource_name :${n} alone no longer makes \`${n}\` usable in recipes (Chef 12.5 to 15 did): add \`provides :${n}\`.` });
    }
  }
  return rules;
}

/**
 * How each action of the class runs: its own blocks, else its provider's. Several provider classes
 * providing its names with platform rules (`provides :x, os: 'windows'`) are kept apart, for the
 * platform to choose from; `actions` then holds every action any of them implements.
 */
function actionsOf(world: ChefWorld, cls: RModule, names: ProvidesRule[]): { actions: Map<string, ActionImpl>; providers?: CustomResourceDef['providers'] } {
  const out = new Map<string, ActionImpl>();
  const own = ownActions(cls);
  const wanted = names.map((n) => n.name);
  const candidates = world.providerClasses.filter((p) => providerInfo(p).provides.some((r) => wanted.includes(r.name)));
  if (candidates.length > 1 || candidates.some((p) => providerInfo(p).provides.some((r) => wanted.includes(r.name) && hasConditions(r)))) {
    const providers = candidates.map((p) => ({ rules: providerInfo(p).provides.filter((r) => wanted.includes(r.name)), actions: new Map([...providerActions(p), ...own]) }));
    for (const p of providers) for (const [k, a] of p.actions) if (!out.has(k)) out.set(k, a);
    for (const [k, a] of own) out.set(k, a);
    return { actions: out, providers };
  }
  const provider = providerFor(world, cls, wanted);
  if (provider) for (const [k, a] of providerActions(provider)) out.set(k, a);
  for (const [k, a] of own) out.set(k, a);
  return { actions: out };
}

function ownActions(cls: RModule): Map<string, ActionImpl> {
  const out = new Map<string, ActionImpl>();
  for (const a of allowedActionsOf(cls)) { const impl = actionImplOf(cls, a); if (impl) out.set(a, impl); }
  return out;
}

const hasConditions = (r: ProvidesRule): boolean => !!(r.platform || r.platformFamily || r.os || r.platformVersion || r.block);

/**
 * The actions that run on a platform: those of the provider Chef would pick there (the most
 * specific matching rule, the later one on a tie), or, when none matches, the resource's own.
 */
export function actionsOn(def: CustomResourceDef, facts: PlatformFacts): Map<string, ActionImpl> {
  if (!def.providers) return def.actions;
  let best: { score: number[]; actions: Map<string, ActionImpl> } | undefined;
  for (const p of def.providers) {
    for (const rule of p.rules) {
      const score = ruleScore(rule, facts, def.schema.name);
      if (score && (!best || compareScores(score, best.score) >= 0)) best = { score, actions: p.actions };
    }
  }
  return best?.actions ?? ownActions(def.cls);
}

/** The provider class of a resource class: declared, provided for one of its names, or named like it. */
function providerFor(world: ChefWorld, cls: RModule, names: string[]): RModule | undefined {
  for (let c: RModule | undefined = cls; c; c = c.superclass) { const p = ownInfo(c)?.providerClass; if (p) return p; }
  const provided = [...world.providerClasses].reverse().find((p) => providerInfo(p).provides.some((r) => names.includes(r.name)));
  if (provided) return provided;
  const short = cls.name.split('::').pop() ?? '';
  for (const candidate of [`Chef::Provider::${short}`, cls.name.replace('::Resource::', '::Provider::')]) {
    const p = world.constantAt(candidate);
    if (p instanceof RModule && p !== cls && p.isA(world.provider)) return p;
  }
  return undefined;
}

function schemaOf(cls: RModule, names: ProvidesRule[], actions: Map<string, ActionImpl>, interp: Interpreter): ResourceSchema {
  const info = classInfo(cls);
  // Unique per class (several classes may provide one DSL name, per platform); messages use the DSL name.
  const name = info.resourceName ?? info.autoName ?? classDerivedName(cls) ?? names[0]?.name ?? cls.name;
  const properties = new Map<string, PropertySchema>(commonProperties(name));
  // A class deriving from a built-in resource (`< Chef::Resource::Service`) has its properties and actions.
  const builtin = builtinAncestor(cls);
  for (const [k, p] of builtin?.properties ?? []) properties.set(k, p);
  for (const [k, p] of legacyProperties(cls, interp)) properties.set(k, p);
  for (const [k, p] of allProperties(cls)) properties.set(k, p.schema);
  for (const [alias, target] of aliasesOf(cls)) {
    const t = properties.get(target);
    if (t && !properties.has(alias)) properties.set(alias, { ...t, name: alias, aliasOf: target });
  }
  const all = ['nothing', ...(builtin?.actions ?? []), ...allowedActionsOf(cls), ...actions.keys()].filter((a, i, list) => list.indexOf(a) === i);
  const actionLocations = new Map<string, SourceLocation>();
  for (const [a, impl] of actions) if (impl.loc) actionLocations.set(a, impl.loc);
  return {
    name,
    source: info.lwrp ? 'lwrp' : 'custom',
    actions: all,
    defaultAction: (defaultActionOf(cls)[0] === 'nothing' && builtin ? builtin.defaultAction : defaultActionOf(cls)[0]) ?? 'nothing',
    properties,
    provides: names,
    cookbook: info.cookbook,
    location: info.location ?? cls.location,
    actionLocations,
  };
}

/** The built-in resource a class derives from, if any. */
function builtinAncestor(cls: RModule): ResourceSchema | undefined {
  for (let c: RModule | undefined = cls.superclass; c; c = c.superclass) {
    const b = c.data.builtin as ResourceSchema | undefined;
    if (b) return b;
  }
  return undefined;
}

/** `MysqlCookbook::MysqlServiceManagerSystemd` → `mysql_service_manager_systemd`. */
function classDerivedName(cls: RModule): string | undefined {
  const short = cls.name.split('::').pop();
  return short && /^[A-Z]\w*$/.test(short) ? snake(short) : undefined;
}

/**
 * Resource classes a cookbook's libraries define. A class counts when it has a name (provides,
 * resource_name, `@resource_name` in an old-style `initialize`, or Chef 12's naming by class name
 * for `Chef::Resource::X`); abstract bases stay classes others inherit from.
 */
export function libraryResources(world: ChefWorld, files: Map<string, Cookbook>): CustomResourceDef[] {
  const out: CustomResourceDef[] = [];
  const interp = loadingInterpreter(world);
  for (const cls of world.resourceClasses) {
    const file = cls.location?.file;
    const cb = file ? files.get(file) : undefined;
    if (!cb) continue;
    const info = classInfo(cls);
    info.cookbook ??= cb.name;
    info.file ??= file;
    readInitialize(interp, world, cls);
    const names = resourceNames(cls, interp.findings);
    if (!names.length && /^Chef::Resource::[A-Z]\w*$/.test(cls.name) && !cls.isA(world.lwrpBase)) names.push({ name: snake(cls.name.slice('Chef::Resource::'.length)) });
    if (!names.length) continue;
    const { actions, providers } = actionsOf(world, cls, names);
    out.push({ schema: schemaOf(cls, names, actions, interp), cls, file: file!, actions, ...(providers ? { providers } : {}), findings: interp.findings.splice(0) });
  }
  return out;
}

/**
 * Old-style resource classes set their name, actions and provider in `initialize` (`@resource_name =
 * :x`, `@allowed_actions.push(:create)`, `@action = :create`). It is run once on a probe instance.
 */
function readInitialize(interp: Interpreter, world: ChefWorld, cls: RModule): void {
  const init = cls.findMethod('initialize');
  if (!init?.def) return;
  const probe = new RInstance(cls, {}, `${cls.name} (probe)`);
  probe.ivars.set('@allowed_actions', arr([sym('nothing')]));
  probe.ivars.set('@action', sym('nothing'));
  const env = new Env(undefined, world.main, { file: init.def.unit.file, parsed: init.def.unit.parsed });
  interp.underCondition(undefined, () => interp.invokeMethod(init.def!, probe, [unknown('the name of a resource'), NIL], undefined, interp.ctx(env), init));
  const info = classInfo(cls);
  const name = probe.ivars.get('@resource_name');
  if (name && (name.k === 'sym' || name.k === 'str')) info.resourceName = name.v;
  const allowed = probe.ivars.get('@allowed_actions');
  if (allowed?.k === 'array') for (const a of allowed.items) if ((a.k === 'sym' || a.k === 'str') && !info.allowedActions.includes(a.v)) info.allowedActions.push(a.v);
  const action = probe.ivars.get('@action');
  const first = action?.k === 'array' ? action.items[0] : action;
  if (first && (first.k === 'sym' || first.k === 'str') && first.v !== 'nothing') info.defaultAction = [first.v];
  const provider = probe.ivars.get('@provider');
  if (provider?.k === 'object' && provider.obj instanceof RModule) info.providerClass = provider.obj;
}

function loadDefinitionFile(ws: Workspace, world: ChefWorld, cb: Cookbook, file: string): DefinitionDef[] {
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
  loadingInterpreter(world).evalProgram(new Env(undefined, scope, { file, parsed }));
  return out;
}

export { toS };
