/**
 * The idempotence check: plan again after a converge; any step that would still change something
 * is a failure pointing at its resource. log and notify_group always act, and so do steps that only
 * they notify: those are exempt, and listed as such.
 */
import type { ConvergeReport, IdempotenceVerdict, Plan, RunVerdict } from '../protocol';
import { ALWAYS_RUN_TYPES } from './providers/misc';

/**
 * Judges a plan made right after a converge. A step the converge did not apply (`notApplied`:
 * it was unknown) cannot be judged: it is undecided, never an offender.
 */
export function judgeIdempotence(plan: Plan, planMs: number, notApplied: { resource: string; action: string }[] = []): IdempotenceVerdict {
  const unapplied = new Set(notApplied.map((n) => `${n.resource} :${n.action}`));
  const exempt = new Set(plan.steps.filter((s) => ALWAYS_RUN_TYPES.has(s.type)).map((s) => s.resource));
  const offenders: IdempotenceVerdict['offenders'] = [];
  const undecided: IdempotenceVerdict['undecided'] = [];
  const exemptSteps: string[] = [];
  for (const s of plan.steps) {
    if (s.status === 'unknown' && !plan.steps.some((x) => x.parent === s.resource)) {
      undecided.push({ resource: s.resource, action: s.action, location: s.location, reason: s.reason ?? 'not known' });
      continue;
    }
    if (s.status !== 'change' && s.status !== 'failed') continue;
    if (plan.steps.some((x) => x.parent === s.resource)) continue; // a custom resource: its children are judged
    if (unapplied.has(`${s.resource} :${s.action}`)) {
      undecided.push({ resource: s.resource, action: s.action, location: s.location, reason: 'the converge did not apply it (it was unknown), so whether it is idempotent is not known' });
      continue;
    }
    const onlyExemptTriggers = s.notifiedBy?.length && s.notifiedBy.every((t) => exempt.has(t.resource));
    if (exempt.has(s.resource) || onlyExemptTriggers) { exemptSteps.push(`${s.resource} :${s.action}`); continue; }
    const said = s.status === 'failed' ? `would fail: ${s.reason}` : s.changes.map((c) => c.message ?? c.property).join('; ') || s.reason || 'would change';
    // What the plan assumed of the step (systemd skipping a unit whose condition fails …) belongs with it.
    const what = s.assumptions?.length ? `${said} (${s.assumptions.join('; ')})` : said;
    offenders.push({ resource: s.resource, action: s.action, location: s.location, reason: what });
  }
  const verdict = offenders.length ? 'not-idempotent' : undecided.length ? 'undecided' : 'idempotent';
  return { idempotent: verdict === 'idempotent', verdict, offenders, undecided, exempt: exemptSteps, planMs };
}

/**
 * The verdict of `cloche test` (a converge and its idempotence check): failed, incomplete (steps
 * not applied, or an idempotence check that cannot decide), not idempotent, or passed.
 */
export function testVerdict(report: ConvergeReport): RunVerdict {
  if (report.verdict !== 'converged') return report.verdict;
  if (!report.idempotence) return 'converged';
  return report.idempotence.verdict === 'idempotent' ? 'passed' : report.idempotence.verdict === 'undecided' ? 'incomplete' : 'not-idempotent';
}
