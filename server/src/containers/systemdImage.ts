/**
 * The systemd variant of a base image (`cloche/debian:12` → `cloche/debian:12-systemd`), built
 * without any image registry: a bridge-network container of the base image installs systemd,
 * systemd-sysv and procps from Debian's mirror with apt, and its filesystem is exported and
 * imported as the new image with the label `cloche.init=systemd` (so containers of it boot systemd,
 * see systemdInit.ts). Export + import rather than commit: the image carries none of the build
 * container's labels or keep-alive entrypoint. Already present: nothing to do.
 */
import { BASE_IMAGES, baseImageSpec, ensureBaseImage, type EnsureOptions } from './baseImage';
import { ContainerDriver, ContainerError } from './driver';
import type { RuntimeName } from './runtime';
import { INIT_LABEL } from './systemdInit';

/** What the variant adds to the base image. */
export const SYSTEMD_PACKAGES = ['systemd', 'systemd-sysv', 'procps'] as const;

/** apt over Debian's mirror: a minute at most here, but a slow mirror may take longer (bounded). */
const INSTALL_TIMEOUT_MS = 20 * 60_000;

/** The systemd variant's name for a base image. */
export function systemdImageName(baseImage: string): string {
  return `${baseImage}-systemd`;
}

/** The systemd image of a buildable platform (`debian-12` → `cloche/debian:12-systemd`). */
export function systemdImageFor(platform: string): string {
  return systemdImageName(baseImageSpec(platform).image);
}

/** The install, in the build container (stdin closed; apt's lists refreshed from the mirror). */
const INSTALL_SCRIPT = `set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends ${SYSTEMD_PACKAGES.join(' ')}
apt-get clean
echo "cloche: installed $(dpkg-query -W -f='\${Package}=\${Version} ' ${SYSTEMD_PACKAGES.join(' ')})"`;

/** Returns the systemd image for the platform, building it (and its base image) first if missing. */
export async function ensureSystemdImage(driver: ContainerDriver, opts: EnsureOptions = {}): Promise<{ image: string; built: boolean; durationMs: number }> {
  const started = Date.now();
  const platform = opts.platform ?? 'debian-12';
  const image = systemdImageFor(platform);
  const progress = opts.onProgress ?? (() => undefined);
  if (await driver.imageExists(image)) return { image, built: false, durationMs: Date.now() - started };
  const base = await ensureBaseImage(driver, opts);
  progress(`Building ${image}: apt-get install ${SYSTEMD_PACKAGES.join(' ')} in a container of ${base.image} (bridge network, Debian's mirror)`);
  const id = await driver.create({ image: base.image, network: 'bridge', init: 'none', labels: { 'cloche.build': image } });
  try {
    const r = await driver.exec(id, INSTALL_SCRIPT, {
      timeoutMs: INSTALL_TIMEOUT_MS, signal: opts.signal,
      onOutput: (chunk) => chunk.split('\n').filter((l) => /^(E:|W:|cloche:)/.test(l)).forEach(progress),
    });
    if (r.code !== 0) {
      const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-6).join('\n');
      throw new ContainerError('runtime', `Installing ${SYSTEMD_PACKAGES.join(' ')} for ${image} failed (${r.timedOut ? 'timed out' : `exit ${r.code}`}); ` +
        `is Debian's mirror reachable on the bridge network?\n${tail}`);
    }
    progress(`Exporting the container's filesystem into ${driver.runtime.name} as ${image}`);
    await driver.exportAsImage(id, image, [`LABEL ${INIT_LABEL}=systemd`, 'CMD ["/sbin/init"]']);
  } finally {
    await driver.destroy(id).catch(() => undefined);
  }
  progress(`Built ${image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { image, built: true, durationMs: Date.now() - started };
}

/** The `cloche image build …` command that makes an image Cloche can build itself, or undefined. */
export function buildCommandFor(image: string): string | undefined {
  for (const spec of Object.values(BASE_IMAGES)) {
    const platform = spec.platform === 'debian-12' ? '' : ` --platform ${spec.platform}`;
    if (image === spec.image) return `cloche image build${platform}`;
    if (image === systemdImageName(spec.image)) return `cloche image build${platform} --init systemd`;
  }
  return undefined;
}

/** The systemd variant of an image Cloche builds (`cloche/debian:12` → `cloche/debian:12-systemd`), or undefined. */
export function systemdVariantOf(image: string): string | undefined {
  return Object.values(BASE_IMAGES).some((spec) => spec.image === image) ? systemdImageName(image) : undefined;
}

/** Entry for scripts (.ci/provision.sh): ensure the systemd image, print progress, return an exit code. */
export async function buildSystemdImageCli(runtime: RuntimeName | 'auto' = 'auto', platform = 'debian-12'): Promise<number> {
  try {
    const driver = await ContainerDriver.detect(runtime);
    const r = await ensureSystemdImage(driver, { platform, onProgress: (m) => process.stdout.write(`${m}\n`) });
    process.stdout.write(`${r.image}: ${r.built ? `built in ${r.durationMs} ms` : 'already present'}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}
