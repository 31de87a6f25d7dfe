/** Semantic tokens: resource types, their properties and their actions, from the syntax tree. */
import type { FileView } from './types';
import { walk, isCall, isResourceType, literal, type PrismNode } from './syntax';

export const TOKEN_TYPES = ['type', 'property', 'enumMember'] as const;
export const TOKEN_MODIFIERS = ['deprecated', 'defaultLibrary'] as const;

export interface Token { line: number; character: number; length: number; type: number; modifiers: number }

/** Tokens in document order (single-line, as LSP requires). */
export function semanticTokens(view: FileView): Token[] {
  const parsed = view.parsed;
  if (!parsed) return [];
  const out: Token[] = [];
  const push = (loc: { startOffset: number; length: number }, type: number, modifiers = 0) => {
    const s = parsed.lines.position(loc.startOffset), e = parsed.lines.position(loc.startOffset + loc.length);
    if (s.line === e.line && e.character > s.character) out.push({ line: s.line, character: s.character, length: e.character - s.character, type, modifiers });
  };
  walk(parsed.tree, (n: PrismNode, parents) => {
    if (!isCall(n) || n.receiver || !n.messageLoc) return;
    const owner = [...parents].reverse().find((p: PrismNode) => isCall(p) && !p.receiver && p.block && isResourceType(view, p.name));
    const schema = owner ? view.model.catalog.resolve(owner.name, view.facts) : undefined;
    if (schema?.properties.has(n.name)) {
      push(n.messageLoc, 1, schema.properties.get(n.name)!.deprecated ? 1 : 0);
      return;
    }
    if (schema && n.name === 'action') {
      walk(n.arguments_, (a: PrismNode) => { const s = literal(a); if (a.constructor.name === 'SymbolNode' && s && schema.actions.includes(s)) push(a.valueLoc ?? a.location, 2); });
      return;
    }
    if (!owner && (n.block || n.arguments_) && isResourceType(view, n.name)) {
      const s = view.model.catalog.resolve(n.name, view.facts);
      push(n.messageLoc, 0, s?.source === 'builtin' ? 2 : 0);
    }
  });
  return out.sort((a, b) => a.line - b.line || a.character - b.character);
}
