/**
 * A tiny LSP client for protocol tests: starts dist/server.js over stdio and talks to it as an editor
 * does. Cursor positions come from markers (`|`) in snippets of fixture text, never hard-coded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection, type ClientCapabilities,
  InitializeRequest, InitializedNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  DocumentDiagnosticRequest, PublishDiagnosticsNotification, type PublishDiagnosticsParams, type Diagnostic, type Position,
  ConfigurationRequest, RegistrationRequest, DidSaveTextDocumentNotification, ShowMessageNotification, ShowMessageRequest, type InitializeResult, DiagnosticRefreshRequest, ShutdownRequest, ExitNotification, LogMessageNotification,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'fixtures', 'cookbooks');
/** The bundled server; CLOCHE_SERVER points the benchmarks at another build (A/B comparisons). */
export const SERVER = process.env.CLOCHE_SERVER ? path.resolve(process.env.CLOCHE_SERVER) : path.join(REPO, 'dist', 'server.js');

export interface StartOptions {
  roots?: string[];
  /** Pull diagnostics (default) or push only. */
  pull?: boolean;
  settings?: Record<string, unknown>;
  /** Environment of the server process, over this one's (a PATH with a fake linter). */
  env?: Record<string, string>;
  /**
   * Whether the linter (Cookstyle/RuboCop) may run with its default settings. Off unless asked for,
   * or the settings name `lint`: other tests should not start RuboCop for every Ruby file they open.
   */
  lint?: boolean;
  /** Extra initialization options (`trusted: false` for an untrusted workspace). */
  initializationOptions?: Record<string, unknown>;
}

export class TestClient {
  readonly conn: ProtocolConnection;
  readonly logs: string[] = [];
  /** The linter's statuses (`cloche/lintStatus`), in order. */
  readonly lintStatuses: { state: string; message: string }[] = [];
  /** Messages the server showed (window/showMessage). */
  readonly messages: { type: number; message: string }[] = [];
  private readonly pushed = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: (() => void)[] = [];
  private readonly versions = new Map<string, number>();
  readonly texts = new Map<string, string>();
  private settingsValue: Record<string, unknown> = {};
  /** The server's answer to initialize (its capabilities). */
  initialized?: InitializeResult;

  private constructor(readonly proc: ChildProcess, settings: Record<string, unknown>, private readonly lint = false) {
    this.settings = settings;
    this.conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => { this.pushed.set(p.uri, p); this.wake(); });
    this.conn.onNotification(LogMessageNotification.type, (p) => { this.logs.push(p.message); });
    this.conn.onNotification('cloche/status', (p) => { this.logs.push(`status: ${JSON.stringify(p)}`); this.wake(); });
    this.conn.onNotification('cloche/lintStatus', (p: { state: string; message: string }) => { this.lintStatuses.push(p); this.wake(); });
    this.conn.onNotification(ShowMessageNotification.type, (p) => { this.messages.push(p); this.wake(); });
    this.conn.onRequest(ShowMessageRequest.type, (p) => { this.messages.push(p); this.wake(); return null; });
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'cloche' ? this.settings : null)));
    this.conn.onRequest(RegistrationRequest.type, () => undefined);
    this.conn.onRequest(DiagnosticRefreshRequest.type, () => { this.logs.push('refresh'); this.wake(); return undefined; });
    this.conn.listen();
  }

  /** The `cloche` settings the client answers with (and tests push); the linter is off in them unless the test wants it (StartOptions.lint). */
  get settings(): Record<string, unknown> { return this.settingsValue; }
  set settings(value: Record<string, unknown>) { this.settingsValue = this.lint || 'lint' in value ? value : { ...value, lint: { run: 'off' } }; }

  /** Starts the server and initializes it for the given workspace folders. */
  static async start(opts: StartOptions = {}): Promise<TestClient> {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}) });
    const client = new TestClient(proc, opts.settings ?? {}, opts.lint);
    const roots = opts.roots ?? [FIXTURES];
    const capabilities: ClientCapabilities = {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, diagnostics: { refreshSupport: true }, workspaceFolders: true },
      textDocument: {
        ...(opts.pull === false ? {} : { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } }),
        publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
        hover: { contentFormat: ['markdown'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor.rewrite'] } }, resolveSupport: { properties: ['edit'] } },
        formatting: { dynamicRegistration: false },
      },
    };
    client.initialized = await client.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: uri(roots[0]), capabilities,
      workspaceFolders: roots.map((r) => ({ uri: uri(r), name: path.basename(r) })),
      ...(opts.initializationOptions ? { initializationOptions: opts.initializationOptions } : {}),
    });
    await client.conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Opens a file with its disk text (or the given text). */
  async open(file: string, text?: string): Promise<string> {
    const u = uri(file);
    const t = text ?? fs.readFileSync(file, 'utf8');
    this.texts.set(u, t);
    this.versions.set(u, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: languageOf(file), version: 1, text: t } });
    return u;
  }

  /** Replaces a document's whole text. */
  async change(file: string, text: string): Promise<void> {
    const u = uri(file);
    const v = (this.versions.get(u) ?? 0) + 1;
    this.versions.set(u, v);
    this.texts.set(u, text);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version: v }, contentChanges: [{ text }] });
  }

  /** Saves a document as the editor does (didSave; the text is written to disk first, as saving does). */
  async save(file: string): Promise<void> {
    const u = uri(file);
    const text = this.texts.get(u);
    if (text !== undefined) fs.writeFileSync(file, text);
    await this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: u } });
  }

  /** Pulls diagnostics of a document. */
  async diagnostics(file: string): Promise<Diagnostic[]> {
    const r = await this.conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uri(file) } });
    return r.kind === 'full' ? r.items : [];
  }

  /** Waits until the server has published diagnostics for a file that satisfy `ok`. */
  async published(file: string, ok: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const u = uri(file);
    await this.until(() => { const p = this.pushed.get(u); return !!p && ok(p.diagnostics); }, timeoutMs, `diagnostics for ${file}`);
    return this.pushed.get(u)!.diagnostics;
  }

  /** The diagnostics last published for a file, if any (without waiting). */
  lastPublished(file: string): Diagnostic[] | undefined {
    return this.pushed.get(uri(file))?.diagnostics;
  }

  /** Waits for a condition that notifications make true (no sleeps). */
  async until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, 50); this.waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    try { await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]); await this.conn.sendNotification(ExitNotification.type); } catch { /* already gone */ }
    this.conn.dispose();
    if (this.proc.exitCode === null) { await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 2000))]); }
    if (this.proc.exitCode === null) this.proc.kill();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).toString();
}

export function languageOf(file: string): string {
  if (/\.ya?ml$/.test(file)) return 'yaml';
  if (file.endsWith('.erb')) return 'chef-erb';
  return 'ruby';
}

/**
 * Finds `snippet` (which contains one `|` marking the cursor) in `text` and returns the cursor
 * position. The snippet without its marker must occur exactly once.
 */
export function cursorIn(text: string, snippet: string): Position {
  const at = snippet.indexOf('|');
  assert.ok(at >= 0, `snippet ${JSON.stringify(snippet)} has no | marker`);
  const plain = snippet.slice(0, at) + snippet.slice(at + 1);
  const first = text.indexOf(plain);
  assert.ok(first >= 0, `snippet ${JSON.stringify(plain)} not found`);
  assert.equal(text.indexOf(plain, first + 1), -1, `snippet ${JSON.stringify(plain)} occurs more than once`);
  return positionAt(text, first + at);
}

/** Text with a `|` cursor marker → the text without it and the cursor position. */
export function withCursor(marked: string): { text: string; position: Position } {
  const at = marked.indexOf('|');
  assert.ok(at >= 0, 'no | marker');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  return { text, position: positionAt(text, at) };
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Replaces absolute paths and file URIs with repo-relative ones, for stored expectations. */
export function portable<T>(value: T): T {
  const root = uri(REPO);
  // Command links in hovers carry paths URI-encoded.
  const encoded = (s: string) => encodeURIComponent(JSON.stringify(s).slice(1, -1));
  return JSON.parse(JSON.stringify(value).split(root).join('file://REPO').split(encoded(REPO)).join('REPO').split(REPO).join('REPO')) as T;
}

/**
 * Compares `actual` with the stored expectation test/expectations/<feature>/<name>.json; writes it
 * instead when UPDATE_EXPECTATIONS=1 (or when none is stored yet, so a new case shows up in review).
 */
export function expectStored(feature: string, name: string, actual: unknown): void {
  const file = path.join(REPO, 'test', 'expectations', feature, `${name}.json`);
  const json = JSON.stringify(portable(actual), null, 2) + '\n';
  if (process.env.UPDATE_EXPECTATIONS === '1' || !fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, json);
    return;
  }
  assert.deepEqual(JSON.parse(json), JSON.parse(fs.readFileSync(file, 'utf8')), `expectation ${feature}/${name} differs (UPDATE_EXPECTATIONS=1 to accept)`);
}
