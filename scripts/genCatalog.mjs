#!/usr/bin/env node
/**
 * Generates server/src/chef/catalog/builtinResources.json from the Chef Infra facts file
 * (chef-resources.json, see its FORMAT.md). Users do not have the facts file, so the project carries
 * this trimmed copy: only the fields the catalog reads, false/null fields left out to keep the bundle small.
 *
 * Usage: node scripts/genCatalog.mjs [path/to/chef-resources.json] [out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? join(root, '..', 'shared', 'reference', 'chef-resources.json');
const output = process.argv[3] ?? join(root, 'server', 'src', 'chef', 'catalog', 'builtinResources.json');

const facts = JSON.parse(readFileSync(input, 'utf8'));

/** `Chef::Resource::HabitatSupSystemd` → `habitat_sup_systemd`. */
function snakeClass(cls) {
  const last = cls.split('::').pop();
  return last.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** Drops `target_mode` (irrelevant to resolution) and returns undefined when nothing is left. */
function trimConditions(conditions) {
  if (!conditions) return undefined;
  const out = {};
  for (const [key, value] of Object.entries(conditions)) if (key !== 'target_mode') out[key] = value;
  return Object.keys(out).length ? out : undefined;
}

/** Keeps only the listed fields, and leaves out false, null and empty values. */
function pick(obj, fields) {
  const out = {};
  for (const f of fields) {
    const v = obj[f];
    if (v === undefined || v === null || v === false) continue;
    if (Array.isArray(v) && v.length === 0 && f !== 'types') continue;
    out[f] = v;
  }
  return out;
}

const PROPERTY_FIELDS = ['name', 'types', 'default', 'default_kind', 'name_property', 'required', 'required_for_actions',
  'equal_to', 'regex', 'deprecated', 'sensitive', 'desired_state', 'alias_of', 'platform', 'conditional', 'kind', 'coerce',
  'callbacks', 'introduced'];

function trimProperty(p) {
  const out = pick(p, PROPERTY_FIELDS);
  // `default: null` with kind `literal` means a real nil default; keep it explicit.
  // `pick` drops false and null, which are real literal defaults here.
  if (p.default_kind === 'literal') out.default = p.default;
  if (p.default_kind !== 'literal') delete out.default; // `"unknown"` placeholders say nothing
  if (p.default_kind === 'none') delete out.default_kind;
  if (!p.callbacks) delete out.callbacks;
  if (p.kind === 'property') delete out.kind;
  // desired_state is true for most properties; store only the exceptions.
  if (p.desired_state === true) delete out.desired_state; else if (p.desired_state === false) out.desired_state = false;
  return out;
}

// Two classes can share a resource name (habitat_sup and its systemd / windows variants): the first
// keeps the name, the others are keyed by their class name so provides_index can point at each one.
const keyOfClass = new Map();
const resources = {};
for (const r of facts.resources) {
  const key = r.resource in resources ? snakeClass(r.class) : r.resource;
  keyOfClass.set(r.class, key);
  resources[key] = pick({
    resource_name: key === r.resource ? undefined : r.resource,
    actions: r.actions,
    default_action: r.default_action,
    provides_detail: r.provides_detail.map((d) => pick({ name: d.name, conditions: trimConditions(d.conditions), block: d.block }, ['name', 'conditions', 'block'])),
    properties: r.properties.map(trimProperty),
    introduced: r.introduced,
  }, ['resource_name', 'actions', 'default_action', 'provides_detail', 'properties', 'introduced']);
}

const providesIndex = {};
for (const [dsl, entries] of Object.entries(facts.provides_index)) {
  providesIndex[dsl] = entries.map((e) => pick({
    resource: keyOfClass.get(e.class) ?? e.resource,
    conditions: trimConditions(e.conditions),
    block: e.block,
  }, ['resource', 'conditions', 'block']));
}

const out = {
  source: { repository: facts.source.repository, commit: facts.source.commit, version: facts.source.version },
  common: {
    properties: facts.common.properties.map(trimProperty),
    methods: facts.common.methods.map((m) => ({ name: m.name, params: m.params.map((p) => p.name) })),
    default_action: facts.common.default_action,
    actions: facts.common.actions,
  },
  resources,
  provides_index: providesIndex,
};

writeFileSync(output, JSON.stringify(out) + '\n');
console.error(`wrote ${output}: ${Object.keys(resources).length} resources, ${Object.keys(providesIndex).length} DSL names`);
