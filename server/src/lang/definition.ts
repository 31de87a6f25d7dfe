/**
 * Go to definition and find references. Definition: notification target → its declaration;
 * include_recipe → the recipe; template/cookbook_file source → the file; custom resource type →
 * resources/x.rb; property of a custom resource → its `property` line; attribute → where each
 * precedence level sets it; helper method → libraries/. References: who notifies or subscribes to a
 * resource; which template resources use a template.
 */
import * as path from 'node:path';
import type { FileView, Place, Pos } from './types';
import { contains, placeOf } from './types';
import type { ResourceDecl } from '../chef/resourceDecl';
import { nodePath, offsetOf, enclosingResource, attributeAt, isCall, isResourceType, within, literal, declsIn, declAt, spanOfNode, type PrismNode } from './syntax';
import { sourceFileOf, usersOf } from './templates';
import { keysOf } from './completion';

const fileStart = (file: string): Place => ({ file, span: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });

/** Where the thing under the cursor is defined (several places for attributes set at several levels). */
export function definition(view: FileView, pos: Pos): Place[] {
  if (view.file.endsWith('.erb')) return templateDefinition(view, pos);
  const parsed = view.parsed;
  if (!parsed) return [];
  const offset = offsetOf(parsed, pos);
  const attr = attributeAt(parsed, offset);
  if (attr) return attributePlaces(view, attr.path);
  const decls = declsIn(view);
  const n = decls.flatMap((r) => r.notifications).find((x) => contains(x.targetLoc, pos));
  if (n) return n.resolved ? [placeOf(n.resolved.loc)] : [];
  for (const r of decls) {
    const src = r.props.find((p) => p.name === 'source' && contains(p.valueLoc, pos));
    if (src) { const f = sourceFileOf(view, r); return f ? [fileStart(f)] : []; }
  }
  const nodes = nodePath(parsed, offset);
  const call = [...nodes].reverse().find((x: PrismNode) => isCall(x) && (within(x.messageLoc, offset) || (x.name === 'include_recipe' && within(x.location, offset))));
  if (!call || call.receiver) return [];
  if (call.name === 'include_recipe') { const f = recipeFile(view, literal(call.arguments_?.arguments_?.[0])); return f ? [fileStart(f)] : []; }
  const res = enclosingResource(view, nodes, offset);
  const prop = res?.schema?.properties.get(call.name);
  if (prop) return prop.location ? [placeOf(prop.location)] : [];
  if (isResourceType(view, call.name)) return typePlaces(view, call.name);
  const helper = view.model.helpers.get(call.name);
  if (helper) return [{ file: helper.unit.file, span: spanOfNode(helper.unit.parsed, helper.node.location) }];
  return [];
}

function typePlaces(view: FileView, type: string): Place[] {
  const d = view.model.definitions.get(type);
  if (d) return [placeOf(d.loc)];
  const schema = view.model.catalog.resolve(type, view.facts) ?? view.model.catalog.get(type);
  const def = schema ? view.model.customDefs.get(schema.name) : undefined;
  if (def) return [fileStart(def.file)];
  return schema?.location ? [placeOf(schema.location)] : [];
}

/** The file of `cookbook::recipe` (or `cookbook`, or `::recipe` in the file's own cookbook). */
export function recipeFile(view: FileView, spec: string | undefined): string | undefined {
  if (!spec) return undefined;
  let s = spec.replace(/^recipe\[(.*)\]$/, '$1');
  if (s.startsWith('::')) s = (view.model.ws.cookbookOf(view.file)?.name ?? '') + s;
  const [cbName, recipe = 'default'] = s.split('::');
  const cb = view.model.cookbook(cbName);
  return cb?.files.recipes.find((f) => path.basename(f).replace(/\.(rb|ya?ml)$/, '') === recipe);
}

/** Every place an attribute path (or a parent of it) is set, highest precedence first. */
export function attributePlaces(view: FileView, keys: string[]): Place[] {
  const store = view.analysis?.compilation?.store;
  if (!store) return [];
  const { origins } = store.explain(keys);
  const seen = new Set<string>();
  return origins.filter((o) => o.loc).reverse().map((o) => placeOf(o.loc!)).filter((p) => { const k = `${p.file}:${p.span.start.line}`; if (seen.has(k)) return false; seen.add(k); return true; });
}

function templateDefinition(view: FileView, pos: Pos): Place[] {
  const line = view.text.split('\n')[pos.line] ?? '';
  for (const m of line.matchAll(/\bnode((?:\[\s*(?:'[^']*'|"[^"]*"|:\w+)\s*\])+)/g)) {
    if (pos.character >= m.index! && pos.character <= m.index! + m[0].length) return attributePlaces(view, keysOf(m[1]));
  }
  for (const m of line.matchAll(/@(\w+)/g)) {
    if (pos.character < m.index! || pos.character > m.index! + m[0].length) continue;
    return usersOf(view, view.file).flatMap((r) => { const v = r.props.find((p) => p.name === 'variables'); return v ? [placeOf(v.loc)] : [placeOf(r.loc)]; });
  }
  return [];
}

/** References: notifications and subscriptions of the resource under the cursor, or the users of a template. */
export function references(view: FileView, pos: Pos, includeDeclaration: boolean): Place[] {
  if (view.file.includes(`${path.sep}templates${path.sep}`) || view.file.includes(`${path.sep}files${path.sep}`)) {
    return usersOf(view, view.file).map((r) => placeOf(r.loc));
  }
  const target = resourceAt(view, pos);
  if (!target) return [];
  const out: Place[] = includeDeclaration ? [placeOf(target.nameLoc ?? target.loc)] : [];
  for (const r of view.analysis?.compilation?.resources ?? []) {
    for (const n of r.notifications) if (n.resolved === target) out.push(placeOf(n.targetLoc ?? n.loc));
  }
  return out;
}

/** The resource declared at the cursor (on its type or name), or the resource a target under the cursor names. */
export function resourceAt(view: FileView, pos: Pos): ResourceDecl | undefined {
  const decls = declsIn(view);
  const n = decls.flatMap((r) => r.notifications).find((x) => contains(x.targetLoc, pos));
  if (n) return n.resolved;
  const parsed = view.parsed;
  if (!parsed) return undefined;
  const offset = offsetOf(parsed, pos);
  const call = [...nodePath(parsed, offset)].reverse().find((x: PrismNode) => isCall(x) && !x.receiver && isResourceType(view, x.name) && offset <= (x.block?.location.startOffset ?? x.location.startOffset + x.location.length));
  return call ? declAt(view, call) : undefined;
}
