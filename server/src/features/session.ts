/**
 * What every feature adapter shares: the connection, the open documents, the analysis, the settings,
 * a logger, and the one error boundary every handler goes through (a request always gets an answer,
 * and a request naming a file outside the workspace gets an empty one before any handler runs:
 * workspaceAccess.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type Connection, type ClientCapabilities, type CancellationToken, type InitializeParams, ResponseError, LSPErrorCodes, ErrorCodes,
} from 'vscode-languageserver/node';
import { Analysis, type IndexEvent } from '../analysis';
import { Documents, URI } from '../documents';
import { type ClocheSettings, DEFAULT_SETTINGS, readSettings } from '../settings';
import { StatusNotification, type ServerState } from '../customMethods';
import type { FileView } from '../lang/types';
import { WorkspaceAccess } from '../workspaceAccess';
import { ToolDiagnostics } from './toolDiagnostics';
import type { LintService } from '../lint/lintService';

export class Session {
  readonly documents = new Documents();
  settings: ClocheSettings = DEFAULT_SETTINGS;
  client: ClientCapabilities = {};
  /**
   * Whether the workspace is trusted (VS Code's Workspace Trust, from `initializationOptions.trusted`
   * and `cloche/workspaceTrusted`): only then may the linter run the workspace's RuboCop plugins.
   * A client that says nothing has no such notion and trusts what it opens.
   */
  trusted = true;
  /** The linter's diagnostics, delivered apart from Cloche's (diagnostics.ts). */
  readonly toolDiagnostics = new ToolDiagnostics();
  /** The linter of open documents (features/lint.ts), once registered. */
  lint: LintService | undefined;
  private folders: string[] = [];
  private analysisValue: Analysis | undefined;
  private readyResolve!: () => void;
  private readonly reindexListeners: (() => void)[] = [];
  private readonly startListeners: (() => void)[] = [];
  private readonly settingsListeners: (() => void)[] = [];
  private readonly fileListeners: ((files: string[]) => void)[] = [];
  /** Which files requests may name and the analysis may read (the folders, their cookbooks, open documents). */
  readonly access = new WorkspaceAccess({
    folders: () => this.folders,
    roots: () => this.roots(),
    cookbookDirOf: (file) => this.analysisValue?.ws.cookbookOf(file)?.dir,
    isOpen: (uri) => this.documents.isOpen(uri),
  });
  /** Resolves once the analysis exists (the workspace is then indexed in the background); handlers wait for it. */
  readonly ready = new Promise<void>((resolve) => { this.readyResolve = resolve; });

  constructor(readonly connection: Connection) {}

  get analysis(): Analysis {
    if (!this.analysisValue) throw new Error('the workspace is not indexed yet');
    return this.analysisValue;
  }

  initialize(params: InitializeParams): void {
    this.client = params.capabilities;
    // No workspace folders: the root (single-folder clients); neither: only open documents are served.
    const folders = params.workspaceFolders?.length ? params.workspaceFolders.map((f) => URI.toPath(f.uri)) : [params.rootUri ? URI.toPath(params.rootUri) : params.rootPath ?? undefined];
    this.folders = folders.filter((f): f is string => !!f).map((f) => path.resolve(f));
    if (params.initializationOptions) this.settings = readSettings((params.initializationOptions as { settings?: unknown }).settings ?? params.initializationOptions);
    if ((params.initializationOptions as { trusted?: unknown } | undefined)?.trusted === false) this.trusted = false;
  }

  /**
   * Reads the settings from the client (when it can answer) and starts indexing the workspace in the
   * background: requests are answered meanwhile (analysis.ts), the status says `indexing` until the
   * scan ends, and then, when an answer given early changed, every result is refreshed.
   */
  async start(): Promise<void> {
    await this.refreshSettings();
    this.analysisValue = new Analysis(this.roots(), this.settings.platform, {
      readable: (file, cookbookDir) => this.access.readable(file, cookbookDir),
      background: true,
      onIndex: (event) => this.indexed(event),
      holdIndex: holdFromEnvironment(),
    });
    this.analysisValue.setRunSettings(this.settings.run);
    this.analysisValue.setSeverity(this.settings.diagnostics.severity);
    this.documents.attach(this.analysisValue);
    this.readyResolve();
    for (const l of this.startListeners) l();
  }

  /** The background index started or ended. */
  private indexed(event: IndexEvent): void {
    if (event.state === 'indexing') { this.status('indexing', 'indexing cookbooks'); return; }
    this.status('ready', `indexed ${event.cookbooks} cookbooks in ${Math.round(event.ms)} ms`);
    if (event.changed) this.resultsChanged();
  }

  /** Re-reads settings; re-indexes or recompiles when what they decide changed. Returns true when results may differ. */
  async refreshSettings(pushed?: unknown): Promise<boolean> {
    const before = this.settings;
    if (pushed !== undefined && pushed !== null && typeof pushed === 'object' && 'cloche' in pushed) this.settings = readSettings((pushed as { cloche: unknown }).cloche);
    else if (this.client.workspace?.configuration) {
      try { this.settings = readSettings(await this.connection.workspace.getConfiguration('cloche')); } catch (e) { this.log(`settings: ${String(e)}`); }
    }
    for (const l of this.settingsListeners) l();
    const a = this.analysisValue;
    if (!a) return false;
    let changed = false;
    if (before.cookbookPaths.join('\0') !== this.settings.cookbookPaths.join('\0')) { a.setRoots(this.roots(), this.documents.overlays()); changed = true; }
    if (a.runs.platform !== this.settings.platform) { a.setPlatform(this.settings.platform); changed = true; }
    if (a.setRunSettings(this.settings.run)) changed = true;
    if (a.setSeverity(this.settings.diagnostics.severity)) changed = true;
    if (changed) { this.status(a.indexing ? 'indexing' : 'ready', `platform ${a.runs.platform}`); for (const l of this.reindexListeners) l(); }
    return changed || before.inlayHints.attributeValues !== this.settings.inlayHints.attributeValues;
  }

  /** Workspace folders were added or removed: the workspace is indexed again (open documents stay overlaid). */
  changeFolders(added: string[], removed: string[]): void {
    const gone = new Set(removed.map((f) => path.resolve(f)));
    this.folders = [...this.folders.filter((f) => !gone.has(path.resolve(f))), ...added.map((f) => path.resolve(f)).filter((f) => !this.folders.includes(f))];
    const a = this.analysisValue;
    if (!a) return;
    a.setRoots(this.roots(), this.documents.overlays());
    for (const l of this.reindexListeners) l();
  }

  /** Workspace folders plus the extra cookbook paths (relative ones against the first folder). */
  roots(): string[] {
    const base = this.folders[0] ?? process.cwd();
    return [...this.folders, ...this.settings.cookbookPaths.map((p) => path.resolve(base, p))];
  }

  /** The view of a document (or a file on disk) for the language features. */
  view(uri: string, opts: { stale?: boolean } = {}): FileView | undefined {
    const file = URI.toPath(uri);
    if (!file) return undefined;
    const a = this.analysis;
    const text = this.documents.get(uri)?.getText() ?? a.ws.readFile(file);
    if (text === undefined) return undefined;
    const parsed = file.endsWith('.rb') ? a.ws.parse(file) : undefined;
    return { file, text, parsed, analysis: a.forFile(file, opts), model: a.modelFor(file), facts: a.factsFor(file) };
  }

  /** Called once the workspace is indexed (the place for dynamic registrations: LSP allows one `initialized` handler). */
  onStarted(listener: () => void): void {
    this.startListeners.push(listener);
  }

  /** Called after the settings were read again (whether or not they changed). */
  onSettings(listener: () => void): void {
    this.settingsListeners.push(listener);
  }

  /** Called with the files the client reports changed on disk (created, changed, deleted), open or not. */
  onWatchedFiles(listener: (files: string[]) => void): void {
    this.fileListeners.push(listener);
  }

  /** Reports files changed on disk to the listeners (watchedFiles.ts). */
  watchedFilesChanged(files: string[]): void {
    for (const l of this.fileListeners) l(files);
  }

  /** Called when every result may have changed (platform, cookbook paths, the run's inputs). */
  onReindex(listener: () => void): void {
    this.reindexListeners.push(listener);
  }

  /** Every result may have changed (a suite was picked): the listeners refresh diagnostics and views. */
  resultsChanged(): void {
    for (const l of this.reindexListeners) l();
  }

  status(state: ServerState, message?: string): void {
    const a = this.analysisValue;
    const platform = a ? (a.runs.platform === 'auto' ? 'auto' : a.facts.profile) : this.settings.platform;
    void this.connection.sendNotification(StatusNotification, { state, platform, cookbooks: a?.cookbookCount ?? 0, message });
  }

  log(message: string): void {
    this.connection.console.log(message);
  }

  /**
   * The error boundary: waits for the analysis (and for the index of a small workspace: analysis.ts), lets queued messages (edits, cancellations) through first,
   * honours cancellation, refuses a request naming a file outside the workspace (LSP's requests get
   * their empty answer, Cloche's own an error saying why), and turns any exception into a log line
   * and an empty answer.
   */
  handle<P, R>(name: string, empty: R, fn: (params: P, token: CancellationToken) => R | Promise<R>): (params: P, token: CancellationToken) => Promise<R | ResponseError<any>> {
    return async (params, token) => {
      try {
        await this.ready;
        await this.analysis.whenServing();
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
        const refused = this.refusal(params);
        if (refused) return name.startsWith('cloche/') ? new ResponseError(ErrorCodes.InvalidParams, `${name}: ${refused}`) : empty;
        return await fn(params, token);
      } catch (e) {
        this.connection.console.error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return empty;
      }
    };
  }

  /** The same boundary for notifications (one naming a file outside the workspace is dropped). */
  guard<P>(name: string, fn: (params: P) => void | Promise<void>): (params: P) => Promise<void> {
    return async (params) => {
      try {
        await this.ready;
        const refused = this.refusal(params);
        if (refused) { this.log(`${name} ignored: ${refused}`); return; }
        await fn(params);
      } catch (e) { this.connection.console.error(`${name} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`); }
    };
  }

  /** Whether a file a result points at (a definition, a link, a symbol, a workspace report) is served. */
  served(uri: string): boolean {
    return this.access.served(uri);
  }

  /**
   * Why a message's file is not served, if it is not: every file a request or notification names —
   * `textDocument.uri` (LSP), `uri` (Cloche's requests), `kitchenFile` (a path: `cloche/pickSuite`).
   */
  private refusal(params: unknown): string | undefined {
    if (!params || typeof params !== 'object') return undefined;
    const p = params as { textDocument?: { uri?: unknown }; uri?: unknown; kitchenFile?: unknown };
    const uris = [p.textDocument?.uri, p.uri, typeof p.kitchenFile === 'string' ? URI.fromPath(path.resolve(p.kitchenFile)) : undefined];
    for (const u of uris) {
      if (u === undefined) continue;
      if (typeof u !== 'string') return 'the file is not named by a URI';
      const access = this.access.request(u);
      if (!access.served) return access.why;
    }
    return undefined;
  }
}

/**
 * For tests: `CLOCHE_TEST_HOLD_INDEX=FILE` keeps the background index from ending while FILE exists,
 * so a test sees the answers given while indexing without depending on how fast the scan is.
 */
function holdFromEnvironment(): (() => Promise<void>) | undefined {
  const file = process.env.CLOCHE_TEST_HOLD_INDEX;
  if (!file) return undefined;
  return async () => { while (fs.existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 20)); };
}

/** One feature adapter: the capability it declares and the handlers it registers. */
export interface Feature {
  capabilities(client: ClientCapabilities): import('vscode-languageserver/node').ServerCapabilities;
  register(session: Session): void;
}
