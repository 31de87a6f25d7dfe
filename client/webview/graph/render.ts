/**
 * Draws a laid-out view model as SVG and keeps the drawing in step on updates: elements are reused by
 * key, so an edit that changes one resource touches one node. Every piece of data reaches the DOM as
 * textContent or an attribute value; nothing from the graph is ever parsed as markup. All text is drawn
 * at the layout's font size (the editor's), labels cut to fit their box.
 */
import type { StepStatus } from '../../../server/src/protocol';
import { actionLabel } from '../../../server/src/protocol';
import { diffBadges, diffTooltip, type DiffDecoration } from './diffMarks';
import type { Layout, Metrics } from './layout';
import { groupTitle, nodeSubtitle, nodeTitle, REMOVED_GROUP_KEY, type RecipeGroup, type RemovedEntry, type ViewModel, type ViewNode } from './model';
import { roundedPath, svgEl, svgText, TextFitter } from './svg';

export interface Decorations {
  selected?: string;
  /** Keys of what stands for the cursor's resources (a node, or the collapsed group holding it). */
  highlighted: ReadonlySet<string>;
  /** Keys that do not match the search (drawn dimmed); empty when there is no search. */
  dimmed: ReadonlySet<string>;
  status: ReadonlyMap<string, { status: StepStatus; summary?: string }>;
  /** A run comparison's marks, by the key of the box drawing them (empty without a comparison). */
  diff: ReadonlyMap<string, DiffDecoration>;
}

/** How far a comparison's outline lies outside the box it marks. */
const OUTLINE_GAP = 3;

interface Drawn { el: SVGGElement; sig: string }

export class GraphRenderer {
  readonly svg: SVGSVGElement;
  readonly viewport: SVGGElement;
  private readonly groupLayer: SVGGElement;
  private readonly edgeLayer: SVGGElement;
  private readonly nodeLayer: SVGGElement;
  private readonly removedLayer: SVGGElement;
  private removedSig = '';
  private nodeEls = new Map<string, Drawn>();
  private groupEls = new Map<string, Drawn>();
  private edgeEls = new Map<string, SVGPathElement>();
  private decorated = new Map<string, string>();
  private fonts?: { key: string; bold: TextFitter; plain: TextFitter };
  private metrics?: Metrics;
  /** Drawn width of each node and recipe group (labels are fitted to it when decorations change). */
  private widths = new Map<string, number>();

  constructor(host: HTMLElement) {
    this.svg = svgEl('svg', { class: 'graph', role: 'group', 'aria-label': 'Resource graph' });
    const defs = svgEl('defs', {}, this.svg);
    for (const kind of ['order', 'include', 'notifies-immediately', 'notifies-delayed', 'notifies-before', 'subscribes']) {
      const m = svgEl('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` }, m);
    }
    this.viewport = svgEl('g', { class: 'viewport' }, this.svg);
    this.groupLayer = svgEl('g', { class: 'groups' }, this.viewport);
    this.edgeLayer = svgEl('g', { class: 'edges' }, this.viewport);
    this.nodeLayer = svgEl('g', { class: 'nodes' }, this.viewport);
    this.removedLayer = svgEl('g', { class: 'removed' }, this.viewport);
    host.appendChild(this.svg);
  }

  /** Sets the font everything is drawn (and measured, for the layout) with; a new size redraws every element. */
  useMetrics(m: Metrics): void {
    if (this.metrics?.font !== m.font) {
      this.svg.style.fontSize = `${m.font}px`;
      this.nodeEls.forEach((d) => d.el.remove());
      this.groupEls.forEach((d) => d.el.remove());
      this.nodeEls.clear();
      this.groupEls.clear();
      this.decorated.clear();
      this.removedSig = '';
    }
    this.metrics = m;
    const family = getComputedStyle(this.svg).fontFamily;
    const key = `${m.font}|${family}`;
    if (this.fonts?.key !== key) this.fonts = { key, bold: new TextFitter(`600 ${m.font}px ${family}`), plain: new TextFitter(`${m.font}px ${family}`) };
  }

  /** Draws (or updates) the whole graph, laid out with the metrics last given to `useMetrics`. */
  update(model: ViewModel, layout: Layout): void {
    this.useMetrics(layout.metrics);
    this.drawGroups(model, layout);
    this.drawEdges(layout);
    this.drawNodes(model, layout);
    this.drawRemoved(model, layout);
  }

  /** Applies selection, cursor highlight, search dimming, plan status and comparison marks, touching only what changed. */
  decorate(model: ViewModel, d: Decorations): void {
    const classes = (key: string) => {
      const s = d.status.get(key);
      const c = d.diff.get(key);
      return [
        key === d.selected ? 'selected' : '',
        d.highlighted.has(key) ? 'highlighted' : '',
        d.dimmed.has(key) ? 'dim' : '',
        s ? `status status-${s.status}` : '',
        c ? `diff diff-${c.status}${c.inside.added + c.inside.changed + c.inside['may-change'] ? ' diff-inside' : ''}` : '',
      ].filter(Boolean).join(' ');
    };
    // What a decoration shows besides its classes: the texts of badges and tooltips.
    const signature = (key: string, cls: string) => {
      const c = d.diff.get(key);
      return c ? `${cls}|${d.status.get(key)?.summary ?? ''}|${diffBadges(c)[0]}|${c.own?.summary ?? ''}` : `${cls}|${d.status.get(key)?.summary ?? ''}`;
    };
    for (const [key, { el }] of this.nodeEls) {
      const cls = classes(key);
      const sig = signature(key, cls);
      if (this.decorated.get(key) === sig) continue;
      this.decorated.set(key, sig);
      const node = model.nodes.get(key)!;
      const s = d.status.get(key);
      const c = d.diff.get(key);
      el.setAttribute('class', `${baseClass(node)} ${cls}`);
      const badge = el.querySelector<SVGTextElement>(':scope > .status-badge');
      if (badge) badge.textContent = s ? statusLabel(s.status) : '';
      const sub = el.querySelector<SVGTextElement>(':scope > .subtitle');
      if (sub && this.fonts && this.metrics) {
        const m = this.metrics;
        const toggle = toggleLabel(node);
        const room = (this.widths.get(key) ?? m.nodeWidth) - 2 * m.inset - (toggle ? this.fonts.bold.width(toggle) + m.inset : 0) - (s ? this.fonts.plain.width(statusLabel(s.status)) + m.inset : 0);
        sub.textContent = this.fonts.plain.fitEnd(subtitleOf(node), room);
      }
      this.markDiff(el, key, c, node.expanded ? this.fonts!.bold.width(toggleLabel(node)) + this.metrics!.inset : 0, nodeTitle(node.resource));
      const title = el.querySelector(':scope > title');
      if (title) title.textContent = tooltip(node, model, s?.summary, c);
    }
    for (const [key, { el }] of this.groupEls) {
      const cls = classes(key);
      const sig = signature(key, cls);
      if (this.decorated.get(key) === sig) continue;
      this.decorated.set(key, sig);
      const g = model.groups.get(key)!;
      const c = d.diff.get(key);
      el.setAttribute('class', `${groupClass(g)} ${cls}`);
      const header = el.querySelector<SVGGElement>(':scope > .group-header');
      if (header && this.fonts && this.metrics) {
        this.markDiff(el, key, c, this.fonts.plain.width(groupCount(g)) + this.metrics.inset, groupTitle(g), header);
        const title = header.querySelector(':scope > title');
        if (title) title.textContent = [groupTooltip(g), ...(c ? diffTooltip(c) : [])].join('\n');
      }
    }
  }

  /**
   * Draws or clears a comparison mark on a box: an outline just outside it and a badge at the right of
   * its first line (left of whatever sits there, `rightUsed` pixels), the title fitted to what is left.
   * Both are made on first use, so a drawing without a comparison has no extra elements.
   */
  private markDiff(el: SVGGElement, key: string, c: DiffDecoration | undefined, rightUsed: number, fullTitle: string, textHost: SVGGElement = el): void {
    const m = this.metrics, fonts = this.fonts;
    if (!m || !fonts) return;
    let outline = el.querySelector<SVGRectElement>(':scope > .diff-outline');
    let badge = textHost.querySelector<SVGTextElement>(':scope > .diff-badge');
    if (!c && !outline && !badge) return;
    const width = this.widths.get(key) ?? m.nodeWidth;
    const titleEl = textHost.querySelector<SVGTextElement>(':scope > .title, :scope > .segment-label');
    if (!c) {
      outline?.remove();
      badge?.remove();
    } else {
      const box = el.querySelector<SVGRectElement>(':scope > .box, :scope > .group-box');
      const height = Number(box?.getAttribute('height') ?? m.nodeHeight);
      if (!outline) {
        outline = svgEl('rect', { class: 'diff-outline', fill: 'none', x: -OUTLINE_GAP, y: -OUTLINE_GAP, rx: 6 });
        el.insertBefore(outline, box ?? null);
      }
      outline.setAttribute('width', String(width + 2 * OUTLINE_GAP));
      outline.setAttribute('height', String(height + 2 * OUTLINE_GAP));
      badge ??= svgText('', { class: 'diff-badge', 'text-anchor': 'end' }, textHost);
      badge.setAttribute('x', String(width - m.inset - rightUsed));
      badge.setAttribute('y', String(textHost === el ? m.line1 : m.headerLine));
      const room = (width - 2 * m.inset - rightUsed) * 0.6;
      const texts = diffBadges(c);
      badge.textContent = texts.find((t) => fonts.plain.width(t) <= room) ?? fonts.plain.fitEnd(texts[texts.length - 1], room);
    }
    if (titleEl) {
      const left = Number(titleEl.getAttribute('x') ?? m.inset);
      const badgeRoom = c && badge ? fonts.plain.width(badge.textContent ?? '') + m.inset : 0;
      titleEl.textContent = fonts.bold.fitMiddle(fullTitle, width - left - m.inset - rightUsed - badgeRoom);
    }
  }

  private drawGroups(model: ViewModel, layout: Layout): void {
    const m = layout.metrics;
    const next = new Map<string, Drawn>();
    for (const key of model.visibleGroups) {
      const g = model.groups.get(key)!;
      const box = layout.boxes.get(key);
      if (!box) continue;
      const sig = `${box.width}x${box.height}|${g.expanded}|${g.resourceCount}|${g.entry}|${g.recipe}`;
      const old = this.groupEls.get(key);
      let el: SVGGElement;
      if (old && old.sig === sig) el = old.el;
      else {
        el = this.buildGroup(g, box.width, box.height, m);
        if (old) old.el.replaceWith(el);
        this.decorated.delete(key);
      }
      this.widths.set(key, box.width);
      const transform = `translate(${box.x},${box.y})`;
      if (el.getAttribute('transform') !== transform) el.setAttribute('transform', transform);
      next.set(key, { el, sig });
    }
    for (const [key, { el }] of this.groupEls) if (!next.has(key)) { el.remove(); this.widths.delete(key); }
    // Outer groups first, so nested ones paint over them (visibleGroups lists parents first); re-stacked only when that order changed.
    const els = [...next.values()].map((v) => v.el);
    if (els.some((el, i) => this.groupLayer.children[i] !== el)) this.groupLayer.replaceChildren(...els);
    this.groupEls = next;
  }

  private buildGroup(g: RecipeGroup, width: number, height: number, m: Metrics): SVGGElement {
    const el = svgEl('g', { class: groupClass(g), 'data-group': g.key });
    svgEl('rect', { width, height, rx: 6, class: 'group-box' }, el);
    const count = groupCount(g);
    const header = svgEl('g', {
      class: 'group-header', 'data-toggle': g.key, role: 'button', tabindex: 0, 'aria-expanded': String(g.expanded),
      'aria-label': `${groupTitle(g)}, ${count}: ${g.expanded ? 'collapse' : 'expand'}`,
    }, el);
    svgEl('title', {}, header).textContent = groupTooltip(g);
    svgEl('rect', { width, height: m.header, rx: 6, class: 'header-hit' }, header);
    const chevron = g.expanded ? '▾' : '▸';
    svgText(chevron, { x: m.inset, y: m.headerLine, class: 'chevron' }, header);
    const countWidth = this.fonts!.plain.width(count);
    const titleX = m.inset + this.fonts!.bold.width(chevron) + m.font * 0.5;
    svgText(this.fonts!.bold.fitMiddle(groupTitle(g), width - titleX - countWidth - 2 * m.inset), { x: titleX, y: m.headerLine, class: 'segment-label' }, header);
    svgText(count, { x: width - m.inset, y: m.headerLine, class: 'group-count', 'text-anchor': 'end' }, header);
    return el;
  }

  private drawEdges(layout: Layout): void {
    const next = new Map<string, SVGPathElement>();
    for (const { edge, points } of layout.edges) {
      let el = this.edgeEls.get(edge.key);
      if (!el) {
        const marker = edge.kind === 'notifies' ? `notifies-${edge.timing ?? 'delayed'}` : edge.kind;
        el = svgEl('path', {
          class: `edge kind-${edge.kind}${edge.timing ? ' timing-' + edge.timing : ''}`,
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
    const next = new Map<string, Drawn>();
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
        el = this.buildNode(node, model, box.width, box.height, layout.metrics);
        if (old) old.el.replaceWith(el);
        else if (node.expanded) newGroup = true;
        this.decorated.delete(key);
      }
      this.widths.set(key, box.width);
      const transform = `translate(${box.x},${box.y})`;
      if (el.getAttribute('transform') !== transform) el.setAttribute('transform', transform);
      next.set(key, { el, sig });
    }
    for (const [key, { el }] of this.nodeEls) if (!next.has(key)) { el.remove(); this.widths.delete(key); }
    // Groups paint below their members: a new group means re-stacking; otherwise new nodes just join the end.
    if (newGroup) this.nodeLayer.append(...[...next.values()].map((v) => v.el));
    else for (const { el } of next.values()) if (!el.isConnected) this.nodeLayer.append(el);
    this.nodeEls = next;
  }

  private buildNode(n: ViewNode, model: ViewModel, width: number, height: number, m: Metrics): SVGGElement {
    const fonts = this.fonts!;
    const g = svgEl('g', { class: baseClass(n), 'data-key': n.key, tabindex: 0, role: 'button', 'aria-label': n.resource.id });
    svgEl('title', {}, g).textContent = tooltip(n, model);
    svgEl('rect', { width, height, rx: 4, class: 'box' }, g);
    // A collapsed custom resource's count sits on its second line, so its title keeps the whole first one.
    let titleRoom = width - 2 * m.inset;
    const toggle = toggleLabel(n);
    if (toggle) {
      const hit = svgEl('g', { class: 'toggle-hit', 'data-toggle': n.key }, g);
      svgEl('title', {}, hit).textContent = n.expanded ? 'Collapse' : `Expand: ${n.inside} resources inside (${n.childKeys.length} declared by its actions directly)`;
      svgText(toggle, { x: width - m.inset, y: n.expanded ? m.line1 : m.line2, class: 'toggle', 'text-anchor': 'end' }, hit);
      if (n.expanded) titleRoom -= fonts.bold.width(toggle) + m.inset;
    }
    svgText(fonts.bold.fitMiddle(nodeTitle(n.resource), titleRoom), { x: m.inset, y: m.line1, class: 'title' }, g);
    const reserved = toggle && !n.expanded ? fonts.bold.width(toggle) + m.inset : 0;
    if (!n.expanded) svgText(fonts.plain.fitEnd(subtitleOf(n), width - 2 * m.inset - reserved), { x: m.inset, y: m.line2, class: 'subtitle' }, g);
    svgText('', { x: width - m.inset - reserved, y: n.expanded ? height - m.inset : m.line2, class: 'status-badge', 'text-anchor': 'end' }, g);
    return g;
  }

  /**
   * The resources only the compared baseline has: a block after the run, each entry struck through and
   * opening the baseline's source line when clicked. Redrawn whole when they or their places change.
   */
  private drawRemoved(model: ViewModel, layout: Layout): void {
    const group = layout.boxes.get(REMOVED_GROUP_KEY);
    const sig = group ? JSON.stringify([model.removed, model.removed.map((r) => layout.boxes.get(r.key)), group]) : '';
    if (sig === this.removedSig) return;
    this.removedSig = sig;
    this.removedLayer.replaceChildren();
    if (!group) return;
    const m = layout.metrics, fonts = this.fonts!;
    const block = svgEl('g', { class: 'removed-group', transform: `translate(${group.x},${group.y})` }, this.removedLayer);
    svgEl('rect', { width: group.width, height: group.height, rx: 6, class: 'group-box' }, block);
    const heading = `Removed (${model.removed.length})`;
    svgText(heading, { x: m.inset, y: m.headerLine, class: 'segment-label' }, block);
    svgText(fonts.plain.fitEnd('only in the baseline; click one to open its source there', group.width - 3 * m.inset - fonts.bold.width(heading)),
      { x: m.inset * 2 + fonts.bold.width(heading), y: m.headerLine, class: 'group-count' }, block);
    for (const r of model.removed) {
      const box = layout.boxes.get(r.key);
      if (box) this.removedLayer.append(this.buildRemoved(r, box.width, box.height, m, box.x, box.y));
    }
  }

  private buildRemoved(r: RemovedEntry, width: number, height: number, m: Metrics, x: number, y: number): SVGGElement {
    const fonts = this.fonts!;
    const g = svgEl('g', { class: 'removed-entry', 'data-key': r.key, tabindex: 0, role: 'button', 'aria-label': `${r.resource}, removed: open the baseline's source`, transform: `translate(${x},${y})` });
    const where = `${r.location.file}:${r.location.line}`;
    // Drawn as its folder and file ("recipes/default.rb:100"); the tooltip has the whole path.
    const shortWhere = `${r.location.file.split('/').slice(-2).join('/')}:${r.location.line}`;
    svgEl('title', {}, g).textContent = `${r.resource}\nremoved: only the baseline declares it (${r.type})\n${where}\nClick to open the baseline's source.`;
    svgEl('rect', { width, height, rx: 4, class: 'box' }, g);
    svgText(fonts.bold.fitMiddle(r.resource, width - 2 * m.inset), { x: m.inset, y: m.line1, class: 'title' }, g);
    svgText(fonts.plain.fitMiddle(`${r.type} · ${shortWhere}`, width - 2 * m.inset), { x: m.inset, y: m.line2, class: 'subtitle' }, g);
    return g;
  }

  /** The width an expanded custom resource's title bar needs (its title and its toggle). */
  headerWidth(model: ViewModel, key: string, m: Metrics): number {
    const n = model.nodes.get(key);
    if (!n || !this.fonts) return 0;
    return this.fonts.bold.width(nodeTitle(n.resource)) + this.fonts.bold.width(toggleLabel(n)) + m.inset;
  }

  elementOf(key: string): SVGGElement | undefined {
    return this.nodeEls.get(key)?.el ?? this.groupEls.get(key)?.el;
  }
}

function nodeSignature(n: ViewNode): string {
  const r = n.resource;
  return JSON.stringify([r.id, r.type, r.resolvedType, r.actions, r.conditional, r.repeated, r.custom, n.hasUnknown, n.inside, r.location.line, r.origin, r.parentAction, r.properties]);
}

function toggleLabel(n: ViewNode): string {
  return !n.childKeys.length ? '' : n.expanded ? '− collapse' : `+ ${n.inside} inside`;
}

function subtitleOf(n: ViewNode): string {
  const r = n.resource;
  const marks = [r.conditional ? 'conditional' : '', r.repeated ? 'repeated' : '', n.hasUnknown ? 'unknown values' : ''].filter(Boolean);
  return nodeSubtitle(r) + (marks.length ? ` · ${marks.join(', ')}` : '');
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

function groupClass(g: RecipeGroup): string {
  return `recipe-group entry-${g.entry}${g.expanded ? '' : ' collapsed'}`;
}

const groupCount = (g: RecipeGroup) => `${g.resourceCount} resource${g.resourceCount === 1 ? '' : 's'}`;

function groupTooltip(g: RecipeGroup): string {
  return `${groupTitle(g)} — ${groupCount(g)}. Click to ${g.expanded ? 'collapse' : 'expand'}.`;
}

function tooltip(n: ViewNode, model: ViewModel, planSummary?: string, diff?: DiffDecoration): string {
  const r = n.resource;
  const lines = [r.id, `${r.actions.map(actionLabel).join(', ')}  (${r.resolvedType})`, `${r.origin} — line ${r.location.line}`];
  const parent = n.parentKey ? model.nodes.get(n.parentKey)?.resource.id : undefined;
  if (parent) lines.push(`inside ${parent}${r.parentAction ? `, during its :${r.parentAction} action` : ''}`);
  if (n.childKeys.length) lines.push(`${n.inside} resources inside`);
  if (r.conditional) lines.push(`conditional: ${r.conditional}`);
  if (r.repeated) lines.push(`repeated: ${r.repeated}`);
  if (planSummary) lines.push(planSummary);
  if (diff) lines.push(...diffTooltip(diff));
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
