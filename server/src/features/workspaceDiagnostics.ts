/**
 * Workspace pull diagnostics (`workspace/diagnostic`): a report for every recipe, attributes,
 * resource, provider, definition, library, template and metadata file of every indexed cookbook.
 * Each report has a result id derived from its items, so a file whose diagnostics did not change
 * since the client's previous result is reported as `unchanged`. Cookbooks are compiled on demand
 * (the cached analyses are reused), one at a time, letting edits and cancellation through between them.
 * The capability (`workspaceDiagnostics: true`) is declared with the document pull in diagnostics.ts:
 * LSP has one `diagnosticProvider`.
 */
import {
  DocumentDiagnosticReportKind, type WorkspaceDiagnosticReport, type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { URI } from '../documents';
import { fileReport } from './diagnostics';
import type { Feature } from './session';

export const workspaceDiagnostics: Feature = {
  capabilities() {
    return {};
  },
  register(session) {
    if (!session.client.textDocument?.diagnostic) return;
    session.connection.languages.diagnostics.onWorkspace(session.handle('workspaceDiagnostics', { items: [] } as WorkspaceDiagnosticReport, async (params, token) => {
      const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      for (const name of session.analysis.cookbookNames()) {
        if (token.isCancellationRequested) break;
        const analysis = session.analysis.cookbook(name);
        if (!analysis) continue;
        for (const file of session.analysis.reportedFiles(analysis.cookbook)) {
          const uri = URI.fromPath(file);
          const { items: lsp, resultId } = fileReport(analysis, file);
          const version = session.documents.get(uri)?.version ?? null;
          items.push(previous.get(uri) === resultId
            ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId }
            : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: lsp });
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // A cancelled request still answers with what it has (the client asks again).
      return { items };
    }));
  },
};
