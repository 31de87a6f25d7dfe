/**
 * Hover: resource types and properties (type, default, allowed values, docs), actions, node
 * attributes (winning value, its precedence level and where each level set it), notification targets
 * (the resource they resolve to), helpers, include_recipe, and why a value is unknown. What the
 * cookbook wrote (names, values, paths, reasons quoting it) enters the Markdown only through markdown.ts.
 */
import * as path from 'node:path';
import type { FileView, Pos, Span } from './types';
import { contains } from './types';
import type { ResourceDecl } from '../chef/resourceDecl';
import type { SourceLocation } from '../protocol';
import { LEVELS } from '../chef/attributes';
import { findUnknown } from '../ruby/values';
import { nodePath, offsetOf, enclosingResource, attributeAt, isCall, isResourceType, within, spanOfNode, literal, declsIn, type PrismNode } from './syntax';
import { resourceMarkdown, propertyMarkdown, actionMarkdown, valueText, whereMd } from './describe';
import { mdCode, mdCodeBlock, mdTableCell, mdText } from './markdown';
import { templateVariables } from './templates';
import { renderedHoverSection } from './renderedContent';
import { platformNote } from './platformNote';
import { PREVIEW_RENDERED_FILE_COMMAND } from '../customMethods';

export interface HoverResult {
  markdown: string;
  span?: Span;
}

/** The hover at a position, or undefined. */
export function hover(view: FileView, pos: Pos): HoverResult | undefined {
  if (view.file.endsWith('.erb')) return hoverTemplate(view, pos);
  const parsed = view.parsed;
  if (!parsed) return undefined;
  const offset = offsetOf(parsed, pos);
  const attr = attributeAt(parsed, offset);
  if (attr) return { markdown: attributeMarkdown(view, attr.path), span: spanOfNode(parsed, attr.ref) };

  const decls = declsIn(view);
  const notification = decls.flatMap((r) => r.notifications).find((n) => contains(n.targetLoc, pos));
  if (notification) return { markdown: targetMarkdown(notification.target, notification.resolved, notification.targetUnknown) };

  const nodes = nodePath(parsed, offset);
  const call = [...nodes].reverse().find((n: PrismNode) => isCall(n) && within(n.messageLoc, offset));
  const res = enclosingResource(view, nodes, offset);
  if (call) {
    const span = spanOfNode(parsed, call.messageLoc);
    // Inside a resource block a name like `group` or `user` is a property, not a resource type.
    if (!call.receiver && isResourceType(view, call.name) && !res?.schema?.properties.has(call.name)) {
      const schema = view.model.catalog.resolve(call.name, view.facts) ?? view.model.catalog.get(call.name);
      if (schema) return { markdown: resourceMarkdown(schema, call.name) + platformNote(schema, view.facts), span };
      if (view.model.definitions.has(call.name)) { const d = view.model.definitions.get(call.name)!; return { markdown: `**${mdCode(d.name)}** — definition from ${mdCode(d.cookbook)} (${whereMd(d.loc)})`, span }; }
      if (!view.model.catalog.has(call.name)) return { markdown: `**${mdCode(call.name)}** — resource declared by a library class (libraries/); its properties are not known statically`, span };
    }
    if (res?.schema && !call.receiver) {
      const prop = res.schema.properties.get(call.name);
      // A template's or cookbook_file's `source`: what the file would hold, before any machine exists.
      const rendered = call.name === 'source' ? renderedHoverSection(view, res.decl, PREVIEW_RENDERED_FILE_COMMAND) : '';
      if (prop) return { markdown: propertyMarkdown(res.schema, prop) + valueNote(res.decl, call.name, pos) + rendered, span };
    }
    if (!call.receiver && call.name === 'include_recipe') return { markdown: includeMarkdown(view, call), span };
    const helper = view.model.helpers.get(call.name);
    if (helper && !call.receiver) return { markdown: `**${mdCode(call.name)}** — helper method from ${mdCode(path.relative(path.dirname(path.dirname(helper.unit.file)), helper.unit.file))}`, span };
  }
  // An action symbol inside `action :x` or `action [:x, :y]`.
  const sym = nodes[nodes.length - 1];
  if (res?.schema && sym?.constructor.name === 'SymbolNode') {
    const actionCall = [...nodes].reverse().find((n: PrismNode) => isCall(n) && n.name === 'action' && !n.receiver);
    const name = literal(sym);
    if (actionCall && name && res.schema.actions.includes(name)) return { markdown: actionMarkdown(res.schema, name), span: spanOfNode(parsed, sym.location) };
  }
  // A property value the evaluator could not know: say why.
  for (const r of decls) {
    for (const p of r.props) {
      if (!contains(p.valueLoc, pos)) continue;
      const u = findUnknown(p.value);
      const rendered = p.name === 'source' ? renderedHoverSection(view, r, PREVIEW_RENDERED_FILE_COMMAND) : '';
      return { markdown: (u ? `**unknown value** — ${mdText(u.reason)}${u.loc ? ` (${whereMd(u.loc)})` : ''}` : `${mdCode(p.name)} = ${mdCode(valueText(p.value))}`) + rendered };
    }
  }
  return undefined;
}

function valueNote(decl: ResourceDecl | undefined, prop: string, pos: Pos): string {
  const p = decl?.props.find((x) => x.name === prop && (contains(x.loc, pos) || contains(x.nameLoc, pos)));
  if (!p) return '';
  const u = findUnknown(p.value);
  return `\n\n---\nvalue here: ${u ? `unknown — ${mdText(u.reason)}` : mdCode(valueText(p.value))}`;
}

/** Markdown for an attribute path: merged value, winning level, every level that set it. */
export function attributeMarkdown(view: FileView, pathKeys: string[]): string {
  const name = `node${pathKeys.map((k) => `['${k}']`).join('')}`;
  const store = view.analysis?.compilation?.store;
  if (!store) return `**${mdCode(name)}** — no compilation for this file (is it in a cookbook with a recipe?)`;
  const info = store.explain(pathKeys);
  const lines = [`**${mdCode(name)}**`, ''];
  if (info.value === undefined) {
    lines.push(`not set by any attributes file of the run on ${view.facts.profile} (a role, environment or policy may set it)`);
    return lines.join('\n');
  }
  lines.push(mdCodeBlock(valueText(info.value, 1500), 'ruby'));
  // The source names a role, environment or input file: the user's words, so escaped.
  const setIn = (o: { source?: string; loc?: SourceLocation }) => [o.source ? mdText(o.source) : undefined, o.loc ? whereMd(o.loc) : undefined].filter(Boolean).join(', ');
  if (info.winner) lines.push(`wins: **${info.winner.level}**${info.winner.loc || info.winner.source ? ` — ${setIn(info.winner)}` : info.winner.level === 'automatic' ? ` (Ohai, ${view.facts.profile})` : ''}`);
  const origins = [...info.origins].sort((a, b) => LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level));
  if (origins.length) {
    lines.push('', '| level | value | set by |', '|---|---|---|');
    for (const o of origins) lines.push(`| ${o.level} | ${mdTableCell(mdCode(valueText(o.value, 60)))} | ${mdTableCell(setIn(o))} |`);
  }
  return lines.join('\n');
}

function targetMarkdown(target: string, resolved: ResourceDecl | undefined, unknown?: boolean): string {
  if (unknown) return `**${mdCode(target)}** — the target is not known statically`;
  if (!resolved) return `**${mdCode(target)}** — no such resource is declared in this run`;
  return `**${mdCode(resolved.id)}** → ${mdCode(resolved.resolvedType)}, actions ${resolved.actions.map((a) => mdCode(':' + a)).join(', ')}\n\ndeclared in ${whereMd(resolved.loc)} (${mdCode(resolved.origin)})${resolved.conditional ? `\n\nconditional: ${mdText(resolved.conditional)}` : ''}`;
}

function includeMarkdown(view: FileView, call: PrismNode): string {
  const spec = literal(call.arguments_?.arguments_?.[0]);
  const recipe = spec ? view.analysis?.compilation?.recipes.get(spec.includes('::') ? spec : `${spec}::default`) : undefined;
  if (!spec) return '**include_recipe** — the recipe name is not a literal';
  if (!recipe) return `**include_recipe** ${mdCode(spec)} — not compiled in this run (a cookbook outside the workspace, or a missing recipe)`;
  return `**${mdCode(recipe.id)}** — ${mdCode(path.relative(path.dirname(path.dirname(path.dirname(recipe.file))), recipe.file))}${recipe.includes.length ? `\n\nincludes ${recipe.includes.map((i) => mdCode(i)).join(', ')}` : ''}`;
}

function hoverTemplate(view: FileView, pos: Pos): HoverResult | undefined {
  const line = view.text.split('\n')[pos.line] ?? '';
  for (const m of line.matchAll(/@(\w+)/g)) {
    if (pos.character < m.index! || pos.character > m.index! + m[0].length) continue;
    const v = templateVariables(view).find((x) => x.name === m[1]);
    const span = { start: { line: pos.line, character: m.index! }, end: { line: pos.line, character: m.index! + m[0].length } };
    if (!v) return { markdown: `**${mdCode('@' + m[1])}** — no template resource in this cookbook passes it`, span };
    return { markdown: `**${mdCode('@' + v.name)}**${v.value ? '\n\n' + mdCodeBlock(valueText(v.value, 800), 'ruby') : ''}\n\n${v.users.map((u) => `passed by ${mdCode(u)}`).join('\n\n')}`, span };
  }
  for (const m of line.matchAll(/\bnode((?:\[\s*(?:'[^']*'|"[^"]*"|:\w+)\s*\])+)/g)) {
    if (pos.character < m.index! || pos.character > m.index! + m[0].length) continue;
    const keys = [...m[1].matchAll(/\[\s*(?:'([^']*)'|"([^"]*)"|:(\w+))\s*\]/g)];
    // Only the keys up to the one under the cursor.
    const upto = keys.filter((k) => m.index! + 4 + k.index! <= pos.character).map((k) => k[1] ?? k[2] ?? k[3]);
    return { markdown: attributeMarkdown(view, upto.length ? upto : keys.map((k) => k[1] ?? k[2] ?? k[3])) };
  }
  return undefined;
}
