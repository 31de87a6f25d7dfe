/**
 * Where the cursor is in a Ruby file, from the prism tree: the chain of nodes around an offset, the
 * resource block that encloses it, and the compiled resource declared there. Shared by completion,
 * hover, definition and the other features so each asks the same questions the same way.
 */
import type { ParsedRuby } from '../ruby/prism';
import type { ResourceDecl } from '../chef/resourceDecl';
import type { ResourceSchema } from '../chef/catalog/schema';
import { findAttributeRefs, type AttributeRef } from '../chef/attributeRefs';
import type { FileView, Pos } from './types';

// prism's JS nodes are untyped for our purposes; the helpers below are the only place that reads them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PrismNode = any;

interface ByteRange { startOffset: number; length: number }

export const within = (loc: ByteRange | undefined, offset: number): boolean => !!loc && offset >= loc.startOffset && offset <= loc.startOffset + loc.length;

/** The nodes containing a byte offset, outermost first. */
export function nodePath(parsed: ParsedRuby, offset: number): PrismNode[] {
  const out: PrismNode[] = [];
  let cur: PrismNode = parsed.tree;
  for (let depth = 0; cur && depth < 500; depth++) {
    out.push(cur);
    let next: PrismNode;
    for (const child of cur.compactChildNodes?.() ?? []) {
      if (within(child.location, offset)) { next = child; break; }
    }
    cur = next;
  }
  return out;
}

/** The byte offset of a position in a parsed file. */
export function offsetOf(parsed: ParsedRuby, pos: Pos): number {
  return parsed.lines.byteOffsetAt(pos);
}

/** A 0-based span for a prism location. */
export function spanOfNode(parsed: ParsedRuby, loc: ByteRange): { start: Pos; end: Pos } {
  return { start: parsed.lines.position(loc.startOffset), end: parsed.lines.position(loc.startOffset + loc.length) };
}

export const isCall = (n: PrismNode): boolean => n?.constructor?.name === 'CallNode';
export const literal = (n: PrismNode): string | undefined => {
  const k = n?.constructor?.name;
  return k === 'StringNode' || k === 'SymbolNode' ? n.unescaped?.value : undefined;
};

/** Whether a bare name declares a resource (built-in, custom, definition or library resource). */
export function isResourceType(view: FileView, name: string): boolean {
  return view.model.catalog.has(name) || view.model.definitions.has(name) || view.model.libraryResourceNames.has(name);
}

export interface EnclosingResource {
  type: string;
  call: PrismNode;
  /** The compiled declaration at this place, when the compilation reached it. */
  decl?: ResourceDecl;
  schema?: ResourceSchema;
}

/** The innermost resource block (`type 'name' do … end`) whose block contains the offset. */
export function enclosingResource(view: FileView, path: PrismNode[], offset: number): EnclosingResource | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const n = path[i];
    if (!isCall(n) || n.receiver || !n.block || n.block.constructor.name !== 'BlockNode') continue;
    if (!within(n.block.location, offset) || !isResourceType(view, n.name)) continue;
    const decl = declAt(view, n);
    return { type: n.name, call: n, decl, schema: decl?.schema ?? view.model.catalog.resolve(n.name, view.facts) };
  }
  return undefined;
}

/** The compiled declaration made by a call node (same file, same start line and type). */
export function declAt(view: FileView, call: PrismNode): ResourceDecl | undefined {
  if (!view.parsed || !view.analysis?.compilation) return undefined;
  const line = view.parsed.lines.position(call.location.startOffset).line + 1;
  return view.analysis.compilation.resources.find((r) => r.file === view.file && r.loc.line === line && r.type === call.name);
}

/** Resources a file declares in its cookbook's compilation. */
export function declsIn(view: FileView): ResourceDecl[] {
  return view.analysis?.compilation?.resources.filter((r) => r.file === view.file) ?? [];
}

/** Attribute chains of a file (cached per parse, i.e. per document version). */
export function attributeRefs(parsed: ParsedRuby): readonly AttributeRef[] {
  return findAttributeRefs(parsed);
}

/** The attribute path under the cursor: the chain up to the hovered key. */
export function attributeAt(parsed: ParsedRuby, offset: number): { path: string[]; ref: AttributeRef } | undefined {
  for (const ref of attributeRefs(parsed)) {
    if (!within(ref, offset)) continue;
    const key = ref.keys.findIndex((k) => within(k, offset));
    return { path: key >= 0 ? ref.path.slice(0, key + 1) : ref.path, ref };
  }
  return undefined;
}

/** Walks every node of a tree (depth-limited), calling `visit` on each. */
export function walk(node: PrismNode, visit: (n: PrismNode, parents: PrismNode[]) => void, parents: PrismNode[] = []): void {
  if (!node || parents.length > 300) return;
  visit(node, parents);
  parents.push(node);
  for (const child of node.compactChildNodes?.() ?? []) walk(child, visit, parents);
  parents.pop();
}
