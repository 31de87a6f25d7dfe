/**
 * What the cookbook's author switched off, in the file itself: `# cloche:disable-next-line CODE`,
 * `# cloche:disable-line CODE` (a trailing comment), `# cloche:disable CODE` … `# cloche:enable CODE`
 * in Ruby files (read from prism's comment list, never from strings that look like comments), and the
 * same words in ERB comment tags (`<%# cloche:disable-next-line CODE %>`). Without a code a directive
 * covers every code; several codes are separated by commas; ` -- why` after them is a note for people.
 * `applyPolicy` (diagnosticPolicy.ts) applies them with the severities of settings and `.cloche.json`.
 */
import type { SourceLocation } from '../protocol';
import type { ParsedRuby } from '../ruby/prism';

export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable' | 'enable';

export interface Directive {
  kind: DirectiveKind;
  /** The codes it names, each with where it is written; empty: every code. */
  codes: { code: string; loc: SourceLocation }[];
  /** 1-based line of the comment. */
  line: number;
  /**
   * The line a line directive covers: a trailing `disable-line`'s own; a `disable-next-line`'s next
   * line that is not only a comment (so directives and notes can stack above one line).
   */
  target: number;
  /** Where the comment's text is (0-based line and UTF-16 columns of the directive's words), for edits that add a code. */
  codesAt: { line: number; start: number; end: number };
}

const DIRECTIVE = /^\s*cloche:(disable-next-line|disable-line|disable|enable)(?=\s|$)/;

/** A comment's text (after `#` or `<%#`) as a directive, positions relative to the comment's first character. */
function parseDirective(body: string): { kind: DirectiveKind; codes: { code: string; at: number }[]; end: number; start: number } | undefined {
  const m = DIRECTIVE.exec(body);
  if (!m) return undefined;
  const start = m[0].length;
  const note = body.indexOf(' --', start);
  const list = body.slice(start, note < 0 ? undefined : note);
  const codes: { code: string; at: number }[] = [];
  for (const t of list.matchAll(/[^\s,]+/g)) codes.push({ code: t[0], at: start + t.index! });
  const last = codes[codes.length - 1];
  return { kind: m[1] as DirectiveKind, codes, start, end: last ? last.at + last.code.length : start };
}

/** The directives of a Ruby file, from its `#` comments (`=begin` blocks are not directives). */
export function rubyDirectives(parsed: ParsedRuby, file: string): Directive[] {
  const text = parsed.text;
  if (!text.includes('cloche:')) return [];
  const lines = text.split('\n');
  const commentOnly = new Set<number>();
  const found: { line: number; col: number; body: string }[] = [];
  for (const c of parsed.comments) {
    const pos = parsed.lines.position(c.startOffset);
    const lineText = lines[pos.line] ?? '';
    if (lineText[pos.character] !== '#') continue;
    const body = lineText.slice(pos.character + 1).replace(/\r$/, '');
    if (!lineText.slice(0, pos.character).trim()) commentOnly.add(pos.line);
    if (body.includes('cloche:')) found.push({ line: pos.line, col: pos.character + 1, body });
  }
  return found.flatMap((f) => directiveAt(f, commentOnly, lines.length, file));
}

/** The directives of an ERB template, from its comment tags `<%# … %>`. */
export function erbDirectives(text: string, file: string): Directive[] {
  if (!text.includes('cloche:')) return [];
  const lines = text.split('\n');
  const commentOnly = new Set<number>();
  lines.forEach((l, i) => { if (/^\s*<%#(?:(?!%>).)*%>\s*$/.test(l)) commentOnly.add(i); });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const found: { line: number; col: number; body: string }[] = [];
  for (const m of text.matchAll(/<%#([^]*?)-?%>/g)) {
    if (!m[1].includes('cloche:')) continue;
    const at = m.index! + 3;
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= at) line++;
    // A directive is one line: what a multi-line comment says past its first line is a note.
    found.push({ line, col: at - lineStarts[line], body: m[1].split('\n')[0] });
  }
  return found.flatMap((f) => directiveAt(f, commentOnly, lines.length, file));
}

function directiveAt(f: { line: number; col: number; body: string }, commentOnly: Set<number>, lineCount: number, file: string): Directive[] {
  const d = parseDirective(f.body);
  if (!d) return [];
  let target = f.line;
  if (d.kind === 'disable-next-line') { target = f.line + 1; while (commentOnly.has(target) && target < lineCount) target++; }
  const loc = (at: number, length: number): SourceLocation => ({ file, line: f.line + 1, column: f.col + at + 1, endLine: f.line + 1, endColumn: f.col + at + length + 1 });
  return [{
    kind: d.kind,
    codes: d.codes.map((c) => ({ code: c.code, loc: loc(c.at, c.code.length) })),
    line: f.line + 1,
    target: target + 1,
    codesAt: { line: f.line, start: f.col + d.start, end: f.col + d.end },
  }];
}

/** Whether the directives switch `code` off on a 1-based line. */
export function isSuppressed(directives: readonly Directive[], code: string, line: number): boolean {
  const names = (d: Directive) => !d.codes.length || d.codes.some((c) => c.code === code);
  let off = false;
  for (const d of directives) {
    if ((d.kind === 'disable-next-line' || d.kind === 'disable-line') && d.target === line && names(d)) return true;
    // Ranges in file order: the last `disable`/`enable` naming the code at or above the line decides.
    if ((d.kind === 'disable' || d.kind === 'enable') && d.line <= line && names(d)) off = d.kind === 'disable';
  }
  return off;
}

/** The comment that switches codes off, in the syntax of the file (Ruby, or an ERB comment tag). */
export function directiveComment(kind: DirectiveKind, codes: string[], erb: boolean): string {
  const text = `cloche:${kind}${codes.length ? ' ' + codes.join(', ') : ''}`;
  return erb ? `<%# ${text} %>` : `# ${text}`;
}

/** Whether a file's comments can hold directives: Ruby files and ERB templates. */
export function directiveSyntax(file: string): 'ruby' | 'erb' | undefined {
  if (file.endsWith('.rb') || /(^|[\\/])(Berksfile|Policyfile)$/.test(file)) return 'ruby';
  if (file.endsWith('.erb')) return 'erb';
  return undefined;
}
