/**
 * The graph preview's controller: receives typed messages, keeps the view state, runs
 * model → layout → render (one at a time, always for the newest graph), and reports clicks and exports.
 * The first view of a run is at zoom 1 with the editor's font size, its start at the top, recipes beyond
 * a budget of boxes collapsed; the cursor's resource is brought into view (its recipe groups opened).
 * While a run comparison is shown, its marks are drawn (rolled up like plan statuses), the baseline's
 * removed resources apart after the run, and "Changed only" narrows the drawing to what is marked.
 */
import type { Graph } from '../../../server/src/protocol';
import type { FromWebview, GraphRunDiff, GraphSource, GraphViewState, NodePlanStatus, ToWebview, ExportFormat } from '../messages';
import { renderDetails } from './details';
import { diffDecorations, diffLine, marksByKey, type DiffDecoration, type DiffMark } from './diffMarks';
import { exportFileName, exportSvg, exportText } from './exportGraph';
import { layoutGraph, metricsFor, type Layout } from './layout';
import { buildViewModel, firstViewCollapsed, groupsAround, isGroupKey, matchesSearch, type ViewModel } from './model';
import { Overview } from './overview';
import { PanZoom } from './panZoom';
import { GraphRenderer } from './render';
import { Toolbar } from './toolbar';

export interface Host {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}

/** How many boxes the first view may draw before further recipes start collapsed (about five screens). */
const FIRST_VIEW_BUDGET = 150;
/** VS Code's default editor font size, when the page does not get the variable (tests, exports). */
const DEFAULT_FONT_SIZE = 14;
/** Room between the panel's edges and the drawing at zoom 1. */
const EDGE_ROOM = 32;

const STATUS_RANK = { failed: 5, change: 4, unknown: 3, skipped: 2, 'up-to-date': 1 } as const;
const NO_DIFF: ReadonlyMap<string, DiffDecoration> = new Map();

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The editor's font size, as VS Code hands it to webviews (`--vscode-editor-font-size` on the root element). */
export function editorFontSize(): number {
  const v = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size'));
  return Number.isFinite(v) && v > 0 ? v : DEFAULT_FONT_SIZE;
}

export class GraphApp {
  private graph?: Graph;
  private seq = 0;
  private source?: GraphSource;
  private search = '';
  private hiddenEdgeKinds = new Set<string>();
  /** Custom resources drawn expanded (they start collapsed). */
  private expanded = new Set<string>();
  /** Recipe groups drawn collapsed; undefined until the first graph of a source decides them. */
  private collapsed?: Set<string>;
  private statuses: NodePlanStatus[] = [];
  /** The run comparison shown, if any, and its marks by node key. */
  private diff?: GraphRunDiff;
  private diffMarks = new Map<string, DiffMark>();
  /** Draw only what the comparison marks (meaningful only while there is one). */
  private changedOnly = false;
  private highlightedIds: string[] = [];
  private selected?: string;
  private matchIndex = -1;
  private model?: ViewModel;
  private layout?: Layout;
  /** The next drawing starts the view over (a new source). */
  private firstView = true;
  /** A node to bring into view once the next drawing is done (the cursor's, or a search match). */
  private revealAfterRender?: 'highlight' | 'selected';
  /** A group header to keep at its height on screen across the re-layout its toggle causes. */
  private anchor?: { key: string; y: number };
  private running = false;
  private pending?: { receivedAt: number };
  private layoutWidth = 0;
  private readonly toolbar: Toolbar;
  private readonly renderer: GraphRenderer;
  private readonly panZoom: PanZoom;
  private readonly overview: Overview;
  private readonly details: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly message: HTMLElement;

  constructor(root: HTMLElement, private readonly host: Host) {
    this.toolbar = new Toolbar(root, {
      platform: (platform) => this.post({ type: 'setPlatform', platform }),
      search: (q) => { this.search = q; this.matchIndex = -1; this.decorate(); this.saveState(); },
      nextMatch: (back) => this.nextMatch(back),
      toggleEdgeKind: (kind, shown) => { if (shown) this.hiddenEdgeKinds.delete(kind); else this.hiddenEdgeKinds.add(kind); this.saveState(); this.schedule(); },
      expandAll: (expand) => this.expandAll(expand),
      fit: () => this.layout && this.panZoom.fit(this.layout.width, this.layout.height),
      exportAs: (f) => this.exportAs(f),
      changedOnly: (on) => this.setChangedOnly(on),
    });
    const main = document.createElement('div');
    main.className = 'main';
    this.canvas = document.createElement('div');
    this.canvas.className = 'canvas';
    this.message = document.createElement('div');
    this.message.className = 'message';
    this.canvas.append(this.message);
    this.details = document.createElement('aside');
    this.details.className = 'details';
    this.details.setAttribute('aria-label', 'Resource details');
    main.append(this.canvas, this.details);
    root.append(main);
    this.renderer = new GraphRenderer(this.canvas);
    this.panZoom = new PanZoom(this.renderer.svg, this.renderer.viewport);
    this.overview = new Overview(this.canvas, (x, y) => this.panZoom.centerAt(x, y));
    this.panZoom.onChange((v) => this.overview.setView(v, this.panZoom.size()));
    this.renderer.svg.addEventListener('click', (e) => this.onClick(e));
    this.renderer.svg.addEventListener('keydown', (e) => this.onKey(e));
    // A node reached with Tab comes into view (the drawing does not scroll by itself).
    this.renderer.svg.addEventListener('focusin', (e) => {
      const key = (e.target as Element).closest?.('[data-key], [data-group]');
      const box = key && this.layout?.boxes.get(key.getAttribute('data-key') ?? key.getAttribute('data-group')!);
      // Of a group, its title bar: the rest may be taller than the view.
      const m = this.layout?.metrics;
      if (box && m) this.panZoom.reveal({ ...box, height: Math.min(box.height, Math.max(m.header, m.nodeHeight)) }, this.details.hidden ? 0 : this.details.offsetWidth, 'least');
    });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.selected) this.select(undefined); });
    // Rows fit the panel: a resized panel is laid out again; a changed editor font size too.
    new ResizeObserver(() => {
      this.drawOverview();
      if (this.graph && Math.abs(this.availableWidth() - this.layoutWidth) >= 1) this.schedule();
    }).observe(this.canvas);
    let font = editorFontSize();
    new MutationObserver(() => { if (editorFontSize() !== font) { font = editorFontSize(); this.schedule(); } })
      .observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    this.showDetails();

    const state = host.getState() as GraphViewState | undefined;
    if (state && typeof state === 'object') {
      this.search = state.search ?? '';
      this.hiddenEdgeKinds = new Set(state.hiddenEdgeKinds ?? []);
      this.expanded = new Set(state.expanded ?? []);
      this.collapsed = state.collapsed ? new Set(state.collapsed) : undefined;
      this.source = state.source;
      this.changedOnly = state.changedOnly === true;
      this.toolbar.setFilters(this.search, this.hiddenEdgeKinds);
    }
    this.post({ type: 'ready', state: this.viewState() });
  }

  /** Handles one message from the extension; the switch is exhaustive over ToWebview. */
  receive(m: ToWebview): void {
    switch (m.type) {
      case 'graph':
        if (m.seq < this.seq) return; // a late answer for an older version
        this.seq = m.seq;
        if (this.graph && this.source && JSON.stringify(this.source) !== JSON.stringify(m.source)) {
          // Another recipe or cookbook: its own first view.
          this.collapsed = undefined;
          this.firstView = true;
        }
        this.graph = m.graph;
        this.source = m.source;
        this.toolbar.setSource(m.source.label);
        this.toolbar.setPlatforms(m.platforms, m.graph.platform);
        this.saveState();
        this.schedule();
        return;
      case 'loading':
        this.toolbar.setStatus('Computing graph…', 'busy');
        return;
      case 'error':
        this.toolbar.setStatus(m.message, 'error');
        if (!this.graph) this.message.textContent = m.message;
        return;
      case 'highlight':
        // The cursor moving within the same resource leaves the view where the user put it.
        if (m.resourceIds.join('\n') === this.highlightedIds.join('\n')) return;
        this.highlightedIds = m.resourceIds;
        this.revealAfterRender = m.resourceIds.length ? 'highlight' : undefined;
        // Drawn later when a graph is on its way or the resource is inside a collapsed recipe; now otherwise.
        if (this.running || this.pending || !this.model) return;
        if (this.openGroupsAround(this.highlightedKeys())) { this.schedule(); return; }
        this.decorate();
        this.revealNow();
        return;
      case 'planStatus':
        this.statuses = m.statuses;
        this.decorate();
        this.showDetails();
        return;
      case 'runDiff':
        this.showRunDiff(m.diff ?? undefined);
        return;
      case 'requestExport':
        this.exportAs(m.format);
        return;
      default: {
        const never: never = m;
        this.post({ type: 'log', level: 'warn', message: `unknown message ${JSON.stringify(never)}` });
      }
    }
  }

  private post(m: FromWebview): void { this.host.postMessage(m); }

  private viewState(): GraphViewState | undefined {
    if (!this.source) return undefined;
    return {
      source: this.source, platform: this.graph?.platform, search: this.search, hiddenEdgeKinds: [...this.hiddenEdgeKinds],
      expanded: [...this.expanded], collapsed: this.collapsed ? [...this.collapsed] : undefined,
      ...(this.changedOnly ? { changedOnly: true } : {}),
    };
  }

  private saveState(): void {
    const s = this.viewState();
    if (s) this.host.setState(s);
  }

  private availableWidth(): number {
    return Math.max(0, this.canvas.clientWidth - EDGE_ROOM);
  }

  /** Runs the pipeline for the newest state; renders never overlap, and a burst of updates renders once more at the end. */
  private schedule(): void {
    this.pending = { receivedAt: this.pending?.receivedAt ?? performance.now() };
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      // Let the messages that came with this one (the cursor's resource after a graph) arrive first.
      await new Promise((r) => setTimeout(r, 0));
      while (this.pending && this.graph) {
        const { receivedAt } = this.pending;
        this.pending = undefined;
        const graph = this.graph, seq = this.seq;
        const t0 = performance.now();
        const model = this.buildModel(graph);
        const width = this.availableWidth();
        const metrics = metricsFor(editorFontSize());
        this.renderer.useMetrics(metrics);
        const layout = layoutGraph(model, metrics, width, (key) => this.renderer.headerWidth(model, key, metrics));
        const t1 = performance.now();
        this.model = model;
        this.layout = layout;
        this.layoutWidth = width;
        this.renderer.update(model, layout);
        this.decorate();
        this.message.textContent = !graph.resources.length ? 'This run list declares no resources.'
          : !layout.width && this.filtered() ? 'No resource of this run differs from the baseline.' : '';
        this.placeView();
        const t2 = performance.now();
        const errors = graph.diagnostics.filter((d) => d.severity === 'error').length;
        const notifications = graph.edges.filter((e) => e.kind === 'notifies' || e.kind === 'subscribes').length;
        this.toolbar.setStatus([count(graph.resources.length, 'resource'), count(model.groups.size, 'recipe'), count(notifications, 'notification'), errors ? count(errors, 'error') : ''].filter(Boolean).join(' · '));
        this.showDetails();
        const stats = { seq, nodes: model.visible.length, edges: layout.edges.length, layoutMs: t1 - t0, renderMs: t2 - t1, complete: true };
        // Reported after the browser has painted the frame, without holding up the next render.
        requestAnimationFrame(() => setTimeout(() => this.post({ type: 'rendered', ...stats, totalMs: performance.now() - receivedAt }), 0));
      }
    } catch (err) {
      this.post({ type: 'log', level: 'error', message: `graph render failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}` });
      this.toolbar.setStatus('The graph could not be drawn; see the Cloche output channel.', 'error');
    } finally {
      this.running = false;
    }
  }

  /** Whether "Changed only" narrows the drawing now (a comparison is shown). */
  private filtered(): boolean { return this.changedOnly && !!this.diff; }

  /** A comparison's marks arrived (or `undefined`: it ended). Redraws when what is drawn changes, else only decorates. */
  private showRunDiff(diff: GraphRunDiff | undefined): void {
    const drawing = () => JSON.stringify([this.filtered() ? [...this.diffMarks.keys()] : null, this.diff?.removed ?? []]);
    const before = drawing();
    this.diff = diff;
    this.diffMarks = marksByKey(diff);
    if (!diff) this.changedOnly = false;
    this.toolbar.setDiff(diff && diffLine(diff), this.changedOnly);
    this.saveState();
    if (drawing() !== before) this.schedule();
    else { this.decorate(); this.showDetails(); }
  }

  /**
   * The "Changed only" switch. Recipes and custom resources keep their collapsed state (a collapsed one
   * holding marks stays a box saying what it holds), so turning it off again gives back the same view.
   */
  private setChangedOnly(on: boolean): void {
    this.changedOnly = on;
    this.saveState();
    this.schedule();
  }

  /** The view model for the current choices, deciding the first view's collapsed recipes and opening the cursor's. */
  private buildModel(graph: Graph): ViewModel {
    const only = this.filtered() ? new Set(this.diffMarks.keys()) : undefined;
    const options = () => ({ expanded: this.expanded, collapsed: this.collapsed ?? new Set<string>(), hiddenEdgeKinds: this.hiddenEdgeKinds, only, removed: this.diff?.removed });
    let model = buildViewModel(graph, options());
    if (!this.collapsed) {
      this.collapsed = firstViewCollapsed(model, FIRST_VIEW_BUDGET);
      if (this.collapsed.size) model = buildViewModel(graph, options());
      this.saveState();
    }
    const wanted = this.revealAfterRender === 'highlight' ? this.highlightedKeys(model) : this.revealAfterRender === 'selected' && this.selected ? [this.selected] : [];
    if (this.openGroupsAround(wanted, model)) model = buildViewModel(graph, options());
    return model;
  }

  /** Where the view goes after a drawing: the start (first view), the node asked for, or the toggled header kept in place. */
  private placeView(): void {
    const layout = this.layout!;
    if (this.anchor) {
      const now = this.screenOf(this.anchor.key);
      // Only vertically: an expanded custom resource leaves its column for a block of its own.
      if (now) this.panZoom.panBy(0, this.anchor.y - now.y);
    }
    this.anchor = undefined;
    if (this.firstView && layout.width) {
      this.panZoom.showStart();
      this.firstView = false;
    }
    if (this.revealAfterRender) this.revealNow();
    else this.overview.setView(this.panZoom.current, this.panZoom.size());
    this.drawOverview();
  }

  /** Screen position of a drawn box's top left. */
  private screenOf(key: string): { x: number; y: number } | undefined {
    const b = this.layout?.boxes.get(key);
    if (!b) return undefined;
    const v = this.panZoom.current;
    return { x: b.x * v.scale + v.x, y: b.y * v.scale + v.y };
  }

  private highlightedKeys(model = this.model): string[] {
    if (!model) return [];
    return this.highlightedIds.map((id) => model.byId.get(id)).filter((k): k is string => !!k);
  }

  /** Expands the recipe groups hiding any of these nodes; true when something changed. */
  private openGroupsAround(keys: string[], model = this.model): boolean {
    if (!model || !this.collapsed) return false;
    let changed = false;
    for (const key of keys) {
      if (!isGroupKey(model.shownAs.get(key) ?? key)) continue;
      for (const g of groupsAround(model, key)) changed = this.collapsed.delete(g) || changed;
    }
    if (changed) this.saveState();
    return changed;
  }

  /** Brings the node asked for (cursor's or selected) into view, left of the details pane. */
  private revealNow(): void {
    const model = this.model;
    const what = this.revealAfterRender;
    this.revealAfterRender = undefined;
    if (!model || !this.layout) return;
    const key = what === 'selected' ? this.selected : this.highlightedKeys()[0];
    const shown = key && (model.shownAs.get(key) ?? key);
    const box = shown && this.layout.boxes.get(shown);
    if (box) this.panZoom.reveal(box, this.details.hidden ? 0 : this.details.offsetWidth);
    this.overview.setView(this.panZoom.current, this.panZoom.size());
  }

  private statusByKey(): Map<string, NodePlanStatus> {
    const out = new Map<string, NodePlanStatus>();
    if (!this.model) return out;
    for (const s of this.statuses) {
      const key = this.model.byId.get(s.resource);
      if (!key) continue;
      const shown = this.model.shownAs.get(key) ?? key;
      const old = out.get(shown);
      // A collapsed custom resource or recipe shows the most telling status of what is inside it.
      if (!old || (shown !== key && STATUS_RANK[s.status] > STATUS_RANK[old.status]) || shown === key) out.set(shown, shown === key ? s : { ...s, resource: shown });
    }
    return out;
  }

  private decorations() {
    const model = this.model!;
    const dimmed = new Set<string>();
    let matches: number | undefined;
    if (this.search) {
      const matching = new Set<string>();
      for (const node of model.nodes.values()) if (matchesSearch(node.resource, this.search)) matching.add(model.shownAs.get(node.key) ?? node.key);
      matches = this.searchMatches(model).length;
      for (const key of [...model.visible, ...model.visibleGroups]) if (!matching.has(key) && !(isGroupKey(key) && model.groups.get(key)!.expanded)) dimmed.add(key);
    }
    const shown = (k: string) => model.shownAs.get(k) ?? k;
    const highlighted = new Set(this.highlightedKeys().map(shown));
    const diff: ReadonlyMap<string, DiffDecoration> = this.diff ? diffDecorations(model, this.diffMarks) : NO_DIFF;
    return { selected: this.selected && shown(this.selected), highlighted, dimmed, status: this.statusByKey(), diff, matches };
  }

  /** The nodes matching the search, of those drawn (a "Changed only" view leaves some out). */
  private searchMatches(model: ViewModel): string[] {
    const out: string[] = [];
    for (const n of model.nodes.values()) if (model.shownAs.has(n.key) && matchesSearch(n.resource, this.search)) out.push(n.key);
    return out;
  }

  private decorate(): void {
    if (!this.model) return;
    const d = this.decorations();
    this.renderer.decorate(this.model, d);
    this.toolbar.setMatches(d.matches);
    this.drawOverview(d);
  }

  private drawOverview(d = this.model && this.decorations()): void {
    if (!this.model || !this.layout || !d) return;
    this.overview.draw(this.model, this.layout, d);
    this.overview.setView(this.panZoom.current, this.panZoom.size());
  }

  private nextMatch(back: boolean): void {
    if (!this.model || !this.search) return;
    const matches = this.searchMatches(this.model);
    if (!matches.length) return;
    this.matchIndex = (this.matchIndex + (back ? -1 : 1) + matches.length) % matches.length;
    this.select(matches[this.matchIndex], true);
  }

  private select(key: string | undefined, center = false): void {
    this.selected = key;
    if (key && center) {
      this.revealAfterRender = 'selected';
      if (this.openGroupsAround([key])) { this.showDetails(); this.schedule(); return; }
    }
    this.decorate();
    this.showDetails();
    if (key && center) this.revealNow();
    else if (key) {
      // Not hidden under the pane that just opened.
      const box = this.layout?.boxes.get(this.model?.shownAs.get(key) ?? key);
      if (box) this.panZoom.reveal(box, this.details.offsetWidth, 'least');
    }
  }

  private reveal(key: string): void {
    const r = this.model?.nodes.get(key)?.resource;
    if (r) this.post({ type: 'reveal', resourceId: r.id, location: r.location });
  }

  /** A removed entry opens the baseline's source line (the extension knows which side it is on). */
  private revealRemoved(key: string): void {
    const r = this.model?.removed.find((x) => x.key === key);
    if (r) this.post({ type: 'reveal', resourceId: r.resource, location: r.location });
  }

  private toggle(key: string): void {
    const set = isGroupKey(key) ? (this.collapsed ??= new Set()) : this.expanded;
    if (set.has(key)) set.delete(key); else set.add(key);
    const at = this.screenOf(key);
    if (at) this.anchor = { key, y: at.y };
    this.saveState();
    this.schedule();
  }

  private expandAll(expand: boolean): void {
    if (!this.model) return;
    this.expanded = expand ? new Set([...this.model.nodes.values()].filter((n) => n.childKeys.length).map((n) => n.key)) : new Set();
    this.collapsed = expand ? new Set() : new Set(this.model.groups.keys());
    this.firstView = true;
    this.saveState();
    this.schedule();
  }

  private onClick(e: MouseEvent): void {
    if (this.panZoom.dragged) return;
    const target = e.target as Element;
    const toggle = target.closest('[data-toggle]');
    if (toggle) { this.toggle(toggle.getAttribute('data-toggle')!); return; }
    const removed = target.closest('.removed-entry')?.getAttribute('data-key');
    if (removed) { this.revealRemoved(removed); return; }
    const key = target.closest('.node')?.getAttribute('data-key') ?? undefined;
    this.select(key);
    if (key) this.reveal(key);
  }

  private onKey(e: KeyboardEvent): void {
    const el = e.target as Element;
    const header = el.closest?.('.group-header');
    const key = el.closest?.('.node')?.getAttribute('data-key');
    const removed = el.closest?.('.removed-entry')?.getAttribute('data-key');
    if (header && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); this.toggle(header.getAttribute('data-toggle')!); }
    else if (removed && e.key === 'Enter') this.revealRemoved(removed);
    else if (key && e.key === 'Enter') { this.select(key); this.reveal(key); }
    else if (key && e.key === ' ' && this.model?.nodes.get(key)?.childKeys.length) { e.preventDefault(); this.toggle(key); }
    else if (e.key === '+' || e.key === '=') this.panZoom.zoomBy(1.2);
    else if (e.key === '-') this.panZoom.zoomBy(1 / 1.2);
  }

  private showDetails(): void {
    const r = this.selected ? this.model?.nodes.get(this.selected)?.resource : undefined;
    const status = r ? this.statuses.find((s) => s.resource === r.id) : undefined;
    const diff = this.selected ? this.diffMarks.get(this.selected) : undefined;
    renderDetails(this.details, r, status, { reveal: () => this.selected && this.reveal(this.selected), close: () => this.select(undefined) }, diff);
    this.details.parentElement?.classList.toggle('details-open', !!r);
  }

  private exportAs(format: ExportFormat): void {
    if (!this.graph || !this.layout) return;
    const content = format === 'svg' ? exportSvg(this.renderer.svg, this.renderer.viewport, this.layout) : exportText(format, this.graph, this.hiddenEdgeKinds);
    this.post({ type: 'export', format, content, suggestedName: exportFileName(this.graph, format) });
  }
}
