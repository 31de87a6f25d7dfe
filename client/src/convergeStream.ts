/**
 * Reads the JSON lines of `cloche converge|test --format jsonl` (progress events, the start of the
 * idempotence re-plan, then the report) and turns them into text and problems. Shared by the Converge
 * command and the Test Explorer. No vscode import.
 */
import type { ConvergeEvent, ConvergeReport, RunVerdict, SourceLocation } from '../../server/src/protocol';
import { renderEvent, renderReport } from '../../server/src/engine/render';

export type ProgressLine =
  | { kind: 'event'; event: ConvergeEvent }
  | { kind: 'idempotence-start' }
  | { kind: 'report'; report: ConvergeReport };

/** One stdout line; anything that is not one of the three shapes is ignored (undefined). */
export function parseProgressLine(line: string): ProgressLine | undefined {
  let j: unknown;
  try { j = JSON.parse(line); } catch { return undefined; }
  return progressLineOf(j);
}

/** One line already parsed (a matrix cell's `converge` event carries it as an object). */
export function progressLineOf(j: unknown): ProgressLine | undefined {
  if (!j || typeof j !== 'object') return undefined;
  const o = j as Record<string, unknown>;
  if (o.event && typeof o.event === 'object') return { kind: 'event', event: o.event as ConvergeEvent };
  if ('idempotence-start' in o) return { kind: 'idempotence-start' };
  if (o.report && typeof o.report === 'object') return { kind: 'report', report: o.report as ConvergeReport };
  return undefined;
}

/** The text a person reads for one progress line (the CLI's own wording, no colours). */
export function progressText(p: ProgressLine): string {
  switch (p.kind) {
    case 'event': return renderEvent(p.event, false);
    case 'idempotence-start': return '\nChecking idempotence: planning again…\n';
    case 'report': return renderReport(p.report, false);
  }
}

/** A problem to show on a source line after a converge. */
export interface ConvergeProblem {
  location: SourceLocation;
  message: string;
  severity: 'error' | 'warning';
  resource: string;
  /** `converge-failed`, `not-idempotent`, `not-applied` (unknown: Cloche did not act) or `idempotence-undecided`. */
  code: 'converge-failed' | 'not-idempotent' | 'not-applied' | 'idempotence-undecided';
}

/** The failure that stopped the converge, the steps not applied, and every resource that is not idempotent. */
export function convergeProblems(r: ConvergeReport): ConvergeProblem[] {
  const out: ConvergeProblem[] = [];
  if (!r.result.ok && r.result.location) {
    out.push({ location: r.result.location, severity: 'error', resource: r.result.resource ?? '', code: 'converge-failed', message: `converge failed here: ${r.result.message}` });
  }
  for (const n of r.notApplied) {
    out.push({ location: n.location, severity: 'warning', resource: n.resource, code: 'not-applied', message: `${n.resource} :${n.action} was not applied: Cloche does not know it (${n.reason})` });
  }
  for (const o of r.idempotence?.offenders ?? []) {
    out.push({ location: o.location, severity: 'warning', resource: o.resource, code: 'not-idempotent', message: `${o.resource} :${o.action} is not idempotent: after the converge it would still change (${o.reason})` });
  }
  // A step already not applied says so once: its undecided idempotence adds nothing.
  const notApplied = new Set(r.notApplied.map((n) => `${n.resource} :${n.action}`));
  for (const u of (r.idempotence?.undecided ?? []).filter((x) => !notApplied.has(`${x.resource} :${x.action}`))) {
    out.push({ location: u.location, severity: 'warning', resource: u.resource, code: 'idempotence-undecided', message: `${u.resource} :${u.action}: whether it is idempotent is not known (${u.reason})` });
  }
  return out;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One line for the end of a run, with its verdict: converged/passed, failed, incomplete or not idempotent. */
export function verdictOf(r: ConvergeReport): { ok: boolean; verdict: RunVerdict; text: string } {
  const verdict = r.verdict;
  switch (verdict) {
    case 'failed': return { ok: false, verdict, text: `converge failed: ${r.result.ok ? 'see the output' : r.result.message}` };
    case 'incomplete': {
      const undecided = r.idempotence?.undecided.length ?? 0;
      const parts = [r.notApplied.length ? `${plural(r.notApplied.length, 'step')} not applied (unknown to Cloche)` : '', undecided ? `idempotence undecided for ${plural(undecided, 'step')}` : ''];
      return { ok: false, verdict, text: `incomplete: ${parts.filter(Boolean).join(', ')}` };
    }
    case 'not-idempotent': {
      const n = r.idempotence?.offenders.length ?? 0;
      return { ok: false, verdict, text: `converged, but NOT idempotent: ${plural(n, 'resource')} would change again` };
    }
    default: return { ok: true, verdict, text: `converged (${r.summary.applied} applied)${r.idempotence ? ', idempotent' : ''}` };
  }
}
