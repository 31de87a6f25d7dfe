/**
 * A RunDiff for people: text for a terminal (the cookbook's text with control characters escaped)
 * and Markdown for a pull request comment (the cookbook's text only through `lang/markdown.ts`).
 * Pure; `where` turns a location's absolute file into what the reader should see (a relative path).
 */
import { isUnknownMarker, type JsonValue, type RunDiff, type RunDiffFieldChange, type RunDiffNotificationChange, type RunDiffOrderChange, type RunDiffResourceChange, type SourceLocation } from '../protocol';
import { mdCode, mdCodeBlock, mdText } from '../lang/markdown';
import { visibleLine } from './graphFormats';

export type FileLabel = (file: string) => string;

/** A JSON value on one line: unknowns as `«unknown: why»`, lazy values as `lazy { … }`. */
export function valueText(v: JsonValue | undefined): string {
  if (v === undefined) return '(none)';
  if (isUnknownMarker(v)) return `«unknown: ${v.$unknown}»`;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.$lazy === 'string') return `lazy ${v.$lazy}`;
  if (Array.isArray(v)) return `[${v.map(valueText).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${valueText(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

/** The summary line both formats share. */
export function summaryLine(d: RunDiff): string {
  const s = d.summary;
  return `${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.mayChange} may change, ${s.order} order change${s.order === 1 ? '' : 's'} (${s.unchanged} unchanged)`;
}

function fieldLabel(f: RunDiffFieldChange): string {
  return f.field === 'property' ? f.name! : f.field === 'guard' ? `guard ${f.name}` : f.field;
}

/** What happened to a field, in words; values through `value` (escaped by the caller's format). */
function fieldWords(f: RunDiffFieldChange, value: (v: JsonValue | undefined) => string, reason: (s: string) => string): string {
  switch (f.status) {
    case 'changed': return `${value(f.from)} → ${value(f.to)}`;
    case 'added': return f.field === 'guard' ? 'added' : `added: ${value(f.to)}`;
    case 'removed': return f.field === 'guard' ? 'removed' : `removed (was ${value(f.from)})`;
    case 'may-change': return `may change (${reason(f.reason ?? 'not known statically')})`;
  }
}

function notificationLabel(n: RunDiffNotificationChange): string {
  return `${n.kind} :${n.action} ${n.target} (${n.timing})`;
}

function notificationWords(n: RunDiffNotificationChange, reason: (s: string) => string): string {
  return n.status === 'may-change' ? `may change (${reason(n.reason ?? 'not known statically')})` : n.status === 'added' ? 'gained' : 'lost';
}

function orderWords(o: RunDiffOrderChange): string {
  const first = (w: 'source' | 'target') => (w === 'source' ? `${o.source} first` : `${o.target} first`);
  return `${first(o.fromFirst)} → ${first(o.toFirst)}`;
}

function at(l: SourceLocation, where: FileLabel): string {
  return `${where(l.file)}:${l.line}`;
}

/** The text rendering: one line per resource (`+` added, `-` removed, `~` changed, `?` may change), details indented. */
export function runDiffText(d: RunDiff, where: FileLabel): string {
  const v = visibleLine;
  const out = [`cloche diff: ${v(d.from.label)} (${d.from.platform}) → ${v(d.to.label)} (${d.to.platform})`];
  for (const r of d.added) out.push(`+ ${v(r.id)}  ${v(at(r.location, where))}`);
  for (const r of d.removed) out.push(`- ${v(r.id)}  ${v(at(r.location, where))}`);
  for (const c of d.changed) {
    out.push(`${c.status === 'changed' ? '~' : '?'} ${v(c.id)}  ${v(at(c.toLocation, where))}${c.status === 'may-change' ? '  may change' : ''}`);
    for (const f of c.fields) out.push(`    ${v(fieldLabel(f))}: ${v(fieldWords(f, valueText, (s) => s))}`);
    for (const n of c.notifications) out.push(`    ${v(notificationLabel(n))}: ${v(notificationWords(n, (s) => s))}`);
    if (c.content) {
      out.push(`    content: ${c.content.status === 'may-change' ? `may change (${v(c.content.reason ?? '')})` : c.content.status}`);
      if (c.content.patch) for (const line of c.content.patch.replace(/\n$/, '').split('\n')) out.push(`      ${v(line)}`);
    }
  }
  for (const o of d.order) out.push(`order: ${v(o.source)} ${o.kind} ${v(o.target)}${o.action ? ` :${v(o.action)}` : ''}: ${v(orderWords(o))}`);
  out.push(summaryLine(d));
  return out.join('\n') + '\n';
}

/** The Markdown rendering, for a pull request comment: sections, resource ids as code, content diffs as `diff` blocks. */
export function runDiffMarkdown(d: RunDiff, where: FileLabel): string {
  const code = (s: string) => mdCode(s);
  const value = (x: JsonValue | undefined) => mdCode(valueText(x));
  const out = [
    `### Cloche: what this change does to the run`, '',
    `${code(d.from.label)} (${code(d.from.platform)}) → ${code(d.to.label)} (${code(d.to.platform)})`, '',
    `**${summaryLine(d)}**`,
  ];
  const section = (title: string, lines: string[]) => { if (lines.length) out.push('', `#### ${title}`, '', ...lines); };
  section('Added', d.added.map((r) => `- ${code(r.id)} at ${code(at(r.location, where))}`));
  section('Removed', d.removed.map((r) => `- ${code(r.id)} (was at ${code(at(r.location, where))})`));
  const details = (c: RunDiffResourceChange) => [
    `- ${code(c.id)} at ${code(at(c.toLocation, where))}`,
    ...c.fields.map((f) => `  - ${code(fieldLabel(f))}: ${fieldWords(f, value, mdText)}`),
    ...c.notifications.map((n) => `  - ${code(notificationLabel(n))}: ${notificationWords(n, mdText)}`),
    ...(c.content ? [`  - content: ${c.content.status === 'may-change' ? `may change (${mdText(c.content.reason ?? '')})` : c.content.status}`,
      ...(c.content.patch ? ['', indent(mdCodeBlock(c.content.patch.replace(/\n$/, ''), 'diff'), '    '), ''] : [])] : []),
  ];
  section('Changed', d.changed.filter((c) => c.status === 'changed').flatMap(details));
  section('May change (not known statically on one side or both)', d.changed.filter((c) => c.status === 'may-change').flatMap(details));
  section('Order changes', d.order.map((o) => `- ${code(o.source)} ${o.kind} ${code(o.target)}${o.action ? ` ${code(':' + o.action)}` : ''}: ${mdText(orderWords(o))}`));
  return out.join('\n') + '\n';
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => pad + l).join('\n');
}
