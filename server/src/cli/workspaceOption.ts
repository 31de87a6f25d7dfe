/**
 * Which workspace a CLI path belongs to. A path inside a cookbook is checked with the cookbook's
 * siblings, so `include_recipe 'other::x'` resolves; `--cookbook-path DIR` adds more roots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model } from '../chef/model';
import { enclosingCookbook } from '../chef/workspace';
import type { ParsedArgs } from './args';
import { UsageError } from './io';

export function modelFor(paths: string[], args: ParsedArgs): Model {
  const roots = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) throw new UsageError(`${p}: no such file or directory`);
    try { fs.accessSync(abs, fs.constants.R_OK); } catch { throw new UsageError(`${p}: not readable`); }
    const cb = enclosingCookbook(abs);
    roots.add(cb ? path.dirname(cb) : abs);
  }
  for (const extra of (args.values.get('cookbook-path') ?? '').split(':').filter(Boolean)) roots.add(path.resolve(extra));
  return new Model([...roots], { stableDisk: true });
}
