/**
 * Quick fixes and rewrites, each from the diagnostic's `data` (never its message): did-you-mean for
 * resource types, properties, actions, notification targets, recipe names and rule codes; a deprecated
 * property's successor; create a missing template (using the resource's variables), cookbook_file or
 * recipe; add a missing `depends` to metadata.rb; go to the other declaration of a duplicate; disable a
 * finding for its line or file (disableActions.ts); turn a string guard into a block guard when the
 * command is a plain file test that Ruby can answer the same way.
 */
import * as path from 'node:path';
import type { DiagnosticData, SourceLocation } from '../protocol';
import type { FileView, Span, Pos } from './types';
import { contains, spanOf } from './types';
import { declsIn } from './syntax';
import { disableActions } from './disableActions';

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
  /** A place to show instead of an edit (the client's reveal command). */
  reveal?: SourceLocation;
  preferred?: boolean;
}

/** Code actions for a range, given the diagnostics the client shows there. */
export function codeActions(view: FileView, range: Span, diagnostics: DiagnosticRef[]): Action[] {
  const out: Action[] = [];
  for (const d of diagnostics) {
    switch (d.code) {
      case 'unknown-resource': case 'unknown-property': case 'unknown-action': out.push(...didYouMean(view, d)); break;
      case 'unknown-rule-code': out.push(...didYouMean(view, d, /^[a-z][\w-]*$/)); break;
      case 'deprecated-property': out.push(...didYouMean(view, d, /^\w+$/, (w, s) => `Replace deprecated '${w}' with '${s}'`)); break;
      case 'dangling-notification': out.push(...otherTargets(view, d)); break;
      case 'missing-template': case 'missing-cookbook-file': out.push(...createMissing(view, d)); break;
      case 'missing-recipe': out.push(...createRecipe(view, d), ...didYouMean(view, d, /^[\w.-]+$/, (w, s) => `Include recipe '${s}' instead of '${w}'`, false)); break;
      case 'dependency-not-in-workspace': out.push(...didYouMean(view, d, /^[\w.-]+$/), ...addDepends(view, d)); break;
      case 'duplicate-resource': out.push(...revealOther(view, d)); break;
    }
  }
  out.push(...disableActions(view, diagnostics));
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

/** Replaces the misspelt word (when it still reads as one) with each suggestion of the diagnostic's data. */
function didYouMean(view: FileView, d: DiagnosticRef, word = /^[\w?!]+$/, title = (w: string, s: string) => `Change '${w}' to '${s}'`, preferFirst = true): Action[] {
  const r = replacement(view, d);
  if (!r || !word.test(r.written)) return [];
  return r.suggestions.filter((s) => word.test(s)).map((s, i) => ({ title: title(r.written, s), kind: 'quickfix', diagnostic: d, preferred: preferFirst && i === 0, changes: [{ file: view.file, span: r.span, newText: s }] }));
}

/** A dangling target: the declared resources the rule found close to it, quoted as the target was. */
function otherTargets(view: FileView, d: DiagnosticRef): Action[] {
  const r = replacement(view, d);
  if (!r) return [];
  const quote = r.written.startsWith('"') ? '"' : "'";
  return r.suggestions.map((id, i) => ({ title: `Notify ${id} instead`, kind: 'quickfix', diagnostic: d, preferred: i === 0, changes: [{ file: view.file, span: r.span, newText: quote + id + quote }] }));
}

/** The file the data names to create, when it lies in the given folder of a cookbook of the workspace; with how to call it. */
function creatable(view: FileView, d: DiagnosticRef, folder: string): { file: string; title: string; cookbook: string } | undefined {
  const file = d.data?.create;
  if (typeof file !== 'string' || !path.isAbsolute(file)) return undefined;
  const cb = view.model.ws.cookbookOf(file);
  if (!cb || !path.resolve(file).startsWith(path.join(cb.dir, folder) + path.sep)) return undefined;
  const own = view.model.ws.cookbookOf(view.file);
  return { file, cookbook: cb.name, title: own === cb ? path.relative(cb.dir, file) : `${cb.name}/${path.relative(cb.dir, file)}` };
}

/** Creates the missing source file the rule named; a template gets a line per variable the resource passes. */
function createMissing(view: FileView, d: DiagnosticRef): Action[] {
  const kind = d.code === 'missing-template' ? 'templates' : 'files';
  const c = creatable(view, d, kind);
  if (!c) return [];
  const own = view.model.ws.cookbookOf(view.file);
  const from = own ? path.relative(own.dir, view.file) : path.basename(view.file);
  const vars = (d.data?.templateVariables ?? []).filter((v) => typeof v === 'string' && /^[A-Za-z_]\w*$/.test(v));
  // An ERB comment alone on its line leaves nothing in the rendered file.
  const content = kind === 'templates' ? `<%# Rendered by Chef for ${from} %>\n${vars.map((v) => `<%= @${v} %>\n`).join('')}` : '';
  return [{ title: `Create ${c.title}`, kind: 'quickfix', diagnostic: d, changes: [], create: { file: c.file, content } }];
}

/** Creates the recipe an include_recipe names, with the header Chef's generator writes. */
function createRecipe(view: FileView, d: DiagnosticRef): Action[] {
  const c = creatable(view, d, 'recipes');
  if (!c || !c.file.endsWith('.rb')) return [];
  const recipe = path.basename(c.file, '.rb');
  return [{ title: `Create recipe ${c.cookbook}::${recipe} (${c.title})`, kind: 'quickfix', diagnostic: d, preferred: true, changes: [],
    create: { file: c.file, content: `#\n# Cookbook:: ${c.cookbook}\n# Recipe:: ${recipe}\n#\n` } }];
}

/** `depends 'x'` in metadata.rb: after the last depends line, else after version, else at the end. */
function addDepends(view: FileView, d: DiagnosticRef): Action[] {
  const want = d.data?.addDepends;
  if (!want || typeof want.name !== 'string' || !/^[\w.-]+$/.test(want.name) || typeof want.metadata !== 'string' || path.basename(want.metadata) !== 'metadata.rb') return [];
  const cb = view.model.ws.cookbookOf(want.metadata);
  const text = view.model.ws.readFile(want.metadata);
  if (!cb || cb.metadataFile !== path.resolve(want.metadata) || text === undefined) return [];
  const lines = text.split('\n');
  const quote = /^\s*depends\s+"/m.test(text) ? '"' : "'";
  const last = (re: RegExp) => lines.reduce((found, l, i) => (re.test(l) ? i : found), -1);
  const after = [last(/^\s*depends\b/), last(/^\s*version\b/)].find((i) => i >= 0);
  const line = `depends ${quote}${want.name}${quote}`;
  // A line of its own after the one found; at the end when there is none (or it is the last, unterminated one).
  const change = after !== undefined && after + 1 < lines.length
    ? { file: want.metadata, span: { start: { line: after + 1, character: 0 }, end: { line: after + 1, character: 0 } }, newText: line + '\n' }
    : { file: want.metadata, span: endOf(lines), newText: (text.endsWith('\n') || !text ? '' : '\n') + line + '\n' };
  return [{ title: `Add depends ${quote}${want.name}${quote} to ${cb.name}'s metadata.rb`, kind: 'quickfix', diagnostic: d, preferred: true, changes: [change] }];
}

function endOf(lines: string[]): Span {
  const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
  return { start: end, end };
}

/** Shows the other declaration of a duplicate resource. */
function revealOther(view: FileView, d: DiagnosticRef): Action[] {
  const other = d.data?.other;
  if (!other || typeof other.file !== 'string' || !path.isAbsolute(other.file) || typeof other.line !== 'number' || typeof other.column !== 'number') return [];
  const cb = view.model.ws.cookbookOf(other.file);
  const where = `${cb ? path.relative(cb.dir, other.file) : path.basename(other.file)}:${other.line}`;
  return [{ title: `Go to the other declaration (${where})`, kind: 'quickfix', diagnostic: d, changes: [], reveal: other }];
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
