/**
 * The graph preview's controller: receives typed messages, keeps the view state, runs
 * model → layout → render (one at a time, always for the newest graph), and reports clicks and exports.
 */
import type { Graph } from '../../../server/src/protocol';
import type { FromWebview, GraphSource, GraphViewState, NodePlanStatus, ToWebview, ExportFormat } from '../messages';
import { renderDetails } from './details';
import { exportFileName, exportSvg, exportText } from './exportGraph';
import { GraphLayouter, type Layout } from './layout';
import { buildViewModel, matchesSearch, type ViewModel } from './model';
import { PanZoom } from './panZoom';
import { GraphRenderer } from './render';
import { Toolbar } from './toolbar';

export interface Host {
  postMessage(m: FromWebview): void;
  getState(): unknown;
  setState(s: unknown): void;
}

/** How long the first layout pass may spend in ELK before drawing estimates for the rest. */
const FIRST_PASS_BUDGET_MS = 250;

const STATUS_RANK = { failed: 5, change: 4, unknown: 3, skipped: 2, 'up-to-date': 1 } as const;

export class GraphApp {
  private graph?: Graph;
  private seq = 0;
  private source?: GraphSource;
  private search = '';
  private hiddenEdgeKinds = new Set<string>();
  private expanded = new Set<string>();
  private statuses: NodePlanStatus[] = [];
  private highlightedIds: string[] = [];
  private selected?: string;
  private matchIndex = -1;
  private model?: ViewModel;
  private layout?: Layout;
  private firstFit = true;
  private running = false;
  private pending?: { receivedAt: number; refining?: boolean };
  private readonly layouter = new GraphLayouter();
  private readonly toolbar: Toolbar;
  private readonly renderer: GraphRenderer;
  private readonly panZoom: PanZoom;
  private readonly details: HTMLElement;
  private readonly message: HTMLElement;

  constructor(root: HTMLElement, private readonly host: Host) {
    this.toolbar = new Toolbar(root, {
      platform: (platform) => this.post({ type: 'setPlatform', platform }),
      search: (q) => { this.search = q; this.matchIndex = -1; this.decorate(); this.saveState(); },
      nextMatch: (back) => this.nextMatch(back),
      toggleEdgeKind: (kind, shown) => { if (shown) this.hiddenEdgeKinds.delete(kind); else this.hiddenEdgeKinds.add(kind); this.saveState(); this.schedule(); },
      expandAll: (expand) => {
        this.expanded = expand && this.model ? new Set([...this.model.nodes.values()].filter((n) => n.childKeys.length).map((n) => n.key)) : new Set();
        this.saveState();
        this.schedule();
      },
      fit: () => this.layout && this.panZoom.fit(this.layout.width, this.layout.height),
      exportAs: (f) => this.exportAs(f),
    });
    const main = document.createElement('div');
    main.className = 'main';
    const canvas = document.createElement('div');
    canvas.className = 'canvas';
    this.message = document.createElement('div');
    this.message.className = 'message';
    canvas.append(this.message);
    this.details = document.createElement('aside');
    this.details.className = 'details';
    main.append(canvas, this.details);
    root.append(main);
    this.renderer = new GraphRenderer(canvas);
    this.panZoom = new PanZoom(this.renderer.svg, this.renderer.viewport);
    this.renderer.svg.addEventListener('click', (e) => this.onClick(e));
    this.renderer.svg.addEventListener('keydown', (e) => this.onKey(e));
    this.showDetails();

    const state = host.getState() as GraphViewState | undefined;
    if (state && typeof state === 'object') {
      this.search = state.search ?? '';
      this.hiddenEdgeKinds = new Set(state.hiddenEdgeKinds ?? []);
      this.expanded = new Set(state.expanded ?? []);
      this.source = state.source;
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
        this.highlightedIds = m.resourceIds;
        this.decorate();
        this.revealHighlighted();
        return;
      case 'planStatus':
        this.statuses = m.statuses;
        this.decorate();
        this.showDetails();
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
    return { source: this.source, platform: this.graph?.platform, search: this.search, hiddenEdgeKinds: [...this.hiddenEdgeKinds], expanded: [...this.expanded] };
  }

  private saveState(): void {
    const s = this.viewState();
    if (s) this.host.setState(s);
  }

  /** Runs the pipeline for the newest state; renders never overlap, and a burst of updates renders once more at the end. */
  private schedule(): void {
    this.pending = { receivedAt: performance.now() };
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.pending && this.graph) {
        const { receivedAt, refining } = this.pending;
        this.pending = undefined;
        // Refinement passes yield first, so input and newer graphs are handled between them.
        if (refining) await new Promise((r) => setTimeout(r, 0));
        if (this.pending) continue;
        const graph = this.graph, seq = this.seq;
        const model = buildViewModel(graph, { expanded: this.expanded, hiddenEdgeKinds: this.hiddenEdgeKinds });
        const t0 = performance.now();
        // The first pass draws within a budget (unlaid segments as estimated columns); later passes refine.
        const layout = await this.layouter.layout(model, FIRST_PASS_BUDGET_MS);
        const t1 = performance.now();
        this.model = model;
        this.layout = layout;
        this.renderer.update(model, layout);
        this.decorate();
        this.message.textContent = graph.resources.length ? '' : 'This run list declares no resources.';
        if (this.firstFit && layout.width) { this.panZoom.fit(layout.width, layout.height); this.firstFit = false; }
        const t2 = performance.now();
        const errors = graph.diagnostics.filter((d) => d.severity === 'error').length;
        this.toolbar.setStatus(`${graph.resources.length} resources · ${graph.edges.filter((e) => e.kind === 'notifies' || e.kind === 'subscribes').length} notifications${errors ? ` · ${errors} errors` : ''}`);
        this.showDetails();
        const stats = { seq, nodes: model.visible.length, edges: layout.edges.length, layoutMs: t1 - t0, renderMs: t2 - t1, complete: layout.complete };
        if (!layout.complete && !this.pending) this.pending = { receivedAt, refining: true };
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

  private statusByKey(): Map<string, NodePlanStatus> {
    const out = new Map<string, NodePlanStatus>();
    if (!this.model) return out;
    for (const s of this.statuses) {
      const key = this.model.byId.get(s.resource);
      if (!key) continue;
      const shown = this.model.shownAs.get(key) ?? key;
      const old = out.get(shown);
      // A collapsed custom resource shows the most telling status of what is inside it.
      if (!old || (shown !== key && STATUS_RANK[s.status] > STATUS_RANK[old.status]) || shown === key) out.set(shown, shown === key ? s : { ...s, resource: shown });
    }
    return out;
  }

  private decorate(): void {
    const model = this.model;
    if (!model) return;
    const dimmed = new Set<string>();
    let matches: number | undefined;
    if (this.search) {
      matches = 0;
      for (const key of model.visible) {
        if (matchesSearch(model.nodes.get(key)!.resource, this.search)) matches++;
        else dimmed.add(key);
      }
    }
    const highlighted = new Set(this.highlightedIds.map((id) => model.byId.get(id)).filter((k): k is string => !!k).map((k) => model.shownAs.get(k) ?? k));
    this.renderer.decorate(model, { selected: this.selected, highlighted, dimmed, status: this.statusByKey() });
    this.toolbar.setMatches(matches);
  }

  private revealHighlighted(): void {
    const key = this.highlightedIds.map((id) => this.model?.byId.get(id)).find((k) => k);
    const box = key && this.layout?.boxes.get(this.model!.shownAs.get(key) ?? key);
    if (box && !this.panZoom.isVisible(box)) this.panZoom.centerOn(box);
  }

  private nextMatch(back: boolean): void {
    if (!this.model || !this.search) return;
    const matches = this.model.visible.filter((k) => matchesSearch(this.model!.nodes.get(k)!.resource, this.search));
    if (!matches.length) return;
    this.matchIndex = (this.matchIndex + (back ? -1 : 1) + matches.length) % matches.length;
    this.select(matches[this.matchIndex], true);
  }

  private select(key: string | undefined, center: boolean): void {
    this.selected = key;
    this.decorate();
    this.showDetails();
    const box = key && this.layout?.boxes.get(key);
    if (box && center) this.panZoom.centerOn(box);
  }

  private reveal(key: string): void {
    const r = this.model?.nodes.get(key)?.resource;
    if (r) this.post({ type: 'reveal', resourceId: r.id, location: r.location });
  }

  private onClick(e: MouseEvent): void {
    if (this.panZoom.dragged) return;
    const target = e.target as Element;
    const toggle = target.closest('[data-toggle]');
    if (toggle) {
      const key = toggle.getAttribute('data-toggle')!;
      if (this.expanded.has(key)) this.expanded.delete(key); else this.expanded.add(key);
      this.saveState();
      this.schedule();
      return;
    }
    const key = target.closest('.node')?.getAttribute('data-key') ?? undefined;
    this.select(key, false);
    if (key) this.reveal(key);
  }

  private onKey(e: KeyboardEvent): void {
    const key = (e.target as Element).closest?.('.node')?.getAttribute('data-key');
    if (key && e.key === 'Enter') { this.select(key, false); this.reveal(key); }
    else if (key && e.key === ' ' && this.model?.nodes.get(key)?.childKeys.length) {
      e.preventDefault();
      if (this.expanded.has(key)) this.expanded.delete(key); else this.expanded.add(key);
      this.schedule();
    } else if (e.key === '+' || e.key === '=') this.panZoom.zoomBy(1.2);
    else if (e.key === '-') this.panZoom.zoomBy(1 / 1.2);
  }

  private showDetails(): void {
    const r = this.selected ? this.model?.nodes.get(this.selected)?.resource : undefined;
    const status = r ? this.statuses.find((s) => s.resource === r.id) : undefined;
    renderDetails(this.details, r, status, () => this.selected && this.reveal(this.selected));
  }

  private exportAs(format: ExportFormat): void {
    if (!this.graph || !this.layout) return;
    const content = format === 'svg' ? exportSvg(this.renderer.svg, this.renderer.viewport, this.layout) : exportText(format, this.graph, this.hiddenEdgeKinds);
    this.post({ type: 'export', format, content, suggestedName: exportFileName(this.graph, format) });
  }
}
