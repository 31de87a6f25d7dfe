/**
 * The Plan view (Explorer → Cloche Plan): the last dry run's steps in converge order with status icons,
 * and under each step what it would change, the notifications it sends and why it runs. Clicking a
 * step opens its source line; steps with file content offer the diff editor; notified steps offer
 * "Why Would This Run?".
 */
import * as vscode from 'vscode';
import type { PlanStep, StepStatus } from '../../../server/src/protocol';
import { COMMANDS } from '../commands';
import type { PlanStore } from './planStore';
import type { PlanTreeNode } from './stepArgument';
import { stepSummary, stepTooltip } from './stepText';

type Node = PlanTreeNode;
type StepNode = Extract<PlanTreeNode, { kind: 'step' }>;

const ICONS: Record<StepStatus, [string, string | undefined]> = {
  change: ['diff-modified', 'charts.yellow'],
  'up-to-date': ['pass', 'charts.green'],
  skipped: ['debug-step-over', undefined],
  unknown: ['question', 'charts.purple'],
  failed: ['error', 'charts.red'],
};

/** The id of the view in package.json `contributes.views`. */
export const PLAN_VIEW_ID = 'cloche.plan';

export class PlanView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: PlanStore) {
    this.view = vscode.window.createTreeView(PLAN_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscription = store.onDidChange(() => { this.describe(); this.changed.fire(undefined); });
    this.describe();
  }

  /** Shows the view (after a dry run) and gives the focus back to the editor, whose lenses then update. */
  async reveal(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    await vscode.commands.executeCommand(`${PLAN_VIEW_ID}.focus`);
    if (editor) await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, selection: editor.selection });
  }

  private describe(): void {
    const p = this.store.plan;
    // Without a plan the view's welcome content speaks (it differs in untrusted workspaces).
    if (!p) { this.view.message = undefined; this.view.description = undefined; return; }
    const s = p.plan.summary;
    this.view.description = `${p.label} · ${p.plan.target.platform}`;
    this.view.message = `${s.changed} to change, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.unknown} unknown, ${s.failed} failing`
      + (p.stale ? ' — the cookbook changed since; dry run again' : '');
  }

  /** Selects a step's row (from a line annotation). */
  async revealStep(step: PlanStep): Promise<void> {
    const steps = this.store.plan?.plan.steps ?? [];
    const index = steps.indexOf(step) >= 0 ? steps.indexOf(step) : steps.findIndex((s) => s.resource === step.resource && s.action === step.action);
    if (index < 0) return;
    await this.view.reveal({ kind: 'step', step: steps[index], index }, { select: true, focus: true });
  }

  getChildren(node?: Node): Node[] {
    const p = this.store.plan;
    if (!p) return [];
    if (!node) return p.plan.steps.map((step, index) => ({ kind: 'step', step, index }));
    if (node.kind !== 'step') return [];
    return details(node);
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'detail' ? node.parent : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'detail') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip ?? node.label;
      return item;
    }
    const s = node.step;
    const hasDetails = details(node).length > 0;
    const item = new vscode.TreeItem(`${s.resource} :${s.action}`, hasDetails ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `${node.index}:${s.resource}:${s.action}`;
    item.description = stepSummary(s, 140);
    const [icon, colour] = ICONS[s.status];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    // Never trusted, no HTML: the text is escaped, and a command link in it must not run even if one slipped through.
    const tooltip = new vscode.MarkdownString(stepTooltip(s));
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `${s.resource} ${s.action}: ${s.status}, ${stepSummary(s)}` };
    item.contextValue = ['step', s.content ? 'diff' : '', s.notifiedBy?.length ? 'notified' : ''].filter(Boolean).join('-');
    item.command = { command: COMMANDS.revealPlanStep.id, title: 'Open source', arguments: [s] };
    return item;
  }

  dispose(): void { this.subscription.dispose(); this.view.dispose(); this.changed.dispose(); }
}

/** The rows under a step: changes, the reason, assumptions, notifications, who notifies it. */
function details(parent: StepNode): Node[] {
  const s = parent.step;
  const out: Node[] = [];
  const add = (label: string, icon?: string, tooltip?: string) => out.push({ kind: 'detail', label, icon, tooltip, parent });
  for (const c of s.changes) add(c.message ?? `${c.property}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`, 'edit');
  if (s.reason && s.status !== 'up-to-date') add(s.reason, 'info');
  for (const a of s.assumptions ?? []) add(`assumption: ${a}`, 'warning');
  for (const n of s.notifications) {
    const verdict = n.fires === 'yes' ? 'would fire' : n.fires === 'maybe' ? 'may fire' : 'would not fire';
    add(`${n.kind === 'subscribes' ? 'subscribed by' : 'notifies'} ${n.target} :${n.action} (${n.timing}) — ${verdict}`, 'bell');
  }
  for (const n of s.notifiedBy ?? []) add(`notified by ${n.resource} (${n.timing})`, 'arrow-left');
  if (s.diff && !s.content) add('content diff (see the CLI output)', 'diff', s.diff);
  return out;
}
