/**
 * The single place in Cloche that starts operating-system processes.
 *
 * Everything that talks to docker/podman goes through {@link run}: it always resolves (never
 * throws for a non-zero exit, a timeout or a missing binary) and always ends — every call has a
 * timeout, and on timeout or abort the whole process group is killed so `docker exec` children
 * and their pipes cannot keep the promise pending.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Options for {@link run}. */
export interface RunOptions {
  /** Written to stdin, then stdin is closed. Without it stdin is closed at once. */
  input?: string | Buffer;
  /** Hard limit; the process group gets SIGTERM, then SIGKILL after a short grace. */
  timeoutMs: number;
  /** Aborting kills the process group like a timeout (result has `aborted: true`). */
  signal?: AbortSignal;
  /** Streams output as it arrives (the full text is still returned). */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Extra environment, merged over `process.env`; `undefined` removes a variable (a `DOCKER_CONTEXT` that a `DOCKER_HOST` replaces). */
  env?: Record<string, string | undefined>;
  /** Working directory (default: this process's). */
  cwd?: string;
  /** Time between SIGTERM and SIGKILL (default {@link KILL_GRACE_MS}): more for a child that cleans up on SIGTERM (a `cloche test` removing its container). */
  killGraceMs?: number;
  /** Told the process id once it started (a `cloche test`'s containers carry it in their session label). */
  onSpawn?: (pid: number) => void;
}

/** What a finished process left behind. */
export interface RunResult {
  /** Exit code; `null` when killed by a signal or never started. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the program could not be started at all (e.g. ENOENT: not installed). */
  spawnError?: string;
  durationMs: number;
}

/** `process.env` with `env` over it, its `undefined` values removed. */
function withEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Time between SIGTERM and SIGKILL; docker CLIs exit promptly on SIGTERM. */
const KILL_GRACE_MS = 2000;

/**
 * Runs `cmd args` without a shell and collects its output.
 * Resolves once the process has exited and its pipes are closed — or, after a kill, at the latest
 * when the grace period is over, so a stuck pipe can never hang the caller.
 */
export function run(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(cmd, args, {
      // A process group of its own, so a kill reaches grandchildren too.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? withEnv(opts.env) : process.env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });

    if (child.pid !== undefined) opts.onSpawn?.(child.pid);

    const finish = (code: number | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      // A killed CLI may still exit 0 (docker exec does on SIGTERM): that code means nothing.
      if (timedOut || aborted) code = null;
      resolve({ code, stdout, stderr, timedOut, aborted, spawnError, durationMs: Date.now() - started });
    };

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        try { child.kill(sig); } catch { /* already gone */ }
      }
    };

    const stop = (): void => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => {
        killGroup('SIGKILL');
        // Give the exit event a moment, then resolve regardless of lingering pipes.
        setTimeout(() => finish(null), 200).unref();
      }, opts.killGraceMs ?? KILL_GRACE_MS);
      killTimer.unref();
    };

    const timer = setTimeout(() => { timedOut = true; stop(); }, opts.timeoutMs);
    timer.unref();
    const onAbort = (): void => { aborted = true; stop(); };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => { stdout += c; opts.onOutput?.(c, 'stdout'); });
    child.stderr.on('data', (c: string) => { stderr += c; opts.onOutput?.(c, 'stderr'); });
    child.on('error', (err) => finish(null, err.message));
    // 'close' waits for the pipes as well as the exit, so no output is lost.
    child.on('close', (code) => finish(code));

    // EPIPE when the program exits before reading all of stdin is expected; ignore it.
    child.stdin.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** One-line description of a failed run for error messages: exit code, timeout, stderr tail. */
export function describeFailure(cmd: string, args: readonly string[], r: RunResult): string {
  const what = `${cmd} ${args.slice(0, 3).join(' ')}${args.length > 3 ? ' …' : ''}`;
  if (r.spawnError) return `${what}: could not start (${r.spawnError})`;
  if (r.timedOut) return `${what}: timed out after ${r.durationMs} ms`;
  if (r.aborted) return `${what}: cancelled`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
  return `${what}: exit ${r.code ?? 'signal'}${tail ? `: ${tail}` : ''}`;
}

/**
 * Synchronous variant, only for `process.on('exit')` hooks where no async work can run.
 * Bounded by `timeoutMs`; never throws.
 */
export function runSync(cmd: string, args: readonly string[], timeoutMs: number, env?: Record<string, string | undefined>): { code: number | null } {
  try {
    const r = spawnSync(cmd, args, { timeout: timeoutMs, stdio: 'ignore', killSignal: 'SIGKILL', env: env ? withEnv(env) : process.env });
    return { code: r.status };
  } catch {
    return { code: null };
  }
}
