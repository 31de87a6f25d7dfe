/**
 * File content diffs for plan steps: a real unified diff (the `diff` package), bounded in size,
 * and never for `sensitive` resources.
 */
import { createTwoFilesPatch } from 'diff';

/** Diffs longer than this many lines are cut (the step still says the content changes). */
const MAX_DIFF_LINES = 400;

/**
 * Unified diff from `before` (undefined: the file does not exist) to `after`; undefined when the
 * contents are equal. Headers name the path as `a/…`/`b/…` like git does, for familiar reading.
 */
export function contentDiff(path: string, before: string | undefined, after: string): string | undefined {
  if (before === after) return undefined;
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a${path}`, `b${path}`, before ?? '', after, undefined, undefined, { context: 3 });
  // Drop the `====` banner line createTwoFilesPatch starts with; keep ---/+++ and hunks.
  const lines = patch.split('\n').filter((l, i) => !(i === 0 && /^=+$/.test(l)));
  if (lines.length > MAX_DIFF_LINES) return [...lines.slice(0, MAX_DIFF_LINES), `… (${lines.length - MAX_DIFF_LINES} more lines)`].join('\n');
  return lines.join('\n').replace(/\n+$/, '\n');
}

/** What a sensitive resource shows instead of content. */
export const SENSITIVE = '(sensitive: content hidden)';
