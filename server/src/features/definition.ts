/** Go to definition and find references adapters. */
import type { Location } from 'vscode-languageserver/node';
import { definition as definitionAt, references as referencesAt } from '../lang/definition';
import type { Place } from '../lang/types';
import { URI } from '../documents';
import type { Feature } from './session';

export const toLocation = (p: Place): Location => ({ uri: URI.fromPath(p.file), range: p.span });

export const definition: Feature = {
  capabilities() {
    return { definitionProvider: true, referencesProvider: true };
  },
  register(session) {
    session.connection.onDefinition(session.handle('definition', [] as Location[], (params) => {
      const view = session.view(params.textDocument.uri);
      // Only places the client would be served too (no definition leads out of the workspace).
      return view ? definitionAt(view, params.position).map(toLocation).filter((l) => session.served(l.uri)) : [];
    }));
    session.connection.onReferences(session.handle('references', [] as Location[], (params) => {
      const view = session.view(params.textDocument.uri);
      return view ? referencesAt(view, params.position, params.context.includeDeclaration).map(toLocation).filter((l) => session.served(l.uri)) : [];
    }));
  },
};
