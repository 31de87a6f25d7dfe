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
    const i = this.item;
    i.detail = s.message;
    i.busy = false;
    switch (s.state) {
      case 'ready':
        i.text = `$(check) Lint: ${s.tool}${s.version ? ` ${s.version}` : ''}`;
        i.severity = vscode.LanguageStatusSeverity.Information;
        i.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['cloche.lint'] };
        break;
      case 'missing':
        i.text = 'Lint: not installed';
        i.severity = vscode.LanguageStatusSeverity.Information;
        i.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['cloche.lint'] };
        break;
      case 'off':
        i.text = 'Lint: off';
        i.severity = vscode.LanguageStatusSeverity.Information;
        i.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['cloche.lint.run'] };
        break;
      case 'untrusted':
        i.text = '$(shield) Lint: off (untrusted)';
        i.severity = vscode.LanguageStatusSeverity.Information;
        i.command = { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' };
        break;
      case 'timeout':
      case 'failed':
        i.text = `$(warning) Lint: ${s.state === 'timeout' ? 'timed out' : 'failed'}`;
        i.severity = vscode.LanguageStatusSeverity.Warning;
        i.command = { title: 'Show Output', command: COMMANDS.showOutput.id };
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
