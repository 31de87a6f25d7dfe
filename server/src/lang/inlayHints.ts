/** Inlay hints: the resolved value after each `node['a']['b']` read, for the platform profile. */
import type { FileView, Pos, Span } from './types';
import { before } from './types';
import { findUnknown } from '../ruby/values';
import { attributeRefs, spanOfNode } from './syntax';
import { valueText } from './describe';

export interface Hint { position: Pos; label: string; tooltip: string }

/** Hints for the attribute reads inside a range. */
export function attributeHints(view: FileView, range: Span): Hint[] {
  const parsed = view.parsed;
  const store = view.analysis?.compilation?.store;
  if (!parsed || !store) return [];
  const out: Hint[] = [];
  for (const ref of attributeRefs(parsed)) {
    const span = spanOfNode(parsed, ref);
    if (!before(range.start, span.end) || !before(span.end, range.end)) continue;
    const v = store.read(ref.path);
    if (v === undefined || findUnknown(v)) continue;
    const label = v.k === 'hash' ? `{…${v.map.size}}` : valueText(v, 30);
    out.push({ position: span.end, label: ` = ${label}`, tooltip: `${view.facts.profile}: ${valueText(v, 400)}` });
  }
  return out;
}
