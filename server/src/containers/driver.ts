/**
 * ContainerDriver: throwaway containers through the real docker/podman CLI.
 *
 * Invariants: every container carries `cloche.managed=true`, a session label and a creation time,
 * so it can be found and swept later; every call has a timeout; container-level failures
 * (missing image, missing or stopped container, unreachable daemon) throw {@link ContainerError}
 * with a message that says what to do, while a script's own exit code is data, never an error.
 */
import { randomBytes } from 'node:crypto';
import { describeFailure, run, runSync, type RunResult } from './process';
import { cgroupVersion, detectRuntime, type Runtime, type RuntimeName } from './runtime';
import { INIT_LABEL, parseSystemdWait, SYSTEMD_BOOT_TIMEOUT_S, SYSTEMD_PID1, systemdRunFlags, systemdWaitScript, type InitSystem } from './systemdInit';

/** Label keys Cloche puts on its containers. */
export const LABELS = {
  managed: 'cloche.managed',
  session: 'cloche.session',
  created: 'cloche.created',
  /** The repository (or folder) of what the container runs, so an editor lists its workspace's first. */
  workspace: 'cloche.workspace',
  /** The node name the container's hostname was set to (kept by a reset). */
  node: 'cloche.node',
} as const;

/** Timeout for control calls (create, inspect, rm, diff …) when the caller gives none. */
const CONTROL_TIMEOUT_MS = 30_000;
/** `create` may have to set up an overlay for a large image: allow more. */
const CREATE_TIMEOUT_MS = 60_000;

/**
 * PID 1 of every Cloche container: waits forever but exits at once on TERM/INT, so a manual
 * `docker stop` does not sit through the 10 s grace (plain `sleep infinity` ignores TERM as PID 1).
 */
const KEEP_ALIVE = 'trap "exit 0" TERM INT; while :; do sleep 86400 & wait $!; done';

/**
 * Limits of every container Cloche creates, unless the caller gives others (`--memory`,
 * `--pids-limit`): enough for a package install or a JVM, not enough to take the host down.
 */
export const DEFAULT_LIMITS = { memory: '2g', pidsLimit: 2048 } as const;

/** docker's `--memory` syntax: a number with an optional b/k/m/g unit. */
export const MEMORY_SYNTAX = /^\d+(\.\d+)?[bkmg]?$/i;

/** What kind of container-level failure happened (so callers can react without parsing text). */
export type ContainerErrorKind = 'no-image' | 'no-container' | 'not-running' | 'runtime' | 'interrupted';

/** A failure of the container or runtime, not of the script that ran inside. */
export class ContainerError extends Error {
  override name = 'ContainerError';
  constructor(readonly kind: ContainerErrorKind, message: string) {
    super(message);
  }
}

/** Options for {@link ContainerDriver.create}. */
export interface CreateOptions {
  image: string;
  name?: string;
  /** `none` for plans (read-only probes); `bridge` for converges that reach a package mirror (`host` only when asked). */
  network: 'none' | 'host' | 'bridge';
  labels?: Record<string, string>;
  /**
   * PID 1: `none` is Cloche's keep-alive shell, `systemd` boots the image's systemd and waits until
   * it runs (see systemdInit.ts). Default: the image's `cloche.init` label, else `none`.
   */
  init?: InitSystem;
  /** `--privileged`: only when the user's kitchen file asks for it. */
  privileged?: boolean;
  /** Memory limit in docker's syntax (`2g`, `512m`); default {@link DEFAULT_LIMITS}. */
  memory?: string;
  /** Most processes the container may have; default {@link DEFAULT_LIMITS}. */
  pidsLimit?: number;
  /** Session label value (default: this driver's session), e.g. to recreate a container of another session. */
  session?: string;
  /**
   * The node name the run is for: the container's hostname (`--hostname`, its first label) and
   * domain (`--domainname`, the rest), so the machine answers to it rather than to its id.
   */
  nodeName?: string;
  timeoutMs?: number;
}

/** Options for {@link ContainerDriver.exec}. */
export interface ExecOptions {
  /** Data for the script's stdin (the script itself travels on stdin too, length-prefixed). */
  stdin?: string | Buffer;
  user?: string;
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

/** The script's result; `code` is null when it timed out or was cancelled. */
export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/** One line of `docker diff`. */
export interface DiffEntry {
  kind: 'added' | 'changed' | 'deleted';
  path: string;
}

/** A Cloche-managed container, as found by {@link ContainerDriver.list}. */
export interface ManagedContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  session: string;
  /** ISO time from the `cloche.created` label ('' if missing). */
  created: string;
  /** The `cloche.workspace` label: the repository or folder of what it ran ('' if missing). */
  workspace: string;
}

/** Quotes a string for POSIX sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const NO_IMAGE = /no such image|image not known|unable to find image|not found in local storage/i;
const NO_CONTAINER = /no such container|no container with name or id/i;
const NOT_RUNNING = /is not running|container state improper|is paused/i;
const DAEMON_ERROR = /error response from daemon|cannot connect to the docker daemon|^error: /im;

/** Drives one runtime; owns a session id and remembers the containers it created. */
export class ContainerDriver {
  /** Session label value shared by every container this driver creates. */
  readonly sessionId: string;
  private readonly created = new Set<string>();
  /** Image labels read by {@link imageExists}, so `create` knows the image's init without asking again. */
  private readonly imageLabels = new Map<string, Record<string, string>>();
  private cgroups?: Promise<'1' | '2'>;
  private exitHooks?: () => void;
  /** The signal that is ending this process (its containers are being swept), once one arrived. */
  interruptedBy?: NodeJS.Signals;

  constructor(readonly runtime: Runtime, opts: { sessionId?: string } = {}) {
    this.sessionId = opts.sessionId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  /** Detects the runtime (explicit or docker-then-podman) and returns a driver for it. */
  static async detect(preferred?: RuntimeName | 'auto', opts: { sessionId?: string } = {}): Promise<ContainerDriver> {
    return new ContainerDriver(await detectRuntime(preferred), opts);
  }

  /** The runtime's environment (the daemon of a matrix `--host`), for every call. */
  private envOption(): { env?: Record<string, string | undefined> } {
    return this.runtime.env ? { env: this.runtime.env } : {};
  }

  /** Runs the runtime CLI with a control timeout. */
  private cli(args: string[], timeoutMs = CONTROL_TIMEOUT_MS, input?: string | Buffer): Promise<RunResult> {
    return run(this.runtime.command, args, { timeoutMs, input, ...this.envOption() });
  }

  /** Turns a failed control call into a ContainerError with advice. */
  private fail(args: string[], r: RunResult, subject: string): ContainerError {
    const rt = this.runtime.name;
    const text = `${r.stderr}\n${r.stdout}`;
    if (r.spawnError) return new ContainerError('runtime', `${rt} could not be started (${r.spawnError}): install it or choose another runtime.`);
    if (r.timedOut) return new ContainerError('runtime', `${rt} did not answer within ${r.durationMs} ms (${args[0]} ${subject}): is the daemon overloaded or stuck?`);
    if (NO_IMAGE.test(text)) {
      return new ContainerError('no-image', `Image ${subject} is not available to ${rt}. Cloche never pulls: build the base image ` +
        `(ensureBaseImage, or .ci/provision.sh for cloche/debian:12) or pull it yourself (${rt} pull ${subject}).`);
    }
    if (NO_CONTAINER.test(text)) return new ContainerError('no-container', `Container ${subject} does not exist (removed or never created).`);
    if (NOT_RUNNING.test(text)) return new ContainerError('not-running', `Container ${subject} is not running (killed or stopped); create a new one.`);
    return new ContainerError('runtime', describeFailure(this.runtime.command, args, r));
  }

  /**
   * Starts a container that stays alive until destroyed; returns its id. Never pulls. With systemd
   * as PID 1 it returns once systemd runs (or throws, the container removed, saying why not).
   */
  async create(opts: CreateOptions): Promise<string> {
    const init = opts.init ?? (await this.imageInit(opts.image));
    const labels: Record<string, string> = { ...opts.labels, [LABELS.managed]: 'true', [LABELS.session]: opts.session ?? this.sessionId, [LABELS.created]: new Date().toISOString(),
      [INIT_LABEL]: init };
    if (opts.nodeName) labels[LABELS.node] = opts.nodeName;
    const args = ['run', '-d', '--pull', 'never', '--network', opts.network,
      '--memory', opts.memory ?? DEFAULT_LIMITS.memory, '--pids-limit', String(opts.pidsLimit ?? DEFAULT_LIMITS.pidsLimit)];
    for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
    if (opts.name) args.push('--name', opts.name);
    if (opts.nodeName) {
      const dot = opts.nodeName.indexOf('.');
      args.push('--hostname', dot > 0 ? opts.nodeName.slice(0, dot) : opts.nodeName);
      if (dot > 0) args.push('--domainname', opts.nodeName.slice(dot + 1));
    }
    if (opts.privileged) args.push('--privileged');
    args.push(...this.runtime.createFlags);
    if (init === 'systemd') args.push(...systemdRunFlags(await this.cgroupVersion()));
    args.push('--entrypoint', '/bin/sh', opts.image, '-c', init === 'systemd' ? SYSTEMD_PID1 : KEEP_ALIVE);
    const r = await this.cli(args, opts.timeoutMs ?? CREATE_TIMEOUT_MS);
    const id = r.stdout.trim().split('\n').pop() ?? '';
    // `run` that fails to start a container leaves it behind, created: find it by its labels and remove it.
    if (r.code !== 0) await this.removeCreated(labels);
    if (r.code !== 0 && opts.privileged && /operation not permitted|permission denied/i.test(r.stderr)) {
      throw new ContainerError('runtime', `${this.runtime.name} refused to start a --privileged container on this host (${r.stderr.trim().split('\n')[0]}). ` +
        'Leave out --privileged: Cloche runs systemd as PID 1 without it.');
    }
    if (r.code !== 0 || !id) throw this.fail(args, r, opts.image);
    this.created.add(id);
    if (init === 'systemd') await this.waitForSystemd(id, opts.image);
    return id;
  }

  /** Removes a container that `run` created but could not start (found by its session and creation labels). */
  private async removeCreated(labels: Record<string, string>): Promise<void> {
    const ps = ['ps', '-aq', '--filter', `label=${LABELS.session}=${labels[LABELS.session]}`, '--filter', `label=${LABELS.created}=${labels[LABELS.created]}`];
    const ids = (await this.cli(ps)).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    if (ids.length) await this.cli(['rm', '-f', '-v', ...ids]);
  }

  /** The init the image boots: its `cloche.init` label (read by imageExists, or now). */
  async imageInit(image: string): Promise<InitSystem> {
    if (!this.imageLabels.has(image)) await this.imageExists(image);
    return this.imageLabels.get(image)?.[INIT_LABEL] === 'systemd' ? 'systemd' : 'none';
  }

  /** The daemon host's cgroup version (asked once per driver). */
  private cgroupVersion(): Promise<'1' | '2'> {
    this.cgroups ??= cgroupVersion(this.runtime);
    return this.cgroups;
  }

  /** Waits (bounded) until systemd in the container is running or degraded; otherwise removes it and says why. */
  private async waitForSystemd(id: string, image: string): Promise<void> {
    const r = await this.exec(id, systemdWaitScript(), { timeoutMs: (SYSTEMD_BOOT_TIMEOUT_S + 15) * 1000 }).catch((e: unknown) => e as Error);
    if (!(r instanceof Error) && r.code === 0) return;
    const logs = await this.cli(['logs', '--tail', '15', id]);
    const output = `${logs.stdout}${logs.stderr}`.trim().split('\n').slice(-5).join(' | ');
    const running = await this.isRunning(id).catch(() => false);
    await this.destroy(id).catch(() => undefined);
    if (!running || r instanceof Error) {
      throw new ContainerError('runtime', `The container from ${image} stopped while booting systemd as PID 1${output ? ` (its output: ${output})` : ''}. ` +
        'The image needs systemd: build one with `cloche image build --init systemd`, or run without systemd (--init none).');
    }
    const { state, failed } = parseSystemdWait(r.stdout);
    throw new ContainerError('runtime', `systemd in the container from ${image} did not reach "running" or "degraded" within ${SYSTEMD_BOOT_TIMEOUT_S} s ` +
      `(systemctl is-system-running: ${state}${failed.length ? `; failed units: ${failed.join(', ')}` : ''}).`);
  }

  /**
   * Runs a POSIX sh script in the container in ONE round trip.
   * Without `stdin` the script is fed to `sh -s` wrapped in `{ …; } </dev/null`: the shell parses
   * the whole group before running it, so a command that reads stdin (apt, debconf, `read`) sees
   * EOF instead of eating the rest of the script. With `stdin`, the script is sent length-prefixed
   * ahead of the data (a `sh -c` argument would cap its size), read with `head -c` and `eval`ed,
   * so the data stays on stdin for the script.
   */
  async exec(id: string, script: string, opts: ExecOptions): Promise<ExecResult> {
    const args = ['exec', '-i'];
    if (opts.user) args.push('--user', opts.user);
    if (opts.cwd) args.push('--workdir', opts.cwd);
    for (const [k, v] of Object.entries(opts.env ?? {})) args.push('--env', `${k}=${v}`);
    let input: string | Buffer;
    if (opts.stdin === undefined) {
      args.push(id, 'sh', '-s');
      input = `{ ${script}\n} </dev/null\n`; // "{ " on line 1 keeps the shell's line numbers right
    } else {
      args.push(id, 'sh', '-c', 'IFS= read -r n && s=$(head -c "$n") && eval "$s"');
      const body = Buffer.from(script);
      input = Buffer.concat([Buffer.from(`${body.length}\n`), body, Buffer.from(opts.stdin)]);
    }
    const r = await run(this.runtime.command, args, { input, timeoutMs: opts.timeoutMs, signal: opts.signal, onOutput: opts.onOutput, ...this.envOption() });
    const result: ExecResult = { code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, aborted: r.aborted, durationMs: r.durationMs };
    if (r.spawnError) throw this.fail(args, r, id);
    if (r.timedOut || r.aborted || r.code === 0) return result;
    // This process was told to stop and is removing its containers: the exec ended because of that, not of the script.
    if (this.interruptedBy) throw new ContainerError('interrupted', `interrupted (${this.interruptedBy}); the container was removed`);
    // The CLI reports its own failures (no such / stopped container) on stderr …
    const cliFailure = NO_CONTAINER.test(r.stderr) || NOT_RUNNING.test(r.stderr) || /cannot connect to the docker daemon/i.test(r.stderr);
    if (cliFailure && DAEMON_ERROR.test(r.stderr)) {
      throw this.fail(args, r, id);
    }
    // … but a container killed mid-exec just yields 137 (or another code ≥ 125): ask whether it still runs.
    if ((r.code === null || r.code >= 125) && !(await this.isRunning(id))) {
      throw new ContainerError('not-running', `Container ${id.slice(0, 12)} stopped while the script ran (exit ${r.code ?? 'signal'}: killed, or out of memory?); create a new one.`);
    }
    return result;
  }

  /** Copies a host file/dir (`hostPath`) or literal `content` to `containerPath`, creating parent dirs. */
  async copyIn(id: string, source: { hostPath: string } | { content: string | Buffer }, containerPath: string, timeoutMs = CONTROL_TIMEOUT_MS): Promise<void> {
    if ('hostPath' in source) {
      const args = ['cp', source.hostPath, `${id}:${containerPath}`];
      const r = await this.cli(args, timeoutMs);
      if (r.code !== 0) throw this.fail(args, r, id);
      return;
    }
    const q = shQuote(containerPath);
    const r = await this.exec(id, `set -e; mkdir -p "$(dirname ${q})"; cat > ${q}`, { stdin: source.content, timeoutMs });
    if (r.code !== 0) throw new ContainerError('runtime', `Writing ${containerPath} in ${id.slice(0, 12)} failed (exit ${r.code ?? 'timeout'}): ${r.stderr.trim()}`);
  }

  /** Filesystem changes since the container started (`docker diff`). */
  async diff(id: string): Promise<DiffEntry[]> {
    const args = ['diff', id];
    const r = await this.cli(args);
    if (r.code !== 0) throw this.fail(args, r, id);
    const kinds = { A: 'added', C: 'changed', D: 'deleted' } as const;
    return r.stdout.split('\n').flatMap((line) => {
      const m = /^([ACD]) (.+)$/.exec(line);
      return m ? [{ kind: kinds[m[1] as keyof typeof kinds], path: m[2] }] : [];
    });
  }

  /** Removes the container (and its anonymous volumes); a missing container is not an error. */
  async destroy(id: string): Promise<void> {
    const args = ['rm', '-f', '-v', id];
    const r = await this.cli(args);
    this.created.delete(id);
    if (r.code !== 0 && !NO_CONTAINER.test(r.stderr)) throw this.fail(args, r, id);
  }

  /** Cloche's containers (by label), from every session. */
  async list(): Promise<ManagedContainer[]> {
    const ps = ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${LABELS.managed}=true`];
    const r = await this.cli(ps);
    if (r.code !== 0) throw this.fail(ps, r, 'ps');
    const ids = r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
    if (ids.length === 0) return [];
    // JSON per line via the Go template, so the parse does not depend on runtime-specific `ps` columns.
    const fmt = `{"id":{{json ${this.runtime.idField}}},"name":{{json .Name}},"image":{{json .Config.Image}},"state":{{json .State.Status}},` +
      `"labels":{{json .Config.Labels}}}`;
    const ins = ['inspect', '--format', fmt, ...ids];
    // A container removed between ps and inspect makes inspect exit 1 but still print the others.
    const out = await this.cli(ins);
    return out.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => {
      const j = JSON.parse(l) as { id: string; name: string; image: string; state: string; labels: Record<string, string> | null };
      return { id: j.id, name: j.name.replace(/^\//, ''), image: j.image, state: j.state,
        session: j.labels?.[LABELS.session] ?? '', created: j.labels?.[LABELS.created] ?? '', workspace: j.labels?.[LABELS.workspace] ?? '' };
    });
  }

  /**
   * Removes Cloche containers: of one `session`, and/or created more than `olderThanMs` ago.
   * With neither filter it removes every Cloche container, including other sessions' live ones.
   * Returns the removed ids.
   */
  async sweep(opts: { olderThanMs?: number; session?: string } = {}): Promise<string[]> {
    const now = Date.now();
    const doomed = (await this.list()).filter((c) => {
      if (opts.session !== undefined && c.session !== opts.session) return false;
      if (opts.olderThanMs !== undefined) {
        const t = Date.parse(c.created);
        // An unreadable creation time on a container that bears our label: treat it as stale.
        if (!Number.isNaN(t) && now - t < opts.olderThanMs) return false;
      }
      return true;
    }).map((c) => c.id);
    if (doomed.length === 0) return [];
    const args = ['rm', '-f', '-v', ...doomed];
    const r = await this.cli(args, CONTROL_TIMEOUT_MS * 2);
    if (r.code !== 0 && !NO_CONTAINER.test(r.stderr)) throw this.fail(args, r, doomed.join(' '));
    for (const id of doomed) this.created.delete(id);
    return doomed;
  }

  /** Image, labels, network, limits and privilege of a container (by id, short id or name). */
  async inspect(id: string): Promise<{ id: string; image: string; labels: Record<string, string>; network: string; running: boolean; memory: number; pidsLimit: number | null; privileged: boolean }> {
    const fmt = `{"id":{{json ${this.runtime.idField}}},"image":{{json .Config.Image}},"labels":{{json .Config.Labels}},` +
      '"network":{{json .HostConfig.NetworkMode}},"running":{{json .State.Running}},"memory":{{json .HostConfig.Memory}},' +
      '"pidsLimit":{{json .HostConfig.PidsLimit}},"privileged":{{json .HostConfig.Privileged}}}';
    const args = ['inspect', '--type', 'container', '--format', fmt, id];
    const r = await this.cli(args);
    if (r.code !== 0) throw this.fail(args, /no such object/i.test(r.stderr) ? { ...r, stderr: `no such container: ${r.stderr}` } : r, id);
    const j = JSON.parse(r.stdout.trim().split('\n')[0]) as { id: string; image: string; labels: Record<string, string> | null; network: string; running: boolean;
      memory: number | null; pidsLimit: number | null; privileged: boolean | null };
    return { ...j, labels: j.labels ?? {}, memory: j.memory ?? 0, pidsLimit: j.pidsLimit ?? null, privileged: j.privileged === true };
  }

  /**
   * Replaces a Cloche container with a fresh one from the same image, with the same labels (its
   * session and any others; `cloche.created` is the new creation time), the same network, init,
   * limits and privilege. Refuses containers Cloche did not create. Returns the new id.
   */
  async recreate(id: string): Promise<string> {
    const old = await this.inspect(id);
    if (old.labels[LABELS.managed] !== 'true') throw new ContainerError('runtime', `Container ${id} was not created by Cloche (no ${LABELS.managed} label); Cloche only resets its own containers.`);
    const labels = Object.fromEntries(Object.entries(old.labels).filter(([k]) => k !== LABELS.managed && k !== LABELS.session && k !== LABELS.created));
    const network = old.network === 'host' || old.network === 'none' ? old.network : 'bridge';
    await this.destroy(old.id);
    return this.create({
      image: old.image, network, labels, session: old.labels[LABELS.session] || undefined,
      init: old.labels[INIT_LABEL] === 'systemd' ? 'systemd' : 'none', privileged: old.privileged,
      ...(old.labels[LABELS.node] ? { nodeName: old.labels[LABELS.node] } : {}),
      ...(old.memory > 0 ? { memory: `${old.memory}b` } : {}), ...(old.pidsLimit && old.pidsLimit > 0 ? { pidsLimit: old.pidsLimit } : {}),
    });
  }

  /** Whether the image is present locally (its labels are kept for `create`); throws when the runtime itself fails. */
  async imageExists(image: string): Promise<boolean> {
    const args = ['image', 'inspect', '--format', '{{json .Config.Labels}}', image];
    const r = await this.cli(args);
    if (r.code === 0) {
      try { this.imageLabels.set(image, (JSON.parse(r.stdout.trim().split('\n')[0] || 'null') as Record<string, string> | null) ?? {}); } catch { this.imageLabels.set(image, {}); }
      return true;
    }
    if (NO_IMAGE.test(r.stderr) || /no such object/i.test(r.stderr)) return false;
    throw this.fail(args, r, image);
  }

  /** Whether the container exists and runs. */
  async isRunning(id: string): Promise<boolean> {
    const args = ['inspect', '--type', 'container', '--format', '{{.State.Running}}', id];
    const r = await this.cli(args);
    if (r.code === 0) return r.stdout.trim() === 'true';
    if (NO_CONTAINER.test(r.stderr) || /no such object/i.test(r.stderr)) return false;
    throw this.fail(args, r, id);
  }

  /** Imports a root filesystem directory as an image (`tar -c | <cli> import`). */
  async importRootfs(dir: string, image: string, timeoutMs = 10 * 60_000): Promise<void> {
    const script = 'set -o pipefail; tar -C "$1" -c . | "$2" import --change "CMD [\\"/bin/sh\\"]" - "$3" >/dev/null';
    const args = ['-c', script, 'cloche-import', dir, this.runtime.command, image];
    const r = await run('bash', args, { timeoutMs, ...this.envOption() });
    if (r.code !== 0) throw new ContainerError('runtime', `Importing ${dir} as ${image} failed: ${describeFailure('bash', args, r)}`);
  }

  /**
   * Makes an image of a container's filesystem (`export | import`, one flattened layer) with only
   * the given Dockerfile-style `changes` as its config (no labels or entrypoint of the container).
   */
  async exportAsImage(id: string, image: string, changes: string[], timeoutMs = 10 * 60_000): Promise<void> {
    const script = 'set -o pipefail; c="$1"; id="$2"; img="$3"; shift 3; "$c" export "$id" | "$c" import "$@" - "$img" >/dev/null';
    const args = ['-c', script, 'cloche-export', this.runtime.command, id, image, ...changes.flatMap((c) => ['--change', c])];
    const r = await run('bash', args, { timeoutMs, ...this.envOption() });
    if (r.code !== 0) throw new ContainerError('runtime', `Exporting ${id.slice(0, 12)} as ${image} failed: ${describeFailure('bash', args, r)}`);
    this.imageLabels.delete(image);
  }

  /**
   * Sweeps this session's containers when the process ends: synchronously on `exit`, and on
   * SIGINT/SIGTERM asynchronously before exiting with 128+signal. Returns an unregister function.
   */
  cleanupOnExit(): () => void {
    if (this.exitHooks) return this.exitHooks;
    const onExit = (): void => {
      if (this.created.size > 0) runSync(this.runtime.command, ['rm', '-f', '-v', ...this.created], 15_000, this.runtime.env);
    };
    const onSignal = (sig: NodeJS.Signals): void => {
      this.interruptedBy = sig;
      const code = 128 + (sig === 'SIGINT' ? 2 : 15);
      void this.sweep({ session: this.sessionId }).catch(() => undefined).finally(() => process.exit(code));
    };
    process.on('exit', onExit);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    this.exitHooks = () => {
      process.off('exit', onExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      this.exitHooks = undefined;
    };
    return this.exitHooks;
  }
}
