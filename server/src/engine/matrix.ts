/**
 * `cloche test PATH --matrix`: every suite × platform cell of a cookbook's kitchen file, each run
 * as `cloche test PATH --suite S --kitchen-platform K` would run it. This module is the pure part:
 * which cells there are (Test Kitchen's instances: suites in order, each on the platforms its
 * includes/excludes allow), which of them can run here (a platform with no image is skipped with
 * why, never run), how many to run at once by default, each cell's verdict from what its test
 * left, and the matrix's exit code. The stream lines and results below are the editor's contract
 * (`--format jsonl`, ARCHITECTURE.md "The engine CLI as the editor's contract").
 */
import type { ConvergeReport, ConvergeStreamLine } from '../protocol';
import { KitchenChoiceError, suiteRunsOn, type KitchenInfo } from './kitchen';
import { platformAvailability, type PlatformAvailability } from './kitchenAvailability';

/** One suite on one platform (Test Kitchen's instance `suite-platform`). */
export interface MatrixCell { suite: string; platform: string }

/** A cell's end: its test's verdict, `error` (the test could not run: bad input, a run that does not compile), or `skipped` (not run: no image here). */
export type CellVerdict = 'passed' | 'failed' | 'incomplete' | 'not-idempotent' | 'error' | 'skipped';

/** What became of one cell (the summary's rows, the JUnit testcases). */
export interface CellResult extends MatrixCell {
  verdict: CellVerdict;
  /** Wall time of the cell, from its start to its container's removal (0 when skipped). */
  durationMs: number;
  /** Steps that changed something (the converge's `applied`); absent without a report. */
  changed?: number;
  /** Why it did not pass or was skipped, in a sentence. */
  reason?: string;
  /** The image it ran on (or would have: the one that is missing). */
  image?: string;
  /** The `--host` it ran on (with `--host` only). */
  host?: string;
  /** Skipped because every host that has its image was lost (or got no share of `--concurrency`), not for want of an image: it fails the matrix. */
  notRun?: boolean;
  /** The converge's own time and the idempotence re-plan's, from its report (the rest of `durationMs` is the cell's overhead). */
  convergeMs?: number;
  idempotenceMs?: number;
}

/** A cell's state changes and progress, in order: queued → started → converge lines… → finished; or skipped. */
export type MatrixEvent =
  /** Listed at the start: the cell will run when a slot is free. */
  | { kind: 'queued' }
  /** Not run: no image for its platform can be had here (`reason`), or none is built yet (`build`: the command that builds it). */
  | { kind: 'skipped'; reason: string; image?: string; build?: string }
  /** Its test started (a `cloche test` of its own), on this image (and with `--host`, on this host). */
  | { kind: 'started'; image: string; host?: string }
  /** A line of the cell's `cloche test --format jsonl` stream, as it comes (`ConvergeStreamLine`: events, idempotence-start, the report). */
  | { kind: 'converge'; line: ConvergeStreamLine }
  /** A line its test wrote to stderr (notes, warnings, errors). */
  | { kind: 'stderr'; text: string }
  /** Its test ended (or it was skipped: the result says so). */
  | { kind: 'finished'; result: CellResult };

/** Counts of cells by verdict. */
export type VerdictCounts = Record<CellVerdict, number>;

/** A `--host` of the matrix, in the summary: what its daemon said, the cells it took at once, and whether it lasted. */
export interface HostSummary {
  name: string;
  /** `up`: it answered to the end; `lost`: it stopped answering mid-run; `unreachable`: it did not answer at the start (no cell ran there). */
  state: 'up' | 'lost' | 'unreachable';
  /** Why it was lost or unreachable. */
  reason?: string;
  cpus?: number;
  memoryBytes?: number;
  /** Containers running there when the matrix started. */
  runningContainers?: number;
  /** Cells it ran at once (matrixHosts.ts `hostSlots` of its free capacity, or its share of `--concurrency`). */
  slots: number;
  /** Cells that ran (or started) there. */
  cells: number;
}

/** The last line of `--format jsonl`. */
export interface MatrixSummary {
  cells: CellResult[];
  counts: VerdictCounts;
  durationMs: number;
  concurrency: number;
  exitCode: number;
  /** With `--host`: each host, in the order given. */
  hosts?: HostSummary[];
}

/** `cloche test --matrix --format jsonl`: one of these per stdout line. */
export type MatrixStreamLine = { cell: MatrixCell; event: MatrixEvent } | { summary: MatrixSummary };

/** A cell and whether it can run here. */
export interface PlannedCell { cell: MatrixCell; availability: PlatformAvailability }

const known = (names: string[]): string => (names.length ? names.join(', ') : 'none');

/**
 * The cells of the kitchen file, or of the chosen suites and platforms (each name must exist):
 * suites in the file's order, each on the platforms in the file's order that it runs on.
 * Throws {@link KitchenChoiceError} for an unknown name, or when no cell is left.
 */
export function expandCells(kitchen: KitchenInfo, chosen: { suites?: string[]; platforms?: string[] } = {}): MatrixCell[] {
  const file = kitchen.file.split(/[\\/]/).pop();
  for (const s of chosen.suites ?? []) {
    if (!kitchen.suites.some((x) => x.name === s)) throw new KitchenChoiceError(`unknown suite '${s}' in ${file}; known suites: ${known(kitchen.suites.map((x) => x.name))}`);
  }
  for (const p of chosen.platforms ?? []) {
    if (!kitchen.platforms.some((x) => x.name === p)) throw new KitchenChoiceError(`unknown kitchen platform '${p}' in ${file}; known platforms: ${known(kitchen.platforms.map((x) => x.name))}`);
  }
  const suites = kitchen.suites.filter((s) => !chosen.suites?.length || chosen.suites.includes(s.name));
  const platforms = kitchen.platforms.filter((p) => !chosen.platforms?.length || chosen.platforms.includes(p.name));
  const cells = suites.flatMap((s) => platforms.filter((p) => suiteRunsOn(s, p.name)).map((p) => ({ suite: s.name, platform: p.name })));
  if (!cells.length) {
    throw new KitchenChoiceError(kitchen.suites.length && kitchen.platforms.length
      ? `no suite of those chosen runs on the platforms chosen (their includes/excludes in ${file})`
      : `${file} has no ${kitchen.suites.length ? 'platforms' : 'suites'}, so there is nothing to test`);
  }
  return cells;
}

/**
 * Whether each cell's image can be had (`exists`: the runtime's `image inspect`, asked once per
 * image): the platform's availability with the suite's `pid_one_command` over the platform's, as
 * the cell's run decides its PID 1.
 */
export async function planCells(kitchen: KitchenInfo, cells: MatrixCell[], exists: (image: string) => Promise<boolean>): Promise<PlannedCell[]> {
  const asked = new Map<string, Promise<boolean>>();
  const once = (image: string): Promise<boolean> => {
    let p = asked.get(image);
    if (!p) { p = exists(image); asked.set(image, p); p.catch(() => undefined); }
    return p;
  };
  return Promise.all(cells.map(async (cell) => {
    const suite = kitchen.suites.find((s) => s.name === cell.suite)!;
    const platform = kitchen.platforms.find((p) => p.name === cell.platform)!;
    const pidOneCommand = suite.pidOneCommand ?? platform.pidOneCommand;
    return { cell, availability: await platformAvailability({ ...platform, ...(pidOneCommand ? { pidOneCommand } : {}) }, once) };
  }));
}

/** Whether a planned cell runs: its image is here (or the runtime did not say: the cell's own test then reports what is wrong). */
export function cellRuns(p: PlannedCell): boolean {
  return p.availability.status === 'present' || p.availability.status === 'unknown';
}

/** The skipped event of a cell that does not run. */
export function skippedEvent(p: PlannedCell): Extract<MatrixEvent, { kind: 'skipped' }> {
  const a = p.availability;
  const reason = a.status === 'buildable' ? `${a.reason}: \`${a.build!.command}\` builds it` : a.reason ?? `${a.image} is not available`;
  return { kind: 'skipped', reason, image: a.image, ...(a.build ? { build: a.build.command } : {}) };
}

/** What the machine has free, for {@link defaultConcurrency}. */
export interface HostCapacity { cpus: number; loadAverage: number; freeMemoryBytes: number }

/** Memory one cell needs: its `cloche test` process (the model of the cookbooks) and its container's converge. */
export const CELL_MEMORY_BYTES = 1024 ** 3;

/**
 * How many cells to run at once when `--concurrency` is not given: one per idle CPU (the CPUs less
 * the load average, rounded), no more than free memory holds at {@link CELL_MEMORY_BYTES} each,
 * no more than there are cells, and at least 1.
 */
export function defaultConcurrency(host: HostCapacity, cells: number): number {
  const idleCpus = Math.round(host.cpus - host.loadAverage);
  const byMemory = Math.floor(host.freeMemoryBytes / CELL_MEMORY_BYTES);
  return Math.max(1, Math.min(idleCpus, byMemory, cells));
}

const VERDICTS: CellVerdict[] = ['passed', 'failed', 'incomplete', 'not-idempotent', 'error', 'skipped'];

/** Counts of the results by verdict (every verdict present, 0 when none). */
export function countVerdicts(results: readonly CellResult[]): VerdictCounts {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as VerdictCounts;
  for (const r of results) counts[r.verdict]++;
  return counts;
}

/** Why a test did not pass, from its report, in a sentence. */
function reasonOf(report: ConvergeReport): string | undefined {
  const where = (f: { resource: string; location: { file: string; line: number } }) => `${f.resource} (${f.location.file}:${f.location.line})`;
  if (!report.result.ok) {
    const { resource, message } = report.result;
    return resource && !message.startsWith(resource) ? `${resource}: ${message}` : message;
  }
  if (report.verdict === 'not-idempotent') {
    const o = report.idempotence?.offenders ?? [];
    return `${o.length} step${o.length === 1 ? '' : 's'} would change again: ${o.map(where).join(', ')}`;
  }
  if (report.verdict === 'incomplete') {
    if (report.notApplied.length) return `${report.notApplied.length} unknown step${report.notApplied.length === 1 ? '' : 's'} not applied: ${report.notApplied.map((f) => `${where(f)}: ${f.reason}`).join('; ')}`;
    const u = report.idempotence?.undecided ?? [];
    return `the idempotence check could not decide: ${u.map((f) => `${where(f)}: ${f.reason}`).join('; ')}`;
  }
  return undefined;
}

/** The last lines a failed `cloche test` wrote to stderr, without its `cloche test:` prefix and notes. */
function stderrReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^cloche: (note|warning):/.test(l));
  const start = lines.findIndex((l) => l.startsWith('cloche test: '));
  const picked = (start >= 0 ? lines.slice(start) : lines.slice(-3)).join(' ').replace(/^cloche test: /, '');
  return picked ? (picked.length > 600 ? `${picked.slice(0, 600)}…` : picked) : undefined;
}

/** A ran cell's result from its test's exit code, its report (the last jsonl line, if any) and its stderr. */
export function cellResultOf(cell: MatrixCell, run: { exitCode: number | null; report?: ConvergeReport; stderr: string; durationMs: number; image?: string }): CellResult {
  const base = { ...cell, durationMs: run.durationMs, ...(run.image ? { image: run.image } : {}) };
  const r = run.report;
  if (!r) {
    const why = stderrReason(run.stderr) ?? (run.exitCode === null ? 'its test was killed' : `its test exited ${run.exitCode} without a report`);
    return { ...base, verdict: 'error', reason: why };
  }
  const verdict: CellVerdict = r.verdict === 'converged' ? 'passed' : r.verdict;
  const result: CellResult = { ...base, verdict, changed: r.summary.applied, image: r.target.image || run.image, convergeMs: r.timings.totalMs };
  if (r.idempotence) result.idempotenceMs = r.idempotence.planMs;
  const reason = verdict === 'passed' ? undefined : reasonOf(r);
  if (reason) result.reason = reason;
  return result;
}

/**
 * The matrix's exit code: 0 when at least one cell ran and every cell that ran passed (skipped
 * cells are warned about, and fail only with `strict`); 1 when a cell failed, was incomplete, not
 * idempotent or could not run its test, when a cell was not run for want of a host (`notRun`),
 * when nothing ran at all, or when `strict` and a cell was skipped.
 */
export function matrixExitCode(results: readonly CellResult[], strict: boolean): number {
  const c = countVerdicts(results);
  if (c.failed || c.incomplete || c['not-idempotent'] || c.error) return 1;
  if (results.some((r) => r.notRun)) return 1;
  if (c.passed === 0) return 1;
  return strict && c.skipped ? 1 : 0;
}
