/**
 * A run comparison's marks as the graph draws them: each mark found by its node key (the id, and for a
 * repeated id the nth resource with it in converge order), rolled up onto the collapsed custom resource
 * or recipe group standing for it, as plan statuses are; the words its badge, tooltip and the toolbar say.
 * Pure data: no DOM.
 */
import type { GraphRunDiff } from '../messages';
import { nodeKey, type ViewModel } from './model';

export type DiffMark = GraphRunDiff['marks'][number];
export type DiffStatus = DiffMark['status'];

/** How a drawn box is marked: its own mark, and the marks of what it stands for while collapsed. */
export interface DiffDecoration {
  own?: DiffMark;
  /** Marked resources inside a collapsed box, by status. */
  inside: Record<DiffStatus, number>;
  /** The colour of the box: its own status, else the most telling one inside it. */
  status: DiffStatus;
}

/** Most telling first: a known change, an addition, then a change the evaluation cannot rule out. */
const RANK: Record<DiffStatus, number> = { changed: 3, added: 2, 'may-change': 1 };
/** The order counts are said in. */
const ORDER: DiffStatus[] = ['added', 'changed', 'may-change'];

const WORDS: Record<DiffStatus, string> = { added: 'added', changed: 'changed', 'may-change': 'may change' };
const GLYPHS: Record<DiffStatus, string> = { added: '+', changed: '±', 'may-change': '≈' };

/** The marks by node key (a later mark for the same resource wins). */
export function marksByKey(diff: GraphRunDiff | undefined): Map<string, DiffMark> {
  const out = new Map<string, DiffMark>();
  for (const m of diff?.marks ?? []) out.set(nodeKey(m.resource, m.occurrence ?? 0), m);
  return out;
}

/** The decoration of every drawn box a mark reaches; a mark for a resource the drawn graph lacks (a stale one) is left out. */
export function diffDecorations(model: ViewModel, marks: ReadonlyMap<string, DiffMark>): Map<string, DiffDecoration> {
  const out = new Map<string, DiffDecoration>();
  for (const [key, mark] of marks) {
    const shown = model.shownAs.get(key);
    if (!shown) continue;
    let d = out.get(shown);
    if (!d) out.set(shown, (d = { inside: { added: 0, changed: 0, 'may-change': 0 }, status: mark.status }));
    if (shown === key) d.own = mark;
    else d.inside[mark.status]++;
  }
  for (const d of out.values()) {
    d.status = d.own?.status ?? ORDER.filter((s) => d.inside[s]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
  }
  return out;
}

/** "3 changed inside", "1 added, 2 changed inside"; empty when nothing inside is marked. */
export function insideText(d: DiffDecoration): string {
  const parts = ORDER.filter((s) => d.inside[s]).map((s) => `${d.inside[s]} ${WORDS[s]}`);
  return parts.length ? `${parts.join(', ')} inside` : '';
}

/**
 * The badge drawn on the box, longest first ("± changed · 1 added, 2 changed inside", then
 * "± changed · +1 ±2 inside"): the drawing takes the first that fits, the tooltip says it all.
 */
export function diffBadges(d: DiffDecoration): string[] {
  const own = d.own ? `${GLYPHS[d.own.status]} ${WORDS[d.own.status]}` : '';
  const inside = insideText(d);
  const long = [own, inside].filter(Boolean).join(' · ');
  if (!inside) return [long];
  const short = ORDER.filter((s) => d.inside[s]).map((s) => `${GLYPHS[s]}${d.inside[s]}`).join(' ');
  return [long, [own, `${short} inside`].filter(Boolean).join(' · ')];
}

/** The tooltip's lines about the comparison. */
export function diffTooltip(d: DiffDecoration): string[] {
  const inside = insideText(d);
  return [
    d.own ? `Compared with the baseline: ${WORDS[d.own.status]}${d.own.summary && d.own.summary !== WORDS[d.own.status] ? ` — ${d.own.summary}` : ''}` : '',
    inside ? `Compared with the baseline: ${inside}` : '',
  ].filter(Boolean);
}

/** One line for the details pane. */
export function diffDetailsText(m: DiffMark): string {
  return `Compared with the baseline: ${WORDS[m.status]}${m.summary && m.summary !== WORDS[m.status] ? ` — ${m.summary}` : ''}`;
}

/** The toolbar's line: what is compared, then the counts ("HEAD → working tree (debian-12): 2 added, 1 removed, 3 changed, 1 may change"). */
export function diffLine(diff: GraphRunDiff): string {
  const n = (s: DiffStatus) => diff.marks.filter((m) => m.status === s).length;
  return `${diff.label}: ${n('added')} added, ${diff.removed.length} removed, ${n('changed')} changed, ${n('may-change')} may change`;
}
