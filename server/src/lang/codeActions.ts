/**
 * Quick fixes and rewrites: did-you-mean for resource types, properties, actions and notification
 * targets; create a missing template or cookbook_file; turn a string guard into a block guard when the
 * command is a plain file test that Ruby can answer the same way.
 */
import * as path from 'node:path';
import type { DiagnosticData } from '../protocol';
import type { FileView, Span, Pos } from './types';
import { contains, spanOf } from './types';
import { declsIn } from './syntax';

/** A diagnostic as the client sent it back: its code, range and the rule's `data` (never its message). */
export interface DiagnosticRef { code?: string | number; span: Span; data?: DiagnosticData }

export interface TextChange { file: string; span: Span; newText: string }

export interface Action {
  title: string;
  kind: 'quickfix' | 'refactor.rewrite';
  diagnostic?: DiagnosticRef;
  changes: TextChange[];
  /** A file to create (with its initial content). */
  create?: { file: string; content: string };
  preferred?: boolean;
}

/** Code actions for a range, given the diagnostics the client shows there. */
export function codeActions(view: FileView, range: Span, diagnostics: DiagnosticRef[]): Action[] {
  const out: Action[] = [];
  for (const d of diagnostics) {
    switch (d.code) {
      case 'unknown-resource': case 'unknown-property': case 'unknown-action': out.push(...didYouMean(view, d)); break;
      case 'dangling-notification': out.push(...otherTargets(view, d)); break;
      case 'missing-template': case 'missing-cookbook-file': out.push(...createMissing(view, d)); break;
    }
  }
  out.push(...blockGuards(view, range.start));
  return out;
}

/** The text of a single-line span of the document, or undefined when the span is not on one line. */
function textAt(view: FileView, span: Span): string | undefined {
  if (span.start.line !== span.end.line || span.end.character < span.start.character) return undefined;
  return lineAt(view, span.start.line)?.slice(span.start.character, span.end.character);
}

function lineAt(view: FileView, line: number): string | undefined {
  let at = 0;
  for (let i = 0; i < line; i++) { at = view.text.indexOf('\n', at) + 1; if (at === 0) return undefined; }
  const end = view.text.indexOf('\n', at);
  return view.text.slice(at, end < 0 ? undefined : end);
}

/** Suggestions and the range they replace, when the data is well formed and the range still holds a word. */
function replacement(view: FileView, d: DiagnosticRef): { span: Span; written: string; suggestions: string[] } | undefined {
  const data = d.data;
  if (!data || !Array.isArray(data.suggestions) || !data.replace || typeof data.replace.line !== 'number' || typeof data.replace.column !== 'number') return undefined;
  const suggestions = data.suggestions.filter((x): x is string => typeof x === 'string' && x.length > 0);
  if (typeof data.replace.file === 'string' && path.resolve(data.replace.file) !== view.file) return undefined;
  const span = spanOf(data.replace);
  const written = textAt(view, span);
  if (!suggestions.length || !written) return undefined; // the document changed since the diagnostic was made
  return { span, written, suggestions };
}

/** Replaces the misspelt word with each suggestion of the diagnostic's data. */
function didYouMean(view: FileView, d: DiagnosticRef): Action[] {
  const r = replacement(view, d);
  if (!r || !/^[\w?!]+$/.test(r.written)) return [];
  return r.suggestions.map((s, i) => ({ title: `Change '${r.written}' to '${s}'`, kind: 'quickfix', diagnostic: d, preferred: i === 0, changes: [{ file: view.file, span: r.span, newText: s }] }));
}

/** A dangling target: the declared resources the rule found close to it, quoted as the target was. */
function otherTargets(view: FileView, d: DiagnosticRef): Action[] {
  const r = replacement(view, d);
  if (!r) return [];
  const quote = r.written.startsWith('"') ? '"' : "'";
  return r.suggestions.map((id, i) => ({ title: `Notify ${id} instead`, kind: 'quickfix', diagnostic: d, preferred: i === 0, changes: [{ file: view.file, span: r.span, newText: quote + id + quote }] }));
}

/** Creates the missing source file the rule named (inside the cookbook it belongs to). */
function createMissing(view: FileView, d: DiagnosticRef): Action[] {
  const file = d.data?.create;
  if (typeof file !== 'string' || !path.isAbsolute(file)) return [];
  const cb = view.model.ws.cookbookOf(file);
  const kind = d.code === 'missing-template' ? 'templates' : 'files';
  if (!cb || !path.resolve(file).startsWith(path.join(cb.dir, kind) + path.sep)) return [];
  const own = view.model.ws.cookbookOf(view.file);
  const title = own === cb ? path.relative(cb.dir, file) : `${cb.name}/${path.relative(cb.dir, file)}`;
  return [{ title: `Create ${title}`, kind: 'quickfix', diagnostic: d, changes: [], create: { file, content: kind === 'templates' ? `# Rendered by Chef from ${path.basename(view.file)}\n` : '' } }];
}

const FILE_TESTS: Record<string, string> = { e: 'exist?', f: 'file?', d: 'directory?', L: 'symlink?', h: 'symlink?', x: 'executable?', r: 'readable?', w: 'writable?', s: 'size?' };

/**
 * `not_if 'test -f /x'` → `not_if { ::File.file?('/x') }`. Only plain `test -X path` commands with a
 * literal path and no guard options (user:, cwd:, environment: change what the command sees).
 */
function blockGuards(view: FileView, pos: Pos): Action[] {
  const out: Action[] = [];
  for (const r of declsIn(view)) {
    for (const g of r.guards) {
      if (g.form !== 'string' || !g.command || !contains(g.location, pos)) continue;
      const m = /^\s*(?:test|\[)\s+(!\s+)?-([efdLhxrws])\s+(['"]?)([\w./@%+=:,-]+)\3\s*\]?\s*$/.exec(g.command);
      const line = view.text.split('\n')[g.location.line - 1] ?? '';
      if (!m || /,\s*\w+:/.test(line.slice(g.location.column - 1))) continue;
      const negate = !!m[1];
      const test = `::File.${FILE_TESTS[m[2]]}('${m[4]}')`;
      const start = { line: g.location.line - 1, character: g.location.column - 1 };
      const end = { line: (g.location.endLine ?? g.location.line) - 1, character: (g.location.endColumn ?? g.location.column) - 1 };
      out.push({ title: `Convert to a block guard: ${g.kind} { ${negate ? '!' : ''}${test} }`, kind: 'refactor.rewrite', changes: [{ file: view.file, span: { start, end }, newText: `${g.kind} { ${negate ? '!' : ''}${test} }` }] });
    }
  }
  return out;
}
