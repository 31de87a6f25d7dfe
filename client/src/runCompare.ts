/**
 * "Cloche: Compare Run with HEAD": what the working tree's changes do to the active cookbook's run,
 * from `cloche diff PATH --format json` (the RunDiff contract; the CLI reads HEAD with git archive,
 * never the checkout). Shows the "Run Changes" tree (rows from `runDiffTree.ts`, each opening its
 * source line) and rendered content changes in VS Code's diff editor (`cloche-run-diff:` documents).
 * While the view is visible, saving a file of the compared cookbook compares again (on save, not as
 * you type: the CLI reads the disk).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RenderedText, RunDiff } from '../../server/src/protocol';
import { renderedTextForPeople } from '../../server/src/protocol';
import { abortOn, pickSubject, type EngineDeps } from './engineUi';
import type { EngineSubject } from './engineTarget';
import { runDiffRows, type RunDiffRow } from './runDiffTree';

export const RUN_DIFF_SCHEME = 'cloche-run-diff';
export const RUN_CHANGES_VIEW = 'cloche.runChanges';

const ICONS: Record<RunDiffRow['kind'], string> = { added: 'diff-added', removed: 'diff-removed', changed: 'diff-modified', 'may-change': 'question', order: 'arrow-swap', detail: 'circle-small' };

export class RunCompare implements vscode.TreeDataProvider<RunDiffRow>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private diff: RunDiff | undefined;
  private rows: RunDiffRow[] = [];
  private readonly treeChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly view: vscode.TreeView<RunDiffRow>;
  private readonly registration: vscode.Disposable;
  private readonly onSave: vscode.Disposable;
  /** The last comparison's subject: a save in its cookbook compares again (the CLI reads the disk). */
  private subject: EngineSubject | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: EngineDeps) {
    this.view = vscode.window.createTreeView(RUN_CHANGES_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RUN_DIFF_SCHEME, this);
    this.onSave = vscode.workspace.onDidSaveTextDocument((doc) => {
      const s = this.subject;
      if (!s || !this.view.visible || !doc.uri.fsPath.startsWith(s.cookbookDir + path.sep)) return;
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => void this.compare(s, false), 1000);
    });
  }

  /** Runs the diff for the active file's cookbook (or `uri`'s) and shows it. */
  async compareWithHead(uri?: vscode.Uri): Promise<void> {
    const subject = pickSubject(uri);
    if (!subject) return;
    await vscode.workspace.saveAll(false);
    await this.compare(subject, true);
  }

  private async compare(subject: EngineSubject, reveal: boolean): Promise<void> {
    this.subject = subject;
    const args = ['diff', subject.path, '--format', 'json'];
    this.deps.log.info(`cloche ${args.join(' ')}`);
    const location = reveal ? vscode.ProgressLocation.Notification : { viewId: RUN_CHANGES_VIEW };
    await vscode.window.withProgress({ location, title: `Cloche: comparing ${subject.label} with HEAD`, cancellable: reveal }, async (_p, token) => {
      const r = await this.deps.cli.run({ args, cwd: subject.cookbookDir, timeoutMs: 120_000, signal: abortOn(token) });
      if (r.cancelled) return;
      if (r.stderr.trim()) this.deps.log.info(r.stderr.trim());
      let diff: RunDiff | undefined;
      try { diff = r.stdout.trim() ? (JSON.parse(r.stdout) as RunDiff) : undefined; } catch { diff = undefined; }
      if (!diff) {
        const why = r.timedOut ? 'it took longer than 2 minutes' : r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`;
        void vscode.window.showErrorMessage(`Cloche: cannot compare ${subject.label} with HEAD: ${why}`);
        return;
      }
      this.show(diff);
      const s = diff.summary;
      this.view.message = `${diff.from.label} → ${diff.to.label} (${diff.to.platform}): ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.mayChange} may change, ${s.order} order`;
      if (reveal) await vscode.commands.executeCommand(`${RUN_CHANGES_VIEW}.focus`);
    });
  }

  private show(diff: RunDiff): void {
    this.diff = diff;
    this.rows = runDiffRows(diff);
    void vscode.commands.executeCommand('setContext', 'cloche.hasRunChanges', true);
    this.treeChanged.fire();
  }

  getChildren(row?: RunDiffRow): RunDiffRow[] { return row ? row.children ?? [] : this.rows; }

  getTreeItem(row: RunDiffRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, row.children?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = row.description;
    item.tooltip = row.tooltip ?? [row.label, row.description].filter(Boolean).join(' — ');
    item.iconPath = new vscode.ThemeIcon(ICONS[row.kind]);
    if (row.contentOf !== undefined) {
      item.command = { command: 'vscode.diff', title: 'Show Content Change', arguments: [this.contentUri(row.contentOf, 'from'), this.contentUri(row.contentOf, 'to'), `${this.diff?.changed[row.contentOf].id} (${this.diff?.from.label} ↔ ${this.diff?.to.label})`, { preview: true }] };
    } else if (row.location) {
      const l = row.location;
      const range = new vscode.Range(Math.max(0, l.line - 1), Math.max(0, l.column - 1), Math.max(0, (l.endLine ?? l.line) - 1), Math.max(0, (l.endColumn ?? l.column) - 1));
      item.command = { command: 'vscode.open', title: 'Open Source', arguments: [vscode.Uri.file(l.file), { selection: range, preview: true }] };
    }
    return item;
  }

  private contentUri(index: number, side: 'from' | 'to'): vscode.Uri {
    const id = this.diff?.changed[index]?.id ?? '';
    return vscode.Uri.from({ scheme: RUN_DIFF_SCHEME, path: '/' + id.replace(/[^\w.\-[\]]+/g, '_'), query: `i=${index}&side=${side}` });
  }

  /** Both sides' rendered content as people read it (holes as `«unknown: why»`); empty for a side without it. */
  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const content = this.diff?.changed[Number(q.get('i'))]?.content;
    const text: RenderedText | undefined = q.get('side') === 'from' ? content?.from : content?.to;
    return text === undefined ? '' : renderedTextForPeople(text);
  }

  dispose(): void { clearTimeout(this.saveTimer); this.onSave.dispose(); this.view.dispose(); this.registration.dispose(); this.treeChanged.dispose(); }
}
