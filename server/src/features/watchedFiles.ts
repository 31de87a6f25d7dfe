/**
 * Files changed on disk (created, edited outside the editor, deleted): the analysis re-reads what
 * they affect, and dependent open documents are re-evaluated. Also follows workspace folders and
 * settings changes.
 */
import { DidChangeWatchedFilesNotification, FileChangeType, DidChangeConfigurationNotification, DidChangeWorkspaceFoldersNotification, WatchKind } from 'vscode-languageserver/node';
import type { FileChange } from '../analysis';
import { URI } from '../documents';
import type { Feature } from './session';

const KIND: Record<number, FileChange | undefined> = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' };

export const watchedFiles: Feature = {
  capabilities() {
    return { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
  },
  register(session) {
    const conn = session.connection;
    session.onStarted(() => {
      if (session.client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        // Creations and deletions of anything: clients report a deleted folder once, not each file in it.
        void conn.client.register(DidChangeWatchedFilesNotification.type, { watchers: [
          { globPattern: '**/*.{rb,erb,yml,yaml,json}' }, { globPattern: '**/Berksfile' }, { globPattern: '**/{templates,files}/**' }, { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ] });
      }
      if (session.client.workspace?.didChangeConfiguration?.dynamicRegistration) void conn.client.register(DidChangeConfigurationNotification.type, { section: 'cloche' });
    });
    conn.onDidChangeWatchedFiles(session.guard('watched files', (params) => {
      session.watchedFilesChanged(params.changes.map((c) => URI.toPath(c.uri)).filter((f): f is string => !!f));
      const changes: { file: string; kind: FileChange }[] = [];
      for (const change of params.changes) {
        const file = URI.toPath(change.uri);
        const kind = KIND[change.type];
        if (!file || !kind || session.documents.get(change.uri)) continue; // open documents are followed through the editor
        changes.push({ file, kind });
      }
      if (!changes.length) return;
      const cookbooks = session.analysis.filesChanged(changes);
      if (cookbooks.size) for (const c of changes) session.documents.notify(c.file, cookbooks); // else nothing depends on them
    }));
    // Declared statically (changeNotifications), so no registration: the client sends these on its own.
    conn.onNotification(DidChangeWorkspaceFoldersNotification.type, session.guard('workspace folders', (params) => {
      const paths = (list: { uri: string }[]) => list.map((f) => URI.toPath(f.uri)).filter((f): f is string => !!f);
      session.changeFolders(paths(params.event.added), paths(params.event.removed));
    }));
    conn.onDidChangeConfiguration(session.guard('configuration', async (params) => { await session.refreshSettings(params.settings); }));
  },
};
