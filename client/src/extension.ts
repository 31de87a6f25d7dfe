/**
 * Activation builds objects and registers disposables, nothing else: the server starts in the
 * background, the container runtime is looked up in the background, and no command does work until run.
 */
import * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from './client';
import { COMMANDS, NEEDS_TRUST, type CommandName } from './commands';
import { ContainersView, type ContainerRow } from './containersView';
import { convergeCommand } from './converge';
import { dryRun, planStatuses } from './dryRun';
import { EngineCli } from './engineCli';
import { trusted, type EngineDeps } from './engineUi';
import { GRAPH_VIEW_TYPE, GraphPanel, sourceOfEditor, type GraphPanelDeps, type ShownRunDiff } from './graphPanel';
import { LanguageServer } from './languageServer';
import { pickPlanStep, revealPlanStep, whyWouldThisRun } from './plan/planCommands';
import { PlanDiff } from './plan/planDiff';
import { PlanLenses } from './plan/planLenses';
import { PlanStore } from './plan/planStore';
import { PlanView } from './plan/planView';
import { planStepOf } from './plan/stepArgument';
import { RecipeTests } from './recipeTests';
import { buildBaseImage, doctor } from './runtimeSetup';
import { readClientSettings, type ClientSettings } from './settings';
import { StatusItem } from './status';
import { FidelityStatus } from './fidelityStatus';
import { RunStatusItem } from './runStatus';
import { RenderedPreview } from './renderedPreview';
import { revealLocation } from './revealLocation';
import { RunCompare } from './runCompare';
import { LintStatusItem } from './lintStatus';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Cloche', { log: true });
  let settings = readSettings();
  const status = new StatusItem(settings.platform);
  const lintStatus = new LintStatusItem();
  const server = new LanguageServer(context, log, status, lintStatus);
  const fidelity = new FidelityStatus(() => server.current);
  const run = new RunStatusItem(() => server.current, context.workspaceState);
  const rendered = new RenderedPreview(() => server.current, log);
  status.onReady(() => fidelity.refresh(300));
  status.onReady(() => void run.restore().then(() => fidelity.refresh(300)));
  const store = new PlanStore();
  const deps: GraphPanelDeps = {
    extensionUri: context.extensionUri,
    client: () => server.current,
    log,
    updateDelayMs: () => settings.graph.updateDelayMs,
    platforms: () => server.knownPlatforms(settings.platform),
    planStatuses: () => (store.plan ? planStatuses(store.plan.plan) : []),
    runDiff: () => shownRunDiff,
  };
  const engine: EngineDeps = { cli: new EngineCli(context.asAbsolutePath('dist/cli.js')), settings: () => settings, log };
  const planView = new PlanView(store);
  const planDiff = new PlanDiff(store);
  let shownRunDiff: ShownRunDiff | null = null;
  const runCompare = new RunCompare({
    ...engine, client: () => server.current, updateDelayMs: deps.updateDelayMs, platforms: deps.platforms, graphShown: () => !!GraphPanel.active,
    showGraphDiff: (d) => { shownRunDiff = d; GraphPanel.active?.showRunDiff(); },
  });
  const containers = new ContainersView({ ...engine, runtimeCli: () => status.runtime ?? 'docker' });
  const convergeOutput = vscode.window.createOutputChannel('Cloche Converge');
  const convergeProblems = vscode.languages.createDiagnosticCollection('cloche-converge');
  let tests: RecipeTests | undefined;
  const startTests = () => {
    if (tests || !vscode.workspace.isTrusted) return;
    tests = new RecipeTests({ ...engine, onRunEnd: () => containers.refresh() });
    context.subscriptions.push(tests);
  };
  const handlers: Record<CommandName, (...args: unknown[]) => unknown> = {
    openResourceGraph: (uri?: unknown) => openGraph(deps, asUri(uri)),
    openResourceGraphForCookbook: () => openCookbookGraph(deps),
    openResourceGraphForRunList: () => openRunListGraph(deps),
    exportGraphSvg: () => GraphPanel.active?.requestExport('svg'),
    exportGraphDot: () => GraphPanel.active?.requestExport('dot'),
    exportGraphMermaid: () => GraphPanel.active?.requestExport('mermaid'),
    selectPlatform: () => selectPlatform(server, settings.platform),
    selectSuite: async (arg?: unknown) => { await run.choose(arg); fidelity.refresh(500); void GraphPanel.active?.refresh(); },
    restartServer: () => server.restart(),
    showOutput: () => log.show(),
    showFidelity: () => fidelity.showReasons(),
    previewRenderedFile: (arg?: unknown) => rendered.show(arg),
    revealLocation: (arg?: unknown) => revealLocation(arg),
    compareRunWithHead: (uri?: unknown) => runCompare.compareWithHead(asUri(uri)),
    compareRunWith: (uri?: unknown, arg?: unknown) => runCompare.compareWith(asUri(uri), arg),
    stopComparing: () => runCompare.stop(),
    dryRun: async (uri?: unknown) => {
      await dryRun({ ...engine, store, revealPlan: () => planView.reveal(), showGraphStatuses: (st) => GraphPanel.active?.showPlanStatuses(st) }, asUri(uri));
      containers.refresh();
    },
    converge: async (uri?: unknown) => {
      await convergeCommand({ ...engine, output: convergeOutput, problems: convergeProblems }, asUri(uri));
      containers.refresh();
    },
    revealPlanStep: (arg?: unknown, inView?: unknown) => revealPlanStep(planStepOf(arg), inView === true ? (s) => planView.revealStep(s) : undefined),
    showPlanDiff: (arg?: unknown) => planDiff.show(arg),
    whyWouldThisRun: (arg?: unknown) => whyWouldThisRun(store, arg),
    pickPlanStep: (arg?: unknown) => pickPlanStep(store, arg, { diff: (s) => planDiff.show(s), row: (s) => planView.revealStep(s) }),
    clearPlan: () => { store.clear(); GraphPanel.active?.showPlanStatuses([]); },
    refreshContainers: () => containers.refresh(),
    openContainerShell: (row?: unknown) => containers.openShell(row as ContainerRow | undefined),
    resetContainer: (row?: unknown) => containers.reset(row as ContainerRow | undefined),
    destroyContainer: (row?: unknown) => containers.destroy(row as ContainerRow | undefined),
    doctor: () => doctor({ ...engine, onDone: () => void status.detectRuntime(settings.container.runtime) }),
    buildBaseImage: (args?: unknown) => buildBaseImage(engine, args),
  };
  const guarded = (name: CommandName, fn: (...args: unknown[]) => unknown) =>
    NEEDS_TRUST.includes(name) ? (...args: unknown[]) => (trusted(COMMANDS[name].title) ? fn(...args) : undefined) : fn;
  context.subscriptions.push(
    log, status, lintStatus, fidelity, run, rendered, server, store, planView, planDiff, runCompare, containers, convergeOutput, convergeProblems,
    new PlanLenses(store, DOCUMENT_SELECTOR as vscode.DocumentSelector),
    ...Object.entries(handlers).map(([name, fn]) => vscode.commands.registerCommand(COMMANDS[name as CommandName].id, guarded(name as CommandName, fn))),
    vscode.workspace.onDidGrantWorkspaceTrust(() => { startTests(); containers.refresh(); server.workspaceTrusted(); }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => GraphPanel.revive(panel, deps, state as never),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('cloche')) return;
      settings = readSettings();
      status.setPlatform(settings.platform);
      run.refresh(500);
      if (e.affectsConfiguration('cloche.container.runtime')) void status.detectRuntime(settings.container.runtime);
    }),
  );
  startTests();
  void server.start();
  void status.detectRuntime(settings.container.runtime);
}

function asUri(v: unknown): vscode.Uri | undefined {
  return v instanceof vscode.Uri ? v : undefined;
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
  const platforms = ['auto', ...(await server.knownPlatforms(current)).filter((p) => p !== 'auto')];
  const picked = await vscode.window.showQuickPick(platforms.map((p) => ({ label: p, description: p === current ? 'current' : p === 'auto' ? 'a picked kitchen platform, else what each cookbook supports' : undefined })), { placeHolder: 'Platform profile for diagnostics and the graph' });
  if (picked) await vscode.workspace.getConfiguration('cloche').update('platform', picked.label, vscode.ConfigurationTarget.Workspace);
}
