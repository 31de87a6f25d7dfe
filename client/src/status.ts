/**
 * The language status item next to the language indicator: server state, platform profile, and whether a
 * container runtime is installed (found on PATH; the container driver checks the daemon when it runs).
 */
import * as vscode from 'vscode';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { StatusParams } from '../../server/src/customMethods';
import { COMMANDS } from './commands';
import { DOCUMENT_SELECTOR } from './client';

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private server: StatusParams | undefined;
  private clientState: 'starting' | 'running' | 'stopped' | 'failed' = 'starting';
  private failure?: string;
  private found?: string | null;

  constructor(private platform: string) {
    this.item = vscode.languages.createLanguageStatusItem('cloche.status', DOCUMENT_SELECTOR as vscode.DocumentSelector);
    this.item.name = 'Cloche';
    this.render();
  }

  setClientState(state: 'starting' | 'running' | 'stopped'): void { this.clientState = state; this.failure = undefined; this.render(); }
  setFailure(message: string): void { this.clientState = 'failed'; this.failure = message; this.render(); }
  setServerStatus(s: StatusParams): void {
    this.server = s;
    this.platform = s.platform;
    this.render();
    if (s.state === 'ready') for (const l of this.readyListeners) l();
  }

  /** Called each time the server says it is ready (indexed, platform changed). */
  onReady(listener: () => void): void { this.readyListeners.push(listener); }
  private readonly readyListeners: (() => void)[] = [];
  setPlatform(p: string): void { this.platform = p; this.render(); }

  /** The container CLI found on PATH (docker or podman), once looked up. */
  get runtime(): string | undefined { return this.found ?? undefined; }

  /** Looks for docker / podman on PATH without starting any process. */
  async detectRuntime(preferred: 'auto' | 'docker' | 'podman'): Promise<void> {
    const names = preferred === 'auto' ? ['docker', 'podman'] : [preferred];
    const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    this.found = null;
    for (const name of names) {
      for (const dir of dirs) {
        try { await access(path.join(dir, name), constants.X_OK); this.found = name; this.render(); return; } catch { /* not here */ }
      }
    }
    this.render();
  }

  private render(): void {
    const i = this.item;
    const s = this.server;
    if (this.clientState === 'failed') {
      i.severity = vscode.LanguageStatusSeverity.Error;
      i.text = '$(error) Cloche';
      i.detail = this.failure;
      i.command = { command: COMMANDS.showOutput.id, title: 'Show output' };
      return;
    }
    const busy = this.clientState === 'starting' || s?.state === 'indexing' || s?.state === 'busy';
    i.busy = busy;
    i.severity = s?.state === 'error' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    i.text = `Cloche: ${this.platform}`;
    const state = this.clientState !== 'running' ? this.clientState : s ? `${s.state}${s.cookbooks ? `, ${s.cookbooks} cookbook${s.cookbooks === 1 ? '' : 's'}` : ''}` : 'running';
    const runtime = this.found === undefined ? 'looking for a container runtime…' : this.found ? `${this.found} found` : 'no docker or podman found (dry runs need one)';
    i.detail = [state, runtime, s?.message].filter(Boolean).join(' · ');
    i.command = { command: COMMANDS.selectPlatform.id, title: 'Platform…' };
  }

  dispose(): void { this.item.dispose(); }
}
