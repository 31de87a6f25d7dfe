/**
 * Which cookbook folder a path belongs to, from the disk alone: kept apart from workspace.ts (which
 * parses Ruby) so the extension can ask without bundling the parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Whether a folder holds a metadata file (is a cookbook folder). */
export function hasMetadata(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'metadata.rb')) || fs.existsSync(path.join(dir, 'metadata.json'));
}

/** The cookbook folder containing `p` (itself or up to a few levels up), if any. */
export function enclosingCookbook(p: string): string | undefined {
  let dir = fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : path.dirname(p);
  for (let i = 0; i < 6; i++) {
    if (hasMetadata(dir)) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * The folders a run from `p` searches for cookbooks: the siblings of its cookbook, and when that is
 * a fixture cookbook inside another one (`test/fixtures/cookbooks/test`), the siblings of that one
 * too (the repository's dependencies). Outside any cookbook, `p` itself.
 */
export function searchRootsFor(p: string): string[] {
  const cb = enclosingCookbook(p);
  if (!cb) return [p];
  const outer = enclosingCookbook(path.dirname(cb));
  return outer ? [path.dirname(cb), path.dirname(outer)] : [path.dirname(cb)];
}
