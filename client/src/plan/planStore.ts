/**
 * The last dry run's plan, shared by the Plan view, the line annotations, the diff editor and the graph:
 * one store, one change event. A new dry run replaces the plan; editing a file of the planned cookbook
 * marks it stale (the annotations say so) rather than hiding it.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { Plan, PlanStep } from '../../../server/src/protocol';

export interface StoredPlan {
  plan: Plan;
  /** What was planned (a cookbook or recipe path as the user picked it). */
  label: string;
  /** The cookbook folder, to tell which edits make the plan stale. */
  cookbookDir: string;
  at: Date;
  stale: boolean;
}

export class PlanStore implements vscode.Disposable {
  private current: StoredPlan | undefined;
  private readonly changed = new vscode.EventEmitter<StoredPlan | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly edits: vscode.Disposable;

  constructor() {
    this.edits = vscode.workspace.onDidChangeTextDocument((e) => {
      const c = this.current;
      if (!c || c.stale || e.contentChanges.length === 0) return;
      if (e.document.uri.scheme === 'file' && e.document.uri.fsPath.startsWith(c.cookbookDir + path.sep)) {
        c.stale = true;
        this.changed.fire(c);
      }
    });
  }

  get plan(): StoredPlan | undefined { return this.current; }

  set(plan: Plan, label: string, cookbookDir: string): void {
    this.current = { plan, label, cookbookDir, at: new Date(), stale: false };
    void vscode.commands.executeCommand('setContext', 'cloche.hasPlan', true);
    this.changed.fire(this.current);
  }

  clear(): void {
    this.current = undefined;
    void vscode.commands.executeCommand('setContext', 'cloche.hasPlan', false);
    this.changed.fire(undefined);
  }

  /** Steps whose resource is declared in `file` (absolute path). */
  stepsIn(file: string): PlanStep[] {
    return this.current ? this.current.plan.steps.filter((s) => s.location.file === file) : [];
  }

  dispose(): void { this.edits.dispose(); this.changed.dispose(); }
}
