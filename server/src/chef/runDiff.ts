/**
 * The difference between two Graph JSONs of the same run (two revisions, platforms, suites or
 * attribute files): resources matched by id, what was added or removed, what changed (old → new),
 * rendered content as a unified diff, notifications gained or lost, and notification edges whose
 * two resources swapped converge order. Pure: plain data in and out.
 *
 * Unknowns stay honest: a value the evaluator could not know on either side (`{ "$unknown": why }`,
 * a lazy value, an unknown name or action, a hole in rendered content) is `may-change`, never
 * "unchanged" and never "changed".
 */
import { createTwoFilesPatch } from 'diff';
import {
  isUnknownMarker, renderedTextForPeople,
  type Graph, type GraphNotification, type GraphResource, type JsonValue, type RenderedContent,
  type RunDiff, type RunDiffContentChange, type RunDiffFieldChange, type RunDiffNotificationChange,
  type RunDiffOrderChange, type RunDiffResourceChange, type RunDiffResourceRef, type RunDiffSide,
} from '../protocol';

/** Where each graph came from (labels for people; the graphs carry platform and run list). */
export interface RunDiffLabels {
  from: Omit<RunDiffSide, 'platform' | 'runList'>;
  to: Omit<RunDiffSide, 'platform' | 'runList'>;
}

/** Diffs two runs; `from` is the baseline. */
export function diffRuns(from: Graph, to: Graph, labels: RunDiffLabels): RunDiff {
  const before = keyed(from.resources);
  const after = keyed(to.resources);
  const added: RunDiffResourceRef[] = [];
  const changed: RunDiffResourceChange[] = [];
  let unchanged = 0;
  for (const [key, { resource, occurrence }] of after) {
    const old = before.get(key)?.resource;
    if (!old) { added.push(ref(resource, occurrence)); continue; }
    const change = diffResource(old, resource, occurrence);
    if (change) changed.push(change); else unchanged++;
  }
  const removed = [...before].filter(([key]) => !after.has(key)).map(([, { resource, occurrence }]) => ref(resource, occurrence));
  const order = orderChanges(from, to);
  return {
    from: { ...labels.from, platform: from.platform, runList: from.runList },
    to: { ...labels.to, platform: to.platform, runList: to.runList },
    added, removed, changed, order,
    summary: {
      added: added.length, removed: removed.length,
      changed: changed.filter((c) => c.status === 'changed').length,
      mayChange: changed.filter((c) => c.status === 'may-change').length,
      unchanged, order: order.length,
    },
  };
}

/** Whether the diff has anything to report (`--detailed-exitcode`): a change or a may-change. */
export function hasDifferences(d: RunDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length + d.order.length > 0;
}

/**
 * Resources by `id`, the nth repeat of an id as `id#n` (Chef lets an id repeat: a loop, a
 * custom resource's children), in converge order.
 */
function keyed(resources: GraphResource[]): Map<string, { resource: GraphResource; occurrence: number }> {
  const seen = new Map<string, number>();
  const out = new Map<string, { resource: GraphResource; occurrence: number }>();
  for (const r of resources) {
    const n = seen.get(r.id) ?? 0;
    seen.set(r.id, n + 1);
    out.set(n ? `${r.id}#${n}` : r.id, { resource: r, occurrence: n });
  }
  return out;
}

function ref(r: GraphResource, occurrence: number): RunDiffResourceRef {
  return { id: r.id, type: r.type, resolvedType: r.resolvedType, actions: r.actions, location: r.location, ...(occurrence ? { occurrence } : {}) };
}

function diffResource(a: GraphResource, b: GraphResource, occurrence: number): RunDiffResourceChange | undefined {
  // A file's `content` property is its rendered content: reported once, as content.
  const renderedBoth = !!a.content && !!b.content;
  const properties = propertyChanges(a.properties, b.properties).filter((f) => !(renderedBoth && f.name === 'content'));
  const fields = [...nameChange(a, b), ...fieldChanges(a, b), ...properties];
  const notifications = notificationChanges(a.notifies, b.notifies);
  const content = contentChange(a, b);
  const all = [...fields.map((f) => f.status), ...notifications.map((n) => n.status), ...(content ? [content.status] : [])];
  if (!all.length) return undefined;
  return {
    id: b.id, type: b.type, ...(occurrence ? { occurrence } : {}),
    status: all.every((s) => s === 'may-change') ? 'may-change' : 'changed',
    fromLocation: a.location, toLocation: b.location,
    fields, notifications, ...(content ? { content } : {}),
  };
}

/** Same id, but a name the evaluator could not know on either side may still be another resource. */
function nameChange(a: GraphResource, b: GraphResource): RunDiffFieldChange[] {
  const why = unknownReason(a.name) ?? unknownReason(b.name);
  return why === undefined ? [] : [{ field: 'name', status: 'may-change', from: a.name as JsonValue, to: b.name as JsonValue, reason: why }];
}

function fieldChanges(a: GraphResource, b: GraphResource): RunDiffFieldChange[] {
  const out: RunDiffFieldChange[] = [];
  const actionsWhy = unknownReason(a.actions) ?? unknownReason(b.actions);
  if (actionsWhy !== undefined) out.push({ field: 'actions', status: 'may-change', from: a.actions as JsonValue, to: b.actions as JsonValue, reason: actionsWhy });
  else if (!same(a.actions, b.actions)) out.push({ field: 'actions', status: 'changed', from: a.actions as JsonValue, to: b.actions as JsonValue });
  if (a.resolvedType !== b.resolvedType) out.push({ field: 'type', status: 'changed', from: a.resolvedType, to: b.resolvedType });
  if (a.origin !== b.origin) out.push({ field: 'origin', status: 'changed', from: a.origin, to: b.origin });
  for (const flag of ['conditional', 'repeated'] as const) {
    // Whether the declaration depends on something unknown: its reason text may change with no meaning, its presence matters.
    if (!!a[flag] !== !!b[flag]) out.push({ field: flag, status: 'changed', ...(a[flag] ? { from: a[flag] } : {}), ...(b[flag] ? { to: b[flag] } : {}) });
  }
  const guardText = (r: GraphResource) => r.guards.map((g) => `${g.kind} ${g.source}`);
  const ga = guardText(a), gb = guardText(b);
  for (const g of ga) if (!gb.includes(g)) out.push({ field: 'guard', name: g, status: 'removed' });
  for (const g of gb) if (!ga.includes(g)) out.push({ field: 'guard', name: g, status: 'added' });
  return out;
}

function propertyChanges(a: Record<string, JsonValue>, b: Record<string, JsonValue>): RunDiffFieldChange[] {
  const out: RunDiffFieldChange[] = [];
  for (const name in a) {
    const inB = Object.hasOwn(b, name);
    const why = unknownReason(a[name]) ?? (inB ? unknownReason(b[name]) : undefined);
    if (why !== undefined) out.push(inB ? { field: 'property', name, status: 'may-change', from: a[name], to: b[name], reason: why } : { field: 'property', name, status: 'may-change', from: a[name], reason: why });
    else if (!inB) out.push({ field: 'property', name, status: 'removed', from: a[name] });
    else if (!same(a[name], b[name])) out.push({ field: 'property', name, status: 'changed', from: a[name], to: b[name] });
  }
  for (const name in b) {
    if (Object.hasOwn(a, name)) continue;
    const why = unknownReason(b[name]);
    out.push(why !== undefined ? { field: 'property', name, status: 'may-change', to: b[name], reason: why } : { field: 'property', name, status: 'added', to: b[name] });
  }
  return out.sort((x, y) => (x.name! < y.name! ? -1 : x.name! > y.name! ? 1 : 0));
}

/** A notification's identity: kind, action, target (resolved id, else as written) and timing. */
function notificationKey(n: GraphNotification): { key: string; change: Omit<RunDiffNotificationChange, 'status'> } {
  const action = typeof n.action === 'string' ? n.action : '«unknown»';
  const target = n.resolved ?? (typeof n.target === 'string' ? n.target : '«unknown»');
  const why = unknownReason(n.action) ?? unknownReason(n.target);
  const change = { kind: n.kind, action, target, timing: n.timing, ...(why !== undefined ? { reason: why } : {}) };
  return { key: `${n.kind} ${action} ${target} ${n.timing}`, change };
}

function notificationChanges(a: GraphNotification[], b: GraphNotification[]): RunDiffNotificationChange[] {
  const out: RunDiffNotificationChange[] = [];
  const ka = a.map(notificationKey), kb = b.map(notificationKey);
  const keysA = new Set(ka.map((k) => k.key)), keysB = new Set(kb.map((k) => k.key));
  // A notification whose action or target is unknown on either side may fire something else: may-change, once.
  const unknownOnEither = new Set<string>();
  for (const { key, change } of [...ka, ...kb]) {
    if (change.reason === undefined || unknownOnEither.has(key)) continue;
    unknownOnEither.add(key);
    out.push({ status: 'may-change', ...change });
  }
  for (const { key, change } of ka) if (!keysB.has(key) && !unknownOnEither.has(key)) out.push({ status: 'removed', ...change });
  for (const { key, change } of kb) if (!keysA.has(key) && !unknownOnEither.has(key)) out.push({ status: 'added', ...change });
  return out;
}

function contentChange(a: GraphResource, b: GraphResource): RunDiffContentChange | undefined {
  if (!a.content && !b.content) return undefined;
  const why = holeReason(a.content) ?? holeReason(b.content);
  const textA = a.content ? renderedTextForPeople(a.content.text) : '';
  const textB = b.content ? renderedTextForPeople(b.content.text) : '';
  const status = why !== undefined ? 'may-change' : !a.content ? 'added' : !b.content ? 'removed' : textA === textB ? undefined : 'changed';
  if (!status) return undefined;
  const path = [b.properties.path, a.properties.path, b.name, a.name].find((p): p is string => typeof p === 'string') ?? b.id;
  return {
    // The same text as people read it (holes included): no hunk to show, only that a hole may differ.
    status, patch: textA === textB && !!a.content === !!b.content ? '' : unifiedDiff(path, textA, textB, !!a.content, !!b.content),
    ...(a.content ? { from: a.content.text } : {}), ...(b.content ? { to: b.content.text } : {}),
    ...(why !== undefined ? { reason: why } : {}),
  };
}

/** Diffs past this many lines are cut (the change is still reported). */
const MAX_PATCH_LINES = 400;

/** A unified diff with git's `a/`/`b/` headers (`/dev/null` for a side without content); no `===` banner. */
function unifiedDiff(path: string, a: string, b: string, hasA: boolean, hasB: boolean): string {
  const name = path.startsWith('/') ? path : '/' + path;
  const patch = createTwoFilesPatch(hasA ? `a${name}` : '/dev/null', hasB ? `b${name}` : '/dev/null', a, b, undefined, undefined, { context: 3 });
  const lines = patch.split('\n').filter((l, i) => !(i === 0 && /^=+$/.test(l)));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > MAX_PATCH_LINES) return [...lines.slice(0, MAX_PATCH_LINES), `… (${lines.length - MAX_PATCH_LINES} more lines)`].join('\n') + '\n';
  return lines.join('\n') + '\n';
}

/**
 * Notification edges (notifies, subscribes) present on both sides between resources present on
 * both, whose two ends converge in the other order now (first occurrence of each id).
 */
function orderChanges(from: Graph, to: Graph): RunDiffOrderChange[] {
  const position = (g: Graph) => {
    const at = new Map<string, number>();
    g.resources.forEach((r, i) => { if (!at.has(r.id)) at.set(r.id, i); });
    return at;
  };
  const pa = position(from), pb = position(to);
  const edgeKey = (e: Graph['edges'][number]) => `${e.kind} ${e.from} ${e.to} ${e.action ?? ''} ${e.timing ?? ''}`;
  const inFrom = new Set(from.edges.filter((e) => e.kind === 'notifies' || e.kind === 'subscribes').map(edgeKey));
  const out: RunDiffOrderChange[] = [];
  const seen = new Set<string>();
  for (const e of to.edges) {
    if ((e.kind !== 'notifies' && e.kind !== 'subscribes') || !inFrom.has(edgeKey(e)) || seen.has(edgeKey(e))) continue;
    seen.add(edgeKey(e));
    const [sa, ta, sb, tb] = [pa.get(e.from), pa.get(e.to), pb.get(e.from), pb.get(e.to)];
    if (sa === undefined || ta === undefined || sb === undefined || tb === undefined) continue;
    const fromFirst = sa < ta ? 'source' : 'target';
    const toFirst = sb < tb ? 'source' : 'target';
    if (fromFirst !== toFirst) {
      out.push({ source: e.from, target: e.to, kind: e.kind, ...(e.action ? { action: e.action } : {}), ...(e.timing ? { timing: e.timing } : {}), fromFirst, toFirst });
    }
  }
  return out;
}

/** The reason of the first unknown (or lazy value) anywhere in a JSON value, else undefined. */
function unknownReason(v: unknown): string | undefined {
  if (isUnknownMarker(v)) return v.$unknown;
  if (Array.isArray(v)) {
    for (const x of v) { const why = unknownReason(x); if (why !== undefined) return why; }
    return undefined;
  }
  if (typeof v === 'object' && v !== null) {
    const lazy = (v as { $lazy?: unknown }).$lazy;
    if (typeof lazy === 'string') return `lazy value \`${lazy}\` is only known at converge time`;
    for (const x of Object.values(v)) { const why = unknownReason(x); if (why !== undefined) return why; }
  }
  return undefined;
}

function holeReason(c: RenderedContent | undefined): string | undefined {
  return c && typeof c.text !== 'string' ? c.text.$unknown : undefined;
}

/** Deep equality of JSON values (object key order does not matter). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => same(x, (b as unknown[])[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
