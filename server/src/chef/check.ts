/**
 * Diagnostics for files, cookbooks or a workspace. Every recipe of each cookbook involved is
 * compiled (one compilation per cookbook, each recipe its own run-list entry, so duplicates are
 * only compared within one recipe's include tree) and findings are kept for the requested paths.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { Model } from './model';
import type { PlatformFacts } from './platforms';
import type { Cookbook } from './workspace';
import type { RunInputs } from './inputs/runInputs';
import type { Compilation } from './compilation';
import { syntaxDiagnostics, rubyFilesOf } from './rules/syntaxRule';
import { actionBodyDiagnostics } from './resourceBodies';
import { findingsAtCallSites } from './callSites';

/**
 * Diagnostics of the paths; `onCompilation` sees each cookbook's compilation (for statistics).
 */
/**
 * `opts`: the run's inputs (node attributes, roles, …) for every compilation, and a run list of its
 * own (a suite's, a node JSON's, a policy's) that is compiled as one more run.
 */
export function checkPaths(model: Model, paths: string[], facts: PlatformFacts, onCompilation?: (c: Compilation) => void, opts: { inputs?: RunInputs; runList?: string[] } = {}): Diagnostic[] {
  const inScope = (file: string) => paths.some((p) => file === p || file.startsWith(p + path.sep));
  const cookbooks = new Set<Cookbook>();
  for (const p of paths) {
    const owner = model.ws.cookbookOf(p);
    if (owner) cookbooks.add(owner);
    for (const cb of model.ws.cookbooks.values()) if (inScope(cb.dir)) cookbooks.add(cb);
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const bodies = new Map<Cookbook, Diagnostic[]>();
  const bodiesOf = (cb: Cookbook) => bodies.get(cb) ?? bodies.set(cb, actionBodyDiagnostics(model, cb, facts)).get(cb)!;
  const reportedByOwner = (d: Diagnostic) => {
    const owner = model.ws.cookbookOf(d.file);
    return !!owner && bodiesOf(owner).some((b) => b.file === d.file && b.line === d.line && b.code === d.code);
  };
  const runs: { cb: Cookbook; runList: string[] }[] = [...cookbooks].map((cb) => ({ cb, runList: model.allRecipes(cb) }));
  const entry = opts.runList?.length ? model.ws.cookbooks.get(opts.runList[0].split('::')[0]) : undefined;
  if (entry && opts.runList) runs.unshift({ cb: entry, runList: opts.runList });
  for (const { cb, runList } of runs) {
    const compilation = runList.length ? model.compile(runList, facts, opts.inputs) : undefined;
    if (compilation) onCompilation?.(compilation);
    const run = compilation ? model.diagnostics(compilation) : rubyFilesOf(cb).flatMap((f) => syntaxDiagnostics(model.ws, f));
    const own = withActionBodies(run, bodiesOf(cb));
    const inCookbook = (f: string) => f.startsWith(cb.dir + path.sep);
    // A finding moved to its call site is reported there only.
    const moved = compilation ? findingsAtCallSites(own, compilation, inCookbook, reportedByOwner) : [];
    const movedFrom = new Set(moved.map((m) => m.from));
    const diags = [...own.filter((d) => !movedFrom.has(d)), ...moved.map((m) => m.at)];
    for (const d of diags) {
      const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
      if (!inScope(d.file) || seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/**
 * A run's findings plus those of the custom resources' actions checked on their own; where both
 * report the same rule at the same place, the run's (with its known values) wins.
 */
export function withActionBodies(run: Diagnostic[], bodies: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.code}`;
  const seen = new Set(run.map(key));
  const out = [...run];
  for (const d of bodies) if (!seen.has(key(d))) { seen.add(key(d)); out.push(d); }
  return out;
}
