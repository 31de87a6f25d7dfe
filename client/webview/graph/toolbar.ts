/**
 * The toolbar: platform, search, edge-kind filters, expand/collapse, fit, exports, and while a run
 * comparison is shown its line and the "Changed only" switch. Built with the DOM.
 */
import type { ExportFormat } from '../messages';

export const EDGE_KINDS: { kind: string; label: string }[] = [
  { kind: 'notifies', label: 'notifies' },
  { kind: 'subscribes', label: 'subscribes' },
  { kind: 'order', label: 'converge order' },
  { kind: 'include', label: 'include' },
];

export interface ToolbarHandlers {
  platform(p: string): void;
  search(q: string): void;
  nextMatch(back: boolean): void;
  toggleEdgeKind(kind: string, shown: boolean): void;
  expandAll(expand: boolean): void;
  fit(): void;
  exportAs(f: ExportFormat): void;
  changedOnly(on: boolean): void;
}

export class Toolbar {
  readonly root: HTMLElement;
  private readonly platformSelect: HTMLSelectElement;
  readonly searchInput: HTMLInputElement;
  private readonly matchCount: HTMLElement;
  private readonly title: HTMLElement;
  private readonly status: HTMLElement;
  private readonly checks = new Map<string, HTMLInputElement>();
  private readonly diffLine: HTMLElement;
  private readonly changedOnlyLabel: HTMLLabelElement;
  private readonly changedOnlyCheck: HTMLInputElement;

  constructor(host: HTMLElement, h: ToolbarHandlers) {
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
      const e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text) e.textContent = text;
      return e;
    };
    this.root = make('div', 'toolbar');
    this.title = make('span', 'source');
    this.platformSelect = make('select');
    this.platformSelect.title = 'Platform profile';
    this.platformSelect.addEventListener('change', () => h.platform(this.platformSelect.value));
    this.searchInput = make('input');
    this.searchInput.type = 'search';
    this.searchInput.placeholder = 'Search resources';
    this.searchInput.addEventListener('input', () => h.search(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (e) => { if (e.key === 'Enter') h.nextMatch(e.shiftKey); });
    this.matchCount = make('span', 'matches');
    const filters = make('span', 'filters');
    for (const { kind, label } of EDGE_KINDS) {
      const l = make('label');
      const c = make('input');
      c.type = 'checkbox';
      c.checked = true;
      c.dataset.kind = kind;
      c.addEventListener('change', () => h.toggleEdgeKind(kind, c.checked));
      l.append(c, document.createTextNode(' ' + label));
      filters.append(l);
      this.checks.set(kind, c);
    }
    const button = (label: string, title: string, fn: () => void) => {
      const b = make('button', undefined, label);
      b.title = title;
      b.addEventListener('click', fn);
      return b;
    };
    const actions = make('span', 'actions');
    actions.append(
      button('Expand', 'Expand every recipe and custom resource', () => h.expandAll(true)),
      button('Collapse', 'Collapse every recipe and custom resource', () => h.expandAll(false)),
      button('Fit', 'Fit the whole graph in the view (labels may get small; Ctrl+wheel zooms, the wheel scrolls)', () => h.fit()),
      button('SVG', 'Export the drawing as SVG', () => h.exportAs('svg')),
      button('DOT', 'Export as Graphviz DOT', () => h.exportAs('dot')),
      button('Mermaid', 'Export as a Mermaid flowchart', () => h.exportAs('mermaid')),
    );
    this.changedOnlyLabel = make('label', 'changed-only');
    this.changedOnlyLabel.title = 'Draw only the resources the comparison marks (and the recipes and custom resources holding them)';
    this.changedOnlyCheck = make('input');
    this.changedOnlyCheck.type = 'checkbox';
    this.changedOnlyCheck.addEventListener('change', () => h.changedOnly(this.changedOnlyCheck.checked));
    this.changedOnlyLabel.append(this.changedOnlyCheck, document.createTextNode(' Changed only'));
    this.changedOnlyLabel.hidden = true;
    this.status = make('span', 'status');
    this.status.setAttribute('role', 'status');
    this.diffLine = make('span', 'diff-summary');
    this.diffLine.hidden = true;
    this.root.append(this.title, this.platformSelect, this.searchInput, this.matchCount, filters, actions, this.changedOnlyLabel, this.status, this.diffLine);
    host.append(this.root);
  }

  setSource(label: string): void { this.title.textContent = label; }

  setPlatforms(platforms: string[], current: string): void {
    const list = platforms.includes(current) ? platforms : [current, ...platforms];
    if (Array.from(this.platformSelect.options).map((o) => o.value).join() !== list.join()) {
      this.platformSelect.replaceChildren(...list.map((p) => { const o = document.createElement('option'); o.value = p; o.textContent = p; return o; }));
    }
    this.platformSelect.value = current;
  }

  setMatches(n: number | undefined): void { this.matchCount.textContent = n === undefined ? '' : `${n} match${n === 1 ? '' : 'es'}`; }

  setStatus(text: string, kind: 'info' | 'busy' | 'error' = 'info'): void {
    this.status.textContent = text;
    this.status.className = `status ${kind}`;
  }

  /** Shows the comparison's line and the "Changed only" switch, or (no comparison) hides both. */
  setDiff(line: string | undefined, changedOnly: boolean): void {
    this.diffLine.textContent = line ?? '';
    this.diffLine.hidden = line === undefined;
    this.changedOnlyLabel.hidden = line === undefined;
    this.changedOnlyCheck.checked = changedOnly;
  }

  setFilters(search: string, hidden: ReadonlySet<string>): void {
    this.searchInput.value = search;
    for (const [kind, c] of this.checks) c.checked = !hidden.has(kind);
  }
}
