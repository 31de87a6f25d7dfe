/**
 * File content changes of a dry run in VS Code's own diff editor: a read-only document provider
 * serves the container's current content (left) and what the recipe would write (right) from the
 * stored plan, under the `cloche-plan` scheme.
 */
import * as vscode from 'vscode';
import type { PlanStore } from './planStore';
import { planStepOf } from './stepArgument';

export const PLAN_SCHEME = 'cloche-plan';

export class PlanDiff implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly store: PlanStore) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this);
  }

  /** Opens the diff of a step's content (`arg`: a step, or a Plan view row); says so when the plan has no content for it. */
  async show(arg: unknown): Promise<void> {
    const step = planStepOf(arg);
    if (!step) { void vscode.window.showInformationMessage('Cloche: choose a step of the Plan view (or its line annotation) to see its content change.'); return; }
    const index = this.store.plan?.plan.steps.indexOf(step) ?? -1;
    const found = index >= 0 ? index : this.store.plan?.plan.steps.findIndex((s) => s.resource === step.resource && s.action === step.action) ?? -1;
    const content = found >= 0 ? this.store.plan!.plan.steps[found].content : undefined;
    if (!content) { void vscode.window.showInformationMessage(`${step.resource}: no content change to show (unchanged, unknown or sensitive).`); return; }
    const uri = (side: 'before' | 'after') => vscode.Uri.from({ scheme: PLAN_SCHEME, path: content.path, query: `step=${found}&side=${side}` });
    const title = `${content.path} (${content.before === null ? 'new file' : 'in the container'} ↔ after ${step.resource})`;
    await vscode.commands.executeCommand('vscode.diff', uri('before'), uri('after'), title, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const step = this.store.plan?.plan.steps[Number(q.get('step'))];
    if (!step?.content) return '';
    return q.get('side') === 'before' ? step.content.before ?? '' : step.content.after;
  }

  dispose(): void { this.registration.dispose(); this.changed.dispose(); }
}
