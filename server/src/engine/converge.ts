/**
 * The converge: the plan's walk (same ordering and notifications), but steps that would change
 * are applied in the container, with their output streamed.
 *
 * Few round trips: a step whose effects the simulation follows exactly (files, directories,
 * users …) is deferred and applied in a batch with the following ones (batch.ts) — the virtual
 * state already holds its effects, so later steps plan correctly. A step whose effects cannot be
 * simulated (package install, command) ends the batch, and the batch's exec then probes the
 * machine again, so the next step is planned against the real state. Steps with string guards
 * (re-checked inside their script when they run), ignore_failure or retries run on their own.
 * The first failure stops the run with a report naming the resource and its line.
 */
import { randomBytes } from 'node:crypto';
import { shQuote, type ContainerDriver } from '../containers/driver';
import type { PlatformFacts } from '../chef/platforms';
import type { ConvergeEvent, ConvergeReport, ConvergeStep, ConvergeSummary, PlanStep, PlanTarget, StepDone } from '../protocol';
import { buildBatch, parseBatch, type BatchItem } from './batch';
import { childrenIndex, childrenOf, CollectionRunner, type Fires } from './notifications';
import { collectQueries, guardQuery, planAction, wouldUpdate } from './planner';
import { probe, PROBE_TIMEOUT_MS } from './plan';
import { buildProbeScript, CHEF_GUARD_TIMEOUT_SEC, parseProbeOutput } from './probeScript';
import { providerFor } from './providers';
import { PropReader } from './props';
import { VirtualState } from './state';
import type { ApplyScript, EngineInput, EngineResource, PlanContext, ProviderStep } from './types';

/** Progress events (declared in protocol.ts so front ends can import them without engine code). */
export type { ConvergeEvent };

/** Options of {@link converge}. */
export interface ConvergeOptions {
  driver: ContainerDriver;
  container: string;
  input: EngineInput;
  target: PlanTarget;
  onEvent?: (e: ConvergeEvent) => void;
  signal?: AbortSignal;
}

/** Chef's default `timeout` of execute resources, used for every step without one (seconds). */
const DEFAULT_TIMEOUT_SEC = 3600;
/** Output kept per step in the report (the stream shows everything). */
const MAX_OUTPUT = 64 * 1024;

/** Raised inside the walk to stop it at the first failure. */
class StopRun extends Error {
  constructor(readonly resource: EngineResource, message: string) { super(message); }
}

/**
 * Re-checks command guards when the script runs, with Chef's timeout (a guard that times out is
 * false, as in Chef); a guard that says "skip" exits 0 with a marker.
 */
function guardPrelude(r: EngineResource, skipMarker: string): string {
  return r.guards.map((g) => {
    const q = guardQuery(r, g);
    if (!q) return '';
    const cd = q.cwd ? `cd ${shQuote(q.cwd)} && ` : '';
    const env = Object.entries(q.env ?? {}).map(([k, v]) => `${k}=${shQuote(v)} `).join('');
    const test = `( ${cd}${env}timeout ${guardTimeout(g)} sh -c ${shQuote(q.command)} ) >/dev/null 2>&1 </dev/null`;
    const why = shQuote(`${skipMarker} ${g.kind} \`${q.command}\``);
    return g.kind === 'only_if' ? `${test} || { echo ${why}; exit 0; }` : `${test} && { echo ${why}; exit 0; }`;
  }).filter(Boolean).join('\n');
}

const guardTimeout = (g: EngineResource['guards'][number]): number => g.timeout ?? CHEF_GUARD_TIMEOUT_SEC;

const where = (r: EngineResource): string => `${r.location.file}:${r.location.line}`;

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/** A deferred step; without `item` it is a no-op whose end event waits so events stay in converge order. */
interface Pending { r: EngineResource; step: ConvergeStep; item?: BatchItem }

/** Converges `input` in the container. Step failures are in the report; it throws only for bad input. */
export async function converge(opts: ConvergeOptions): Promise<ConvergeReport> {
  const started = Date.now();
  const { driver, container, input } = opts;
  const emit = opts.onEvent ?? (() => undefined);
  const marker = `@@cloche-${randomBytes(5).toString('hex')}`;
  let roundTrips = 0;
  let commandMs = 0;
  let facts = input.facts ?? ({} as PlatformFacts);
  let state: VirtualState;
  let stale: string | undefined;
  const planned = new WeakMap<PlanStep, { verdict?: ProviderStep; ctx?: PlanContext }>();
  let pending: Pending[] = [];
  /** The step whose script is running right now (from the batch's markers), for reports when the exec dies. */
  let running: ConvergeStep | undefined;
  // Re-probes read only what is still to be planned: resources from the one running now on, and
  // every notification target (with its children), since a notification may run it again later.
  const position = new Map(input.resources.map((r, i) => [r, i]));
  const targets = new Set<string>();
  for (const r of input.resources) for (const n of r.notifies) if (n.resolved) targets.add(n.kind === 'notifies' ? n.resolved : r.id);
  const parentOf = new Map(input.resources.map((r) => [r.id, r.parent]));
  const underTarget = (r: EngineResource): boolean => {
    for (let id: string | undefined = r.id, depth = 0; id && depth < 16; id = parentOf.get(id), depth++) if (targets.has(id)) return true;
    return false;
  };
  const notifiable = input.resources.filter(underTarget);
  let cursor = 0;
  const stillToPlan = (): EngineInput => ({ ...input, resources: [...new Set([...input.resources.slice(cursor), ...notifiable])] });

  const fail = (r: EngineResource, cs: ConvergeStep, message: string): Fires => {
    cs.done = new PropReader(r).bool('ignore_failure') ? 'ignored-failure' : 'failed';
    cs.status = 'failed';
    cs.reason = message;
    emit({ kind: 'step-end', step: cs });
    if (cs.done === 'failed') throw new StopRun(r, `${r.id} (${where(r)}) action :${cs.action} failed: ${message}`);
    return 'no';
  };

  /** Runs items (and optionally the probe) in one exec; returns per-item results and the new state. */
  const execBatch = async (items: Pending[], withProbe: boolean) => {
    // Re-probes skip the facts: they were read once and a step does not change the platform.
    const probeScript = withProbe ? buildProbeScript(collectQueries(stillToPlan(), facts), { facts: false }) : undefined;
    const batch = buildBatch(items.map((p) => p.item!), marker, probeScript?.script);
    const timeoutMs = items.reduce((t, p) => t + (p.item!.timeoutSec + 10) * 1000, withProbe ? PROBE_TIMEOUT_MS : 30_000);
    const beginLine = new RegExp(`^${marker}:begin (\\d+)$`);
    const endOk = new RegExp(`^${marker}:end (\\d+) 0 `);
    let current = -1;
    let inProbe = false;
    let buffer = '';
    const outputs = items.map(() => '');
    const onOutput = (chunk: string, stream: 'stdout' | 'stderr'): void => {
      if (stream === 'stderr') {
        if (current >= 0 && !inProbe) { outputs[current] += chunk; emit({ kind: 'output', resource: items[current].r.id, chunk, stream }); }
        return;
      }
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === `${marker}:probe`) { inProbe = true; continue; }
        const begin = beginLine.exec(line);
        if (begin) { current = Number(begin[1]); running = items[current].step; emit({ kind: 'step-start', step: items[current].step }); continue; }
        const end = endOk.exec(line);
        // Provisional: if the exec dies later in the batch, the report still shows what finished.
        if (end) items[Number(end[1])].step.done = 'applied';
        if (line.startsWith(`${marker}:end `)) running = undefined;
        if (inProbe || line.startsWith(marker) || current < 0) continue;
        if (outputs[current].length < MAX_OUTPUT) outputs[current] += `${line}\n`;
        emit({ kind: 'output', resource: items[current].r.id, chunk: `${line}\n`, stream });
      }
    };
    const res = await driver.exec(container, batch.script, { stdin: batch.stdin || undefined, timeoutMs, signal: opts.signal, onOutput });
    roundTrips++;
    const results = parseBatch(res.stdout, marker);
    items.forEach((p, i) => { p.step.output = outputs[i]; });
    const probed = Boolean(probeScript && results.length === items.length && results.every((r) => r.code === 0));
    if (probed) {
      const tail = res.stdout.slice(res.stdout.indexOf(`${marker}:probe`));
      const before = state;
      state = VirtualState.fromProbe(probeScript!, parseProbeOutput(tail, probeScript!));
      state.carryUncertain(before);
      stale = undefined;
    }
    return { results, res, probed };
  };

  /** Applies the deferred steps in one exec (plus the probe when the last one is opaque). */
  const flush = async (withProbe: boolean): Promise<void> => {
    if (!pending.length) return;
    const all = pending;
    pending = [];
    const items = all.filter((p) => p.item);
    const { results, res } = items.length ? await execBatch(items, withProbe) : { results: [], res: undefined };
    let failed = false;
    for (const p of all) {
      if (failed) { p.step.done ??= 'not-run'; continue; }
      if (!p.item) { emit({ kind: 'step-end', step: p.step }); continue; }
      const i = items.indexOf(p);
      const r = results.find((x) => x.index === i);
      if (r && r.code === 0) { p.step.done = 'applied'; p.step.durationMs = r.ms; commandMs += r.ms; emit({ kind: 'step-end', step: p.step }); continue; }
      failed = true;
      const why = r ? (r.code === 124 ? `timed out after ${p.item.timeoutSec} s` : `exit ${r.code}`)
        : res?.timedOut ? 'the exec timed out' : `the batch ended before this step finished (exit ${res?.code ?? 'signal'})`;
      if (r) { p.step.durationMs = r.ms; commandMs += r.ms; }
      const tail = (p.step.output ?? '').trim().split('\n').slice(-5).join('\n');
      try { fail(p.r, p.step, `${why}${tail ? `\n${tail}` : ''}`); } catch (e) {
        all.slice(all.indexOf(p) + 1).forEach((rest) => { rest.step.done ??= 'not-run'; });
        throw e;
      }
    }
  };

  /** A step with guards, ignore_failure or retries: on its own, with retries. */
  const runAlone = async (r: EngineResource, cs: ConvergeStep, apply: ApplyScript, timeoutSec: number, opaque: boolean): Promise<Fires> => {
    await flush(false);
    const reader = new PropReader(r);
    const retries = reader.num('retries') ?? 0;
    const delay = reader.num('retry_delay') ?? 2;
    // The exec's own deadline leaves room for the guards the script runs first.
    const guardsSec = r.guards.filter((g) => guardQuery(r, g)).reduce((t, g) => t + guardTimeout(g), 0);
    const item: BatchItem = { apply, timeoutSec: timeoutSec + guardsSec, prelude: guardPrelude(r, `${marker}:skip 0`) || undefined };
    for (let attempt = 1; ; attempt++) {
      const { results, res, probed } = await execBatch([{ r, step: cs, item }], opaque);
      const res0 = results.find((x) => x.index === 0);
      cs.attempts = attempt;
      if (res0) { cs.durationMs = (cs.durationMs ?? 0) + res0.ms; commandMs += res0.ms; }
      // The exec probed the machine after the step when it succeeded; otherwise the next step re-probes.
      if (opaque && !probed) stale ??= r.id;
      if (res0?.skipped) {
        // Skipped when it ran: the effects planned for it did not happen, so the next step plans on a new probe.
        stale ??= r.id;
        cs.done = 'skipped';
        cs.status = 'skipped';
        cs.reason = `${res0.skipped} (checked when the step ran)`;
        emit({ kind: 'step-end', step: cs });
        return 'no';
      }
      if (res0?.code === 0) { cs.done = 'applied'; emit({ kind: 'step-end', step: cs }); return 'yes'; }
      const why = res0 ? (res0.code === 124 ? `timed out after ${timeoutSec} s` : `exit ${res0.code}`) : `exit ${res.code ?? 'signal'}${res.timedOut ? ' (timed out)' : ''}`;
      if (attempt > retries) {
        const tail = (cs.output ?? '').trim().split('\n').slice(-5).join('\n');
        return fail(r, cs, `${why}${attempt > 1 ? ` after ${attempt} attempts` : ''}${tail ? `\n${tail}` : ''}`);
      }
      emit({ kind: 'retry', resource: r.id, attempt, delaySec: delay, why });
      await sleep(delay * 1000, opts.signal);
    }
  };

  const commit = async (r: EngineResource, step: PlanStep): Promise<Fires> => {
    const cs = step as ConvergeStep;
    cs.durationMs = 0;
    if (step.status === 'up-to-date' || step.status === 'skipped') {
      cs.done = step.status;
      if (pending.length) pending.push({ r, step: cs });
      else emit({ kind: 'step-end', step: cs });
      return 'no';
    }
    if (step.status === 'unknown') {
      // Never acted on: the step stays unknown, its notifications undecided, the run incomplete.
      cs.done = 'not-applied';
      if (pending.length) pending.push({ r, step: cs });
      else emit({ kind: 'step-end', step: cs });
      return 'maybe';
    }
    if (step.status === 'failed') { await flush(false); return fail(r, cs, step.reason ?? 'the plan says this step would fail'); }
    const { verdict, ctx } = planned.get(step) ?? {};
    const provider = providerFor(r);
    if (!provider || !ctx || !verdict) { await flush(false); return fail(r, cs, step.reason ?? `Cloche cannot apply ${r.type}`); }
    let apply: ApplyScript | undefined;
    try { apply = provider.apply(ctx, verdict); } catch (e) { await flush(false); return fail(r, cs, e instanceof Error ? e.message : String(e)); }
    if (!apply) { cs.done = 'applied'; emit({ kind: 'step-end', step: cs }); return 'yes'; }
    const reader = new PropReader(r);
    const timeoutSec = apply.timeoutSec ?? reader.num('timeout') ?? DEFAULT_TIMEOUT_SEC;
    const alone = r.guards.some((g) => guardQuery(r, g)) || reader.bool('ignore_failure') || (reader.num('retries') ?? 0) > 0;
    if (alone) return runAlone(r, cs, apply, timeoutSec, verdict.opaque === true);
    pending.push({ r, step: cs, item: { apply, timeoutSec } });
    // An opaque step ends the batch; the same exec then probes the machine for the next step.
    if (verdict.opaque) { stale = r.id; await flush(true); }
    return 'yes';
  };

  let result: ConvergeReport['result'] = { ok: true };
  /** After a step whose effects cannot be simulated, the next step plans against a new probe. */
  const refresh = async (r: EngineResource): Promise<void> => {
    if (!stale || r.custom) return;
    const p = await probe(driver, container, stillToPlan(), facts, opts.signal, false);
    roundTrips++;
    emit({ kind: 'reprobe', after: stale, ms: p.probeMs });
    p.state.carryUncertain(state);
    state = p.state;
    stale = undefined;
  };
  const runner = new CollectionRunner(input.resources, {
    wouldUpdate: async (r, action, triggers) => {
      cursor = Math.max(cursor, position.get(r) ?? 0);
      await refresh(r);
      return wouldUpdate(r, action, triggers, state, input, facts);
    },
    prepare: async (r, action, triggers, enclosingUndecided) => {
      cursor = Math.max(cursor, position.get(r) ?? 0);
      await refresh(r);
      const { step, verdict, ctx } = planAction(r, action, triggers, state, input, facts, { enclosingUndecided, decideAtRunTime: true });
      planned.set(step, { verdict, ctx });
      return step;
    },
    commit,
    finishGroup: (r, step, fires) => {
      const cs = step as ConvergeStep;
      cs.durationMs = 0;
      const kids = childrenOf(childrenIndex(input.resources).get(r) ?? [], step.action).length;
      if (step.status === 'skipped') { cs.done = 'skipped'; return; }
      // A custom resource some of whose children were not applied is not up to date: it is not known.
      if (step.status === 'unknown' || fires === 'maybe') {
        step.status = 'unknown';
        cs.done = 'not-applied';
        cs.reason = step.reason?.startsWith('whether it runs') ? step.reason : `custom resource: some of its ${kids} child resources were not applied (they are unknown)`;
        return;
      }
      step.status = fires === 'yes' ? 'change' : 'up-to-date';
      cs.done = fires === 'yes' ? 'applied' : 'up-to-date';
      cs.reason = `custom resource: applied through its ${kids} child resources`;
    },
  });
  try {
    // Facts the caller already read (the CLI does, before compiling) are not read again.
    const first = await probe(driver, container, input, facts, opts.signal, !input.facts);
    roundTrips++;
    state = first.state;
    facts = input.facts ?? first.facts ?? facts;
    await runner.run();
    await flush(false);
  } catch (e) {
    if (e instanceof StopRun) result = { ok: false, resource: e.resource.id, location: e.resource.location, message: e.message };
    else {
      // The container died, the daemon went away, or the run was cancelled: name the step it happened in.
      const inFlight = (runner.steps as ConvergeStep[]).filter((s) => s.done === undefined);
      const last = running ?? inFlight[inFlight.length - 1] ?? (runner.steps[runner.steps.length - 1] as ConvergeStep | undefined);
      const r = last && input.resources.find((x) => x.id === last.resource);
      const what = e instanceof Error ? e.message : String(e);
      if (last && last.done === undefined) { last.done = 'failed'; last.status = 'failed'; last.reason = what; }
      result = { ok: false, resource: r?.id, location: r?.location, message: r ? `${r.id} (${where(r)}) action :${last!.action}: ${what}` : what };
    }
  }
  const steps = runner.steps as ConvergeStep[];
  for (const s of steps) { s.done ??= 'not-run'; s.durationMs ??= 0; }
  const totalMs = Date.now() - started;
  const customs = new Set(input.resources.filter((r) => r.custom).map((r) => r.id));
  const notApplied = steps.filter((s) => s.done === 'not-applied' && !customs.has(s.resource))
    .map((s) => ({ resource: s.resource, action: s.action, location: s.location, reason: s.reason ?? 'not known' }));
  return {
    target: opts.target, verdict: !result.ok ? 'failed' : notApplied.length ? 'incomplete' : 'converged', steps, result, notApplied,
    summary: summarizeConverge(steps.filter((s) => !customs.has(s.resource))),
    timings: { totalMs, commandMs, overheadMs: totalMs - commandMs, roundTrips },
  };
}

/** Counts steps by what was done with them; every step is in exactly one count. */
export function summarizeConverge(steps: ConvergeStep[]): ConvergeSummary {
  const n = (d: StepDone): number => steps.filter((s) => s.done === d).length;
  return {
    total: steps.length, applied: n('applied'), upToDate: n('up-to-date'), skipped: n('skipped'), failed: n('failed'),
    ignoredFailures: n('ignored-failure'), notApplied: n('not-applied'), notRun: n('not-run'),
  };
}
