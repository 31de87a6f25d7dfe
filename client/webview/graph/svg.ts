/** Tiny helpers to build SVG with the DOM: text always goes through textContent, never markup. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

export function svgText(text: string, attrs: Record<string, string | number>, parent: Element): SVGTextElement {
  const el = svgEl('text', attrs, parent);
  el.textContent = text;
  return el;
}

/** An SVG path through points with rounded corners (orthogonal routes) — plain data in, `d` out. */
export function roundedPath(points: { x: number; y: number }[], radius = 6): string {
  if (points.length === 0) return '';
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i - 1], c = points[i], n = points[i + 1];
    const d1 = Math.hypot(c.x - p.x, c.y - p.y), d2 = Math.hypot(n.x - c.x, n.y - c.y);
    const k = Math.min(radius, d1 / 2, d2 / 2);
    if (k < 0.5) { d += `L${r(c.x)},${r(c.y)}`; continue; }
    const a = { x: c.x - ((c.x - p.x) / d1) * k, y: c.y - ((c.y - p.y) / d1) * k };
    const b = { x: c.x + ((n.x - c.x) / d2) * k, y: c.y + ((n.y - c.y) / d2) * k };
    d += `L${r(a.x)},${r(a.y)}Q${r(c.x)},${r(c.y)} ${r(b.x)},${r(b.y)}`;
  }
  const last = points[points.length - 1];
  return d + `L${r(last.x)},${r(last.y)}`;
}

const r = (n: number) => Math.round(n * 10) / 10;

/**
 * Cuts labels to a width in pixels, measured with the font they are drawn in (a canvas measures text
 * without layout). Ids are cut in the middle, so `template[/etc/…/site.conf]` keeps its type and its end.
 */
export class TextFitter {
  private readonly ctx: CanvasRenderingContext2D | null;
  private readonly cache = new Map<string, number>();
  private readonly px: number;

  constructor(font: string) {
    this.ctx = document.createElement('canvas').getContext('2d');
    if (this.ctx) this.ctx.font = font;
    this.px = parseFloat(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? '14');
  }

  width(text: string): number {
    let w = this.cache.get(text);
    if (w === undefined) {
      // Without a canvas, a generous average advance.
      w = this.ctx ? this.ctx.measureText(text).width : text.length * 0.62 * this.px;
      if (this.cache.size > 20_000) this.cache.clear();
      this.cache.set(text, w);
    }
    return w;
  }

  fitMiddle(text: string, max: number): string {
    return this.cut(text, max, (n) => text.slice(0, Math.ceil(n / 2)) + '…' + text.slice(text.length - Math.floor(n / 2)));
  }

  fitEnd(text: string, max: number): string {
    return this.cut(text, max, (n) => text.slice(0, n) + '…');
  }

  /** The longest cut (by characters kept, found by bisection) that fits. */
  private cut(text: string, max: number, cutTo: (kept: number) => string): string {
    if (this.width(text) <= max) return text;
    let lo = 0, hi = text.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.width(cutTo(mid)) <= max) lo = mid;
      else hi = mid - 1;
    }
    return lo > 0 ? cutTo(lo) : '…';
  }
}
