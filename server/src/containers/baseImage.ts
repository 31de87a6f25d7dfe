/**
 * Base images built without any image registry: `debootstrap --variant=minbase` from Debian's
 * own mirror, then `tar | <cli> import`. Only Debian suites can be built on these machines:
 * the Debian mirror is reachable, Ubuntu's archive is not (and Docker Hub is not reachable at all).
 * Kitchen platforms and registry images of the same Debian release map to these images
 * ({@link basePlatformOfName}, {@link clocheImageOfRelease}), so a kitchen.yml written for
 * kitchen-dokken runs with no registry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerDriver } from './driver';
import { describeFailure, run } from './process';
import type { RuntimeName } from './runtime';

/** A base image Cloche can build itself. */
export interface BaseImageSpec {
  platform: string;
  image: string;
  /** debootstrap suite (Debian codename). */
  suite: string;
}

/**
 * Platforms with a buildable base image (the default first). Ubuntu is absent on purpose: its
 * mirror is unreachable here. Debian 12's debootstrap (1.0.128) knows trixie (its scripts/trixie).
 */
export const BASE_IMAGES: Readonly<Record<string, BaseImageSpec>> = {
  'debian-12': { platform: 'debian-12', image: 'cloche/debian:12', suite: 'bookworm' },
  'debian-11': { platform: 'debian-11', image: 'cloche/debian:11', suite: 'bullseye' },
  'debian-13': { platform: 'debian-13', image: 'cloche/debian:13', suite: 'trixie' },
};

/** The release number of a buildable platform (`debian-12` → `12`). */
const releaseOf = (spec: BaseImageSpec): string => spec.platform.slice('debian-'.length);

/**
 * The buildable platform a kitchen platform's name stands for: `debian-12`, a point release
 * (`debian-12.5`), `debian12` or the codename (`debian-bookworm`) → `debian-12`; undefined for
 * any other system or a release Cloche does not build (`debian-10`, `debian-sid`).
 */
export function basePlatformOfName(name: string): string | undefined {
  const m = /^debian[-_]?(\d+|[a-z]+)(?:\.\d+)*$/.exec(name.trim().toLowerCase());
  if (!m) return undefined;
  return Object.values(BASE_IMAGES).find((spec) => releaseOf(spec) === m[1] || spec.suite === m[1])?.platform;
}

/**
 * Cloche's base image of the same Debian release as a registry image, when the image names one
 * for good: kitchen-dokken's `dokken/debian-12`, Docker's `debian:12`, `debian:12.5`,
 * `debian:bookworm`, `debian:bookworm-slim`, `debian:bookworm-20240110` (with or without a
 * registry host or `library/`) → `cloche/debian:12`. Undefined for moving tags (`debian`,
 * `debian:latest`, `debian:stable`), a pinned digest, another system, or Cloche's own images.
 */
export function clocheImageOfRelease(image: string): string | undefined {
  let name = image.trim().toLowerCase();
  if (name.includes('@')) return undefined; // a digest pins exact content: nothing else stands in for it
  const parts = name.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift(); // registry host
  if (parts[0] === 'library') parts.shift();
  name = parts.join('/');
  const dokken = /^dokken\/debian-(\d+)(?::[\w.-]+)?$/.exec(name);
  const docker = /^debian:(\d+|[a-z]+)(?:\.\d+)*(?:-\d{8})?(?:-slim)?$/.exec(name);
  const release = dokken?.[1] ?? docker?.[1];
  if (!release) return undefined;
  return Object.values(BASE_IMAGES).find((spec) => releaseOf(spec) === release || spec.suite === release)?.image;
}

/** Debian's mirror; override with CLOCHE_DEBIAN_MIRROR for a local mirror or proxy. */
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
/** debootstrap downloads ~100 packages: generous, but bounded. */
const DEBOOTSTRAP_TIMEOUT_MS = 15 * 60_000;

/** debootstrap's one-line-per-package chatter (hundreds of lines): not forwarded as progress. */
const PER_PACKAGE = /^I: (Retrieving|Validating) \S+ \S+$|^I: (Extracting|Unpacking|Configuring) \S+\.\.\.$/;

/** Looks up a buildable platform, or throws a message that says what can be built and why. */
export function baseImageSpec(platform: string): BaseImageSpec {
  const spec = BASE_IMAGES[platform];
  if (spec) return spec;
  throw new Error(`Cloche can build base images only for ${Object.keys(BASE_IMAGES).join(', ')} (from Debian's mirror); ` +
    `no image for '${platform}' can be built here${platform.startsWith('ubuntu') ? ' (the Ubuntu archive is not reachable)' : ''}. ` +
    `Use an image you already have (e.g. from kitchen.yml) instead.`);
}

/** Options for {@link ensureBaseImage}. */
export interface EnsureOptions {
  platform?: string;
  /** Human-readable progress lines (debootstrap's own I:/W:/E: lines are forwarded). */
  onProgress?: (message: string) => void;
  mirror?: string;
  signal?: AbortSignal;
}

/** Returns the base image for the platform, building it first if the runtime does not have it. */
export async function ensureBaseImage(driver: ContainerDriver, opts: EnsureOptions = {}): Promise<{ image: string; built: boolean; durationMs: number }> {
  const started = Date.now();
  const spec = baseImageSpec(opts.platform ?? 'debian-12');
  const progress = opts.onProgress ?? (() => undefined);
  if (await driver.imageExists(spec.image)) return { image: spec.image, built: false, durationMs: Date.now() - started };
  await checkDebootstrap();
  const dir = await mkdtemp(join(tmpdir(), 'cloche-rootfs-'));
  try {
    const mirror = opts.mirror ?? process.env.CLOCHE_DEBIAN_MIRROR ?? DEFAULT_MIRROR;
    progress(`Building ${spec.image}: debootstrap --variant=minbase ${spec.suite} from ${mirror} (about 30 s)`);
    const args = ['--variant=minbase', spec.suite, dir, mirror];
    const r = await run('debootstrap', args, {
      timeoutMs: DEBOOTSTRAP_TIMEOUT_MS, signal: opts.signal,
      onOutput: (chunk) => chunk.split('\n').filter((l) => /^[IWE]: /.test(l) && !PER_PACKAGE.test(l)).forEach(progress),
    });
    if (r.code !== 0) throw new Error(`Building ${spec.image} failed: ${describeFailure('debootstrap', args, r)}`);
    progress(`Importing ${dir} into ${driver.runtime.name} as ${spec.image}`);
    await driver.importRootfs(dir, spec.image);
    progress(`Built ${spec.image} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { image: spec.image, built: true, durationMs: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** debootstrap must be installed and, since it creates device nodes and chroots, run as root. */
async function checkDebootstrap(): Promise<void> {
  const r = await run('debootstrap', ['--version'], { timeoutMs: 10_000 });
  if (r.spawnError) throw new Error('debootstrap is not installed: apt-get install debootstrap (it builds the base image from Debian packages).');
  if (process.getuid && process.getuid() !== 0) throw new Error('Building a base image needs root (debootstrap chroots and creates device nodes): run it as root or build the image once with .ci/provision.sh.');
}

/** Copies an image between runtimes (e.g. docker → podman) with `save | load`, no registry involved. */
export async function transferImage(from: ContainerDriver, to: ContainerDriver, image: string): Promise<void> {
  const args = ['-c', 'set -o pipefail; "$1" save "$3" | "$2" load >/dev/null', 'cloche-transfer', from.runtime.command, to.runtime.command, image];
  const r = await run('bash', args, { timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new Error(`Copying ${image} from ${from.runtime.name} to ${to.runtime.name} failed: ${describeFailure('bash', args, r)}`);
}

/** Entry for scripts (.ci/provision.sh): ensure the image, print progress, return an exit code. */
export async function buildBaseImageCli(runtime: RuntimeName | 'auto' = 'auto', platform = 'debian-12'): Promise<number> {
  try {
    const driver = await ContainerDriver.detect(runtime);
    const r = await ensureBaseImage(driver, { platform, onProgress: (m) => process.stdout.write(`${m}\n`) });
    process.stdout.write(`${r.image}: ${r.built ? `built in ${r.durationMs} ms` : 'already present'}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}
