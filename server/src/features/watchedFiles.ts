/**
 * Files changed on disk (created, edited outside the editor, deleted): the analysis re-reads what
 * they affect, and dependent open documents are re-evaluated. Also follows workspace folders and
 * settings changes.
 */
import { DidChangeWatchedFilesNotification, FileChangeType, DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { URI } from '../documents';
import type { Feature } from './session';

const KIND = { [FileChangeType.Created]: 'created', [FileChangeType.Changed]: 'changed', [FileChangeType.Deleted]: 'deleted' } as const;

export const watchedFiles: Feature = {
  capabilities() {
    return { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } };
  },
  register(session) {
    const conn = session.connection;
    session.onStarted(() => {
      if (session.client.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        void conn.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{rb,erb,yml,yaml,json}' }, { globPattern: '**/{templates,files}/**' }] });
      }
      if (session.client.workspace?.didChangeConfiguration?.dynamicRegistration) void conn.client.register(DidChangeConfigurationNotification.type, { section: 'cloche' });
    });
    conn.onDidChangeWatchedFiles(session.guard('watched files', (params) => {
      for (const change of params.changes) {
        const file = URI.toPath(change.uri);
        if (!file || session.documents.get(change.uri)) continue; // open documents are followed through the editor
        session.documents.notify(file, session.analysis.fileChanged(file, KIND[change.type]));
      }
    }));
    conn.onDidChangeConfiguration(session.guard('configuration', async (params) => { await session.refreshSettings(params.settings); }));
  },
};
