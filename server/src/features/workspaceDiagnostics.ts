/**
 * Workspace pull diagnostics (`workspace/diagnostic`): a report for every recipe, attributes,
 * resource, provider, definition, library, template and metadata file of every indexed cookbook.
 * Each report has a result id derived from its items, so a file whose diagnostics did not change
 * since the client's previous result is reported as `unchanged`. Cookbooks are compiled on demand
 * (the cached analyses are reused), one at a time, letting edits and cancellation through between them.
 * A client that passes a partial result token (VS Code does) gets the reports as they are made, a batch
 * every {@link BATCH_MS} ms, so the first files of a large workspace show at once; the final answer
 * then holds nothing more.
 * When the client already has every report (all `unchanged`), the request is held open until something
 * changes (then answered after a short quiet time, so typing is not slowed) or is cancelled: VS Code's
 * client asks again 2 s after each answer, and an idle workspace should cost nothing.
 * While the workspace is being indexed in the background, the request waits for the index (it is
 * about every cookbook; the open documents are answered meanwhile by the document pull).
 * The capability (`workspaceDiagnostics: true`) is declared with the document pull in diagnostics.ts:
 * LSP has one `diagnosticProvider`.
 */
import {
  DocumentDiagnosticReportKind, type CancellationToken, type WorkspaceDiagnosticReport, type WorkspaceDocumentDiagnosticReport,
  type WorkspaceDiagnosticParams, type ResultProgressReporter, type WorkspaceDiagnosticReportPartialResult,
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
    const answer = (params: WorkspaceDiagnosticParams, token: CancellationToken, stream: Stream | undefined) => session.handle('workspaceDiagnostics', { items: [] } as WorkspaceDiagnosticReport, async () => {
      const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
      for (;;) {
        await Promise.race([session.analysis.whenIndexed(), cancelled(token)]);
        if (token.isCancellationRequested) return finish({ items: [] }, stream);
        // Listen before computing, so a change during the computation is not missed.
        const changed = session.analysis.nextChange();
        const report = await collect(previous, token, stream);
        if (session.analysis.indexing && !token.isCancellationRequested) continue; // indexing started again: its reports come when it ends
        const news = report.items.some((r) => r.kind === DocumentDiagnosticReportKind.Full) || report.items.length !== previous.size;
        if (news || !previous.size || token.isCancellationRequested) return finish(report, stream);
        await Promise.race([changed, cancelled(token)]);
        if (token.isCancellationRequested) return finish(report, stream);
        // Let a burst of edits settle (each keystroke invalidates) before computing the whole workspace.
        for (let quiet = false; !quiet && !token.isCancellationRequested;) {
          const more = session.analysis.nextChange();
          quiet = await Promise.race([more.then(() => false), delay(QUIET_MS).then(() => true)]);
        }
      }
    })(params, token);
    // The library hands a reporter only when the client passed a partial result token.
    session.connection.languages.diagnostics.onWorkspace((params, token, _work, progress) => answer(params, token, progress));

    /**
     * Every file's report. With a stream, the new ones (`full`) are also sent as they are made, a
     * batch at a time; a pass that finds nothing new has sent nothing.
     */
    async function collect(previous: Map<string, string>, token: CancellationToken, stream: Stream | undefined): Promise<WorkspaceDiagnosticReport> {
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      let sent = 0;
      let batchStart = performance.now();
      const flush = () => {
        const fresh = items.slice(sent).filter((r) => r.kind === DocumentDiagnosticReportKind.Full);
        if (stream && fresh.length) stream.report({ items: fresh });
        sent = items.length;
        batchStart = performance.now();
      };
      for (const cb of session.analysis.cookbooks()) {
        if (token.isCancellationRequested || session.analysis.indexing) break;
        const analysis = session.analysis.cookbook(cb.dir);
        if (!analysis) continue;
        for (const file of session.analysis.reportedFiles(analysis.cookbook)) {
          const uri = URI.fromPath(file);
          if (!session.served(uri)) continue; // a symlink in a cookbook leading out of the workspace
          const { items: lsp, resultId } = fileReport(analysis, file);
          const version = session.documents.get(uri)?.version ?? null;
          items.push(previous.get(uri) === resultId
            ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId }
            : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: lsp });
        }
        if (performance.now() - batchStart >= BATCH_MS) flush();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      flush();
      // A cancelled request still answers with what it has (the client asks again).
      return { items };
    }
  },
};

type Stream = ResultProgressReporter<WorkspaceDiagnosticReportPartialResult>;

/** The answer to a request: the whole report, or with a stream the `unchanged` reports it has not sent yet, then nothing. */
function finish(report: WorkspaceDiagnosticReport, stream: Stream | undefined): WorkspaceDiagnosticReport {
  if (!stream) return report;
  const unchanged = report.items.filter((r) => r.kind === DocumentDiagnosticReportKind.Unchanged);
  if (unchanged.length) stream.report({ items: unchanged });
  return { items: [] };
}

/** How long reports wait before they are sent as one partial result. */
const BATCH_MS = 50;

/** Quiet time after the last change before a held-open workspace request is recomputed. */
const QUIET_MS = 300;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function cancelled(token: CancellationToken): Promise<void> {
  return new Promise((resolve) => { if (token.isCancellationRequested) resolve(); else token.onCancellationRequested(() => resolve()); });
}
