/**
 * Maps prism's UTF-8 byte offsets to LSP positions (0-based line, UTF-16 character) and back.
 * Pure ASCII text (the common case) takes a fast path with no per-byte table.
 */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  /** Byte offset where each line starts. */
  private readonly lineStarts: number[] = [0];
  /** UTF-16 offset for each byte offset, only when the text is not pure ASCII. */
  private readonly utf16AtByte?: Uint32Array;
  private readonly utf16LineStarts: number[] = [0];
  readonly byteLength: number;

  constructor(readonly text: string) {
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) > 0x7f) { ascii = false; break; }
    }
    if (ascii) {
      this.byteLength = text.length;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) === 10) { this.lineStarts.push(i + 1); this.utf16LineStarts.push(i + 1); }
      }
      return;
    }
    const table: number[] = [];
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let b = 0; b < bytes; b++) table.push(i);
      byte += bytes;
      if (code > 0xffff) i++;
      if (code === 10) { this.lineStarts.push(byte); this.utf16LineStarts.push(i + 1); }
    }
    table.push(text.length);
    this.byteLength = byte;
    this.utf16AtByte = Uint32Array.from(table);
  }

  /** UTF-16 offset of a byte offset. */
  utf16Offset(byteOffset: number): number {
    const clamped = Math.max(0, Math.min(byteOffset, this.byteLength));
    return this.utf16AtByte ? this.utf16AtByte[clamped] : clamped;
  }

  /** LSP position (0-based line, UTF-16 character) of a byte offset. */
  position(byteOffset: number): Position {
    const clamped = Math.max(0, Math.min(byteOffset, this.byteLength));
    const line = upperBound(this.lineStarts, clamped) - 1;
    return { line, character: this.utf16Offset(clamped) - this.utf16LineStarts[line] };
  }

  /** UTF-16 offset of an LSP position. */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.utf16LineStarts.length) return this.text.length;
    const start = this.utf16LineStarts[pos.line];
    const end = pos.line + 1 < this.utf16LineStarts.length ? this.utf16LineStarts[pos.line + 1] : this.text.length;
    return Math.min(start + Math.max(0, pos.character), end);
  }

  /** Byte offset of an LSP position. */
  byteOffsetAt(pos: Position): number {
    const target = this.offsetAt(pos);
    if (!this.utf16AtByte) return target;
    // The byte table is monotonic: binary search the first byte whose UTF-16 offset reaches the target.
    let lo = 0, hi = this.byteLength;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.utf16AtByte[mid] < target) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

function upperBound(sorted: number[], value: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
  }
  return lo;
}
