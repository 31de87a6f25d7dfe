/**
 * Runs Cloche's own CLI (dist/cli.js) for everything that touches containers: the extension never
 * starts a container itself, so the editor and CI run exactly the same code, and the CLI's cleanup
 * (containers destroyed on exit and on SIGTERM) covers a cancelled dry run too.
 * No vscode import: the caller passes an AbortSignal (from a CancellationToken) and a timeout.
 */
import { spawn } from 'node:child_process';

export interface CliRunOptions {
  args: string[];
  cwd?: string;
  /** Milliseconds before the run is stopped (SIGTERM, the CLI removes its containers, then SIGKILL). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each complete stdout line as it arrives (for JSON-lines progress). */
  onLine?: (line: string) => void;
  /** Each stderr chunk as it arrives. */
  onStderr?: (chunk: string) => void;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  timedOut: boolean;
}

/** Time between SIGTERM and SIGKILL: enough for the CLI to remove its container. */
const KILL_GRACE_MS = 15_000;

export class EngineCli {
  /**
   * @param cliPath dist/cli.js of the installed extension
   * @param nodePath the Node (or Electron-as-Node) binary; the extension host's own by default
   */
  constructor(private readonly cliPath: string, private readonly nodePath = process.execPath) {}

  /** dist/cli.js, for terminals that run it themselves. */
  get path(): string { return this.cliPath; }

  run(o: CliRunOptions): Promise<CliResult> {
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let pending = '';
      let cancelled = false;
      let timedOut = false;
      const child = spawn(this.nodePath, [this.cliPath, ...o.args], {
        cwd: o.cwd,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      const stop = () => {
        if (child.exitCode !== null || killTimer) return;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      };
      const timer = setTimeout(() => { timedOut = true; stop(); }, o.timeoutMs);
      const onAbort = () => { cancelled = true; stop(); };
      if (o.signal?.aborted) onAbort();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (!o.onLine) return;
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (line.trim()) o.onLine(line);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; o.onStderr?.(chunk); });
      const finish = (code: number) => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        o.signal?.removeEventListener('abort', onAbort);
        if (o.onLine && pending.trim()) o.onLine(pending);
        resolve({ code, stdout, stderr, cancelled, timedOut });
      };
      child.on('error', (e) => { stderr += `${e.message}\n`; finish(127); });
      child.on('close', (code, sig) => finish(code ?? (sig === 'SIGKILL' ? 137 : 143)));
    });
  }

  /** Runs and parses stdout as JSON; a failure to run or parse becomes an {@link EngineCliError}. */
  async json<T>(o: CliRunOptions, okCodes: number[] = [0]): Promise<{ value: T; code: number }> {
    const r = await this.run(o);
    if (r.cancelled) throw new EngineCliError('cancelled', r);
    if (r.timedOut) throw new EngineCliError(`stopped after ${Math.round(o.timeoutMs / 1000)} s (the timeout in settings)`, r);
    if (!okCodes.includes(r.code)) throw new EngineCliError(lastLines(r.stderr) || `the CLI exited with code ${r.code}`, r);
    try {
      return { value: JSON.parse(r.stdout) as T, code: r.code };
    } catch {
      throw new EngineCliError(`the CLI printed something that is not JSON: ${r.stdout.slice(0, 200)}`, r);
    }
  }
}

/** A CLI run that did not give a result; `message` is what the user should read. */
export class EngineCliError extends Error {
  override name = 'EngineCliError';
  constructor(message: string, readonly result: CliResult) { super(message); }
  /** Exit code 2 means the environment (runtime, daemon, image) or the usage is wrong. */
  get isEnvironment(): boolean { return this.result.code === 2; }
}

/** The last few non-empty lines of a stream (the CLI's message is at the end). */
export function lastLines(text: string, n = 3): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n).join('\n');
}
