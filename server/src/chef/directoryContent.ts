/**
 * The files a remote_directory copies: Chef takes the whole tree from the most specific of
 * `files/host-<fqdn>/<source>`, `files/<platform>-<version>/<source>` … `files/default/<source>`,
 * `files/<source>` that holds any file (relative_filenames_in_preferred_directory), shallowest
 * first. A file of that tree that is (or lies under) a symlink leading outside the cookbook is
 * never read: the whole directory is unknown, saying why (as a cookbook_file's source would be).
 */
import * as path from 'node:path';
import type { Compilation } from './compilation';
import { outsideCookbook, readCookbookFile, specificityDirs } from './cookbookFiles';
import type { ContentResult, SourceTreeFile } from './fileContent';
import { type ResourceDecl, propValue } from './resourceDecl';

/** A remote_directory larger than this is not read into a plan (its step says so). */
export const MAX_TREE_BYTES = 64 * 1024 * 1024;

/** The cookbook and source folder a remote_directory asks for, or why it is not known. */
function request(r: ResourceDecl): { cookbook: string; source: string } | { unknown: string } {
  const sourceV = propValue(r, 'source');
  const pathV = propValue(r, 'path') ?? r.name;
  const source = sourceV?.k === 'str' ? sourceV.v : sourceV === undefined && pathV.k === 'str' ? path.posix.basename(pathV.v) : undefined;
  if (source === undefined) return { unknown: 'source is not known statically' };
  const cookbookV = propValue(r, 'cookbook');
  const byDefault = r.sourceCookbook === undefined ? r.cookbook : r.sourceCookbook ?? undefined;
  const cookbook = cookbookV?.k === 'str' ? cookbookV.v : cookbookV ? undefined : byDefault;
  if (!cookbook) return { unknown: 'the cookbook of its files is not known statically' };
  return { cookbook, source };
}

/** The files of a remote_directory with their bytes, or why they cannot be given. */
export function directoryContent(c: Compilation, r: ResourceDecl): ContentResult {
  const req = request(r);
  if ('unknown' in req) return req;
  if (path.isAbsolute(req.source) || req.source.split(/[\\/]/).includes('..')) return { unknown: `source ${req.source} leaves the cookbook's files folder`, failed: true };
  const cb = c.cookbook(req.cookbook);
  if (!cb) return { unknown: `cookbook ${req.cookbook} is not in the workspace` };
  let chosen: { root: string; files: string[] } | undefined;
  for (const dir of specificityDirs(c.facts)) {
    const root = path.join(cb.dir, 'files', dir, req.source);
    const files = cb.files.files.filter((f) => f.startsWith(root + path.sep));
    if (files.length) { chosen = { root, files }; break; }
  }
  if (!chosen) return { unknown: `cookbook ${cb.name} has no directory files/default/${req.source} (Chef raises FileNotFound)`, failed: true };
  const out: SourceTreeFile[] = [];
  let total = 0;
  for (const file of chosen.files) {
    const outside = outsideCookbook(cb, file);
    if (outside) return { unknown: outside };
    const read = readCookbookFile(file, path.relative(cb.dir, file));
    if ('error' in read) return { unknown: read.error };
    const { bytes } = read;
    total += bytes.length;
    if (total > MAX_TREE_BYTES) return { unknown: `files/…/${req.source} holds more than ${MAX_TREE_BYTES / (1024 * 1024)} MiB: too large to plan` };
    out.push({ path: path.relative(chosen.root, file).split(path.sep).join('/'), bytes });
  }
  // Chef transfers the shallowest files first (sort_by the number of separators).
  const depth = (p: string): number => p.split('/').length;
  out.sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: out };
}
