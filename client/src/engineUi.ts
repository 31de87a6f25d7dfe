/**
 * What the container features share in the editor: the CLI runner, the settings, the log, and one way
 * to tell the user that a run failed — with what to do when the cause is the environment (no runtime,
 * daemon down, image missing), which the CLI marks with exit code 2.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { EngineCli, EngineCliError } from './engineCli';
import type { ClientSettings } from './settings';
import { subjectOf, type EngineSubject } from './engineTarget';

export interface EngineDeps {
  cli: EngineCli;
  settings: () => ClientSettings;
  log: vscode.LogOutputChannel;
}

/** Shows why a container command failed; environment problems offer the runtime check. */
export async function showEngineError(what: string, e: unknown, log: vscode.LogOutputChannel): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  log.error(`${what}: ${message}`);
  if (e instanceof EngineCliError && e.result.cancelled) {
    void vscode.window.showInformationMessage(`Cloche: ${what} cancelled; its container was removed.`);
    return;
  }
  const env = e instanceof EngineCliError && e.isEnvironment;
  const actions = env ? ['Check Runtime', 'Show Output'] : ['Show Output'];
  const picked = await vscode.window.showErrorMessage(`Cloche: ${what} failed: ${message}`, ...actions);
  if (picked === 'Check Runtime') void vscode.commands.executeCommand(COMMANDS.doctor.id);
  else if (picked === 'Show Output') log.show();
}

/** The recipe or cookbook of a URI (or of the active editor); tells the user when there is none. */
export function pickSubject(uri: vscode.Uri | undefined): EngineSubject | undefined {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  const subject = target?.scheme === 'file' ? subjectOf(target.fsPath) : undefined;
  if (!subject) void vscode.window.showInformationMessage('Cloche: open a recipe (or any file of a cookbook) first.');
  return subject;
}

/** An AbortSignal that follows a cancellation token. */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}

/** Refuses when the workspace is not trusted (nothing executes there); true when it may run. */
export function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(`Cloche: ${what} runs containers, which is off in an untrusted workspace. Trust the workspace to use it.`, 'Manage Workspace Trust')
    .then((p) => { if (p) void vscode.commands.executeCommand('workbench.trust.manage'); });
  return false;
}
