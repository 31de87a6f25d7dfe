/** Inlay hints adapter (resolved attribute values), switched by `cloche.inlayHints.attributeValues`. */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver/node';
import { attributeHints } from '../lang/inlayHints';
import type { Feature } from './session';

export const inlayHints: Feature = {
  capabilities() {
    return { inlayHintProvider: true };
  },
  register(session) {
    session.connection.languages.inlayHint.on(session.handle('inlayHint', [] as InlayHint[], (params) => {
      if (!session.settings.inlayHints.attributeValues) return [];
      const view = session.view(params.textDocument.uri, { stale: true });
      return view ? attributeHints(view, params.range).map((h) => ({ position: h.position, label: h.label, kind: InlayHintKind.Type, tooltip: h.tooltip, paddingLeft: false })) : [];
    }));
    session.onReindex(() => { if (session.client.workspace?.inlayHint?.refreshSupport) void session.connection.languages.inlayHint.refresh(); });
  },
};
