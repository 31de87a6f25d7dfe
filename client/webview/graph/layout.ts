/**
 * The drawing's geometry, laid out as text is: resources in converge order fill rows as wide as the
 * panel (left to right, then the next row), and every group — a recipe, an included recipe inside its
 * includer, an expanded custom resource — is a block on rows of its own. Sizes come from the editor's
 * font size, so at zoom 1 every label is exactly that size. A layered layout (ELK, used before) puts a
 * converge-order chain in one column that only fits a panel when shrunk unreadable; this one is linear in
 * the number of boxes, so a 2,000-resource run is laid out in milliseconds.
 *
 * Edges run in the gaps: converge order from each box to the next (beside it in a row, or down to the
 * next row); notifications leave a box into the row gap, go along the column gap to the right of it,
 * and enter the target from the row gap next to it. Pure: no DOM, tested in Node.
 */
import { isGroupKey, isRemovedKey, REMOVED_GROUP_KEY, type ViewEdge, type ViewModel } from './model';

/** Every size of the drawing, in CSS pixels at zoom 1, derived from one font size. */
export interface Metrics {
  font: number;
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal gap between boxes of a row (room for an arrow and edge channels). */
  colGap: number;
  /** Vertical gap between rows. */
  rowGap: number;
  /** Height of a group's title bar (all of a collapsed recipe's bar). */
  header: number;
  /** Inner padding of a group. */
  pad: number;
  /** Text inset inside a node. */
  inset: number;
  /** Baselines of a node's two lines and of a group's title, from the box's top. */
  line1: number;
  line2: number;
  headerLine: number;
}

export function metricsFor(font: number): Metrics {
  const f = Math.max(8, font);
  const nodeHeight = Math.round(f * 3.4);
  return {
    font: f,
    nodeWidth: Math.round(f * 21),
    nodeHeight,
    colGap: Math.round(f * 2),
    rowGap: Math.round(f * 1.6),
    header: Math.round(f * 2.2),
    pad: Math.round(f * 0.8),
    inset: Math.round(f * 0.7),
    line1: Math.round(f * 1.45),
    line2: Math.round(f * 2.85),
    headerLine: Math.round(f * 1.5),
  };
}

export interface Box { x: number; y: number; width: number; height: number }
export interface Point { x: number; y: number }
export interface RoutedEdge { edge: ViewEdge; points: Point[] }

export interface Layout {
  width: number;
  height: number;
  metrics: Metrics;
  /** Absolute boxes of everything drawn: resource nodes (expanded custom resources included) and recipe groups. */
  boxes: Map<string, Box>;
  edges: RoutedEdge[];
}

/**
 * Lays the model out in `width` pixels (at zoom 1): the panel's width, so rows fit it; never narrower
 * than one node in its innermost group. `headerWidth` measures an expanded custom resource's title bar,
 * so a small group is still as wide as its title.
 */
export function layoutGraph(model: ViewModel, m: Metrics, width: number, headerWidth?: (key: string) => number): Layout {
  const boxes = new Map<string, Box>();
  const depth = Math.max(0, ...[...model.groups.values()].map((g) => g.depth)) + 1;
  const w = Math.max(width, Math.round(m.nodeWidth * 0.85) + 2 * m.pad * (depth + 1));

  const isBlock = (key: string) => isGroupKey(key) || (!isRemovedKey(key) && model.nodes.get(key)!.expanded);
  /**
   * Places items from (x, y) within `inner` pixels; returns the bottom and the widest row. Nodes widen
   * (up to a quarter) to fill the row, so a nested group keeps its columns despite its padding.
   */
  const flow = (items: string[], x: number, y: number, inner: number): { bottom: number; used: number } => {
    const least = Math.round(m.nodeWidth * 0.85);
    const cols = Math.max(1, Math.floor((inner + m.colGap) / (least + m.colGap)));
    const nodeWidth = Math.max(least, Math.min(Math.round(m.nodeWidth * 1.25), Math.floor((inner - (cols - 1) * m.colGap) / cols)));
    let col = 0;
    let top = y;
    let bottom = y;
    let used = 0;
    for (const key of items) {
      if (!isBlock(key)) {
        if (col === cols) { top = bottom + m.rowGap; col = 0; }
        boxes.set(key, { x: x + col * (nodeWidth + m.colGap), y: top, width: nodeWidth, height: m.nodeHeight });
        col++;
        used = Math.max(used, col * (nodeWidth + m.colGap) - m.colGap);
        bottom = top + m.nodeHeight;
        continue;
      }
      if (bottom > y || col > 0) top = bottom + m.rowGap;
      col = 0;
      const box = block(key, x, top, inner);
      used = Math.max(used, box.width);
      bottom = top + box.height;
      top = bottom;
      col = cols; // the next inline item starts a row
    }
    return { bottom, used };
  };
  const block = (key: string, x: number, y: number, inner: number): Box => {
    let box: Box;
    if (isGroupKey(key)) {
      const g = model.groups.get(key)!;
      if (!g.expanded || !g.shownItems.length) box = { x, y, width: inner, height: m.header };
      else {
        const content = flow(g.shownItems, x + m.pad, y + m.header, inner - 2 * m.pad);
        box = { x, y, width: inner, height: content.bottom - y + m.pad };
      }
    } else {
      const n = model.nodes.get(key)!;
      const content = flow(n.shownChildKeys, x + m.pad, y + m.header, inner - 2 * m.pad);
      const title = headerWidth ? headerWidth(key) + 2 * m.inset : 0;
      box = { x, y, width: Math.min(inner, Math.max(m.nodeWidth + 2 * m.pad, content.used + 2 * m.pad, title)), height: content.bottom - y + m.pad };
    }
    boxes.set(key, box);
    return box;
  };

  let y = 0;
  for (const r of model.roots) {
    const b = block(r, 0, y, w);
    y = b.y + b.height + m.rowGap;
  }
  // What a compared baseline has and the run does not: a block of its own after the run, its entries as boxes.
  if (model.removed.length) {
    const content = flow(model.removed.map((r) => r.key), m.pad, y + m.header, w - 2 * m.pad);
    const b = { x: 0, y, width: w, height: content.bottom - y + m.pad };
    boxes.set(REMOVED_GROUP_KEY, b);
    y = b.y + b.height + m.rowGap;
  }
  const drawn = model.roots.length > 0 || model.removed.length > 0;
  return { width: drawn ? w : 0, height: drawn ? y - m.rowGap : 0, metrics: m, boxes, edges: routeEdges(model.edges, boxes, m) };
}

/** Where a converge-order arrow leaves or enters a box: the middle of its first column. */
const portX = (b: Box, m: Metrics) => b.x + Math.min(b.width, m.nodeWidth) / 2;

function routeEdges(edges: ViewEdge[], boxes: Map<string, Box>, m: Metrics): RoutedEdge[] {
  const out: RoutedEdge[] = [];
  // Edges sharing a column gap are spread across it, a few pixels apart.
  const inChannel = new Map<number, number>();
  const spread = Math.max(2, Math.round(m.font / 5));
  for (const edge of edges) {
    const a = boxes.get(edge.from);
    const b = boxes.get(edge.to);
    if (!a || !b) continue;
    const sameRow = Math.abs(a.y - b.y) < 1 && a.height === b.height;
    let points: Point[];
    if (edge.kind === 'order' || edge.kind === 'include') {
      if (sameRow && b.x > a.x) points = [{ x: a.x + a.width, y: a.y + a.height / 2 }, { x: b.x, y: b.y + b.height / 2 }];
      else {
        const xa = portX(a, m), xb = portX(b, m);
        const ym = (a.y + a.height + b.y) / 2;
        points = xa === xb ? [{ x: xa, y: a.y + a.height }, { x: xb, y: b.y }] : [{ x: xa, y: a.y + a.height }, { x: xa, y: ym }, { x: xb, y: ym }, { x: xb, y: b.y }];
      }
    } else {
      const channel = Math.round(a.x + a.width + Math.min(m.colGap, m.pad * 2) / 2);
      const k = inChannel.get(channel) ?? 0;
      inChannel.set(channel, k + 1);
      const off = ((k % 5) - 2) * spread;
      const ax = a.x + Math.min(a.width, m.nodeWidth) / 2 + off;
      const bx = b.x + Math.min(b.width, m.nodeWidth) / 2 + off;
      if (sameRow) {
        const gy = a.y + a.height + m.rowGap / 2 + off / 2;
        points = [{ x: ax, y: a.y + a.height }, { x: ax, y: gy }, { x: bx, y: gy }, { x: bx, y: b.y + b.height }];
      } else if (b.y >= a.y + a.height && b.y - (a.y + a.height) <= m.rowGap + 1) {
        // The next row: through the one gap between them.
        const gy = a.y + a.height + m.rowGap / 2 + off / 2;
        points = [{ x: ax, y: a.y + a.height }, { x: ax, y: gy }, { x: bx, y: gy }, { x: bx, y: b.y }];
      } else if (b.y >= a.y + a.height) {
        const y1 = a.y + a.height + m.rowGap / 2;
        const y2 = b.y - m.rowGap / 2 + off / 2;
        points = [{ x: ax, y: a.y + a.height }, { x: ax, y: y1 }, { x: channel + off, y: y1 }, { x: channel + off, y: y2 }, { x: bx, y: y2 }, { x: bx, y: b.y }];
      } else if (b.y + b.height <= a.y) {
        const y1 = a.y - m.rowGap / 2;
        const y2 = b.y + b.height + m.rowGap / 2 + off / 2;
        points = [{ x: ax, y: a.y }, { x: ax, y: y1 }, { x: channel + off, y: y1 }, { x: channel + off, y: y2 }, { x: bx, y: y2 }, { x: bx, y: b.y + b.height }];
      } else {
        // One box beside or around the other (a node and the custom resource holding it): round the right side.
        const x = Math.max(a.x + a.width, b.x + b.width) + m.pad / 2 + off;
        points = [{ x: a.x + a.width, y: a.y + a.height / 2 }, { x, y: a.y + a.height / 2 }, { x, y: b.y + m.header / 2 }, { x: b.x + b.width, y: b.y + m.header / 2 }];
      }
    }
    out.push({ edge, points });
  }
  return out;
}
