/**
 * Chef's platform introspection helpers (`platform?`, `platform_family?`, `value_for_platform`,
 * chef-utils' `debian?`, `rhel?`, …), shared by recipes, attribute files, resources and templates.
 */
import { type Value, str, bool, unknown, hashGet, toS, NIL, type HashEntry } from '../ruby/values';
import { type PlatformFacts, platformVersionMatches } from './platforms';

/** chef-utils' 64-bit machines. */
const BITS_64 = ['amd64', 'x86_64', 'ppc64', 'ppc64le', 's390x', 'ia64', 'sparc64', 'aarch64', 'arch64', 'arm64', 'sun4v', 'sun4u'];

const FAMILY_HELPERS: Record<string, (f: PlatformFacts) => boolean> = {
  'debian?': (f) => f.platformFamily === 'debian',
  'ubuntu?': (f) => f.platform === 'ubuntu',
  'rhel?': (f) => f.platformFamily === 'rhel',
  'rhel6?': (f) => f.platformFamily === 'rhel' && f.platformVersion.startsWith('6'),
  'rhel7?': (f) => f.platformFamily === 'rhel' && f.platformVersion.startsWith('7'),
  'rhel8?': (f) => f.platformFamily === 'rhel' && f.platformVersion.startsWith('8'),
  'rhel9?': (f) => f.platformFamily === 'rhel' && f.platformVersion.startsWith('9'),
  'el?': (f) => ['rhel', 'amazon', 'fedora'].includes(f.platformFamily),
  'fedora?': (f) => f.platformFamily === 'fedora',
  'fedora_based?': (f) => ['rhel', 'amazon', 'fedora'].includes(f.platformFamily),
  'amazon?': (f) => f.platformFamily === 'amazon',
  'amazon_linux?': (f) => f.platform === 'amazon',
  'centos?': (f) => f.platform === 'centos',
  'redhat?': (f) => f.platform === 'redhat',
  'rocky?': (f) => f.platform === 'rocky',
  'alma?': (f) => f.platform === 'almalinux',
  'suse?': (f) => f.platformFamily === 'suse',
  'arch?': (f) => f.platformFamily === 'arch',
  'gentoo?': (f) => f.platformFamily === 'gentoo',
  'alpine?': (f) => f.platformFamily === 'alpine',
  'linux?': (f) => f.os === 'linux',
  'windows?': (f) => f.os === 'windows',
  'macos?': (f) => f.platformFamily === 'mac_os_x',
  'mac_os_x?': (f) => f.platformFamily === 'mac_os_x',
  'solaris?': (f) => f.os === 'solaris2',
  'aix?': (f) => f.platformFamily === 'aix',
  'freebsd?': (f) => f.platformFamily === 'freebsd',
  'bsd_based?': (f) => ['freebsd', 'netbsd', 'openbsd', 'dragonflybsd'].includes(f.platformFamily),
  // Ohai reports init_package on Linux only; facts without it are a systemd container.
  'systemd?': (f) => (f.initSystem ? f.initSystem === 'systemd' : f.os === 'linux'),
  'x86_64?': (f) => (f.kernel?.machine ?? 'x86_64') === 'x86_64',
  '_64_bit?': (f) => BITS_64.includes(f.kernel?.machine ?? 'x86_64'),
  'arm?': (f) => /^(arm|aarch64)/.test(f.kernel?.machine ?? ''),
  'aarch64?': (f) => f.kernel?.machine === 'aarch64',
  'intel?': (f) => ['i86pc', 'i386', 'x86_64', 'amd64', 'i686'].includes(f.kernel?.machine ?? 'x86_64'),
  // Linux profiles are containers (virtualization docker guest); the others are not.
  'docker?': (f) => f.os === 'linux',
  // chef-utils' exact-platform helpers (platform, not family).
  ...Object.fromEntries(['aix', 'amazon', 'arch', 'centos', 'clearos', 'debian', 'dragonfly', 'fedora', 'freebsd', 'gentoo', 'linuxmint', 'netbsd',
    'omnios', 'openbsd', 'openindiana', 'oracle', 'raspbian', 'redhat', 'scientific', 'slackware', 'smartos', 'solaris2', 'suse', 'ubuntu', 'windows']
    .map((p) => [`${p}_platform?`, (f: PlatformFacts) => f.platform === p])),
  'opensuse_platform?': (f) => f.platform === 'opensuseleap' || f.platform === 'opensuse',
  'macos_platform?': (f) => f.platform === 'mac_os_x',
  'centos_stream_platform?': (f) => f.platform === 'centos' && Number(f.platformVersion.split('.')[0]) >= 8,
  'darwin?': (f) => f.os === 'darwin',
  'solaris2?': (f) => f.platformFamily === 'solaris2',
  'smartos?': (f) => f.platformFamily === 'smartos',
  'netbsd?': (f) => f.platformFamily === 'netbsd',
  'openbsd?': (f) => f.platformFamily === 'openbsd',
  'dragonflybsd?': (f) => f.platformFamily === 'dragonflybsd',
  'rpm_based?': (f) => ['rhel', 'fedora', 'amazon', 'suse'].includes(f.platformFamily),
  'redhat_based?': (f) => ['rhel', 'fedora', 'amazon'].includes(f.platformFamily),
  'fedora_derived?': (f) => ['rhel', 'fedora', 'amazon'].includes(f.platformFamily),
  'solaris_based?': (f) => ['solaris2', 'smartos', 'omnios', 'openindiana'].includes(f.platform),
  'omnios?': (f) => f.platformFamily === 'omnios',
  'i386?': (f) => /^i[3-6]86$/.test(f.kernel?.machine ?? ''),
  '_32_bit?': (f) => !BITS_64.includes(f.kernel?.machine ?? 'x86_64'),
  'armhf?': (f) => /^armv[67]/.test(f.kernel?.machine ?? ''),
  'powerpc?': (f) => /^ppc/.test(f.kernel?.machine ?? ''),
  'ppc64?': (f) => f.kernel?.machine === 'ppc64',
  'ppc64le?': (f) => f.kernel?.machine === 'ppc64le',
  's390x?': (f) => f.kernel?.machine === 's390x',
  's390?': (f) => f.kernel?.machine === 's390',
  'sparc?': (f) => /sparc/.test(f.kernel?.machine ?? ''),
  'windows_ruby?': (f) => f.os === 'windows',
  // chef-utils reads the kernel's product_type and server_core, which Ohai reports on Windows only.
  'windows_server?': (f) => f.kernel?.productType === 'Server',
  'windows_workstation?': (f) => f.kernel?.productType === 'Workstation',
  'windows_server_core?': (f) => f.kernel?.serverCore === true,
  'macos_ruby?': (f) => f.os === 'darwin',
  'effortless?': () => false,
};

/** Helpers whose answer depends on the machine, not on the platform profile. */
const MACHINE_HELPERS = new Set(['debianrcd?', 'invokercd?', 'insserv?', 'upstart?', 'redhatrcd?', 'has_systemd_unit?', 'has_systemd_service_unit?', 'service_script_exist?',
  'includes_recipe?', 'vagrant_domain?', 'vagrant_key?', 'vagrant_user?', 'kvm_host?', 'lxc_host?', 'openvz_host?', 'parallels?', 'parallels_host?', 'vbox_host?',
  'vmware_desktop?', 'vmware_host?', 'vmware_vsphere?', 'virtual?', 'physical?', 'cloud?', 'ec2?', 'gce?', 'azure?', 'kitchen?', 'ci?', 'vagrant?', 'hyperv?', 'vmware?', 'kvm?', 'lxc?', 'openvz?', 'vbox?', 'wpar?', 'include_recipe?', 'which', 'file_exist?', 'guest?', 'hypervisor?', 'systemd_unit?']);

/** Whether a name is one of the platform helpers `platformHelper` answers. */
export function isPlatformHelper(name: string): boolean {
  return name === 'platform?' || name === 'platform_family?' || name === 'value_for_platform' || name === 'value_for_platform_family'
    || name in FAMILY_HELPERS || MACHINE_HELPERS.has(name);
}

/** Answers a platform helper call, or undefined when `name` is not one. */
export function platformHelper(name: string, args: Value[], facts: PlatformFacts): Value | undefined {
  switch (name) {
    case 'platform?': return matchAny(args, [facts.platform]);
    case 'platform_family?': return matchAny(args, [facts.platformFamily]);
    case 'value_for_platform': return valueForPlatform(args[0], facts, false);
    case 'value_for_platform_family': return valueForPlatform(args[0], facts, true);
    default: break;
  }
  const helper = FAMILY_HELPERS[name];
  if (helper) return bool(helper(facts));
  if (MACHINE_HELPERS.has(name)) return unknown(`\`${name}\` depends on the machine Chef runs on`);
  return undefined;
}

function matchAny(args: Value[], actual: string[]): Value {
  for (const a of args.flatMap((x) => (x.k === 'array' ? x.items : [x]))) {
    if (a.k === 'unknown') return a;
    if ((a.k === 'str' || a.k === 'sym') && actual.includes(a.v)) return bool(true);
  }
  return bool(false);
}

/**
 * `value_for_platform('debian' => { '>= 12' => 'x', 'default' => 'y' }, 'default' => 'z')` and the
 * family variant. Keys may be arrays of platforms; version keys may be constraints or exact versions.
 */
function valueForPlatform(spec: Value | undefined, facts: PlatformFacts, family: boolean): Value {
  if (!spec) return NIL;
  if (spec.k === 'unknown') return spec;
  if (spec.k !== 'hash') return unknown('value_for_platform expects a hash');
  const want = family ? facts.platformFamily : facts.platform;
  let chosen: Value | undefined;
  for (const e of spec.map.values()) {
    const keys = e.key.k === 'array' ? e.key.items.map(toS) : [toS(e.key)];
    if (keys.includes(want)) { chosen = e.value; break; }
  }
  if (chosen === undefined) return hashGet(spec, str('default')) ?? hashGet(spec, { k: 'sym', v: 'default' }) ?? NIL;
  if (family || chosen.k !== 'hash') return chosen;
  // Per-version values: an exact version, a constraint, or `default`.
  const entries: HashEntry[] = [...chosen.map.values()];
  const looksVersioned = entries.some((e) => /^[<>=~!\d]/.test(toS(e.key)) || toS(e.key) === 'default');
  if (!looksVersioned) return chosen;
  for (const e of entries) {
    const k = toS(e.key);
    if (k === 'default') continue;
    if (k === facts.platformVersion || (/^[<>=~!]/.test(k) && platformVersionMatches(k, facts.platformVersion))) return e.value;
  }
  for (const e of entries) if (toS(e.key) !== 'default' && facts.platformVersion.startsWith(toS(e.key) + '.')) return e.value;
  return entries.find((e) => toS(e.key) === 'default')?.value ?? hashGet(spec, str('default')) ?? NIL;
}
