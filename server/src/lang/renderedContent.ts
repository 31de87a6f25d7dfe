/**
 * The rendered files of a document, for the preview (`cloche/renderedContent`) and the hover of a
 * template's or cookbook_file's `source`: in a recipe or resource file, the file-like resources
 * declared at a position; in a template, every resource of the run that renders it.
 */
import * as path from 'node:path';
import type { RenderedFile } from '../customMethods';
import { renderedTextForPeople, type RenderedContent } from '../protocol';
import { renderedContent, FILE_LIKE } from '../chef/renderedContent';
import { type ResourceDecl, propValue } from '../chef/resourceDecl';
import type { Compilation } from '../chef/compilation';
import { type FileView, type Pos, contains, spanOf } from './types';
import { mdCode, mdCodeBlock, mdCommandLink } from './markdown';

/** The rendered files at a position (or of one resource id), innermost declaration first. */
export function renderedFilesAt(view: FileView, at: { position?: Pos; resource?: string }): RenderedFile[] {
  const c = view.analysis?.compilation;
  if (!c) return [];
  let decls: ResourceDecl[];
  if (at.resource) decls = c.resources.filter((r) => r.id === at.resource);
  else if (view.file.endsWith('.erb') || !view.file.endsWith('.rb')) decls = c.resources.filter((r) => FILE_LIKE.has(r.resolvedType));
  else if (at.position) decls = c.resources.filter((r) => r.file === view.file && FILE_LIKE.has(r.resolvedType) && contains(r.loc, at.position!)).sort((a, b) => size(a) - size(b));
  else decls = [];
  const out: RenderedFile[] = [];
  const seen = new Set<string>();
  for (const r of decls) {
    const content = renderedContent(c, r);
    if (!content) continue;
    // A template or cookbook file stands for the resources that read it.
    if (!at.resource && !view.file.endsWith('.rb') && content.source !== view.file) continue;
    const key = `${r.id}\0${JSON.stringify(content)}`;
    if (seen.has(key)) continue; // one declaration reached twice with the same result
    seen.add(key);
    out.push(fileOf(c, r, content));
  }
  return out;
}

function fileOf(c: Compilation, r: ResourceDecl, content: RenderedContent): RenderedFile {
  const p = r.nameUnknown ? undefined : propValue(r, 'path') ?? r.name;
  const file: RenderedFile = { resource: r.id, platform: c.facts.profile, content };
  if (p?.k === 'str') file.path = p.v;
  return file;
}

function size(r: ResourceDecl): number {
  const s = spanOf(r.loc);
  return (s.end.line - s.start.line) * 10_000 + (s.end.character - s.start.character);
}

/** Lines shown in a hover before it says how many more there are. */
const HOVER_LINES = 20;
const HOVER_CHARS = 2000;

/**
 * The hover section of a file-like resource: what it would write (the first lines, holes marked
 * `«unknown: why»`), and a link to the full preview.
 */
export function renderedHoverSection(view: FileView, decl: ResourceDecl | undefined, previewCommand: string): string {
  const c = view.analysis?.compilation;
  if (!decl || !c || !FILE_LIKE.has(decl.resolvedType)) return '';
  const content = renderedContent(c, decl);
  if (!content) return '';
  const file = fileOf(c, decl, content);
  const text = renderedTextForPeople(content.text);
  const holes = typeof content.text === 'string' ? 0 : content.text.parts ? content.text.parts.filter((p) => typeof p !== 'string').length : 1;
  const lines = text.replace(/\n$/, '').split('\n');
  let shown = lines.slice(0, HOVER_LINES).join('\n');
  if (shown.length > HOVER_CHARS) shown = shown.slice(0, HOVER_CHARS) + '…';
  const more = lines.length > HOVER_LINES ? `\n\n… ${lines.length - HOVER_LINES} more line${lines.length - HOVER_LINES === 1 ? '' : 's'}` : '';
  const inCookbook = content.source && /^.*[\\/]((?:templates|files)[\\/].*)$/.exec(content.source)?.[1];
  const from = content.source ? ` from ${mdCode(inCookbook || path.basename(content.source))}` : '';
  const at = { file: view.file, line: spanOf(decl.loc).start.line, character: spanOf(decl.loc).start.character };
  const note = holes ? `_${holes === 1 ? 'One part is' : `${holes} parts are`} not known statically (marked «unknown»)._ ` : '';
  return [
    '', '', '---', '',
    `**Would write**${file.path ? ` ${mdCode(file.path)}` : ''} on ${file.platform}${from}:`, '',
    mdCodeBlock(shown) + more, '',
    `${note}${mdCommandLink('Preview rendered file', previewCommand, [at])}`,
  ].join('\n');
}
