/**
 * The file a resource would write, for people and the graph before any container exists: a
 * template rendered with its variables and the node's attributes, a cookbook_file's bytes, a file's
 * `content`. What cannot be known is marked (`RenderedText` in protocol.ts), never guessed: a
 * remote_file's bytes come from the network when Chef runs, a sensitive resource is not shown.
 */
import type { Graph, RenderedContent, RenderedText } from '../protocol';
import { toS } from '../ruby/values';
import type { Compilation } from './compilation';
import { findSource, sourceRequest } from './cookbookFiles';
import { desiredContent } from './fileContent';
import { type ResourceDecl, propValue } from './resourceDecl';

/** Resource types whose content this renders (as resolved for the platform). */
export const FILE_LIKE = new Set(['template', 'cookbook_file', 'file', 'remote_file']);

/** What the resource would write, or undefined when it is not file-like or leaves the content alone (a `file` without `content`). */
export function renderedContent(c: Compilation, r: ResourceDecl): RenderedContent | undefined {
  const type = r.resolvedType;
  if (!FILE_LIKE.has(type)) return undefined;
  const source = sourceFile(c, r);
  const at = (text: RenderedText): RenderedContent => (source ? { source, text } : { text });
  if (isSensitive(r)) return at({ $unknown: 'the resource is sensitive: its content is not shown' });
  if (type === 'remote_file') {
    const src = propValue(r, 'source');
    const urls = src?.k === 'str' ? [src.v] : src?.k === 'array' && src.items.every((i) => i.k === 'str') ? src.items.map(toS) : [];
    const from = urls.length ? ` from ${urls.join(' or ')}` : '';
    return at({ $unknown: `downloaded${from} when Chef runs` });
  }
  const result = desiredContent(c, r);
  if (!result || 'files' in result) return undefined;
  if ('content' in result) return at(result.bytes || binary(result.content) ? { $unknown: `a binary file (${result.bytes?.length ?? Buffer.byteLength(result.content)} bytes)` } : result.content);
  return at(result.parts ? { $unknown: result.unknown, parts: result.parts } : { $unknown: result.unknown });
}

/** The graph with each file-like resource's content (`cloche graph --with-content`). */
export function withContent(graph: Graph, c: Compilation): Graph {
  const byId = new Map<string, ResourceDecl>();
  for (const r of c.resources) if (!byId.has(r.id)) byId.set(r.id, r);
  return {
    ...graph,
    // The graph lists the compilation's resources in its order; by id only if it does not.
    resources: graph.resources.map((g, i) => {
      const r = c.resources[i]?.id === g.id ? c.resources[i] : byId.get(g.id);
      const content = r && renderedContent(c, r);
      return content ? { ...g, content } : g;
    }),
  };
}

/** The template or cookbook file the resource reads, when it is known and found. */
function sourceFile(c: Compilation, r: ResourceDecl): string | undefined {
  const req = sourceRequest(r);
  const cb = req && c.cookbook(req.cookbook);
  return req && cb ? req.names.map((n) => findSource(cb, req.kind, n, c.facts)).find(Boolean) : undefined;
}

function isSensitive(r: ResourceDecl): boolean {
  const s = propValue(r, 'sensitive');
  return s?.k === 'bool' && s.v;
}

/** Text that is not text: a NUL byte, or bytes that are not UTF-8 (decoded as U+FFFD). */
function binary(text: string): boolean {
  return text.includes('\u0000') || text.includes('\uFFFD');
}
