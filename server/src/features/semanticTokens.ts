/** Semantic tokens adapter: resource types, properties and actions. */
import { SemanticTokensBuilder, type SemanticTokens } from 'vscode-languageserver/node';
import { semanticTokens as tokensOf, TOKEN_TYPES, TOKEN_MODIFIERS } from '../lang/semanticTokens';
import type { Feature } from './session';

export const semanticTokens: Feature = {
  capabilities() {
    return { semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true } };
  },
  register(session) {
    session.connection.languages.semanticTokens.on(session.handle('semanticTokens', { data: [] } as SemanticTokens, (params) => {
      const view = session.view(params.textDocument.uri, { stale: true });
      const builder = new SemanticTokensBuilder();
      for (const t of view ? tokensOf(view) : []) builder.push(t.line, t.character, t.length, t.type, t.modifiers);
      return builder.build();
    }));
  },
};
