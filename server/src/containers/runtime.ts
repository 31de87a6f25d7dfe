/**
 * Which container CLI Cloche drives, and the flags each one needs on these machines.
 *
 * Cloche calls the real `docker` / `podman` binaries unchanged, so DOCKER_HOST, docker contexts
 * and remote daemons work exactly as they do for the user's own shell.
 */
import { run } from './process';

/** The container CLIs Cloche knows how to drive. */
export type RuntimeName = 'docker' | 'podman';

/** A chosen, answering runtime. */
export interface Runtime {
  name: RuntimeName;
  /** The executable (a name on PATH or an absolute path). */
  command: string;
  /** Flags for every `create`/`run`, e.g. podman's `--runtime runc` (see {@link runtimeCreateFlags}). */
  createFlags: readonly string[];
  /** Go-template field for a container's id in `inspect` (docker: `.Id`, podman: `.ID`). */
  idField: '.Id' | '.ID';
  /** Server version as reported by the CLI, for reports. */
  version: string;
  /** Why this runtime was chosen over the preferred one (docker unreachable, podman used): say it on stderr. */
  fallback?: string;
  /**
   * Environment of every call, over this process's: the daemon to reach (`DOCKER_HOST` or
   * `DOCKER_CONTEXT`, podman's `CONTAINER_HOST` or `CONTAINER_CONNECTION`) for a matrix `--host`;
   * absent: the environment's own daemon.
   */
  env?: Record<string, string | undefined>;
}

/** Raised when no usable runtime answers; the message says what to do. */
export class RuntimeUnavailableError extends Error {
  override name = 'RuntimeUnavailableError';
}

/** How long a `docker version` / `podman version` probe may take before we call it dead. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Per-runtime flags for container creation, kept in one place.
 * Podman on these hosts: crun refuses the hybrid cgroup layout, so use runc; and the default
 * rlimits cannot be raised in this sandbox, so pin them to values that fit.
 */
export function runtimeCreateFlags(name: RuntimeName): string[] {
  return name === 'podman'
    ? ['--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024']
    : [];
}

/** What the user should do when a runtime does not answer. */
function advice(name: RuntimeName): string {
  if (name === 'podman') return 'install podman and runc (apt-get install -y podman runc)';
  return process.env.DOCKER_HOST
    ? 'start the daemon there, point DOCKER_HOST at one that runs, or unset DOCKER_HOST to use the local one'
    : 'install docker.io and start dockerd (or set DOCKER_HOST / a docker context to a daemon that runs)';
}

/** Where the docker CLI looks for its daemon, when the environment says (DOCKER_HOST, DOCKER_CONTEXT; `env` over this process's). */
function dockerTarget(env?: Record<string, string | undefined>): string {
  const get = (k: string) => (env && k in env ? env[k] : process.env[k]);
  const host = get('DOCKER_HOST');
  const context = get('DOCKER_CONTEXT');
  return host ? ` at DOCKER_HOST=${host}` : context ? ` of DOCKER_CONTEXT=${context}` : '';
}

/**
 * Asks one runtime whether it works: `<cli> version` must reach the daemon/engine.
 * Returns the runtime, or a one-line reason why it does not answer (for docker with its CLI
 * installed: that the daemon is unreachable, and where it was looked for).
 */
export async function probeRuntime(name: RuntimeName, command: string = name, env?: Record<string, string | undefined>): Promise<Runtime | string> {
  const r = await run(command, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: PROBE_TIMEOUT_MS, ...(env ? { env } : {}) });
  if (r.spawnError) return `${name}: not installed (${command} could not be started)`;
  const daemon = name === 'docker' ? `docker is unreachable: the daemon${dockerTarget(env)} ` : `${name}: `;
  if (r.timedOut) return `${daemon}did not answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  const version = r.stdout.trim();
  if (r.code !== 0 || !version) {
    const why = r.stderr.trim().split('\n').pop() || `exit ${r.code}`;
    return name === 'docker' ? `${daemon}did not answer (${why})` : `${name}: ${why}`;
  }
  return { name, command, createFlags: runtimeCreateFlags(name), idField: name === 'podman' ? '.ID' : '.Id', version, ...(env ? { env } : {}) };
}

/**
 * Chooses the runtime: the explicit one if given (and it must answer), else docker when its
 * daemon answers, else podman. Throws {@link RuntimeUnavailableError} with advice otherwise.
 */
export async function detectRuntime(preferred?: RuntimeName | 'auto'): Promise<Runtime> {
  if (preferred && preferred !== 'auto') {
    const r = await probeRuntime(preferred);
    if (typeof r !== 'string') return r;
    const why = r.startsWith('docker is unreachable') ? r : `Container runtime ${preferred} did not answer (${r})`;
    throw new RuntimeUnavailableError(`${why}: ${advice(preferred)}.`);
  }
  const reasons: string[] = [];
  for (const name of ['docker', 'podman'] as const) {
    const r = await probeRuntime(name);
    if (typeof r !== 'string') {
      // docker installed but its daemon unreachable: podman runs instead, and the user is told why.
      const dockerDown = reasons.find((x) => x.startsWith('docker is unreachable'));
      return dockerDown ? { ...r, fallback: `${dockerDown}; using ${name} instead` } : r;
    }
    reasons.push(r);
  }
  throw new RuntimeUnavailableError(`No container runtime answered (${reasons.join('; ')}): ${advice('docker')}, or ${advice('podman')}.`);
}

/**
 * The cgroup version of the daemon's host (`1` or `2`), which decides how systemd containers mount
 * the cgroup filesystem: docker's `info` says `CgroupVersion`, podman's `Host.CgroupsVersion` (`v1`/`v2`).
 * When the runtime does not say, this machine's /sys/fs/cgroup decides (cgroup2fs is v2).
 */
export async function cgroupVersion(runtime: Runtime): Promise<'1' | '2'> {
  const format = runtime.name === 'podman' ? '{{.Host.CgroupsVersion}}' : '{{.CgroupVersion}}';
  const r = await run(runtime.command, ['info', '--format', format], { timeoutMs: PROBE_TIMEOUT_MS, ...(runtime.env ? { env: runtime.env } : {}) });
  const v = r.code === 0 ? r.stdout.trim().replace(/^v/, '') : '';
  if (v === '1' || v === '2') return v;
  const local = await run('stat', ['-fc', '%T', '/sys/fs/cgroup'], { timeoutMs: PROBE_TIMEOUT_MS });
  return local.stdout.trim() === 'cgroup2fs' ? '2' : '1';
}

/** What a daemon's machine has, from its `info`: CPUs, memory, and the containers running there now. */
export interface DaemonCapacity { cpus: number; memoryBytes: number; runningContainers: number }

/**
 * Asks the runtime's daemon for its machine's capacity (docker: `NCPU`, `MemTotal`,
 * `ContainersRunning`; podman: `Host.CPUs`, `Host.MemTotal`, `Store.ContainerStore.Running`).
 * Returns a one-line reason when it does not answer, or answers something else.
 */
export async function daemonCapacity(runtime: Runtime): Promise<DaemonCapacity | string> {
  const format = runtime.name === 'podman' ? '{{.Host.CPUs}} {{.Host.MemTotal}} {{.Store.ContainerStore.Running}}' : '{{.NCPU}} {{.MemTotal}} {{.ContainersRunning}}';
  const r = await run(runtime.command, ['info', '--format', format], { timeoutMs: PROBE_TIMEOUT_MS, ...(runtime.env ? { env: runtime.env } : {}) });
  if (r.timedOut) return `${runtime.name} info did not answer within ${PROBE_TIMEOUT_MS / 1000} s`;
  const [cpus, memoryBytes, runningContainers] = r.stdout.trim().split(/\s+/).map(Number);
  if (r.code !== 0 || ![cpus, memoryBytes, runningContainers].every((n) => Number.isFinite(n) && n >= 0)) {
    return `${runtime.name} info did not say its CPUs and memory (${(r.stderr.trim() || r.stdout.trim()).split('\n').pop() || `exit ${r.code}`})`;
  }
  return { cpus, memoryBytes, runningContainers };
}
