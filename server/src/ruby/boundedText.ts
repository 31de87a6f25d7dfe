/**
 * Text built piece by piece that stops growing past a bound. Showing a value (`inspect`, `to_s`,
 * JSON) walks it as Ruby does, every shared element again, so `[a] * 100_000` with a large `a`
 * would print gigabytes; writers stop once past the bound, and a result longer than the bound tells
 * the caller it is too large (core/limits.ts turns that into an unknown). The pieces are joined once
 * at the end: appending to a JavaScript string makes a rope of every piece, which costs far more
 * memory than the text. A leaf module: values.ts uses it.
 */

/** Longest text a writer builds; the same as the longest string a method may return. */
export const TEXT_LIMIT = 1_000_000;

export class BoundedText {
  private readonly pieces: string[] = [];
  private length = 0;
  constructor(readonly limit = TEXT_LIMIT) {}

  /** True once the text is past the bound: writers stop, and the result reads as too large. */
  get full(): boolean { return this.length > this.limit; }

  add(piece: string): void {
    if (this.full) return;
    this.pieces.push(piece);
    this.length += piece.length;
  }

  get text(): string {
    if (this.pieces.length > 1) this.pieces.splice(0, this.pieces.length, this.pieces.join(''));
    return this.pieces[0] ?? '';
  }
}
