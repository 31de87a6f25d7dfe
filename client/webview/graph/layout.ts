/**
 * Layered layout with elkjs, one converge-order segment at a time. Each segment (a run of resources from
 * one recipe, with its expanded custom-resource groups) is an independent ELK layered graph, cached by
 * its structure, so an edit re-lays out only the segment it touches and a 2,000-resource graph is many
 * small layouts instead of one huge one. Segments stack top to bottom in converge order; edges between
 * segments are routed on lanes to the right of the column (an arc diagram), where they never cross nodes.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api';
import type { ViewEdge, ViewModel } from './model';

export const NODE_WIDTH = 260;
export const NODE_HEIGHT = 46;
const GROUP_HEADER = 30;
const GROUP_PADDING = 12;
const SEGMENT_HEADER = 26;
const SEGMENT_GAP = 40;
const LANE_GAP = 10;
const LANE_MARGIN = 24;

export interface Box { x: number; y: number; width: number; height: number }

export interface RoutedEdge { edge: ViewEdge; points: ElkPoint[]; lane?: number }

export interface SegmentBox extends Box { key: string; origin: string; entry: 'start' | 'include' | 'return' }

export interface Layout {
  width: number;
  height: number;
  /** Absolute boxes of every visible node (groups included). */
  boxes: Map<string, Box>;
  segments: SegmentBox[];
  edges: RoutedEdge[];
  /** Flow arrows between consecutive segments. */
  flows: { from: SegmentBox; to: SegmentBox; points: ElkPoint[] }[];
}

const SEGMENT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.thoroughness': '4',
  'elk.spacing.nodeNode': '18',
  'elk.layered.spacing.nodeNodeBetweenLayers': '22',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
};

interface SegmentLayout {
  width: number;
  height: number;
  boxes: Map<string, Box>;
  routes: Map<string, ElkPoint[]>;
}

/** Lays out view models; keeps per-segment results so unchanged segments are not laid out again. */
export class GraphLayouter {
  private readonly elk = new ELK();
  private cache = new Map<string, SegmentLayout>();

  /**
   * Lays out the model. With a time budget, segments are laid out in converge order until the budget is
   * spent; the rest get an estimated column (their edges go on the side lanes) and `complete` is false,
   * so the caller draws now and calls again to refine. Laid-out segments stay cached between calls.
   */
  async layout(model: ViewModel, budgetMs = Infinity): Promise<Layout & { complete: boolean }> {
    const started = performance.now();
    const segmentOf = new Map<string, number>();
    model.segments.forEach((s, i) => {
      const mark = (key: string) => {
        segmentOf.set(key, i);
        const n = model.nodes.get(key)!;
        if (n.expanded) n.childKeys.forEach(mark);
      };
      s.keys.forEach(mark);
    });
    const inner: ViewEdge[][] = model.segments.map(() => []);
    const crossing: ViewEdge[] = [];
    for (const e of model.edges) {
      const a = segmentOf.get(e.from);
      const b = segmentOf.get(e.to);
      if (a === undefined || b === undefined) continue;
      if (a === b) inner[a].push(e);
      else crossing.push(e);
    }
    const next = new Map<string, SegmentLayout>();
    const laid: SegmentLayout[] = [];
    let complete = true;
    for (const [i, s] of model.segments.entries()) {
      const elkGraph = this.segmentGraph(model, s.keys, inner[i]);
      const signature = JSON.stringify(elkGraph);
      let result = this.cache.get(signature) ?? next.get(signature);
      if (!result && !inner[i].some((e) => e.kind !== 'order') && !elkGraph.children!.some((c) => c.children)) result = chainLayout(s.keys, inner[i]);
      if (!result && performance.now() - started > budgetMs) {
        complete = false;
        laid.push(estimate(model, s.keys));
        crossing.push(...inner[i]);
        inner[i] = [];
        continue;
      }
      result ??= toSegmentLayout(await this.elk.layout(elkGraph));
      next.set(signature, result);
      laid.push(result);
    }
    // Keep what this pass did not reach (a later pass will ask for it) and drop what no longer exists.
    if (!complete) for (const [k, v] of this.cache) if (!next.has(k)) next.set(k, v);
    this.cache = next;
    return { ...stack(model, laid, inner, crossing), complete };
  }

  private segmentGraph(model: ViewModel, keys: string[], edges: ViewEdge[]): ElkNode {
    let hasGroups = false;
    const toElk = (key: string): ElkNode => {
      const n = model.nodes.get(key)!;
      if (!n.expanded) return { id: key, width: NODE_WIDTH, height: NODE_HEIGHT };
      hasGroups = true;
      return {
        id: key,
        layoutOptions: { 'elk.padding': `[top=${GROUP_HEADER},left=${GROUP_PADDING},bottom=${GROUP_PADDING},right=${GROUP_PADDING}]` },
        children: n.childKeys.map(toElk),
      };
    };
    const children = keys.map(toElk);
    const elkEdges: ElkExtendedEdge[] = edges.map((e) => ({ id: e.key, sources: [e.from], targets: [e.to] }));
    const layoutOptions = hasGroups ? { ...SEGMENT_OPTIONS, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' } : SEGMENT_OPTIONS;
    return { id: 'segment', layoutOptions, children, edges: elkEdges };
  }
}

const ELK_PADDING = 12;
const LAYER_SPACING = 22;

/** A pure chain (converge order only, no groups) is a column: what ELK would produce, without running it. */
function chainLayout(keys: string[], edges: ViewEdge[]): SegmentLayout {
  const boxes = new Map<string, Box>();
  const routes = new Map<string, ElkPoint[]>();
  keys.forEach((key, i) => boxes.set(key, { x: ELK_PADDING, y: ELK_PADDING + i * (NODE_HEIGHT + LAYER_SPACING), width: NODE_WIDTH, height: NODE_HEIGHT }));
  const cx = ELK_PADDING + NODE_WIDTH / 2;
  for (const e of edges) {
    const a = boxes.get(e.from)!, b = boxes.get(e.to)!;
    routes.set(e.key, [{ x: cx, y: a.y + a.height }, { x: cx, y: b.y }]);
  }
  const height = keys.length ? 2 * ELK_PADDING + keys.length * NODE_HEIGHT + (keys.length - 1) * LAYER_SPACING : 0;
  return { width: NODE_WIDTH + 2 * ELK_PADDING, height, boxes, routes };
}

/** A placeholder for a segment not laid out yet: its nodes in a column, groups sized to hold their children. */
function estimate(model: ViewModel, keys: string[]): SegmentLayout {
  const boxes = new Map<string, Box>();
  const place = (list: string[], x: number, y: number): { width: number; bottom: number } => {
    let width = NODE_WIDTH;
    for (const key of list) {
      const n = model.nodes.get(key)!;
      if (n.expanded) {
        const inner = place(n.childKeys, x + GROUP_PADDING, y + GROUP_HEADER);
        const box = { x, y, width: inner.width + 2 * GROUP_PADDING, height: inner.bottom - y + GROUP_PADDING - LAYER_SPACING };
        boxes.set(key, box);
        width = Math.max(width, box.width);
        y += box.height + LAYER_SPACING;
      } else {
        boxes.set(key, { x, y, width: NODE_WIDTH, height: NODE_HEIGHT });
        y += NODE_HEIGHT + LAYER_SPACING;
      }
    }
    return { width, bottom: y };
  };
  const { width, bottom } = place(keys, ELK_PADDING, ELK_PADDING);
  return { width: width + 2 * ELK_PADDING, height: bottom - LAYER_SPACING + ELK_PADDING, boxes, routes: new Map() };
}

function toSegmentLayout(root: ElkNode): SegmentLayout {
  const boxes = new Map<string, Box>();
  const routes = new Map<string, ElkPoint[]>();
  const visit = (n: ElkNode) => {
    for (const c of n.children ?? []) {
      boxes.set(c.id, { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? NODE_WIDTH, height: c.height ?? NODE_HEIGHT });
      visit(c);
    }
    for (const e of (n.edges ?? []) as ElkExtendedEdge[]) {
      const s = e.sections?.[0];
      if (s) routes.set(e.id, [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]);
    }
  };
  visit(root);
  return { width: root.width ?? 0, height: root.height ?? 0, boxes, routes };
}

/** Stacks segment layouts in converge order and routes the edges between segments on side lanes. */
function stack(model: ViewModel, laid: SegmentLayout[], inner: ViewEdge[][], crossing: ViewEdge[]): Layout {
  const columnWidth = Math.max(NODE_WIDTH, ...laid.map((l) => l.width));
  const boxes = new Map<string, Box>();
  const segments: SegmentBox[] = [];
  const edges: RoutedEdge[] = [];
  let y = 0;
  model.segments.forEach((s, i) => {
    const l = laid[i];
    const x = (columnWidth - l.width) / 2;
    const top = y + SEGMENT_HEADER;
    segments.push({ key: s.key, origin: s.origin, entry: s.entry, x, y, width: l.width, height: l.height + SEGMENT_HEADER });
    for (const [key, b] of l.boxes) boxes.set(key, { x: b.x + x, y: b.y + top, width: b.width, height: b.height });
    y = top + l.height + SEGMENT_GAP;
  });
  segments.forEach((seg, i) => {
    const dy = seg.y + SEGMENT_HEADER;
    for (const e of inner[i]) {
      const pts = laid[i].routes.get(e.key);
      if (pts) edges.push({ edge: e, points: pts.map((p) => ({ x: p.x + seg.x, y: p.y + dy })) });
    }
  });
  // Lanes: interval partitioning so edges whose vertical spans overlap get different lanes.
  const spans = crossing
    .map((edge) => ({ edge, a: boxes.get(edge.from)!, b: boxes.get(edge.to)! }))
    .filter((s) => s.a && s.b)
    .map((s) => ({ ...s, top: Math.min(mid(s.a), mid(s.b)), bottom: Math.max(mid(s.a), mid(s.b)) }))
    .sort((p, q) => p.top - q.top || p.bottom - q.bottom);
  const laneEnds: number[] = [];
  for (const s of spans) {
    let lane = laneEnds.findIndex((end) => end < s.top - 4);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = s.bottom;
    const laneX = columnWidth + LANE_MARGIN + lane * LANE_GAP;
    const ay = mid(s.a);
    const by = mid(s.b);
    edges.push({ edge: s.edge, lane, points: [{ x: s.a.x + s.a.width, y: ay }, { x: laneX, y: ay }, { x: laneX, y: by }, { x: s.b.x + s.b.width, y: by }] });
  }
  const flows = segments.slice(1).map((to, i) => {
    const from = segments[i];
    const cx = columnWidth / 2;
    return { from, to, points: [{ x: cx, y: from.y + from.height }, { x: cx, y: to.y }] };
  });
  const width = columnWidth + (laneEnds.length ? LANE_MARGIN + laneEnds.length * LANE_GAP + LANE_MARGIN : 0);
  return { width, height: Math.max(0, y - SEGMENT_GAP), boxes, segments, edges, flows };
}

const mid = (b: Box) => b.y + b.height / 2;
