/**
 * `cloche test PATH --matrix [--suite S]... [--kitchen-platform K]... [--concurrency N]
 * [--format text|jsonl] [--junit FILE] [--strict]` — every suite × platform cell of the cookbook's
 * kitchen file (or the chosen ones), up to N at once. Each cell is a `cloche test PATH --suite S
 * --kitchen-platform K --format jsonl` child process of its own (this CLI, with the other flags
 * passed on): exactly what that command does alone, with its own container, session and signal
 * handling, and a crash or a failure of one cell never reaches the others. A cell whose platform
 * has no image here is skipped with why, never run.
 *
 * SIGINT/SIGTERM: no cell starts any more, each running cell's test gets SIGTERM (it removes its
 * container, as `cloche test` does when interrupted), what is left of their sessions is swept, and
 * the command exits 130/143 with no summary and no JUnit file. The pure parts are in
 * engine/matrix.ts (cells, verdicts, exit code), matrixPool.ts, matrixReport.ts and junit.ts.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, freemem, hostname, loadavg } from 'node:os';
import * as path from 'node:path';
import { enclosingCookbook } from '../chef/workspace';
import type { ContainerDriver } from '../containers/driver';
import { run } from '../containers/process';
import { KitchenChoiceError, readKitchen } from '../engine/kitchen';
import { junitXml } from '../engine/junit';
import {
  cellResultOf, cellRuns, countVerdicts, defaultConcurrency, expandCells, matrixExitCode, planCells, skippedEvent,
  type CellResult, type MatrixCell, type MatrixEvent, type MatrixStreamLine, type PlannedCell,
} from '../engine/matrix';
import { runPool } from '../engine/matrixPool';
import { cellName, eventLine, summaryTable } from '../engine/matrixReport';
import { connect, DEFAULT_IMAGE } from '../engine/session';
import type { ConvergeReport, ConvergeStreamLine } from '../protocol';
import { formatOf, parseArgs, type FlagSpec, type ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

/** The flags `--matrix` adds to `cloche test` (with `--suite` and `--kitchen-platform` repeatable). */
const OWN: Required<FlagSpec> = { values: ['concurrency', 'junit', 'format'], lists: ['suite', 'kitchen-platform'], booleans: ['matrix', 'strict', 'help'] };
/** Flags of `cloche test` that choose one target, which each cell chooses for itself. */
const REFUSED: Record<string, string> = {
  image: 'each cell runs on its platform\'s image', container: 'each cell runs in a new container of its own', 'run-list': 'each cell runs its suite\'s run list',
  platform: 'each cell reads the facts of its own container', keep: 'keep one cell\'s container with `cloche test PATH --suite S --kitchen-platform K --keep`',
};
/** One cell's test is bounded, generously: its steps have their own timeouts. */
const CELL_TIMEOUT_MS = 3 * 3600_000;
/** Time a cell's test has, after SIGTERM, to remove its container before it is killed. */
const CELL_STOP_GRACE_MS = 30_000;

export const MATRIX_USAGE = 'cloche test PATH --matrix [--suite S]... [--kitchen-platform K]... [--concurrency N] [--format text|jsonl] [--junit FILE] [--strict] [--runtime R] [--init none|systemd] [--memory M] [--pids-limit N] [--network N] [--attributes FILE] [--attribute P=V]... [--environment E] [--no-idempotence]';

export const MATRIX_HELP = [
  'Matrix: cloche test PATH --matrix — every suite × platform of the kitchen file (Test Kitchen\'s instances), in parallel:',
  '  --matrix                 run every cell, each exactly as `cloche test PATH --suite S --kitchen-platform K` (a process of its own)',
  '  --suite S, --kitchen-platform K  only these suites / platforms (repeatable); a suite runs only on the platforms its includes/excludes allow',
  '  --concurrency N          cells at once (default: one per idle CPU, as free memory allows at 1 GiB a cell, at least 1)',
  '  --format text|jsonl      text: one line per cell state change (start, skip, its verdict), then a summary table;',
  '                           jsonl: {"cell": {"suite", "platform"}, "event": E} lines, E one of {"kind": "queued"},',
  '                           {"kind": "skipped", "reason", "image", "build"?}, {"kind": "started", "image"}, {"kind": "converge", "line":',
  '                           the cell\'s own `cloche test --format jsonl` line}, {"kind": "stderr", "text"}, {"kind": "finished", "result"};',
  '                           then {"summary": {"cells": [result], "counts", "durationMs", "concurrency", "exitCode"}} last; a result is',
  '                           {suite, platform, verdict: passed|failed|incomplete|not-idempotent|error|skipped, durationMs, changed?, reason?,',
  '                           image?, convergeMs?, idempotenceMs?}',
  '  --junit FILE             JUnit XML: one testsuite, one testcase per cell (suite-platform), <failure>, <error> or <skipped> with why',
  '  --strict                 a skipped cell (no image for its platform here) fails the matrix',
  '  The other flags (--runtime, --init, --memory, --attribute …) apply to every cell; --image, --container, --run-list,',
  '  --platform and --keep are refused (each cell chooses its own target).',
  'A cell whose platform has no image here (not Linux, an image only a registry has, one not built yet) is skipped with why, never run.',
  'Matrix exit codes: 0 every cell that ran passed (skipped cells are warned about), 1 a cell failed, was incomplete, not idempotent',
  '  or could not run, or no cell ran, or --strict and a cell was skipped; 2 usage or environment error before any cell;',
  '  130/143 interrupted (every cell stopped, their containers removed; no summary, no JUnit file).',
];

/** The flags each cell's test gets: every parsed flag that is not the matrix's own. */
function forwardedFlags(args: ParsedArgs): string[] {
  const out: string[] = [];
  for (const [name, value] of args.values) if (!OWN.values.includes(name)) out.push(`--${name}=${value}`);
  for (const [name, values] of args.lists) if (!OWN.lists.includes(name)) for (const v of values) out.push(`--${name}=${v}`);
  for (const name of args.booleans) if (!OWN.booleans.includes(name)) out.push(`--${name}`);
  return out;
}

/** Parses `cloche test … --matrix` with `test`'s own flags (`testSpec`) and the matrix's. */
function parseMatrixArgs(argv: string[], testSpec: FlagSpec): ParsedArgs {
  const without = (names: string[] | undefined, drop: string[]) => (names ?? []).filter((n) => !drop.includes(n));
  const args = parseArgs(argv, {
    values: [...without(testSpec.values, [...OWN.lists, ...OWN.values]), ...OWN.values],
    lists: [...without(testSpec.lists, OWN.lists), ...OWN.lists],
    booleans: [...without(testSpec.booleans, OWN.booleans), ...OWN.booleans],
  });
  for (const [flag, why] of Object.entries(REFUSED)) {
    if (args.values.has(flag) || args.booleans.has(flag)) throw new UsageError(`--${flag} does not go with --matrix: ${why}`);
  }
  if (args.positional.length !== 1) throw new UsageError('exactly one PATH (a cookbook with a kitchen file) is needed');
  return args;
}

/** `cloche test … --matrix`: see the file comment. `testSpec`: the flags of `cloche test`, passed on to each cell. */
export async function runMatrix(argv: string[], io: CliIO, testSpec: FlagSpec): Promise<number> {
  return withExitCodes(io, 'test', async () => {
    const args = parseMatrixArgs(argv, testSpec);
    const format = formatOf(args, ['text', 'jsonl'], 'text');
    const concurrencyText = args.values.get('concurrency');
    const asked = concurrencyText === undefined ? undefined : Number(concurrencyText);
    if (asked !== undefined && !(Number.isInteger(asked) && asked > 0)) throw new UsageError(`--concurrency must be a positive whole number (got '${concurrencyText}')`);
    const runtime = args.values.get('runtime') ?? 'auto';
    if (!['docker', 'podman', 'auto'].includes(runtime)) throw new UsageError('--runtime must be docker or podman');
    const target = path.resolve(args.positional[0]);
    const cookbook = enclosingCookbook(target) ?? target;
    let kitchen;
    try { kitchen = readKitchen(cookbook, DEFAULT_IMAGE); } catch (e) { throw new UsageError((e as Error).message); }
    if (!kitchen) throw new UsageError(`--matrix needs a kitchen file (kitchen.yml, .kitchen.yml, kitchen.yaml) in ${cookbook}, and there is none`);
    let cells: MatrixCell[];
    try {
      cells = expandCells(kitchen, { suites: args.lists.get('suite'), platforms: args.lists.get('kitchen-platform') });
    } catch (e) {
      if (e instanceof KitchenChoiceError) throw new UsageError(e.message);
      throw e;
    }
    const driver = await connect(runtime as 'docker' | 'podman' | 'auto', undefined, (m) => io.stderr(`cloche test: warning: ${m}\n`));
    const planned = await planCells(kitchen, cells, (image) => driver.imageExists(image));
    const runnable = planned.filter(cellRuns);
    const concurrency = asked ?? defaultConcurrency({ cpus: availableParallelism(), loadAverage: loadavg()[0], freeMemoryBytes: freemem() }, runnable.length);
    const matrix = new MatrixRun(io, format as 'text' | 'jsonl', {
      cliArgs: [...process.execArgv, process.argv[1], 'test', target], forwarded: forwardedFlags(args),
    });
    if (format === 'text') {
      io.stdout(`cloche test --matrix: ${cells.length} cell${cells.length === 1 ? '' : 's'} of ${path.basename(kitchen.file)} ` +
        `(${runnable.length} to run, ${cells.length - runnable.length} skipped), ${concurrency} at once\n`);
    }
    const code = await matrix.run(planned, concurrency, driver);
    if (code.interrupted) {
      io.stderr(`cloche test: interrupted (${code.interrupted}); ${code.stopped} running cell${code.stopped === 1 ? '' : 's'} stopped, their containers removed\n`);
      return code.interrupted === 'SIGINT' ? 130 : 143;
    }
    const { results, durationMs } = code;
    let exitCode = matrixExitCode(results, args.booleans.has('strict'));
    const junit = args.values.get('junit');
    if (junit) {
      try {
        writeFileSync(junit, junitXml(results, { name: path.basename(cookbook), durationMs, timestamp: new Date(Date.now() - durationMs), hostname: hostname() }));
      } catch (e) {
        io.stderr(`cloche test: could not write the JUnit file ${junit}: ${(e as Error).message}\n`);
        exitCode = 2;
      }
    }
    if (format === 'jsonl') matrix.line({ summary: { cells: results, counts: countVerdicts(results), durationMs, concurrency, exitCode } });
    else io.stdout(`\n${summaryTable(results, { durationMs, concurrency })}`);
    const skipped = results.filter((r) => r.verdict === 'skipped');
    if (skipped.length) {
      io.stderr(`cloche test: ${args.booleans.has('strict') ? 'error' : 'warning'}: ${skipped.length} cell${skipped.length === 1 ? '' : 's'} skipped, no image here: ` +
        `${skipped.map(cellName).join(', ')}${args.booleans.has('strict') ? ' (--strict)' : '; --strict makes that a failure'}\n`);
    }
    if (!results.some((r) => r.verdict !== 'skipped')) io.stderr('cloche test: no cell ran, so nothing was tested\n');
    return exitCode;
  });
}

/** A matrix being run: the cells' child processes, their events, and SIGINT/SIGTERM. */
class MatrixRun {
  private readonly abort = new AbortController();
  private interruptedBy?: NodeJS.Signals;
  /** Process ids of the cells' tests: their containers' sessions start with them. */
  private readonly pids = new Set<number>();
  private running = 0;

  constructor(private readonly io: CliIO, private readonly format: 'text' | 'jsonl', private readonly cell: { cliArgs: string[]; forwarded: string[] }) {}

  line(l: MatrixStreamLine): void {
    this.io.stdout(`${JSON.stringify(l)}\n`);
  }

  private emit(cell: MatrixCell, event: MatrixEvent): void {
    if (this.format === 'jsonl') { this.line({ cell, event }); return; }
    const text = eventLine(cell, event);
    if (text) this.io.stdout(text);
  }

  /** Runs the cells; the results in the cells' order, or how the run was interrupted. */
  async run(planned: PlannedCell[], concurrency: number, driver: ContainerDriver): Promise<{ interrupted?: undefined; results: CellResult[]; durationMs: number } | { interrupted: NodeJS.Signals; stopped: number }> {
    const started = Date.now();
    const results = new Map<PlannedCell, CellResult>();
    for (const p of planned) {
      if (cellRuns(p)) { this.emit(p.cell, { kind: 'queued' }); continue; }
      const skipped = skippedEvent(p);
      this.emit(p.cell, skipped);
      const result: CellResult = { ...p.cell, verdict: 'skipped', durationMs: 0, reason: skipped.reason, image: p.availability.image };
      results.set(p, result);
      this.emit(p.cell, { kind: 'finished', result });
    }
    let stoppedAtInterrupt = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (this.interruptedBy) return;
      this.interruptedBy = sig;
      stoppedAtInterrupt = this.running;
      this.abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const outcomes = await runPool(planned.filter(cellRuns), concurrency, (p) => this.runCell(p), this.abort.signal);
      for (const o of outcomes) if (o.status === 'done') results.set(o.value.planned, o.value.result);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (this.interruptedBy) {
      await this.sweepCells(driver);
      return { interrupted: this.interruptedBy, stopped: stoppedAtInterrupt };
    }
    return { results: planned.map((p) => results.get(p)!), durationMs: Date.now() - started };
  }

  /** One cell: `cloche test PATH --suite S --kitchen-platform K --format jsonl`, its lines passed on as they come. */
  private async runCell(p: PlannedCell): Promise<{ planned: PlannedCell; result: CellResult }> {
    const { cell } = p;
    this.running++;
    this.emit(cell, { kind: 'started', image: p.availability.image });
    const started = Date.now();
    let report: ConvergeReport | undefined;
    let stderr = '';
    const pending = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', text: string): void => {
      if (stream === 'stderr') { stderr += `${text}\n`; this.emit(cell, { kind: 'stderr', text }); return; }
      let line: ConvergeStreamLine;
      try { line = JSON.parse(text) as ConvergeStreamLine; } catch { this.emit(cell, { kind: 'stderr', text }); return; }
      if ('report' in line) report = line.report;
      this.emit(cell, { kind: 'converge', line });
    };
    const args = [...this.cell.cliArgs, '--suite', cell.suite, '--kitchen-platform', cell.platform, '--format', 'jsonl', ...this.cell.forwarded];
    const r = await run(process.execPath, args, {
      timeoutMs: CELL_TIMEOUT_MS, signal: this.abort.signal, killGraceMs: CELL_STOP_GRACE_MS,
      onSpawn: (pid) => this.pids.add(pid),
      onOutput: (chunk, stream) => {
        const lines = (pending[stream] + chunk).split('\n');
        pending[stream] = lines.pop()!;
        for (const l of lines) if (l.trim()) take(stream, l);
      },
    });
    for (const stream of ['stdout', 'stderr'] as const) if (pending[stream].trim()) take(stream, pending[stream]);
    this.running--;
    const exitCode = r.spawnError ? null : r.code;
    const result = cellResultOf(cell, { exitCode, report, durationMs: Date.now() - started, image: p.availability.image,
      stderr: r.spawnError ? `could not start its test: ${r.spawnError}` : r.timedOut ? `${stderr}its test did not end within ${CELL_TIMEOUT_MS / 3600_000} h` : stderr });
    if (!this.interruptedBy) this.emit(cell, { kind: 'finished', result });
    return { planned: p, result };
  }

  /** Removes what is left of the cells' sessions (a test killed before it removed its container). */
  private async sweepCells(driver: ContainerDriver): Promise<void> {
    try {
      const sessions = new Set((await driver.list()).map((c) => c.session).filter((s) => this.pids.has(Number(s.split('-')[0]))));
      for (const session of sessions) await driver.sweep({ session });
    } catch { /* best effort: the next Cloche run sweeps the sessions of dead processes too */ }
  }
}
