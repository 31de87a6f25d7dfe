/**
 * Which cookbook folder a path belongs to, from the disk alone: kept apart from workspace.ts (which
 * parses Ruby) so the extension can ask without bundling the parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The cookbook folder containing `p` (itself or up to a few levels up), if any. */
export function enclosingCookbook(p: string): string | undefined {
  let dir = fs.existsSync(p) && fs.statSync(p).isDirectory() ? p : path.dirname(p);
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'metadata.rb')) || fs.existsSync(path.join(dir, 'metadata.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}
