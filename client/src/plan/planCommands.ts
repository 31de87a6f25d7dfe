/**
 * The Plan's commands: open a step's source line, and "Why Would This Run?" — the notification chains
 * that make a step run (for a service restart: which file change notifies it, through which steps).
 * Called from the Plan view, the line annotations, or the Command Palette (the step under the cursor).
 */
import * as vscode from 'vscode';
import type { PlanStep } from '../../../server/src/protocol';
import type { PlanStore } from './planStore';
import { planStepOf } from './stepArgument';
import { renderWhyChain, stepCounts, stepSummary, whyChains } from './stepText';

/** Opens the source line of a step, or selects its row when `inView` is given (a line annotation's click). */
export async function revealPlanStep(step: PlanStep | undefined, inView?: (step: PlanStep) => Promise<void>): Promise<void> {
  if (!step) return;
  if (inView) { await inView(step); return; }
  const pos = new vscode.Position(Math.max(0, step.location.line - 1), Math.max(0, step.location.column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(step.location.file), { selection: new vscode.Range(pos, pos) });
}

/** The steps declared at the cursor of the active editor, notified ones first. */
export function stepsAtCursor(store: PlanStore): PlanStep[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  const line = editor.selection.active.line + 1;
  return store.stepsIn(editor.document.uri.fsPath)
    .filter((s) => s.location.line <= line && line <= (s.location.endLine ?? s.location.line))
    .sort((a, b) => Number(!!b.notifiedBy?.length) - Number(!!a.notifiedBy?.length));
}

/**
 * Explains why a step would run, in a modal the user reads and closes. `arg`: a step (a lens), a Plan
 * view row (its inline button), or nothing (the Command Palette: the step under the cursor).
 */
export async function whyWouldThisRun(store: PlanStore, arg?: unknown): Promise<void> {
  const plan = store.plan?.plan;
  if (!plan) { void vscode.window.showInformationMessage('Cloche: run "Cloche: Dry Run in Container" first.'); return; }
  const subject = planStepOf(arg) ?? stepsAtCursor(store)[0];
  if (!subject) { void vscode.window.showInformationMessage('Cloche: put the cursor on a resource of the last dry run.'); return; }
  const stored = plan.steps.filter((s) => s.resource === subject.resource && s.action === subject.action);
  const target = stored.find((s) => s.notifiedBy?.length) ?? stored[0] ?? subject;
  const chains = whyChains(plan, target);
  const head = `${target.resource} :${target.action} — ${stepSummary(target, 200)}`;
  const detail = target.notifiedBy?.length
    ? chains.map((c) => renderWhyChain(c).join('\n')).join('\n\nor\n\n')
    : target.status === 'change'
      ? `It runs because of its own state, not a notification: ${target.changes.map((c) => c.message ?? c.property).join('; ') || target.reason || 'it would change'}.`
      : `Nothing notifies it, and it would not change (${target.status}${target.reason ? `: ${target.reason}` : ''}).`;
  await vscode.window.showInformationMessage(`Why would ${target.resource} ${target.action}?`, { modal: true, detail: `${head}\n\n${detail}` });
}

/** Codicons of the statuses, for the quick pick of a line's steps. */
const ICON: Record<PlanStep['status'], string> = { change: '$(diff-modified)', 'up-to-date': '$(pass)', skipped: '$(debug-step-over)', unknown: '$(question)', failed: '$(error)' };

/**
 * The steps of one line (a resource declared in a loop: the lens passes them; from the Command
 * Palette, the steps at the cursor) in a quick pick; the chosen one opens its content change in the
 * diff editor when it has one, else its row in the Plan view.
 */
export async function pickPlanStep(store: PlanStore, arg: unknown, open: { diff(step: PlanStep): Promise<void>; row(step: PlanStep): Promise<void> }): Promise<void> {
  const given = Array.isArray(arg) ? arg.map(planStepOf).filter((s): s is PlanStep => !!s) : [];
  const steps = given.length ? given : stepsAtCursor(store);
  if (!steps.length) { void vscode.window.showInformationMessage('Cloche: put the cursor on a resource of the last dry run.'); return; }
  const picked = await vscode.window.showQuickPick(steps.map((step) => ({
    label: `${ICON[step.status]} ${step.resource} :${step.action}`,
    description: stepSummary(step, 160),
    detail: step.content ? 'opens the content change' : undefined,
    step,
  })), { title: `${stepCounts(steps)} — ${steps[0].type} at line ${steps[0].location.line}`, placeHolder: 'Choose a step to see its change', matchOnDescription: true });
  if (!picked) return;
  await (picked.step.content ? open.diff(picked.step) : open.row(picked.step));
}
