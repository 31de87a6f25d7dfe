/**
 * The edits that turn a document's text into the text a linter's autocorrect printed, as small as a
 * line diff makes them (the `diff` library), so the editor keeps the cursor, folds and marks outside
 * them; and which of them belong to one offence. Pure.
 */
import { diffLines } from 'diff';
import type { Pos, Span } from '../lang/types';

export interface TextEdit { span: Span; newText: string }

/** Past this the diff gives up and the whole text is replaced (one edit is still correct, only coarser). */
const DIFF_TIMEOUT_MS = 2000;

/** Edits from `before` to `after`, in `before`'s positions, in document order, none overlapping. */
export function editsBetween(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const changes = diffLines(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (!changes) return [{ span: { start: { line: 0, character: 0 }, end: positionAt(lineStarts(before), before.length) }, newText: after }];
  const starts = lineStarts(before);
  const edits: TextEdit[] = [];
  const push = (start: number, end: number, text: string) => {
    // Only what differs within the lines: the cursor and marks elsewhere on them stay put.
    const old = before.slice(start, end);
    let head = 0;
    while (head < old.length && head < text.length && old[head] === text[head]) head++;
    let tail = 0;
    while (tail < old.length - head && tail < text.length - head && old[old.length - 1 - tail] === text[text.length - 1 - tail]) tail++;
    // Never between the halves of a surrogate pair.
    if (head > 0 && isHighSurrogate(old.charCodeAt(head - 1))) head--;
    if (tail > 0 && isHighSurrogate(old.charCodeAt(old.length - tail - 1))) tail--;
    edits.push({ span: { start: positionAt(starts, start + head), end: positionAt(starts, end - tail) }, newText: text.slice(head, text.length - tail) });
  };
  let offset = 0;
  let pending: { start: number; removed: string; added: string } | undefined;
  const flush = () => {
    if (!pending) return;
    const { start, removed, added } = pending;
    pending = undefined;
    const old = splitLines(removed);
    const fresh = splitLines(added);
    // As many lines in as out: line for line (an offence's fix stays apart from its neighbour's).
    if (old.length === fresh.length && old.length > 1) {
      let at = start;
      old.forEach((line, i) => { if (line !== fresh[i]) push(at, at + line.length, fresh[i]); at += line.length; });
    } else push(start, start + removed.length, added);
  };
  for (const c of changes) {
    if (!c.added && !c.removed) { flush(); offset += c.value.length; continue; }
    pending ??= { start: offset, removed: '', added: '' };
    if (c.removed) { pending.removed += c.value; offset += c.value.length; } else pending.added += c.value;
  }
  flush();
  return edits;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Lines with their line breaks. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The edits that touch an offence's lines, or insert at the start of the line after them (where a
 * correction adds a blank line or a closing part); all of them when none does (the correction of that
 * cop is elsewhere).
 */
export function editsFor(edits: readonly TextEdit[], offence: Span): TextEdit[] {
  const first = offence.start.line;
  const last = offence.end.line;
  const near = edits.filter((e) => {
    const { start, end } = e.span;
    if (start.line === last + 1 && start.character === 0 && end.line === start.line && end.character === 0) return true;
    // An edit ending at the start of a line does not touch that line.
    const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
    return start.line <= last && endLine >= first;
  });
  return near.length ? near : [...edits];
}

/** Applies edits made by {@link editsBetween} (or any non-overlapping ones) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const offsetOf = (p: Pos) => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offsetOf(b.span.start) - offsetOf(a.span.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.span.start)) + e.newText + out.slice(offsetOf(e.span.end));
  return out;
}

/** The position of an offset, by binary search over the line starts. */
function positionAt(starts: readonly number[], offset: number): Pos {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}
