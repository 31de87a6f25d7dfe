/**
 * `cloche doctor` — what the engine needs, checked one by one with what to do about each:
 * a container runtime that answers, the base image, debootstrap (to build it), and whether a
 * throwaway container starts; the systemd image is reported, not required. Exit 0 when plans can
 * run, 2 otherwise. `--help` prints the usage and checks nothing.
 */
import { DEFAULT_IMAGE } from '../engine/session';
import { supportedTypes } from '../engine/providers';
import { ContainerDriver } from '../containers/driver';
import { run as runProcess } from '../containers/process';
import { probeRuntime } from '../containers/runtime';
import { systemdImageName } from '../containers/systemdImage';
import { parseArgs } from './args';
import type { CliIO } from './io';

export const usage = 'cloche doctor [--runtime docker|podman]';

const HELP = [
  'Checks what the engine needs, one by one, with what to do about each: docker and podman (whichever answers),',
  `the base image ${DEFAULT_IMAGE} (and whether its systemd variant exists), debootstrap, and a throwaway container.`,
  '  --runtime docker|podman  check only this runtime (default: both; the first that answers is used)',
  'Exit codes: 0 plans can run, 2 something is missing (see the FAIL lines).',
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['runtime'], booleans: ['help'] });
  if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${HELP.join('\n')}\n`); return 0; }
  if (args.positional.length) { io.stderr(`cloche doctor: takes no arguments; usage: ${usage}\n`); return 2; }
  const only = args.values.get('runtime') ?? 'auto';
  if (!['docker', 'podman', 'auto'].includes(only)) { io.stderr('cloche doctor: --runtime must be docker or podman\n'); return 2; }
  const ok = (s: string): void => io.stdout(`  ok    ${s}\n`);
  const bad = (s: string, fix: string): void => io.stdout(`  FAIL  ${s}\n        → ${fix}\n`);
  let usable: ContainerDriver | undefined;
  io.stdout('Container runtimes\n');
  for (const name of (only === 'auto' ? ['docker', 'podman'] : [only]) as ('docker' | 'podman')[]) {
    const r = await probeRuntime(name);
    const dockerFix = process.env.DOCKER_HOST ? `start the daemon at DOCKER_HOST=${process.env.DOCKER_HOST}, or unset DOCKER_HOST` : 'apt-get install docker.io and start dockerd (or set DOCKER_HOST)';
    if (typeof r === 'string') bad(r, name === 'docker' ? dockerFix : 'apt-get install podman runc');
    else { ok(`${name} ${r.version}`); usable ??= new ContainerDriver(r); }
  }
  io.stdout('Base image\n');
  let image = false;
  if (usable) {
    image = await usable.imageExists(DEFAULT_IMAGE).catch(() => false);
    if (image) ok(`${DEFAULT_IMAGE} present in ${usable.runtime.name}`);
    else bad(`${DEFAULT_IMAGE} missing`, 'cloche image build');
    const systemd = systemdImageName(DEFAULT_IMAGE);
    if (await usable.imageExists(systemd).catch(() => false)) ok(`${systemd} present (services run under systemd as PID 1)`);
    else io.stdout(`  --    ${systemd} not built (needed only to start real services) → cloche image build --init systemd\n`);
  }
  const deb = await runProcess('debootstrap', ['--version'], { timeoutMs: 10_000 });
  if (deb.spawnError) bad('debootstrap not installed (needed only to build the base image)', 'apt-get install debootstrap');
  else ok('debootstrap installed');
  if (usable && image) {
    io.stdout('Throwaway container\n');
    const started = Date.now();
    try {
      const id = await usable.create({ image: DEFAULT_IMAGE, network: 'none', labels: { 'cloche.doctor': 'true' } });
      const r = await usable.exec(id, 'echo ok', { timeoutMs: 20_000 });
      await usable.destroy(id);
      if (r.stdout.trim() === 'ok') ok(`create + exec + destroy in ${Date.now() - started} ms`);
      else bad(`exec answered ${JSON.stringify(r.stdout + r.stderr)}`, 'check the runtime\'s logs');
    } catch (e) {
      bad(`could not run a container: ${(e as Error).message}`, 'check the runtime (docker info / podman info)');
      usable = undefined;
    }
  }
  io.stdout(`Resource types the engine plans and applies (${supportedTypes().length}): ${supportedTypes().join(', ')}\n`);
  const ready = Boolean(usable && image);
  io.stdout(ready ? 'Ready: cloche plan/converge/test can run.\n' : 'Not ready: fix the FAIL lines above.\n');
  return ready ? 0 : 2;
}
