/**
 * Plain data the language features take and return. Positions are 0-based with UTF-16 characters,
 * as in LSP, so adapters pass them through unchanged; nothing here imports an LSP library.
 */
import type { SourceLocation } from '../protocol';
import type { Model } from '../chef/model';
import type { PlatformFacts } from '../chef/platforms';
import type { ParsedRuby } from '../ruby/prism';
import type { CookbookAnalysis } from '../analysis';

export interface Pos { line: number; character: number }
export interface Span { start: Pos; end: Pos }
export interface Place { file: string; span: Span }

/** One file as the features see it: its text, its parse (Ruby files), and its cookbook's analysis. */
export interface FileView {
  file: string;
  text: string;
  /** The prism parse, for `.rb` files. */
  parsed?: ParsedRuby;
  /** The analysis of the file's cookbook (undefined outside cookbooks). */
  analysis?: CookbookAnalysis;
  model: Model;
  facts: PlatformFacts;
}

/** A core location (1-based) as a 0-based span; a missing end is the start. */
export function spanOf(loc: SourceLocation): Span {
  const start = { line: Math.max(0, loc.line - 1), character: Math.max(0, loc.column - 1) };
  const end = loc.endLine !== undefined ? { line: Math.max(0, loc.endLine - 1), character: Math.max(0, (loc.endColumn ?? loc.column) - 1) } : start;
  return { start, end };
}

/** A core location as a place. */
export function placeOf(loc: SourceLocation): Place {
  return { file: loc.file, span: spanOf(loc) };
}

/** Whether a 0-based position lies within a core location (inclusive of its end). */
export function contains(loc: SourceLocation | undefined, pos: Pos): boolean {
  if (!loc) return false;
  const s = spanOf(loc);
  return before(s.start, pos) && before(pos, s.end);
}

/** a ≤ b */
export function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}
