/**
 * Every command Cloche contributes, in one table: id, title, and where it shows. Pure data (no vscode
 * import) so a unit test keeps it in step with package.json `contributes.commands`; extension.ts binds a
 * handler to each name, and the compiler insists on one handler per entry.
 */
export const COMMANDS = {
  openResourceGraph: { id: 'cloche.openResourceGraph', title: 'Open Resource Graph', icon: '$(type-hierarchy)' },
  openResourceGraphForCookbook: { id: 'cloche.openResourceGraphForCookbook', title: 'Open Resource Graph for Cookbook…' },
  openResourceGraphForRunList: { id: 'cloche.openResourceGraphForRunList', title: 'Open Resource Graph for Run List…' },
  exportGraphSvg: { id: 'cloche.graph.exportSvg', title: 'Export Resource Graph as SVG' },
  exportGraphDot: { id: 'cloche.graph.exportDot', title: 'Export Resource Graph as DOT' },
  exportGraphMermaid: { id: 'cloche.graph.exportMermaid', title: 'Export Resource Graph as Mermaid' },
  selectPlatform: { id: 'cloche.selectPlatform', title: 'Select Platform Profile' },
  selectSuite: { id: 'cloche.selectSuite', title: 'Choose Kitchen Suite for This Cookbook' },
  restartServer: { id: 'cloche.restartServer', title: 'Restart Language Server' },
  showOutput: { id: 'cloche.showOutput', title: 'Show Output' },
  showFidelity: { id: 'cloche.showFidelity', title: 'Show What Cloche Does Not Know About This Run' },
  previewRenderedFile: { id: 'cloche.previewRenderedFile', title: 'Preview Rendered File', icon: '$(open-preview)' },
  revealLocation: { id: 'cloche.revealLocation', title: 'Go to Location' },
  compareRunWithHead: { id: 'cloche.compareRunWithHead', title: 'Compare Run with HEAD', icon: '$(git-compare)' },
  compareRunWith: { id: 'cloche.compareRunWith', title: 'Compare Run with…' },
  stopComparing: { id: 'cloche.stopComparing', title: 'Stop Comparing Run', icon: '$(close)' },
  dryRun: { id: 'cloche.dryRun', title: 'Dry Run in Container', icon: '$(beaker)' },
  converge: { id: 'cloche.converge', title: 'Converge in Throwaway Container' },
  revealPlanStep: { id: 'cloche.plan.revealStep', title: 'Open Source of Plan Step' },
  showPlanDiff: { id: 'cloche.plan.showDiff', title: 'Show Content Change', icon: '$(diff)' },
  whyWouldThisRun: { id: 'cloche.plan.why', title: 'Why Would This Run?', icon: '$(question)' },
  pickPlanStep: { id: 'cloche.plan.pickStep', title: 'Show the Plan Steps of This Line' },
  clearPlan: { id: 'cloche.plan.clear', title: 'Clear Dry Run Results', icon: '$(clear-all)' },
  refreshContainers: { id: 'cloche.containers.refresh', title: 'Refresh Containers', icon: '$(refresh)' },
  openContainerShell: { id: 'cloche.containers.shell', title: 'Open a Shell in Container', icon: '$(terminal)' },
  resetContainer: { id: 'cloche.containers.reset', title: 'Reset Container', icon: '$(discard)' },
  destroyContainer: { id: 'cloche.containers.destroy', title: 'Destroy Container', icon: '$(trash)' },
  doctor: { id: 'cloche.doctor', title: 'Check Container Runtime' },
  buildBaseImage: { id: 'cloche.buildBaseImage', title: 'Build the Local Base Image' },
} as const satisfies Record<string, { id: string; title: string; icon?: string }>;

export type CommandName = keyof typeof COMMANDS;

/** Commands that start processes or containers (a run comparison runs git): refused in untrusted workspaces (Workspace Trust). */
export const NEEDS_TRUST: readonly CommandName[] = [
  'compareRunWithHead', 'compareRunWith', 'dryRun', 'converge', 'refreshContainers', 'openContainerShell', 'resetContainer', 'destroyContainer', 'doctor', 'buildBaseImage',
];

/** The category shown before every title in the Command Palette. */
export const COMMAND_CATEGORY = 'Cloche';
