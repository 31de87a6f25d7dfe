/**
 * Diagnostics: pulled by clients that can (textDocument/diagnostic), pushed to those that cannot.
 * Every change re-evaluates the changed file's cookbook and its dependents; other open files of
 * those cookbooks are refreshed too (a workspace refresh for pull clients, a publish for push ones).
 * Another tool's diagnostics (the linter's, toolDiagnostics.ts) are always pushed: on their own to
 * pull clients (a collection apart from Cloche's), with Cloche's to push-only ones.
 */
import {
  type Diagnostic as LspDiagnostic, DiagnosticSeverity, DiagnosticTag, DocumentDiagnosticReportKind, type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { CookbookAnalysis } from '../analysis';
import { URI } from '../documents';
import { spanOf } from '../lang/types';
import { CONFIG_FILE } from '../chef/projectConfig';
import type { Feature, Session } from './session';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;
const TAG = { deprecated: DiagnosticTag.Deprecated, unnecessary: DiagnosticTag.Unnecessary } as const;

/** A core diagnostic in LSP terms (with code, tags and related information). */
export function toLsp(d: Diagnostic): LspDiagnostic {
  return {
    range: spanOf(d),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'cloche',
    message: d.message,
    tags: d.tags?.map((t) => TAG[t]),
    relatedInformation: d.related?.map((r) => ({ location: { uri: URI.fromPath(r.location.file), range: spanOf(r.location) }, message: r.message })),
    // The rule's fix data (protocol.ts, DiagnosticData); clients hand it back in code action requests.
    ...(d.data ? { data: d.data } : {}),
  };
}

/** A result id that changes exactly when the items do (document and workspace pull share it). */
export function resultIdOf(items: LspDiagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(items)).digest('base64url');
}

/** LSP reports per file, kept with the analysis they come from (a new analysis starts afresh). */
const reports = new WeakMap<CookbookAnalysis, Map<string, { items: LspDiagnostic[]; resultId: string }>>();

/** A file's diagnostics in LSP terms with their result id (empty outside cookbooks). */
export function fileReport(analysis: CookbookAnalysis | undefined, file: string): { items: LspDiagnostic[]; resultId: string } {
  if (!analysis) return { items: [], resultId: resultIdOf([]) };
  let byFile = reports.get(analysis);
  if (!byFile) { byFile = new Map(); reports.set(analysis, byFile); }
  let r = byFile.get(file);
  if (!r) {
    const items = (analysis.diagnostics.get(file) ?? []).map(toLsp);
    r = { items, resultId: resultIdOf(items) };
    byFile.set(file, r);
  }
  return r;
}

export const diagnostics: Feature = {
  capabilities(client) {
    // workspace/diagnostic is answered by workspaceDiagnostics.ts.
    return client.textDocument?.diagnostic ? { diagnosticProvider: { identifier: 'cloche', interFileDependencies: true, workspaceDiagnostics: true } } : {};
  },
  register(session) {
    const pull = !!session.client.textDocument?.diagnostic;
    const conn = session.connection;
    const reportOf = (uri: string) => {
      const file = URI.toPath(uri);
      // A .cloche.json's own problems (it is outside every cookbook's analysis).
      if (file && path.basename(file) === CONFIG_FILE) { const items = session.analysis.diagnostics(file).map(toLsp); return { items, resultId: resultIdOf(items) }; }
      return fileReport(file ? session.analysis.forFile(file) : undefined, file ? path.resolve(file) : '');
    };
    const report = (uri: string): LspDiagnostic[] => reportOf(uri).items;
    conn.languages.diagnostics.on(session.handle('diagnostics', { kind: DocumentDiagnosticReportKind.Full, items: [] } as DocumentDiagnosticReport, (params) => {
      const { items, resultId } = reportOf(params.textDocument.uri);
      return params.previousResultId === resultId ? { kind: DocumentDiagnosticReportKind.Unchanged, resultId } : { kind: DocumentDiagnosticReportKind.Full, resultId, items };
    }));
    if (pull) {
      session.toolDiagnostics.onChange((uri) => { void conn.sendDiagnostics({ uri, diagnostics: session.toolDiagnostics.get(uri) }); });
      const refresh = debounce(() => { if (session.client.workspace?.diagnostics?.refreshSupport) void conn.languages.diagnostics.refresh(); }, 250);
      session.onReindex(refresh);
      session.documents.onDidInvalidate((changed, cookbooks) => {
        // The changed document is pulled by the client itself; refresh only when others depend on it.
        const others = session.documents.all.all().some((d) => { const f = URI.toPath(d.uri); return f && f !== changed && inCookbooks(session, f, cookbooks); });
        if (others) refresh();
      });
      return;
    }
    const pending = new Set<string>();
    /** Documents whose last publication had findings (a closed or deleted one is cleared, others need nothing). */
    const shown = new Set<string>();
    // Published once the analysis serves (a small workspace is indexed first, as for requests).
    const publish = debounce(() => { void session.analysis.whenServing().then(flush); }, 30);
    const flush = () => {
      for (const uri of pending) {
        if (!session.documents.get(uri)) { if (shown.delete(uri)) void conn.sendDiagnostics({ uri, diagnostics: [] }); continue; }
        try {
          const diagnostics = [...report(uri), ...session.toolDiagnostics.get(uri)];
          if (diagnostics.length) shown.add(uri); else shown.delete(uri);
          void conn.sendDiagnostics({ uri, version: session.documents.get(uri)?.version, diagnostics });
        } catch (e) { session.log(`diagnostics for ${uri}: ${String(e)}`); }
      }
      pending.clear();
    };
    session.documents.onDidInvalidate((changed, cookbooks) => {
      pending.add(URI.fromPath(changed));
      for (const d of session.documents.all.all()) { const f = URI.toPath(d.uri); if (f && inCookbooks(session, f, cookbooks)) pending.add(d.uri); }
      publish();
    });
    session.onReindex(() => { for (const d of session.documents.all.all()) pending.add(d.uri); publish(); });
    session.toolDiagnostics.onChange((uri) => { pending.add(uri); publish(); });
  },
};

function inCookbooks(session: Session, file: string, dirs: Set<string>): boolean {
  const cb = session.analysis.ws.cookbookOf(file);
  return !!cb && dirs.has(cb.dir);
}

/** Runs `fn` once after calls stop for `ms`. */
function debounce(fn: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  return () => { if (timer) clearTimeout(timer); timer = setTimeout(() => { timer = undefined; fn(); }, ms); };
}
