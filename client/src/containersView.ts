/**
 * The Containers view: the containers Cloche created (`cloche containers list --format json`, found
 * by Cloche's label, so other tools' containers on the same daemon never show), with a shell in a
 * terminal, reset (a fresh container from the same image) and destroy. This workspace's containers
 * (their `cloche.workspace` label is in or around a workspace folder) come first; Cloche's others
 * (other workspaces, tests, image builds) wait under a collapsed "Other Cloche containers" row.
 * The list refreshes after each dry run, converge and test, and on demand.
 */
import * as vscode from 'vscode';
import { EngineCliError } from './engineCli';
import { showEngineError, type EngineDeps } from './engineUi';
import { runtimeFlags } from './engineTarget';
import { splitByWorkspace, type ContainerRow } from './containerRows';

export type { ContainerRow } from './containerRows';

export const CONTAINERS_VIEW_ID = 'cloche.containers';
const LIST_TIMEOUT_MS = 30_000;
const CHANGE_TIMEOUT_MS = 120_000;

/** The row that holds Cloche's containers of other workspaces. */
interface OthersRow { kind: 'others'; rows: ContainerRow[] }
type Row = ContainerRow | OthersRow;
const isOthers = (r: Row): r is OthersRow => (r as OthersRow).kind === 'others';

export class ContainersView implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Row>;

  constructor(private readonly deps: EngineDeps & { runtimeCli: () => string }) {
    this.view = vscode.window.createTreeView(CONTAINERS_VIEW_ID, { treeDataProvider: this });
  }

  refresh(): void { this.changed.fire(); }

  async getChildren(row?: Row): Promise<Row[]> {
    if (row) return isOthers(row) ? row.rows : [];
    if (!vscode.workspace.isTrusted) { this.view.message = 'Containers are off in an untrusted workspace.'; return []; }
    try {
      const { value } = await this.deps.cli.json<ContainerRow[]>({ args: ['containers', 'list', '--format', 'json', ...runtimeFlags(this.deps.settings())], timeoutMs: LIST_TIMEOUT_MS });
      const { mine, others } = splitByWorkspace(value, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
      this.view.message = value.length ? (mine.length ? undefined : 'No container of this workspace; Cloche\'s others are below.')
        : 'No Cloche containers. Dry runs and converges remove theirs when they end; `--keep` keeps one.';
      return others.length ? [...mine, { kind: 'others', rows: others }] : mine;
    } catch (e) {
      this.view.message = e instanceof EngineCliError ? e.message : String(e);
      return [];
    }
  }

  getTreeItem(r: Row): vscode.TreeItem {
    if (isOthers(r)) {
      const item = new vscode.TreeItem(`Other Cloche containers (${r.rows.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = 'cloche.containers.others';
      item.tooltip = 'Containers Cloche made for other workspaces, tests or image builds';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      return item;
    }
    const c = r;
    const item = new vscode.TreeItem(c.name || c.id.slice(0, 12), vscode.TreeItemCollapsibleState.None);
    item.id = c.id;
    item.description = `${c.state} · ${c.image}`;
    item.tooltip = `${c.id}\nimage ${c.image}\nstate ${c.state}\ncreated ${c.created}${c.workspace ? `\nworkspace ${c.workspace}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(c.state === 'running' ? 'vm-running' : 'vm-outline');
    item.contextValue = 'container';
    return item;
  }

  /** A terminal with a shell inside the container. */
  openShell(c: ContainerRow | undefined): void {
    if (!c) return;
    const terminal = vscode.window.createTerminal({ name: `cloche: ${c.name || c.id.slice(0, 12)}`, shellPath: this.deps.runtimeCli(), shellArgs: ['exec', '-it', c.id, '/bin/sh', '-l'] });
    terminal.show();
  }

  async reset(c: ContainerRow | undefined): Promise<void> {
    if (!c) return;
    await this.change(`reset ${c.name}`, ['containers', 'reset', c.id, '--format', 'json']);
  }

  async destroy(c: ContainerRow | undefined): Promise<void> {
    if (!c) return;
    const ok = await vscode.window.showWarningMessage(`Destroy container ${c.name || c.id.slice(0, 12)}? Its files are lost.`, { modal: true }, 'Destroy');
    if (ok) await this.change(`destroy ${c.name}`, ['containers', 'destroy', c.id, '--format', 'json']);
  }

  private async change(what: string, args: string[]): Promise<void> {
    try {
      await vscode.window.withProgress({ location: { viewId: CONTAINERS_VIEW_ID } }, () =>
        this.deps.cli.json({ args: [...args, ...runtimeFlags(this.deps.settings())], timeoutMs: CHANGE_TIMEOUT_MS }));
    } catch (e) {
      await showEngineError(what, e, this.deps.log);
    }
    this.refresh();
  }

  dispose(): void { this.view.dispose(); this.changed.dispose(); }
}
