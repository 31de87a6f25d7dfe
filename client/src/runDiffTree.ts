/**
 * The rows of the "Run Changes" tree (Compare Run with HEAD) from a RunDiff: one row per added,
 * removed, changed or may-change resource, its differences as children, and order changes. Each row
 * says where it is in the source (the new side's line, the old side's for a removed resource) and
 * which rendered content it can open in the diff editor. Pure (no vscode import; tested in Node).
 */
import type { RunDiff, RunDiffResourceChange, SourceLocation } from '../../server/src/protocol';
import { valueText } from '../../server/src/chef/runDiffFormats';

export type RunDiffRowKind = 'added' | 'removed' | 'changed' | 'may-change' | 'order' | 'detail';

export interface RunDiffRow {
  label: string;
  description?: string;
  /** A tooltip: the reason of a may-change, the whole value of a long change. */
  tooltip?: string;
  kind: RunDiffRowKind;
  /** Where the row leads when chosen; `side: 'from'` when it is the baseline's line (a removed resource, where a changed one was). */
  location?: SourceLocation;
  side?: 'from' | 'to';
  /** The index in `diff.changed` of the resource whose rendered content this row opens in the diff editor. */
  contentOf?: number;
  children?: RunDiffRow[];
}

const cut = (s: string, n = 80) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

export function runDiffRows(diff: RunDiff): RunDiffRow[] {
  const rows: RunDiffRow[] = [];
  for (const r of diff.added) rows.push({ label: r.id, description: 'added', kind: 'added', location: r.location });
  for (const r of diff.removed) rows.push({ label: r.id, description: `removed (was ${where(r.location)})`, kind: 'removed', location: r.location, side: 'from' });
  diff.changed.forEach((c, i) => rows.push(changedRow(c, i)));
  for (const o of diff.order) {
    const first = (w: 'source' | 'target') => (w === 'source' ? o.source : o.target);
    rows.push({ label: `${o.source} → ${o.target}`, description: `order: ${first(o.fromFirst)} first, now ${first(o.toFirst)} first`, kind: 'order' });
  }
  return rows;
}

function changedRow(c: RunDiffResourceChange, index: number): RunDiffRow {
  const children: RunDiffRow[] = [];
  for (const f of c.fields) {
    const name = f.field === 'property' ? f.name! : f.field === 'guard' ? `guard ${f.name}` : f.field;
    const text = f.status === 'changed' ? `${valueText(f.from)} → ${valueText(f.to)}`
      : f.status === 'added' ? (f.field === 'guard' ? 'added' : `added: ${valueText(f.to)}`)
      : f.status === 'removed' ? (f.field === 'guard' ? 'removed' : `removed (was ${valueText(f.from)})`)
      : 'may change';
    children.push({ label: name, description: cut(text), tooltip: f.reason ?? text, kind: f.status === 'may-change' ? 'may-change' : 'detail', location: c.toLocation });
  }
  for (const n of c.notifications) {
    const what = n.status === 'added' ? 'gained' : n.status === 'removed' ? 'lost' : 'may change';
    children.push({ label: `${n.kind} :${n.action} ${n.target}`, description: `${n.timing}: ${what}`, ...(n.reason ? { tooltip: n.reason } : {}), kind: n.status === 'may-change' ? 'may-change' : 'detail', location: c.toLocation });
  }
  if (c.content) {
    children.push({ label: 'content', description: c.content.status === 'may-change' ? 'may change (open the diff)' : `${c.content.status} (open the diff)`, ...(c.content.reason ? { tooltip: c.content.reason } : {}), kind: c.content.status === 'may-change' ? 'may-change' : 'detail', contentOf: index, location: c.toLocation });
  }
  const moved = c.fromLocation.file !== c.toLocation.file || c.fromLocation.line !== c.toLocation.line;
  children.push({ label: 'before', description: moved ? `at ${where(c.fromLocation)}` : 'same line', kind: 'detail', location: c.fromLocation, side: 'from' });
  return { label: c.id, description: c.status === 'may-change' ? 'may change' : 'changed', kind: c.status, location: c.toLocation, children };
}

function where(l: SourceLocation): string {
  return `${l.file.split(/[\\/]/).slice(-2).join('/')}:${l.line}`;
}
