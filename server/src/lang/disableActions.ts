/**
 * "Disable CODE for this line" and "Disable CODE in this file" for every Cloche finding of a Ruby
 * file or an ERB template: a `cloche:disable-next-line` comment above the line (with its indentation;
 * added to one already there), or a `cloche:disable` comment at the top of the file (after a shebang
 * and magic comments; added to one already there). Never inside a string or heredoc that spans
 * lines, where a comment line would become text.
 */
import type { Action, DiagnosticRef, TextChange } from './codeActions';
import type { FileView } from './types';
import { type Directive, directiveComment, directiveSyntax, erbDirectives, rubyDirectives } from '../chef/suppression';
import { type ParsedRuby, sliceSource } from '../ruby/prism';
import { walk, type PrismNode } from './syntax';

/** Findings a comment should not hide: a file that does not parse is not read past the error anyway. */
const NOT_DISABLED = new Set(['syntax-error', 'invalid-config']);

/** The two disable actions of each finding (once per code and line). */
export function disableActions(view: FileView, diagnostics: DiagnosticRef[]): Action[] {
  const syntax = directiveSyntax(view.file);
  if (!syntax) return [];
  const erb = syntax === 'erb';
  const directives = erb ? erbDirectives(view.text, view.file) : view.parsed ? rubyDirectives(view.parsed, view.file) : [];
  const lines = view.text.split('\n');
  const eol = view.text.includes('\r\n') ? '\r\n' : '\n';
  const out: Action[] = [];
  const seen = new Set<string>();
  for (const d of diagnostics) {
    const code = typeof d.code === 'string' ? d.code : undefined;
    if (!code || NOT_DISABLED.has(code)) continue;
    const line = d.span.start.line;
    if (line >= lines.length) continue;
    const forLine = lineChange(view, lines, line, code, directives, erb, eol);
    if (forLine && !seen.has(`line:${line}:${code}`)) {
      seen.add(`line:${line}:${code}`);
      out.push({ title: `Disable ${code} for this line`, kind: 'quickfix', diagnostic: d, changes: [forLine] });
    }
    if (!seen.has(`file:${code}`)) {
      seen.add(`file:${code}`);
      out.push({ title: `Disable ${code} in this file`, kind: 'quickfix', diagnostic: d, changes: [fileChange(view, lines, code, directives, erb, eol)] });
    }
  }
  return out;
}

/** The comment above a line (or the code added to the one there), unless the line is inside multi-line text. */
function lineChange(view: FileView, lines: string[], line: number, code: string, directives: Directive[], erb: boolean, eol: string): TextChange | undefined {
  const above = directives.find((x) => x.kind === 'disable-next-line' && x.target === line + 1 && x.codes.length > 0);
  if (above) return addCode(view, above, code);
  if (!erb && view.parsed && insideMultiLineText(view.parsed, line)) return undefined;
  const indent = /^[ \t]*/.exec(lines[line])![0];
  return { file: view.file, span: at(line, 0), newText: indent + directiveComment('disable-next-line', [code], erb) + eol };
}

/** The file-wide comment at the top (or the code added to the top one there). */
function fileChange(view: FileView, lines: string[], code: string, directives: Directive[], erb: boolean, eol: string): TextChange {
  // The comment lines before the first line of code: a file-wide directive there takes the code.
  let head = 0;
  while (head < lines.length && isCommentOrBlank(lines[head], erb)) head++;
  const top = directives.find((x) => x.kind === 'disable' && x.codes.length > 0 && x.line <= head);
  if (top) return addCode(view, top, code);
  // A shebang, an encoding or frozen-string-literal comment stays first, as Ruby requires.
  let line = 0;
  if (!erb) while (line < lines.length && /^(#!|#\s*(-\*-|(en)?coding[:=]|frozen_string_literal:|warn_indent:|shareable_constant_value:))/.test(lines[line])) line++;
  return { file: view.file, span: at(line, 0), newText: directiveComment('disable', [code], erb) + eol };
}

function addCode(view: FileView, d: Directive, code: string): TextChange {
  return { file: view.file, span: at(d.codesAt.line, d.codesAt.end), newText: `, ${code}` };
}

function isCommentOrBlank(line: string, erb: boolean): boolean {
  const t = line.trim();
  return !t || (erb ? /^<%#(?:(?!%>).)*%>$/.test(t) : t.startsWith('#'));
}

const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });

const TEXT_NODES = new Set(['StringNode', 'InterpolatedStringNode', 'XStringNode', 'InterpolatedXStringNode', 'RegularExpressionNode', 'InterpolatedRegularExpressionNode', 'SymbolNode', 'InterpolatedSymbolNode']);

/**
 * Whether a line starts inside text that spans lines: a string, heredoc body, regexp or `%w[]`/`%i[]`
 * list (a heredoc's body is outside its node's own location: its content and closing locations count).
 */
export function insideMultiLineText(parsed: ParsedRuby, line: number): boolean {
  const offset = parsed.lines.byteOffsetAt({ line, character: 0 });
  let inside = false;
  walk(parsed.tree, (n: PrismNode) => {
    if (inside) return;
    const kind = n.constructor?.name;
    const words = kind === 'ArrayNode' && /^%[wWiI]/.test(openingText(parsed, n));
    if (!TEXT_NODES.has(kind) && !words) return;
    const locs = [n.location, n.openingLoc, n.contentLoc, n.closingLoc].filter((l) => l && typeof l.startOffset === 'number');
    const start = Math.min(...locs.map((l) => l.startOffset));
    const end = Math.max(...locs.map((l) => l.startOffset + l.length));
    if (start < offset && offset < end) inside = true;
  });
  return inside;
}

function openingText(parsed: ParsedRuby, n: PrismNode): string {
  return n.openingLoc ? sliceSource(parsed, n.openingLoc) : '';
}
