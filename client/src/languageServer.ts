/**
 * Owns the language client's lifecycle: start (never awaited at activation), restart, state → status item,
 * and start failures turned into a message that says what to do.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LintStatusNotification, PlatformsRequest, StatusNotification, WorkspaceTrustedNotification } from '../../server/src/customMethods';
import { createLanguageClient, describeState } from './client';
import { COMMANDS } from './commands';
import type { StatusItem } from './status';
import type { LintStatusItem } from './lintStatus';

export class LanguageServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private platforms: string[] | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel, private readonly status: StatusItem, private readonly lintStatus?: LintStatusItem) {}

  get current(): LanguageClient | undefined { return this.client; }

  async start(): Promise<void> {
    const client = createLanguageClient(this.context, this.log);
    this.client = client;
    client.onDidChangeState((e) => this.status.setClientState(describeState(e.newState)));
    try {
      await client.start();
      client.onNotification(StatusNotification, (s) => this.status.setServerStatus(s));
      client.onNotification(LintStatusNotification, (s) => this.lintStatus?.update(s));
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      this.log.error(`language server failed to start: ${detail}`);
      this.status.setFailure(`The language server did not start: ${detail}`);
      const action = await vscode.window.showErrorMessage(
        'Cloche: the language server did not start. Check that the extension is fully installed (dist/server.js) and that Node can run it; the output has the details.',
        'Show Output', 'Restart');
      if (action === 'Show Output') this.log.show();
      else if (action === 'Restart') void vscode.commands.executeCommand(COMMANDS.restartServer.id);
    }
  }

  async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (old) await old.dispose().catch((e: unknown) => this.log.warn(`stopping the server: ${String(e)}`));
    await this.start();
  }

  /** The user trusted the workspace: the server may run the linter from now on (it started with `trusted: false`). */
  workspaceTrusted(): void {
    if (this.client?.isRunning()) void this.client.sendNotification(WorkspaceTrustedNotification);
  }

  /** Platform profiles the server knows (asked once); falls back to the configured one. */
  async knownPlatforms(fallback: string): Promise<string[]> {
    if (this.platforms) return this.platforms;
    try {
      if (this.client?.isRunning()) this.platforms = await this.client.sendRequest(PlatformsRequest, undefined);
    } catch (e) {
      this.log.warn(`cloche/platforms: ${String(e)}`);
    }
    return this.platforms ?? [fallback];
  }

  dispose(): void { void this.client?.dispose(); }
}
