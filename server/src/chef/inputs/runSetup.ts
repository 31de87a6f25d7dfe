/**
 * Puts together the inputs of one run from what a user chose (CLI flags, an editor setting, a
 * kitchen suite): the recipes to compile and the node attributes at their levels, from a node JSON,
 * `--attribute`s, a suite's attributes, roles (expanded from the run list), the environment and a
 * Policyfile. Problems are collected as InputErrors (file and line), and what could be set up is
 * still returned, so a run with one missing role is still analysed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, readJsonDocument } from './inputFile';
import { nodeJsonInputs, attributeFlagLayer } from './nodeAttributes';
import { type AttributeLayer, type RunInputs, hashFromJson } from './runInputs';
import { listNamedFiles, readRole } from './roles';
import { readEnvironment } from './environments';
import { readPolicyfile, policyRunList, type Policy } from './policyfile';
import { expandRunList, roleFinder, recipeOf, type RunListOrigin } from './runListExpansion';

export interface RunRequest {
  /** Run list items as written (`recipe[a::b]`, `a`, `role[x]`), with where they came from. */
  runList?: { items: string[]; origin: RunListOrigin };
  /** chef-client's -j JSON file. */
  attributesFile?: string;
  /** `--attribute PATH=VALUE` flags. */
  attributeFlags?: string[];
  /** Attributes a kitchen suite (and its platform) sets: normal attributes, as Test Kitchen passes them. */
  kitchenAttributes?: { values: Record<string, unknown>; label: string; file?: string };
  /** The Chef environment (`-E`, a suite's client_rb environment). */
  environment?: string;
  /** A Policyfile, and optionally one of its named run lists. */
  policyfile?: string;
  namedRunList?: string;
  /** Folders of roles and environments; found upwards from `searchFrom` when not given. */
  rolesPath?: string;
  environmentsPath?: string;
  searchFrom?: string;
  /** What the caller already knows a user should hear (a kitchen setting Test Kitchen ignores). */
  notes?: string[];
  /** The node name the user chose (`--node-name`, `cloche.run.nodeName`). */
  nodeName?: string;
}

export interface RunSetup {
  /** `cookbook::recipe` entries, when the request names a run list (directly, by JSON, suite or policy). */
  recipes?: string[];
  inputs: RunInputs;
  errors: InputError[];
  /** What was done that a user should know (`environment production from roles/…`). */
  notes: string[];
  policy?: Policy;
}

export function setUpRun(req: RunRequest): RunSetup {
  const setup: RunSetup = { inputs: { layers: [], ...(req.nodeName ? { nodeName: req.nodeName } : {}) }, errors: [], notes: [...(req.notes ?? [])] };
  const attempt = <T>(fn: () => T): T | undefined => {
    try { return fn(); } catch (e) { if (e instanceof InputError) { setup.errors.push(e); return undefined; } throw e; }
  };
  const normal: AttributeLayer[] = [];
  // chef-client -j: normal attributes, maybe a run list and an environment.
  let items = req.runList;
  let environment = req.environment;
  if (req.attributesFile) {
    const json = attempt(() => nodeJsonInputs(readJsonDocument(req.attributesFile!), `--attributes ${path.basename(req.attributesFile!)}`));
    if (json) {
      normal.push(...json.layers);
      if (json.runList && !items) items = { items: json.runList, origin: { label: path.basename(req.attributesFile), file: req.attributesFile } };
      if (json.environment !== undefined) environment ??= json.environment;
      if (json.policy) setup.inputs.policy = json.policy;
    }
  }
  if (req.kitchenAttributes) {
    const k = req.kitchenAttributes;
    normal.push({ level: 'normal', values: hashFromJson(k.values), source: { kind: 'kitchen', label: k.label, ...(k.file ? { file: k.file } : {}) } });
  }
  for (const flag of req.attributeFlags ?? []) { const l = attempt(() => attributeFlagLayer(flag)); if (l) normal.push(l); }

  // A Policyfile: its run list (or a named one) and its attributes at role precedence; no roles, no environment.
  if (req.policyfile) {
    const policy = attempt(() => readPolicyfile(req.policyfile!));
    if (policy) {
      setup.policy = policy;
      setup.inputs.policy = { name: policy.name };
      setup.notes.push(...policy.notes);
      const rl = attempt(() => policyRunList(policy, req.namedRunList));
      if (rl && !req.runList) items = { items: rl, origin: { label: req.namedRunList ? `named run list ${req.namedRunList} of ${path.basename(policy.file)}` : path.basename(policy.file), file: policy.file } };
      const source = { kind: 'policy' as const, label: `policy ${policy.name}`, file: policy.file };
      setup.inputs.layers.push({ level: 'role_default', values: policy.defaults, source, lineOf: (p) => policy.lineOf('default', p) });
      setup.inputs.layers.push({ level: 'role_override', values: policy.overrides, source, lineOf: (p) => policy.lineOf('override', p) });
      if (environment !== undefined) setup.notes.push(`the environment '${environment}' is not used: a policy run has no environment`);
      environment = undefined;
    }
  }

  // The environment's attributes (env_default, env_override), and which role run lists apply.
  if (environment !== undefined && environment !== '_default') {
    const envDir = req.environmentsPath ?? findUpwards(req.searchFrom, 'environments');
    const file = listNamedFiles(envDir).get(environment);
    if (!file) setup.errors.push(new InputError(`environment '${environment}' does not exist${envDir ? ` in ${envDir}` : ' (no environments folder was found)'}`, items?.origin.file));
    else {
      const env = attempt(() => readEnvironment(file));
      if (env) {
        const source = { kind: 'environment' as const, label: `environment ${env.name}`, file: env.file };
        setup.inputs.layers.push({ level: 'env_default', values: env.defaults, source, lineOf: (p) => env.lineOf('default', p) });
        setup.inputs.layers.push({ level: 'env_override', values: env.overrides, source, lineOf: (p) => env.lineOf('override', p) });
      }
    }
  }
  if (environment !== undefined) setup.inputs.environment = environment;

  // The run list: roles expanded (their attributes at role_default/role_override).
  if (items) {
    setup.inputs.runList = items.items;
    const hasRoles = items.items.some((i) => /^\s*role\[/.test(i));
    if (hasRoles && setup.policy) setup.errors.push(new InputError('a Policyfile run list cannot hold roles', items.origin.file, items.origin.line));
    const rolesDir = hasRoles ? req.rolesPath ?? findUpwards(req.searchFrom, 'roles') : undefined;
    const expansion = expandRunList(items.items, items.origin, roleFinder(listNamedFiles(rolesDir), readRole), environment);
    setup.recipes = expansion.recipes;
    setup.errors.push(...expansion.errors);
    setup.inputs.layers.push(...expansion.layers);
    if (hasRoles) setup.inputs.roles = expansion.roles;
  }
  // Normal attributes last in the list (their level is above the roles' defaults anyway).
  setup.inputs.layers.push(...normal);
  return setup;
}

/** The nearest folder named `name` in `from` or above it (a chef-repo's roles/ or environments/). */
export function findUpwards(from: string | undefined, name: string, levels = 6): string | undefined {
  if (!from) return undefined;
  let dir = path.resolve(from);
  for (let i = 0; i <= levels; i++) {
    const candidate = path.join(dir, name);
    try { if (fs.statSync(candidate).isDirectory()) return candidate; } catch { /* keep looking */ }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Run list items that are plain recipes, as `cookbook::recipe` (for callers that take no roles). */
export function recipesOnly(items: string[]): string[] | undefined {
  const out = items.map(recipeOf);
  return out.every((r): r is string => r !== undefined) ? out : undefined;
}
