/**
 * The Resource Graph preview: a webview panel beside the editor (like Markdown preview), restored after
 * reloads by a serializer. It asks the server for `cloche/graph`, re-asks (debounced) as documents of the
 * shown cookbook change, highlights the resources under the cursor, reveals a resource's source on click
 * and saves exports. All traffic uses the typed messages of client/webview/messages.ts.
 */
import * as vscode from 'vscode';
import { whenRunning } from './client';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GraphRequest, type GraphParams } from '../../server/src/customMethods';
import type { Graph } from '../../server/src/protocol';
import type { ExportFormat, FromWebview, GraphRunDiff, GraphSource, GraphViewState, NodePlanStatus, ToWebview } from '../webview/messages';
import { isFromWebview } from '../webview/messages';
import { webviewHtml } from './webviewHtml';

export const GRAPH_VIEW_TYPE = 'cloche.resourceGraph';

export interface GraphPanelDeps {
  extensionUri: vscode.Uri;
  client: () => LanguageClient | undefined;
  log: vscode.LogOutputChannel;
  updateDelayMs: () => number;
  platforms: () => Promise<string[]>;
  /** Node statuses of the last dry run (empty when there is none). */
  planStatuses: () => NodePlanStatus[];
  /** The current run comparison's marks and the run they are for (null when nothing is compared). */
  runDiff: () => ShownRunDiff | null;
}

/** A comparison's marks for the graph of one run (its working side's run list and platform). */
export interface ShownRunDiff { marks: GraphRunDiff; runList: string[]; platform: string }

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private platform: string | undefined;
  private graph: Graph | undefined;
  private files = new Set<string>();

  /** Shows the graph of `source` in the one preview panel, beside the active editor. */
  static show(deps: GraphPanelDeps, source: GraphSource): GraphPanel {
    if (GraphPanel.current) {
      GraphPanel.current.source = source;
      GraphPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      void GraphPanel.current.refresh();
      return GraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Resource Graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, GraphPanel.options(deps.extensionUri));
    return (GraphPanel.current = new GraphPanel(panel, deps, source));
  }

  /** Restores a panel VS Code kept across a reload, from the state the webview saved. */
  static revive(panel: vscode.WebviewPanel, deps: GraphPanelDeps, state: GraphViewState | undefined): void {
    panel.webview.options = GraphPanel.options(deps.extensionUri);
    const source = state?.source ?? sourceOfEditor(vscode.window.activeTextEditor);
    if (!source) { panel.dispose(); return; }
    GraphPanel.current = new GraphPanel(panel, deps, source, state?.platform);
  }

  static get active(): GraphPanel | undefined { return GraphPanel.current; }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')], enableFindWidget: false };
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly deps: GraphPanelDeps, private source: GraphSource, platform?: string) {
    this.platform = platform;
    const web = panel.webview;
    const root = vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview');
    web.html = webviewHtml({
      cspSource: web.cspSource,
      scriptUri: web.asWebviewUri(vscode.Uri.joinPath(root, 'graph.js')).toString(),
      styleUri: web.asWebviewUri(vscode.Uri.joinPath(root, 'graph.css')).toString(),
      title: 'Resource Graph',
    });
    this.disposables.push(
      web.onDidReceiveMessage((m: unknown) => { if (isFromWebview(m)) void this.receive(m); }),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onEdit(d)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
    );
  }

  private post(m: ToWebview): void { void this.panel.webview.postMessage(m); }

  /** Sends the webview a plan's statuses (after a dry run; an empty list clears them). */
  showPlanStatuses(statuses: NodePlanStatus[]): void { this.post({ type: 'planStatus', statuses }); }

  /** Sends the comparison's marks when they are for the drawn run (same run list and platform); else clears them. */
  showRunDiff(): void {
    if (!this.graph) return;
    const d = this.deps.runDiff();
    const forThis = d && d.platform === this.graph.platform && d.runList.join('\n') === this.graph.runList.join('\n');
    this.post({ type: 'runDiff', diff: forThis ? d.marks : null });
  }

  requestExport(format: ExportFormat): void { this.post({ type: 'requestExport', format }); }

  private async receive(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        if (m.state?.platform && !this.platform) this.platform = m.state.platform;
        await this.refresh();
        return;
      case 'reveal':
        await this.reveal(m.location);
        return;
      case 'setPlatform':
        this.platform = m.platform;
        await this.refresh();
        return;
      case 'export':
        await this.save(m.format, m.content, m.suggestedName);
        return;
      case 'rendered':
        this.deps.log.trace(`graph #${m.seq}: ${m.nodes} nodes, ${m.edges} edges; layout ${m.layoutMs.toFixed(0)} ms, draw ${m.renderMs.toFixed(0)} ms${m.complete ? '' : ' (refining)'}`);
        return;
      case 'log':
        this.deps.log[m.level](m.message);
        return;
      default: {
        const never: never = m;
        this.deps.log.warn(`graph webview sent an unknown message: ${JSON.stringify(never)}`);
      }
    }
  }

  /** Asks the server for the graph; a newer request makes the webview drop older answers (`seq`). */
  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.panel.title = `Graph: ${this.source.label}`;
    const client = await whenRunning(this.deps.client());
    if (seq !== this.seq) return;
    if (!client) {
      this.post({ type: 'error', message: 'The Cloche language server is not running. Run "Cloche: Show Output" to see why, or "Cloche: Restart Language Server".' });
      return;
    }
    this.post({ type: 'loading', source: this.source });
    const params: GraphParams = { platform: this.platform };
    if (this.source.kind === 'document') params.uri = this.source.uri;
    else if (this.source.kind === 'cookbook') params.cookbook = this.source.cookbook;
    else params.runList = this.source.runList;
    try {
      const [graph, platforms] = await Promise.all([client.sendRequest(GraphRequest, params), this.deps.platforms()]);
      if (seq !== this.seq) return;
      if (!graph) {
        this.post({ type: 'error', message: `${this.source.label} is not part of a cookbook (no metadata.rb above it).` });
        return;
      }
      this.graph = graph;
      this.files = new Set([...graph.recipes.map((r) => r.file), ...graph.resources.map((r) => r.location.file)]);
      this.post({ type: 'graph', seq, graph, source: this.source, platforms });
      const statuses = this.deps.planStatuses();
      if (statuses.length) this.post({ type: 'planStatus', statuses });
      this.showRunDiff();
      const editor = vscode.window.activeTextEditor;
      if (editor) this.onCursor(editor);
    } catch (e) {
      this.deps.log.error(`cloche/graph failed: ${e instanceof Error ? e.message : String(e)}`);
      if (seq === this.seq) this.post({ type: 'error', message: 'The graph could not be computed; see "Cloche: Show Output".' });
    }
  }

  private onEdit(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file' || !this.concerns(doc.uri.fsPath)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), this.deps.updateDelayMs());
  }

  /** Whether a file can change the graph: one it shows, or any file of the shown cookbooks. */
  private concerns(file: string): boolean {
    if (this.files.has(file)) return true;
    const roots = this.graph ? this.graph.recipes.map((r) => r.file.replace(/[\\/]recipes[\\/][^\\/]+$/, '')) : [];
    return roots.some((r) => file.startsWith(r + '/') || file.startsWith(r + '\\'));
  }

  private onCursor(editor: vscode.TextEditor): void {
    if (!this.graph || !this.files.has(editor.document.uri.fsPath)) return;
    const file = editor.document.uri.fsPath;
    const line = editor.selection.active.line + 1;
    const ids = this.graph.resources
      .filter((r) => r.location.file === file && r.location.line <= line && line <= (r.location.endLine ?? r.location.line))
      .map((r) => r.id);
    this.post({ type: 'highlight', resourceIds: ids.slice(-1) });
  }

  private async reveal(loc: { file: string; line: number; column: number; endLine?: number; endColumn?: number }): Promise<void> {
    const pos = new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, loc.column - 1));
    const column = vscode.window.visibleTextEditors.find((e) => e.viewColumn !== this.panel.viewColumn)?.viewColumn ?? vscode.ViewColumn.One;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(loc.file));
    await vscode.window.showTextDocument(doc, { viewColumn: column, selection: new vscode.Range(pos, pos), preserveFocus: false });
  }

  private async save(format: ExportFormat, content: string, suggestedName: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const filters: Record<ExportFormat, Record<string, string[]>> = { svg: { SVG: ['svg'] }, dot: { Graphviz: ['dot', 'gv'] }, mermaid: { Mermaid: ['mmd', 'md'] } };
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, suggestedName) : undefined, filters: filters[format] });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    this.deps.log.info(`graph exported to ${target.fsPath}`);
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** What "Open Resource Graph" means for an editor: its recipe, or its cookbook for other files. */
export function sourceOfEditor(editor: vscode.TextEditor | undefined): GraphSource | undefined {
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const p = editor.document.uri.path;
  const m = /\/([^/]+)\/recipes\/([^/]+)\.(rb|ya?ml)$/.exec(p);
  return { kind: 'document', uri: editor.document.uri.toString(), label: m ? `${m[1]}::${m[2]}` : vscode.workspace.asRelativePath(editor.document.uri) };
}
