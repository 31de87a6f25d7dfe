/**
 * The plan: one probe exec for the whole collection, then a forward simulation over the virtual
 * state with Chef's notification semantics. Never changes the container (the probe is read-only;
 * see probeScript.ts for the string-guard caveat).
 */
import type { ContainerDriver } from '../containers/driver';
import { parseFacts } from '../containers/facts';
import type { PlatformFacts } from '../chef/platforms';
import type { Plan, PlanStep, PlanSummary, PlanTarget } from '../protocol';
import { childrenIndex, childrenOf, CollectionRunner, type Fires } from './notifications';
import { collectQueries, planAction, wouldUpdate, type PlanActionOptions } from './planner';
import { buildProbeScript, parseProbeOutput } from './probeScript';
import { VirtualState } from './state';
import type { EngineInput } from './types';
import { factsToPlatform } from './facts';

/** The probe of a large collection must still finish: generous, bounded. */
export const PROBE_TIMEOUT_MS = 120_000;

/** A failure of the plan itself (not of a step): the message says what to do. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** Counts steps by status; custom-resource summary steps are not counted (their children are). */
export function summarize(steps: PlanStep[], input: EngineInput): PlanSummary {
  const groups = new Set(input.resources.filter((r) => r.custom).map((r) => r.id));
  const counted = steps.filter((s) => !groups.has(s.resource));
  const n = (st: PlanStep['status']): number => counted.filter((s) => s.status === st).length;
  return { total: counted.length, changed: n('change'), upToDate: n('up-to-date'), skipped: n('skipped'), unknown: n('unknown'), failed: n('failed') };
}

/** Pure forward simulation of a collection over a state (used by plan and by tests). */
export async function simulate(input: EngineInput, state: VirtualState, facts: PlatformFacts, opts: PlanActionOptions = {}): Promise<PlanStep[]> {
  const runner = new CollectionRunner(input.resources, {
    wouldUpdate: async (r, action, triggers) => wouldUpdate(r, action, triggers, state, input, facts),
    prepare: async (r, action, triggers, enclosingUndecided) => planAction(r, action, triggers, state, input, facts, { ...opts, enclosingUndecided }).step,
    commit: async (_r, step): Promise<Fires> => (step.status === 'change' ? 'yes' : step.status === 'unknown' ? 'maybe' : 'no'),
    finishGroup: (r, step, fires) => {
      if (step.status === 'skipped' || step.status === 'unknown') return;
      step.status = fires === 'yes' ? 'change' : fires === 'maybe' ? 'unknown' : 'up-to-date';
      const kids = childrenOf(childrenIndex(input.resources).get(r) ?? [], step.action).length;
      step.reason = `custom resource: ${fires === 'no' ? 'none' : fires === 'maybe' ? 'some may' : 'some'} of its ${kids} child resources ${fires === 'no' ? 'change' : 'change'}`;
    },
  });
  return runner.run();
}

/** The result of one probe exec: the state, the facts it read, and figures. */
export interface ProbeResult { state: VirtualState; facts?: PlatformFacts; warnings: string[]; probeMs: number }

/** Runs the single probe for `input` in the container and builds the virtual state. */
export async function probe(driver: ContainerDriver, container: string, input: EngineInput, facts: PlatformFacts, signal?: AbortSignal, withFacts = true): Promise<ProbeResult> {
  const script = buildProbeScript(collectQueries(input, facts), { facts: withFacts });
  const started = Date.now();
  const r = await driver.exec(container, script.script, { timeoutMs: PROBE_TIMEOUT_MS, signal });
  if (r.timedOut) throw new EngineError(`The probe did not finish within ${PROBE_TIMEOUT_MS / 1000} s (a string guard that hangs?)`);
  if (r.aborted) throw new EngineError('The probe was cancelled');
  const out = parseProbeOutput(r.stdout, script);
  const state = VirtualState.fromProbe(script, out);
  const warnings: string[] = [];
  if (out.incomplete.size) warnings.push(`${out.incomplete.size} of ${script.queries.size + 1} probe records were missing or garbled (exit ${r.code}); the steps that needed them are planned unknown`);
  if (out.badLines) warnings.push(`${out.badLines} probe lines could not be parsed`);
  let readFacts: PlatformFacts | undefined;
  if (withFacts) try { readFacts = factsToPlatform(parseFacts(r.stdout)); } catch { warnings.push('the probe returned no facts record'); }
  return { state, facts: readFacts, warnings, probeMs: Date.now() - started };
}

/** Options of {@link planInContainer}. */
export interface PlanOptions {
  driver: ContainerDriver;
  container: string;
  input: EngineInput;
  target: PlanTarget;
  /** Execs already spent (e.g. reading facts before the model ran): counted in `roundTrips`. */
  priorRoundTrips?: number;
  /** Steps carry both sides of content changes (`content`), for a diff editor. */
  withContent?: boolean;
  signal?: AbortSignal;
}

/** Plans `input` against a running container in one exec. */
export async function planInContainer(opts: PlanOptions): Promise<Plan> {
  const started = Date.now();
  const facts = opts.input.facts;
  // Facts already read by an earlier exec need not be read again.
  const p = await probe(opts.driver, opts.container, opts.input, facts ?? ({} as PlatformFacts), opts.signal, !opts.priorRoundTrips);
  const simStart = Date.now();
  const steps = await simulate(opts.input, p.state, facts ?? p.facts ?? ({} as PlatformFacts), { withContent: opts.withContent });
  const plan: Plan = {
    target: { ...opts.target, platform: opts.target.platform || (p.facts ? `${p.facts.platform}-${p.facts.platformVersion}` : '') },
    steps,
    summary: summarize(steps, opts.input),
    timings: { totalMs: Date.now() - started, probeMs: p.probeMs, simulateMs: Date.now() - simStart, roundTrips: (opts.priorRoundTrips ?? 0) + 1 },
  };
  if (p.warnings.length) plan.warnings = p.warnings;
  return plan;
}
