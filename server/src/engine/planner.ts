/**
 * Plans one resource action against the virtual state: the action `:nothing`, guards (string
 * guards from the probe's answers, block guards from the model's verdict or an explicit
 * assumption), then the provider. Also collects the probe queries of a whole collection.
 */
import type { GraphGuard, PlanStep } from '../protocol';
import type { PlatformFacts } from '../chef/platforms';
import { CHEF_GUARD_TIMEOUT_SEC, GUARD_TIMEOUT_SEC, type Query } from './probeScript';
import { commandOf } from './providers/execute';
import type { VirtualState } from './state';
import { type EngineInput, type EngineResource, type PlanContext, type ProviderStep, UNKNOWN_ACTION } from './types';
import { childrenIndex, childrenOf, strongest, type Fires, type Trigger } from './notifications';
import { actionsFor, providerFor } from './providers';
import { recordTouches } from './touches';

const EXECUTE_FAMILY = new Set(['execute', 'bash', 'script', 'sh', 'csh', 'ksh', 'perl', 'python', 'ruby']);

/**
 * The command a guard runs on the machine: a string/array guard's command, with the cwd/environment
 * an execute resource lends it, or a block guard's file tests (`GraphGuard.test`).
 */
export function guardQuery(r: EngineResource, g: GraphGuard): Extract<Query, { kind: 'guard' }> | undefined {
  if (g.form === 'block') return g.test ? { kind: 'guard', command: g.test } : undefined;
  if (!g.command) return undefined;
  const timeout = g.timeout !== undefined ? { timeoutSec: g.timeout } : {};
  // Chef: command guards of execute-type resources inherit their cwd and environment; the guard's own options win.
  const inherited = EXECUTE_FAMILY.has(r.resolvedType) || EXECUTE_FAMILY.has(r.type) ? commandOf(r) : { cwd: undefined, env: {} };
  const env = { ...inherited.env, ...(g.environment ?? {}) };
  return { kind: 'guard', command: g.command, cwd: g.cwd ?? inherited.cwd, env: Object.keys(env).length ? env : undefined, ...timeout };
}

/** Every query the single probe must answer for this collection. */
export function collectQueries(input: EngineInput, facts: PlatformFacts): Query[] {
  const out: Query[] = [];
  for (const r of input.resources) {
    for (const g of r.guards) { const q = guardQuery(r, g); if (q) out.push(q); }
    if (r.custom || r.unknownName) continue;
    const p = providerFor(r);
    if (p) out.push(...p.queries(r, facts));
  }
  return out;
}

/**
 * Outcome of a resource's guards: run, skip (with why), or undecided (`run` undefined, with why:
 * a Ruby block nobody can evaluate outside Chef, a command that is not known, a probe that gave
 * no answer); plus the notes made on the way.
 */
export interface GuardVerdict { run: boolean | undefined; reason?: string; assumptions: string[] }

/**
 * Evaluates guards in order, as Chef does: every only_if must pass and no not_if may. One guard
 * that decides "skip" skips the step even when another cannot be decided.
 */
export function evaluateGuards(r: EngineResource, state: VirtualState, decideAtRunTime = false): GuardVerdict {
  const assumptions: string[] = [];
  const undecided: string[] = [];
  const touched = state.touchedPaths();
  for (const g of r.guards) {
    let passed: boolean; // the guard's condition is true
    const text = short(g.command ?? g.source.replace(/^(only_if|not_if)\s*/, ''));
    if (g.form === 'block' && g.value !== undefined) {
      passed = g.value;
    } else {
      const q = guardQuery(r, g);
      if (!q) { undecided.push(`${g.kind} \`${text}\` cannot be decided before Chef runs it (${g.unknownReason ?? 'not known statically'})`); continue; }
      const k = state.guard(q);
      if (!k.ok) { undecided.push(`${g.kind} \`${text}\`: ${k.reason}`); continue; }
      // A guard that times out within its own timeout is false, as Chef has it.
      if (k.value === 124 && g.timeout !== undefined && g.timeout <= GUARD_TIMEOUT_SEC) passed = false;
      else if (k.value === 124) {
        // The converge runs the guard itself right before the step, as Chef does, with Chef's timeout.
        if (decideAtRunTime) { assumptions.push(`${g.kind} \`${text}\` did not answer the probe within ${GUARD_TIMEOUT_SEC} s: it is decided when the step runs (Chef's timeout, ${g.timeout ?? CHEF_GUARD_TIMEOUT_SEC} s)`); continue; }
        undecided.push(`${g.kind} \`${text}\` did not answer the plan's probe within ${GUARD_TIMEOUT_SEC} s (Chef would wait up to ${g.timeout ?? CHEF_GUARD_TIMEOUT_SEC} s; a converge runs it when the step comes)`);
        continue;
      }
      else passed = k.value === 0;
      const stale = touched.filter((p) => readsPath(q.command, p));
      if (stale.length) {
        // The probe answered for the machine before the run; the guard reads what an earlier step changes.
        const why = `${g.kind} \`${text}\` reads ${stale.join(', ')}, which an earlier step changes`;
        if (decideAtRunTime) { assumptions.push(`${why}: it is decided when the step runs`); continue; }
        undecided.push(`${why}, so the probe's answer (for the machine as it is now) does not hold`);
        continue;
      }
    }
    if (g.kind === 'only_if' && !passed) return { run: false, reason: `only_if \`${text}\` is false`, assumptions };
    if (g.kind === 'not_if' && passed) return { run: false, reason: `not_if \`${text}\` is true`, assumptions };
  }
  return undecided.length ? { run: undefined, reason: undecided.join('; '), assumptions } : { run: true, assumptions };
}

/** Whether a command names a path (as a whole: `/etc/app` is not named by `/etc/application`). */
function readsPath(command: string, p: string): boolean {
  for (let i = command.indexOf(p); i >= 0; i = command.indexOf(p, i + 1)) {
    const after = command[i + p.length];
    if (after === undefined || !/[\w.\/-]/.test(after)) return true;
  }
  return false;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}…` : one;
}

/** A plan step's skeleton for a resource action. */
export function baseStep(r: EngineResource, action: string, triggers: Trigger[]): PlanStep {
  const step: PlanStep = { resource: r.id, type: r.type, action, status: 'up-to-date', changes: [], notifications: [], location: r.location };
  if (r.parent) step.parent = r.parent;
  if (triggers.length) step.notifiedBy = triggers.map((t) => ({ resource: t.resource, timing: t.timing }));
  return step;
}

/** Options of {@link planAction}. */
export interface PlanActionOptions {
  /** Copy both sides of content changes into the step (`plan --with-content`). */
  withContent?: boolean;
  /** Why the custom resource this step belongs to may not run (its guard, its trigger …). */
  enclosingUndecided?: string;
  /**
   * Converge: a command guard whose probe answer does not hold (it gave up on it, or an earlier step
   * changes what it reads) is decided when the step runs (its script checks it first).
   */
  decideAtRunTime?: boolean;
}

/**
 * Plans one action: guards, then the provider; returns the step and the provider's verdict.
 *
 * Nothing is planned on a guess. A step that may or may not run — a guard nobody can decide, a
 * declaration under an unknown condition, a trigger that may not fire, an enclosing custom resource
 * in the same case — is planned on a fork of the state: when it would change nothing it is up to
 * date whichever way it goes; otherwise it is `unknown` with what it would change and why it may
 * not run, and what it would touch becomes unknown for the steps after it. The converge never
 * applies an `unknown` step.
 */
export function planAction(r: EngineResource, action: string, triggers: Trigger[], state: VirtualState, input: EngineInput, facts: PlatformFacts,
  opts: PlanActionOptions = {}): { step: PlanStep; verdict?: ProviderStep; ctx?: PlanContext } {
  const step = baseStep(r, action, triggers);
  const assumptions: string[] = [];
  const finish = (s: Partial<PlanStep>, verdict?: ProviderStep, ctx?: PlanContext) => {
    Object.assign(step, s);
    recordTouches(r, action, step.status, state);
    const all = [...assumptions, ...(s.assumptions ?? [])];
    if (all.length) step.assumptions = all; else delete step.assumptions;
    return { step, verdict, ctx };
  };
  if (action === 'nothing') return finish({ status: 'skipped', reason: 'action :nothing (runs only when notified)' });
  // Nothing acts on a guess: a resource nobody can name, or an action nobody can read, is not planned.
  if (r.unknownName) return finish({ status: 'unknown', reason: `its name is not known statically (${r.unknownName})` });
  if (action === UNKNOWN_ACTION) return finish({ status: 'unknown', reason: `its action is not known statically (${r.unknownActions ?? 'not known'})` });
  const g = evaluateGuards(r, state, opts.decideAtRunTime);
  assumptions.push(...g.assumptions);
  if (g.run === false) return finish({ status: 'skipped', reason: g.reason });
  const undecided: string[] = [];
  if (opts.enclosingUndecided) undecided.push(`the custom resource it belongs to may not run (${opts.enclosingUndecided})`);
  if (r.conditional) undecided.push(`it is declared under a condition that is not known statically (${r.conditional})`);
  if (r.repeated) undecided.push(`it is declared in a loop over a collection that is not known statically (${r.repeated})`);
  if (g.run === undefined) undecided.push(g.reason!);
  // A notified run whose trigger may not fire is only a possibility.
  if (triggers.length && triggers.every((t) => t.fires === 'maybe')) undecided.push(`it runs only if ${triggers.map((t) => t.resource).join(' or ')} changes, which is not known`);
  const why = undecided.join('; ');
  if (r.custom) {
    return undecided.length ? finish({ status: 'unknown', reason: `whether it runs is not known: ${why}` })
      : finish({ status: 'up-to-date', reason: 'custom resource: applied through its child resources' });
  }
  const p = providerFor(r);
  if (!p) return finish({ status: 'unknown', reason: `Cloche has no provider for ${r.resolvedType || r.type}: it cannot plan or apply it` });
  if (!p.actions.includes(action)) return finish({ status: 'unknown', reason: `action :${action} of ${r.type} is not supported by Cloche's provider` });
  const trial = undecided.length ? state.fork() : state;
  const ctx: PlanContext = { resource: r, action, state: trial, input, facts };
  let v: ProviderStep;
  try {
    v = p.plan(ctx);
  } catch (e) {
    // A provider bug must not sink the whole plan: the step says what happened.
    v = { status: 'unknown', reason: `internal error while planning: ${e instanceof Error ? e.message : String(e)}`, changes: [] };
  }
  if (undecided.length && v.status !== 'up-to-date') {
    state.adoptUncertain(trial, `${r.id} may change it (${why})`);
    const would = v.status === 'failed' ? `it would fail if it ran (${v.reason})` : v.status === 'unknown' ? v.reason : 'it would change this if it ran';
    return finish({ status: 'unknown', changes: v.changes, diff: v.diff, assumptions: v.assumptions, reason: `whether it runs is not known: ${why}; ${would}` }, v, ctx);
  }
  if (undecided.length) return finish({ status: 'up-to-date', reason: `${v.reason ?? 'nothing to change'} (whether it runs is not known, but it would change nothing: ${why})`, assumptions: v.assumptions }, v, ctx);
  const content = opts.withContent && v.status === 'change' && v.content && !r.sensitive ? { content: v.content } : {};
  return finish({ status: v.status, reason: v.reason, changes: v.changes, diff: v.diff, assumptions: v.assumptions, ...content }, v, ctx);
}

/**
 * Chef's why-run pass before `:before` notifications: would this action update the resource?
 * Planned on a fork of the state, so nothing is recorded. A custom resource would update when
 * one of its children would (their own notifications are not followed here). A step the plan
 * says would fail counts as an update: Chef's why-run assumes its way past such failures (a
 * missing parent directory …), and the `:before` target may be what makes the step possible.
 */
export function wouldUpdate(r: EngineResource, action: string, triggers: Trigger[], state: VirtualState, input: EngineInput, facts: PlatformFacts): Fires {
  const trial = state.fork();
  const walk = (res: EngineResource, act: string, trig: Trigger[]): Fires => {
    const { step } = planAction(res, act, trig, trial, input, facts);
    if (!res.custom) return step.status === 'change' || step.status === 'failed' ? 'yes' : step.status === 'unknown' ? 'maybe' : 'no';
    if (step.status === 'skipped') return 'no';
    if (step.status === 'unknown') return 'maybe';
    let fires: Fires = 'no';
    for (const child of childrenOf(childrenIndex(input.resources).get(res) ?? [], act)) {
      for (const a of actionsFor(child)) {
        fires = strongest(fires, walk(child, a, []));
      }
    }
    return fires;
  };
  return walk(r, action, triggers);
}
