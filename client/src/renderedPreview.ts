/**
 * Cloche: Preview Rendered File — the file a template, cookbook_file or file resource would write,
 * rendered by the language server before any container exists, in a read-only virtual document
 * (`cloche-rendered` scheme) named like the target file so it gets its highlighting. Unknown parts
 * show as `«unknown: why»`. The preview follows edits of the cookbook (debounced).
 */
import * as vscode from 'vscode';
import { whenRunning } from './client';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RenderedContentRequest, type RenderedContentParams, type RenderedFile } from '../../server/src/customMethods';
import { renderedTextForPeople } from '../../server/src/protocol';

export const RENDERED_SCHEME = 'cloche-rendered';

/** What a preview asks the server again when it refreshes: the resource, in its document. */
interface PreviewSource { uri: string; resource: string }

export class RenderedPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Map<string, PreviewSource>();
  /** The last answer for each open preview, by its URI. */
  private readonly latest = new Map<string, RenderedFile>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: () => LanguageClient | undefined, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, this),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.scheme === 'file' && this.open.size) this.refreshSoon(); }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (d.uri.scheme === RENDERED_SCHEME) this.open.delete(d.uri.toString()); }),
    );
  }

  /**
   * The command: from a hover link (`{ file, line, character }`), the Explorer or editor title (a URI),
   * or the palette (the active editor's cursor). Several resources there: the user picks one.
   */
  async show(arg?: unknown): Promise<void> {
    const params = paramsOf(arg);
    if (!params) { void vscode.window.showInformationMessage('Put the cursor on a template, cookbook_file or file resource (or open a template) first.'); return; }
    const files = await this.ask(params);
    if (!files) return;
    if (!files.length) {
      void vscode.window.showInformationMessage(params.position ? 'No template, cookbook_file or file resource is declared here.' : 'No resource of this cookbook\'s run renders this file.');
      return;
    }
    const file = files.length === 1 ? files[0] : (await vscode.window.showQuickPick(files.map((f) => ({ label: f.resource, description: f.path, file: f })), { placeHolder: 'Which resource\'s file to preview' }))?.file;
    if (!file) return;
    const uri = previewUri(file);
    this.open.set(uri.toString(), { uri: params.uri, resource: file.resource });
    this.latest.set(uri.toString(), file);
    this.changed.fire(uri); // an already open preview shows the new answer
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const file = this.latest.get(uri.toString());
    return file ? renderedTextForPeople(file.content.text) : '';
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 500);
  }

  private async refresh(): Promise<void> {
    for (const [key, source] of this.open) {
      const files = await this.ask({ uri: source.uri, resource: source.resource });
      const file = files?.[0];
      if (!file) continue;
      this.latest.set(key, file);
      this.changed.fire(vscode.Uri.parse(key));
    }
  }

  private async ask(params: RenderedContentParams): Promise<RenderedFile[] | undefined> {
    const client = await whenRunning(this.client());
    if (!client) { void vscode.window.showWarningMessage('Cloche: the language server is not running.'); return undefined; }
    try {
      return await client.sendRequest(RenderedContentRequest, params);
    } catch (e) {
      this.log.warn(`cloche/renderedContent: ${String(e)}`);
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}

/** The request for a command argument, or for the active editor's cursor. */
function paramsOf(arg: unknown): RenderedContentParams | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg.toString() };
  const a = arg as { file?: unknown; line?: unknown; character?: unknown } | undefined;
  if (a && typeof a.file === 'string' && typeof a.line === 'number' && typeof a.character === 'number') {
    return { uri: vscode.Uri.file(a.file).toString(), position: { line: a.line, character: a.character } };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const uri = editor.document.uri.toString();
  return editor.document.uri.path.endsWith('.rb') ? { uri, position: editor.selection.active } : { uri };
}

/** `cloche-rendered:/debian-12/etc/app.conf?template[…]`: the target's name (for highlighting), one document per resource. */
function previewUri(file: RenderedFile): vscode.Uri {
  const target = file.path && /^(\/|[A-Za-z]:[\\/])/.test(file.path) ? file.path.replace(/\\/g, '/').replace(/^([A-Za-z]):/, '/$1') : `/${file.resource.replace(/[^\w.-]+/g, '_')}`;
  return vscode.Uri.from({ scheme: RENDERED_SCHEME, path: `/${file.platform}${target.startsWith('/') ? '' : '/'}${target}`, query: file.resource });
}
