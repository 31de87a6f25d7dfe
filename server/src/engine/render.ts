/**
 * Text output of plans and converges: "would …" lines, diffs, notifications, assumptions, and a
 * summary; colours only on a terminal. (JSON output is the protocol types as they are.)
 */
import { isAbsolute, relative } from 'node:path';
import type { ConvergeEvent, ConvergeReport, ConvergeStep, IdempotenceVerdict, Plan, PlanStep } from '../protocol';

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const;
type Colour = keyof typeof CODES;
const paint = (s: string, c: Colour, tty: boolean): string => (tty ? `\u001b[${CODES[c]}m${s}\u001b[0m` : s);

const SIGN: Record<PlanStep['status'], [string, Colour]> = {
  change: ['~', 'yellow'], 'up-to-date': ['=', 'dim'], skipped: ['-', 'dim'], unknown: ['?', 'magenta'], failed: ['!', 'red'],
};

/** Locations relative to the working directory, as an editor's terminal links them. */
const rel = (f: string): string => (isAbsolute(f) && !relative(process.cwd(), f).startsWith('..') ? relative(process.cwd(), f) : f);
const where = (s: PlanStep): string => `${rel(s.location.file)}:${s.location.line}`;

/** One plan step as text lines. */
export function renderStep(s: PlanStep, tty: boolean, verbose = false): string[] {
  const [sign, colour] = SIGN[s.status];
  const head = `${paint(sign, colour, tty)} ${paint(`${s.resource}`, s.status === 'up-to-date' ? 'dim' : 'bold', tty)} :${s.action}`;
  const by = s.notifiedBy?.length ? paint(` (notified by ${s.notifiedBy.map((t) => `${t.resource}, ${t.timing}`).join('; ')})`, 'cyan', tty) : '';
  const loc = paint(`  ${where(s)}`, 'dim', tty);
  if (s.status === 'up-to-date' && !verbose) return [`${head}${by}${loc}`];
  const out = [`${head}${by}${loc}`];
  const pad = '    ';
  if (s.status === 'skipped' || s.status === 'unknown' || s.status === 'failed') out.push(pad + paint(`${s.status}: ${s.reason ?? ''}`, colour, tty));
  for (const c of s.changes) out.push(pad + (c.message ?? `would change ${c.property}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`));
  if (s.status === 'change' && s.reason) out.push(pad + paint(s.reason, 'dim', tty));
  for (const a of s.assumptions ?? []) out.push(pad + paint(`assumption: ${a}`, 'magenta', tty));
  if (s.diff) {
    for (const l of s.diff.replace(/\n$/, '').split('\n')) {
      const c: Colour | undefined = l.startsWith('+++') || l.startsWith('---') ? 'bold' : l.startsWith('+') ? 'green' : l.startsWith('-') ? 'red' : l.startsWith('@@') ? 'cyan' : undefined;
      out.push(pad + (c ? paint(l, c, tty) : l));
    }
  }
  for (const n of s.notifications) {
    const verdict = n.fires === 'yes' ? 'would fire' : n.fires === 'maybe' ? 'may fire (this step is unknown)' : 'would not fire (no change)';
    out.push(pad + paint(`→ ${n.kind === 'subscribes' ? 'subscribed by' : 'notifies'} ${n.target} :${n.action} (${n.timing}): ${verdict}`, 'cyan', tty));
  }
  return out;
}

/** The summary line of a plan or converge. */
export function renderSummary(sum: Plan['summary'], tty: boolean): string {
  const parts = [
    paint(`${sum.changed} to change`, sum.changed ? 'yellow' : 'green', tty), `${sum.upToDate} up to date`, `${sum.skipped} skipped`,
    paint(`${sum.unknown} unknown`, sum.unknown ? 'magenta' : 'dim', tty), paint(`${sum.failed} failing`, sum.failed ? 'red' : 'dim', tty),
  ];
  return `${sum.total} steps: ${parts.join(', ')}`;
}

/** A whole plan as text. */
export function renderPlan(plan: Plan, tty: boolean, label: string): string {
  const t = plan.target;
  const lines = [paint(`Plan for ${label} on ${t.platform || 'unknown platform'} (${t.runtime}${t.image ? `, ${t.image}` : ''}, container ${t.container.slice(0, 12)})`, 'bold', tty), ''];
  for (const w of plan.warnings ?? []) lines.push(paint(`warning: ${w}`, 'yellow', tty));
  for (const s of plan.steps) lines.push(...renderStep(s, tty));
  lines.push('', renderSummary(plan.summary, tty),
    paint(`probe: ${plan.timings.roundTrips} exec${plan.timings.roundTrips === 1 ? '' : 's'} (${plan.timings.probeMs} ms), plan ${plan.timings.totalMs} ms`, 'dim', tty));
  return `${lines.join('\n')}\n`;
}

/** Live converge progress as text (one call per event). */
export function renderEvent(e: ConvergeEvent, tty: boolean): string {
  switch (e.kind) {
    case 'step-start': return `${paint('▸', 'cyan', tty)} ${e.step.resource} :${e.step.action}\n`;
    case 'output': return e.chunk.split('\n').filter((l, i, a) => l || i < a.length - 1).map((l) => paint(`    | ${l}`, 'dim', tty)).join('\n') + '\n';
    case 'retry': return paint(`  ↻ ${e.resource}: ${e.why}; retry ${e.attempt} in ${e.delaySec} s\n`, 'yellow', tty);
    case 'reprobe': return paint(`  (probed the machine again after ${e.after}: ${e.ms} ms)\n`, 'dim', tty);
    case 'step-end': return renderEnd(e.step, tty);
  }
}

function renderEnd(s: ConvergeStep, tty: boolean): string {
  const secs = `${(s.durationMs / 1000).toFixed(s.durationMs < 1000 ? 2 : 1)} s`;
  switch (s.done) {
    case 'applied': return `${paint('✔', 'green', tty)} ${s.resource} :${s.action} ${paint(`applied (${secs})`, 'green', tty)}\n${s.changes.map((c) => paint(`    ${(c.message ?? c.property).replace(/^would /, '')}`, 'dim', tty)).join('\n')}${s.changes.length ? '\n' : ''}`;
    case 'up-to-date': return paint(`= ${s.resource} :${s.action} up to date\n`, 'dim', tty);
    case 'skipped': return paint(`- ${s.resource} :${s.action} skipped: ${s.reason ?? ''}\n`, 'dim', tty);
    case 'ignored-failure': return paint(`✘ ${s.resource} :${s.action} failed (ignore_failure): ${s.reason ?? ''}\n`, 'yellow', tty);
    case 'not-applied': return paint(`? ${s.resource} :${s.action} NOT APPLIED (unknown): ${s.reason ?? ''}\n`, 'yellow', tty);
    case 'not-run': return paint(`· ${s.resource} :${s.action} not run\n`, 'dim', tty);
    default: return paint(`✘ ${s.resource} :${s.action} failed at ${where(s)}: ${s.reason ?? ''}\n`, 'red', tty);
  }
}

/** The idempotence verdict as text. */
export function renderIdempotence(v: IdempotenceVerdict, tty: boolean): string {
  if (v.verdict === 'undecided') {
    return [paint(`idempotence UNDECIDED: a second plan changes nothing Cloche knows of, but ${v.undecided.length} step${v.undecided.length === 1 ? ' is' : 's are'} unknown`, 'yellow', tty),
      ...v.undecided.map((o) => `  ${o.resource} :${o.action} at ${rel(o.location.file)}:${o.location.line}: ${o.reason}`)].join('\n') + '\n';
  }
  if (v.idempotent) return `${paint('idempotent', 'green', tty)}: a second plan changes nothing (${v.planMs} ms)${v.exempt.length ? `; always-run steps exempt: ${v.exempt.join(', ')}` : ''}\n`;
  return [paint(`NOT idempotent: a second plan would still change ${v.offenders.length} step${v.offenders.length === 1 ? '' : 's'}`, 'red', tty),
    ...v.offenders.map((o) => `  ${o.resource} :${o.action} at ${rel(o.location.file)}:${o.location.line}: ${o.reason}`)].join('\n') + '\n';
}

/** The end of a converge report as text. */
export function renderReport(r: ConvergeReport, tty: boolean): string {
  const lines = [''];
  const n = r.summary;
  const counts = `${n.applied} applied, ${n.upToDate} up to date, ${n.skipped} skipped${n.notApplied ? `, ${n.notApplied} not applied` : ''}${n.ignoredFailures ? `, ${n.ignoredFailures} failed (ignored)` : ''}${n.failed ? `, ${n.failed} failed` : ''}${n.notRun ? `, ${n.notRun} not run` : ''}`;
  if (!r.result.ok) lines.push(paint(`Converge FAILED: ${r.result.message}`, 'red', tty), paint(counts, 'dim', tty));
  else if (r.notApplied.length) {
    lines.push(paint(`Converge INCOMPLETE: ${counts}. Cloche does not apply what it does not know:`, 'yellow', tty),
      ...r.notApplied.map((s) => `  ${s.resource} :${s.action} at ${rel(s.location.file)}:${s.location.line}: ${s.reason}`));
  } else lines.push(paint(`Converged: ${counts}`, 'green', tty));
  lines.push(paint(`${(r.timings.totalMs / 1000).toFixed(1)} s (commands ${(r.timings.commandMs / 1000).toFixed(1)} s, overhead ${(r.timings.overheadMs / 1000).toFixed(1)} s), ${r.timings.roundTrips} execs`, 'dim', tty));
  if (r.idempotence) lines.push(renderIdempotence(r.idempotence, tty).trimEnd());
  lines.push(`verdict: ${paint(r.verdict, r.verdict === 'passed' || r.verdict === 'converged' ? 'green' : r.verdict === 'incomplete' ? 'yellow' : 'red', tty)}`);
  if (r.kept) lines.push(`container kept: ${r.target.container.slice(0, 12)} (cloche containers destroy ${r.target.container.slice(0, 12)})`);
  return `${lines.join('\n')}\n`;
}
