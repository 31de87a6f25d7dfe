/**
 * A cookbook's Test Kitchen file (kitchen.yml, .kitchen.yml or kitchen.yaml): its suites (run list,
 * attributes, includes/excludes) and platforms (the image each runs on), and the choice of one
 * suite × platform for `cloche plan|converge|test --suite S --kitchen-platform P`.
 *
 * Images: `platforms[].driver.image`, else `platforms[].driver_config.image`, else the top-level
 * `driver.image`, else Cloche's default image. Attributes: the platform's, deep-merged under the
 * suite's (the suite wins), applied as node attributes at normal precedence, as Test Kitchen's
 * chef provisioners pass them (node JSON). ERB in the file is not rendered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../protocol';
import { KITCHEN_FILES, kitchenFile } from './kitchenFile';

export { KITCHEN_FILES, kitchenFile } from './kitchenFile';

/** One suite: its run list as written (`recipe[a::b]`), and the attributes it sets. */
export interface KitchenSuite {
  name: string;
  runList: string[];
  /** Node attributes of the suite (JSON), when it sets any. */
  attributes?: Record<string, JsonValue>;
  /** Platforms the suite is limited to (`includes`), when it says so. */
  includes?: string[];
  /** Platforms the suite leaves out (`excludes`), when it says so. */
  excludes?: string[];
}

/** One platform and the image it runs on. */
export interface KitchenPlatform {
  name: string;
  image: string;
  /** Where the image came from: the platform's driver, the top-level driver, or Cloche's default. */
  imageFrom: 'platform' | 'driver' | 'default';
  attributes?: Record<string, JsonValue>;
}

/** `cloche kitchen PATH --format json`: what the editor's Test Explorer lists as suites × platforms. */
export interface KitchenInfo {
  /** The kitchen file read (absolute path). */
  file: string;
  suites: KitchenSuite[];
  platforms: KitchenPlatform[];
}

/** A kitchen file that cannot be read or is not a kitchen file (the message says which and why). */
export class KitchenError extends Error {
  override name = 'KitchenError';
}


type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : undefined);
const attrs = (v: unknown): Record<string, JsonValue> | undefined => (isObj(v) && Object.keys(v).length ? (v as Record<string, JsonValue>) : undefined);
const imageOf = (driver: unknown): string | undefined => (isObj(driver) && typeof driver.image === 'string' && driver.image ? driver.image : undefined);

/**
 * Reads the cookbook's kitchen file; undefined when there is none. Throws {@link KitchenError}
 * when it is not YAML or not a mapping.
 */
export function readKitchen(cookbook: string | undefined, defaultImage: string): KitchenInfo | undefined {
  const file = kitchenFile(cookbook);
  if (!file) return undefined;
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KitchenError(`${file} is not valid YAML (${(e as Error).message.split('\n')[0]})${/<%/.test(fs.readFileSync(file, 'utf8')) ? '; ERB in kitchen files is not rendered by Cloche' : ''}`);
  }
  if (doc === null || doc === undefined) return { file, suites: [], platforms: [] };
  if (!isObj(doc)) throw new KitchenError(`${file} is not a kitchen file (expected a mapping with platforms and suites)`);
  const driverImage = imageOf(doc.driver);
  const platforms: KitchenPlatform[] = [];
  for (const p of Array.isArray(doc.platforms) ? doc.platforms : []) {
    if (!isObj(p) || typeof p.name !== 'string') continue;
    const own = imageOf(p.driver) ?? imageOf(p.driver_config);
    const platform: KitchenPlatform = { name: p.name, image: own ?? driverImage ?? defaultImage, imageFrom: own ? 'platform' : driverImage ? 'driver' : 'default' };
    const a = attrs(p.attributes);
    if (a) platform.attributes = a;
    platforms.push(platform);
  }
  const suites: KitchenSuite[] = [];
  for (const s of Array.isArray(doc.suites) ? doc.suites : []) {
    if (!isObj(s) || typeof s.name !== 'string') continue;
    const suite: KitchenSuite = { name: s.name, runList: strList(s.run_list) ?? [] };
    const a = attrs(s.attributes);
    if (a) suite.attributes = a;
    const inc = strList(s.includes);
    const exc = strList(s.excludes);
    if (inc) suite.includes = inc;
    if (exc) suite.excludes = exc;
    suites.push(suite);
  }
  return { file, suites, platforms };
}

/** Whether a suite runs on a platform (its includes/excludes). */
export function suiteRunsOn(suite: KitchenSuite, platform: string): boolean {
  if (suite.includes && !suite.includes.includes(platform)) return false;
  return !suite.excludes?.includes(platform);
}

/** Deep merge of attribute hashes; `over` wins (Chef merges hashes, replaces everything else). */
export function mergeAttributes(base: Record<string, JsonValue> | undefined, over: Record<string, JsonValue> | undefined): Record<string, JsonValue> | undefined {
  if (!base) return over;
  if (!over) return base;
  const out: Record<string, JsonValue> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObj(prev) && isObj(v) ? mergeAttributes(prev as Record<string, JsonValue>, v as Record<string, JsonValue>)! : v;
  }
  return out;
}

/** What `--suite` / `--kitchen-platform` select: a run list, an image and node attributes. */
export interface KitchenChoice {
  suite?: KitchenSuite;
  platform?: KitchenPlatform;
  /** `cookbook::recipe` entries (roles are refused). */
  runList?: string[];
  image?: string;
  attributes?: Record<string, JsonValue>;
}

/** A selection that does not fit the kitchen file: a usage error (exit 2), naming what there is. */
export class KitchenChoiceError extends Error {
  override name = 'KitchenChoiceError';
}

const known = (names: string[]): string => (names.length ? names.join(', ') : 'none');

/** `recipe[a::b]` / `a::b` / `a` → `a::b` / `a::default`; roles are refused with a clear message. */
export function runListEntry(item: string, suite: string): string {
  const s = item.trim();
  if (/^role\[/.test(s)) throw new KitchenChoiceError(`suite '${suite}' runs ${s}: roles are not supported; list its recipes with --run-list instead`);
  const m = /^recipe\[(.+)\]$/.exec(s);
  const r = m ? m[1] : s;
  return r.includes('::') ? r : `${r}::default`;
}

/**
 * Picks a suite and a platform. `platformHint` (the `--platform` profile name) picks a kitchen
 * platform of the same name when `--kitchen-platform` is not given (as before suites were known).
 * Without a kitchen file, naming a suite or platform is an error; otherwise nothing is chosen.
 * `noPlatform` (an existing container is used): no platform, so neither its image nor its attributes.
 */
export function chooseKitchen(kitchen: KitchenInfo | undefined, opts: { suite?: string; platform?: string; platformHint?: string; cookbook?: string; noPlatform?: boolean }): KitchenChoice {
  if (!kitchen) {
    if (opts.suite || opts.platform) {
      throw new KitchenChoiceError(`${opts.suite ? `--suite ${opts.suite}` : `--kitchen-platform ${opts.platform}`} needs a kitchen file (${KITCHEN_FILES.join(', ')}) in ${opts.cookbook ?? 'the cookbook folder'}, and there is none`);
    }
    return {};
  }
  const rel = path.basename(kitchen.file);
  let suite: KitchenSuite | undefined;
  if (opts.suite !== undefined) {
    suite = kitchen.suites.find((s) => s.name === opts.suite);
    if (!suite) throw new KitchenChoiceError(`unknown suite '${opts.suite}' in ${rel}; known suites: ${known(kitchen.suites.map((s) => s.name))}`);
  }
  let platform: KitchenPlatform | undefined;
  if (opts.platform !== undefined) {
    platform = kitchen.platforms.find((p) => p.name === opts.platform);
    if (!platform) throw new KitchenChoiceError(`unknown kitchen platform '${opts.platform}' in ${rel}; known platforms: ${known(kitchen.platforms.map((p) => p.name))}`);
    if (suite && !suiteRunsOn(suite, platform.name)) {
      const on = kitchen.platforms.filter((p) => suiteRunsOn(suite!, p.name)).map((p) => p.name);
      throw new KitchenChoiceError(`suite '${suite.name}' does not run on platform '${platform.name}' (its includes/excludes in ${rel}); it runs on: ${known(on)}`);
    }
  } else if (!opts.noPlatform) {
    const candidates = suite ? kitchen.platforms.filter((p) => suiteRunsOn(suite!, p.name)) : kitchen.platforms;
    platform = candidates.find((p) => p.name === opts.platformHint) ?? candidates[0];
  }
  const choice: KitchenChoice = { suite, platform, image: platform?.image };
  if (suite) {
    if (!suite.runList.length) throw new KitchenChoiceError(`suite '${suite.name}' in ${rel} has an empty run_list`);
    choice.runList = suite.runList.map((r) => runListEntry(r, suite!.name));
    choice.attributes = mergeAttributes(platform?.attributes, suite.attributes);
  }
  return choice;
}
