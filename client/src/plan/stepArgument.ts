/**
 * What a plan command was handed. Lenses and other commands pass the plan step itself; the Plan
 * view's inline buttons and context menu pass the row they sit on, a tree node that holds the step
 * (and a detail row holds its step's node). Pure: no vscode import, tested in plain Node.
 */
import type { PlanStep } from '../../../server/src/protocol';

/** A row of the Plan view: a step, or a line of detail under one. */
export type PlanTreeNode =
  | { kind: 'step'; step: PlanStep; index: number }
  | { kind: 'detail'; label: string; icon?: string; tooltip?: string; parent: { kind: 'step'; step: PlanStep; index: number } };

/** The plan step in a command argument (a step, or a Plan view row), or undefined when there is none. */
export function planStepOf(arg: unknown): PlanStep | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  if (o.kind === 'step' && isStep(o.step)) return o.step;
  if (o.kind === 'detail' && o.parent && typeof o.parent === 'object') return planStepOf(o.parent);
  return isStep(arg) ? arg : undefined;
}

function isStep(v: unknown): v is PlanStep {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<PlanStep>;
  return typeof s.resource === 'string' && typeof s.action === 'string' && typeof s.status === 'string' && !!s.location;
}
