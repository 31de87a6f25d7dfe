/**
 * Which workspace a CLI path belongs to, and the worlds it is checked in. A path inside a cookbook
 * is searched with the cookbook's siblings (and a fixture cookbook's with its repository's), so
 * `depends` and `include_recipe 'other::x'` can resolve; `--cookbook-path DIR[:DIR]` adds more roots,
 * searched in that order after them. What a
 * run uses of all that is resolved per cookbook (`chef/resolution.ts`): `check PATH` checks the
 * cookbooks under PATH, each with what it depends on, never every sibling folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Model } from '../chef/model';
import { ModelSet } from '../chef/modelSet';
import { cookbooksUnder } from '../chef/check';
import { Workspace } from '../chef/workspace';
import { searchRootsFor } from '../chef/enclosingCookbook';
import type { ParsedArgs } from './args';
import { UsageError } from './io';

/** The workspace of the paths (scanned once; the disk is stable for one run). */
export function workspaceFor(paths: string[], args: ParsedArgs): Workspace {
  const roots = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(p);
    if (!fs.existsSync(abs)) throw new UsageError(`${p}: no such file or directory`);
    try { fs.accessSync(abs, fs.constants.R_OK); } catch { throw new UsageError(`${p}: not readable`); }
    for (const root of searchRootsFor(abs)) roots.add(root);
  }
  for (const extra of (args.values.get('cookbook-path') ?? '').split(':').filter(Boolean)) roots.add(path.resolve(extra));
  const ws = new Workspace([...roots], true);
  ws.scan();
  return ws;
}

/** The worlds `check PATH…` needs: the cookbooks under the paths, each resolved for itself. */
export function modelsFor(paths: string[], args: ParsedArgs): ModelSet {
  const ws = workspaceFor(paths, args);
  const abs = paths.map((p) => path.resolve(p));
  return new ModelSet(ws, () => cookbooksUnder(ws, abs));
}

/**
 * The world of a run from PATH (graph): its cookbook and the run list's cookbooks resolved together
 * (a suite's `test::default` is the repository's own `test`).
 */
export function modelFor(paths: string[], args: ParsedArgs, runList: string[] = []): Model {
  const set = modelsFor(paths, args);
  return set.modelForRun(set.ws.cookbookOf(path.resolve(paths[0])), runList);
}
