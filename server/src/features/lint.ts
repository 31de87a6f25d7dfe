/**
 * Lint and Format Document with the cookbook author's Cookstyle or RuboCop (lint/): Ruby documents
 * of the workspace are linted on open and save (also as you type with `cloche.lint.run: onType`);
 * the offences are diagnostics with the tool as `source` and the cop as `code`, pushed apart from
 * Cloche's (toolDiagnostics.ts); Format Document is RuboCop's autocorrect of the whole text, as
 * edits. Workspace Trust comes from the client (`initializationOptions.trusted`, `cloche/workspaceTrusted`).
 */
import * as path from 'node:path';
import { TextDocumentSyncKind, DiagnosticSeverity, type Diagnostic, type TextEdit, type CancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from '../documents';
import { LintStatusNotification, WorkspaceTrustedNotification } from '../customMethods';
import { LintService, type LintDocument, type LintHost } from '../lint/lintService';
import type { LintOffence, LintTool } from '../lint/rubocopReport';
import { editsBetween } from '../lint/textEdits';
import { isInside } from '../workspaceAccess';
import type { Feature, Session } from './session';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

/** What a linter diagnostic carries for its code actions (lintActions.ts). */
export interface LintDiagnosticData { correctable: boolean }

/** Whether a diagnostic is the linter's. */
export const isLintDiagnostic = (d: Diagnostic): boolean => d.source === 'rubocop' || d.source === 'cookstyle';

export const lint: Feature = {
  capabilities() {
    return { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } }, documentFormattingProvider: true };
  },
  register(session) {
    const service = new LintService(hostOf(session));
    session.lint = service;
    const conn = session.connection;
    const docs = session.documents.all;
    const on = (event: 'open' | 'change' | 'save') => (e: { document: TextDocument }) => {
      void session.ready.then(() => { const doc = lintDocument(session, e.document); if (doc) service.documentEvent(doc, event); });
    };
    docs.onDidOpen(on('open'));
    docs.onDidChangeContent(on('change'));
    docs.onDidSave(on('save'));
    docs.onDidClose((e) => service.close(e.document.uri));
    let settingsSeen = JSON.stringify(session.settings.lint);
    session.onSettings(() => {
      const now = JSON.stringify(session.settings.lint);
      if (now !== settingsSeen) { settingsSeen = now; void session.ready.then(() => service.refresh()); }
    });
    session.onWatchedFiles((files) => { if (files.some((f) => /^\.rubocop(_todo)?\.ya?ml$/.test(path.basename(f)))) service.refresh(); });
    conn.onNotification(WorkspaceTrustedNotification, () => {
      if (session.trusted) return;
      session.trusted = true;
      void session.ready.then(() => service.refresh());
    });

    const warned = new Set<string>();
    conn.onDocumentFormatting(session.handle('formatting', [] as TextEdit[], async (params, token) => {
      const open = session.documents.get(params.textDocument.uri);
      const doc = open && lintDocument(session, open);
      if (!open || !doc) return [];
      const r = await service.correct(doc, { signal: abortSignalOf(token) });
      if (!r.ok) {
        // Said once per problem: format on save would repeat it at every save. Unavailable is the status item's to say.
        if ((r.why === 'timeout' || r.why === 'failed') && !warned.has(r.message)) { warned.add(r.message); void conn.window.showWarningMessage(`Cloche: Format Document: ${r.message}`); }
        return [];
      }
      if (open.getText() !== doc.text) return []; // edited meanwhile: these edits would not fit
      const edits = editsBetween(doc.text, r.value);
      if (edits.length) service.expect(doc.key, r.value);
      return edits.map((e) => ({ range: e.span, newText: e.newText }));
    }));
  },
};

/** The document as the linter takes it: a Ruby file under the workspace's roots (a file from elsewhere is not the workspace's to lint). */
export function lintDocument(session: Session, d: TextDocument): LintDocument | undefined {
  const file = URI.toPath(d.uri);
  if (!file || !file.endsWith('.rb') || !session.roots().some((r) => isInside(path.resolve(file), path.resolve(r)))) return undefined;
  return { key: d.uri, file, text: d.getText() };
}

function hostOf(session: Session): LintHost {
  return {
    settings: () => session.settings.lint,
    trusted: () => session.trusted,
    cwdFor: (file) => session.analysis.ws.cookbookOf(file)?.dir ?? session.roots().find((r) => isInside(file, path.resolve(r))) ?? path.dirname(file),
    documents: () => session.documents.all.all().map((d) => lintDocument(session, d)).filter((d): d is LintDocument => !!d),
    publish: (key, tool, offences) => session.toolDiagnostics.set(key, tool ? toDiagnostics(session, key, tool, offences) : []),
    status: (status) => { void session.connection.sendNotification(LintStatusNotification, status); },
    log: (message) => session.log(message),
  };
}

/**
 * Offences as LSP diagnostics. RuboCop's `Lint/Syntax` is left out while Cloche's parser reports the
 * file's syntax errors itself (one error, not two; RuboCop's parser may also be of another Ruby).
 */
function toDiagnostics(session: Session, key: string, tool: LintTool, offences: LintOffence[]): Diagnostic[] {
  const file = URI.toPath(key);
  const syntaxErrors = offences.some((o) => o.cop === 'Lint/Syntax') && !!file && (session.analysis.ws.parse(file)?.errors.length ?? 0) > 0;
  return offences.filter((o) => !(syntaxErrors && o.cop === 'Lint/Syntax')).map((o) => ({
    range: o.span,
    severity: SEVERITY[o.severity],
    code: o.cop,
    source: tool,
    message: o.message,
    data: { correctable: o.correctable } satisfies LintDiagnosticData,
  }));
}

/** An LSP cancellation token as an abort signal (a cancelled format kills its run). */
function abortSignalOf(token: CancellationToken): AbortSignal {
  const c = new AbortController();
  if (token.isCancellationRequested) c.abort(); else token.onCancellationRequested(() => c.abort());
  return c.signal;
}
