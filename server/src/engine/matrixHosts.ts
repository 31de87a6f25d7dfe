/**
 * The machines of `cloche test --matrix --host H…`, the pure part: what a `--host` names (a docker
 * context, or a daemon URL `unix://`, `tcp://`, `ssh://`; podman's connections and URLs with
 * `--runtime podman`) and the environment that points the runtime CLI at it, how many cells each
 * host takes at once from what its daemon says it has, and how a `--concurrency N` is shared
 * between the hosts. The cells themselves always run here (a `cloche test` process each); only
 * their containers run on the hosts.
 */
import { CELL_MEMORY_BYTES } from './matrix';

/** One `--host`: its name as given, and the environment its runtime CLI calls run with. */
export interface MatrixHost {
  /** As the user wrote it (`unix:///run/other.sock`, `ssh://ci@build2`, `build2`): how results name it. */
  name: string;
  /** A daemon URL, or a docker context / podman connection name. */
  kind: 'url' | 'context';
  /** Over this process's environment for the host's CLI calls and its cells' tests; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
}

/** Daemon URL schemes each runtime's CLI takes. */
const SCHEMES: Record<'docker' | 'podman', string[]> = { docker: ['unix', 'tcp', 'ssh'], podman: ['unix', 'tcp', 'ssh'] };
/** A docker context's / podman connection's name (docker's own rule). */
const CONTEXT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/;

/** Raised for a `--host` that names nothing a runtime can reach; the message says what is taken. */
export class HostSpecError extends Error {
  override name = 'HostSpecError';
}

/**
 * What `--host spec` names for `runtime`. docker: a URL becomes `DOCKER_HOST` (TLS for `tcp://`
 * from the environment's `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`, as the docker CLI reads them;
 * a context holds its own certificates), a name `DOCKER_CONTEXT`, the other one removed so it
 * cannot win. podman: `CONTAINER_HOST` or `CONTAINER_CONNECTION`, which put podman in remote mode.
 */
export function parseHost(spec: string, runtime: 'docker' | 'podman'): MatrixHost {
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(spec);
  if (url) {
    const scheme = url[1].toLowerCase();
    if (!SCHEMES[runtime].includes(scheme)) {
      throw new HostSpecError(`--host ${spec}: ${runtime} takes ${SCHEMES[runtime].map((s) => `${s}://`).join(', ')} URLs, or a ${runtime === 'docker' ? 'docker context' : 'podman connection'} name`);
    }
    if (!url[2]) throw new HostSpecError(`--host ${spec}: the URL names no ${scheme === 'unix' ? 'socket' : 'machine'}`);
    return { name: spec, kind: 'url', env: runtime === 'docker' ? { DOCKER_HOST: spec, DOCKER_CONTEXT: undefined } : { CONTAINER_HOST: spec, CONTAINER_CONNECTION: undefined } };
  }
  if (!CONTEXT_NAME.test(spec)) {
    throw new HostSpecError(`--host '${spec}' is neither a ${runtime === 'docker' ? 'docker context' : 'podman connection'} name nor a ${SCHEMES[runtime].map((s) => `${s}://`).join(', ')} URL`);
  }
  return { name: spec, kind: 'context', env: runtime === 'docker' ? { DOCKER_CONTEXT: spec, DOCKER_HOST: undefined } : { CONTAINER_CONNECTION: spec, CONTAINER_HOST: undefined } };
}

/** The `--host` values, each parsed; the same host twice is an error (it would be counted twice). */
export function parseHosts(specs: readonly string[], runtime: 'docker' | 'podman'): MatrixHost[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    if (seen.has(spec)) throw new HostSpecError(`--host ${spec} is given twice`);
    seen.add(spec);
    return parseHost(spec, runtime);
  });
}

/** What a host's daemon said it has (`info`). */
export interface HostCapacityReport { cpus: number; memoryBytes: number; runningContainers: number }

/**
 * The cells a host takes at once, its free capacity: its CPUs, no more than its memory holds at
 * {@link CELL_MEMORY_BYTES} a cell, less the containers running there already (another user's
 * work, or another matrix's), and at least 1 (a host that was asked for runs cells, one at a time
 * when it is busy). A daemon says no load average, so a running container stands for a busy CPU.
 */
export function hostSlots(c: HostCapacityReport): number {
  const room = Math.min(Math.floor(c.cpus), Math.floor(c.memoryBytes / CELL_MEMORY_BYTES));
  return Math.max(1, room - c.runningContainers);
}

/**
 * Shares `total` cells at once between hosts of these slot counts: one each first (every host
 * asked for is used, the first ones when `total` is smaller than the hosts), then the rest one by
 * one to the host with the most slots per cell it has been given (ties to the one given first).
 */
export function shareSlots(total: number, slots: readonly number[]): number[] {
  const given = slots.map(() => 0);
  const n = Math.max(0, Math.floor(total));
  for (let i = 0; i < Math.min(n, slots.length); i++) given[i] = 1;
  for (let seat = slots.length; seat < n; seat++) {
    let best = 0;
    for (let h = 1; h < slots.length; h++) if (slots[h] / (given[h] + 1) > slots[best] / (given[best] + 1)) best = h;
    given[best]++;
  }
  return given;
}

/**
 * The cells at once over all hosts, and each host's share: `asked` (`--concurrency`) or the sum
 * of the hosts' free slots, no more than there are cells to run, at least 1.
 */
export function hostConcurrency(slots: readonly number[], runnableCells: number, asked?: number): { total: number; perHost: number[] } {
  const total = Math.max(1, asked ?? Math.min(slots.reduce((a, b) => a + b, 0), runnableCells));
  return { total, perHost: shareSlots(total, slots) };
}
