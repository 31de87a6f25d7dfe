/**
 * Diagnostics for files, cookbooks or a workspace. Every recipe of each cookbook involved is
 * compiled (one compilation per cookbook, each recipe its own run-list entry, so duplicates are
 * only compared within one recipe's include tree) and findings are kept for the requested paths.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { ModelSource } from './modelSet';
import type { PlatformFacts } from './platforms';
import type { Cookbook, Workspace } from './workspace';
import type { Model } from './model';
import type { RunInputs } from './inputs/runInputs';
import type { Compilation } from './compilation';
import { syntaxDiagnostics, rubyFilesOf } from './rules/syntaxRule';
import { parseFailureDiagnostics } from './rules/nestingRule';
import { actionBodyDiagnostics } from './resourceBodies';
import { findingsAtCallSites } from './callSites';
import { type DiagnosticPolicy, applyPolicy } from './diagnosticPolicy';
import { ProjectConfigs } from './projectConfig';

/**
 * Diagnostics of the paths; `onCompilation` sees each cookbook's compilation (for statistics). Each
 * cookbook under the paths is compiled in its own world (`source.modelOf`: its resolution), so
 * several cookbooks of one name (every repository's `test`) are each checked with their own
 * dependencies. `opts`: the run's inputs (node attributes, roles, …) for every compilation, and a run
 * list of its own (a suite's, a node JSON's, a policy's) that is compiled as one more run, started
 * from the first path's cookbook.
 */
export function checkPaths(source: ModelSource, paths: string[], facts: PlatformFacts, onCompilation?: (c: Compilation) => void, opts: { inputs?: RunInputs; runList?: string[]; policy?: DiagnosticPolicy } = {}): Diagnostic[] {
  const ws = source.ws;
  const policy = opts.policy ?? { severity: {}, configs: new ProjectConfigs(ws) };
  const inScope = (file: string) => paths.some((p) => file === p || file.startsWith(p + path.sep));
  const cookbooks = cookbooksUnder(ws, paths);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const bodies = new Map<Cookbook, Diagnostic[]>();
  const bodiesOf = (cb: Cookbook) => bodies.get(cb) ?? bodies.set(cb, actionBodyDiagnostics(source.modelOf(cb), cb, facts)).get(cb)!;
  const reportedByOwner = (d: Diagnostic) => {
    const owner = ws.cookbookOf(d.file);
    return !!owner && bodiesOf(owner).some((b) => b.file === d.file && b.line === d.line && b.code === d.code);
  };
  const runs: { cb: Cookbook; model: Model; runList: string[] }[] = cookbooks.map((cb) => { const model = source.modelOf(cb); return { cb, model, runList: model.allRecipes(cb) }; });
  if (opts.runList?.length) {
    const model = source.modelForRun(ws.cookbookOf(paths[0]), opts.runList);
    const entry = model.cookbook(opts.runList[0].replace(/^recipe\[(.*)\]$/, '$1').split('::')[0]);
    if (entry) runs.unshift({ cb: entry, model, runList: opts.runList });
  }
  for (const { cb, model, runList } of runs) {
    const compilation = runList.length ? model.compile(runList, facts, opts.inputs) : undefined;
    if (compilation) onCompilation?.(compilation);
    const run = compilation ? model.diagnostics(compilation) : [...rubyFilesOf(cb).flatMap((f) => [...syntaxDiagnostics(ws, f), ...parseFailureDiagnostics(ws, f)]), ...model.resolution.findings];
    const diags = cookbookFindings(ws, cb, run, bodiesOf(cb), compilation, reportedByOwner, policy);
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
 * A cookbook run's findings as every front end reports them, the one place the editor (analysis.ts)
 * and `cloche check` both pass: the run's, plus those of its custom resources' actions checked on
 * their own, with the findings caused inside another cookbook moved to their call sites here (and
 * reported there only), then the author's choices (diagnosticPolicy.ts: severities, ignore globs,
 * disable comments), applied once.
 */
export function cookbookFindings(ws: Workspace, cb: Cookbook, run: Diagnostic[], bodies: Diagnostic[], compilation: Compilation | undefined,
  reportedByOwner: (d: Diagnostic) => boolean, policy: DiagnosticPolicy): Diagnostic[] {
  const own = withActionBodies(run, bodies);
  const inCookbook = (f: string) => f.startsWith(cb.dir + path.sep);
  const moved = compilation ? findingsAtCallSites(own, compilation, inCookbook, reportedByOwner) : [];
  const movedFrom = new Set(moved.map((m) => m.from));
  const diags = [...own.filter((d) => !movedFrom.has(d)), ...moved.map((m) => m.at)];
  return applyPolicy(ws, diags, policy, [...rubyFilesOf(cb), ...cb.files.templates]);
}

/** The cookbooks a check of the paths covers: each path's own cookbook and every cookbook under the paths. */
export function cookbooksUnder(ws: Workspace, paths: string[]): Cookbook[] {
  const inScope = (file: string) => paths.some((p) => file === p || file.startsWith(p + path.sep));
  const out = new Set<Cookbook>();
  for (const p of paths) {
    const owner = ws.cookbookOf(p);
    if (owner) out.add(owner);
  }
  for (const cb of ws.all) if (inScope(cb.dir)) out.add(cb);
  return [...out];
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
