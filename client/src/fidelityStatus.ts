/**
 * A second language status item: how well Cloche knows the run of the active document's cookbook
 * (share of resources whose type, name, actions and properties are all known), with the most common
 * reasons for the rest; its command lists them and opens one. Asked for on editor changes and,
 * debounced, after edits.
 */
import * as vscode from 'vscode';
import { FidelityRequest } from '../../server/src/customMethods';
import type { FidelityStats } from '../../server/src/protocol';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS } from './commands';
import { DOCUMENT_SELECTOR } from './client';
import { fidelityLabel, fidelityPercent } from './fidelityText';

export class FidelityStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('cloche.fidelity', DOCUMENT_SELECTOR as vscode.DocumentSelector);
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stats: FidelityStats | null = null;

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item.name = 'Cloche: how well the run is known';
    this.item.text = 'Cloche knows …';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh(0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === vscode.window.activeTextEditor?.document) this.refresh(1000); }),
    );
  }

  refresh(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.ask(), delayMs);
  }

  private async ask(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client();
    if (!doc || !client?.isRunning() || vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, doc) === 0) return;
    try {
      this.stats = await client.sendRequest(FidelityRequest, { uri: doc.uri.toString() });
    } catch {
      this.stats = null;
    }
    if (!this.stats) { this.item.text = 'Cloche: not in a cookbook'; this.item.detail = undefined; return; }
    const { text, detail } = fidelityLabel(this.stats);
    this.item.text = text;
    this.item.detail = detail;
    this.item.severity = fidelityPercent(this.stats) < 70 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = { command: COMMANDS.showFidelity.id, title: 'Why…' };
  }

  /** The reasons for what is unknown, each opening its first place. */
  async showReasons(): Promise<void> {
    const s = this.stats;
    if (!s?.reasons.length) { void vscode.window.showInformationMessage('Cloche knows every resource of this run.'); return; }
    const pick = await vscode.window.showQuickPick(s.reasons.map((r) => ({
      label: `${r.count} × ${r.reason}`,
      description: r.examples.map((l) => `${vscode.workspace.asRelativePath(l.file)}:${l.line}`).join(', '),
      loc: r.examples[0],
    })), { title: 'What Cloche does not know about this run, and why' });
    if (!pick?.loc) return;
    const doc = await vscode.workspace.openTextDocument(pick.loc.file);
    const pos = new vscode.Position(pick.loc.line - 1, pick.loc.column - 1);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
