/**
 * From the Graph JSON to what the preview draws: nodes keyed uniquely, converge-order segments (runs of
 * resources from the same recipe), custom resources as groups that expand, and edges mapped onto the
 * visible nodes. Pure data: no DOM, no layout, so it is tested in Node.
 */
import type { EdgeKind, Graph, GraphResource, JsonValue, Timing } from '../../../server/src/protocol';
import { actionLabel } from '../../../server/src/protocol';

export type ViewEdgeKind = EdgeKind | 'order';

export interface ViewNode {
  /** Unique key: the resource id, suffixed `#2`, `#3` … when Chef's id repeats. */
  key: string;
  resource: GraphResource;
  /** Position in converge order. */
  index: number;
  /** Key of the custom resource this one was expanded from. */
  parentKey?: string;
  /** Keys of the resources it expanded into (custom resources only). */
  childKeys: string[];
  /** Whether its children are drawn inside it (only meaningful with children). */
  expanded: boolean;
  /** Whether any property value is unknown to the static evaluation. */
  hasUnknown: boolean;
}

/** A run of consecutive top-level resources declared by one recipe, in converge order. */
export interface Segment {
  key: string;
  origin: string;
  /** Top-level node keys in order (children of expanded groups are reached through them). */
  keys: string[];
  /** How the converge got here: a run-list recipe starts, an included recipe is entered, or an includer resumes. */
  entry: 'start' | 'include' | 'return';
}

export interface ViewEdge {
  key: string;
  from: string;
  to: string;
  kind: ViewEdgeKind;
  timing?: Timing;
  action?: string;
}

export interface ViewModel {
  nodes: Map<string, ViewNode>;
  /** Visible nodes (top-level and inside expanded groups), in converge order. */
  visible: string[];
  segments: Segment[];
  /** Edges between visible nodes, deduplicated; `order` edges chain siblings in converge order. */
  edges: ViewEdge[];
  /** Resource id → node key (the first resource with that id). */
  byId: Map<string, string>;
  /** Node key → the visible node standing for it (itself, or its nearest collapsed custom resource). */
  shownAs: Map<string, string>;
}

export interface ViewOptions {
  /** Keys of custom resources drawn expanded. */
  expanded: ReadonlySet<string>;
  /** Edge kinds not drawn. */
  hiddenEdgeKinds: ReadonlySet<string>;
}

/** True for `{ "$unknown": reason }` anywhere inside a property value. */
export function containsUnknown(v: JsonValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v.$unknown === 'string') return true;
  return Object.values(v).some(containsUnknown);
}

/** Builds the view model; `options.expanded` decides which custom resources show their children. */
export function buildViewModel(graph: Graph, options: ViewOptions): ViewModel {
  const nodes = new Map<string, ViewNode>();
  const byId = new Map<string, string>();
  const seen = new Map<string, number>();
  const keysInOrder: string[] = [];
  graph.resources.forEach((resource, index) => {
    const n = (seen.get(resource.id) ?? 0) + 1;
    seen.set(resource.id, n);
    const key = n === 1 ? resource.id : `${resource.id}#${n}`;
    if (!byId.has(resource.id)) byId.set(resource.id, key);
    const hasUnknown = Object.values(resource.properties).some(containsUnknown);
    nodes.set(key, { key, resource, index, childKeys: [], expanded: false, hasUnknown });
    keysInOrder.push(key);
  });
  // Children follow their parent in converge order; the nearest preceding resource with the parent's id is it.
  const lastKeyOfId = new Map<string, string>();
  for (const key of keysInOrder) {
    const node = nodes.get(key)!;
    const parentKey = node.resource.parent ? lastKeyOfId.get(node.resource.parent) : undefined;
    if (parentKey) {
      node.parentKey = parentKey;
      nodes.get(parentKey)!.childKeys.push(key);
    }
    lastKeyOfId.set(node.resource.id, key);
  }
  for (const node of nodes.values()) node.expanded = node.childKeys.length > 0 && options.expanded.has(node.key);

  // The visible node standing for each node: itself, or its nearest collapsed ancestor.
  const shownAs = new Map<string, string>();
  const visible: string[] = [];
  for (const key of keysInOrder) {
    const node = nodes.get(key)!;
    const parentShown = node.parentKey ? shownAs.get(node.parentKey)! : undefined;
    const parentNode = node.parentKey ? nodes.get(node.parentKey)! : undefined;
    if (parentShown !== undefined && (parentShown !== node.parentKey || !parentNode!.expanded)) shownAs.set(key, parentShown);
    else {
      shownAs.set(key, key);
      visible.push(key);
    }
  }

  const segments: Segment[] = [];
  const entered = new Set<string>();
  const included = new Set(graph.recipes.flatMap((r) => r.includes));
  for (const key of keysInOrder) {
    const node = nodes.get(key)!;
    if (node.parentKey) continue;
    const origin = node.resource.origin;
    const last = segments[segments.length - 1];
    if (last && last.origin === origin) last.keys.push(key);
    else {
      // Entering a recipe some recipe includes is an include; coming back to one already entered is a return.
      const entry = entered.has(origin) ? 'return' : included.has(origin) ? 'include' : 'start';
      segments.push({ key: `segment:${segments.length}:${origin}`, origin, keys: [key], entry });
    }
    entered.add(origin);
  }

  const edges: ViewEdge[] = [];
  const edgeKeys = new Set<string>();
  const push = (e: Omit<ViewEdge, 'key'>) => {
    const key = `${e.kind}:${e.timing ?? ''}:${e.action ?? ''}:${e.from}->${e.to}`;
    if (e.from === e.to || edgeKeys.has(key) || options.hiddenEdgeKinds.has(e.kind)) return;
    edgeKeys.add(key);
    edges.push({ key, ...e });
  };
  // Converge order between siblings: the top level of each segment, and the inside of each expanded group.
  for (const s of segments) chain(s.keys, push);
  for (const key of visible) {
    const node = nodes.get(key)!;
    if (node.expanded) chain(node.childKeys, push);
  }
  for (const e of graph.edges) {
    if (e.kind === 'include' || e.kind === 'contains') continue; // drawn as segments and groups
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) continue;
    push({ from: shownAs.get(from)!, to: shownAs.get(to)!, kind: e.kind, timing: e.timing, action: e.action });
  }
  // Include edges between segments: drawn by the renderer from `entry`; the filter hides them too.
  return { nodes, visible, segments, edges, byId, shownAs };
}

function chain(keys: string[], push: (e: Omit<ViewEdge, 'key'>) => void): void {
  for (let i = 1; i < keys.length; i++) push({ from: keys[i - 1], to: keys[i], kind: 'order' });
}

/** The label drawn in a node: Chef's id, with the resolved class when it differs from the DSL name. */
export function nodeTitle(r: GraphResource): string {
  return r.id;
}

/** The second line of a node: its actions and, when useful, the resolved type. */
export function nodeSubtitle(r: GraphResource): string {
  const actions = r.actions.map(actionLabel).join(', ');
  return r.type !== r.resolvedType ? `${actions} · ${r.resolvedType}` : actions;
}

/** Whether a node matches the search text (case-insensitive, over id, type, resolved type, origin). */
export function matchesSearch(r: GraphResource, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return r.id.toLowerCase().includes(q) || r.resolvedType.toLowerCase().includes(q) || r.origin.toLowerCase().includes(q);
}

/** A property value as text, with unknown values said as such (`unknown: reason`) and lazy ones as code. */
export function formatValue(v: JsonValue): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v.$unknown === 'string') return `‹unknown: ${v.$unknown}›`;
  if (typeof v.$lazy === 'string') return `lazy { ${v.$lazy} }`;
  return `{ ${Object.entries(v).map(([k, x]) => `${k} => ${formatValue(x)}`).join(', ')} }`;
}
