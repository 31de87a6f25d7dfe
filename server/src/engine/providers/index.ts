/**
 * The provider registry: resource type (as written, or as resolved for the platform) → provider.
 * To add a resource family: write providers/<family>.ts exporting a {@link Provider} and list it here.
 */

import type { EngineResource, Provider } from '../types';
import { aptRepositoryProvider, aptUpdateProvider } from './apt';
import { aptPreferenceProvider } from './aptPreference';
import { archiveFileProvider } from './archiveFile';
import { buildEssentialProvider } from './buildEssential';
import { cronDProvider, cronProvider } from './cron';
import { directoryProvider } from './directory';
import { dpkgPackageProvider } from './dpkg';
import { executeProvider } from './execute';
import { fileProvider } from './file';
import { chefGemProvider, gemPackageProvider } from './gems';
import { gitProvider } from './git';
import { groupProvider } from './group';
import { hostnameProvider } from './hostname';
import { linkProvider } from './link';
import { localeProvider } from './locale';
import { ohaiProvider } from './ohai';
import { logProvider, notifyGroupProvider, rubyBlockProvider } from './misc';
import { packageProvider } from './package';
import { remoteDirectoryProvider } from './remoteDirectory';
import { remoteFileProvider } from './remoteFile';
import { serviceProvider, systemdUnitProvider } from './service';
import { sysctlProvider } from './sysctl';
import { timezoneProvider } from './timezone';
import { userProvider } from './user';

const ALL: Provider[] = [
  packageProvider, dpkgPackageProvider, aptUpdateProvider, aptRepositoryProvider, aptPreferenceProvider, fileProvider, remoteFileProvider, directoryProvider, linkProvider,
  userProvider, groupProvider, executeProvider, serviceProvider, systemdUnitProvider, cronProvider, cronDProvider, logProvider, notifyGroupProvider, rubyBlockProvider,
  archiveFileProvider, remoteDirectoryProvider, gitProvider, ohaiProvider, gemPackageProvider, chefGemProvider, sysctlProvider, hostnameProvider, localeProvider, timezoneProvider, buildEssentialProvider,
];

const BY_TYPE = new Map<string, Provider>(ALL.flatMap((p) => p.types.map((t) => [t, p] as const)));

/** Chef's default action per type, for resources whose action list is empty. */
const DEFAULT_ACTIONS: Record<string, string> = {
  package: 'install', apt_package: 'install', dpkg_package: 'install', dnf_package: 'install', yum_package: 'install',
  apt_update: 'periodic', apt_repository: 'add', apt_preference: 'add', file: 'create', template: 'create', cookbook_file: 'create', remote_file: 'create',
  directory: 'create', link: 'create', user: 'create', linux_user: 'create', group: 'create', linux_group: 'create',
  execute: 'run', bash: 'run', script: 'run', sh: 'run', csh: 'run', ksh: 'run', perl: 'run', python: 'run', ruby: 'run',
  service: 'nothing', systemd_unit: 'nothing', cron: 'create', cron_d: 'create', log: 'write', notify_group: 'run', ruby_block: 'run', whyrun_safe_ruby_block: 'run',
  archive_file: 'extract', libarchive_file: 'extract', remote_directory: 'create', git: 'sync', ohai: 'reload', gem_package: 'install', chef_gem: 'install',
  sysctl: 'apply', sysctl_param: 'apply', hostname: 'set', locale: 'update', timezone: 'set', build_essential: 'install',
};

/** The provider for a resource: by its resolved class first, then by the DSL name. */
export function providerFor(r: EngineResource): Provider | undefined {
  return BY_TYPE.get(r.resolvedType) ?? BY_TYPE.get(r.type);
}

/** The actions a resource runs, without ':' (Chef's default action when none is given). */
export function actionsFor(r: EngineResource): string[] {
  const acts = r.actions.map((a) => (a.startsWith(':') ? a.slice(1) : a));
  if (acts.length) return acts;
  return [DEFAULT_ACTIONS[r.resolvedType] ?? DEFAULT_ACTIONS[r.type] ?? 'nothing'];
}

/** Every resource type Cloche can plan (for docs and `cloche doctor`). */
export function supportedTypes(): string[] {
  return [...BY_TYPE.keys()].sort();
}
