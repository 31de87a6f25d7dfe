/**
 * Whether a kitchen platform can run here, for `cloche kitchen --format json` (the Test Explorer
 * marks what cannot, instead of letting it run and fail): its image is present in the container
 * runtime (`image inspect`), or Cloche can build it (`cloche image build`, Debian's mirror, no
 * registry), or it cannot be had here, with the reason. A platform runs on the image it names (the
 * systemd variant when `pid_one_command` boots systemd, as the run does); a platform that names no
 * image runs on Cloche's base image, which is only right when the platform is that base image's
 * system: `almalinux-9` with no image (a Vagrant kitchen file) is not available, not run on Debian.
 * A registry image of a Debian release Cloche builds (`dokken/debian-12`, `debian:bookworm`) that
 * is not here runs on Cloche's image of that release instead ({@link standInImage}), said in
 * `standsInFor`, as `cloche test` does (engine/session.ts `openTarget`).
 */
import { BASE_IMAGES, basePlatformOfName, clocheImageOfRelease } from '../containers/baseImage';
import { buildCommandFor, systemdVariantOf } from '../containers/systemdImage';
import { pidOneIsSystemd } from '../containers/systemdInit';
import type { KitchenPlatform } from './kitchen';

/** `present`: in the runtime now; `buildable`: `cloche image build` makes it; `unavailable`: not here; `unknown`: the runtime did not answer. */
export type AvailabilityStatus = 'present' | 'buildable' | 'unavailable' | 'unknown';

/** Whether one platform's image can run here (`KitchenPlatform.availability`). */
export interface PlatformAvailability {
  status: AvailabilityStatus;
  /** The image a test of this platform runs on (the systemd variant when the platform boots systemd). */
  image: string;
  /** Why it is not present, in a sentence (absent when present). */
  reason?: string;
  /** For `buildable`: the command that builds it, and its arguments after `cloche`. */
  build?: { command: string; args: string[] };
  /** The image the kitchen file names, when it is not here and {@link image}, Cloche's image of the same release, stands in for it. */
  standsInFor?: string;
}

/** Operating systems kitchen platforms are named after (`ubuntu-22.04`, `centos-stream-9`, `windows-2019`). */
const LINUX_SYSTEMS = ['debian', 'ubuntu', 'centos', 'almalinux', 'rockylinux', 'oraclelinux', 'oracle', 'amazonlinux', 'amazon', 'fedora',
  'redhat', 'rhel', 'opensuse', 'sles', 'suse', 'arch', 'alpine', 'gentoo', 'linuxmint', 'scientific', 'photon', 'clearlinux'];
const OTHER_SYSTEMS: Record<string, string> = {
  freebsd: 'FreeBSD', openbsd: 'OpenBSD', netbsd: 'NetBSD', windows: 'Windows', macos: 'macOS', macosx: 'macOS', mac_os_x: 'macOS', osx: 'macOS',
  solaris: 'Solaris', omnios: 'OmniOS', smartos: 'SmartOS', aix: 'AIX',
};

/** The system a platform name names (`ubuntu` for `ubuntu-22.04`), or undefined for other names (`default`, `local`). */
export function systemOfPlatformName(name: string): string | undefined {
  const first = name.toLowerCase().split(/[-_ ]/)[0];
  if (name.toLowerCase().startsWith('mac_os_x')) return 'mac_os_x';
  return LINUX_SYSTEMS.includes(first) || first in OTHER_SYSTEMS ? first : undefined;
}

/** The image a platform that names none runs on: Cloche's base image of that release when it builds one (`debian-11`, `debian-12.5`), else `fallback`. */
export function defaultImageOfPlatform(name: string, fallback: string): string {
  const base = basePlatformOfName(name);
  return base ? BASE_IMAGES[base].image : fallback;
}

/** The image a run of `image` starts: the systemd variant of Cloche's own images when systemd is PID 1. */
export function runImageOf(image: string, systemd: boolean): string {
  return (systemd ? systemdVariantOf(image) : undefined) ?? image;
}

/**
 * The image that runs when `image`, a registry image of a Debian release Cloche builds, is not
 * here: Cloche's image of that release (its systemd variant under systemd); undefined otherwise.
 */
export function standInImage(image: string, systemd: boolean): string | undefined {
  const own = clocheImageOfRelease(image);
  return own ? runImageOf(own, systemd) : undefined;
}

const buildOf = (image: string): PlatformAvailability['build'] => {
  const command = buildCommandFor(image);
  return command ? { command, args: command.split(' ').slice(1) } : undefined;
};

/**
 * The availability of a platform, asking `exists` (the runtime's `image inspect`) only when the
 * name and image leave the question open. `exists` throwing means the runtime did not answer.
 */
export async function platformAvailability(p: KitchenPlatform, exists: (image: string) => Promise<boolean>): Promise<PlatformAvailability> {
  const systemd = !!p.pidOneCommand && pidOneIsSystemd(p.pidOneCommand);
  const image = runImageOf(p.image, systemd);
  const system = systemOfPlatformName(p.name);
  if (system && system in OTHER_SYSTEMS) {
    return { status: 'unavailable', image, reason: `${p.name} is ${OTHER_SYSTEMS[system]}, and Cloche runs tests in Linux containers only` };
  }
  if (p.imageFrom === 'default' && system && !basePlatformOfName(p.name)) {
    return { status: 'unavailable', image, reason: `the kitchen file names no container image for ${p.name} (driver.image), and Cloche builds images only for ${Object.keys(BASE_IMAGES).join(', ')}` };
  }
  const unanswered = (e: unknown): PlatformAvailability => ({ status: 'unknown', image, reason: `the container runtime did not answer (${(e as Error).message.split('\n')[0]})` });
  let present: boolean;
  try { present = await exists(image); } catch (e) { return unanswered(e); }
  if (present) return { status: 'present', image };
  const standIn = standInImage(p.image, systemd);
  if (standIn && standIn !== image) {
    let here: boolean;
    try { here = await exists(standIn); } catch (e) { return unanswered(e); }
    if (here) return { status: 'present', image: standIn, standsInFor: image };
    const build = buildOf(standIn)!;
    return { status: 'buildable', image: standIn, standsInFor: image, build,
      reason: `${image} is not here, and ${standIn}, Cloche's image of the same release that stands in for it, is not built yet` };
  }
  const build = buildOf(image);
  if (build) return { status: 'buildable', image, reason: `${image} is not built yet`, build };
  const base = basePlatformOfName(p.name);
  const instead = system === 'debian' && base ? `, or use Cloche's ${BASE_IMAGES[base].image} (driver: image: ${BASE_IMAGES[base].image})` : '';
  return { status: 'unavailable', image, reason: `${image} is not present, and Cloche cannot build it: pull it where a registry is reachable (docker pull ${image})${instead}` };
}

/** The availability of every platform, one `image inspect` per distinct image. */
export async function platformsAvailability(platforms: readonly KitchenPlatform[], exists: (image: string) => Promise<boolean>): Promise<PlatformAvailability[]> {
  const asked = new Map<string, Promise<boolean>>();
  const once = (image: string) => {
    let p = asked.get(image);
    if (!p) { p = exists(image); asked.set(image, p); p.catch(() => undefined); }
    return p;
  };
  return Promise.all(platforms.map((p) => platformAvailability(p, once)));
}
