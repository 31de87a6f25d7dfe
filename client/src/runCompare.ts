/**
 * "Cloche: Compare Run with HEAD" and "Compare Run with…" (a revision, another platform, another
 * kitchen suite): what the working tree's run differs from a baseline. The working side is the
 * language server's graph of the open documents, so the comparison follows typing; the baseline
 * is fixed for a revision (`cloche graph --revision`, read once per choice and run setup) and asked
 * again with the working side for the working tree on another platform or suite. The diff is
 * `chef/runDiff.ts`'s, computed here. It shows in the "Run Changes" tree (rows from
 * `runDiffTree.ts`, each opening its source line on its side: a revision's lines in a read-only
 * copy of the file at that commit), rendered content in the diff editor (`cloche-run-diff:`), and
 * as marks on the Resource Graph (`showGraphDiff`). "Stop Comparing Run" ends it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GraphRequest, RunStatusRequest, type RunStatus } from '../../server/src/customMethods';
import type { Graph, RenderedText, RunDiff, SourceLocation } from '../../server/src/protocol';
import { renderedTextForPeople } from '../../server/src/protocol';
import { diffRuns } from '../../server/src/chef/runDiff';
import type { GraphRunDiff } from '../webview/messages';
import { whenRunning } from './client';
import { abortOn, pickSubject, type EngineDeps } from './engineUi';
import type { EngineSubject } from './engineTarget';
import { commitOf, fileAt, recentCommits, repositoryOf } from './gitRevisions';
import { baselineRequest, comparisonLabels, graphRunDiff, workingParams, type Baseline, type RunInputSettings, type SuitePicked } from './runComparison';
import { runDiffRows, type RunDiffRow } from './runDiffTree';

export const RUN_DIFF_SCHEME = 'cloche-run-diff';
export const RUN_CHANGES_VIEW = 'cloche.runChanges';

const ICONS: Record<RunDiffRow['kind'], string> = { added: 'diff-added', removed: 'diff-removed', changed: 'diff-modified', 'may-change': 'question', order: 'arrow-swap', detail: 'circle-small' };

export interface RunCompareDeps extends EngineDeps {
  client: () => LanguageClient | undefined;
  updateDelayMs: () => number;
  platforms: () => Promise<string[]>;
  /** Whether a Resource Graph is open (it shows the comparison's marks, so edits compare again while it is). */
  graphShown: () => boolean;
  /** The diff's marks for the Resource Graph, with the run they belong to; null when the comparison ends. */
  showGraphDiff: (diff: { marks: GraphRunDiff; runList: string[]; platform: string } | null) => void;
}

/** A comparison the user started: what with what. */
interface Comparison { subject: EngineSubject; uri: string; baseline: Baseline }

export class RunCompare implements vscode.TreeDataProvider<RunDiffRow>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private diff: RunDiff | undefined;
  private rows: RunDiffRow[] = [];
  private comparison: Comparison | undefined;
  /** The revision baseline's graph, by the CLI arguments that made it (a new run setup or platform asks again). */
  private baselineCache: { key: string; graph: Graph } | undefined;
  private seq = 0;
  /** The folders of the cookbooks the working run's recipes and resources come from (edits there compare again). */
  private runCookbooks = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** An edit came while nothing showed the comparison: compare again when the view is shown. */
  private stale = false;
  private readonly treeChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly view: vscode.TreeView<RunDiffRow>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: RunCompareDeps) {
    this.view = vscode.window.createTreeView(RUN_CHANGES_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      vscode.workspace.registerTextDocumentContentProvider(RUN_DIFF_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onEdit(d)),
      this.view.onDidChangeVisibility((e) => { if (e.visible && this.stale) { this.stale = false; void this.compare(false); } }),
    );
  }

  /** Compares the active file's run (or `uri`'s) with HEAD. */
  async compareWithHead(uri?: vscode.Uri): Promise<void> {
    const subject = pickSubject(uri);
    if (!subject) return;
    const baseline = await this.revisionBaseline(subject, 'HEAD');
    if (baseline) await this.start(subject, baseline);
  }

  /**
   * Compares with a baseline the user picks (or `arg` gives: `{ revision }`, `{ platform }`,
   * `{ suite, kitchenPlatform? }` with `suite: null` for none — for keybindings and tests).
   */
  async compareWith(uri?: vscode.Uri, arg?: unknown): Promise<void> {
    const subject = pickSubject(uri);
    if (!subject) return;
    const given = arg && typeof arg === 'object' ? (arg as { revision?: unknown; platform?: unknown; suite?: unknown; kitchenPlatform?: unknown }) : undefined;
    let baseline: Baseline | undefined;
    if (typeof given?.revision === 'string') baseline = await this.revisionBaseline(subject, given.revision);
    else if (typeof given?.platform === 'string') baseline = { kind: 'platform', platform: given.platform };
    else if (given && 'suite' in given) baseline = { kind: 'suite', suite: typeof given.suite === 'string' ? given.suite : null, ...(typeof given.kitchenPlatform === 'string' ? { kitchenPlatform: given.kitchenPlatform } : {}) };
    else baseline = await this.pickBaseline(subject);
    if (baseline) await this.start(subject, baseline);
  }

  /** Ends the comparison: the view and the graph's marks cleared. */
  stop(): void {
    this.comparison = undefined;
    this.baselineCache = undefined;
    this.stale = false;
    this.seq++;
    clearTimeout(this.timer);
    this.diff = undefined;
    this.rows = [];
    this.view.message = undefined;
    void vscode.commands.executeCommand('setContext', 'cloche.hasRunChanges', false);
    this.deps.showGraphDiff(null);
    this.treeChanged.fire();
  }

  private async start(subject: EngineSubject, baseline: Baseline): Promise<void> {
    // The server's graph of a document: a recipe stands for itself, any other file of the cookbook for its default recipe.
    const active = vscode.window.activeTextEditor?.document.uri;
    const uri = (active?.scheme === 'file' && active.fsPath.startsWith(subject.cookbookDir + path.sep) ? active : vscode.Uri.file(subject.path)).toString();
    this.comparison = { subject, uri, baseline };
    this.baselineCache = undefined;
    await this.compare(true);
  }

  private async revisionBaseline(subject: EngineSubject, revision: string): Promise<Baseline | undefined> {
    const repo = await repositoryOf(subject.cookbookDir);
    if (!repo) { void vscode.window.showErrorMessage(`Cloche: ${subject.label} is not in a git repository (or git is not installed): compare it with another platform or suite instead ("Compare Run with…").`); return undefined; }
    const commit = await commitOf(repo, revision);
    if (!commit) { void vscode.window.showErrorMessage(`Cloche: "${revision}" is not a commit of the repository at ${repo}.`); return undefined; }
    return { kind: 'revision', revision, commit, repo };
  }

  private async pickBaseline(subject: EngineSubject): Promise<Baseline | undefined> {
    type Kind = vscode.QuickPickItem & { kind2: Baseline['kind'] };
    const kinds: Kind[] = [
      { label: '$(git-commit) A Git Revision…', description: 'the run at a commit, branch or tag', kind2: 'revision' },
      { label: '$(device-desktop) Another Platform…', description: 'the working tree on another platform profile', kind2: 'platform' },
      { label: '$(beaker) Another Kitchen Suite…', description: 'the working tree with another suite\'s run list and attributes', kind2: 'suite' },
    ];
    const kind = await vscode.window.showQuickPick(kinds, { title: `Compare the run of ${subject.label} with…` });
    if (!kind) return undefined;
    if (kind.kind2 === 'platform') {
      const platform = await vscode.window.showQuickPick(await this.deps.platforms(), { title: 'Compare with the run on platform' });
      return platform ? { kind: 'platform', platform } : undefined;
    }
    if (kind.kind2 === 'suite') {
      const status = await this.runStatus(vscode.Uri.file(subject.path).toString());
      if (!status?.kitchenFile) { void vscode.window.showInformationMessage(`Cloche: ${subject.label} has no kitchen file with suites to compare with.`); return undefined; }
      type SuiteItem = vscode.QuickPickItem & { suite: string | null; kitchenPlatform?: string };
      const items: SuiteItem[] = [
        { label: 'No suite', description: 'each recipe on its own', suite: null },
        ...status.suites.flatMap((s) => (s.platforms.length ? s.platforms : [undefined]).map((p): SuiteItem => ({ label: s.name, description: [p, s.runs].filter(Boolean).join(' · '), suite: s.name, ...(p ? { kitchenPlatform: p } : {}) }))),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Compare with the run of suite' });
      return pick ? { kind: 'suite', suite: pick.suite, ...(pick.kitchenPlatform ? { kitchenPlatform: pick.kitchenPlatform } : {}) } : undefined;
    }
    const repo = await repositoryOf(subject.cookbookDir);
    if (!repo) { void vscode.window.showErrorMessage(`Cloche: ${subject.label} is not in a git repository (or git is not installed).`); return undefined; }
    type RevItem = vscode.QuickPickItem & { revision?: string };
    const items: RevItem[] = [
      { label: '$(edit) Enter a Revision…', description: 'a branch, tag or commit' },
      ...(await recentCommits(repo)).map((c): RevItem => ({ label: c.short, description: c.subject, detail: [c.refs, c.when].filter(Boolean).join(' · '), revision: c.commit })),
    ];
    const item = await vscode.window.showQuickPick(items, { title: 'Compare with the run at revision', matchOnDescription: true });
    if (!item) return undefined;
    const revision = item.revision ?? await vscode.window.showInputBox({ title: 'Compare with the run at revision', value: 'HEAD~1', prompt: 'A branch, tag or commit of the repository' });
    return revision ? this.revisionBaseline(subject, revision) : undefined;
  }

  private onEdit(doc: vscode.TextDocument): void {
    const c = this.comparison;
    if (!c || doc.uri.scheme !== 'file' || !this.concerns(doc.uri.fsPath)) return;
    // Nothing shows it: no work per keystroke, the view compares again when it is shown.
    if (!this.view.visible && !this.deps.graphShown()) { this.stale = true; return; }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.compare(false), this.deps.updateDelayMs());
  }

  /** Whether an edit can change the compared run: a file of a cookbook its recipes or resources come from, or a metadata file. */
  private concerns(file: string): boolean {
    if (file.endsWith(`${path.sep}metadata.rb`)) return true;
    return [this.comparison?.subject.cookbookDir, ...this.runCookbooks].some((d) => d && file.startsWith(d + path.sep));
  }

  /** Computes the diff for the current comparison and shows it; a newer one drops older answers. */
  private async compare(reveal: boolean): Promise<void> {
    const c = this.comparison;
    if (!c) return;
    const seq = ++this.seq;
    const labels = comparisonLabels(c.baseline, undefined);
    const location = reveal ? vscode.ProgressLocation.Notification : { viewId: RUN_CHANGES_VIEW };
    await vscode.window.withProgress({ location, title: `Cloche: comparing ${c.subject.label}`, cancellable: reveal }, async (_p, token) => {
      try {
        const diff = await this.computeDiff(c, token);
        if (seq !== this.seq || !diff) return;
        this.show(diff);
        if (reveal) await vscode.commands.executeCommand(`${RUN_CHANGES_VIEW}.focus`);
      } catch (e) {
        if (seq !== this.seq) return;
        const why = e instanceof Error ? e.message : String(e);
        this.deps.log.error(`compare ${c.subject.label} with ${labels.from}: ${why}`);
        this.view.message = `Cannot compare with ${labels.from}: ${why}`;
        if (reveal) void vscode.window.showErrorMessage(`Cloche: cannot compare ${c.subject.label} with ${labels.from}: ${why}`);
      }
    });
  }

  private async computeDiff(c: Comparison, token: vscode.CancellationToken): Promise<RunDiff | undefined> {
    const client = await whenRunning(this.deps.client());
    if (!client) throw new Error('the Cloche language server is not running (see "Cloche: Show Output")');
    const status = await this.runStatus(c.uri);
    const picked: SuitePicked | undefined = status?.suite ? { suite: status.suite, ...(status.kitchenPlatform ? { kitchenPlatform: status.kitchenPlatform } : {}) } : undefined;
    const working = await client.sendRequest(GraphRequest, workingParams(c.uri, picked));
    if (!working) throw new Error(`${c.subject.label} is not part of a cookbook`);
    this.runCookbooks = new Set([...working.recipes.map((r) => r.file), ...working.resources.map((r) => r.location.file)].map((f) => path.dirname(path.dirname(f))));
    const request = baselineRequest(c.baseline, c.uri, c.subject.path, picked, working.platform, this.runInputs());
    const baseline = 'server' in request ? await client.sendRequest(GraphRequest, request.server) : await this.revisionGraph(request.cli, c, token);
    if (!baseline) return undefined;
    const labels = comparisonLabels(c.baseline, picked);
    return diffRuns(baseline, working, { from: { label: labels.from, ...(c.baseline.kind === 'revision' ? { commit: c.baseline.commit } : {}) }, to: { label: labels.to } });
  }

  /** The baseline at a revision, from the CLI (cached while its arguments stay the same). */
  private async revisionGraph(args: string[], c: Comparison, token: vscode.CancellationToken): Promise<Graph | undefined> {
    const key = JSON.stringify(args);
    if (this.baselineCache?.key === key) return this.baselineCache.graph;
    this.deps.log.info(`cloche ${args.join(' ')}`);
    const r = await this.deps.cli.run({ args, cwd: c.subject.cookbookDir, timeoutMs: 120_000, signal: abortOn(token) });
    if (r.cancelled) return undefined;
    if (r.stderr.trim()) this.deps.log.info(r.stderr.trim());
    let graph: Graph | undefined;
    try { graph = r.stdout.trim() ? (JSON.parse(r.stdout) as Graph) : undefined; } catch { graph = undefined; }
    if (!graph) throw new Error(r.timedOut ? 'reading the revision took longer than 2 minutes' : r.stderr.trim().split('\n').pop() ?? `exit ${r.code}`);
    this.baselineCache = { key, graph };
    return graph;
  }

  private async runStatus(uri: string): Promise<RunStatus | null> {
    const client = this.deps.client();
    try { return client?.isRunning() ? await client.sendRequest(RunStatusRequest, { uri }) : null; } catch { return null; }
  }

  /** The `cloche.run.*` settings the server's runs use, for the CLI's baseline. */
  private runInputs(): RunInputSettings {
    const run = vscode.workspace.getConfiguration('cloche.run');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const file = run.get<string>('attributesFile');
    const attributes = run.get<Record<string, unknown>>('attributes');
    const environment = run.get<string>('environment');
    const nodeName = this.deps.settings().run.nodeName;
    return {
      ...(file ? { attributesFile: path.resolve(folder, file) } : {}),
      ...(attributes && typeof attributes === 'object' ? { attributes } : {}),
      ...(environment ? { environment } : {}),
      ...(nodeName ? { nodeName } : {}),
    };
  }

  private show(diff: RunDiff): void {
    this.diff = diff;
    this.rows = runDiffRows(diff);
    const s = diff.summary;
    this.view.message = `${diff.from.label} → ${diff.to.label} (${diff.to.platform}): ${s.added} added, ${s.removed} removed, ${s.changed} changed, ${s.mayChange} may change, ${s.order} order`;
    void vscode.commands.executeCommand('setContext', 'cloche.hasRunChanges', true);
    this.deps.showGraphDiff({ marks: graphRunDiff(diff), runList: diff.to.runList, platform: diff.to.platform });
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
      item.command = { command: 'vscode.open', title: 'Open Source', arguments: [this.sourceUri(l, row.side), { selection: range, preview: true }] };
    }
    return item;
  }

  /** The file of a row's location: the working file, or for the baseline side of a revision its text at that commit. */
  private sourceUri(l: SourceLocation, side: RunDiffRow['side']): vscode.Uri {
    const b = this.comparison?.baseline;
    if (side !== 'from' || b?.kind !== 'revision') return vscode.Uri.file(l.file);
    return vscode.Uri.from({ scheme: RUN_DIFF_SCHEME, path: l.file, query: new URLSearchParams({ commit: b.commit, repo: b.repo }).toString() });
  }

  private contentUri(index: number, side: 'from' | 'to'): vscode.Uri {
    const id = this.diff?.changed[index]?.id ?? '';
    return vscode.Uri.from({ scheme: RUN_DIFF_SCHEME, path: '/' + id.replace(/[^\w.\-[\]]+/g, '_'), query: `i=${index}&side=${side}` });
  }

  /** Both sides' rendered content as people read it (holes as `«unknown: why»`), or a file at the baseline's commit. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const commit = q.get('commit');
    const repo = q.get('repo');
    if (commit && repo) return (await fileAt(repo, commit, uri.fsPath)) ?? `(${uri.fsPath} did not exist at ${commit.slice(0, 12)})`;
    const content = this.diff?.changed[Number(q.get('i'))]?.content;
    const text: RenderedText | undefined = q.get('side') === 'from' ? content?.from : content?.to;
    return text === undefined ? '' : renderedTextForPeople(text);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.treeChanged.dispose();
  }
}
