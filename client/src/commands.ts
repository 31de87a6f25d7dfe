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
  restartServer: { id: 'cloche.restartServer', title: 'Restart Language Server' },
  showOutput: { id: 'cloche.showOutput', title: 'Show Output' },
} as const satisfies Record<string, { id: string; title: string; icon?: string }>;

export type CommandName = keyof typeof COMMANDS;

/** The category shown before every title in the Command Palette. */
export const COMMAND_CATEGORY = 'Cloche';
