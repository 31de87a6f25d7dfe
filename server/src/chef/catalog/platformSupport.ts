/**
 * Where a built-in resource can work, beyond what Chef's `provides` lines say. Many of Chef's
 * platform-specific resources are declared for every platform (`provides(:windows_service) { true }`,
 * so that Chef's own class wins over a cookbook's of the same name) and only fail when their action
 * runs: a Win32 API, PowerShell, `defaults`, `installp` is missing. These facts come from reading
 * each resource and its provider in Chef Infra 19's source (lib/chef/resource/*.rb, provider/*.rb):
 * the platform its description names and what its actions call. Resources whose actions return
 * early elsewhere (`apt_update`, `apt_repository`, `apt_preference` and `homebrew_update` do
 * nothing off their platform) are not listed: they are harmless there.
 */
import type { PlatformFacts } from '../platforms';

/** The operating systems (Ohai's `os`) a resource works on, or those it does not. */
type Support = { only: string[]; why: string } | { not: string[]; why: string };

const WINDOWS: Support = { only: ['windows'], why: 'its actions use Windows APIs or PowerShell' };
const MACOS: Support = { only: ['darwin'], why: 'its actions use macOS tools (launchctl, defaults, installer, Homebrew)' };
const LINUX: Support = { only: ['linux'], why: 'its actions use Linux tools' };

const SUPPORT: Record<string, Support> = {
  // Windows: PowerShell, cmd.exe, the registry, DSC, Windows packages and the Win32 service API.
  ...Object.fromEntries(['batch', 'powershell_script', 'powershell_package', 'powershell_package_source', 'registry_key', 'dsc_resource', 'dsc_script',
    'msu_package', 'cab_package', 'chocolatey_config', 'chocolatey_feature', 'chocolatey_installer', 'chocolatey_package', 'chocolatey_source',
    'chef_client_scheduled_task', 'habitat_sup_windows'].map((n) => [n, WINDOWS])),
  // macOS.
  ...Object.fromEntries(['launchd', 'macos_userdefaults', 'macos_pkg', 'dmg_package', 'homebrew_package', 'homebrew_cask', 'homebrew_tap',
    'macports_package', 'macosx_service', 'mac_user', 'plist', 'chef_client_launchd'].map((n) => [n, MACOS])),
  // The other Unix systems' own package managers and user tools.
  bff_package: { only: ['aix'], why: 'it runs installp, which only AIX has' },
  aix_user: { only: ['aix'], why: 'it uses AIX user tools' },
  solaris_package: { only: ['solaris2'], why: 'it runs pkgadd, which only Solaris and illumos have' },
  ips_package: { only: ['solaris2'], why: 'it runs pkg (IPS), which only Solaris and illumos have' },
  smartos_package: { only: ['solaris2'], why: 'it runs pkgin on SmartOS' },
  solaris_user: { only: ['solaris2'], why: 'it uses Solaris user tools' },
  freebsd_package: { only: ['freebsd'], why: 'it runs pkg or the ports tree, which only FreeBSD has' },
  pw_user: { only: ['freebsd'], why: 'it runs pw, which only FreeBSD has' },
  openbsd_package: { only: ['openbsd'], why: 'it runs pkg_add, which only OpenBSD has' },
  // Linux: its package managers, systemd, SELinux, kernel modules, RAID and swap files.
  ...Object.fromEntries(['linux_user', 'apt_package', 'dpkg_package', 'dnf_package', 'yum_package', 'zypper_package', 'rpm_package', 'pacman_package',
    'portage_package', 'paludis_package', 'snap_package', 'systemd_unit', 'chef_client_systemd_timer', 'habitat_sup_systemd', 'kernel_module',
    'swap_file', 'mdadm', 'alternatives', 'selinux_boolean', 'selinux_fcontext', 'selinux_install', 'selinux_login', 'selinux_module',
    'selinux_permissive', 'selinux_port', 'selinux_state', 'selinux_user'].map((n) => [n, LINUX])),
  // Unix-only: crontab and /etc/cron.d (Chef's cron provider is declared for Windows too, where there is no crontab).
  cron: { not: ['windows'], why: 'it edits a crontab' },
  cron_d: { not: ['windows'], why: 'it writes /etc/cron.d' },
  cron_access: { not: ['windows'], why: 'it writes /etc/cron.allow and cron.deny' },
};

const OS_NAMES: Record<string, string> = { windows: 'Windows', darwin: 'macOS', linux: 'Linux', aix: 'AIX', solaris2: 'Solaris and illumos', freebsd: 'FreeBSD', openbsd: 'OpenBSD' };

/** People's name of an Ohai `os`. */
export function osName(os: string): string {
  return OS_NAMES[os] ?? os;
}

/**
 * Why a built-in resource type would fail on this platform although Chef resolves it there, or
 * undefined when it can work (or nothing is known against it). Every `windows_*` resource is
 * Windows-only.
 */
export function unsupportedOn(resourceName: string, facts: PlatformFacts): string | undefined {
  const s = SUPPORT[resourceName] ?? (resourceName.startsWith('windows_') ? WINDOWS : undefined);
  if (!s) return undefined;
  if ('only' in s) return s.only.includes(facts.os) ? undefined : `it works only on ${s.only.map(osName).join(', ')}: ${s.why}`;
  return s.not.includes(facts.os) ? `it does not work on ${osName(facts.os)}: ${s.why}` : undefined;
}

/** The operating systems a resource type is limited to, when it is (for hover). */
export function supportedSystems(resourceName: string): string | undefined {
  const s = SUPPORT[resourceName] ?? (resourceName.startsWith('windows_') ? WINDOWS : undefined);
  if (!s) return undefined;
  return 'only' in s ? s.only.map(osName).join(', ') : `all but ${s.not.map(osName).join(', ')}`;
}
