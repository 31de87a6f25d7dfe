/**
 * Quick fixes and rewrites: did-you-mean for resource types, properties, actions and notification
 * targets; create a missing template or cookbook_file; turn a string guard into a block guard when the
 * command is a plain file test that Ruby can answer the same way.
 */
import * as path from 'node:path';
import type { FileView, Span, Pos } from './types';
import { contains } from './types';
import { suggest } from '../chef/catalog/catalog';
import { declsIn } from './syntax';

/** A diagnostic as the client sent it back (code and range are what matter). */
export interface DiagnosticRef { code?: string | number; message: string; span: Span }

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

/** Replaces the misspelt word (quoted in the message) with each suggestion the message names. */
function didYouMean(view: FileView, d: DiagnosticRef): Action[] {
  const wrong = d.code === 'unknown-action' ? /action :(\w+)/.exec(d.message)?.[1] : /'([^']+)'/.exec(d.message)?.[1];
  const suggestions = [...d.message.matchAll(/Did you mean (.*)\?/g)].flatMap((m) => [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
  if (!wrong || !suggestions.length) return [];
  const line = view.text.split('\n')[d.span.start.line] ?? '';
  const at = findWord(line, wrong, d.span.start.character);
  if (at < 0) return [];
  const span = { start: { line: d.span.start.line, character: at }, end: { line: d.span.start.line, character: at + wrong.length } };
  return suggestions.map((s, i) => ({ title: `Change '${wrong}' to '${s}'`, kind: 'quickfix', diagnostic: d, preferred: i === 0, changes: [{ file: view.file, span, newText: s }] }));
}

function findWord(line: string, word: string, from: number): number {
  const re = new RegExp(`(?<![\\w])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'g');
  let best = -1;
  for (const m of line.matchAll(re)) if (best < 0 || (m.index! >= from && best < from)) best = m.index!;
  return best;
}

/** A dangling target: offer the declared resources with a close id. */
function otherTargets(view: FileView, d: DiagnosticRef): Action[] {
  const n = declsIn(view).flatMap((r) => r.notifications).find((x) => x.targetLoc && contains(x.targetLoc, d.span.start));
  if (!n || !n.targetLoc) return [];
  const ids = new Set((view.analysis?.compilation?.resources ?? []).map((r) => r.id));
  const line = view.text.split('\n')[n.targetLoc.line - 1] ?? '';
  const quote = line[n.targetLoc.column - 1] === '"' ? '"' : "'";
  const sameType = [...ids].filter((id) => n.targetType && id.startsWith(n.targetType + '['));
  const close = suggest(n.target, ids);
  const picks = [...new Set([...close, ...(close.length ? [] : sameType.slice(0, 3))])];
  const span = { start: { line: n.targetLoc.line - 1, character: n.targetLoc.column - 1 }, end: { line: (n.targetLoc.endLine ?? n.targetLoc.line) - 1, character: (n.targetLoc.endColumn ?? n.targetLoc.column) - 1 } };
  return picks.map((id, i) => ({ title: `Notify ${id} instead`, kind: 'quickfix', diagnostic: d, preferred: i === 0, changes: [{ file: view.file, span, newText: quote + id + quote }] }));
}

/** Creates the missing source file in the cookbook's templates/ or files/ (in `default/` when the cookbook uses it). */
function createMissing(view: FileView, d: DiagnosticRef): Action[] {
  const name = /'([^']+)'/.exec(d.message)?.[1];
  const cb = view.model.ws.cookbookOf(view.file);
  if (!name || !cb || name.includes('..')) return [];
  const kind = d.code === 'missing-template' ? 'templates' : 'files';
  const existing = kind === 'templates' ? cb.files.templates : cb.files.files;
  const legacy = existing.some((f) => f.startsWith(path.join(cb.dir, kind, 'default') + path.sep));
  const file = path.join(cb.dir, kind, legacy ? 'default' : '', name);
  return [{ title: `Create ${path.relative(cb.dir, file)}`, kind: 'quickfix', diagnostic: d, changes: [], create: { file, content: kind === 'templates' ? `# Rendered by Chef from ${path.basename(view.file)}\n` : '' } }];
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
