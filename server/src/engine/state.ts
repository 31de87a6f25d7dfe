/**
 * The virtual state for forward simulation: what the probe read, overlaid with the effects of
 * every step planned so far. Later resources plan against it, so a link to a file the recipe
 * creates, or a directory owned by a user it creates, is planned as the converge would see it.
 *
 * Lookups answer {@link Known}: a value, or a reason why it cannot be known (not probed,
 * garbled probe output). They never guess.
 */
import { createHash } from 'node:crypto';
import { compareDebVersions } from './debVersion';
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

/** A passwd entry. */
export interface UserInfo { name: string; uid: number; gid: number; comment: string; home: string; shell: string; by?: string }
/** A group entry. */
export interface GroupInfo { name: string; gid: number; members: string[]; by?: string }
/** A package's installed version (undefined: not installed) and candidate (undefined: unknown). */
export interface PackageInfo {
  installed?: string;
  candidate?: string;
  by?: string;
  /** rpm: every version (EVR) the cached metadata of the enabled repositories offers. */
  available?: string[];
  /** rpm: why the candidate is unknown or may be incomplete (no metadata cache, unreadable repositories, no rpm). */
  note?: string;
}
/** What could be read about a service. */
export interface ServiceInfo {
  pid1: string;
  systemd?: { enabled: string; active: string };
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

function parsePasswd(line: string | undefined): Known<UserInfo | null> {
  if (line === undefined) return unknown('no passwd record');
  if (line === '') return known(null);
  const f = line.split(':');
  if (f.length < 7 || !/^\d+$/.test(f[2])) return unknown(`unreadable passwd entry ${JSON.stringify(line)}`);
  return known({ name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f[6] });
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
  if (rec.has('sd-enabled')) info.systemd = { enabled: one('sd-enabled') ?? '', active: one('sd-active') ?? '' };
  if (rec.has('sysv')) {
    const st = Number(one('sysv-status'));
    // LSB status codes: 0 running, 1–3 not running, 4 unknown; 124 = our timeout.
    info.sysv = { running: st === 0 ? true : st >= 1 && st <= 3 ? false : undefined, enabled: one('sysv-enabled') === '1' };
  }
  if (rec.has('unit')) info.unitFile = one('unit');
  return info;
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
  /** Steps planned so far whose effects cannot be simulated (package installs, commands). */
  readonly opaque: string[] = [];
  /** Package steps planned so far that install something (they may bring init scripts, users …). */
  readonly installs: string[] = [];
  now = Math.floor(Date.now() / 1000);
  aptLists: boolean | undefined;
  /** The step that refreshes the apt lists earlier in the plan (candidates may then be newer). */
  listsRefreshedBy: string | undefined;
  packageManager: string | undefined;

  /** Builds the state from a parsed probe; garbled queries become unknowns with the reason. */
  static fromProbe(probe: ProbeScript, out: ProbeOutput): VirtualState {
    const s = new VirtualState();
    const g = out.records.get('g');
    const garbled = 'the probe output for it was missing or garbled';
    if (g?.has('now')) s.now = Number(g.get('now')![0]) || s.now;
    if (g?.has('aptlists')) s.aptLists = g.get('aptlists')![0] === '1';
    s.packageManager = g?.get('pm')?.[0];
    const pkgs = new Map<string, PackageInfo>();
    for (const l of g?.get('pkg') ?? []) {
      const [name, abbrev, version] = l.split('|');
      if (name) pkgs.set(name.replace(/:.*$/, ''), { ...pkgs.get(name), installed: abbrev?.startsWith('ii') ? version : undefined });
    }
    // Stanzas from the apt lists: `Package: x` then its `Version: v`; the highest version wins.
    let current: string | undefined;
    for (const l of g?.get('stanza') ?? []) {
      if (l.startsWith('Package: ')) { current = l.slice(9).trim(); continue; }
      if (!current || !l.startsWith('Version: ')) continue;
      const v = l.slice(9).trim();
      const prev = pkgs.get(current);
      if (!prev?.candidate || compareDebVersions(v, prev.candidate) > 0) pkgs.set(current, { ...prev, candidate: v });
      current = undefined;
    }
    const rpmInfo = rpmLookup(g);
    for (const [id, q] of probe.queries) {
      const rec = out.records.get(id) ?? new Map<string, string[]>();
      const bad = out.incomplete.has(id);
      const k = queryKey(q);
      switch (q.kind) {
        case 'path': s.paths.set(q.path, bad ? unknown(garbled) : parseStat(rec)); break;
        case 'user': s.users.set(q.name, bad ? unknown(garbled) : parsePasswd(rec.get('pw')?.[0])); break;
        case 'group': s.groups.set(q.name, bad ? unknown(garbled) : parseGroup(rec.get('gr')?.[0])); break;
        case 'package': {
          const rpm = q.manager === 'rpm' || (!q.manager && s.packageManager === 'rpm');
          s.packages.set(packageKey(q.name, q.manager), bad ? unknown(garbled) : known(rpm ? rpmInfo(q.name) : pkgs.get(q.name) ?? {}));
          break;
        }
        case 'service': s.services.set(q.name, bad ? unknown(garbled) : known(parseService(rec))); break;
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
      [this.services, s.services], [this.guards, s.guards]] as [Map<string, unknown>, Map<string, unknown>][]) {
      for (const [k, v] of from) to.set(k, v);
    }
    s.opaque.push(...this.opaque);
    s.installs.push(...this.installs);
    s.now = this.now;
    s.aptLists = this.aptLists;
    s.listsRefreshedBy = this.listsRefreshedBy;
    s.packageManager = this.packageManager;
    return s;
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
    if (k.value.kind === 'missing' && this.opaque.length) {
      return { is: true, assumption: `assuming ${p} is created by ${this.opaque.join(', ')} (planned earlier; its files cannot be simulated)` };
    }
    return { is: false };
  }
}
