/**
 * The Chef worlds of a workspace: each entry cookbook's resolution (`resolution.ts`) and one Model
 * per group of entries whose resolutions agree (no name chosen differently, nothing one leaves out
 * that another uses). A workspace without clashes is one group, one world, as before; a folder of
 * several repositories, each with its own `test` cookbook, gets a world per `test`. Each entry
 * sees its group's world through a view with its own resolution (`Model.seenFrom`): by-name
 * lookups, findings and left-out names are the entry's. Worlds are made when first asked for and
 * kept; resolutions are cached per entry folder.
 */
import { Model } from './model';
import { type Resolution, resolve, repositoryCookbook, bestOf } from './resolution';
import { type Repository, repositoryOf } from './repository';
import type { Cookbook, Workspace } from './workspace';
import { cookbookOfItem } from './inputs/runListExpansion';

/** What checking and analysis need: the workspace, and the world a cookbook or a run is analysed in. */
export interface ModelSource {
  readonly ws: Workspace;
  modelOf(cb: Cookbook): Model;
  /** The world of a run list started from a cookbook (its repository's cookbooks first). */
  modelForRun(home: Cookbook | undefined, runList: string[]): Model;
}

interface Group {
  cookbooks: Map<string, Cookbook>;
  /** Names one of its entries leaves out (nothing satisfies their constraints). */
  absent: Set<string>;
  /** Its entry cookbooks (a set: a workspace of thousands of cookbooks is one group). */
  entries: Set<Cookbook>;
  model?: Model;
}

export class ModelSet implements ModelSource {
  private readonly repositories = new Map<string, Repository>();
  private readonly resolutions = new Map<string, Resolution>();
  private groups?: Group[];

  /** `entries`: the cookbooks a run or a check starts from (default: every cookbook of the workspace). */
  constructor(readonly ws: Workspace, private readonly entries: () => Cookbook[] = () => ws.all) {}

  /** The repository of a cookbook (root and `path:` sources). */
  repository(cb: Cookbook): Repository {
    let r = this.repositories.get(cb.dir);
    if (!r) { r = repositoryOf(this.ws, cb.dir); this.repositories.set(cb.dir, r); }
    return r;
  }

  /** The resolution for one entry cookbook, or for a run of several (the first one's repository preferred). */
  resolution(entries: Cookbook | Cookbook[]): Resolution {
    const list = Array.isArray(entries) ? entries : [entries];
    const key = list.map((c) => c.dir).join('\0');
    let r = this.resolutions.get(key);
    if (!r) { r = resolve(list, this.repository(list[0]), this.ws); this.resolutions.set(key, r); }
    return r;
  }

  /** The world a cookbook is analysed in: its group's Model. */
  modelOf(cb: Cookbook): Model {
    return this.modelFor(this.resolution(cb));
  }

  /**
   * The world of a run list started from a cookbook (plan, converge, test, a suite's run list): the
   * cookbook and the run list's cookbooks resolved together, each run-list cookbook taken from the
   * home cookbook's resolution or repository first (`cloche test --suite` runs the repository's own
   * `test` cookbook), else the best of the workspace.
   */
  modelForRun(home: Cookbook | undefined, runList: string[]): Model {
    return this.modelFor(this.resolution(this.runEntries(home, runList)));
  }

  /** The resolution of a run list started from a cookbook (see {@link modelForRun}). */
  runResolution(home: Cookbook | undefined, runList: string[]): Resolution {
    return this.resolution(this.runEntries(home, runList));
  }

  private runEntries(home: Cookbook | undefined, runList: string[]): Cookbook[] {
    const entries: Cookbook[] = home ? [home] : [];
    for (const item of runList) {
      const name = cookbookOfItem(item);
      if (!name || entries.some((e) => e.name === name)) continue;
      const pick = (home && (this.resolution(home).cookbooks.get(name) ?? repositoryCookbook(name, this.repository(home), this.ws))) ?? bestOf(this.ws.named(name));
      if (pick) entries.push(pick);
    }
    return entries;
  }

  /** The worlds made so far (what reloads go to). */
  models(): Model[] {
    return (this.groups ?? []).flatMap((g) => (g.model ? [g.model] : []));
  }

  private readonly views = new WeakMap<Resolution, Model>();

  /** The group's world as the resolution's run sees it. */
  private modelFor(res: Resolution): Model {
    let view = this.views.get(res);
    if (!view) {
      const repository = res.repository;
      view = this.worldFor(res).seenFrom(res.cookbooks, {
        findings: res.findings, unsatisfied: res.unsatisfied, outsideRun: (name) => repositoryCookbook(name, repository, this.ws),
      });
      this.views.set(res, view);
    }
    return view;
  }

  private worldFor(res: Resolution): Model {
    if (!res.entries.length) return this.modelOfNothing();
    const groups = this.grouped();
    let group = groups.find((g) => res.entries.some((e) => g.entries.has(e)) && covers(g, res))
      ?? groups.find((g) => (g.model ? covers(g, res) : agrees(g, res)));
    if (!group) { group = emptyGroup(); groups.push(group); }
    if (!covers(group, res)) join(group, res);
    else for (const e of res.entries) group.entries.add(e);
    if (!group.model) group.model = this.makeModel(group);
    return group.model;
  }

  /** The entries grouped, in order: each joins the first group it agrees with. */
  private grouped(): Group[] {
    if (this.groups) return this.groups;
    const groups: Group[] = [];
    for (const entry of this.entries()) {
      const res = this.resolution(entry);
      let group = groups.find((g) => agrees(g, res));
      if (!group) { group = emptyGroup(); groups.push(group); }
      join(group, res);
    }
    this.groups = groups;
    return groups;
  }

  private empty?: Model;
  /** A run that names no cookbook of the workspace: a world of the built-in resources only. */
  private modelOfNothing(): Model {
    this.empty ??= new Model(this.ws, { cookbooks: [] });
    return this.empty;
  }

  private makeModel(g: Group): Model {
    return new Model(this.ws, { cookbooks: [...g.cookbooks.values()], resolution: { findings: [], unsatisfied: g.absent } });
  }
}

function emptyGroup(): Group {
  return { cookbooks: new Map(), absent: new Set(), entries: new Set() };
}

/** Whether a resolution can share the group's world: no name chosen differently or left out by one of them. */
function agrees(g: Group, res: Resolution): boolean {
  for (const [name, cb] of res.cookbooks) { const other = g.cookbooks.get(name); if ((other && other !== cb) || g.absent.has(name)) return false; }
  for (const name of res.unsatisfied) if (g.cookbooks.has(name)) return false;
  return true;
}

/** Whether the group's world already holds everything the resolution uses (a made Model cannot grow). */
function covers(g: Group, res: Resolution): boolean {
  if (!agrees(g, res)) return false;
  for (const name of res.cookbooks.keys()) if (!g.cookbooks.has(name)) return false;
  for (const name of res.unsatisfied) if (!g.absent.has(name)) return false;
  return true;
}

function join(g: Group, res: Resolution): void {
  for (const [name, cb] of res.cookbooks) g.cookbooks.set(name, cb);
  for (const name of res.unsatisfied) g.absent.add(name);
  for (const e of res.entries) g.entries.add(e);
}
