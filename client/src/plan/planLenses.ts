/**
 * The dry run on the source lines: a CodeLens above each planned resource ("would install nginx
 * 1.22.1", "up to date", "skipped: not_if …"). Clicking a lens of a step with file content opens the
 * diff editor; a notified step's lens explains why it runs. A resource declared in a loop gets one lens
 * per step.
 */
import * as vscode from 'vscode';
import type { PlanStep } from '../../../server/src/protocol';
import { COMMANDS } from '../commands';
import type { PlanStore } from './planStore';
import { stepSummary } from './stepText';

const MARK: Record<PlanStep['status'], string> = { change: '$(diff-modified)', 'up-to-date': '$(pass)', skipped: '$(debug-step-over)', unknown: '$(question)', failed: '$(error)' };

export class PlanLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: PlanStore, selector: vscode.DocumentSelector) {
    this.subscriptions = [
      store.onDidChange(() => this.changed.fire()),
      vscode.languages.registerCodeLensProvider(selector, this),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.store.plan;
    if (!p) return [];
    const stale = p.stale ? ' (stale)' : '';
    return this.store.stepsIn(doc.uri.fsPath).map((s) => {
      const line = Math.min(Math.max(0, s.location.line - 1), doc.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      const title = `${MARK[s.status]} ${s.action}: ${stepSummary(s)}${stale}`;
      const command = s.content
        ? { title, command: COMMANDS.showPlanDiff.id, arguments: [s], tooltip: 'Open the content change in the diff editor' }
        : s.notifiedBy?.length
          ? { title, command: COMMANDS.whyWouldThisRun.id, arguments: [s], tooltip: 'Why would this run?' }
          : { title, command: COMMANDS.revealPlanStep.id, arguments: [s, true], tooltip: 'Show in the Plan view' };
      return new vscode.CodeLens(range, command);
    });
  }

  dispose(): void { for (const d of this.subscriptions) d.dispose(); this.changed.dispose(); }
}
