/** Hover adapter: resource and property docs, attributes with precedence, targets, unknown reasons. */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { hover as hoverAt } from '../lang/hover';
import type { Feature } from './session';

export const hover: Feature = {
  capabilities() {
    return { hoverProvider: true };
  },
  register(session) {
    session.connection.onHover(session.handle('hover', null as Hover | null, (params) => {
      const view = session.view(params.textDocument.uri);
      const h = view && hoverAt(view, params.position);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.span } : null;
    }));
  },
};
