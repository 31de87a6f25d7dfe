/**
 * Walks the resource collection with Chef's ordering and notification semantics, for both the
 * plan (nothing runs) and the converge (steps apply):
 * - resources run in order, each of its actions in order;
 * - `:before` notifications run the target action ahead of the notifying resource, when that
 *   resource would be updated: as Chef decides this with a why-run pass, the handler first plans
 *   the resource without recording its effects ({@link StepHandler.wouldUpdate}); the targets run;
 *   then the resource is planned (and applied) for real against the state they left;
 * - `:immediately` runs the target action right after the notifying resource updated;
 * - `:delayed` queues the target action, de-duplicated by target+action, run at the end in queue
 *   order (delayed notifications raised while the queue runs are appended and run too);
 * - `subscribes` is the same link declared on the other side;
 * - a custom resource (custom: true) is not applied itself: for each of its actions, the children
 *   that action declared (they follow it and carry `parent` and `parentAction`) run in its place, it
 *   counts as updated if any child was, and then its own notifications fire.
 */
import type { EngineResource } from './types';
import type { PlanNotification, PlanStep, Timing } from '../protocol';
import { actionsFor } from './providers';
import { UNKNOWN_ACTION } from './types';

/** Whether a step updated its resource: in a plan `maybe` when its status is unknown. */
export type Fires = 'yes' | 'no' | 'maybe';

/** Why a notified step runs. */
export interface Trigger { resource: string; timing: Timing; fires: Fires }

/** What the plan or the converge does for each step. */
export interface StepHandler {
  /**
   * Chef's why-run pass for `:before` notifications: whether the action would update the
   * resource, planned against the current state without recording anything.
   */
  wouldUpdate(r: EngineResource, action: string, triggers: Trigger[]): Promise<Fires>;
  /**
   * Builds the step (plans it) for a resource action; `triggers` is non-empty for notified runs;
   * `enclosingUndecided`: why the custom resource the step belongs to may not run.
   */
  prepare(r: EngineResource, action: string, triggers: Trigger[], enclosingUndecided?: string): Promise<PlanStep>;
  /** Runs it (converge) or not (plan); says whether the resource was (would be) updated. May throw to stop the run. */
  commit(r: EngineResource, step: PlanStep): Promise<Fires>;
  /** A custom resource's step after its children ran (`fires`: any child updated). */
  finishGroup(r: EngineResource, step: PlanStep, fires: Fires): void;
}

interface Link { target: string; action: string; timing: Timing; kind: 'notifies' | 'subscribes' }

/** Strongest of two firing states (`yes` > `maybe` > `no`). */
export function strongest(a: Fires, b: Fires): Fires {
  return a === 'yes' || b === 'yes' ? 'yes' : a === 'maybe' || b === 'maybe' ? 'maybe' : 'no';
}

/** Guards the delayed queue against notification cycles (a reloads b reloads a …). */
const MAX_NOTIFIED_RUNS = 1000;

/** Runs a collection through a handler; returns the steps in the order they ran. */
export class CollectionRunner {
  readonly steps: PlanStep[] = [];
  private readonly byId = new Map<string, EngineResource>();
  private readonly children: Map<EngineResource, EngineResource[]>;
  private readonly links = new Map<string, Link[]>();
  private readonly delayed: { target: string; action: string; triggers: Trigger[] }[] = [];
  private notifiedRuns = 0;

  constructor(private readonly resources: EngineResource[], private readonly handler: StepHandler) {
    for (const r of resources) this.byId.set(r.id, r);
    this.children = childrenIndex(resources);
    for (const r of resources) {
      for (const n of r.notifies) {
        if (!n.resolved) continue;
        // `subscribes` on r: the link leaves the resource r listens to, and targets r.
        const [from, link]: [string, Link] = n.kind === 'notifies'
          ? [r.id, { target: n.resolved, action: stripColon(n.action), timing: n.timing, kind: 'notifies' }]
          : [n.resolved, { target: r.id, action: stripColon(n.action), timing: n.timing, kind: 'subscribes' }];
        this.links.set(from, [...(this.links.get(from) ?? []), link]);
      }
    }
  }

  /** Runs everything, then the delayed queue. */
  async run(): Promise<PlanStep[]> {
    for (const r of this.resources) {
      if (r.parent && this.byId.has(r.parent)) continue; // run by its parent
      for (const action of actionsFor(r)) await this.runAction(r, action, []);
    }
    while (this.delayed.length) {
      const next = this.delayed.shift()!;
      const target = this.byId.get(next.target);
      if (target) await this.runAction(target, next.action, next.triggers);
    }
    return this.steps;
  }

  private async runAction(r: EngineResource, action: string, triggers: Trigger[], enclosingUndecided?: string): Promise<Fires> {
    if (triggers.length && ++this.notifiedRuns > MAX_NOTIFIED_RUNS) throw new Error(`notification loop: more than ${MAX_NOTIFIED_RUNS} notified actions (last ${r.id} :${action})`);
    const links = this.links.get(r.id) ?? [];
    const before = links.filter((l) => l.timing === 'before');
    let would: Fires = 'no';
    if (before.length) {
      would = await this.handler.wouldUpdate(r, action, triggers);
      if (would !== 'no') for (const l of before) await this.notify(r, l, would);
    }
    const step = await this.handler.prepare(r, action, triggers, enclosingUndecided);
    let fires: Fires;
    if (r.custom && this.children.has(r)) {
      this.steps.push(step);
      fires = 'no';
      if (step.status !== 'skipped') {
        // The children of a custom resource that may not run may not run either.
        const undecided = step.status === 'unknown' ? step.reason : enclosingUndecided;
        for (const child of childrenOf(this.children.get(r)!, action)) for (const a of actionsFor(child)) fires = strongest(fires, await this.runAction(child, a, [], undecided));
      }
      this.handler.finishGroup(r, step, fires);
    } else {
      // Listed before it commits, so a step that fails (and stops the run) is in the report.
      this.steps.push(step);
      fires = await this.handler.commit(r, step);
    }
    // A :before notification fired (or not) on the why-run verdict, the others on the outcome.
    step.notifications = links.map((l): PlanNotification => ({ target: l.target, action: l.action, timing: l.timing, fires: l.timing === 'before' ? would : fires, kind: l.kind }));
    if (fires !== 'no') {
      for (const l of links) {
        if (l.timing === 'immediately') await this.notify(r, l, fires);
        else if (l.timing === 'delayed') this.enqueue(r, l, fires);
      }
    }
    return fires;
  }

  private async notify(from: EngineResource, l: Link, fires: Fires): Promise<void> {
    const target = this.byId.get(l.target);
    if (target) await this.runAction(target, l.action, [{ resource: from.id, timing: l.timing, fires }]);
  }

  /** Queues a delayed action once; later notifications only add their trigger (and may firm up `maybe`). */
  private enqueue(from: EngineResource, l: Link, fires: Fires): void {
    const q = this.delayed.find((d) => d.target === l.target && d.action === l.action);
    const t: Trigger = { resource: from.id, timing: 'delayed', fires };
    if (q) q.triggers.push(t);
    else this.delayed.push({ target: l.target, action: l.action, triggers: [t] });
  }
}

const indexes = new WeakMap<EngineResource[], Map<EngineResource, EngineResource[]>>();

/**
 * The children of each custom resource instance. Several instances may share an id (a custom
 * resource declared in each action of another): a child belongs to the nearest instance before it
 * with its parent's id, since children follow their parent in converge order.
 */
export function childrenIndex(resources: EngineResource[]): Map<EngineResource, EngineResource[]> {
  let index = indexes.get(resources);
  if (index) return index;
  index = new Map();
  const latest = new Map<string, EngineResource>();
  for (const r of resources) {
    const parent = r.parent ? latest.get(r.parent) : undefined;
    if (parent) index.set(parent, [...(index.get(parent) ?? []), r]);
    if (r.custom) latest.set(r.id, r);
  }
  indexes.set(resources, index);
  return index;
}

/**
 * The children one action of a custom resource converges: those its body declared (a definition's,
 * or when the action is not known, all of them).
 */
export function childrenOf(children: EngineResource[], action: string): EngineResource[] {
  const a = stripColon(action);
  return children.filter((c) => c.parentAction === undefined || a === UNKNOWN_ACTION || c.parentAction === a);
}

function stripColon(a: string): string {
  return a.startsWith(':') ? a.slice(1) : a;
}
