/**
 * Activation builds objects and registers disposables, nothing else: the server starts in the
 * background, the container runtime is looked up in the background, and no command does work until run.
 */
import * as vscode from 'vscode';
import { COMMANDS, type CommandName } from './commands';
import { GRAPH_VIEW_TYPE, GraphPanel, sourceOfEditor, type GraphPanelDeps } from './graphPanel';
import { LanguageServer } from './languageServer';
import { readClientSettings, type ClientSettings } from './settings';
import { StatusItem } from './status';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Cloche', { log: true });
  let settings = readSettings();
  const status = new StatusItem(settings.platform);
  const server = new LanguageServer(context, log, status);
  const deps: GraphPanelDeps = {
    extensionUri: context.extensionUri,
    client: () => server.current,
    log,
    updateDelayMs: () => settings.graph.updateDelayMs,
    platforms: () => server.knownPlatforms(settings.platform),
  };
  const handlers: Record<CommandName, (...args: unknown[]) => unknown> = {
    openResourceGraph: (uri?: unknown) => openGraph(deps, uri instanceof vscode.Uri ? uri : undefined),
    openResourceGraphForCookbook: () => openCookbookGraph(deps),
    openResourceGraphForRunList: () => openRunListGraph(deps),
    exportGraphSvg: () => GraphPanel.active?.requestExport('svg'),
    exportGraphDot: () => GraphPanel.active?.requestExport('dot'),
    exportGraphMermaid: () => GraphPanel.active?.requestExport('mermaid'),
    selectPlatform: () => selectPlatform(server, settings.platform),
    restartServer: () => server.restart(),
    showOutput: () => log.show(),
  };
  context.subscriptions.push(
    log, status, server,
    ...Object.entries(handlers).map(([name, fn]) => vscode.commands.registerCommand(COMMANDS[name as CommandName].id, fn)),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => GraphPanel.revive(panel, deps, state as never),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('cloche')) return;
      settings = readSettings();
      status.setPlatform(settings.platform);
      if (e.affectsConfiguration('cloche.container.runtime')) void status.detectRuntime(settings.container.runtime);
    }),
  );
  void server.start();
  void status.detectRuntime(settings.container.runtime);
}

export function deactivate(): void {
  // Disposables registered in activate() stop the client.
}

function readSettings(): ClientSettings {
  const config = vscode.workspace.getConfiguration('cloche');
  return readClientSettings((key) => config.get(key));
}

async function openGraph(deps: GraphPanelDeps, uri: vscode.Uri | undefined): Promise<void> {
  const editor = uri ? await vscode.window.showTextDocument(uri, { preserveFocus: true }) : vscode.window.activeTextEditor;
  const source = sourceOfEditor(editor);
  if (!source) {
    void vscode.window.showInformationMessage('Open a recipe (or any file of a cookbook) first, or use "Cloche: Open Resource Graph for Cookbook…".');
    return;
  }
  GraphPanel.show(deps, source);
}

async function openCookbookGraph(deps: GraphPanelDeps): Promise<void> {
  const metadata = await vscode.workspace.findFiles('**/metadata.rb', '**/node_modules/**', 500);
  const names = [...new Set(metadata.map((u) => u.path.split('/').slice(-2, -1)[0]))].sort();
  if (!names.length) { void vscode.window.showInformationMessage('No cookbook (metadata.rb) in this workspace.'); return; }
  const cookbook = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'Cookbook whose default recipe to graph' });
  if (cookbook) GraphPanel.show(deps, { kind: 'cookbook', cookbook, label: `${cookbook}::default` });
}

async function openRunListGraph(deps: GraphPanelDeps): Promise<void> {
  const input = await vscode.window.showInputBox({
    prompt: 'Run list: recipes in order, separated by commas',
    placeHolder: 'webserver::default, monitoring::agent',
    validateInput: (v) => (v.split(',').every((s) => /^\s*(recipe\[)?[\w-]+(::[\w-]+)?\]?\s*$/.test(s)) ? undefined : 'Use cookbook or cookbook::recipe entries'),
  });
  if (!input) return;
  const runList = input.split(',').map((s) => s.trim().replace(/^recipe\[(.*)\]$/, '$1')).filter(Boolean);
  GraphPanel.show(deps, { kind: 'runList', runList, label: runList.join(', ') });
}

async function selectPlatform(server: LanguageServer, current: string): Promise<void> {
  const platforms = await server.knownPlatforms(current);
  const picked = await vscode.window.showQuickPick(platforms.map((p) => ({ label: p, description: p === current ? 'current' : undefined })), { placeHolder: 'Platform profile for diagnostics and the graph' });
  if (picked) await vscode.workspace.getConfiguration('cloche').update('platform', picked.label, vscode.ConfigurationTarget.Workspace);
}
