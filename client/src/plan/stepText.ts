/**
 * How a plan step reads in the editor: one short phrase for line annotations and the Plan view
 * ("would install nginx 1.22.1", "up to date", "skipped: not_if …"), and the notification chain that
 * explains why a step would run ("Why would this run?"). Pure: no vscode import, tested in plain Node.
 */
import type { Plan, PlanStep, StepStatus } from '../../../server/src/protocol';
import { mdCode, mdText } from '../../../server/src/lang/markdown';
import { explainUnknown } from './unknownAdvice';

/** The words before a reason, per status. */
const LEAD: Record<StepStatus, string> = {
  change: 'would change', 'up-to-date': 'up to date', skipped: 'skipped', unknown: 'unknown', failed: 'would fail',
};

/** One short line for a step; long reasons are cut at `max` characters. */
export function stepSummary(s: PlanStep, max = 90): string {
  let text: string;
  if (s.status === 'change') {
    const first = s.changes[0];
    const head = first ? (first.message ?? `would change ${first.property}`) : s.reason ? `would ${s.action}: ${s.reason}` : `would ${s.action}`;
    text = s.changes.length > 1 ? `${head} (+${s.changes.length - 1} more)` : head;
  } else if (s.status === 'up-to-date') {
    text = LEAD['up-to-date'];
  } else if (s.status === 'unknown' && s.reason && explainUnknown(s.reason)) {
    // What the user can do; the precise reason is in the tooltip and the step's details.
    text = explainUnknown(s.reason)!;
  } else {
    text = s.reason ? `${LEAD[s.status]}: ${s.reason}` : LEAD[s.status];
  }
  if (s.notifiedBy?.length) text += ` (notified by ${s.notifiedBy.map((n) => n.resource).join(', ')})`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** How a count of steps of each status reads: "3 change", "1 up to date". */
const COUNTED: Record<StepStatus, string> = { change: 'change', 'up-to-date': 'up to date', skipped: 'skipped', unknown: 'unknown', failed: 'would fail' };
const COUNT_ORDER: StepStatus[] = ['change', 'failed', 'unknown', 'up-to-date', 'skipped'];

/** One phrase for several steps: "4 steps: 3 change, 1 up to date" (changes and failures first). */
export function stepCounts(steps: readonly PlanStep[]): string {
  const parts = COUNT_ORDER.map((st) => [st, steps.filter((s) => s.status === st).length] as const)
    .filter(([, n]) => n > 0).map(([st, n]) => `${n} ${COUNTED[st]}`);
  return `${steps.length} step${steps.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/**
 * The steps declared on each source line, as the line annotations show them: one group per line, in
 * plan order. A line whose steps are of several resources (a declaration in a loop) or more than
 * `most` steps is `grouped`: it gets one annotation that opens the list, never a chain of them.
 */
export function lineGroups(steps: readonly PlanStep[], most = 3): { line: number; steps: PlanStep[]; grouped: boolean }[] {
  const byLine = new Map<number, PlanStep[]>();
  for (const s of steps) {
    const list = byLine.get(s.location.line) ?? [];
    list.push(s);
    byLine.set(s.location.line, list);
  }
  return [...byLine].map(([line, list]) => ({ line, steps: list, grouped: list.length > most || new Set(list.map((s) => s.resource)).size > 1 }));
}

/**
 * The Plan view's Markdown tooltip of a step. Resource names, actions and reasons are the cookbook's
 * (and the container's) text: code spans and escaped text, so none of it becomes a link, an image or HTML.
 */
export function stepTooltip(s: PlanStep): string {
  const precise = s.status === 'unknown' && s.reason && explainUnknown(s.reason) ? `\n\nWhy exactly: ${mdText(s.reason.length > 600 ? `${s.reason.slice(0, 599)}…` : s.reason)}` : '';
  return `**${mdCode(s.resource)}** ${mdCode(':' + s.action)} — ${s.status}\n\n${mdText(stepSummary(s, 400))}${precise}`;
}

/** One link of a "why" chain: the step that causes the next one, and how. */
export interface WhyLink {
  /** The causing step (its resource, action, status and what it would change). */
  step: PlanStep;
  /** How it reaches the step after it in the chain; absent for the step being explained. */
  via?: { timing: string; kind: 'notifies' | 'subscribes'; fires: 'yes' | 'no' | 'maybe' };
}

/**
 * Why `step` would run, as chains from a root cause to the step: each notification that reaches it,
 * followed back through the steps that were themselves notified. Cycles and repeats stop the walk.
 * A step nobody notifies explains itself (a one-link chain).
 */
export function whyChains(plan: Plan, step: PlanStep): WhyLink[][] {
  const chains: WhyLink[][] = [];
  const walk = (s: PlanStep, tail: WhyLink[], seen: Set<PlanStep>): void => {
    const callers = (s.notifiedBy ?? [])
      .map((n) => ({ n, from: causingStep(plan, n.resource, s) }))
      .filter((c): c is { n: typeof c.n; from: PlanStep } => !!c.from && !seen.has(c.from));
    if (!callers.length) { chains.push(tail); return; }
    for (const { from } of callers) {
      const note = from.notifications.find((x) => x.target === s.resource && x.action === s.action);
      const link: WhyLink = { step: from, via: note ? { timing: note.timing, kind: note.kind, fires: note.fires } : undefined };
      walk(from, [link, ...tail], new Set([...seen, from]));
    }
  };
  walk(step, [{ step }], new Set([step]));
  return chains;
}

/** The step of `resource` that notifies `target` (the first whose notifications name it). */
function causingStep(plan: Plan, resource: string, target: PlanStep): PlanStep | undefined {
  const candidates = plan.steps.filter((s) => s.resource === resource);
  return candidates.find((s) => s.notifications.some((n) => n.target === target.resource && n.action === target.action)) ?? candidates[0];
}

/**
 * The causes of a chain as text, root first, without the explained step itself:
 * "template[/etc/x] :create — would create template /etc/x" then "↓ notifies (delayed): would fire".
 */
export function renderWhyChain(chain: WhyLink[]): string[] {
  return chain.filter((l) => l.via).flatMap((l) => {
    const fires = l.via!.fires === 'yes' ? 'would fire' : l.via!.fires === 'maybe' ? 'may fire (its status is unknown)' : 'would not fire (no change)';
    return [`${l.step.resource} :${l.step.action} — ${stepSummary(l.step, 200)}`, `  ↓ ${l.via!.kind} (${l.via!.timing}): ${fires}`];
  });
}
