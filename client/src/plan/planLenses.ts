/**
 * The dry run on the source lines: a CodeLens above each planned resource ("would install nginx
 * 1.22.1", "up to date", "skipped: not_if …"). Clicking a lens of a step with file content opens the
 * diff editor; a notified step's lens explains why it runs. A resource declared in a loop gets one lens
 * for all its steps ("4 steps: 3 change, 1 up to date") that opens them in a quick pick: VS Code
 * would join one lens per step with " | " into a line that runs off the screen.
 */
import * as vscode from 'vscode';
import type { PlanStep } from '../../../server/src/protocol';
import { COMMANDS } from '../commands';
import type { PlanStore } from './planStore';
import { lineGroups, stepCounts, stepSummary } from './stepText';

const MARK: Record<PlanStep['status'], string> = { change: '$(diff-modified)', 'up-to-date': '$(pass)', skipped: '$(debug-step-over)', unknown: '$(question)', failed: '$(error)' };
/** The mark of a group of steps: its most telling status. */
const WORST: PlanStep['status'][] = ['failed', 'change', 'unknown', 'up-to-date', 'skipped'];

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
    return lineGroups(this.store.stepsIn(doc.uri.fsPath)).flatMap((g) => {
      const line = Math.min(Math.max(0, g.line - 1), doc.lineCount - 1);
      const range = new vscode.Range(line, 0, line, 0);
      if (g.grouped) {
        const mark = MARK[WORST.find((st) => g.steps.some((s) => s.status === st)) ?? 'up-to-date'];
        const title = `${mark} ${stepCounts(g.steps)}${stale}`;
        return [new vscode.CodeLens(range, { title, command: COMMANDS.pickPlanStep.id, arguments: [g.steps], tooltip: 'Choose a step to see its change or its row in the Plan view' })];
      }
      return g.steps.map((s) => new vscode.CodeLens(range, lensCommand(s, `${MARK[s.status]} ${s.action}: ${stepSummary(s, 140)}${stale}`)));
    });
  }

  dispose(): void { for (const d of this.subscriptions) d.dispose(); this.changed.dispose(); }
}

/**
 * What a single step's lens does: its diff, why it runs (notified), or its row in the Plan view. An
 * unknown step's tooltip holds the whole advice and the precise reason, for a lens cut by a narrow editor.
 */
function lensCommand(s: PlanStep, title: string): vscode.Command {
  const does = (what: string) => (s.status === 'unknown' && s.reason ? `${stepSummary(s, 600)}\n\nWhy exactly: ${s.reason}\n\n${what}` : what);
  return s.content
    ? { title, command: COMMANDS.showPlanDiff.id, arguments: [s], tooltip: does('Open the content change in the diff editor') }
    : s.notifiedBy?.length
      ? { title, command: COMMANDS.whyWouldThisRun.id, arguments: [s], tooltip: does('Why would this run?') }
      : { title, command: COMMANDS.revealPlanStep.id, arguments: [s, true], tooltip: does('Show in the Plan view') };
}
