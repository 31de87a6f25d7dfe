/**
 * Code actions adapter: quick fixes (lang/codeActions.ts) as workspace edits or a reveal command, and
 * guard rewrites; the linter's quick fixes (lintActions.ts), whose RuboCop correction is computed when
 * one is chosen (`codeAction/resolve`).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type WorkspaceEdit, type TextEdit } from 'vscode-languageserver/node';
import { codeActions as actionsAt, type Action } from '../lang/codeActions';
import type { DiagnosticData } from '../protocol';
import { URI } from '../documents';
import { REVEAL_LOCATION_COMMAND, type RevealLocationArgs } from '../customMethods';
import { spanOf } from '../lang/types';
import type { Feature, Session } from './session';
import { lintCodeActions, resolveLintAction } from './lintActions';

export const codeActions: Feature = {
  capabilities() {
    return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite], resolveProvider: true } };
  },
  register(session) {
    session.connection.onCodeAction(session.handle('codeAction', [] as CodeAction[], (params) => {
      const view = session.view(params.textDocument.uri);
      if (!view) return [];
      const diags = params.context.diagnostics.filter((d) => d.source === 'cloche');
      // The rule's machine-readable `data` (protocol.ts, DiagnosticData) comes back with each diagnostic.
      const refs = diags.map((d) => ({ code: d.code, span: d.range, data: isObject(d.data) ? (d.data as DiagnosticData) : undefined }));
      const own = actionsAt(view, params.range, refs)
        .filter((a) => [...a.changes.map((c) => c.file), ...(a.create ? [a.create.file] : []), ...(a.reveal ? [a.reveal.file] : [])].every((f) => session.served(URI.fromPath(f))))
        .map((a) => toCodeAction(session, a, diags[refs.findIndex((r) => r === a.diagnostic)]));
      return [...own, ...lintCodeActions(session, params.textDocument.uri, params.context.diagnostics)];
    }));
    // The boundary's empty answer is never given: a failure answers with the action as it came.
    session.connection.onCodeActionResolve(session.handle('codeActionResolve', { title: '' } as CodeAction, async (action) => {
      try { return await resolveLintAction(session, action); } catch (e) { session.log(`codeAction/resolve: ${String(e)}`); return action; }
    }));
  },
};

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

function toCodeAction(session: Session, a: Action, diagnostic: Diagnostic | undefined): CodeAction {
  const kind = a.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
  if (a.reveal) {
    const args: RevealLocationArgs = { uri: URI.fromPath(a.reveal.file), range: spanOf(a.reveal) };
    return { title: a.title, kind, diagnostics: diagnostic ? [diagnostic] : undefined, command: { title: a.title, command: REVEAL_LOCATION_COMMAND, arguments: [args] } };
  }
  const byFile = new Map<string, TextEdit[]>();
  for (const c of a.changes) { const u = URI.fromPath(c.file); byFile.set(u, [...(byFile.get(u) ?? []), { range: c.span, newText: c.newText }]); }
  let edit: WorkspaceEdit;
  if (a.create) {
    const u = URI.fromPath(a.create.file);
    const canCreate = !!session.client.workspace?.workspaceEdit?.resourceOperations?.includes('create');
    edit = canCreate
      ? { documentChanges: [{ kind: 'create', uri: u, options: { ignoreIfExists: true } }, { textDocument: { uri: u, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: a.create.content }] }] }
      : { changes: { [u]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: a.create.content }] } };
  } else edit = { changes: Object.fromEntries(byFile) };
  return { title: a.title, kind, diagnostics: diagnostic ? [diagnostic] : undefined, isPreferred: a.preferred, edit };
}
