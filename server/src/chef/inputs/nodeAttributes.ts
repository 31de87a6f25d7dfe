/**
 * Node attributes a user gives a run: chef-client's `-j` JSON (normal attributes, with an optional
 * `run_list`, `chef_environment`, `policy_name`/`policy_group`), the same JSON by precedence level
 * (`{ "default": {…}, "override": {…} }`), and `--attribute PATH=VALUE`.
 *
 * `default` and `override` given this way sit where a role's would (role_default, role_override):
 * above what the cookbooks' attribute files set at those levels, as anything from outside the
 * cookbooks is in Chef. `normal`, `force_default` and `force_override` are those levels.
 */
import type { Level } from '../attributes';
import { InputError, type JsonDocument } from './inputFile';
import { type AttributeLayer, type AttributeSource, type RunInputs, isObject, hashFromJson } from './runInputs';

/** Precedence names a user may write, and the level each one lands on. */
const USER_LEVELS: Record<string, Level> = {
  default: 'role_default', force_default: 'force_default', normal: 'normal', override: 'role_override', force_override: 'force_override',
};
/** Keys chef-client takes out of -j JSON instead of treating them as attributes. */
const RUN_KEYS = new Set(['run_list', 'recipes', 'chef_environment', 'policy_name', 'policy_group']);

/** A -j style JSON document as run inputs; `runList` holds its run list items as written. */
export function nodeJsonInputs(doc: JsonDocument, label = 'node JSON'): RunInputs {
  const v = doc.value;
  if (!isObject(v)) throw new InputError('node attributes must be a JSON object (chef-client -j form)', doc.file, doc.lineOf([]) ?? 1);
  const source = (level?: string): AttributeSource => ({ kind: 'node-json', label: level ? `${label} (${level})` : label, file: doc.file });
  const out: RunInputs = { layers: [] };
  const attrs: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (!RUN_KEYS.has(k)) attrs[k] = val;
  const keys = Object.keys(attrs);
  const byLevel = keys.length > 0 && keys.every((k) => k in USER_LEVELS && isObject(attrs[k]));
  if (byLevel) {
    for (const k of keys) out.layers.push({ level: USER_LEVELS[k], values: hashFromJson(attrs[k] as Record<string, unknown>), source: source(k), lineOf: (p) => doc.lineOf([k, ...p]) });
  } else if (keys.length) {
    out.layers.push({ level: 'normal', values: hashFromJson(attrs), source: source(), lineOf: (p) => doc.lineOf(p) });
  }
  if ('run_list' in v && 'recipes' in v) throw new InputError("set the run list with 'run_list' only (chef-client refuses both 'run_list' and 'recipes')", doc.file, doc.lineOf(['recipes']));
  const rl = v.run_list ?? v.recipes;
  if (rl !== undefined) out.runList = runListItems(rl, doc, 'run_list' in v ? 'run_list' : 'recipes');
  if (v.chef_environment !== undefined) {
    if (typeof v.chef_environment !== 'string') throw new InputError('chef_environment must be a string', doc.file, doc.lineOf(['chef_environment']));
    out.environment = v.chef_environment;
  }
  if (typeof v.policy_name === 'string') out.policy = { name: v.policy_name, ...(typeof v.policy_group === 'string' ? { group: v.policy_group } : {}) };
  return out;
}

function runListItems(rl: unknown, doc: JsonDocument, key: string): string[] {
  const items = typeof rl === 'string' ? rl.split(',') : rl;
  if (!Array.isArray(items) || !items.every((i) => typeof i === 'string')) throw new InputError(`${key} must be a list of strings such as "recipe[app::default]"`, doc.file, doc.lineOf([key]));
  return items.map((i) => i.trim()).filter(Boolean);
}

/**
 * `--attribute PATH=VALUE`: PATH is `a.b.c` (a `\.` is a dot inside a key), optionally after a level
 * (`override:a.b=1`); VALUE is JSON when it parses as JSON (`8080`, `true`, `["a"]`), else a string.
 */
export function attributeFlagLayer(flag: string): AttributeLayer {
  const m = /^(?:([a-z_]+):)?([^=]+)=(.*)$/s.exec(flag);
  if (!m) throw new InputError(`--attribute ${flag}: expected PATH=VALUE, e.g. nginx.port=8080`);
  const [, levelName, pathText, valueText] = m;
  const level = levelName === undefined ? 'normal' : USER_LEVELS[levelName];
  if (!level) throw new InputError(`--attribute ${flag}: unknown level '${levelName}' (use ${Object.keys(USER_LEVELS).join(', ')})`);
  const path = pathText.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.').trim());
  if (path.some((p) => !p)) throw new InputError(`--attribute ${flag}: the path has an empty key`);
  let value: unknown = valueText;
  try { value = JSON.parse(valueText); } catch { /* a plain string */ }
  const values: Record<string, unknown> = {};
  let cur = values;
  path.forEach((p, i) => {
    if (i === path.length - 1) cur[p] = value;
    else { const next: Record<string, unknown> = {}; cur[p] = next; cur = next; }
  });
  return { level, values: hashFromJson(values), source: { kind: 'attribute-flag', label: `--attribute ${pathText}` } };
}
