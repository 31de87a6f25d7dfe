/**
 * The inputs of a run beyond its cookbooks: node attributes (chef-client's -j JSON, `--attribute`,
 * a kitchen suite, roles, the environment, a policy), each at its precedence level, and what they
 * say about the node (its environment, roles, run list). Pure data; `applyRunInputs` writes the
 * attributes into a compilation's store before the cookbooks' attribute files run, as Chef does.
 */
import type { SourceLocation } from '../../protocol';
import { type Value, fromJson, inspect, toS } from '../../ruby/values';
import type { AttributeStore, Level } from '../attributes';

/** Where a layer of attributes comes from, for hover and messages (`role web`, `--attributes node.json`). */
export interface AttributeSource {
  kind: 'node-json' | 'attribute-flag' | 'role' | 'environment' | 'policy' | 'kitchen' | 'setting';
  /** How a user names it: `role web`, `environment production`, `policy app`, `suite default`. */
  label: string;
  file?: string;
}

export type HashValue = Extract<Value, { k: 'hash' }>;

/** Attributes one source sets at one level (a hash as Ruby sees it: from JSON, or from a role's Ruby). */
export interface AttributeLayer {
  level: Level;
  values: HashValue;
  source: AttributeSource;
  /** The line of a path in the source file, when known (for go-to-definition and hover). */
  lineOf?: (path: string[]) => number | undefined;
  /** Role attributes merge as Chef's deep merge does: arrays at the same path are joined, not replaced. */
  unionArrays?: boolean;
}

/** Everything a run takes besides its run list of recipes. */
export interface RunInputs {
  layers: AttributeLayer[];
  /** `node.chef_environment` (unknown when not given). */
  environment?: string;
  /** The roles the run list expanded (`node.roles`, `node.role?`), when roles were expanded. */
  roles?: string[];
  /** The run list as the node has it (`recipe[a::b]`, `role[x]`), when given. */
  runList?: string[];
  /** The policy a Policyfile run uses (`node.policy_name`). */
  policy?: { name: string; group?: string };
  /** The node name chosen for the run (`node.name`, and the machine's hostname and fqdn: see nodeName.ts). */
  nodeName?: string;
}

export const NO_INPUTS: RunInputs = { layers: [] };

/** Writes every layer's attributes at its level, leaf by leaf, so layers at one level deep-merge. */
export function applyRunInputs(store: AttributeStore, inputs: RunInputs): void {
  for (const layer of inputs.layers) {
    const visit = (value: Value, path: string[], depth: number): void => {
      if (value.k === 'hash' && depth < 32) {
        // An empty hash still sets its path (a recipe's `node['x'].each` sees an empty hash, not nil).
        if (value.map.size === 0 && path.length) store.set(layer.level, path, value, locOf(layer, path), layer.source.label);
        for (const e of value.map.values()) visit(e.value, [...path, toS(e.key)], depth + 1);
        return;
      }
      if (!path.length) return;
      const prev = layer.unionArrays ? store.atLevel(layer.level, path) : undefined;
      const next = prev?.k === 'array' && value.k === 'array' ? unionOf(prev, value) : value;
      store.set(layer.level, path, next, locOf(layer, path), layer.source.label);
    };
    visit(layer.values, [], 0);
  }
}

type ArrayValue = Extract<Value, { k: 'array' }>;

function unionOf(a: ArrayValue, b: ArrayValue): Value {
  const seen = new Set(a.items.map((i) => inspect(i)));
  return { k: 'array', items: [...a.items, ...b.items.filter((i) => !seen.has(inspect(i)))] };
}

/** A JSON object as a layer's hash. */
export function hashFromJson(json: Record<string, unknown>): HashValue {
  return fromJson(json) as HashValue;
}

function locOf(layer: AttributeLayer, path: string[]): SourceLocation | undefined {
  if (!layer.source.file) return undefined;
  return { file: layer.source.file, line: layer.lineOf?.(path) ?? 1, column: 1 };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Layers merged into one input (later ones win at the same level and path). */
export function combineInputs(...all: (RunInputs | undefined)[]): RunInputs {
  const out: RunInputs = { layers: [] };
  for (const i of all) {
    if (!i) continue;
    out.layers.push(...i.layers);
    if (i.environment !== undefined) out.environment = i.environment;
    if (i.roles) out.roles = [...(out.roles ?? []), ...i.roles.filter((r) => !out.roles?.includes(r))];
    if (i.runList) out.runList = i.runList;
    if (i.policy) out.policy = i.policy;
  }
  return out;
}
