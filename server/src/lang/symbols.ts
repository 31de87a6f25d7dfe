/**
 * Outline and structure from the syntax tree: document symbols (resources, include_recipe, custom
 * resource properties and actions, attribute writes), workspace symbols (recipes, custom resources,
 * definitions, templates), folding ranges and document links.
 */
import * as path from 'node:path';
import type { FileView, Place, Span } from './types';
import { placeOf } from './types';
import { sliceSource } from '../ruby/prism';
import type { Model } from '../chef/model';
import { walk, isCall, isResourceType, literal, spanOfNode, declsIn, type PrismNode } from './syntax';
import { recipeFile } from './definition';
import { sourceFileOf } from './templates';

export type SymbolKind = 'resource' | 'recipe' | 'property' | 'action' | 'attribute' | 'definition' | 'template';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  span: Span;
  selection: Span;
}

const ATTRIBUTE_LEVELS = new Set(['default', 'override', 'normal', 'force_default', 'force_override']);

/** The outline of a Ruby file, in source order. */
export function documentSymbols(view: FileView): OutlineSymbol[] {
  const parsed = view.parsed;
  if (!parsed) return [];
  const out: OutlineSymbol[] = [];
  const isResourceFile = /[\\/](resources|providers)[\\/]/.test(view.file);
  walk(parsed.tree, (n: PrismNode, parents) => {
    if (!isCall(n)) return;
    const span = spanOfNode(parsed, n.location);
    const selection = n.messageLoc ? spanOfNode(parsed, n.messageLoc) : span;
    const arg0 = n.arguments_?.arguments_?.[0];
    if (!n.receiver && n.name === 'include_recipe') { out.push({ name: `include_recipe ${literal(arg0) ?? '…'}`, kind: 'recipe', span, selection }); return; }
    if (isResourceFile && !n.receiver && (n.name === 'property' || n.name === 'attribute') && literal(arg0)) { out.push({ name: literal(arg0)!, kind: 'property', span, selection }); return; }
    if (isResourceFile && !n.receiver && n.name === 'action' && n.block && literal(arg0)) { out.push({ name: `action :${literal(arg0)}`, kind: 'action', span, selection }); return; }
    // `default['a']['b'] = v` in attribute files: the outermost `[]=` call.
    if (n.name === '[]=' && rootLevel(n)) { out.push({ name: sliceSource(parsed, { startOffset: n.location.startOffset, length: (n.arguments_?.arguments_?.at(-1)?.location.startOffset ?? n.location.startOffset) - n.location.startOffset }).replace(/\s*=\s*$/, ''), kind: 'attribute', span, selection: span }); return; }
    if (n.receiver || !arg0 || !isResourceType(view, n.name)) return;
    // A call inside a resource block named like a resource (`group`, `user`) is a property.
    if (parents.some((p: PrismNode) => isCall(p) && !p.receiver && p.block && isResourceType(view, p.name))) return;
    out.push({ name: `${n.name} ${sliceSource(parsed, arg0.location)}`, kind: 'resource', detail: view.model.catalog.resolve(n.name, view.facts)?.name, span, selection });
  });
  return out;
}

function rootLevel(n: PrismNode): boolean {
  let cur = n.receiver;
  while (isCall(cur) && cur.name === '[]') cur = cur.receiver;
  if (!isCall(cur)) return false;
  if (!cur.receiver && ATTRIBUTE_LEVELS.has(cur.name)) return true;
  return isCall(cur.receiver) && cur.receiver.name === 'node' && ATTRIBUTE_LEVELS.has(cur.name);
}

export interface WorkspaceSymbol { name: string; kind: SymbolKind; place: Place; container?: string }

/**
 * Recipes, custom resources, definitions and templates of the workspace whose name contains the
 * query: the recipes and templates of every cookbook found, the types of every world given.
 */
export function workspaceSymbols(models: Model[], query: string, limit = 500): WorkspaceSymbol[] {
  const q = query.toLowerCase();
  const out: WorkspaceSymbol[] = [];
  const at = (file: string): Place => ({ file, span: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  const model = models[0];
  if (!model) return out;
  for (const cb of model.ws.all) {
    for (const id of model.allRecipes(cb)) { const f = cb.files.recipes.find((r) => id.endsWith('::' + path.basename(r).replace(/\.(rb|ya?ml)$/, ''))); if (f) out.push({ name: id, kind: 'recipe', place: at(f), container: cb.name }); }
    for (const t of cb.files.templates) out.push({ name: path.relative(path.join(cb.dir, 'templates'), t), kind: 'template', place: at(t), container: cb.name });
  }
  const seen = new Set<string>();
  const once = (s: WorkspaceSymbol) => { const k = `${s.name}\0${s.place.file}`; if (!seen.has(k)) { seen.add(k); out.push(s); } };
  for (const m of models) {
    for (const def of m.customDefs.values()) once({ name: def.schema.name, kind: 'resource', place: at(def.file), container: def.schema.cookbook });
    for (const d of m.definitions.values()) once({ name: d.name, kind: 'definition', place: placeOf(d.loc), container: d.cookbook });
  }
  return out.filter((s) => !q || s.name.toLowerCase().includes(q)).slice(0, limit);
}

export interface Fold { start: number; end: number; comment?: boolean }

const FOLDABLE = new Set(['BlockNode', 'DefNode', 'ClassNode', 'ModuleNode', 'IfNode', 'UnlessNode', 'CaseNode', 'WhileNode', 'UntilNode', 'BeginNode', 'HashNode', 'ArrayNode', 'LambdaNode', 'InterpolatedStringNode', 'StringNode', 'ForNode']);

/** Folding ranges: blocks, definitions, conditionals, literals and heredocs spanning lines; comment runs. */
export function foldingRanges(view: FileView): Fold[] {
  const parsed = view.parsed;
  if (!parsed) return [];
  const out: Fold[] = [];
  walk(parsed.tree, (n: PrismNode) => {
    if (!FOLDABLE.has(n.constructor.name)) return;
    const end = n.closingLoc && (n.constructor.name === 'StringNode' || n.constructor.name === 'InterpolatedStringNode') ? n.closingLoc : n.location;
    const s = parsed.lines.position(n.location.startOffset).line;
    const e = parsed.lines.position(end.startOffset + end.length).line;
    if (e - 1 > s) out.push({ start: s, end: e - 1 });
  });
  let run: number[] = [];
  const flush = () => { if (run.length > 1) out.push({ start: run[0], end: run[run.length - 1], comment: true }); run = []; };
  for (const c of parsed.comments) {
    const line = parsed.lines.position(c.startOffset).line;
    if (run.length && line !== run[run.length - 1] + 1) flush();
    run.push(line);
  }
  flush();
  return out;
}

export interface Link { span: Span; target: string; tooltip: string }

/** Links from include_recipe names to recipes and from template/cookbook_file sources to files. */
export function documentLinks(view: FileView): Link[] {
  const parsed = view.parsed;
  if (!parsed) return [];
  const out: Link[] = [];
  walk(parsed.tree, (n: PrismNode) => {
    if (!isCall(n) || n.receiver || n.name !== 'include_recipe') return;
    const arg = n.arguments_?.arguments_?.[0];
    const file = recipeFile(view, literal(arg));
    if (file) out.push({ span: inner(spanOfNode(parsed, arg.location)), target: file, tooltip: `open ${path.basename(file)}` });
  });
  for (const r of declsIn(view)) {
    const src = r.props.find((p) => p.name === 'source');
    const file = src?.valueLoc ? sourceFileOf(view, r) : undefined;
    if (file && src?.valueLoc) out.push({ span: inner(placeOf(src.valueLoc).span), target: file, tooltip: `open ${path.basename(file)}` });
  }
  return out;
}

/** A string literal's span without its quotes (single-line literals). */
function inner(s: Span): Span {
  if (s.start.line !== s.end.line || s.end.character - s.start.character < 2) return s;
  return { start: { line: s.start.line, character: s.start.character + 1 }, end: { line: s.end.line, character: s.end.character - 1 } };
}
