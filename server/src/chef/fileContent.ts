/**
 * The content a file, template or cookbook_file resource wants on disk: `content` as set, a template
 * rendered with its variables, or the cookbook file's bytes. Unknown (with why) when it cannot be known.
 */
import { hashOf } from '../ruby/values';
import { RModule } from '../ruby/objects';
import type { Compilation } from './compilation';
import { findSource, outsideCookbook, readCookbookFile, sourceRequest } from './cookbookFiles';
import { directoryContent } from './directoryContent';
import { renderErb, type RenderedPart } from './erb';
import { type ResourceDecl, propValue } from './resourceDecl';

/** One file of a remote_directory's tree: its path below the directory (`/`-separated) and bytes. */
export interface SourceTreeFile { path: string; bytes: Buffer }

/**
 * The content, or why it is not known; `parts` (with `unknown`) is the text as far as it is known,
 * each hole marked `{ $unknown: why }` (a template with an expression or a branch the evaluator
 * cannot know); `failed` when Chef itself would fail for that reason (a directory it does not
 * find). `bytes` are a cookbook file's exact bytes when they are not UTF-8 text (`content` is then
 * only their lossy decoding); `files` is a remote_directory's tree (chef/directoryContent.ts). The
 * engine acts only on `content`/`bytes` and `files`.
 */
export type ContentResult = { content: string; bytes?: Buffer } | { unknown: string; parts?: RenderedPart[]; failed?: boolean } | { files: SourceTreeFile[] } | undefined;

export function desiredContent(c: Compilation, r: ResourceDecl): ContentResult {
  if (r.resolvedType === 'remote_directory') return directoryContent(c, r);
  if (r.resolvedType === 'file') {
    const v = propValue(r, 'content');
    if (v === undefined) return undefined;
    if (v.k === 'str') return { content: v.v };
    if (v.k === 'nil') return undefined;
    return { unknown: v.k === 'unknown' ? v.reason : v.k === 'lazy' ? 'content is computed at converge time (lazy)' : 'content is not a string' };
  }
  const req = sourceRequest(r);
  if (!req) return r.resolvedType === 'template' || r.resolvedType === 'cookbook_file' ? { unknown: 'source is not known statically' } : undefined;
  const cb = c.cookbook(req.cookbook);
  if (!cb) return { unknown: `cookbook ${req.cookbook} is not in the workspace` };
  const file = req.names.map((n) => findSource(cb, req.kind, n, c.facts)).find(Boolean);
  if (!file) return { unknown: `${req.names.join(' or ')} not found in ${cb.name}/${req.kind}` };
  const outside = outsideCookbook(cb, file);
  if (outside) return { unknown: outside };
  if (req.kind === 'files') {
    const read = readCookbookFile(file);
    if ('error' in read) return { unknown: read.error };
    const { bytes } = read;
    const text = bytes.toString('utf8');
    return Buffer.from(text, 'utf8').equals(bytes) ? { content: text } : { content: text, bytes };
  }
  const text = c.model.ws.readFile(file);
  if (text === undefined) return { unknown: `cannot read ${file}` };
  const vars = propValue(r, 'variables') ?? hashOf([]);
  if (vars.k === 'lazy') return { unknown: 'template variables are computed at converge time (lazy)' };
  const helperModules = r.props.filter((p) => p.name === 'helpers').flatMap((p) => (p.value.k === 'array' ? p.value.items : [p.value]))
    .flatMap((v) => (v.k === 'object' && v.obj instanceof RModule ? [v.obj] : []));
  const result = renderErb(text, file, { variables: vars, node: c.node, facts: c.facts, world: c.model.world, helperModules });
  if (result.content !== undefined) return { content: result.content };
  return result.parts ? { unknown: result.unknown ?? 'not known', parts: result.parts } : { unknown: result.unknown ?? 'not known' };
}
