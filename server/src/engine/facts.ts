/**
 * Container facts (containers/facts.ts) in the shape the model and the catalog use.
 */
import type { Facts } from '../containers/facts';
import type { PlatformFacts } from '../chef/platforms';

/** Debian codenames by major version, for `node['lsb']['codename']`. */
const DEBIAN_CODENAMES: Record<string, string> = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };

/** Maps facts read from a container to PlatformFacts (profile `container`). */
export function factsToPlatform(f: Facts): PlatformFacts {
  const major = f.platformVersion.split('.')[0];
  return {
    profile: 'container', platform: f.platform, platformFamily: f.platformFamily, platformVersion: f.platformVersion, os: f.os,
    hostname: f.hostname, fqdn: f.fqdn, kernel: { name: 'Linux', release: f.kernel.release, machine: f.kernel.machine },
    initSystem: f.initSystem, packageManager: f.packageManager,
    codename: f.platform === 'debian' ? DEBIAN_CODENAMES[major] : undefined,
  };
}
