/**
 * Open editor documents: their text overlays the disk in the analysis (parse once per version is
 * the workspace's parse cache, keyed by text). Every change reports which cookbooks it invalidated,
 * so the diagnostics adapter can refresh dependent files.
 */
import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the documents need from the analysis: a place to put editor text. */
export interface TextSink {
  setText(file: string, text: string | undefined): Set<string>;
}

export class Documents {
  readonly all = new TextDocuments(TextDocument);
  private sink: TextSink | undefined;
  private readonly listeners: ((changed: string, cookbooks: Set<string>) => void)[] = [];

  constructor() {
    this.all.onDidOpen((e) => this.push(e.document.uri, e.document.getText()));
    this.all.onDidChangeContent((e) => this.push(e.document.uri, e.document.getText()));
    this.all.onDidClose((e) => this.push(e.document.uri, undefined));
  }

  listen(connection: Connection): void {
    this.all.listen(connection);
  }

  /** Connects the analysis (once it exists) and hands it the texts opened before. */
  attach(sink: TextSink): void {
    this.sink = sink;
    for (const doc of this.all.all()) this.push(doc.uri, doc.getText());
  }

  /** Called with the changed file and the folders of the cookbooks whose analysis it invalidated. */
  onDidInvalidate(listener: (changed: string, cookbooks: Set<string>) => void): void {
    this.listeners.push(listener);
  }

  /** Open documents' texts by file path. */
  overlays(): Map<string, string> {
    const out = new Map<string, string>();
    for (const doc of this.all.all()) { const f = URI.toPath(doc.uri); if (f) out.set(f, doc.getText()); }
    return out;
  }

  get(uri: string): TextDocument | undefined {
    return this.all.get(uri);
  }

  /** Whether a URI is an open document, also when spelled otherwise than the editor spells it (a URI made from its path). */
  isOpen(uri: string): boolean {
    if (this.all.get(uri)) return true;
    const file = URI.toPath(uri);
    return !!file && this.all.all().some((d) => URI.toPath(d.uri) === file);
  }

  /** Reports a file change made outside the editor (watched files). */
  notify(file: string, cookbooks: Set<string>): void {
    for (const l of this.listeners) l(file, cookbooks);
  }

  private push(uri: string, text: string | undefined): void {
    const file = URI.toPath(uri);
    if (!file || !this.sink) return;
    const cookbooks = this.sink.setText(file, text);
    this.notify(file, cookbooks);
  }
}

/** file:// URIs ↔ absolute paths (the core speaks paths, LSP speaks URIs). */
export const URI = {
  /** The path of a file URI, or undefined for other schemes (untitled, git, …). */
  toPath(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    try { return fileURLToPath(uri); } catch { return undefined; }
  },
  fromPath(file: string): string {
    return pathToFileURL(file).toString();
  },
};
