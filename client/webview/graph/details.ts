/**
 * The side panel describing the selected resource: properties (unknown values said as such), guards,
 * notifications, plan status, how a run comparison marks it. It is there only while something is selected, and closes (×, Escape).
 */
import type { GraphResource } from '../../../server/src/protocol';
import { actionLabel, markerText } from '../../../server/src/protocol';
import type { NodePlanStatus } from '../messages';
import { diffDetailsText, type DiffMark } from './diffMarks';
import { formatValue } from './model';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export interface DetailsHandlers {
  reveal(): void;
  close(): void;
}

/** Fills (or, with no resource, hides) the pane; a custom resource's internal says whose action declares it. */
export function renderDetails(host: HTMLElement, r: GraphResource | undefined, status: NodePlanStatus | undefined, h: DetailsHandlers, diff?: DiffMark): void {
  host.replaceChildren();
  host.hidden = !r;
  if (!r) return;
  const close = el('button', '×', 'close');
  close.title = 'Close (Escape)';
  close.setAttribute('aria-label', 'Close details');
  close.addEventListener('click', h.close);
  const open = el('button', 'Open source', 'link');
  open.addEventListener('click', h.reveal);
  host.append(close, el('h2', r.id), el('p', `${r.actions.map(actionLabel).join(', ')} · ${r.resolvedType} · ${r.origin}`, 'meta'), open);
  if (r.parent) host.append(el('p', `Inside ${r.parent}${r.parentAction ? `, converged during its :${r.parentAction} action` : ''}.`, 'meta'));
  if (status) host.append(el('p', `Plan: ${status.status}${status.summary ? ' — ' + status.summary : ''}`, `plan status-${status.status}`));
  if (diff) host.append(el('p', diffDetailsText(diff), `diff diff-${diff.status}`));
  if (r.conditional) host.append(el('p', `Conditional: ${r.conditional}`, 'warn'));
  if (r.repeated) host.append(el('p', `Repeated: ${r.repeated}`, 'warn'));
  const props = Object.entries(r.properties);
  if (props.length) {
    const table = el('table', undefined, 'props');
    for (const [k, v] of props) {
      const tr = el('tr');
      const value = el('td', formatValue(v));
      if (formatValue(v).includes('‹unknown:')) value.className = 'unknown';
      tr.append(el('th', k), value);
      table.append(tr);
    }
    host.append(el('h3', 'Properties'), table);
  }
  if (r.guards.length) {
    host.append(el('h3', 'Guards'));
    const ul = el('ul');
    for (const g of r.guards) ul.append(el('li', `${g.kind} ${g.command ?? g.source}${g.value !== undefined ? ` → ${g.value}` : g.unknownReason ? ` → unknown (${g.unknownReason})` : ''}`));
    host.append(ul);
  }
  if (r.notifies.length) {
    host.append(el('h3', 'Notifications'));
    const ul = el('ul');
    for (const n of r.notifies) ul.append(el('li', `${n.kind} ${actionLabel(n.action)} → ${n.resolved ?? markerText(n.target) + ' (unresolved)'} (${n.timing})`));
    host.append(ul);
  }
}
