/** Pan (drag, arrow keys) and zoom (wheel, +/−) of the SVG viewport, with fit and center-on. */
export interface View { x: number; y: number; scale: number }

export class PanZoom {
  private view: View = { x: 0, y: 0, scale: 1 };
  private drag?: { x: number; y: number; vx: number; vy: number; moved: boolean };
  /** True when the last pointer sequence moved the view (so the click that ends it is not a node click). */
  dragged = false;

  constructor(private readonly svg: SVGSVGElement, private readonly viewport: SVGGElement) {
    svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const factor = Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015));
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

  set(v: View): void {
    this.view = v;
    this.viewport.setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.scale})`);
  }

  zoomAt(px: number, py: number, factor: number): void {
    const scale = Math.min(4, Math.max(0.02, this.view.scale * factor));
    const k = scale / this.view.scale;
    this.set({ scale, x: px - (px - this.view.x) * k, y: py - (py - this.view.y) * k });
  }

  zoomBy(factor: number): void {
    const r = this.svg.getBoundingClientRect();
    this.zoomAt(r.width / 2, r.height / 2, factor);
  }

  panBy(dx: number, dy: number): void {
    this.set({ ...this.view, x: this.view.x + dx, y: this.view.y + dy });
  }

  /** Fits the width of the drawing (tall graphs scroll rather than shrink to dots). */
  fit(width: number, height: number): void {
    const r = this.svg.getBoundingClientRect();
    if (!width || !height || !r.width) return;
    const scale = Math.min(1, (r.width - 40) / width, Math.max((r.height - 40) / height, 0.5));
    this.set({ scale, x: (r.width - width * scale) / 2, y: 20 });
  }

  /** Moves the view so a box is in the middle, keeping the zoom. */
  centerOn(b: { x: number; y: number; width: number; height: number }): void {
    const r = this.svg.getBoundingClientRect();
    const s = this.view.scale;
    this.set({ scale: s, x: r.width / 2 - (b.x + b.width / 2) * s, y: r.height / 2 - (b.y + b.height / 2) * s });
  }

  /** Whether a box is at least partly on screen. */
  isVisible(b: { x: number; y: number; width: number; height: number }): boolean {
    const r = this.svg.getBoundingClientRect();
    const { x, y, scale } = this.view;
    const left = b.x * scale + x, top = b.y * scale + y;
    return left + b.width * scale > 0 && top + b.height * scale > 0 && left < r.width && top < r.height;
  }
}
