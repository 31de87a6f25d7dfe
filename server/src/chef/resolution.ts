/**
 * Which cookbook of each name a run uses, as Chef's tooling (Berkshelf, Policyfiles, Test Kitchen)
 * resolves it for the run's entry cookbooks: the entries themselves, then for every `depends`,
 * from the entry's repository's explicit `path:` sources (Berksfile, Policyfile.rb) first, then the
 * repository's own cookbooks (fixture cookbooks under `test/`, `spec/fixtures/`), then the rest of
 * the workspace; within each, the cookbooks satisfying every version constraint asked of the name,
 * the highest version first, then the cookbook path order. Pure: the workspace is asked through
 * {@link ResolutionContext}; nothing is read here.
 *
 * A choice that only the cookbook path order decided (two candidates of the same version) is a
 * clash, reported once as information with both folders; a constraint nothing satisfies is an error
 * on the `depends` line naming it and the versions found, and the name is left out of the run (its
 * dependents are then incomplete, never a cascade of errors).
 */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { Cookbook } from './workspace';
import { pathOrder } from './workspace';
import type { Repository } from './repository';
import { type VersionConstraint, parseConstraint, satisfies, compareVersionStrings } from './versionConstraint';

export interface ResolutionContext {
  /** Every cookbook of a name, in the cookbook path order. */
  named(name: string): Cookbook[];
  /** The cookbook in a folder (a `path:` source), if it holds one. */
  cookbookAt(dir: string): Cookbook | undefined;
  /** A folder as messages name it (relative to the workspace root it is under). */
  displayPath(dir: string): string;
}

export interface Resolution {
  /** The cookbooks the run starts from (the first one's repository is preferred). */
  entries: Cookbook[];
  repository: Repository;
  /** One cookbook per name: the entries and everything they depend on, as chosen. */
  cookbooks: Map<string, Cookbook>;
  /** Names some `depends` asks for that no cookbook in the workspace satisfies: left out of the run. */
  unsatisfied: Set<string>;
  /** Clashes (info), constraints nothing satisfies and malformed constraints (errors), bad sources (warnings). */
  findings: Diagnostic[];
}

/** One `depends` line asking for a name. */
interface Ask {
  name: string;
  from: Cookbook;
  line: number;
  constraint?: VersionConstraint;
}

/** Passes at most: a constraint found late (in a dependency's metadata) may change an earlier choice. */
const MAX_PASSES = 8;

export function resolve(entries: Cookbook[], repository: Repository, ctx: ResolutionContext): Resolution {
  const findings: Diagnostic[] = [];
  const rel = (dir: string) => ctx.displayPath(dir);
  const sources = new Map<string, Cookbook[]>();
  for (const s of repository.sources) {
    const cb = ctx.cookbookAt(s.dir);
    const at = { file: s.file, line: s.line };
    if (!cb) findings.push(finding(at, 'warning', 'cookbook-source-missing', `The path source of '${s.name}' (${rel(s.dir)}) holds no cookbook (no metadata.rb or metadata.json there).`));
    else if (cb.name !== s.name) findings.push(finding(at, 'warning', 'cookbook-source-missing', `The path source of '${s.name}' (${rel(s.dir)}) holds the cookbook '${cb.name}'.`));
    else sources.set(s.name, [...(sources.get(s.name) ?? []), cb]);
  }
  const ownRepo = (cb: Cookbook) => cb.dir === repository.root || cb.dir.startsWith(repository.root + path.sep);
  /** The candidates of a name in preference tiers: explicit sources, the repository's own, the rest. */
  const tiers = (name: string): Cookbook[][] => {
    const explicit = sources.get(name) ?? [];
    const rest = ctx.named(name).filter((c) => !explicit.includes(c));
    return [explicit, rest.filter(ownRepo), rest.filter((c) => !ownRepo(c))];
  };

  // Constraints stay known across passes, so a later pass chooses what satisfies them from the start.
  const known = new Map<string, Ask[]>();
  const unsatisfied = new Set<string>();
  let chosen = new Map<string, Cookbook>();
  let asks: Ask[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    chosen = new Map();
    for (const e of entries) if (!chosen.has(e.name)) chosen.set(e.name, e);
    asks = [];
    const queue = [...chosen.values()];
    while (queue.length) {
      const cb = queue.shift()!;
      for (const dep of cb.depends) {
        const ask: Ask = { name: dep.name, from: cb, line: dep.line ?? 1, ...(dep.constraint !== undefined && parseConstraint(dep.constraint) ? { constraint: parseConstraint(dep.constraint)! } : {}) };
        asks.push(ask);
        const list = known.get(dep.name) ?? [];
        if (!list.some((a) => askKey(a) === askKey(ask))) list.push(ask);
        known.set(dep.name, list);
        if (chosen.has(dep.name) || unsatisfied.has(dep.name)) continue;
        const pick = choose(tiers(dep.name), list).pick;
        if (pick) { chosen.set(dep.name, pick); queue.push(pick); } else if (ctx.named(dep.name).length || sources.has(dep.name)) unsatisfied.add(dep.name);
      }
    }
    // A choice made before a constraint on it was found: choose again with every constraint known.
    let again = false;
    for (const [name, cb] of chosen) {
      const list = known.get(name) ?? [];
      if (list.every((a) => ok(cb, a)) || entries.includes(cb)) continue;
      if (!choose(tiers(name), list).pick) unsatisfied.add(name);
      again = true;
    }
    for (const name of unsatisfied) if (chosen.has(name) && !entries.includes(chosen.get(name)!)) { chosen.delete(name); again = true; }
    if (!again) break;
  }

  // Findings, once per line or name, from the last pass.
  const lastPass = new Set(asks.map(askKey));
  const asked = (name: string) => (known.get(name) ?? []).filter((a) => lastPass.has(askKey(a)));
  const reported = new Set<string>();
  for (const ask of asks) {
    const dep = ask.from.depends.find((d) => d.name === ask.name && (d.line ?? 1) === ask.line);
    if (dep?.constraint !== undefined && !ask.constraint && !reported.has(`bad:${ask.from.dir}:${ask.line}`)) {
      reported.add(`bad:${ask.from.dir}:${ask.line}`);
      findings.push(finding(askAt(ask), 'error', 'invalid-version-constraint',
        `'${dep.constraint}' is not a version constraint Chef accepts for '${ask.name}' (an operator =, >, <, >=, <= or ~> and a version such as 1.2.3).`));
    }
  }
  for (const name of unsatisfied) {
    const list = asked(name);
    const found = [...tiers(name).flat()].sort(pathOrder).map((c) => `${c.version ?? 'no version'} at ${rel(c.dir)}`).join(', ');
    const alone = list.filter((a) => a.constraint && !tiers(name).flat().some((c) => ok(c, a)));
    const explicit = sources.get(name);
    if (explicit?.length && !alone.length) {
      // The path source is what Berkshelf and Policyfiles use; it does not satisfy the constraints asked of it.
      const a = list.find((x) => !explicit.some((c) => ok(c, x))) ?? list[0];
      if (a) findings.push(finding(askAt(a), 'error', 'dependency-unsatisfied', `The path source of '${name}' (${explicit.map((c) => `${c.version ?? 'no version'} at ${rel(c.dir)}`).join(', ')}) does not satisfy '${a.constraint?.text ?? ''}' asked here.`));
    } else if (alone.length) {
      for (const a of alone) findings.push(finding(askAt(a), 'error', 'dependency-unsatisfied', `No cookbook '${name}' in the workspace satisfies '${a.constraint!.text}' (found ${found}); it is left out of the run.`));
    } else if (list.length) {
      const last = list[list.length - 1];
      const others = list.filter((a) => a !== last && a.constraint).map((a) => `'${a.constraint!.text}' (${rel(a.from.metadataFile ?? a.from.dir)}:${a.line})`);
      findings.push(finding(askAt(last), 'error', 'dependency-unsatisfied', `No cookbook '${name}' in the workspace satisfies '${last.constraint?.text ?? '>= 0.0.0'}' together with ${others.join(' and ') || 'the other constraints'} (found ${found}); it is left out of the run.`));
    }
  }
  for (const [name, cb] of chosen) {
    const list = asked(name);
    const bad = entries.includes(cb) ? list.find((a) => !ok(cb, a)) : undefined;
    if (bad) findings.push(finding(askAt(bad), 'error', 'dependency-unsatisfied', `'${name}' is this run's own cookbook (${cb.version ?? 'no version'} at ${rel(cb.dir)}), which does not satisfy '${bad.constraint!.text}'.`));
    if (entries.includes(cb) || !list.length) continue;
    const { clash } = choose(tiers(name), list);
    if (clash) findings.push(finding(askAt(list[0]), 'info', 'cookbook-clash',
      `Two cookbooks named '${name}' could serve this run: ${rel(cb.dir)} (${cb.version ?? 'no version'}, used: first in the cookbook path) and ${rel(clash.dir)} (${clash.version ?? 'no version'}).`));
  }
  return { entries, repository, cookbooks: chosen, unsatisfied, findings };
}

/**
 * A cookbook nobody in the run depends on, by name (`include_recipe` of a cookbook missing from
 * `depends`): only the repository's own sources and cookbooks, as Chef's tooling would make only
 * those available.
 */
export function repositoryCookbook(name: string, repository: Repository, ctx: ResolutionContext): Cookbook | undefined {
  const explicit = repository.sources.filter((s) => s.name === name).map((s) => ctx.cookbookAt(s.dir)).filter((c): c is Cookbook => c?.name === name);
  const own = ctx.named(name).filter((c) => c.dir === repository.root || c.dir.startsWith(repository.root + path.sep));
  return bestOf(explicit.length ? explicit : own);
}

/** The highest version of a list, then the first in the cookbook path order. */
export function bestOf(list: Cookbook[]): Cookbook | undefined {
  return [...list].sort((a, b) => compareVersionStrings(b.version, a.version) || pathOrder(a, b))[0];
}

/** Codes of the findings that say a run cannot be resolved at all (bad input: the CLI exits 2). */
export const RESOLUTION_ERRORS = new Set(['dependency-unsatisfied', 'invalid-version-constraint']);

const askKey = (a: Ask): string => `${a.from.dir}:${a.line}`;
const ok = (cb: Cookbook, a: Ask): boolean => !a.constraint || satisfies(cb.version, a.constraint);

/** The best of the first tier that has a candidate satisfying every ask, and a candidate as good (a clash). */
function choose(tiers: Cookbook[][], asks: Ask[]): { pick?: Cookbook; clash?: Cookbook } {
  for (const [i, tier] of tiers.entries()) {
    const fits = tier.filter((c) => asks.every((a) => ok(c, a)));
    if (i === 0 && tier.length && !fits.length) return {}; // an explicit path source is authoritative
    if (!fits.length) continue;
    const sorted = [...fits].sort((a, b) => compareVersionStrings(b.version, a.version) || pathOrder(a, b));
    return { pick: sorted[0], clash: sorted[1] && compareVersionStrings(sorted[0].version, sorted[1].version) === 0 ? sorted[1] : undefined };
  }
  return {};
}

function askAt(a: Ask): { file: string; line: number } {
  return { file: a.from.metadataFile ?? a.from.dir, line: a.line };
}

function finding(at: { file: string; line: number }, severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: 1, endLine: at.line, endColumn: 1, severity, code, message };
}
