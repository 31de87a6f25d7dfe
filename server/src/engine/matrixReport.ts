/**
 * `cloche test --matrix` for people: one line per cell state change (started, skipped, its
 * verdict), and a summary table at the end (suite, platform, verdict, duration, steps changed,
 * and why a cell did not pass). The cookbook's names are shown with control characters escaped.
 */
import { countVerdicts, type CellResult, type CellVerdict, type MatrixCell, type MatrixEvent } from './matrix';

/** Control characters as escapes, so a suite name cannot move the cursor or colour the terminal. */
const plain = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => JSON.stringify(c).slice(1, -1));

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
    case 'started': return `start    ${cellName(cell)} (${plain(event.image)})\n`;
    case 'skipped': return `skip     ${cellName(cell)}: ${plain(event.reason)}\n`;
    case 'finished': {
      const r = event.result;
      if (r.verdict === 'skipped') return undefined; // its skipped line said it
      const changed = r.changed === undefined ? '' : `, ${r.changed} changed`;
      return `${WORD[r.verdict].padEnd(8)} ${cellName(cell)} (${seconds(r.durationMs)}${changed})${r.reason ? `: ${plain(r.reason)}` : ''}\n`;
    }
    default: return undefined;
  }
}

/** The summary table and a closing line of counts. */
export function summaryTable(results: readonly CellResult[], opts: { durationMs: number; concurrency: number }): string {
  const rows = results.map((r) => [plain(r.suite), plain(r.platform), r.verdict, r.verdict === 'skipped' ? '-' : seconds(r.durationMs),
    r.changed === undefined ? '-' : String(r.changed), r.reason ? plain(r.reason) : '']);
  const head = ['suite', 'platform', 'verdict', 'duration', 'changed', 'why'];
  const all = [head, ...rows];
  const width = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const right = new Set([3, 4]);
  const line = (row: string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : right.has(i) ? cell.padStart(width[i]) : cell.padEnd(width[i]))).join('  ').trimEnd();
  const c = countVerdicts(results);
  const counts = (Object.entries(c) as [CellVerdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`).join(', ');
  return `${all.map(line).join('\n')}\n${results.length} cell${results.length === 1 ? '' : 's'}: ${counts} in ${seconds(opts.durationMs)} (concurrency ${opts.concurrency})\n`;
}
