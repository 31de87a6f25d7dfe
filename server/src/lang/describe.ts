/**
 * Markdown for resource types, properties, actions, attribute values and unknowns — the words hover
 * and completion show. Pure text in, text out. Names, values and paths a cookbook chose go through
 * `markdown.ts` (code spans, escaped text); only our own words and the built-in docs are Markdown.
 */
import * as path from 'node:path';
import type { JsonValue, SourceLocation } from '../protocol';
import type { PropertySchema, ResourceSchema } from '../chef/catalog/schema';
import { resourceDoc, propertyDoc, actionDoc } from '../chef/catalog/resourceDocs';
import { type Value, inspect, findUnknown } from '../ruby/values';
import { mdCode, mdText } from './markdown';

/** A JSON value from the catalog (symbols are `":x"`) as Ruby source. */
export function rubyOf(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v.startsWith(':') ? v : JSON.stringify(v);
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return `[${v.map(rubyOf).join(', ')}]`;
  if (typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} => ${rubyOf(x)}`).join(', ')} }`;
  return String(v);
}

/** `String, Integer` or `any`. */
export function typeText(p: PropertySchema): string {
  return p.types.length ? p.types.join(', ') : 'any';
}

/** The default of a property in words. */
export function defaultText(p: PropertySchema): string | undefined {
  if (p.nameProperty) return 'the resource name';
  if (p.defaultKind === 'literal' && p.default !== undefined) return rubyOf(p.default);
  if (p.defaultKind === 'lazy' || p.defaultKind === 'expression') return 'computed when the resource runs';
  return undefined;
}

/** One line for completion details: `String, Integer = "x"`. */
export function propertyDetail(p: PropertySchema): string {
  const d = defaultText(p);
  return `${typeText(p)}${d ? ` (default: ${d})` : ''}${p.required ? ' — required' : ''}`;
}

/** Markdown for a property of a resource type. */
export function propertyMarkdown(schema: ResourceSchema, p: PropertySchema): string {
  const lines = [`**${mdCode(p.name)}** — property of ${mdCode(schema.name)}`, ''];
  const doc = p.doc ?? propertyDoc(schema.name, p.name);
  if (doc) lines.push(doc, '');
  lines.push(`- type: ${mdCode(typeText(p))}`);
  const d = defaultText(p);
  if (d) lines.push(`- default: ${d === 'the resource name' || d === 'computed when the resource runs' ? d : mdCode(d)}`);
  if (p.equalTo?.length) lines.push(`- allowed values: ${p.equalTo.map((v) => mdCode(rubyOf(v))).join(', ')}`);
  if (p.nameProperty) lines.push('- name property: defaults to the resource name');
  if (p.required) lines.push(p.requiredForActions?.length ? `- required for ${p.requiredForActions.map((a) => mdCode(':' + a)).join(', ')}` : '- required');
  if (p.aliasOf) lines.push(`- alias of ${mdCode(p.aliasOf)}`);
  if (p.deprecated) lines.push('- **deprecated**');
  if (p.sensitive) lines.push('- sensitive: hidden from logs');
  return lines.join('\n');
}

/** Markdown for a resource type: what it is, its actions and default action, where it is declared. */
export function resourceMarkdown(schema: ResourceSchema, asWritten?: string): string {
  const title = asWritten && asWritten !== schema.name ? `**${mdCode(asWritten)}** → ${mdCode(schema.name)}` : `**${mdCode(schema.name)}**`;
  const lines = [`${title} (${schema.source === 'builtin' ? 'Chef resource' : `${mdText(schema.source)} resource${schema.cookbook ? ' from ' + mdCode(schema.cookbook) : ''}`})`, ''];
  const doc = schema.doc ?? resourceDoc(schema.name);
  if (doc) lines.push(doc, '');
  lines.push(`- actions: ${schema.actions.map((a) => (a === schema.defaultAction ? `**${mdCode(':' + a)}** (default)` : mdCode(':' + a))).join(', ')}`);
  const named = [...schema.properties.values()].find((p) => p.nameProperty);
  if (named) lines.push(`- name property: ${mdCode(named.name)}`);
  if (schema.deprecated) lines.push('- **deprecated**');
  if (schema.location) lines.push(`- declared in ${whereMd(schema.location)}`);
  return lines.join('\n');
}

/** Markdown for an action of a resource type. */
export function actionMarkdown(schema: ResourceSchema, action: string): string {
  const doc = actionDoc(schema.name, action);
  const dflt = action === schema.defaultAction ? ' (default action)' : '';
  return `**${mdCode(':' + action)}** — action of ${mdCode(schema.name)}${dflt}${doc ? '\n\n' + doc : ''}`;
}

/** A value as Ruby, shortened for display; an unknown says why it is unknown. */
export function valueText(v: Value, max = 200): string {
  const u = findUnknown(v);
  if (v.k === 'unknown') return `unknown: ${v.reason}`;
  const s = inspect(v);
  const short = s.length > max ? s.slice(0, max) + '…' : s;
  return u ? `${short} (partly unknown: ${u.reason})` : short;
}

/** `recipes/default.rb:12` relative to the cookbook folder's parent. */
export function where(loc: SourceLocation): string {
  const parts = loc.file.split(path.sep);
  return `${parts.slice(-3).join('/')}:${loc.line}`;
}

/** `where` for Markdown: a file name is the cookbook's choice, so a code span. */
export function whereMd(loc: SourceLocation): string {
  return mdCode(where(loc));
}
