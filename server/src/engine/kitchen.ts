/**
 * A cookbook's Test Kitchen file (kitchen.yml, .kitchen.yml or kitchen.yaml): its suites (run list,
 * attributes, includes/excludes) and platforms (the image each runs on), and the choice of one
 * suite × platform for `cloche plan|converge|test --suite S --kitchen-platform P`.
 *
 * Images: `platforms[].driver.image`, else `platforms[].driver_config.image`, else the top-level
 * `driver.image`, else Cloche's base image of the platform's name when it builds one (`debian-11` →
 * cloche/debian:11), else Cloche's default image (kitchenAvailability.ts says when that does not fit). Attributes: the provisioner's and the platform's,
 * deep-merged under the suite's (the suite wins), applied as node attributes at normal precedence,
 * as Test Kitchen's chef provisioners pass them (node JSON). The provisioner settings that shape
 * the run (a Policyfile and its named run list, roles and environments folders, the client.rb
 * environment) merge the same way: top level, then platform, then suite. As Test Kitchen does, a
 * `Policyfile.rb` beside the kitchen file is used when no policyfile is named. The driver settings
 * that decide how the container runs, kitchen-dokken's `pid_one_command` (systemd as PID 1) and
 * `privileged`, merge top-level driver → platform → suite too. ERB in the file is not rendered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from '../protocol';
import { pidOneIsSystemd, type InitSystem } from '../containers/systemdInit';
import { KITCHEN_FILES, kitchenFile } from './kitchenFile';
import { defaultImageOfPlatform, type PlatformAvailability } from './kitchenAvailability';

export { KITCHEN_FILES, kitchenFile } from './kitchenFile';

/** The provisioner settings Cloche follows (paths absolute). */
export interface KitchenProvisioner {
  /** The Policyfile (named, or `Policyfile.rb` beside the kitchen file when it exists). */
  policyfile?: string;
  namedRunList?: string;
  rolesPath?: string;
  environmentsPath?: string;
  /** `client_rb: { environment: … }`. */
  environment?: string;
  attributes?: Record<string, JsonValue>;
}

/** The driver settings Cloche follows (kitchen-dokken's names), as written. */
export interface KitchenDriverSettings {
  /** `pid_one_command`: a systemd one (`/bin/systemd`, `/usr/lib/systemd/systemd`, `/sbin/init`) boots systemd. */
  pidOneCommand?: string;
  /** `privileged: true` runs the container with --privileged (said on stderr). */
  privileged?: boolean;
}

/** One suite: its run list as written (`recipe[a::b]`, `role[x]`), and the attributes it sets. */
export interface KitchenSuite {
  name: string;
  runList: string[];
  /** The suite's own provisioner settings (merged over the top level's and the platform's when chosen). */
  provisioner?: KitchenProvisioner;
  /** Settings written where Test Kitchen does not read them (`named_run_list` on the suite, not under `provisioner`). */
  ignored?: string[];
  /** Node attributes of the suite (JSON), when it sets any. */
  attributes?: Record<string, JsonValue>;
  /** Platforms the suite is limited to (`includes`), when it says so. */
  includes?: string[];
  /** Platforms the suite leaves out (`excludes`), when it says so. */
  excludes?: string[];
  /** The suite's own driver settings (over the platform's). */
  pidOneCommand?: string;
  privileged?: boolean;
}

/** One platform and the image it runs on. */
export interface KitchenPlatform {
  name: string;
  image: string;
  /** Where the image came from: the platform's driver, the top-level driver, or Cloche's default. */
  imageFrom: 'platform' | 'driver' | 'default';
  attributes?: Record<string, JsonValue>;
  /** A platform's run list comes before the suite's, as Test Kitchen joins them. */
  runList?: string[];
  provisioner?: KitchenProvisioner;
  /** Driver settings: the platform's over the top-level driver's. */
  pidOneCommand?: string;
  privileged?: boolean;
  /** Whether its image can run here (`cloche kitchen` asks the runtime; absent where nothing asked). */
  availability?: PlatformAvailability;
}

/** `cloche kitchen PATH --format json`: what the editor's Test Explorer lists as suites × platforms. */
export interface KitchenInfo {
  /** The kitchen file read (absolute path). */
  file: string;
  suites: KitchenSuite[];
  platforms: KitchenPlatform[];
  /** The top-level provisioner settings (with the Policyfile Test Kitchen would find). */
  provisioner?: KitchenProvisioner;
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

/** The driver settings of one level (`driver:`, or the older `driver_config:`). */
function driverSettingsOf(...drivers: unknown[]): KitchenDriverSettings {
  const out: KitchenDriverSettings = {};
  for (const d of drivers) {
    if (!isObj(d)) continue;
    if (typeof d.pid_one_command === 'string' && d.pid_one_command.trim() && out.pidOneCommand === undefined) out.pidOneCommand = d.pid_one_command.trim();
    if (typeof d.privileged === 'boolean' && out.privileged === undefined) out.privileged = d.privileged;
  }
  return out;
}

/** The provisioner settings of one level of the file; paths resolved from the kitchen file's folder. */
function provisionerOf(p: unknown, root: string): KitchenProvisioner | undefined {
  if (!isObj(p)) return undefined;
  const out: KitchenProvisioner = {};
  const file = typeof p.policyfile_path === 'string' ? p.policyfile_path : typeof p.policyfile === 'string' ? p.policyfile : undefined;
  if (file) out.policyfile = path.resolve(root, file);
  if (typeof p.named_run_list === 'string' && p.named_run_list) out.namedRunList = p.named_run_list;
  if (typeof p.roles_path === 'string') out.rolesPath = path.resolve(root, p.roles_path);
  if (typeof p.environments_path === 'string') out.environmentsPath = path.resolve(root, p.environments_path);
  if (isObj(p.client_rb) && typeof p.client_rb.environment === 'string') out.environment = p.client_rb.environment;
  const a = attrs(p.attributes);
  if (a) out.attributes = a;
  return Object.keys(out).length ? out : undefined;
}

/** Provisioner settings merged (later ones win; attributes deep-merge). */
function mergeProvisioners(...all: (KitchenProvisioner | undefined)[]): KitchenProvisioner {
  const out: KitchenProvisioner = {};
  for (const p of all) {
    if (!p) continue;
    const { attributes, ...rest } = p;
    Object.assign(out, rest);
    if (attributes) out.attributes = mergeAttributes(out.attributes, attributes);
  }
  return out;
}

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
  const root = path.dirname(file);
  const policyBeside = path.join(root, 'Policyfile.rb');
  const found: KitchenProvisioner | undefined = fs.existsSync(policyBeside) ? { policyfile: policyBeside } : undefined;
  if (doc === null || doc === undefined) return { file, suites: [], platforms: [], ...(found ? { provisioner: found } : {}) };
  if (!isObj(doc)) throw new KitchenError(`${file} is not a kitchen file (expected a mapping with platforms and suites)`);
  const driverImage = imageOf(doc.driver);
  const topDriver = driverSettingsOf(doc.driver);
  const top = mergeProvisioners(found, provisionerOf(doc.provisioner, root));
  const platforms: KitchenPlatform[] = [];
  for (const p of Array.isArray(doc.platforms) ? doc.platforms : []) {
    if (!isObj(p) || typeof p.name !== 'string') continue;
    const own = imageOf(p.driver) ?? imageOf(p.driver_config);
    const platform: KitchenPlatform = { name: p.name, image: own ?? driverImage ?? defaultImageOfPlatform(p.name, defaultImage), imageFrom: own ? 'platform' : driverImage ? 'driver' : 'default' };
    Object.assign(platform, { ...topDriver, ...driverSettingsOf(p.driver, p.driver_config) });
    const a = attrs(p.attributes);
    if (a) platform.attributes = a;
    const prov = provisionerOf(p.provisioner, root);
    if (prov) platform.provisioner = prov;
    const rl = strList(p.run_list) ?? (isObj(p.provisioner) ? strList(p.provisioner.run_list) : undefined);
    if (rl?.length) platform.runList = rl;
    platforms.push(platform);
  }
  const suites: KitchenSuite[] = [];
  for (const s of Array.isArray(doc.suites) ? doc.suites : []) {
    if (!isObj(s) || typeof s.name !== 'string') continue;
    const suite: KitchenSuite = { name: s.name, runList: strList(s.run_list) ?? (isObj(s.provisioner) ? strList(s.provisioner.run_list) : undefined) ?? [] };
    const a = attrs(s.attributes) ?? (isObj(s.provisioner) ? attrs(s.provisioner.attributes) : undefined);
    if (a) suite.attributes = a;
    const inc = strList(s.includes);
    const exc = strList(s.excludes);
    if (inc) suite.includes = inc;
    if (exc) suite.excludes = exc;
    Object.assign(suite, driverSettingsOf(s.driver));
    // Test Kitchen moves the chef paths written beside the suite (roles_path, …) into its provisioner; nothing else.
    const legacy = Object.fromEntries(['roles_path', 'environments_path'].filter((k) => typeof s[k] === 'string').map((k) => [k, s[k]]));
    const prov = provisionerOf({ ...legacy, ...(isObj(s.provisioner) ? s.provisioner : {}) }, root);
    if (prov) { delete prov.attributes; suite.provisioner = prov; }
    const ignored = ['named_run_list', 'policyfile', 'policyfile_path', 'policy_group'].filter((k) => k in s);
    if (ignored.length) suite.ignored = ignored.map((k) => `suite '${s.name}' sets ${k} directly on the suite, where Test Kitchen does not read it (it belongs under provisioner:)`);
    suites.push(suite);
  }
  return { file, suites, platforms, ...(Object.keys(top).length ? { provisioner: top } : {}) };
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

/** What `--suite` / `--kitchen-platform` select: a run list, an image, node attributes and the provisioner's settings. */
export interface KitchenChoice {
  suite?: KitchenSuite;
  platform?: KitchenPlatform;
  /** The suite's run list as written (`recipe[a::b]`, `role[x]`); empty when a policy decides it. */
  runList?: string[];
  image?: string;
  /** Normal attributes: the provisioner's and the platform's under the suite's. */
  attributes?: Record<string, JsonValue>;
  /** The provisioner settings for this suite on this platform (top level, platform, suite). */
  provisioner?: KitchenProvisioner;
  /** PID 1 the driver settings ask for (`pid_one_command`, suite over platform): systemd or Cloche's keep-alive. */
  init?: InitSystem;
  /** The `pid_one_command` that decided {@link init}. */
  pidOneCommand?: string;
  /** `privileged: true` in the driver settings (suite over platform). */
  privileged?: boolean;
}

/** A selection that does not fit the kitchen file: a usage error (exit 2), naming what there is. */
export class KitchenChoiceError extends Error {
  override name = 'KitchenChoiceError';
}

const known = (names: string[]): string => (names.length ? names.join(', ') : 'none');

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
  const pidOne = suite?.pidOneCommand ?? platform?.pidOneCommand;
  if (pidOne !== undefined) { choice.pidOneCommand = pidOne; choice.init = pidOneIsSystemd(pidOne) ? 'systemd' : 'none'; }
  const privileged = suite?.privileged ?? platform?.privileged;
  if (privileged !== undefined) choice.privileged = privileged;
  if (suite) {
    const provisioner = mergeProvisioners(kitchen.provisioner, platform?.provisioner, suite.provisioner);
    if (!suite.runList.length && !platform?.runList?.length && !provisioner.policyfile) {
      throw new KitchenChoiceError(`suite '${suite.name}' in ${rel} has an empty run_list, and there is no Policyfile (policyfile_path, or Policyfile.rb beside ${rel}) to give it one`);
    }
    choice.runList = [...(platform?.runList ?? []), ...suite.runList];
    choice.provisioner = provisioner;
    const attributes = mergeAttributes(mergeAttributes(provisioner.attributes, platform?.attributes), suite.attributes);
    if (attributes) choice.attributes = attributes;
  }
  return choice;
}
