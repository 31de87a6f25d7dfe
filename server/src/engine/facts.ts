/**
 * Container facts (containers/facts.ts) in the shape the model and the catalog use.
 */
import type { Facts, MachineFacts } from '../containers/facts';
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
    extra: machineAttributes(f.machine ?? {}),
  };
}

/** An attribute Ohai would report that the container's facts did not read. */
const notRead = (what: string): { $unknown: string } => ({ $unknown: `node['${what}'] is Ohai's reading of the machine, which Cloche's facts of this container do not include` });

/**
 * The automatic attributes a container answers (cpu, memory, network, uptime), as Ohai reports
 * them; what it did not answer is unknown, never a plausible stand-in, so nothing is applied from a guess.
 */
function machineAttributes(m: MachineFacts): Record<string, unknown> {
  const cpu = m.cpuTotal ?? notRead('cpu');
  return {
    cpu: { total: cpu, real: m.cpuSockets ?? notRead('cpu.real'), cores: notRead('cpu.cores') },
    memory: m.memory ? { total: m.memory.total, free: m.memory.free, available: m.memory.available, swap: { total: m.memory.swapTotal, free: m.memory.swapFree } } : notRead('memory'),
    ipaddress: m.ipaddress ?? null,
    macaddress: m.macaddress ?? null,
    network: { default_interface: m.defaultInterface ?? null, default_gateway: m.defaultGateway ?? null, interfaces: notRead('network.interfaces') },
    uptime_seconds: m.uptimeSeconds ?? notRead('uptime_seconds'),
    time: { timezone: m.timezone ?? notRead('time.timezone') },
    filesystem: notRead('filesystem'),
  };
}
