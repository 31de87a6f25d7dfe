/**
 * Draws a laid-out view model as SVG and keeps the drawing in step on updates: elements are reused by
 * key, so an edit that changes one resource touches one node. Every piece of data reaches the DOM as
 * textContent or an attribute value; nothing from the graph is ever parsed as markup.
 */
import type { StepStatus } from '../../../server/src/protocol';
import { actionLabel } from '../../../server/src/protocol';
import type { Layout, RoutedEdge } from './layout';
import { nodeSubtitle, nodeTitle, type ViewModel, type ViewNode } from './model';
import { fit, roundedPath, svgEl, svgText } from './svg';

export interface Decorations {
  selected?: string;
  highlighted: ReadonlySet<string>;
  /** Keys that do not match the search (drawn dimmed); empty when there is no search. */
  dimmed: ReadonlySet<string>;
  status: ReadonlyMap<string, { status: StepStatus; summary?: string }>;
}

const TITLE_CHARS = 36;
const SUB_CHARS = 40;

export class GraphRenderer {
  readonly svg: SVGSVGElement;
  readonly viewport: SVGGElement;
  private readonly segmentLayer: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private nodeEls = new Map<string, { el: SVGGElement; sig: string }>();
  private edgeEls = new Map<string, SVGPathElement>();
  private segmentSig = '';
  private decorated = new Map<string, string>();

  constructor(host: HTMLElement) {
    this.svg = svgEl('svg', { class: 'graph', role: 'group', 'aria-label': 'Resource graph' });
    const defs = svgEl('defs', {}, this.svg);
    for (const kind of ['order', 'include', 'notifies-immediately', 'notifies-delayed', 'notifies-before', 'subscribes']) {
      const m = svgEl('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` }, m);
    }
    this.viewport = svgEl('g', { class: 'viewport' }, this.svg);
    this.segmentLayer = svgEl('g', { class: 'segments' }, this.viewport);
    this.edgeLayer = svgEl('g', { class: 'edges' }, this.viewport);
    this.nodeLayer = svgEl('g', { class: 'nodes' }, this.viewport);
    host.appendChild(this.svg);
  }

  /** Draws (or updates) the whole graph. */
  update(model: ViewModel, layout: Layout): void {
    this.drawSegments(layout);
    this.drawEdges(layout.edges, layout);
    this.drawNodes(model, layout);
  }

  /** Applies selection, cursor highlight, search dimming and plan status as classes, touching only what changed. */
  decorate(model: ViewModel, d: Decorations): void {
    for (const [key, { el }] of this.nodeEls) {
      const s = d.status.get(key);
      const cls = [
        key === d.selected ? 'selected' : '',
        d.highlighted.has(key) ? 'highlighted' : '',
        d.dimmed.has(key) ? 'dim' : '',
        s ? `status status-${s.status}` : '',
      ].filter(Boolean).join(' ');
      if (this.decorated.get(key) === cls) continue;
      this.decorated.set(key, cls);
      el.setAttribute('class', `${baseClass(model.nodes.get(key)!)} ${cls}`);
      const badge = el.querySelector('.status-badge');
      if (badge) badge.textContent = s ? statusLabel(s.status) : '';
      const title = el.querySelector('title');
      if (title) title.textContent = tooltip(model.nodes.get(key)!, s?.summary);
    }
  }

  private drawSegments(layout: Layout): void {
    const sig = JSON.stringify([layout.segments, layout.flows.length]);
    if (sig === this.segmentSig) return;
    this.segmentSig = sig;
    this.segmentLayer.replaceChildren();
    for (const s of layout.segments) {
      const g = svgEl('g', { class: `segment entry-${s.entry}` }, this.segmentLayer);
      svgEl('rect', { x: s.x - 8, y: s.y, width: s.width + 16, height: s.height, rx: 6 }, g);
      svgText(`${s.entry === 'include' ? 'include_recipe ' : ''}${s.origin}`, { x: s.x, y: s.y + 17, class: 'segment-label' }, g);
    }
    for (const f of layout.flows) {
      const kind = f.to.entry === 'include' ? 'include' : 'order';
      svgEl('path', { d: roundedPath(f.points), class: `edge flow kind-${kind}`, 'marker-end': `url(#arrow-${kind})` }, this.segmentLayer);
    }
  }

  private drawEdges(edges: RoutedEdge[], _layout: Layout): void {
    const next = new Map<string, SVGPathElement>();
    for (const { edge, points, lane } of edges) {
      let el = this.edgeEls.get(edge.key);
      if (!el) {
        const marker = edge.kind === 'notifies' ? `notifies-${edge.timing ?? 'delayed'}` : edge.kind;
        el = svgEl('path', {
          class: `edge kind-${edge.kind}${edge.timing ? ' timing-' + edge.timing : ''}${lane !== undefined ? ' lane' : ''}`,
          'marker-end': `url(#arrow-${marker})`,
          'data-from': edge.from,
          'data-to': edge.to,
        });
        if (edge.action) {
          const t = svgEl('title', {}, el);
          t.textContent = `${edge.kind} :${edge.action}${edge.timing ? ' (' + edge.timing + ')' : ''}  ${edge.from} → ${edge.to}`;
        }
      }
      const d = roundedPath(points);
      if (el.getAttribute('d') !== d) el.setAttribute('d', d);
      if (!el.isConnected) this.edgeLayer.append(el);
      next.set(edge.key, el);
    }
    for (const [key, el] of this.edgeEls) if (!next.has(key)) el.remove();
    this.edgeEls = next;
  }

  private drawNodes(model: ViewModel, layout: Layout): void {
    const next = new Map<string, { el: SVGGElement; sig: string }>();
    let newGroup = false;
    // Groups first so their members paint on top.
    const order = [...model.visible].sort((a, b) => Number(!model.nodes.get(a)!.expanded) - Number(!model.nodes.get(b)!.expanded));
    for (const key of order) {
      const node = model.nodes.get(key)!;
      const box = layout.boxes.get(key);
      if (!box) continue;
      const sig = `${box.width}x${box.height}|${node.expanded}|${nodeSignature(node)}`;
      const old = this.nodeEls.get(key);
      let el: SVGGElement;
      if (old && old.sig === sig) el = old.el;
      else {
        el = buildNode(node, box.width, box.height);
        if (old) old.el.replaceWith(el);
        else if (node.expanded) newGroup = true;
        this.decorated.delete(key);
      }
      const transform = `translate(${box.x},${box.y})`;
      if (el.getAttribute('transform') !== transform) el.setAttribute('transform', transform);
      next.set(key, { el, sig });
    }
    for (const [key, { el }] of this.nodeEls) if (!next.has(key)) el.remove();
    // Groups paint below their members: a new group means re-stacking; otherwise new nodes just join the end.
    if (newGroup) this.nodeLayer.append(...[...next.values()].map((v) => v.el));
    else for (const { el } of next.values()) if (!el.isConnected) this.nodeLayer.append(el);
    this.nodeEls = next;
  }

  elementOf(key: string): SVGGElement | undefined {
    return this.nodeEls.get(key)?.el;
  }
}

function nodeSignature(n: ViewNode): string {
  const r = n.resource;
  return JSON.stringify([r.id, r.type, r.resolvedType, r.actions, r.conditional, r.repeated, r.custom, n.hasUnknown, n.childKeys.length, r.location.line, r.origin, r.properties]);
}

function baseClass(n: ViewNode): string {
  return [
    'node',
    n.expanded ? 'group' : '',
    n.childKeys.length ? 'custom' : '',
    n.resource.conditional ? 'conditional' : '',
    n.resource.repeated ? 'repeated' : '',
    n.hasUnknown ? 'unknown' : '',
  ].filter(Boolean).join(' ');
}

function buildNode(n: ViewNode, width: number, height: number): SVGGElement {
  const g = svgEl('g', { class: baseClass(n), 'data-key': n.key, tabindex: 0, role: 'button', 'aria-label': n.resource.id });
  svgEl('title', {}, g).textContent = tooltip(n);
  svgEl('rect', { width, height, rx: 4, class: 'box' }, g);
  const title = nodeTitle(n.resource);
  svgText(fit(title, TITLE_CHARS), { x: 10, y: 18, class: 'title' }, g);
  const marks = [n.resource.conditional ? 'conditional' : '', n.resource.repeated ? 'repeated' : '', n.hasUnknown ? 'unknown values' : ''].filter(Boolean);
  const sub = nodeSubtitle(n.resource) + (marks.length ? ` · ${marks.join(', ')}` : '');
  if (!n.expanded) svgText(fit(sub, SUB_CHARS), { x: 10, y: 35, class: 'subtitle' }, g);
  if (n.childKeys.length) {
    const t = svgText(n.expanded ? '−' : `+${n.childKeys.length}`, { x: width - 8, y: 18, class: 'toggle', 'text-anchor': 'end', 'data-toggle': n.key }, g);
    svgEl('title', {}, t).textContent = n.expanded ? 'Collapse' : `Expand: ${n.childKeys.length} resources inside`;
  }
  svgText('', { x: width - 8, y: n.expanded ? height - 6 : 35, class: 'status-badge', 'text-anchor': 'end' }, g);
  return g;
}

function tooltip(n: ViewNode, planSummary?: string): string {
  const r = n.resource;
  const lines = [r.id, `${r.actions.map(actionLabel).join(', ')}  (${r.resolvedType})`, `${r.origin} — line ${r.location.line}`];
  if (r.conditional) lines.push(`conditional: ${r.conditional}`);
  if (r.repeated) lines.push(`repeated: ${r.repeated}`);
  if (planSummary) lines.push(planSummary);
  return lines.join('\n');
}

export function statusLabel(s: StepStatus): string {
  switch (s) {
    case 'change': return '● change';
    case 'up-to-date': return '✓ up to date';
    case 'skipped': return '↷ skipped';
    case 'unknown': return '? unknown';
    case 'failed': return '✗ failed';
  }
}
