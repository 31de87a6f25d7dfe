/**
 * Platform facts: what Ohai would report about a node, either from a named profile (debian-12,
 * almalinux-9, …) or read from a facts file / an attached container. Recipes branch on these values
 * (`platform_family?`, `node['platform_version']`), and the catalog resolves `package` / `service`
 * per platform from them.
 */
import { z } from 'zod';
import { PLACEHOLDER_NODE_NAME, withNodeName } from './nodeName';

/** Ohai's `kernel` attributes that recipes read. */
export interface KernelFacts {
  name: string;
  release: string;
  version?: string;
  machine: string;
  os?: string;
  /** Windows: `Server` or `Workstation` (chef-utils' `windows_server?`). */
  productType?: string;
  /** Windows: a Server Core installation (`windows_server_core?`). */
  serverCore?: boolean;
}

/** What Cloche knows about the target node: the facts `platform?`, attributes and `provides` resolution use. */
export interface PlatformFacts {
  /** The profile name these facts came from (`debian-12`), or `custom`. */
  profile: string;
  /** Ohai's `platform` (`debian`, `ubuntu`, `rocky`, `amazon`, `windows`, `mac_os_x`, `solaris2`). */
  platform: string;
  /** Ohai's `platform_family` (`debian`, `rhel`, `amazon`, `fedora`, `suse`, `windows`, `mac_os_x`, `freebsd`, `smartos`, `omnios`, `aix`). */
  platformFamily: string;
  platformVersion: string;
  /** Ohai's `os` (`linux`, `windows`, `darwin`, `freebsd`, `solaris2`, `aix`). */
  os: string;
  /** Ohai's `os_version` where it is not the kernel release (Windows build, FreeBSD's `__FreeBSD_version`, AIX's `oslevel -s`). */
  osVersion?: string;
  hostname?: string;
  fqdn?: string;
  kernel?: KernelFacts;
  /** Ohai's `init_package` (`systemd`); Ohai reports it on Linux only. */
  initSystem?: string;
  /** The native package manager (`apt`, `dnf`, `yum`, `zypper`); decides Chef's `which("dnf")` checks. */
  packageManager?: string;
  /** Ohai's `root_group` (`root`, `wheel` on macOS and FreeBSD, `system` on AIX, `Administrators` on Windows). */
  rootGroup?: string;
  /** Any further automatic attributes (ohai-style keys), merged over the generated ones. */
  extra?: Record<string, unknown>;
  /** Debian/Ubuntu release codename, for `lsb.codename`. */
  codename?: string;
}

type Profile = Omit<PlatformFacts, 'profile'>;

const kernel = (release: string): KernelFacts => ({ name: 'Linux', release, version: '#1 SMP PREEMPT_DYNAMIC', machine: 'x86_64', os: 'GNU/Linux' });

/** Windows Server as Ohai reports it: platform_version and os_version are the NT build, the kernel name is the edition. */
const windows = (year: string, build: string, powershell: string): Profile => ({
  platform: 'windows', platformFamily: 'windows', platformVersion: `10.0.${build}`, os: 'windows', osVersion: `10.0.${build}`, rootGroup: 'Administrators',
  kernel: { name: `Microsoft Windows Server ${year} Datacenter`, release: `10.0.${build}`, version: `10.0.${build}  Build ${build}`, machine: 'x86_64', os: 'WINNT', productType: 'Server', serverCore: false },
  extra: { languages: { powershell: { version: powershell } } },
});

/**
 * Values as Ohai reports them on these systems (container kernels are the host's; these are plausible).
 * Only the Linux ones can run in a container; the others are facts for checking cookbooks written for them.
 */
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
  'windows-2016': windows('2016', '14393', '5.1.14393.2636'),
  'windows-2019': windows('2019', '17763', '5.1.17763.134'),
  'windows-2022': windows('2022', '20348', '5.1.20348.2031'),
  'macos-14': {
    platform: 'mac_os_x', platformFamily: 'mac_os_x', platformVersion: '14.6.1', os: 'darwin', osVersion: '23.6.0', rootGroup: 'wheel', packageManager: 'homebrew',
    kernel: { name: 'Darwin', release: '23.6.0', version: 'Darwin Kernel Version 23.6.0', machine: 'arm64', os: 'Darwin' },
    extra: { platform_build: '23G93', shells: ['/bin/bash', '/bin/csh', '/bin/dash', '/bin/ksh', '/bin/sh', '/bin/tcsh', '/bin/zsh'] },
  },
  'freebsd-14': {
    platform: 'freebsd', platformFamily: 'freebsd', platformVersion: '14.1-RELEASE', os: 'freebsd', osVersion: '1401000', rootGroup: 'wheel', packageManager: 'pkg',
    kernel: { name: 'FreeBSD', release: '14.1-RELEASE', version: 'FreeBSD 14.1-RELEASE GENERIC', machine: 'amd64', os: 'FreeBSD' },
    extra: { shells: ['/bin/sh', '/bin/csh', '/bin/tcsh'] },
  },
  'solaris-11.4': {
    platform: 'solaris2', platformFamily: 'solaris2', platformVersion: '5.11', os: 'solaris2', osVersion: '5.11', rootGroup: 'root', packageManager: 'pkg',
    kernel: { name: 'SunOS', release: '5.11', version: '11.4.0.15.0', machine: 'i86pc', os: 'SunOS' },
    extra: { platform_build: '11.4.0.15.0', shells: ['/usr/bin/bash', '/usr/bin/ksh93', '/usr/bin/sh', '/usr/bin/zsh'] },
  },
  'smartos': {
    platform: 'smartos', platformFamily: 'smartos', platformVersion: '5.11', os: 'solaris2', osVersion: '5.11', rootGroup: 'root', packageManager: 'pkgin',
    kernel: { name: 'SunOS', release: '5.11', version: 'joyent_20131218T184706Z', machine: 'i86pc', os: 'SunOS' },
    extra: { platform_build: 'joyent_20131218T184706Z' },
  },
  'omnios-r151050': {
    platform: 'omnios', platformFamily: 'omnios', platformVersion: '151050', os: 'solaris2', osVersion: '5.11', rootGroup: 'root', packageManager: 'pkg',
    kernel: { name: 'SunOS', release: '5.11', version: 'omnios-r151050', machine: 'i86pc', os: 'SunOS' },
    extra: { platform_build: 'omnios-r151050' },
  },
  'aix-7.2': {
    platform: 'aix', platformFamily: 'aix', platformVersion: '7.2', os: 'aix', osVersion: '7200-05-07-2346', rootGroup: 'system', packageManager: 'installp',
    kernel: { name: 'aix', release: '2', version: '7', machine: 'powerpc', os: 'aix' },
    extra: { shells: ['/bin/csh', '/bin/ksh', '/bin/psh', '/bin/tsh', '/bin/bsh'] },
  },
};

/** Whether the facts are those of a Linux system (the only kind a container can be). */
export function isLinux(facts: PlatformFacts): boolean {
  return facts.os === 'linux';
}

/** The default profile when the user picks none. */
export const DEFAULT_PROFILE = 'debian-12';

/** The facts of a named profile (`debian-12`), or undefined when there is no such profile. */
export function getPlatformProfile(name: string): PlatformFacts | undefined {
  const p = PROFILES[name];
  if (!p) return undefined;
  return withNodeName({ profile: name, ...structuredClone(p) }, PLACEHOLDER_NODE_NAME);
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
  arch: 'arch', alpine: 'alpine', gentoo: 'gentoo', mac_os_x: 'mac_os_x', windows: 'windows', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd',
  solaris2: 'solaris2', smartos: 'smartos', omnios: 'omnios', openindiana: 'openindiana', aix: 'aix',
};
/** Ohai's platform_family of a platform name (`redhat` → `rhel`), or undefined when we do not know it. */
export function familyOf(platform: string): string | undefined {
  return FAMILY_OF[platform];
}

/** Ohai's platform_family → os, where it is not `linux`. */
const OS_OF: Record<string, string> = {
  windows: 'windows', mac_os_x: 'darwin', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd',
  solaris2: 'solaris2', smartos: 'solaris2', omnios: 'solaris2', openindiana: 'solaris2', aix: 'aix',
};
const PACKAGE_MANAGER_OF: Record<string, string> = { debian: 'apt', rhel: 'dnf', amazon: 'dnf', fedora: 'dnf', suse: 'zypper', arch: 'pacman', alpine: 'apk' };

const str = z.string().min(1);
const FactsFile = z.object({
  profile: str.optional(),
  platform: str.optional(),
  platformFamily: str.optional(), platform_family: str.optional(),
  platformVersion: z.union([str, z.number()]).optional(), platform_version: z.union([str, z.number()]).optional(),
  os: str.optional(),
  osVersion: str.optional(), os_version: str.optional(),
  rootGroup: str.optional(), root_group: str.optional(),
  hostname: str.optional(),
  fqdn: str.optional(),
  kernel: z.object({ name: str.optional(), release: str.optional(), version: str.optional(), machine: str.optional(), os: str.optional() }).loose().optional(),
  initSystem: str.optional(), init_package: str.optional(),
  packageManager: str.optional(),
  codename: str.optional(),
}).loose();

const KNOWN_KEYS = new Set(['profile', 'platform', 'platformFamily', 'platform_family', 'platformVersion', 'platform_version', 'os', 'osVersion', 'os_version', 'rootGroup', 'root_group',
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
    os: f.os ?? (base && family === base.platformFamily ? base.os : OS_OF[family] ?? 'linux'),
    osVersion: f.osVersion ?? f.os_version ?? base?.osVersion,
    rootGroup: f.rootGroup ?? f.root_group ?? base?.rootGroup,
    hostname: f.hostname ?? base?.hostname,
    fqdn: f.fqdn ?? base?.fqdn,
    kernel: k ? { ...(base?.kernel ?? kernel('')), ...(k as Partial<KernelFacts>) } as KernelFacts : base?.kernel,
    initSystem: f.initSystem ?? f.init_package ?? base?.initSystem,
    packageManager: f.packageManager ?? base?.packageManager ?? PACKAGE_MANAGER_OF[family],
    codename: f.codename ?? base?.codename,
    extra: Object.keys(extra).length ? extra : undefined,
  };
}

/** Ruby's platform string for the node (`RUBY_PLATFORM`, `node['languages']['ruby']['platform']`). */
function rubyPlatform(facts: PlatformFacts, k: KernelFacts): string {
  switch (facts.os) {
    case 'windows': return 'x64-mingw-ucrt';
    case 'darwin': return `${k.machine}-darwin${k.release.split('.')[0]}`;
    case 'freebsd': return `${k.machine}-freebsd${facts.platformVersion.split('.')[0]}`;
    case 'solaris2': return 'x86_64-solaris2.11';
    case 'aix': return `powerpc-aix${facts.platformVersion}.0.0`;
    default: return `${k.machine}-linux`;
  }
}

/**
 * The Ohai automatic attributes recipes read (`node['platform']`, `node['kernel']['machine']`,
 * `node['memory']['total']`, …), as plain JSON. Values not in the facts are plausible ones for a
 * small node, so recipes that read them evaluate to something concrete; what Ohai reports only on
 * some systems (`init_package` and `lsb` on Linux, `shells` on Unix) is absent elsewhere. `extra` wins over all.
 */
export function automaticAttributes(facts: PlatformFacts): Record<string, unknown> {
  const hostname = facts.hostname ?? 'cloche';
  const fqdn = facts.fqdn ?? hostname;
  const linux = facts.os === 'linux';
  const win = facts.os === 'windows';
  const k = facts.kernel ?? (linux ? kernel('6.1.0') : { name: facts.os, release: facts.platformVersion, machine: 'x86_64' });
  const debianLike = facts.platformFamily === 'debian';
  const kernelAttrs: Record<string, unknown> = { name: k.name, release: k.release, version: k.version ?? '', machine: k.machine, processor: k.machine, os: k.os ?? (linux ? 'GNU/Linux' : k.name) };
  if (linux) kernelAttrs.modules = {};
  if (k.productType !== undefined) kernelAttrs.product_type = k.productType;
  if (k.serverCore !== undefined) kernelAttrs.server_core = k.serverCore;
  const attrs: Record<string, unknown> = {
    platform: facts.platform,
    platform_family: facts.platformFamily,
    platform_version: facts.platformVersion,
    os: facts.os,
    os_version: facts.osVersion ?? k.release,
    hostname,
    machinename: hostname,
    fqdn,
    domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : null,
    kernel: kernelAttrs,
    cpu: { total: 2, real: 1, cores: 2, architecture: k.machine },
    memory: { total: '4028416kB', free: '2516384kB', available: '3315132kB', swap: { total: '0kB', free: '0kB' } },
    ipaddress: '172.17.0.2',
    macaddress: '02:42:AC:11:00:02',
    ip6address: null,
    network: { default_interface: win ? 'Ethernet' : linux ? 'eth0' : 'en0', default_gateway: '172.17.0.1', interfaces: {} },
    virtualization: linux ? { system: 'docker', role: 'guest', systems: { docker: 'guest' } } : { systems: {} },
    root_group: facts.rootGroup ?? (win ? 'Administrators' : 'root'),
    current_user: win ? 'Administrator' : 'root',
    time: { timezone: 'UTC' },
    uptime_seconds: 3600,
    packages: {},
    filesystem: {},
    chef_packages: { chef: { version: '19.4.14' }, ohai: { version: '19.0.3' } },
    languages: { ruby: { version: '3.1.6', platform: rubyPlatform(facts, k) } },
  };
  if (linux) attrs.init_package = facts.initSystem ?? 'systemd';
  else if (facts.initSystem) attrs.init_package = facts.initSystem;
  if (!win) attrs.shells = ['/bin/sh', '/bin/bash'];
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
