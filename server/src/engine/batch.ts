/**
 * Apply batches: several steps' scripts (and optionally the next probe) in ONE exec.
 *
 * Each item runs as `timeout -k 5 T sh -c SCRIPT`, fed its own stdin slice with `head -c N`
 * (which reads exactly N bytes from the shared stdin), between `begin`/`end` marker lines that
 * carry its exit code and its duration measured inside the container. The batch stops at the
 * first failing item, so nothing runs after a failure — as in Chef.
 */
import { shQuote } from '../containers/driver';
import type { ApplyScript } from './types';

/** One script of a batch. */
export interface BatchItem { apply: ApplyScript; timeoutSec: number; prelude?: string }

/** A parsed item result. */
export interface BatchResult { index: number; code: number; ms: number; skipped?: string }

/** Builds the batch script and its stdin. `probe` (a probe script) runs after all items succeeded. */
export function buildBatch(items: BatchItem[], marker: string, probe?: string): { script: string; stdin: string } {
  // One clock read per item: an item's end is the next one's start (`date` is a process each time).
  const parts: string[] = items.length ? ['_t0=$(date +%s%N)'] : [];
  let stdin = '';
  items.forEach((it, i) => {
    const data = it.apply.stdin ?? '';
    const n = Buffer.byteLength(data);
    stdin += data;
    const body = it.prelude ? `${it.prelude}\n${it.apply.script}` : it.apply.script;
    const run = `timeout -k 5 ${it.timeoutSec} sh -c ${shQuote(body)}`;
    parts.push(
      `echo "${marker}:begin ${i}"`,
      n > 0 ? `head -c ${n} | ${run}` : `${run} </dev/null`,
      '_rc=$?',
      '_t1=$(date +%s%N)',
      `echo "${marker}:end ${i} $_rc $(( (_t1 - _t0) / 1000000 ))"`,
      '_t0=$_t1',
      '[ $_rc -eq 0 ] || exit $_rc',
    );
  });
  if (probe) parts.push(`echo "${marker}:probe"`, `(\n${probe}\n)`);
  return { script: parts.join('\n'), stdin };
}

/** Reads the item results from the batch's stdout (items that never ended are absent). */
export function parseBatch(stdout: string, marker: string): BatchResult[] {
  const out: BatchResult[] = [];
  for (const line of stdout.split('\n')) {
    const end = new RegExp(`^${marker}:end (\\d+) (\\d+) (-?\\d+)$`).exec(line);
    if (end) out.push({ index: Number(end[1]), code: Number(end[2]), ms: Number(end[3]) });
    const skip = line.startsWith(`${marker}:skip `) ? line.slice(marker.length + 6) : undefined;
    if (skip !== undefined) {
      const last = /^(\d+) (.*)$/.exec(skip);
      if (last) out.push({ index: Number(last[1]), code: 0, ms: 0, skipped: last[2] });
    }
  }
  // A skipped item also prints its `end` line (exit 0): keep the skip, drop the duplicate.
  return out.filter((r, i) => r.skipped !== undefined || !out.some((o, j) => j !== i && o.index === r.index && o.skipped !== undefined));
}

/** Whether a stdout line is batch bookkeeping (hidden from the user's output). */
export function isMarkerLine(line: string, marker: string): boolean {
  return line.startsWith(marker);
}
