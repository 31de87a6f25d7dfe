/**
 * The Cloche language server: LSP wiring only. Each feature adapter declares its capability and
 * registers its handlers; the analysis and the language logic live elsewhere (ARCHITECTURE.md).
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind, type ServerCapabilities } from 'vscode-languageserver/node';
import { Session, type Feature } from './features/session';
import { FEATURES } from './features';
import { setCallMemo } from './ruby/callMemo';

// Every edit compiles its cookbook again: helpers' pure calls are answered from the last compilation's.
setCallMemo(true);

const connection = createConnection(ProposedFeatures.all);
const session = new Session(connection);

connection.onInitialize((params) => {
  session.initialize(params);
  const capabilities: ServerCapabilities = { textDocumentSync: TextDocumentSyncKind.Incremental };
  for (const f of FEATURES as Feature[]) merge(capabilities, f.capabilities(params.capabilities));
  for (const f of FEATURES as Feature[]) f.register(session);
  return { capabilities, serverInfo: { name: 'cloche', version: '0.1.0' } };
});
connection.onInitialized(() => { void session.start().catch((e) => connection.console.error(`indexing failed: ${String(e)}`)); });
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e.message}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${String(e)}`));

session.documents.listen(connection);
connection.listen();

/** Shallow-merges capability objects (features may share `workspace`). */
function merge(into: ServerCapabilities, from: ServerCapabilities): void {
  const target = into as Record<string, unknown>;
  for (const [k, v] of Object.entries(from)) {
    const cur = target[k];
    target[k] = cur && typeof cur === 'object' && v && typeof v === 'object' && !Array.isArray(v) ? { ...cur, ...v } : v;
  }
}
