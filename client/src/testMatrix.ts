/**
 * The Test Explorer's matrix, the pure part: when a run holds more than one kitchen test of a
 * cookbook, they run as one `cloche test PATH --matrix` process (cells in parallel, each with its own
 * container) instead of one `cloche test` after another. Here: which tests go together, the CLI's
 * arguments, and what each `--format jsonl` line of the matrix means for its test item (ARCHITECTURE.md
 * "The engine CLI as the editor's contract"). No vscode import (tested in plain Node).
 *
 * The CLI chooses cells as suites × platforms (`--suite`, `--kitchen-platform`, each repeatable, then
 * each suite's includes/excludes), not as a list of pairs: a run of some pairs runs the smallest
 * suites × platforms that covers them, and the cells nobody asked for are left out of the results.
 */
import type { CellResult, MatrixCell, MatrixEvent, MatrixStreamLine, MatrixSummary } from '../../server/src/engine/matrix';
import type { ConvergeReport } from '../../server/src/protocol';
import { convergeProblems, progressLineOf, progressText, type ConvergeProblem } from './convergeStream';

/** A test to run: its cookbook, and its kitchen suite × platform when it is one (a recipe test is not). */
export interface TestRef { cookbookDir: string; cell?: MatrixCell }

/** What a run does, in order: a test on its own (`cloche test` as before), or a cookbook's cells in one matrix. */
export type TestBatch<T> = { kind: 'one'; test: T } | { kind: 'matrix'; cookbookDir: string; tests: T[] };

/** A stable key of a cell (suite and platform names may hold any character but NUL). */
export const cellKey = (c: MatrixCell): string => `${c.suite}\u0000${c.platform}`;

/**
 * Groups the tests of a run: a cookbook with two or more kitchen cells runs them as one matrix (where
 * its first one was); everything else runs on its own, in the order given. A cell asked for twice runs once.
 */
export function batchTests<T>(tests: readonly T[], refOf: (t: T) => TestRef): TestBatch<T>[] {
  const cellsOf = new Map<string, T[]>();
  for (const t of tests) {
    const r = refOf(t);
    if (!r.cell) continue;
    const list = cellsOf.get(r.cookbookDir) ?? [];
    if (!list.some((o) => cellKey(refOf(o).cell!) === cellKey(r.cell!))) list.push(t);
    cellsOf.set(r.cookbookDir, list);
  }
  const out: TestBatch<T>[] = [];
  const placed = new Set<string>();
  for (const t of tests) {
    const r = refOf(t);
    const cells = r.cell ? cellsOf.get(r.cookbookDir)! : undefined;
    if (!cells || cells.length < 2) { if (!cells || cells[0] === t) out.push({ kind: 'one', test: t }); continue; }
    if (placed.has(r.cookbookDir)) continue;
    placed.add(r.cookbookDir);
    out.push({ kind: 'matrix', cookbookDir: r.cookbookDir, tests: cells });
  }
  return out;
}

/** The suites and platforms whose product covers the cells (in the order first named), and the cells of it not asked for. */
export function coveringSet(cells: readonly MatrixCell[]): { suites: string[]; platforms: string[]; extra: MatrixCell[] } {
  const suites = [...new Set(cells.map((c) => c.suite))];
  const platforms = [...new Set(cells.map((c) => c.platform))];
  const asked = new Set(cells.map(cellKey));
  const extra = suites.flatMap((suite) => platforms.map((platform) => ({ suite, platform }))).filter((c) => !asked.has(cellKey(c)));
  return { suites, platforms, extra };
}

/** What the settings add to a matrix run. */
export interface MatrixOptions {
  /** Cells at once; 0 leaves it to the CLI. */
  concurrency: number;
  /** `--host` each (none: the runtime's own). */
  hosts: readonly string[];
  network: string;
  /** The container flags every cell gets (runtime, limits, node name). */
  flags: readonly string[];
}

/** `cloche test DIR --matrix --suite S… --kitchen-platform K… --format jsonl [--concurrency N] [--host H]… --network N …`. */
export function matrixArgs(cookbookDir: string, cells: readonly MatrixCell[], o: MatrixOptions): string[] {
  const { suites, platforms } = coveringSet(cells);
  return [
    'test', cookbookDir, '--matrix',
    ...suites.flatMap((s) => ['--suite', s]), ...platforms.flatMap((p) => ['--kitchen-platform', p]),
    '--format', 'jsonl',
    ...(o.concurrency > 0 ? ['--concurrency', String(o.concurrency)] : []),
    ...o.hosts.flatMap((h) => ['--host', h]),
    '--network', o.network, ...o.flags,
  ];
}

/** One stdout line of `cloche test --matrix --format jsonl`; anything else (not JSON, another shape) is undefined. */
export function parseMatrixLine(line: string): MatrixStreamLine | undefined {
  let j: unknown;
  try { j = JSON.parse(line); } catch { return undefined; }
  if (!j || typeof j !== 'object') return undefined;
  const o = j as Record<string, unknown>;
  if (o.summary && typeof o.summary === 'object') return o as MatrixStreamLine;
  const cell = o.cell as Record<string, unknown> | undefined;
  const event = o.event as Record<string, unknown> | undefined;
  if (!cell || typeof cell.suite !== 'string' || typeof cell.platform !== 'string') return undefined;
  if (!event || typeof event.kind !== 'string') return undefined;
  return o as MatrixStreamLine;
}

/** How a test item ends. */
export interface CellOutcome {
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  durationMs: number;
  /** The verdict and the reason first, then the problems on source lines (from the cell's report). */
  messages: { message: string; problem?: ConvergeProblem }[];
}

/** What one event of a cell does to its test item. */
export type CellStep =
  | { kind: 'enqueued' }
  | { kind: 'started'; image: string }
  /** Text for the item's output; `report`: the cell's test report came with it (kept for the end). */
  | { kind: 'output'; text: string; report?: ConvergeReport }
  | { kind: 'end'; outcome: CellOutcome };

/** The step for one event; `report`: the cell's report seen so far (its problems go with a failure). */
export function cellStep(event: MatrixEvent, report?: ConvergeReport): CellStep {
  switch (event.kind) {
    case 'queued': return { kind: 'enqueued' };
    case 'started': return { kind: 'started', image: event.image };
    case 'skipped': return { kind: 'output', text: `skipped: ${event.reason}\n` };
    case 'stderr': return { kind: 'output', text: `${event.text}\n` };
    case 'converge': {
      const p = progressLineOf(event.line);
      if (!p) return { kind: 'output', text: `${JSON.stringify(event.line)}\n` };
      return { kind: 'output', text: progressText(p), ...(p.kind === 'report' ? { report: p.report } : {}) };
    }
    case 'finished': return { kind: 'end', outcome: cellOutcome(event.result, report) };
  }
}

/**
 * A cell's result as the Test Explorer shows it: passed; failed (the converge failed, or it is not
 * idempotent); errored (incomplete: Cloche could not check all of it; error: its test could not run);
 * skipped (no image here). As a single test run shows the same verdicts.
 */
export function cellOutcome(result: CellResult, report?: ConvergeReport): CellOutcome {
  const state = result.verdict === 'passed' ? 'passed'
    : result.verdict === 'skipped' ? 'skipped'
    : result.verdict === 'failed' || result.verdict === 'not-idempotent' ? 'failed' : 'errored';
  if (state === 'passed') return { state, durationMs: result.durationMs, messages: [] };
  const headline = { message: result.reason ? `${result.verdict}: ${result.reason}` : result.verdict };
  const problems = state === 'skipped' || !report ? [] : convergeProblems(report).map((problem) => ({ message: problem.message, problem }));
  return { state, durationMs: result.durationMs, messages: [headline, ...problems] };
}

/** The matrix's end in a few words for the log: `2 passed, 1 failed in 4.2 s`. */
export function summaryText(summary: MatrixSummary): string {
  const counts = Object.entries(summary.counts).filter(([, n]) => n > 0).map(([verdict, n]) => `${n} ${verdict}`);
  return `${counts.join(', ') || 'no cell'} in ${(summary.durationMs / 1000).toFixed(1)} s (concurrency ${summary.concurrency})`;
}
