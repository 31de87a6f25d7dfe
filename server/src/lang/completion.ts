/**
 * Completion for recipes, custom resources, attribute files and ERB templates. The context comes
 * from the text before the cursor (robust while the line is half typed) plus the prism tree for the
 * enclosing resource; the candidates come from the catalog and the cookbook's compilation.
 */
import * as path from 'node:path';
import type { FileView, Pos, Span } from './types';
import type { ResourceSchema } from '../chef/catalog/schema';
import { resourceDoc, propertyDoc, actionDoc } from '../chef/catalog/resourceDocs';
import { parseTarget, type ResourceDecl } from '../chef/resourceDecl';
import { specificityDirs } from '../chef/cookbookFiles';
import { listPlatformProfiles, getPlatformProfile } from '../chef/platforms';
import { inspect, type Value } from '../ruby/values';
import { nodePath, offsetOf, enclosingResource } from './syntax';
import { propertyDetail, propertyMarkdown, rubyOf, valueText } from './describe';
import { mdCode, mdCodeBlock } from './markdown';
import { templateVariables } from './templates';
import { bestOf } from '../chef/resolution';

export type EntryKind = 'resource' | 'property' | 'action' | 'value' | 'target' | 'timer' | 'recipe' | 'file' | 'attribute' | 'platform' | 'variable' | 'keyword';

export interface CompletionEntry {
  label: string;
  kind: EntryKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert (a snippet when `snippet` is set); defaults to the label. */
  insertText?: string;
  snippet?: boolean;
  /** The text the entry replaces (the part of the word already typed). */
  replace?: Span;
  sortText?: string;
  deprecated?: boolean;
}

/** Properties and calls valid in every resource block, besides the schema's properties. */
const BLOCK_KEYWORDS = ['action', 'notifies', 'subscribes', 'only_if', 'not_if'];
export const TIMERS = ['delayed', 'immediately', 'before'];
/** Platform names recipes test for, beyond the profiles' own. */
const EXTRA_PLATFORMS = ['redhat', 'centos', 'oracle', 'scientific', 'suse', 'opensuse', 'arch', 'alpine', 'windows', 'mac_os_x', 'freebsd', 'gentoo', 'linuxmint'];
const EXTRA_FAMILIES = ['windows', 'mac_os_x', 'freebsd', 'arch', 'alpine', 'gentoo'];

/** Completion entries at a position. */
export function complete(view: FileView, pos: Pos): CompletionEntry[] {
  const lines = view.text.split('\n');
  const lineText = lines[pos.line] ?? '';
  const prefix = lineText.slice(0, pos.character);
  const suffix = lineText.slice(pos.character);
  const word = /[\w?!]*$/.exec(prefix)![0];
  const wordSpan: Span = { start: { line: pos.line, character: pos.character - word.length }, end: pos };
  const stringSpan = (typed: string): Span => ({ start: { line: pos.line, character: pos.character - typed.length }, end: pos });

  if (view.file.endsWith('.erb')) return completeTemplate(view, prefix, stringSpan);

  let m: RegExpExecArray | null;
  if ((m = /\b(?:notifies|subscribes)\s*\(?\s*:\w+\s*,\s*['"]([^'"]*)$/.exec(prefix))) return targets(view, m[1], stringSpan(m[1]), pos);
  if ((m = /\b(?:notifies|subscribes)\s*\(?\s*:(\w*)$/.exec(prefix))) return targetActions(view, suffix, stringSpan(m[1]));
  if ((m = /\b(?:notifies|subscribes)\s*\(?\s*:\w+\s*,\s*(?:'[^']*'|"[^"]*"|\S+)\s*,\s*:(\w*)$/.exec(prefix))) {
    return TIMERS.map((t, i) => ({ label: t, kind: 'timer', replace: stringSpan(m![1]), sortText: String(i), documentation: TIMER_DOCS[t] }));
  }
  if ((m = /\binclude_recipe\s*\(?\s*['"]([^'"]*)$/.exec(prefix))) return recipes(view, stringSpan(m[1]));
  if ((m = /\b(platform_family|platform)\?\s*\(?(?:\s*['":][\w.-]*['"]?\s*,)*\s*['"]([\w.-]*)$/.exec(prefix))) return platforms(view, m[1] === 'platform_family', stringSpan(m[2]));
  if ((m = /(\bnode(?:\.(?:default|override|normal|force_default|force_override|automatic))?|^\s*(?:default|override|normal|force_default|force_override))((?:\[\s*(?:'[^']*'|"[^"]*"|:\w+)\s*\])*)\[\s*(['"]|:)?([\w-]*)$/.exec(prefix))) {
    return attributeKeys(view, keysOf(m[2]), m[3] === undefined ? 'bare' : m[3] === ':' ? 'sym' : 'str', stringSpan(m[4]));
  }

  const parsed = view.parsed;
  const offset = parsed ? offsetOf(parsed, pos) : 0;
  const res = parsed ? enclosingResource(view, nodePath(parsed, offset), offset) : undefined;
  const schema = res?.schema;
  if (schema) {
    if ((m = /\bsource\s*\(?\s*['"]([^'"]*)$/.exec(prefix)) && (schema.name === 'template' || schema.name === 'cookbook_file')) {
      return sourceFiles(view, schema.name === 'template' ? 'templates' : 'files', stringSpan(m[1]));
    }
    if ((m = /^\s*action\s*\(?\s*(?:\[\s*(?::\w+\s*,\s*)*)?:(\w*)$/.exec(prefix))) return actions(schema, stringSpan(m[1]));
    if (/^\s*action\s+$/.test(prefix)) return actions(schema, stringSpan('')).map((e) => ({ ...e, insertText: ':' + e.label }));
    if ((m = /^\s*(\w+)\s*\(?\s*(:|['"])?(\w*)$/.exec(prefix)) && m[1] !== prefix.trim()) {
      const prop = schema.properties.get(m[1]);
      if (prop) return propertyValues(prop.equalTo ?? [], prop.types, m[2], stringSpan(m[3]));
    }
    if (/^\s*\w*$/.test(prefix)) return properties(schema, wordSpan);
    return [];
  }
  if (/^\s*\w*$/.test(prefix) && /recipes|definitions|resources/.test(path.dirname(view.file))) return resourceTypes(view, wordSpan, res === undefined);
  return [];
}

const TIMER_DOCS: Record<string, string> = {
  delayed: 'Queue the action and run it once, at the end of the Chef run (the default).',
  immediately: 'Run the action right after this resource changes.',
  before: 'Run the action before this resource, when it is about to change.',
};

/**
 * Notification targets: the resources of this recipe's run first (the run-list entry that compiles
 * this file, in the collection the cursor's resource is declared into), nearest first — in this file
 * by lines from the cursor, elsewhere by declaration order from the cursor's resource — then the
 * cookbook's others (its other recipes' runs), which a notification from here would not find.
 */
function targets(view: FileView, typed: string, replace: Span, pos: Pos): CompletionEntry[] {
  const line = pos.line + 1;
  const all = (view.analysis?.compilation?.resources ?? []).filter((r) => !r.definition);
  const { decl: here, enclosing } = hereDecl(all, view.file, line);
  const ranked = all.filter((r) => !(enclosing && r === here)).map((r) => {
    const inRun = !here || (r.runItem === here.runItem && (r.collection === undefined || r.collection === here.collection));
    const tier = !inRun ? 2 : r.file === view.file ? 0 : 1;
    const distance = !here ? 0 : tier === 0 ? linesBetween(r, line) : tier === 1 ? Math.abs(r.seq - here.seq) : 0;
    return { r, tier, sortText: `${tier}${String(Math.min(distance, 999999)).padStart(6, '0')}${r.id}` };
  }).sort((a, b) => a.sortText.localeCompare(b.sortText));
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const { r, tier, sortText } of ranked) {
    if (seen.has(r.id)) continue; // declared in several runs: where it is nearest
    seen.add(r.id);
    const where = `${r.resolvedType} — ${path.basename(r.file)}:${r.loc.line}`;
    out.push({ label: r.id, kind: 'target', detail: tier === 2 ? `${where} (another recipe's run)` : where, replace, sortText });
  }
  // Typing `service[` with nothing known yet: offer the resource types so the user can continue by hand.
  if (!out.length || !typed.includes('[')) {
    for (const t of ['service', 'execute', 'template', 'bash', 'file', 'package']) if (!out.some((e) => e.label.startsWith(t + '['))) out.push({ label: `${t}[]`, kind: 'target', insertText: `${t}[$1]`, snippet: true, replace, sortText: '9' + t });
  }
  return out;
}

/** Lines from a declaration (its first to its last line) to a 1-based line. */
function linesBetween(r: ResourceDecl, line: number): number {
  const end = r.loc.endLine ?? r.loc.line;
  return end < line ? line - end : r.loc.line > line ? r.loc.line - line : 0;
}

/** The declaration the cursor (1-based line) is in, innermost (`enclosing`); else the nearest one of the file (which run the file is in). */
function hereDecl(all: readonly ResourceDecl[], file: string, line: number): { decl?: ResourceDecl; enclosing: boolean } {
  const inFile = all.filter((r) => r.file === file);
  const size = (r: ResourceDecl) => (r.loc.endLine ?? r.loc.line) - r.loc.line;
  const around = inFile.filter((r) => r.loc.line <= line && line <= (r.loc.endLine ?? r.loc.line));
  if (around.length) return { decl: around.reduce((a, b) => (size(b) < size(a) ? b : a)), enclosing: true };
  return { decl: inFile.reduce<ResourceDecl | undefined>((a, b) => (!a || Math.abs(b.loc.line - line) < Math.abs(a.loc.line - line) ? b : a), undefined), enclosing: false };
}

function targetActions(view: FileView, suffix: string, replace: Span): CompletionEntry[] {
  const m = /^\w*\s*,\s*['"]([^'"]+)['"]/.exec(suffix);
  const target = m ? parseTarget(m[1]) : undefined;
  let schema: ResourceSchema | undefined;
  if (target) {
    const resolved = view.analysis?.compilation?.lookup(target.type, target.name);
    schema = resolved?.schema ?? view.model.catalog.resolve(target.type, view.facts);
  }
  if (schema) return actions(schema, replace);
  const common = ['restart', 'reload', 'start', 'stop', 'run', 'create', 'enable', 'install', 'write', 'delete', 'nothing'];
  return common.map((a) => ({ label: a, kind: 'action', replace }));
}

function actions(schema: ResourceSchema, replace: Span): CompletionEntry[] {
  return schema.actions.map((a) => ({
    label: a, kind: 'action', replace, detail: a === schema.defaultAction ? 'default action' : undefined,
    documentation: actionDoc(schema.name, a), sortText: a === schema.defaultAction ? '0' + a : '1' + a,
  }));
}

function properties(schema: ResourceSchema, replace: Span): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const p of schema.properties.values()) {
    if (p.name === 'name') continue;
    out.push({ label: p.name, kind: 'property', detail: propertyDetail(p), documentation: propertyMarkdown(schema, p), replace, deprecated: p.deprecated, sortText: (p.required ? '0' : p.doc || propertyDoc(schema.name, p.name) ? '1' : '2') + p.name });
  }
  for (const k of BLOCK_KEYWORDS) {
    if (schema.properties.has(k)) continue;
    out.push({ label: k, kind: 'keyword', documentation: propertyDoc(schema.name, k), replace, sortText: '3' + k });
  }
  return out;
}

function propertyValues(equalTo: readonly unknown[], types: string[], opener: string | undefined, replace: Span): CompletionEntry[] {
  const values = equalTo.length ? equalTo.map((v) => rubyOf(v as never)) : types.includes('TrueClass') || types.includes('FalseClass') ? ['true', 'false'] : [];
  return values.map((v) => {
    // The user may already have typed the opening `:` or quote; insert what is left.
    let insert = v;
    if (opener === ':' && v.startsWith(':')) insert = v.slice(1);
    else if (opener && /['"]/.test(opener) && v.startsWith('"')) insert = v.slice(1, -1);
    return { label: opener ? insert : v, kind: 'value' as const, insertText: insert, replace, detail: opener ? v : undefined };
  }).filter((e) => !opener || (opener === ':' ? e.detail?.startsWith(':') : e.detail?.startsWith('"')));
}

function resourceTypes(view: FileView, replace: Span, topLevel: boolean): CompletionEntry[] {
  if (!topLevel) return [];
  const out: CompletionEntry[] = [];
  for (const name of view.model.catalog.dslNames(view.facts)) {
    const schema = view.model.catalog.resolve(name, view.facts)!;
    const custom = schema.source !== 'builtin';
    out.push({
      label: name, kind: 'resource', detail: custom ? `custom resource (${schema.cookbook ?? 'workspace'})` : name === schema.name ? 'Chef resource' : `Chef resource → ${schema.name}`,
      documentation: schema.doc ?? resourceDoc(schema.name), insertText: `${name} '\${1:name}' do\n  \${2:action :${schema.defaultAction}}\nend`, snippet: true, replace,
      sortText: (custom ? '0' : resourceDoc(schema.name) ? '1' : '2') + name, deprecated: schema.deprecated,
    });
  }
  for (const d of view.model.definitions.values()) out.push({ label: d.name, kind: 'resource', detail: `definition (${d.cookbook})`, insertText: `${d.name} '\${1:name}' do\n  $2\nend`, snippet: true, replace, sortText: '0' + d.name });
  out.push({ label: 'include_recipe', kind: 'keyword', insertText: "include_recipe '$1'", snippet: true, replace, sortText: '0include_recipe' });
  return out;
}

/**
 * Recipes to include: the file's own cookbook first, then the cookbooks its run resolves (its
 * dependencies), then one cookbook of every other name in the workspace (a `depends` to add).
 */
function recipes(view: FileView, replace: Span): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  const own = view.model.ws.cookbookOf(view.file)?.name;
  const names = new Set([...view.model.cookbooks.keys(), ...view.model.ws.all.map((c) => c.name)]);
  for (const name of names) {
    const cb = view.model.cookbooks.get(name) ?? bestOf(view.model.ws.named(name));
    if (!cb) continue;
    const rank = name === own ? '0' : view.model.cookbooks.has(name) ? '1' : '2';
    for (const id of view.model.allRecipes(cb)) {
      const label = id.endsWith('::default') ? cb.name : id;
      out.push({ label, kind: 'recipe', detail: id.endsWith('::default') ? id : undefined, replace, sortText: rank + label });
    }
  }
  return out;
}

function sourceFiles(view: FileView, kind: 'templates' | 'files', replace: Span): CompletionEntry[] {
  const cb = view.model.ws.cookbookOf(view.file);
  if (!cb) return [];
  const dirs = specificityDirs(view.facts);
  const root = path.join(cb.dir, kind);
  const names = new Map<string, string>();
  for (const f of kind === 'templates' ? cb.files.templates : cb.files.files) {
    const rel = path.relative(root, f).split(path.sep);
    // The first folder is a specificity folder when it matches the platform; other folders are part of the name.
    const name = rel.length > 1 && dirs.includes(rel[0]) ? rel.slice(1).join('/') : rel.length > 1 && isSpecificity(rel[0]) ? undefined : rel.join('/');
    if (name && !names.has(name)) names.set(name, path.relative(cb.dir, f));
  }
  return [...names].map(([name, rel]) => ({ label: name, kind: 'file', detail: rel, replace }));
}

/** A folder name of the form `default`, `host-x`, `<platform>[-<version>]` (not a plain sub-folder). */
function isSpecificity(dir: string): boolean {
  if (dir === 'default' || dir.startsWith('host-')) return true;
  return listPlatformProfiles().some((p) => { const f = getPlatformProfile(p)!; return dir === f.platform || dir.startsWith(f.platform + '-'); });
}

function platforms(view: FileView, family: boolean, replace: Span): CompletionEntry[] {
  const names = new Set<string>();
  for (const p of listPlatformProfiles()) { const f = getPlatformProfile(p)!; names.add(family ? f.platformFamily : f.platform); }
  for (const n of family ? EXTRA_FAMILIES : EXTRA_PLATFORMS) names.add(n);
  const current = family ? view.facts.platformFamily : view.facts.platform;
  return [...names].sort().map((n) => ({ label: n, kind: 'platform', detail: n === current ? `current profile (${view.facts.profile})` : undefined, replace, sortText: (n === current ? '0' : '1') + n }));
}

/** `['a'][:b]["c"]` → ['a', 'b', 'c'] */
export function keysOf(chain: string): string[] {
  return [...chain.matchAll(/\[\s*(?:'([^']*)'|"([^"]*)"|:(\w+))\s*\]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function attributeKeys(view: FileView, parent: string[], quote: 'bare' | 'str' | 'sym', replace: Span): CompletionEntry[] {
  const store = view.analysis?.compilation?.store;
  if (!store) return [];
  const v = store.read(parent);
  if (!v || v.k !== 'hash') return [];
  const out: CompletionEntry[] = [];
  for (const e of v.map.values()) {
    const key = e.key.k === 'str' || e.key.k === 'sym' ? e.key.v : inspect(e.key);
    const insert = quote === 'bare' ? `'${key}'` : key;
    out.push({ label: key, kind: 'attribute', detail: shortValue(e.value), documentation: mdCodeBlock(valueText(e.value, 800), 'ruby'), insertText: insert, replace });
  }
  return out;
}

function shortValue(v: Value): string {
  if (v.k === 'hash') return `{…} (${v.map.size} keys)`;
  return valueText(v, 60);
}

function completeTemplate(view: FileView, prefix: string, span: (typed: string) => Span): CompletionEntry[] {
  let m: RegExpExecArray | null;
  if ((m = /@(\w*)$/.exec(prefix))) {
    return templateVariables(view).map((v) => ({ label: v.name, kind: 'variable', detail: v.value ? shortValue(v.value) : undefined, documentation: v.users.map((u) => `passed by ${mdCode(u)}`).join('\n\n'), replace: span(m![1]) }));
  }
  if ((m = /\bnode((?:\[\s*(?:'[^']*'|"[^"]*"|:\w+)\s*\])*)\[\s*(['"]|:)?([\w-]*)$/.exec(prefix))) {
    return attributeKeys(view, keysOf(m[1]), m[2] === undefined ? 'bare' : m[2] === ':' ? 'sym' : 'str', span(m[3]));
  }
  return [];
}
