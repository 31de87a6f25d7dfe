/** Pan (drag) and zoom (wheel, +/−) of the SVG viewport, with fit, the first view, and bringing a box into view. */
import type { Box } from './layout';

export interface View { x: number; y: number; scale: number }

/** Room kept around what is brought into view, in screen pixels. */
const MARGIN = 16;

export class PanZoom {
  private view: View = { x: 0, y: 0, scale: 1 };
  private drag?: { x: number; y: number; vx: number; vy: number; moved: boolean };
  private readonly listeners: ((v: View) => void)[] = [];
  /** True when the last pointer sequence moved the view (so the click that ends it is not a node click). */
  dragged = false;

  constructor(private readonly svg: SVGSVGElement, private readonly viewport: SVGGElement) {
    svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      // A plain wheel scrolls, as in an editor; Ctrl (and the trackpad's pinch) zooms.
      if (!e.ctrlKey && !e.metaKey) { this.panBy(-e.deltaX, -e.deltaY); return; }
      const factor = Math.exp(-e.deltaY * 0.01);
      const rect = svg.getBoundingClientRect();
      this.zoomAt(e.clientX - rect.left, e.clientY - rect.top, factor);
    }, { passive: false });
    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
      this.dragged = false;
    });
    window.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
      if (!this.drag.moved && Math.hypot(dx, dy) < 4) return;
      this.drag.moved = true;
      this.set({ ...this.view, x: this.drag.vx + dx, y: this.drag.vy + dy });
    });
    window.addEventListener('pointerup', () => {
      this.dragged = this.drag?.moved ?? false;
      this.drag = undefined;
    });
  }

  get current(): View { return this.view; }

  /** Called after every change of the view (the overview draws its rectangle from it). */
  onChange(listener: (v: View) => void): void { this.listeners.push(listener); }

  /** The size of the drawing area on screen. */
  size(): { width: number; height: number } {
    const r = this.svg.getBoundingClientRect();
    return { width: r.width, height: r.height };
  }

  set(v: View): void {
    this.view = v;
    this.viewport.setAttribute('transform', `translate(${round(v.x)},${round(v.y)}) scale(${v.scale})`);
    for (const l of this.listeners) l(v);
  }

  zoomAt(px: number, py: number, factor: number): void {
    const scale = Math.min(4, Math.max(0.02, this.view.scale * factor));
    const k = scale / this.view.scale;
    this.set({ scale, x: px - (px - this.view.x) * k, y: py - (py - this.view.y) * k });
  }

  zoomBy(factor: number): void {
    const r = this.size();
    this.zoomAt(r.width / 2, r.height / 2, factor);
  }

  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  }

  /** The first view: zoom 1 (labels at the editor's font size), the start of the run at the top left. */
  showStart(): void {
    this.set({ scale: 1, x: MARGIN, y: MARGIN });
  }

  /** Fits the whole drawing in the view (the user asked: labels may get small). */
  fit(width: number, height: number): void {
    const r = this.size();
    if (!width || !height || !r.width) return;
    const scale = Math.min(1, (r.width - 2 * MARGIN) / width, (r.height - 2 * MARGIN) / height);
    this.set({ scale, x: (r.width - width * scale) / 2, y: MARGIN });
  }

  /** Moves the view, keeping the zoom, so a point of the drawing is in the middle. */
  centerAt(x: number, y: number): void {
    const r = this.size();
    const s = this.view.scale;
    this.set({ scale: s, x: r.width / 2 - x * s, y: r.height / 2 - y * s });
  }

  /** Moves the view so a box is in the middle, keeping the zoom. */
  centerOn(b: Box): void {
    this.centerAt(b.x + b.width / 2, b.y + b.height / 2);
  }

  /**
   * Brings a box wholly into view, never zooming out: horizontally by the least move that shows it;
   * vertically to the middle (`center`: the rows around it show too) or by the least move. `right` is
   * screen room covered by a side pane.
   */
  reveal(b: Box, right = 0, vertical: 'center' | 'least' = 'center'): void {
    if (this.isInside(b, right)) return;
    const r = this.size();
    const s = Math.max(this.view.scale, 1);
    const least = (pos: number, size: number, room: number, offset: number) => {
      if (size * s > room - 2 * MARGIN || pos * s + offset < MARGIN) return MARGIN - pos * s;
      if ((pos + size) * s + offset > room - MARGIN) return room - MARGIN - (pos + size) * s;
      return offset;
    };
    const x = least(b.x, b.width, r.width - right, this.view.x);
    const y = vertical === 'center' ? r.height / 2 - (b.y + b.height / 2) * s : least(b.y, b.height, r.height, this.view.y);
    this.set({ scale: s, x, y });
  }

  /** Whether a box is wholly on screen (left of `right` pixels covered on the right). */
  isInside(b: Box, right = 0): boolean {
    const r = this.size();
    const { x, y, scale } = this.view;
    const left = b.x * scale + x, top = b.y * scale + y;
    return left >= 0 && top >= 0 && left + b.width * scale <= r.width - right && top + b.height * scale <= r.height;
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
