/** Completion adapter: resource types, properties, actions, values, targets, timers, recipes, sources, attributes, platforms, @variables. */
import { CompletionItemKind, InsertTextFormat, MarkupKind, CompletionItemTag, type CompletionItem } from 'vscode-languageserver/node';
import { complete, type CompletionEntry, type EntryKind } from '../lang/completion';
import type { Feature } from './session';

const KIND: Record<EntryKind, CompletionItemKind> = {
  resource: CompletionItemKind.Class, property: CompletionItemKind.Property, action: CompletionItemKind.EnumMember, value: CompletionItemKind.Value,
  target: CompletionItemKind.Reference, timer: CompletionItemKind.Constant, recipe: CompletionItemKind.Module, file: CompletionItemKind.File,
  attribute: CompletionItemKind.Field, platform: CompletionItemKind.Constant, variable: CompletionItemKind.Variable, keyword: CompletionItemKind.Keyword,
};

export function toItem(e: CompletionEntry): CompletionItem {
  const text = e.insertText ?? e.label;
  return {
    label: e.label, kind: KIND[e.kind], detail: e.detail, sortText: e.sortText,
    documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(e.replace ? { textEdit: { range: e.replace, newText: text }, filterText: e.label } : { insertText: text }),
    tags: e.deprecated ? [CompletionItemTag.Deprecated] : undefined,
  };
}

export const completion: Feature = {
  capabilities() {
    return { completionProvider: { triggerCharacters: ["'", '"', ':', '[', '@', ' ', '?', '('], resolveProvider: false } };
  },
  register(session) {
    session.connection.onCompletion(session.handle('completion', [] as CompletionItem[], (params) => {
      // A slightly outdated compilation is fine for candidates; the context comes from the current text.
      const view = session.view(params.textDocument.uri, { stale: true });
      return view ? complete(view, params.position).map(toItem) : [];
    }));
  },
};
