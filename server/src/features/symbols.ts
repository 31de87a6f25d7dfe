/** Document symbols, workspace symbols, folding ranges and document links adapters. */
import {
  SymbolKind, FoldingRangeKind, type DocumentSymbol, type SymbolInformation, type FoldingRange, type DocumentLink,
} from 'vscode-languageserver/node';
import { documentSymbols, workspaceSymbols, foldingRanges, documentLinks, type SymbolKind as Kind } from '../lang/symbols';
import { URI } from '../documents';
import type { Feature } from './session';

const KIND: Record<Kind, SymbolKind> = {
  resource: SymbolKind.Class, recipe: SymbolKind.Module, property: SymbolKind.Property, action: SymbolKind.Method,
  attribute: SymbolKind.Field, definition: SymbolKind.Function, template: SymbolKind.File,
};

export const symbols: Feature = {
  capabilities() {
    return { documentSymbolProvider: true, workspaceSymbolProvider: true, foldingRangeProvider: true, documentLinkProvider: { resolveProvider: false } };
  },
  register(session) {
    const conn = session.connection;
    conn.onDocumentSymbol(session.handle('documentSymbol', [] as DocumentSymbol[], (params) => {
      const view = session.view(params.textDocument.uri, { stale: true });
      return view ? documentSymbols(view).map((s) => ({ name: s.name, detail: s.detail, kind: KIND[s.kind], range: s.span, selectionRange: s.selection })) : [];
    }));
    // Every cookbook's symbols: it waits for the whole workspace to be indexed.
    conn.onWorkspaceSymbol(session.handle('workspaceSymbol', [] as SymbolInformation[], async (params) => {
      await session.analysis.whenIndexed();
      return workspaceSymbols(session.analysis.allModels(), params.query).map((s) => ({ name: s.name, kind: KIND[s.kind], location: { uri: URI.fromPath(s.place.file), range: s.place.span }, containerName: s.container }))
        .filter((s) => session.served(s.location.uri));
    }));
    conn.onFoldingRanges(session.handle('foldingRange', [] as FoldingRange[], (params) => {
      const view = session.view(params.textDocument.uri, { stale: true });
      return view ? foldingRanges(view).map((f) => ({ startLine: f.start, endLine: f.end, kind: f.comment ? FoldingRangeKind.Comment : undefined })) : [];
    }));
    conn.onDocumentLinks(session.handle('documentLink', [] as DocumentLink[], (params) => {
      const view = session.view(params.textDocument.uri, { stale: true });
      return view ? documentLinks(view).map((l) => ({ range: l.span, target: URI.fromPath(l.target), tooltip: l.tooltip })).filter((l) => session.served(l.target)) : [];
    }));
  },
};
