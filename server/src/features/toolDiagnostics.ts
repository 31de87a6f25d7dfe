/**
 * Diagnostics of another tool than Cloche (the linter), by document URI. They never mix with
 * Cloche's own reports (pulled, with result ids, per file and for the workspace): diagnostics.ts
 * pushes them on their own to clients that pull Cloche's, and with Cloche's to clients that only
 * take pushes. So a linter that fails or is missing changes nothing of Cloche's findings.
 */
import type { Diagnostic } from 'vscode-languageserver/node';

export class ToolDiagnostics {
  private readonly byUri = new Map<string, { items: Diagnostic[]; key: string }>();
  private readonly listeners: ((uri: string) => void)[] = [];

  /** Replaces a document's tool diagnostics (empty: clears them); listeners hear of real changes only. */
  set(uri: string, items: Diagnostic[]): void {
    const key = JSON.stringify(items);
    if ((this.byUri.get(uri)?.key ?? '[]') === key) return;
    if (items.length) this.byUri.set(uri, { items, key }); else this.byUri.delete(uri);
    for (const l of this.listeners) l(uri);
  }

  get(uri: string): Diagnostic[] {
    return this.byUri.get(uri)?.items ?? [];
  }

  onChange(listener: (uri: string) => void): void {
    this.listeners.push(listener);
  }
}
