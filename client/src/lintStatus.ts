/**
 * The linter's language status item on Ruby files: which program lints (Cookstyle or RuboCop, its
 * version), or why none does — not installed (what to install), off, an untrusted workspace, a run that
 * timed out or failed. Fed by the server's `cloche/lintStatus`, which says each state once; nothing
 * here pops up, so a missing linter costs the user one quiet line, never an error per file.
 */
import * as vscode from 'vscode';
import type { LintStatus } from '../../server/src/customMethods';
import { COMMANDS } from './commands';
import { DOCUMENT_SELECTOR } from './client';

/** The Ruby files the server lints: the Ruby part of the language client's selector. */
const RUBY_FILES = (DOCUMENT_SELECTOR as vscode.DocumentFilter[]).filter((f) => typeof f === 'object' && f.language === 'ruby');

export class LintStatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('cloche.lint', RUBY_FILES);

  constructor() {
    this.item.name = 'Cloche: lint and format';
    this.item.text = 'Lint: not run yet';
  }

  update(s: LintStatus): void {
    const shown = statusShown(s);
    this.item.text = shown.text;
    this.item.severity = shown.warn ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.command = shown.command;
    this.item.detail = s.message;
    this.item.busy = false;
  }

  dispose(): void {
    this.item.dispose();
  }
}

const settings = (section: string): vscode.Command => ({ title: 'Settings', command: 'workbench.action.openSettings', arguments: [section] });

/** What the item says for a state, and what clicking it does. */
function statusShown(s: LintStatus): { text: string; warn?: boolean; command: vscode.Command } {
  switch (s.state) {
    case 'ready': return { text: `$(check) Lint: ${s.tool}${s.version ? ` ${s.version}` : ''}`, command: settings('cloche.lint') };
    case 'missing': return { text: 'Lint: not installed', command: settings('cloche.lint') };
    case 'off': return { text: 'Lint: off', command: settings('cloche.lint.run') };
    case 'untrusted': return { text: '$(shield) Lint: off (untrusted)', command: { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' } };
    case 'timeout': case 'failed':
      return { text: `$(warning) Lint: ${s.state === 'timeout' ? 'timed out' : 'failed'}`, warn: true, command: { title: 'Show Output', command: COMMANDS.showOutput.id } };
  }
}
