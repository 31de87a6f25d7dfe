/**
 * The overview: the whole drawing in a small canvas in a corner (groups as outlines, resources as
 * blocks, the cursor's and the selected one in the accent colour), with the part on screen as a
 * rectangle. A click centres the view there; dragging moves the view along. Shown only when the drawing
 * is larger than the view. The rectangle is an element positioned through the CSS object model, which
 * the webview's content security policy allows (no inline style attribute).
 */
import type { DiffDecoration } from './diffMarks';
import type { Layout } from './layout';
import { REMOVED_GROUP_KEY, type ViewModel } from './model';
import type { View } from './panZoom';

/** At most this big, and at most this share of the panel (a short panel keeps most of its room for the drawing). */
const MAX_WIDTH = 180;
const MAX_HEIGHT = 260;
const MAX_SHARE = 0.25;

export interface OverviewMarks {
  highlighted: ReadonlySet<string>;
  selected?: string;
  dimmed: ReadonlySet<string>;
  /** A run comparison's marks, drawn in their colours so they can be found in a long run. */
  diff?: ReadonlyMap<string, DiffDecoration>;
}

export class Overview {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly rect: HTMLElement;
  private layout?: Layout;
  private scale = 1;
  private dragging = false;

  /** `moveTo` centres the main view on a point of the drawing. */
  constructor(private readonly host: HTMLElement, private readonly moveTo: (x: number, y: number) => void) {
    this.root = document.createElement('div');
    this.root.className = 'overview';
    this.root.hidden = true;
    this.root.setAttribute('role', 'img');
    this.root.setAttribute('aria-label', 'Overview of the whole graph; click or drag to move the view');
    this.canvas = document.createElement('canvas');
    this.rect = document.createElement('div');
    this.rect.className = 'overview-viewport';
    this.root.append(this.canvas, this.rect);
    host.append(this.root);
    const at = (e: PointerEvent) => {
      const r = this.canvas.getBoundingClientRect();
      this.moveTo((e.clientX - r.left) / this.scale, (e.clientY - r.top) / this.scale);
    };
    this.root.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.layout) return;
      e.preventDefault();
      e.stopPropagation();
      this.dragging = true;
      this.root.setPointerCapture?.(e.pointerId);
      at(e);
    });
    this.root.addEventListener('pointermove', (e) => { if (this.dragging) at(e); });
    const stop = () => { this.dragging = false; };
    this.root.addEventListener('pointerup', stop);
    this.root.addEventListener('pointercancel', stop);
    // Clicks here are not clicks on the drawing behind.
    this.root.addEventListener('click', (e) => e.stopPropagation());
  }

  /** Redraws the miniature (after a layout, or when marks change). */
  draw(model: ViewModel, layout: Layout, marks: OverviewMarks): void {
    this.layout = layout;
    if (!layout.width || !layout.height) { this.root.hidden = true; return; }
    const maxWidth = Math.max(40, Math.min(MAX_WIDTH, this.host.clientWidth * MAX_SHARE));
    const maxHeight = Math.max(40, Math.min(MAX_HEIGHT, this.host.clientHeight * MAX_SHARE * 1.4));
    this.scale = Math.min(maxWidth / layout.width, maxHeight / layout.height);
    const w = Math.max(1, Math.round(layout.width * this.scale));
    const h = Math.max(1, Math.round(layout.height * this.scale));
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const css = getComputedStyle(this.root);
    const color = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const fg = color('--muted', '#57606a'), border = color('--border', '#d0d7de'), accent = color('--accent', '#0969da'), group = '#9775fa';
    ctx.setTransform(dpr * this.scale, 0, 0, dpr * this.scale, 0, 0);
    ctx.clearRect(0, 0, layout.width, layout.height);
    ctx.lineWidth = 1 / this.scale;
    for (const key of model.visibleGroups) {
      const b = layout.boxes.get(key);
      if (!b) continue;
      const collapsed = !model.groups.get(key)!.expanded;
      ctx.strokeStyle = border;
      ctx.fillStyle = border;
      if (collapsed) ctx.fillRect(b.x, b.y, b.width, b.height);
      else ctx.strokeRect(b.x, b.y, b.width, b.height);
    }
    for (const key of model.visible) {
      const b = layout.boxes.get(key);
      if (!b) continue;
      const n = model.nodes.get(key)!;
      const mark = marks.highlighted.has(key) || marks.selected === key;
      ctx.globalAlpha = marks.dimmed.has(key) && !mark ? 0.25 : 1;
      if (n.expanded) { ctx.strokeStyle = group; ctx.strokeRect(b.x, b.y, b.width, b.height); }
      else { ctx.fillStyle = mark ? accent : n.childKeys.length ? group : fg; ctx.fillRect(b.x, b.y, b.width, b.height); }
    }
    ctx.globalAlpha = 1;
    if (marks.diff?.size) {
      const colours = { added: color('--diff-added', '#2b8a3e'), changed: color('--diff-changed', '#b35900'), 'may-change': color('--diff-may-change', '#bf8803') };
      for (const [key, d] of marks.diff) {
        const b = layout.boxes.get(key);
        if (!b) continue;
        // An expanded custom resource as an outline: its members are drawn inside it.
        if (model.nodes.get(key)?.expanded) { ctx.strokeStyle = colours[d.status]; ctx.strokeRect(b.x, b.y, b.width, b.height); }
        else { ctx.fillStyle = colours[d.status]; ctx.fillRect(b.x, b.y, b.width, b.height); }
      }
    }
    const removed = layout.boxes.get(REMOVED_GROUP_KEY);
    if (removed) {
      ctx.strokeStyle = color('--diff-removed', '#c92a2a');
      ctx.strokeRect(removed.x, removed.y, removed.width, removed.height);
    }
    // The marked ones again on top, larger than a dot, so they can be found at any size.
    ctx.fillStyle = accent;
    for (const key of [...marks.highlighted, ...(marks.selected ? [marks.selected] : [])]) {
      const b = layout.boxes.get(key);
      if (b) ctx.fillRect(b.x - 2 / this.scale, b.y - 2 / this.scale, b.width + 4 / this.scale, Math.max(b.height, 4 / this.scale) + 4 / this.scale);
    }
  }

  /** Places the viewport rectangle; hides the overview when the whole drawing is on screen. */
  setView(view: View, screen: { width: number; height: number }): void {
    const l = this.layout;
    if (!l || !l.width) { this.root.hidden = true; return; }
    const x0 = -view.x / view.scale, y0 = -view.y / view.scale;
    const x1 = x0 + screen.width / view.scale, y1 = y0 + screen.height / view.scale;
    const all = x0 <= 0 && y0 <= 0 && x1 >= l.width && y1 >= l.height;
    this.root.hidden = all;
    if (all) return;
    const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
    const left = clamp(x0, l.width) * this.scale, top = clamp(y0, l.height) * this.scale;
    const right = clamp(x1, l.width) * this.scale, bottom = clamp(y1, l.height) * this.scale;
    this.rect.style.left = `${left}px`;
    this.rect.style.top = `${top}px`;
    this.rect.style.width = `${Math.max(2, right - left)}px`;
    this.rect.style.height = `${Math.max(2, bottom - top)}px`;
  }
}
