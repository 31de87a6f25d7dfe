/**
 * Chef's provider resolution for the resource types whose provider depends on the platform: which
 * `Chef::Provider` class converges a `package`, `service`, `user`, `group`, `mount`, `cron` or
 * `ifconfig` on a node. The rules are the `provides` lines of Chef Infra 19's lib/chef/provider/**
 * (facts: the DSL name, its os / platform_family / platform filters, whether a block narrows it),
 * and the priority arrays of provider/service.rb. They are matched as Chef's NodeMap does: a filter
 * value `!x` excludes, a platform_family value also matches through chef-utils' `x?` helper
 * (`rpm_based`, `solaris_based`), the most specific matching rule wins (a block, then
 * platform_version, platform, platform_family, os).
 */
import type { PlatformFacts } from '../platforms';
import { platformVersionMatches } from '../platforms';

interface ProviderRule {
  provider: string;
  os?: string[];
  platform?: string[];
  platformFamily?: string[];
  platformVersion?: string;
  /** A `provides … do … end` block: decided for the facts, undefined when it depends on the machine. */
  block?: (f: PlatformFacts) => boolean | undefined;
}

const P = 'Chef::Provider::';
const systemdBlock = (f: PlatformFacts) => (f.initSystem === undefined ? undefined : f.initSystem === 'systemd');
const machine = () => undefined;

/** Resource name (as Chef resolves the resource first: `apt_package`, `service`) → provider rules. */
const RULES: Record<string, ProviderRule[]> = {
  // The generic `package` resource is what Chef declares where no resource class claims `package` (AIX, Gentoo, Arch…).
  package: [
    { provider: P + 'Package::Bff', os: ['aix'] },
    { provider: P + 'Package::Portage', platform: ['gentoo'] },
    { provider: P + 'Package::Pacman', platform: ['arch'] },
    { provider: P + 'Package::Paludis', platform: ['exherbo'] },
    { provider: P + 'Package::Apt', platformFamily: ['debian'] },
    { provider: P + 'Package::Yum', platformFamily: ['fedora', 'rhel', 'amazon'] },
    { provider: P + 'Package::Zypper', platformFamily: ['suse'] },
    { provider: P + 'Package::Homebrew', os: ['darwin'] },
    { provider: P + 'Package::Ips', platform: ['openindiana', 'omnios', 'solaris2'] },
    { provider: P + 'Package::SmartOS', platform: ['smartos'] },
    { provider: P + 'Package::Openbsd', os: ['openbsd'] },
    { provider: P + 'Package::Windows', os: ['windows'] },
  ],
  apt_package: [{ provider: P + 'Package::Apt' }],
  dpkg_package: [{ provider: P + 'Package::Dpkg' }],
  dnf_package: [{ provider: P + 'Package::Dnf' }],
  yum_package: [{ provider: P + 'Package::Yum' }],
  zypper_package: [{ provider: P + 'Package::Zypper' }],
  rpm_package: [{ provider: P + 'Package::Rpm' }],
  homebrew_package: [{ provider: P + 'Package::Homebrew' }],
  macports_package: [{ provider: P + 'Package::Macports' }],
  windows_package: [{ provider: P + 'Package::Windows' }],
  chocolatey_package: [{ provider: P + 'Package::Chocolatey' }],
  msu_package: [{ provider: P + 'Package::Msu' }],
  cab_package: [{ provider: P + 'Package::Cab', os: ['windows'] }],
  powershell_package: [{ provider: P + 'Package::Powershell' }],
  ips_package: [{ provider: P + 'Package::Ips' }],
  solaris_package: [{ provider: P + 'Package::Solaris' }],
  smartos_package: [{ provider: P + 'Package::SmartOS' }],
  bff_package: [{ provider: P + 'Package::Bff' }],
  openbsd_package: [{ provider: P + 'Package::Openbsd' }],
  // freebsd_package picks its provider itself: Port when `source 'ports'`, else Pkgng.
  freebsd_package: [{ provider: P + 'Package::Freebsd::Pkgng' }],
  pacman_package: [{ provider: P + 'Package::Pacman' }],
  snap_package: [{ provider: P + 'Package::Snap' }],
  gem_package: [{ provider: P + 'Package::Rubygems' }],
  chef_gem: [{ provider: P + 'Package::Rubygems' }],
  service: [
    { provider: P + 'Service::Systemd', os: ['linux'], block: systemdBlock },
    { provider: P + 'Service::Debian', platformFamily: ['debian'], block: machine },
    { provider: P + 'Service::Invokercd', platformFamily: ['debian'], block: machine },
    { provider: P + 'Service::Insserv', platformFamily: ['debian', 'rhel', 'fedora', 'suse', 'amazon'], block: machine },
    { provider: P + 'Service::Redhat', platformFamily: ['rpm_based'], block: machine },
    { provider: P + 'Service::Gentoo', platformFamily: ['gentoo'] },
    { provider: P + 'Service::Arch', platformFamily: ['arch'] },
    { provider: P + 'Service::Freebsd', os: ['freebsd', 'netbsd'] },
    { provider: P + 'Service::Openbsd', os: ['openbsd'] },
    { provider: P + 'Service::Solaris', os: ['solaris2'] },
    { provider: P + 'Service::Aix', os: ['aix'] },
    { provider: P + 'Service::Macosx', os: ['darwin'] },
    { provider: P + 'Service::Windows', os: ['windows'] },
    { provider: P + 'Service::Init', os: ['!windows'] },
  ],
  windows_service: [{ provider: P + 'Service::Windows' }],
  macosx_service: [{ provider: P + 'Service::Macosx' }],
  linux_user: [{ provider: P + 'User::Linux' }],
  mac_user: [{ provider: P + 'User::Mac' }],
  pw_user: [{ provider: P + 'User::Pw' }],
  aix_user: [{ provider: P + 'User::Aix' }],
  solaris_user: [{ provider: P + 'User::Solaris' }],
  windows_user: [{ provider: P + 'User::Windows' }],
  group: [
    { provider: P + 'Group::Gpasswd' },
    { provider: P + 'Group::Aix', platform: ['aix'] },
    { provider: P + 'Group::Groupmod', os: ['netbsd'] },
    { provider: P + 'Group::Solaris', platform: ['solaris2'] },
    { provider: P + 'Group::Pw', platform: ['freebsd'] },
    { provider: P + 'Group::Usermod', os: ['openbsd', 'solaris2'] },
    { provider: P + 'Group::Dscl', os: ['darwin'] },
    { provider: P + 'Group::Windows', os: ['windows'] },
  ],
  mount: [
    { provider: P + 'Mount::Mount' },
    { provider: P + 'Mount::Linux', os: ['linux'] },
    { provider: P + 'Mount::Windows', os: ['windows'] },
    { provider: P + 'Mount::Aix', platform: ['aix'] },
    { provider: P + 'Mount::Solaris', platformFamily: ['solaris_based'] },
  ],
  cron: [
    { provider: P + 'Cron', os: ['!aix', '!solaris2'] },
    { provider: P + 'Cron::Aix', os: ['aix'] },
    { provider: P + 'Cron::Unix', os: ['solaris2'] },
  ],
  ifconfig: [
    { provider: P + 'Ifconfig' },
    { provider: P + 'Ifconfig::Aix', platform: ['aix'] },
    { provider: P + 'Ifconfig::Redhat', platformFamily: ['fedora', 'rhel', 'amazon'] },
    { provider: P + 'Ifconfig::Debian', platformFamily: ['debian'] },
  ],
};

/** provider/service.rb's priority arrays: Chef tries these in order before the NodeMap's ranking. */
const SERVICE_PRIORITY: { family: string; order: string[] }[] = [
  { family: 'arch', order: ['Systemd', 'Arch'] },
  { family: 'gentoo', order: ['Systemd', 'Gentoo'] },
  { family: 'debian', order: ['Systemd', 'Upstart', 'Insserv', 'Debian', 'Invokercd'] },
  { family: 'rpm_based', order: ['Systemd', 'Insserv', 'Redhat'] },
];

/** chef-utils' family helpers that NodeMap consults for platform_family filters. */
const FAMILY_QUERIES: Record<string, (f: PlatformFacts) => boolean> = {
  rpm_based: (f) => ['rhel', 'fedora', 'amazon', 'suse'].includes(f.platformFamily),
  solaris_based: (f) => ['solaris2', 'smartos', 'omnios', 'openindiana'].includes(f.platform),
  fedora_derived: (f) => ['rhel', 'fedora', 'amazon'].includes(f.platformFamily),
};

function listMatches(values: string[] | undefined, actual: string, query?: (v: string) => boolean): boolean {
  if (!values) return true;
  const excluded = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
  const allowed = values.filter((v) => !v.startsWith('!'));
  if (excluded.some((v) => v === actual || query?.(v))) return false;
  return allowed.length === 0 || allowed.some((v) => v === actual || query?.(v));
}

export interface ProviderChoice {
  /** The provider class (`Chef::Provider::Service::Systemd`); undefined when none matches (Chef fails with "Cannot find a provider"). */
  provider: string | undefined;
  /** What the choice depends on beyond the platform (the machine's init scripts, a unit file). */
  note?: string;
}

/**
 * The provider Chef would pick for a resource of this (resolved) type on the platform; undefined
 * when the type is not one whose provider depends on the platform, or when the choice depends on
 * the machine alone.
 */
export function providerFor(resourceName: string, facts: PlatformFacts): ProviderChoice | undefined {
  const rules = RULES[resourceName];
  if (!rules) return undefined;
  const family = (v: string) => FAMILY_QUERIES[v]?.(facts) ?? false;
  let undecided = false;
  const matching: { rule: ProviderRule; score: number[]; seq: number }[] = [];
  rules.forEach((rule, seq) => {
    if (!listMatches(rule.os, facts.os) || !listMatches(rule.platformFamily, facts.platformFamily, family) || !listMatches(rule.platform, facts.platform)) return;
    if (rule.platformVersion && !platformVersionMatches(rule.platformVersion, facts.platformVersion)) return;
    const decided = rule.block ? rule.block(facts) : true;
    if (decided === false) return;
    if (decided === undefined) { undecided = true; return; }
    const negated = (v?: string[]) => (v ? (v.some((x) => x.startsWith('!')) ? 1 : 2) : 0);
    matching.push({ rule, seq, score: [rule.block ? 1 : 0, rule.platformVersion ? 1 : 0, negated(rule.platform), negated(rule.platformFamily), negated(rule.os)] });
  });
  if (resourceName === 'service') {
    const order = SERVICE_PRIORITY.find((p) => p.family === facts.platformFamily || family(p.family))?.order;
    const first = order?.map((name) => matching.find((m) => m.rule.provider === `${P}Service::${name}`)).find(Boolean);
    if (first) return { provider: first.rule.provider, note: 'when the service has a unit file; Chef falls back to the init scripts the machine has' };
  }
  if (!matching.length) return undecided ? undefined : { provider: undefined };
  matching.sort((a, b) => compare(b.score, a.score) || b.seq - a.seq);
  const best = matching[0].rule.provider;
  return undecided ? { provider: best, note: 'unless an init system the machine has (Chef checks its scripts) takes it' } : { provider: best };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
