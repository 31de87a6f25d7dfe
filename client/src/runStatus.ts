/**
 * The run a document's cookbook is analysed with, as a language status item: the picked kitchen
 * suite (or "every recipe"), the platform profile and why, the run's inputs, and input problems.
 * Its command picks a suite and kitchen platform of the cookbook's kitchen file; diagnostics,
 * hovers and the graph follow. Picks are remembered per workspace and sent again when the server
 * starts.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PickSuiteNotification, RunStatusRequest, type PickSuiteParams, type RunStatus } from '../../server/src/customMethods';
import { COMMANDS } from './commands';
import { DOCUMENT_SELECTOR } from './client';

const PICKS_KEY = 'cloche.suitePicks';

export class RunStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('cloche.run', DOCUMENT_SELECTOR as vscode.DocumentSelector);
  private readonly disposables: vscode.Disposable[] = [];
  private status: RunStatus | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly state: vscode.Memento) {
    this.item.name = 'Cloche: the run';
    this.item.text = 'Cloche run …';
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor(() => this.refresh(0)));
  }

  /** The server (re)started: send the remembered picks, then show the active document's run. */
  async restore(): Promise<void> {
    const client = this.client();
    if (!client?.isRunning()) return;
    for (const p of Object.values(this.picks())) await client.sendNotification(PickSuiteNotification, p);
    this.refresh(0);
  }

  refresh(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.ask(), delayMs);
  }

  private picks(): Record<string, PickSuiteParams> {
    return this.state.get<Record<string, PickSuiteParams>>(PICKS_KEY) ?? {};
  }

  private async ask(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client();
    if (!doc || !client?.isRunning() || vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, doc) === 0) return;
    try { this.status = await client.sendRequest(RunStatusRequest, { uri: doc.uri.toString() }); } catch { this.status = null; }
    const s = this.status;
    if (!s) { this.item.text = 'Cloche run: not in a cookbook'; this.item.detail = undefined; this.item.command = undefined; return; }
    const what = s.suite ? `suite ${s.suite}${s.kitchenPlatform ? ` on ${s.kitchenPlatform}` : ''}` : 'every recipe';
    this.item.text = `Cloche run: ${what} · ${s.platform}`;
    const detail = [`platform from ${s.platformFrom}`, ...(s.inputs.length ? [`inputs: ${s.inputs.join(', ')}`] : []), ...s.errors];
    this.item.detail = detail.join('; ');
    this.item.severity = s.errors.length ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    this.item.command = s.kitchenFile ? { command: COMMANDS.selectSuite.id, title: 'Choose suite…' } : undefined;
  }

  /**
   * Picks a suite (and kitchen platform) for the active document's cookbook. `arg` (`{ suite,
   * kitchenPlatform }`, suite null for none) picks without asking, for keybindings and tests.
   */
  async choose(arg?: unknown): Promise<void> {
    await this.ask();
    const s = this.status;
    const client = this.client();
    if (!s?.kitchenFile || !client) { void vscode.window.showInformationMessage('The active cookbook has no kitchen file (kitchen.yml) to take a suite from.'); return; }
    let pick: PickSuiteParams | undefined;
    const given = arg && typeof arg === 'object' ? (arg as { suite?: string | null; kitchenPlatform?: string }) : undefined;
    if (given && 'suite' in given) {
      pick = { kitchenFile: s.kitchenFile, ...(given.suite ? { suite: given.suite } : {}), ...(given.kitchenPlatform ? { kitchenPlatform: given.kitchenPlatform } : {}) };
    } else {
      const none = { label: 'No suite', description: 'every recipe of the cookbook, with the settings\' inputs', suite: undefined as string | undefined };
      const chosen = await vscode.window.showQuickPick([none, ...s.suites.map((x) => ({ label: x.name, description: x.runs, detail: x.platforms.join(', '), suite: x.name as string | undefined }))], { title: `Kitchen suite for ${vscode.workspace.asRelativePath(s.kitchenFile)}` });
      if (!chosen) return;
      pick = { kitchenFile: s.kitchenFile, ...(chosen.suite ? { suite: chosen.suite } : {}) };
      const platforms = s.suites.find((x) => x.name === chosen.suite)?.platforms ?? [];
      if (chosen.suite && platforms.length > 1) {
        const p = await vscode.window.showQuickPick(platforms, { title: `Kitchen platform for suite ${chosen.suite} (its attributes and run list; a profile name also picks the platform)` });
        if (p) pick.kitchenPlatform = p;
      }
    }
    await client.sendNotification(PickSuiteNotification, pick);
    await this.state.update(PICKS_KEY, { ...this.picks(), [s.kitchenFile]: pick });
    this.refresh(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
