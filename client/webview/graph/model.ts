/**
 * From the Graph JSON to what the preview draws: nodes keyed uniquely; recipe groups (a recipe's
 * resources in converge order, an included recipe nested in its includer where the include happened);
 * custom resources as groups of their internals; what a collapsed group hides mapped onto the group, and
 * edges onto what is drawn. Pure data: no DOM, no layout, so it is tested in Node.
 */
import type { EdgeKind, Graph, GraphResource, JsonValue, SourceLocation, Timing } from '../../../server/src/protocol';
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
  /** The children drawn when it is expanded: all of them, or those a "changed only" view keeps. */
  shownChildKeys: string[];
  /** How many resources are inside it, at every depth (what its collapsed box stands for). */
  inside: number;
  /** Whether its children are drawn inside it (only meaningful with children). */
  expanded: boolean;
  /** Whether any property value is unknown to the static evaluation. */
  hasUnknown: boolean;
  /** The recipe group holding it (for a custom resource's internals: the one holding the instance). */
  group: string;
}

/** A recipe's part of the run: its resources and the recipes it includes, in converge order. */
export interface RecipeGroup {
  /** `recipe:cookbook::name` (suffixed `#2` … should a recipe's resources come back outside its includer). */
  key: string;
  recipe: string;
  /** The group of the recipe that included it; none for a run-list recipe. */
  parentGroup?: string;
  depth: number;
  /** Top-level resource keys and nested group keys, in converge order. */
  items: string[];
  /** The items drawn when it is expanded: all of them, or those a "changed only" view keeps. */
  shownItems: string[];
  /** A run-list recipe starts; an included one is entered from its includer. */
  entry: 'start' | 'include';
  expanded: boolean;
  /** Resources under it at every depth: its own, its includes', custom resources' internals. */
  resourceCount: number;
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
  groups: Map<string, RecipeGroup>;
  /** Run-list recipe groups, in converge order. */
  roots: string[];
  /** Resource nodes drawn (top-level of expanded groups and inside expanded custom resources), in converge order. */
  visible: string[];
  /** Recipe groups drawn (expanded, or collapsed as one bar), parents before their nested groups. */
  visibleGroups: string[];
  /** Edges between what is drawn, deduplicated; `order` edges chain siblings in converge order, `include` ones enter an included recipe. */
  edges: ViewEdge[];
  /** Resource id → node key (the first resource with that id). */
  byId: Map<string, string>;
  /** Node key → what stands for it in the drawing: itself, its nearest collapsed custom resource, or a collapsed recipe group (none for a resource a "changed only" view leaves out). */
  shownAs: Map<string, string>;
  /** Resources only a compared baseline has, drawn apart after the run (keys `removed:0`, `removed:1` …). */
  removed: RemovedEntry[];
}

/** A resource the compared baseline has and the drawn run does not. */
export interface RemovedEntry {
  key: string;
  resource: string;
  type: string;
  location: SourceLocation;
}

export interface ViewOptions {
  /** Keys of custom resources drawn expanded (they start collapsed). */
  expanded: ReadonlySet<string>;
  /** Keys of recipe groups drawn collapsed (they start expanded). */
  collapsed: ReadonlySet<string>;
  /** Edge kinds not drawn. */
  hiddenEdgeKinds: ReadonlySet<string>;
  /** When set, only these node keys are drawn, with the custom resources and recipe groups holding them ("changed only"). */
  only?: ReadonlySet<string>;
  /** Resources only a compared baseline has, to draw apart. */
  removed?: readonly { resource: string; type: string; location: SourceLocation }[];
}

export const isGroupKey = (key: string): boolean => key.startsWith('recipe:');

/** The key of the box drawing the resources a baseline has and the run does not. */
export const REMOVED_GROUP_KEY = 'removed:';
export const isRemovedKey = (key: string): boolean => key.startsWith(REMOVED_GROUP_KEY);

/** The node key of the `occurrence`th (0-based) resource with this id in converge order: the id, then `id#2`, `id#3` … */
export function nodeKey(id: string, occurrence = 0): string {
  return occurrence > 0 ? `${id}#${occurrence + 1}` : id;
}

/** True for `{ "$unknown": reason }` anywhere inside a property value. */
export function containsUnknown(v: JsonValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v.$unknown === 'string') return true;
  return Object.values(v).some(containsUnknown);
}

/** Builds the view model; the options decide which custom resources and recipe groups show what is inside. */
export function buildViewModel(graph: Graph, options: ViewOptions): ViewModel {
  const nodes = new Map<string, ViewNode>();
  const byId = new Map<string, string>();
  const seen = new Map<string, number>();
  const keysInOrder: string[] = [];
  graph.resources.forEach((resource, index) => {
    const n = (seen.get(resource.id) ?? 0) + 1;
    seen.set(resource.id, n);
    const key = nodeKey(resource.id, n - 1);
    if (!byId.has(resource.id)) byId.set(resource.id, key);
    const hasUnknown = Object.values(resource.properties).some(containsUnknown);
    const childKeys: string[] = [];
    nodes.set(key, { key, resource, index, childKeys, shownChildKeys: childKeys, inside: 0, expanded: false, hasUnknown, group: '' });
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
  // Children come after their parents, so counting backwards sums each subtree once.
  for (let i = keysInOrder.length - 1; i >= 0; i--) {
    const node = nodes.get(keysInOrder[i])!;
    if (node.parentKey) nodes.get(node.parentKey)!.inside += 1 + node.inside;
  }
  for (const node of nodes.values()) node.expanded = node.childKeys.length > 0 && options.expanded.has(node.key);

  const { groups, roots: allRoots } = recipeGroups(graph, keysInOrder.filter((k) => !nodes.get(k)!.parentKey), nodes);
  for (const g of groups.values()) g.expanded = !options.collapsed.has(g.key);
  for (const key of keysInOrder) {
    const node = nodes.get(key)!;
    if (node.parentKey) node.group = nodes.get(node.parentKey)!.group;
  }
  const roots = options.only ? keepOnly(options.only, nodes, groups, allRoots) : allRoots;

  // What is drawn, in converge order: a collapsed group or custom resource stands for everything inside it.
  const shownAs = new Map<string, string>();
  const visible: string[] = [];
  const visibleGroups: string[] = [];
  const showNode = (key: string, hiddenBy: string | undefined) => {
    const node = nodes.get(key)!;
    shownAs.set(key, hiddenBy ?? key);
    if (!hiddenBy) visible.push(key);
    const inner = hiddenBy ?? (node.expanded ? undefined : key);
    for (const c of node.shownChildKeys) showNode(c, inner);
  };
  const showGroup = (key: string, hiddenBy: string | undefined) => {
    const g = groups.get(key)!;
    if (!hiddenBy) visibleGroups.push(key);
    const inner = hiddenBy ?? (g.expanded ? undefined : key);
    for (const item of g.shownItems) {
      if (isGroupKey(item)) showGroup(item, inner);
      else showNode(item, inner);
    }
  };
  for (const r of roots) showGroup(r, undefined);

  const edges: ViewEdge[] = [];
  const edgeKeys = new Set<string>();
  const push = (e: Omit<ViewEdge, 'key'>) => {
    const key = `${e.kind}:${e.timing ?? ''}:${e.action ?? ''}:${e.from}->${e.to}`;
    if (e.from === e.to || edgeKeys.has(key) || options.hiddenEdgeKinds.has(e.kind)) return;
    edgeKeys.add(key);
    edges.push({ key, ...e });
  };
  // Converge order between siblings: run-list recipes, the items of each expanded group, the inside of each expanded custom resource.
  chain(roots, push, false);
  for (const key of visibleGroups) if (groups.get(key)!.expanded) chain(groups.get(key)!.shownItems, push);
  for (const key of visible) {
    const node = nodes.get(key)!;
    if (node.expanded) chain(node.shownChildKeys, push);
  }
  for (const e of graph.edges) {
    if (e.kind === 'include' || e.kind === 'contains') continue; // drawn as nesting
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    const shownFrom = from && shownAs.get(from), shownTo = to && shownAs.get(to);
    if (!shownFrom || !shownTo) continue;
    push({ from: shownFrom, to: shownTo, kind: e.kind, timing: e.timing, action: e.action });
  }
  const removed = (options.removed ?? []).map((r, i) => ({ key: `${REMOVED_GROUP_KEY}${i}`, resource: r.resource, type: r.type, location: r.location }));
  return { nodes, groups, roots, visible, visibleGroups, edges, byId, shownAs, removed };
}

/**
 * Narrows what is drawn to the `only` nodes: each keeps the custom resources around it, and a recipe
 * group stays while it holds something kept. Sets `shownChildKeys`/`shownItems`; returns the roots kept.
 */
function keepOnly(only: ReadonlySet<string>, nodes: Map<string, ViewNode>, groups: Map<string, RecipeGroup>, roots: string[]): string[] {
  const kept = new Set<string>();
  for (const key of only) {
    for (let n = nodes.get(key); n && !kept.has(n.key); n = n.parentKey ? nodes.get(n.parentKey) : undefined) kept.add(n.key);
  }
  for (const n of nodes.values()) if (n.childKeys.length) n.shownChildKeys = n.childKeys.filter((k) => kept.has(k));
  const keep = (key: string): boolean => {
    if (!isGroupKey(key)) return kept.has(key);
    const g = groups.get(key)!;
    g.shownItems = g.items.filter(keep);
    return g.shownItems.length > 0;
  };
  return roots.filter(keep);
}

/** `recipe[a::b]`, `a::b` or `a` (its default recipe) → `a::b`. */
function recipeName(entry: string): string {
  const m = /^recipe\[(.*)\]$/.exec(entry);
  const name = m ? m[1] : entry;
  return name.includes('::') ? name : `${name}::default`;
}

/**
 * Nests the top-level resources in recipe groups as the converge entered them: a recipe not seen yet is
 * included by the innermost open recipe that leads to it through `includes` (recipes without resources
 * of their own on the way become groups too), or starts a run-list group; a recipe seen before resumes
 * (its includes are done). Chef includes a recipe once, so each appears once.
 */
function recipeGroups(graph: Graph, topLevel: string[], nodes: Map<string, ViewNode>): { groups: Map<string, RecipeGroup>; roots: string[] } {
  const includes = new Map(graph.recipes.map((r) => [r.id, r.includes]));
  const groups = new Map<string, RecipeGroup>();
  const roots: string[] = [];
  const entered = new Set<string>();
  const stack: RecipeGroup[] = [];
  const open = (recipe: string, parent: RecipeGroup | undefined): RecipeGroup => {
    let key = `recipe:${recipe}`;
    for (let n = 2; groups.has(key); n++) key = `recipe:${recipe}#${n}`;
    const items: string[] = [];
    const g: RecipeGroup = { key, recipe, parentGroup: parent?.key, depth: parent ? parent.depth + 1 : 0, items, shownItems: items, entry: parent ? 'include' : 'start', expanded: true, resourceCount: 0 };
    groups.set(key, g);
    if (parent) parent.items.push(key);
    else roots.push(key);
    entered.add(recipe);
    stack.push(g);
    return g;
  };
  /** The recipes on the way from `from` to `to` through includes of recipes not entered yet (`to` last), in include order. */
  const pathTo = (from: string, to: string): string[] | undefined => {
    const visited = new Set<string>();
    const walk = (r: string): string[] | undefined => {
      for (const inc of includes.get(r) ?? []) {
        if (inc === to) return [to];
        if (entered.has(inc) || visited.has(inc)) continue;
        visited.add(inc);
        const rest = walk(inc);
        if (rest) return [inc, ...rest];
      }
      return undefined;
    };
    return walk(from);
  };
  for (const key of topLevel) {
    const origin = nodes.get(key)!.resource.origin;
    const resumed = stack.map((g) => g.recipe).lastIndexOf(origin);
    if (resumed >= 0) stack.length = resumed + 1;
    else {
      let placed = false;
      for (let i = stack.length - 1; i >= 0 && !placed; i--) {
        const path = pathTo(stack[i].recipe, origin);
        if (!path) continue;
        stack.length = i + 1;
        for (const r of path) open(r, stack[stack.length - 1]);
        placed = true;
      }
      if (!placed) {
        stack.length = 0;
        const start = graph.runList.map(recipeName).find((r) => !entered.has(r) && (r === origin || pathTo(r, origin)));
        const path = !start || start === origin ? [origin] : [start, ...pathTo(start, origin)!];
        let parent: RecipeGroup | undefined;
        for (const r of path) parent = open(r, parent);
      }
    }
    const g = stack[stack.length - 1];
    g.items.push(key);
    nodes.get(key)!.group = g.key;
  }
  const count = (g: RecipeGroup): number =>
    (g.resourceCount = g.items.reduce((n, item) => n + (isGroupKey(item) ? count(groups.get(item)!) : 1 + nodes.get(item)!.inside), 0));
  for (const r of roots) count(groups.get(r)!);
  return { groups, roots };
}

/**
 * The recipe groups to collapse at first sight: groups open in converge order (a group before the
 * recipes it includes) while what is drawn stays within `budget` boxes, so a 2,000-resource run opens
 * as its first recipes and a bar per remaining recipe instead of 2,000 boxes; a small run opens whole.
 */
export function firstViewCollapsed(model: ViewModel, budget: number): Set<string> {
  const collapsed = new Set(model.groups.keys());
  let drawn = model.roots.length;
  const visit = (key: string) => {
    const g = model.groups.get(key)!;
    const cost = g.items.length - 1; // its items replace its bar
    if (drawn + cost > budget) return;
    drawn += cost;
    collapsed.delete(key);
    for (const item of g.items) if (isGroupKey(item)) visit(item);
  };
  for (const r of model.roots) visit(r);
  return collapsed;
}

/** The recipe groups around a node, outermost first (to expand them when the node must be seen). */
export function groupsAround(model: ViewModel, key: string): string[] {
  const out: string[] = [];
  for (let g = model.groups.get(model.nodes.get(key)?.group ?? ''); g; g = g.parentGroup ? model.groups.get(g.parentGroup) : undefined) out.unshift(g.key);
  return out;
}

/** The title of a recipe group: the recipe, said as an include when it was one. */
export function groupTitle(g: RecipeGroup): string {
  return g.entry === 'include' ? `include_recipe ${g.recipe}` : g.recipe;
}

/** Converge order along siblings; entering an included recipe is an `include` edge. */
function chain(keys: string[], push: (e: Omit<ViewEdge, 'key'>) => void, includes = true): void {
  for (let i = 1; i < keys.length; i++) push({ from: keys[i - 1], to: keys[i], kind: includes && isGroupKey(keys[i]) ? 'include' : 'order' });
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
