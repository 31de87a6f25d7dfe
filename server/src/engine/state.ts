/**
 * The virtual state for forward simulation: what the probe read, overlaid with the effects of
 * every step planned so far. Later resources plan against it, so a link to a file the recipe
 * creates, or a directory owned by a user it creates, is planned as the converge would see it.
 *
 * Lookups answer {@link Known}: a value, or a reason why it cannot be known (not probed,
 * garbled probe output). They never guess.
 */
import { createHash } from 'node:crypto';
import { AptPolicy, parsePreferences, preferencePartsOrder, type AptIndex, type AptPin, type AptRelease, type AptVersion, type CandidateResult } from './aptPolicy';
import type { Query } from './probeScript';
import { packageKey, queryKey, type PackageManager, type ProbeOutput, type ProbeScript, type RawRecord } from './probeScript';
import { compareRpmEvr } from './rpmVersion';

/** A value or the reason it is not known. */
export type Known<T> = { ok: true; value: T } | { ok: false; reason: string };

const known = <T>(value: T): Known<T> => ({ ok: true, value });
const unknown = <T>(reason: string): Known<T> => ({ ok: false, reason });

/** One filesystem path as stat saw it (or as a planned step leaves it). */
export interface PathInfo {
  kind: 'file' | 'directory' | 'link' | 'missing' | 'other';
  mode?: string;
  owner?: string;
  group?: string;
  size?: number;
  mtime?: number;
  /** UTF-8 content when it was read and is text. */
  content?: string;
  sha256?: string;
  linkTarget?: string;
  /** The step (resource id) that produced this state in the simulation. */
  by?: string;
}

/** A passwd entry; `lock` when the probe was asked for its password state (user :lock/:unlock). */
export interface UserInfo { name: string; uid: number; gid: number; comment: string; home: string; shell: string; by?: string; lock?: PasswordLock }
/**
 * A password's lock state: `status` is the second field of `passwd -S` (L locked, P usable
 * password, NP none; what Chef reads), `afterUnlock` what `usermod -U` would leave (L, P, NP, or
 * `refuse`: the password is only `!`, so usermod prints a warning, exits 0 and changes nothing);
 * `sha256`: of the shadow password field (what Chef compares `password` with).
 */
export interface PasswordLock { status: string; afterUnlock: string; sha256?: string }
/** A reading of the machine ({@link Query} `system`): its fields, `v` holding the value lines. */
export type SystemReading = Record<string, string[]>;
/** A group entry. */
export interface GroupInfo { name: string; gid: number; members: string[]; by?: string }
/** A package's installed version (undefined: not installed) and candidate (undefined: unknown). */
export interface PackageInfo {
  installed?: string;
  candidate?: string;
  by?: string;
  /** rpm: every version (EVR) the cached metadata of the enabled repositories offers. */
  available?: string[];
  /**
   * Why the candidate is unknown or may be incomplete — rpm: no metadata cache, unreadable
   * repositories, no rpm; dpkg: what apt's policy could not read, or why apt would fail.
   */
  note?: string;
  /** dpkg: the versions apt's lists offer for the package's architecture, for apt's policy ({@link VirtualState.aptCandidate}). */
  apt?: AptPackageData;
}

/** What the apt lists say about one package. */
export interface AptPackageData {
  versions: AptVersion[];
  /** Lists whose stanza for the package was cut off before its Version or Architecture (the probe reads 13 lines). */
  truncated?: string[];
}

/** A preferences file as apt would read it: its text, or why it cannot be read. */
export interface PreferenceFile { path: string; text?: string; problem?: string }

/** What apt's policy needs, as the probe read it (shared by every dpkg package). */
export interface AptContext {
  /** apt's configuration could not be read (apt would fail), or the container has no apt. */
  problem?: string;
  nativeArch?: string;
  defaultRelease?: string;
  listsDir: string;
  prefsFile: string;
  prefsDir: string;
  /** The readable lists, each with its Release. */
  indexes: AptIndex[];
  /** Lists that could not be read, and why. */
  unreadable: string[];
  /** The preferences files apt reads, in its order. */
  prefs: PreferenceFile[];
}
/**
 * A .deb file as `dpkg-deb -f` read it (dpkg_package's source): missing, a problem (not a
 * regular file, unreadable, not a Debian archive), or its control fields with the versions of
 * that package dpkg has installed (`installed` prefers the same architecture).
 */
export interface DebInfo {
  missing?: boolean;
  problem?: string;
  package?: string;
  version?: string;
  arch?: string;
  installed?: string;
}
/** What could be read about a service. */
export interface ServiceInfo {
  pid1: string;
  /**
   * systemd's view when it runs (`systemctl show`: LoadState, UnitFileState, ActiveState, as Chef
   * reads them; `enabledRc`: `is-enabled --quiet` when the file state is `bad`). A field an earlier
   * step leaves undecidable is undefined, and `unsure` says why.
   */
  /** `skippedStart`: systemd checked the unit's conditions and one was not met (it skips the start, and `systemctl start` still exits 0). */
  systemd?: { load?: string; file?: string; active?: string; enabledRc?: number; unsure?: string; skippedStart?: boolean };
  sysv?: { running: boolean | undefined; enabled: boolean };
  unitFile?: string;
  by?: string;
}

const NOT_PROBED = 'not read by the probe';

/** Decodes base64 file content; binary files (NUL bytes) keep only their hash. */
function decodeContent(b64: string): { content?: string; sha256: string } {
  const buf = Buffer.from(b64, 'base64');
  const sha256 = createHash('sha256').update(buf).digest('hex');
  return buf.includes(0) ? { sha256 } : { content: buf.toString('utf8'), sha256 };
}

/** Parses a stat record (`%F|%a|%U|%G|%u|%g|%Y|%s`). */
function parseStat(rec: RawRecord): Known<PathInfo> {
  if (rec.has('missing')) return known({ kind: 'missing' });
  const f = (rec.get('stat')?.[0] ?? '').split('|');
  if (f.length !== 8 || !/^[0-7]+$/.test(f[1])) return unknown(`unreadable stat record ${JSON.stringify(rec.get('stat')?.[0] ?? '')}`);
  const kind = f[0] === 'directory' ? 'directory' : f[0] === 'symbolic link' ? 'link' : /regular/.test(f[0]) ? 'file' : 'other';
  const info: PathInfo = {
    kind, mode: f[1], owner: f[2] === 'UNKNOWN' ? f[4] : f[2], group: f[3] === 'UNKNOWN' ? f[5] : f[3],
    mtime: Number(f[6]), size: Number(f[7]),
  };
  if (rec.has('link')) info.linkTarget = rec.get('link')![0];
  if (rec.has('b64')) Object.assign(info, decodeContent(rec.get('b64')![0]));
  if (rec.has('sha')) info.sha256 = rec.get('sha')![0];
  return known(info);
}

/** Parses a deb record: `missing`, `problem`, `field Name: value` lines and `pkg name|arch|abbrev|version` lines. */
function parseDeb(rec: RawRecord): Known<DebInfo> {
  if (rec.has('missing')) return known({ missing: true });
  if (rec.has('problem')) return known({ problem: rec.get('problem')![0].trim() || 'dpkg-deb -f failed' });
  const fields = new Map<string, string>();
  for (const l of rec.get('field') ?? []) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(l);
    if (m) fields.set(m[1].toLowerCase(), m[2].trim());
  }
  const info: DebInfo = { package: fields.get('package'), version: fields.get('version'), arch: fields.get('architecture') };
  if (!info.package || !info.version) return unknown(`dpkg-deb -f gave no Package or Version (${JSON.stringify((rec.get('field') ?? []).join('; '))})`);
  // dpkg's second status letter: not-installed and config-files are not installed.
  const inst = (rec.get('pkg') ?? []).map((l) => l.split('|')).filter((f) => f.length >= 4 && f[0] === info.package && f[2][1] !== undefined && !'nc '.includes(f[2][1]));
  const same = inst.find((f) => f[1] === info.arch) ?? inst[0];
  if (same) info.installed = same[3];
  return known(info);
}

function parsePasswd(line: string | undefined): Known<UserInfo | null> {
  if (line === undefined) return unknown('no passwd record');
  if (line === '') return known(null);
  const f = line.split(':');
  if (f.length < 7 || !/^\d+$/.test(f[2])) return unknown(`unreadable passwd entry ${JSON.stringify(line)}`);
  return known({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f[6] });
}

/** Adds the password lock state the probe read (`ps`: passwd -S's line, `pu`: what usermod -U would leave). */
function withLock(u: Known<UserInfo | null>, rec: RawRecord): Known<UserInfo | null> {
  if (!u.ok || !u.value || !rec.has('ps')) return u;
  const status = (rec.get('ps')![0] ?? '').trim().split(/\s+/)[1] ?? '';
  const sha256 = rec.get('psha')?.[0];
  return known({ ...u.value, lock: { status, afterUnlock: rec.get('pu')?.[0] ?? '', ...(sha256 ? { sha256 } : {}) } });
}

function parseGroup(line: string | undefined): Known<GroupInfo | null> {
  if (line === undefined) return unknown('no group record');
  if (line === '') return known(null);
  const f = line.split(':');
  if (f.length < 4 || !/^\d+$/.test(f[2])) return unknown(`unreadable group entry ${JSON.stringify(line)}`);
  return known({ name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] });
}

function parseService(rec: RawRecord): ServiceInfo {
  const one = (k: string): string | undefined => rec.get(k)?.[0];
  const info: ServiceInfo = { pid1: one('pid1') ?? '' };
  if (rec.has('sd')) {
    info.systemd = { load: one('sd-load') ?? '', file: one('sd-file') ?? '', active: one('sd-active') ?? '' };
    if (one('sd-skipped') === '1') info.systemd.skippedStart = true;
    if (rec.has('sd-enabled-rc')) info.systemd.enabledRc = Number(one('sd-enabled-rc'));
  }
  if (rec.has('sysv')) {
    const st = Number(one('sysv-status'));
    // LSB status codes: 0 running, 1–3 not running, 4 unknown; 124 = our timeout.
    info.sysv = { running: st === 0 ? true : st >= 1 && st <= 3 ? false : undefined, enabled: one('sysv-enabled') === '1' };
  }
  if (rec.has('unit')) info.unitFile = one('unit');
  return info;
}

/** apt's StringToBool: 0/1 (strtol, any base), yes/true/with/on/enable, no/false/without/off/disable; else the default. */
function aptBool(text: string | undefined): boolean {
  if (text === undefined) return false;
  const t = text.trim();
  // The whole text as a number (strtol base 0): 0 or 1 only.
  if (/^[+-]?(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.test(t)) {
    const v = /^[+-]?0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
    if (v === 0 || v === 1) return v === 1;
  }
  const w = t.toLowerCase();
  if (['yes', 'true', 'with', 'on', 'enable'].includes(w)) return true;
  return false;
}

/** `%5f` → `_` as apt's URItoFileName quoted it. */
const unquote = (s: string): string => s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** A list's name without the compression suffix (`…_Packages.lz4` → `…_Packages`). */
const listBase = (file: string): string => file.replace(/\.(gz|xz|bz2|lz4|zst)$/, '');

/**
 * The apt context from the probe's global records: apt-config's answers, the preferences files
 * (apt's order), the lists and, for each, the Release whose name is the longest prefix of its
 * own (`…_dists_bookworm_InRelease` for `…_dists_bookworm_main_binary-amd64_Packages`; InRelease
 * before Release, as apt reads them), with the component and architecture of its name.
 */
function parseAptContext(g: RawRecord): AptContext {
  const one = (k: string): string | undefined => g.get(k)?.[0];
  const [listsDir = '/var/lib/apt/lists/', prefsFile = '/etc/apt/preferences', prefsDir = '/etc/apt/preferences.d/'] = (one('aptdirs') ?? '').split('|').map((x) => x || undefined);
  const cfg = one('aptcfg');
  const ctx: AptContext = { listsDir, prefsFile, prefsDir, indexes: [], unreadable: [], prefs: [] };
  if (cfg === 'none') ctx.problem = 'the container has no apt (no apt-config)';
  else if (cfg?.startsWith('error')) ctx.problem = `apt would fail: its configuration cannot be read (${cfg.slice(6).trim() || 'apt-config failed'})`;
  else if (cfg !== 'ok') ctx.problem = 'the probe did not read apt\'s configuration';
  if (one('aptarch')) ctx.nativeArch = one('aptarch');
  if (g.has('aptdefrel')) ctx.defaultRelease = one('aptdefrel');
  // Preferences: the main file, then the directory's files apt accepts, sorted.
  const prefs = new Map<string, PreferenceFile>();
  for (const l of g.get('pref') ?? []) {
    const bar = l.lastIndexOf('|');
    if (bar < 0) continue;
    const path = l.slice(0, bar);
    const v = l.slice(bar + 1);
    prefs.set(path, v.startsWith('!') ? { path, problem: v.slice(1) } : { path, text: Buffer.from(v, 'base64').toString('utf8') });
  }
  ctx.prefs = orderPreferences(prefs, prefsFile, prefsDir);
  // Releases.
  const releases = new Map<string, Map<string, string>>();
  for (const f of g.get('relfile') ?? []) releases.set(f, new Map());
  for (const l of g.get('rel') ?? []) {
    const bar = l.indexOf('|');
    const m = /^([^:]+):\s*(.*)$/.exec(l.slice(bar + 1));
    const fields = releases.get(l.slice(0, bar));
    if (fields && m && !fields.has(m[1].toLowerCase())) fields.set(m[1].toLowerCase(), m[2].trim());
  }
  const stems = [...releases.keys()].map((f) => ({ f, stem: f.replace(/(In)?Release$/, ''), inRelease: f.endsWith('InRelease') }))
    .filter((r) => r.stem !== r.f).sort((a, b) => b.stem.length - a.stem.length || Number(b.inRelease) - Number(a.inRelease));
  for (const l of g.get('plist') ?? []) {
    const [id, state, file] = l.split('|');
    if (!file) continue;
    if (state !== 'read') { ctx.unreadable.push(`${file} (${state})`); continue; }
    const base = listBase(file);
    const rel = stems.find((r) => base.startsWith(r.stem));
    // Without a Release (apt then has none either): the name alone says where the list belongs.
    const stem = rel?.stem ?? /^(.*_dists_[^_]+_)/.exec(base)?.[1] ?? base.replace(/Packages$/, '');
    const cm = /^(.*)_binary-([^_]+)_Packages$/.exec(base.slice(stem.length));
    const dm = /^(.*)_dists_(.*)_$/.exec(stem);
    const uri = unquote((dm ? dm[1] : stem.replace(/_$/, '')).replace(/_/g, '/'));
    const component = cm ? unquote(cm[1].replace(/_/g, '/')) : '';
    const ix: AptIndex = { id: `list${id}:${file}`, describe: `${uri}${dm ? ` ${unquote(dm[2].replace(/_/g, '/'))}${component ? `/${component}` : ''}` : ''}`, component };
    if (cm) ix.arch = cm[2];
    if (rel) {
      const f = releases.get(rel.f)!;
      const site = unquote(stem.split('_')[0]).replace(/:\d+$/, '');
      const r: AptRelease = { site, notAutomatic: aptBool(f.get('notautomatic')), butAutomaticUpgrades: aptBool(f.get('butautomaticupgrades')) };
      for (const [k, key] of [['suite', 'suite'], ['codename', 'codename'], ['version', 'version'], ['origin', 'origin'], ['label', 'label']] as const) {
        const v = f.get(k);
        if (v !== undefined) r[key] = v;
      }
      ix.release = r;
    }
    ctx.indexes.push(ix);
  }
  return ctx;
}

/** The preferences files apt reads, in its order: the main file, then the directory's accepted files. */
export function orderPreferences(files: Map<string, PreferenceFile>, prefsFile: string, prefsDir: string): PreferenceFile[] {
  const dir = prefsDir.endsWith('/') ? prefsDir : `${prefsDir}/`;
  const parts = [...files.keys()].filter((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/')).map((p) => p.slice(dir.length));
  return [...(files.has(prefsFile) ? [files.get(prefsFile)!] : []), ...preferencePartsOrder(parts).map((n) => files.get(dir + n)!)];
}

/** The dpkg package `name` (`name:arch`) from the probe: installed version and the versions in the lists. */
function dpkgLookup(g: RawRecord | undefined, apt: AptContext | undefined): (name: string) => PackageInfo {
  const native = apt?.nativeArch;
  const installed = (g?.get('pkg') ?? []).map((l) => {
    const f = l.split('|');
    // `name|arch|abbrev|version` (older probes: `name|abbrev|version`).
    return f.length >= 4 ? { name: f[0], arch: f[1], abbrev: f[2], version: f[3] } : { name: f[0], arch: undefined, abbrev: f[1] ?? '', version: f[2] ?? '' };
  });
  const lists = new Map((apt?.indexes ?? []).map((ix) => [ix.id.replace(/^list(\d+):.*$/, '$1'), ix]));
  const stanzas = (g?.get('st') ?? []).map((l) => l.split('|')).filter((f) => f.length >= 5);
  // An arch-qualified name wants that architecture; a bare one the native one (or any, when it is unknown); `all` goes with the native.
  const archOk = (want: string | undefined, arch: string | undefined): boolean => {
    if (arch === undefined || arch === '') return true;
    if (want === undefined) return native === undefined || arch === native || arch === 'all';
    return arch === want || (arch === 'all' && want === native);
  };
  return (q) => {
    const colon = q.indexOf(':');
    const name = colon >= 0 ? q.slice(0, colon) : q;
    const want = colon >= 0 ? q.slice(colon + 1) : undefined;
    // dpkg's second status letter: not-installed and config-files are not installed (apt's CurrentVer).
    const inst = installed.filter((p) => p.name === name && archOk(want, p.arch) && p.abbrev[1] !== undefined && !'nc '.includes(p.abbrev[1]));
    const info: PackageInfo = { installed: (inst.find((p) => p.arch === native) ?? inst[0])?.version };
    if (!apt) return info;
    const versions: AptVersion[] = [];
    const truncated: string[] = [];
    for (const [ai, pkg, version, arch, source] of stanzas) {
      const ix = lists.get(ai);
      if (pkg !== name || !ix) continue;
      if (!version || !arch) { truncated.push(ix.describe); continue; }
      if (!archOk(want, arch)) continue;
      versions.push({ version, arch, source: source.replace(/\s*\(.*$/, '') || name, indexes: [ix] });
    }
    info.apt = { versions, ...(truncated.length ? { truncated } : {}) };
    return info;
  };
}

/** The note of rpm packages when the container has no rpm at all. */
export const NO_RPM = 'the container has no rpm';

/** `0:1.0-1` → `1.0-1`: rpm shows no epoch when it is 0. */
const normalEvr = (evr: string): string => evr.replace(/^0+:/, '');
const highest = (evrs: string[]): string | undefined => [...evrs].sort(compareRpmEvr).pop();

/**
 * Looks up rpm packages in the global records: `rpmpkg name|arch|evr` (installed), `rpmavail
 * name|arch|e:v-r|repo` (cached repository metadata), `rpmrepo id|read|nocache|unreadable …`,
 * `rpm none` when the container has no rpm. A query `name.arch` matches that arch only.
 */
function rpmLookup(g: RawRecord | undefined): (name: string) => PackageInfo {
  const split = (l: string) => l.split('|');
  const installed = (g?.get('rpmpkg') ?? []).map(split).filter((f) => f.length === 3);
  const available = (g?.get('rpmavail') ?? []).map(split).filter((f) => f.length === 4);
  // `_rp` may run twice (rpm queries, and queries without a manager on a container without dpkg).
  const repos = [...new Map((g?.get('rpmrepo') ?? []).map(split).map((r) => [r[0], r] as const)).values()];
  let note: string | undefined;
  if (g?.get('rpm')?.[0] === 'none') note = NO_RPM;
  else if (!repos.length) note = 'no enabled dnf repository (no enabled repository in /etc/yum.repos.d)';
  else if (!repos.some((r) => r[1] === 'read')) note = `the dnf metadata cache is empty (${repos.map((r) => r[0]).join(', ')}: dnf makecache first)`;
  else if (repos.some((r) => r[1] !== 'read')) note = `repositories without readable cached metadata: ${repos.filter((r) => r[1] !== 'read').map((r) => `${r[0]} (${r[1]})`).join(', ')}`;
  return (q) => {
    const is = (name: string, arch: string) => q === name || q === `${name}.${arch}`;
    const avail = [...new Set(available.filter((f) => is(f[0], f[1])).map((f) => normalEvr(f[2])))];
    const info: PackageInfo = { installed: highest(installed.filter((f) => is(f[0], f[1])).map((f) => normalEvr(f[2]))), candidate: highest(avail), available: avail };
    if (note) info.note = note;
    return info;
  };
}

/** The simulated machine. Probe results are the base; `set*` calls overlay planned effects. */
export class VirtualState {
  private readonly paths = new Map<string, Known<PathInfo>>();
  private readonly users = new Map<string, Known<UserInfo | null>>();
  private readonly groups = new Map<string, Known<GroupInfo | null>>();
  private readonly packages = new Map<string, Known<PackageInfo>>();
  private readonly services = new Map<string, Known<ServiceInfo>>();
  private readonly guards = new Map<string, Known<number>>();
  private readonly debs = new Map<string, Known<DebInfo>>();
  private readonly systems = new Map<string, Known<SystemReading>>();
  /** Steps planned so far whose effects cannot be simulated (package installs, commands). */
  readonly opaque: string[] = [];
  /** Package steps planned so far that install something (they may bring init scripts, users …). */
  readonly installs: string[] = [];
  /**
   * What steps that may or may not run (or were not applied) may have changed: entry → why. A
   * converge's re-probe reads the machine as it is, and these stay unknown over it
   * ({@link carryUncertain}), so no later step plans on what an unapplied step left undone.
   */
  readonly uncertain = new Map<string, string>();
  /** Earlier steps whose name is not known, by what they may create (`user`, `group`, `path`): any name. */
  readonly unnamed: Record<'user' | 'group' | 'path', string[]> = { user: [], group: [], path: [] };
  now = Math.floor(Date.now() / 1000);
  aptLists: boolean | undefined;
  /** The step that refreshes the apt lists earlier in the plan (candidates may then be newer). */
  listsRefreshedBy: string | undefined;
  packageManager: string | undefined;
  /** What apt's policy needs (containers with dpkg whose probe read it). */
  apt: AptContext | undefined;
  private readonly policies = new Map<string, { policy: AptPolicy; warnings: string[] }>();

  /** Builds the state from a parsed probe; garbled queries become unknowns with the reason. */
  static fromProbe(probe: ProbeScript, out: ProbeOutput): VirtualState {
    const s = new VirtualState();
    const g = out.records.get('g');
    const garbled = 'the probe output for it was missing or garbled';
    if (g?.has('now')) s.now = Number(g.get('now')![0]) || s.now;
    if (g?.has('aptlists')) s.aptLists = g.get('aptlists')![0] === '1';
    s.packageManager = g?.get('pm')?.[0];
    if (g && s.packageManager === 'dpkg' && g.has('aptdirs')) {
      s.apt = parseAptContext(g);
      // Compressed lists (Acquire::GzipIndexes) count too.
      s.aptLists = s.apt.indexes.length + s.apt.unreadable.length > 0;
    }
    const dpkgInfo = dpkgLookup(g, s.apt);
    const rpmInfo = rpmLookup(g);
    for (const [id, q] of probe.queries) {
      const rec = out.records.get(id) ?? new Map<string, string[]>();
      const bad = out.incomplete.has(id);
      const k = queryKey(q);
      switch (q.kind) {
        case 'path': s.paths.set(q.path, bad ? unknown(garbled) : parseStat(rec)); break;
        case 'user': s.users.set(q.name, bad ? unknown(garbled) : withLock(parsePasswd(rec.get('pw')?.[0]), rec)); break;
        case 'group': s.groups.set(q.name, bad ? unknown(garbled) : parseGroup(rec.get('gr')?.[0])); break;
        case 'package': {
          const rpm = q.manager === 'rpm' || (!q.manager && s.packageManager === 'rpm');
          if (bad) { s.packages.set(packageKey(q.name, q.manager), unknown(garbled)); break; }
          const info = rpm ? rpmInfo(q.name) : dpkgInfo(q.name);
          if (!rpm) {
            const c = s.aptCandidate(q.name, info);
            if (c.ok) { info.candidate = c.value.candidate; if (c.value.error) info.note = `apt would fail: ${c.value.error}`; } else if (info.apt) info.note = c.reason;
          }
          s.packages.set(packageKey(q.name, q.manager), known(info));
          break;
        }
        case 'service': s.services.set(q.name, bad ? unknown(garbled) : known(parseService(rec))); break;
        case 'deb': s.debs.set(q.path, bad ? unknown(garbled) : parseDeb(rec)); break;
        case 'system': s.systems.set(q.name, bad ? unknown(garbled) : known(Object.fromEntries([...rec].filter(([f]) => f !== 'end')))); break;
        // Readings by their query key (probeFunctions.ts): an archive, a git checkout, a gem, a tree.
        case 'archive': case 'git': case 'gem': case 'tree': s.systems.set(k, bad ? unknown(garbled) : known(Object.fromEntries([...rec].filter(([f]) => f !== 'end')))); break;
        case 'guard': {
          const rc = Number(rec.get('rc')?.[0]);
          s.guards.set(k, bad || Number.isNaN(rc) ? unknown(garbled) : known(rc));
          break;
        }
      }
    }
    return s;
  }

  /**
   * An independent copy, for planning a step without recording its effects (the why-run pass that
   * decides `:before` notifications). Entries are replaced, never mutated, so a shallow copy will do.
   */
  fork(): VirtualState {
    const s = new VirtualState();
    for (const [from, to] of [[this.paths, s.paths], [this.users, s.users], [this.groups, s.groups], [this.packages, s.packages],
      [this.services, s.services], [this.guards, s.guards], [this.debs, s.debs], [this.systems, s.systems]] as [Map<string, unknown>, Map<string, unknown>][]) {
      for (const [k, v] of from) to.set(k, v);
    }
    s.opaque.push(...this.opaque);
    s.installs.push(...this.installs);
    for (const [k, v] of this.uncertain) s.uncertain.set(k, v);
    for (const kind of ['user', 'group', 'path'] as const) s.unnamed[kind].push(...this.unnamed[kind]);
    s.now = this.now;
    s.aptLists = this.aptLists;
    s.listsRefreshedBy = this.listsRefreshedBy;
    s.packageManager = this.packageManager;
    s.apt = this.apt;
    for (const [k, v] of this.policies) s.policies.set(k, v);
    return s;
  }

  /**
   * After a step that may or may not run was planned on `trial` (a fork of this state): whatever it
   * changed there becomes unknown here, with `reason`, so no later step builds on a guess.
   */
  adoptUncertain(trial: VirtualState, reason: string): void {
    const theirs = new Map(trial.tables());
    for (const [name, mine] of this.tables()) {
      for (const [k, v] of theirs.get(name)!) if (mine.get(k) !== v) { mine.set(k, unknown(reason)); this.uncertain.set(`${name}\0${k}`, reason); }
    }
    for (const o of trial.opaque.slice(this.opaque.length)) this.opaque.push(`${o} (if it runs)`);
    for (const i of trial.installs.slice(this.installs.length)) this.installs.push(`${i} (if it runs)`);
  }

  /** Makes one entry unknown, for this plan and over later re-probes. */
  markUncertain(table: 'path' | 'user' | 'group' | 'service', key: string, reason: string): void {
    const t = new Map(this.tables()).get(table)!;
    t.set(key, unknown(reason));
    this.uncertain.set(`${table}\0${key}`, reason);
  }

  /** A fresh state from a re-probe keeps what was uncertain in the one it replaces, and the unnamed steps. */
  carryUncertain(from: VirtualState): void {
    const tables = new Map(this.tables());
    for (const [key, reason] of from.uncertain) {
      const [name, k] = key.split('\0');
      tables.get(name)?.set(k, unknown(reason));
      this.uncertain.set(key, reason);
    }
    for (const kind of ['user', 'group', 'path'] as const) this.unnamed[kind].push(...from.unnamed[kind]);
  }

  /** The entry tables a step may change, by name. */
  private tables(): [string, Map<string, unknown>][] {
    return [['path', this.paths], ['user', this.users], ['group', this.groups], ['package', this.packages],
      ['service', this.services], ['deb', this.debs], ['system', this.systems]];
  }

  /**
   * apt's policy for this container: its preferences (or `prefs`, the files as earlier steps
   * leave them) and APT::Default-Release (or `defaultRelease`, as `apt-get -o
   * APT::Default-Release=…` sets it). Unknown when apt's configuration or a preferences file
   * could not be read; a policy with `error` when apt itself would refuse to run.
   */
  aptPolicy(opts: { defaultRelease?: string; prefs?: PreferenceFile[] } = {}): Known<{ policy: AptPolicy; warnings: string[] }> {
    const apt = this.apt;
    if (!apt) return unknown('apt\'s lists and preferences were not read by the probe');
    if (apt.problem) return unknown(apt.problem);
    const prefs = opts.prefs ?? apt.prefs;
    const unreadable = prefs.find((p) => p.text === undefined);
    if (unreadable) return unknown(`the apt preferences file ${unreadable.path} cannot be read (${unreadable.problem ?? 'content unknown'})`);
    const dr = opts.defaultRelease ?? apt.defaultRelease;
    const key = JSON.stringify([dr ?? null, prefs.map((p) => [p.path, p.text])]);
    let hit = this.policies.get(key);
    if (!hit) {
      const pins: AptPin[] = [];
      const warnings: string[] = [];
      let error: string | undefined;
      for (const p of prefs) {
        const parsed = parsePreferences(p.text!, p.path);
        warnings.push(...parsed.warnings);
        if (parsed.error) { error = parsed.error; break; }
        pins.push(...parsed.pins);
      }
      hit = { policy: new AptPolicy({ indexes: apt.indexes, pins, ...(dr ? { defaultRelease: dr } : {}), ...(apt.nativeArch ? { nativeArch: apt.nativeArch } : {}), ...(error ? { error } : {}) }), warnings };
      this.policies.set(key, hit);
    }
    return known(hit);
  }

  /**
   * apt's candidate for a dpkg package (`info` from the probe, or as earlier steps left it):
   * unknown when the policy cannot be known, when a list could not be read or a stanza was cut
   * off; `error` in the result when apt would fail before choosing.
   */
  aptCandidate(name: string, info: PackageInfo, opts: { defaultRelease?: string; prefs?: PreferenceFile[] } = {}): Known<CandidateResult & { warnings: string[] }> {
    if (!info.apt) return unknown(`package ${name}: the apt lists were not read`);
    const p = this.aptPolicy(opts);
    if (!p.ok) return p;
    if (this.apt!.unreadable.length) return unknown(`apt lists the probe cannot read: ${this.apt!.unreadable.join(', ')}`);
    if (info.apt.truncated?.length) return unknown(`the stanza of ${name} in ${info.apt.truncated.join(', ')} is longer than the probe reads before its Version and Architecture`);
    return known({ ...p.value.policy.candidate({ name, ...(info.installed ? { installed: info.installed } : {}), versions: info.apt.versions }), warnings: p.value.warnings });
  }

  path(p: string): Known<PathInfo> { return this.paths.get(p) ?? unknown(`${p}: ${NOT_PROBED}`); }
  setPath(p: string, info: PathInfo): void { this.paths.set(p, known(info)); }
  user(n: string): Known<UserInfo | null> { return this.users.get(n) ?? unknown(`user ${n}: ${NOT_PROBED}`); }
  setUser(n: string, u: UserInfo | null): void { this.users.set(n, known(u)); }
  group(n: string): Known<GroupInfo | null> { return this.groups.get(n) ?? unknown(`group ${n}: ${NOT_PROBED}`); }
  setGroup(n: string, g: GroupInfo | null): void { this.groups.set(n, known(g)); }
  /** A package as the probe read it (by the manager its query named), or as a planned step leaves it. */
  pkg(n: string, manager?: PackageManager): Known<PackageInfo> { return this.packages.get(packageKey(n, manager)) ?? unknown(`package ${n}: ${NOT_PROBED}`); }
  setPkg(n: string, p: PackageInfo, manager?: PackageManager): void { this.packages.set(packageKey(n, manager), known(p)); }
  service(n: string): Known<ServiceInfo> { return this.services.get(n) ?? unknown(`service ${n}: ${NOT_PROBED}`); }
  setService(n: string, i: ServiceInfo): void { this.services.set(n, known(i)); }
  /** A .deb file (dpkg_package's source) as the probe read it. */
  deb(p: string): Known<DebInfo> { return this.debs.get(p) ?? unknown(`${p}: ${NOT_PROBED}`); }
  /**
   * A reading of the machine ({@link Query} `system`, by its name; `archive`, `git`, `gem` and
   * `tree` queries by their {@link queryKey}), as the probe read it or as a planned step leaves it.
   */
  system(name: string): Known<SystemReading> { return this.systems.get(name) ?? unknown(`${name}: ${NOT_PROBED}`); }
  /** Records a step's effect on a reading; `unknown` with the reason when the effect cannot be simulated. */
  setSystem(name: string, r: SystemReading | { unknown: string }): void { this.systems.set(name, 'unknown' in r && typeof r.unknown === 'string' ? unknown(r.unknown) : known(r as SystemReading)); }
  guard(q: Query): Known<number> { return this.guards.get(queryKey(q)) ?? unknown(`guard: ${NOT_PROBED}`); }

  /** Paths planned so far by the simulation (for guard-staleness notes). */
  touchedPaths(): string[] {
    return [...this.paths].filter(([, v]) => v.ok && v.value.by).map(([p]) => p);
  }

  /**
   * Whether `p` is (or will be) a directory: yes / no / unknown. A missing directory that an
   * earlier opaque step (a package install) may create is reported as an assumption.
   */
  dirStatus(p: string): { is: boolean; assumption?: string } | { reason: string } {
    const k = this.path(p);
    if (!k.ok) return { reason: k.reason };
    if (k.value.kind === 'directory') return { is: true };
    if (k.value.kind === 'link') return { is: true, assumption: `${p} is a symlink; assuming it points to a directory` };
    if (k.value.kind === 'missing' && this.unnamed.path.length) {
      return { reason: `${p} does not exist now, and ${this.unnamed.path.slice(0, 3).join(', ')}, whose path is not known, may create it` };
    }
    if (k.value.kind === 'missing' && this.opaque.length) {
      return { is: true, assumption: `assuming ${p} is created by ${this.opaque.join(', ')} (planned earlier; its files cannot be simulated)` };
    }
    return { is: false };
  }
}
