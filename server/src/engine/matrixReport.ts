/**
 * `cloche test --matrix` for people: one line per cell state change (started, skipped, its
 * verdict), and a summary table at the end (suite, platform, verdict, duration, steps changed,
 * and why a cell did not pass). The cookbook's names are shown with control characters escaped.
 * With `--host`, the lines and the table name each cell's host, and a line per host follows.
 */
import { countVerdicts, type CellResult, type CellVerdict, type HostSummary, type MatrixCell, type MatrixEvent } from './matrix';

/** Control characters as escapes, so a suite name cannot move the cursor or colour the terminal. */
export const plain = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => JSON.stringify(c).slice(1, -1));

/** Seconds with one decimal (`12.3 s`). */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

const WORD: Record<CellVerdict, string> = {
  passed: 'passed', failed: 'FAILED', incomplete: 'INCOMPLETE', 'not-idempotent': 'NOT IDEMPOTENT', error: 'ERROR', skipped: 'skipped',
};

/** `default on debian-12`. */
export function cellName(cell: MatrixCell): string {
  return `${plain(cell.suite)} on ${plain(cell.platform)}`;
}

/** The text line of a state change (newline included), or undefined for events that are not one (queued, converge progress, stderr). */
export function eventLine(cell: MatrixCell, event: MatrixEvent): string | undefined {
  switch (event.kind) {
    case 'started': return `start    ${cellName(cell)} (${plain(event.image)})${event.host ? ` on host ${plain(event.host)}` : ''}\n`;
    case 'skipped': return `skip     ${cellName(cell)}: ${plain(event.reason)}\n`;
    case 'finished': {
      const r = event.result;
      if (r.notRun) return `not run  ${cellName(cell)}: ${plain(r.reason ?? 'no host left')}\n`;
      if (r.verdict === 'skipped') return undefined; // its skipped line said it
      const changed = r.changed === undefined ? '' : `, ${r.changed} changed`;
      const host = r.host ? `, host ${plain(r.host)}` : '';
      return `${WORD[r.verdict].padEnd(8)} ${cellName(cell)} (${seconds(r.durationMs)}${changed}${host})${r.reason ? `: ${plain(r.reason)}` : ''}\n`;
    }
    default: return undefined;
  }
}

/** The summary table and a closing line of counts; a `host` column when a cell ran on a `--host`. */
export function summaryTable(results: readonly CellResult[], opts: { durationMs: number; concurrency: number }): string {
  const hosts = results.some((r) => r.host);
  const rows = results.map((r) => [plain(r.suite), plain(r.platform), ...(hosts ? [r.host ? plain(r.host) : '-'] : []), r.notRun ? 'not run' : r.verdict,
    r.verdict === 'skipped' ? '-' : seconds(r.durationMs), r.changed === undefined ? '-' : String(r.changed), r.reason ? plain(r.reason) : '']);
  const head = ['suite', 'platform', ...(hosts ? ['host'] : []), 'verdict', 'duration', 'changed', 'why'];
  const all = [head, ...rows];
  const width = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const right = new Set(hosts ? [4, 5] : [3, 4]);
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : right.has(i) ? cell.padStart(width[i]) : cell.padEnd(width[i]))).join('  ').trimEnd();
  const c = countVerdicts(results);
  const counts = (Object.entries(c) as [CellVerdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(', ');
  return `${all.map(line).join('\n')}\n${results.length} cell${results.length === 1 ? '' : 's'}: ${counts} in ${seconds(opts.durationMs)} (concurrency ${opts.concurrency})\n`;
}

/** One `--host` after the table: `host unix:///x.sock: up, 2 CPUs, 23.5 GiB, 0 containers running at the start; 2 at once, 3 cells`. */
export function hostLine(h: HostSummary): string {
  const machine = h.cpus === undefined ? '' : `, ${h.cpus} CPU${h.cpus === 1 ? '' : 's'}, ${((h.memoryBytes ?? 0) / 1024 ** 3).toFixed(1)} GiB, ` +
    `${h.runningContainers} container${h.runningContainers === 1 ? '' : 's'} running at the start`;
  const why = h.reason ? ` (${plain(h.reason)})` : '';
  return `host ${plain(h.name)}: ${h.state}${why}${machine}; ${h.slots} at once, ${h.cells} cell${h.cells === 1 ? '' : 's'}`;
}
