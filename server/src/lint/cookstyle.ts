/**
 * Runs the cookbook author's linter: Cookstyle when it is on PATH, else RuboCop (the same command
 * line), or the program `cloche.lint.command` names. Every run goes through `containers/process.ts`
 * (the one place that starts processes): it has a timeout, is killed with its process group on
 * timeout or cancellation, and always resolves. Text is fed on stdin with `--stdin PATH` naming the
 * real file, so RuboCop finds the cookbook's `.rubocop.yml` (and its Exclude lists) as for the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, type RunResult } from '../containers/process';
import { type LintOffence, type LintReport, type LintTool, offencesOf, parseReport } from './rubocopReport';

/** A linter found on this machine. */
export interface Linter {
  tool: LintTool;
  /** The program's path. */
  command: string;
}

/** What to install when neither is found (said once, never as an error per file). */
export const INSTALL_HINT = 'apt install rubocop, or gem install cookstyle (Chef Workstation has it)';

/** A run's result, or why there is none. */
export type LintRun<T> =
  | { ok: true; value: T }
  | { ok: false; why: 'timeout' | 'cancelled' | 'failed'; message: string };

export interface RunLimits {
  /** The folder RuboCop runs in (the cookbook's or the repository's). */
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * The linter to run: the explicit command when one is set (a path, or a name looked up on PATH),
 * else `cookstyle`, else `rubocop` on PATH. A string says why there is none.
 */
export function findLinter(explicit: string | undefined, envPath = process.env.PATH ?? ''): Linter | string {
  const dirs = envPath.split(path.delimiter).filter(Boolean);
  const onPath = (name: string) => dirs.map((d) => path.join(d, name)).find(isExecutable);
  if (explicit) {
    const command = explicit.includes('/') || explicit.includes(path.sep) ? (isExecutable(explicit) ? path.resolve(explicit) : undefined) : onPath(explicit);
    if (!command) return `cloche.lint.command '${explicit}' is not an executable program`;
    return { tool: path.basename(command).startsWith('cookstyle') ? 'cookstyle' : 'rubocop', command };
  }
  for (const tool of ['cookstyle', 'rubocop'] as const) {
    const command = onPath(tool);
    if (command) return { tool, command };
  }
  return `neither cookstyle nor rubocop is on PATH (${INSTALL_HINT})`;
}

/** The offences in `text`, linted as the file `file` (its path decides the configuration and exclusions). */
export async function lintText(linter: Linter, file: string, text: string, limits: RunLimits): Promise<LintRun<{ offences: LintOffence[]; version?: string }>> {
  const args = ['--format', 'json', '--force-exclusion', '--stdin', file];
  const r = await run(linter.command, args, { input: text, cwd: limits.cwd, timeoutMs: limits.timeoutMs, signal: limits.signal });
  const failed = failure(linter, r, limits, file);
  if (failed) return failed;
  const report = parseReport(r.stdout);
  if (!report) return { ok: false, why: 'failed', message: `${linter.tool} did not write its JSON report for ${path.basename(file)}${tail(r)}` };
  // An excluded file (its .rubocop.yml's Exclude) is not inspected: no files, no offences.
  const reported = report.files[0]?.offences ?? [];
  return { ok: true, value: { offences: offencesOf(reported, text), ...(report.version ? { version: report.version } : {}) } };
}

/**
 * `text` as RuboCop's autocorrect leaves it (`--autocorrect`, or `--autocorrect-all` for unsafe
 * corrections too), of every cop or of one (`--only`). The report goes to stderr, the text to stdout.
 */
export async function correctText(linter: Linter, file: string, text: string, opts: RunLimits & { unsafe: boolean; only?: string }): Promise<LintRun<string>> {
  const args = [opts.unsafe ? '--autocorrect-all' : '--autocorrect', ...(opts.only ? ['--only', opts.only] : []), '--format', 'quiet', '--stderr', '--force-exclusion', '--stdin', file];
  const r = await run(linter.command, args, { input: text, cwd: opts.cwd, timeoutMs: opts.timeoutMs, signal: opts.signal });
  const failed = failure(linter, r, opts, file);
  if (failed) return failed;
  // Nothing on stdout for a text that was not empty is a failure, never "the file is now empty".
  if (!r.stdout && text) return { ok: false, why: 'failed', message: `${linter.tool} printed no corrected text for ${path.basename(file)}${tail(r)}` };
  return { ok: true, value: r.stdout };
}

/** One run over files and folders as `rubocop PATH…` does it (its own file discovery), for `cloche check --lint`. */
export async function lintPaths(linter: Linter, paths: string[], limits: RunLimits): Promise<LintRun<LintReport>> {
  const r = await run(linter.command, ['--format', 'json', '--force-exclusion', ...paths], { cwd: limits.cwd, timeoutMs: limits.timeoutMs, signal: limits.signal });
  const failed = failure(linter, r, limits, paths.join(' '));
  if (failed) return failed;
  const report = parseReport(r.stdout);
  if (!report) return { ok: false, why: 'failed', message: `${linter.tool} did not write its JSON report${tail(r)}` };
  return { ok: true, value: { ...report, files: report.files.map((f) => ({ ...f, path: path.resolve(limits.cwd, f.path) })) } };
}

/** Why a finished run has no result: it could not start, was stopped, or exited 2 (RuboCop's "error": a bad option or configuration). */
function failure(linter: Linter, r: RunResult, limits: RunLimits, what: string): LintRun<never> | undefined {
  const name = path.basename(what);
  if (r.timedOut) return { ok: false, why: 'timeout', message: `${linter.tool} took longer than ${Math.round(limits.timeoutMs / 1000)} s on ${name} and was stopped` };
  if (r.aborted) return { ok: false, why: 'cancelled', message: `${linter.tool} on ${name} was cancelled` };
  if (r.spawnError) return { ok: false, why: 'failed', message: `${linter.tool} could not start (${r.spawnError})` };
  if (r.code !== 0 && r.code !== 1) return { ok: false, why: 'failed', message: `${linter.tool} failed on ${name} (exit ${r.code ?? 'signal'})${tail(r)}` };
  return undefined;
}

/** The last lines RuboCop wrote on stderr, for a message. */
function tail(r: RunResult): string {
  const t = r.stderr.trim().split('\n').filter((l) => l.trim() && !/^=+$/.test(l.trim())).slice(-3).join(' | ');
  return t ? `: ${t.slice(0, 400)}` : '';
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch { return false; }
}
