/**
 * Reads the JSON lines of `cloche converge|test --format jsonl` (progress events, the start of the
 * idempotence re-plan, then the report) and turns them into text and problems. Shared by the Converge
 * command and the Test Explorer. No vscode import.
 */
import type { ConvergeEvent, ConvergeReport, SourceLocation } from '../../server/src/protocol';
import { renderEvent, renderReport } from '../../server/src/engine/render';

export type ProgressLine =
  | { kind: 'event'; event: ConvergeEvent }
  | { kind: 'idempotence-start' }
  | { kind: 'report'; report: ConvergeReport };

/** One stdout line; anything that is not one of the three shapes is ignored (undefined). */
export function parseProgressLine(line: string): ProgressLine | undefined {
  let j: unknown;
  try { j = JSON.parse(line); } catch { return undefined; }
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
}

/** The failure that stopped the converge, and every resource that is not idempotent. */
export function convergeProblems(r: ConvergeReport): ConvergeProblem[] {
  const out: ConvergeProblem[] = [];
  if (!r.result.ok && r.result.location) {
    out.push({ location: r.result.location, severity: 'error', resource: r.result.resource ?? '', message: `converge failed here: ${r.result.message}` });
  }
  for (const o of r.idempotence?.offenders ?? []) {
    out.push({ location: o.location, severity: 'warning', resource: o.resource, message: `${o.resource} :${o.action} is not idempotent: after the converge it would still change (${o.reason})` });
  }
  return out;
}

/** One line for the end of a run: converged or failed, idempotent or not. */
export function verdictOf(r: ConvergeReport): { ok: boolean; text: string } {
  if (!r.result.ok) return { ok: false, text: `converge failed: ${r.result.message}` };
  if (r.idempotence && !r.idempotence.idempotent) return { ok: false, text: `converged, but NOT idempotent: ${r.idempotence.offenders.length} resource${r.idempotence.offenders.length === 1 ? '' : 's'} would change again` };
  return { ok: true, text: `converged (${r.summary.applied} applied)${r.idempotence ? ', idempotent' : ''}` };
}
