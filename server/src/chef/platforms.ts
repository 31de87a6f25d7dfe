/**
 * Platform facts: what Ohai would report about a node, either from a named profile (debian-12,
 * almalinux-9, …) or read from a facts file / an attached container. Recipes branch on these values
 * (`platform_family?`, `node['platform_version']`), and the catalog resolves `package` / `service`
 * per platform from them.
 */
import { z } from 'zod';

/** Ohai's `kernel` attributes that recipes read. */
export interface KernelFacts {
  name: string;
  release: string;
  version?: string;
  machine: string;
  os?: string;
}

/** What Cloche knows about the target node: the facts `platform?`, attributes and `provides` resolution use. */
export interface PlatformFacts {
  /** The profile name these facts came from (`debian-12`), or `custom`. */
  profile: string;
  /** Ohai's `platform` (`debian`, `ubuntu`, `rocky`, `amazon`). */
  platform: string;
  /** Ohai's `platform_family` (`debian`, `rhel`, `amazon`, `fedora`, `suse`). */
  platformFamily: string;
  platformVersion: string;
  /** Ohai's `os` (`linux`, `windows`, `darwin`). */
  os: string;
  hostname?: string;
  fqdn?: string;
  kernel?: KernelFacts;
  /** Ohai's `init_package` (`systemd`). */
  initSystem?: string;
  /** The native package manager (`apt`, `dnf`, `yum`, `zypper`); decides Chef's `which("dnf")` checks. */
  packageManager?: string;
  /** Any further automatic attributes (ohai-style keys), merged over the generated ones. */
  extra?: Record<string, unknown>;
  /** Debian/Ubuntu release codename, for `lsb.codename`. */
  codename?: string;
}

type Profile = Omit<PlatformFacts, 'profile'>;

const kernel = (release: string): KernelFacts => ({ name: 'Linux', release, version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64', os: 'GNU/Linux' });

/** Values as Ohai reports them on these distributions (container kernels are the host's; these are plausible). */
const PROFILES: Record<string, Profile> = {
  'debian-12': { platform: 'debian', platformFamily: 'debian', platformVersion: '12.7', os: 'linux', codename: 'bookworm', kernel: kernel('6.1.0-25-amd64'), initSystem: 'systemd', packageManager: 'apt' },
  'debian-11': { platform: 'debian', platformFamily: 'debian', platformVersion: '11.11', os: 'linux', codename: 'bullseye', kernel: kernel('5.10.0-32-amd64'), initSystem: 'systemd', packageManager: 'apt' },
  'ubuntu-20.04': { platform: 'ubuntu', platformFamily: 'debian', platformVersion: '20.04', os: 'linux', codename: 'focal', kernel: kernel('5.4.0-196-generic'), initSystem: 'systemd', packageManager: 'apt' },
  'ubuntu-22.04': { platform: 'ubuntu', platformFamily: 'debian', platformVersion: '22.04', os: 'linux', codename: 'jammy', kernel: kernel('5.15.0-122-generic'), initSystem: 'systemd', packageManager: 'apt' },
  'ubuntu-24.04': { platform: 'ubuntu', platformFamily: 'debian', platformVersion: '24.04', os: 'linux', codename: 'noble', kernel: kernel('6.8.0-45-generic'), initSystem: 'systemd', packageManager: 'apt' },
  'almalinux-9': { platform: 'almalinux', platformFamily: 'rhel', platformVersion: '9.4', os: 'linux', kernel: kernel('5.14.0-427.13.1.el9_4.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'almalinux-8': { platform: 'almalinux', platformFamily: 'rhel', platformVersion: '8.10', os: 'linux', kernel: kernel('4.18.0-553.el8_10.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'rockylinux-9': { platform: 'rocky', platformFamily: 'rhel', platformVersion: '9.4', os: 'linux', kernel: kernel('5.14.0-427.13.1.el9_4.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'centos-stream-9': { platform: 'centos', platformFamily: 'rhel', platformVersion: '9', os: 'linux', kernel: kernel('5.14.0-503.el9.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'centos-7': { platform: 'centos', platformFamily: 'rhel', platformVersion: '7.9.2009', os: 'linux', kernel: kernel('3.10.0-1160.el7.x86_64'), initSystem: 'systemd', packageManager: 'yum' },
  'amazonlinux-2023': { platform: 'amazon', platformFamily: 'amazon', platformVersion: '2023', os: 'linux', kernel: kernel('6.1.109-118.189.amzn2023.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'amazonlinux-2': { platform: 'amazon', platformFamily: 'amazon', platformVersion: '2', os: 'linux', kernel: kernel('5.10.225-213.878.amzn2.x86_64'), initSystem: 'systemd', packageManager: 'yum' },
  'fedora-40': { platform: 'fedora', platformFamily: 'fedora', platformVersion: '40', os: 'linux', kernel: kernel('6.10.11-200.fc40.x86_64'), initSystem: 'systemd', packageManager: 'dnf' },
  'opensuse-leap-15': { platform: 'opensuseleap', platformFamily: 'suse', platformVersion: '15.6', os: 'linux', kernel: kernel('6.4.0-150600.23.22-default'), initSystem: 'systemd', packageManager: 'zypper' },
};

/** The default profile when the user picks none. */
export const DEFAULT_PROFILE = 'debian-12';

/** The facts of a named profile (`debian-12`), or undefined when there is no such profile. */
export function getPlatformProfile(name: string): PlatformFacts | undefined {
  const p = PROFILES[name];
  if (!p) return undefined;
  return { profile: name, ...structuredClone(p), hostname: 'cloche-' + name.replace(/\./g, '-'), fqdn: `cloche-${name.replace(/\./g, '-')}.local` };
}

/** The names of all profiles, for settings, pickers and CLI help. */
export function listPlatformProfiles(): string[] {
  return Object.keys(PROFILES);
}

/** Ohai's platform → platform_family, for facts files that give only a platform. */
const FAMILY_OF: Record<string, string> = {
  debian: 'debian', ubuntu: 'debian', linuxmint: 'debian', raspbian: 'debian',
  rhel: 'rhel', redhat: 'rhel', centos: 'rhel', rocky: 'rhel', almalinux: 'rhel', oracle: 'rhel', scientific: 'rhel',
  amazon: 'amazon', fedora: 'fedora', opensuseleap: 'suse', suse: 'suse', sles: 'suse',
  arch: 'arch', alpine: 'alpine', gentoo: 'gentoo', mac_os_x: 'mac_os_x', windows: 'windows', freebsd: 'freebsd',
};
const PACKAGE_MANAGER_OF: Record<string, string> = { debian: 'apt', rhel: 'dnf', amazon: 'dnf', fedora: 'dnf', suse: 'zypper', arch: 'pacman', alpine: 'apk' };

const str = z.string().min(1);
const FactsFile = z.object({
  profile: str.optional(),
  platform: str.optional(),
  platformFamily: str.optional(), platform_family: str.optional(),
  platformVersion: z.union([str, z.number()]).optional(), platform_version: z.union([str, z.number()]).optional(),
  os: str.optional(),
  hostname: str.optional(),
  fqdn: str.optional(),
  kernel: z.object({ name: str.optional(), release: str.optional(), version: str.optional(), machine: str.optional(), os: str.optional() }).loose().optional(),
  initSystem: str.optional(), init_package: str.optional(),
  packageManager: str.optional(),
  codename: str.optional(),
}).loose();

const KNOWN_KEYS = new Set(['profile', 'platform', 'platformFamily', 'platform_family', 'platformVersion', 'platform_version', 'os',
  'hostname', 'fqdn', 'kernel', 'initSystem', 'init_package', 'packageManager', 'codename', 'extra']);

/**
 * Reads a JSON facts file: either our own keys (`platformFamily`) or Ohai's (`platform_family`,
 * `init_package`, …, e.g. the output of `ohai`). Values missing from the file come from `profileName`
 * (or the file's `profile`), and unknown keys are kept in `extra` so recipes can read them.
 * Throws an Error whose message says what is wrong when the input cannot be used.
 */
export function factsFromJson(obj: unknown, profileName?: string): PlatformFacts {
  const parsed = FactsFile.safeParse(obj);
  if (!parsed.success) throw new Error(`invalid platform facts: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const f = parsed.data;
  const baseName = profileName ?? f.profile;
  const base = baseName ? getPlatformProfile(baseName) : undefined;
  if (baseName && !base) throw new Error(`unknown platform profile '${baseName}'; known: ${listPlatformProfiles().join(', ')}`);
  const platform = f.platform ?? base?.platform;
  if (!platform) throw new Error('platform facts need a "platform" (e.g. "debian") or a "profile" (e.g. "debian-12")');
  const family = f.platformFamily ?? f.platform_family ?? (f.platform ? FAMILY_OF[platform] : undefined) ?? base?.platformFamily ?? platform;
  const version = f.platformVersion ?? f.platform_version ?? base?.platformVersion ?? '';
  const extra: Record<string, unknown> = { ...(base?.extra ?? {}) };
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) if (!KNOWN_KEYS.has(key)) extra[key] = value;
  const rawExtra = (obj as Record<string, unknown>).extra;
  if (rawExtra && typeof rawExtra === 'object' && !Array.isArray(rawExtra)) Object.assign(extra, rawExtra);
  const k = f.kernel;
  return {
    profile: f.profile ?? profileName ?? 'custom',
    platform,
    platformFamily: family,
    platformVersion: String(version),
    os: f.os ?? base?.os ?? (family === 'windows' ? 'windows' : family === 'mac_os_x' ? 'darwin' : 'linux'),
    hostname: f.hostname ?? base?.hostname,
    fqdn: f.fqdn ?? base?.fqdn,
    kernel: k ? { ...(base?.kernel ?? kernel('')), ...(k as Partial<KernelFacts>) } as KernelFacts : base?.kernel,
    initSystem: f.initSystem ?? f.init_package ?? base?.initSystem,
    packageManager: f.packageManager ?? base?.packageManager ?? PACKAGE_MANAGER_OF[family],
    codename: f.codename ?? base?.codename,
    extra: Object.keys(extra).length ? extra : undefined,
  };
}

/**
 * The Ohai automatic attributes recipes read (`node['platform']`, `node['kernel']['machine']`,
 * `node['memory']['total']`, …), as plain JSON. Values not in the facts are plausible ones for a
 * small container, so recipes that read them evaluate to something concrete. `extra` wins over all.
 */
export function automaticAttributes(facts: PlatformFacts): Record<string, unknown> {
  const hostname = facts.hostname ?? 'cloche';
  const fqdn = facts.fqdn ?? hostname;
  const k = facts.kernel ?? kernel('6.1.0');
  const debianLike = facts.platformFamily === 'debian';
  const attrs: Record<string, unknown> = {
    platform: facts.platform,
    platform_family: facts.platformFamily,
    platform_version: facts.platformVersion,
    os: facts.os,
    os_version: k.release,
    hostname,
    machinename: hostname,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : null,
    kernel: { name: k.name, release: k.release, version: k.version ?? '', machine: k.machine, processor: k.machine, os: k.os ?? 'GNU/Linux', modules: {} },
    init_package: facts.initSystem ?? 'systemd',
    cpu: { total: 2, real: 1, cores: 2, architecture: k.machine },
    memory: { total: '4028416kB', free: '2516384kB', available: '3315132kB', swap: { total: '0kB', free: '0kB' } },
    ipaddress: '172.17.0.2',
    macaddress: '02:42:AC:11:00:02',
    ip6address: null,
    network: { default_interface: 'eth0', default_gateway: '172.17.0.1', interfaces: {} },
    virtualization: { system: 'docker', role: 'guest', systems: { docker: 'guest' } },
    root_group: facts.os === 'windows' ? 'Administrators' : 'root',
    current_user: 'root',
    shells: ['/bin/sh', '/bin/bash'],
    time: { timezone: 'UTC' },
    uptime_seconds: 3600,
    packages: {},
    filesystem: {},
    chef_packages: { chef: { version: '19.4.14' }, ohai: { version: '19.0.3' } },
    languages: { ruby: { version: '3.1.6', platform: `${k.machine}-linux` } },
  };
  if (debianLike) {
    const id = facts.platform === 'ubuntu' ? 'Ubuntu' : 'Debian';
    attrs.lsb = { id, release: facts.platformVersion, codename: facts.codename ?? null, description: `${id} ${facts.platformVersion}` };
  }
  return deepMerge(attrs, facts.extra ?? {});
}

function deepMerge(into: Record<string, unknown>, from: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(from)) {
    const cur = into[key];
    if (isPlainObject(cur) && isPlainObject(value)) into[key] = deepMerge({ ...cur }, value);
    else into[key] = value;
  }
  return into;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether the facts satisfy a `platform_version` constraint; re-exported here for callers that have facts. */
export function factsVersionMatches(facts: PlatformFacts, constraint: string | string[]): boolean {
  return platformVersionMatches(constraint, facts.platformVersion);
}

/** Numeric segments of a version (`'12.7'` → [12, 7]); undefined when it does not start with a number. */
function segments(version: string): number[] | undefined {
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  return m ? m[1].split('.').map(Number) : undefined;
}

/** Compares versions segment by segment, missing segments counting as 0 (`'9'` == `'9.0'`). */
export function compareVersions(a: string, b: string): number {
  const x = segments(a) ?? [], y = segments(b) ?? [];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Whether `version` satisfies a Chef platform version constraint: `>= 8`, `< 20.04`, `~> 12.0`,
 * `= 9`, a bare `9` (equality), or several of them (array or comma-separated; all must hold).
 * `~> 12.0` means >= 12.0 and < 13; `~> 12.0.1` means >= 12.0.1 and < 12.1 (RubyGems' pessimistic operator).
 * An unparseable version or constraint matches nothing.
 */
export function platformVersionMatches(constraint: string | string[], version: string): boolean {
  const parts = (Array.isArray(constraint) ? constraint : constraint.split(',')).map((c) => c.trim()).filter(Boolean);
  if (parts.length === 0 || !segments(version)) return false;
  return parts.every((part) => {
    const m = /^(>=|<=|!=|~>|>|<|=)?\s*(\S+)$/.exec(part);
    if (!m || !segments(m[2])) return false;
    const [, op = '=', want] = m;
    const c = compareVersions(version, want);
    switch (op) {
      case '>=': return c >= 0;
      case '<=': return c <= 0;
      case '>': return c > 0;
      case '<': return c < 0;
      case '!=': return c !== 0;
      case '=': return c === 0;
      default: return c >= 0 && compareVersions(version, pessimisticUpperBound(want)) < 0;
    }
  });
}

/** `~> 12.0` → `13`; `~> 12.0.1` → `12.1`; `~> 12` → `13` (as RubyGems bumps). */
function pessimisticUpperBound(v: string): string {
  const s = segments(v) ?? [0];
  const kept = s.length > 1 ? s.slice(0, -1) : s.slice();
  kept[kept.length - 1] += 1;
  return kept.join('.');
}
