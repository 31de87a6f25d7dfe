/**
 * The per-workspace analysis cache: the workspace's cookbooks, their worlds (a ModelSet: each
 * cookbook analysed with its own resolution, one Model per group of cookbooks that resolve alike),
 * and one compilation per cookbook (every recipe of it, each its own run-list entry, as `checkPaths`
 * does) for the chosen platform. Cookbooks are known by folder, never by name: a workspace of several
 * repositories has several `test` cookbooks, each analysed. A change invalidates only the cookbook of
 * the changed file and the cookbooks whose resolution uses it; custom resources and libraries are
 * reloaded in the worlds that hold them when their files change. Compilations are made on demand, so
 * a burst of keystrokes costs one compilation when the next request arrives.
 *
 * The language server indexes in the background (`background`): the whole workspace is scanned by
 * an {@link IndexJob} between requests, and until it ends the files asked about are answered from an
 * early index (`chef/cookbookLookup.ts`: their cookbooks and what their runs need, looked up by
 * name). An early analysis that needs a cookbook not found yet says so instead of guessing
 * (`not-indexed-yet`); when the job ends, the analyses given early are made again over the whole
 * workspace and the listener is told whether any of them changed (the client then refreshes).
 * No LSP imports here: the adapters in features/ translate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from './protocol';
import { Model } from './chef/model';
import { ModelSet } from './chef/modelSet';
import type { Compilation } from './chef/compilation';
import { type Cookbook, Workspace, skippedDir } from './chef/workspace';
import { type PlatformFacts, getPlatformProfile, DEFAULT_PROFILE } from './chef/platforms';
import { syntaxDiagnostics, rubyFilesOf } from './chef/rules/syntaxRule';
import { parseFailureDiagnostics } from './chef/rules/nestingRule';
import { actionBodyDiagnostics } from './chef/resourceBodies';
import { cookbookFindings } from './chef/check';
import { onlyCommentChanged } from './ruby/commentEdit';
import { CONFIG_FILE, ProjectConfigs, type SeverityMap } from './chef/projectConfig';
import { CookbookLookup, pendingDiagnostics } from './chef/cookbookLookup';
import type { Resolution } from './chef/resolution';
import { cookbookOfItem } from './chef/inputs/runListExpansion';
import { RunChoices, type CookbookRun, type RunSettings } from './runChoices';
import { IndexJob } from './indexJob';

/** A cookbook's compilation and its diagnostics, by file. */
export interface CookbookAnalysis {
  cookbook: Cookbook;
  compilation?: Compilation;
  diagnostics: Map<string, Diagnostic[]>;
  /** Milliseconds the compilation and validation took. */
  ms: number;
  /** Cookbooks its run needs that the early index has not found yet (its diagnostics only say so). */
  pending?: string[];
}

/** Where the index stands: the whole workspace is being scanned, or it is (again) fully indexed. */
export type IndexEvent = { state: 'indexing' } | { state: 'indexed'; cookbooks: number; ms: number; changed: boolean };

export interface AnalysisOptions {
  /**
   * Which files may be opened from disk (the language server's workspace access: no symlink leading
   * out of the workspace); open documents are always read from the editor.
   */
  readable?: (file: string, cookbookDir: string | undefined) => boolean;
  /** Scan the workspace in the background and answer early (the language server); else at once. */
  background?: boolean;
  /** Told when a background index starts and when it ends (with whether early answers changed). */
  onIndex?: (event: IndexEvent) => void;
  /** Awaited before a background index ends (tests hold it open). */
  holdIndex?: () => Promise<void>;
}

/** What kind of cookbook file a path is (decides what a change invalidates). */
export type FileChange = 'created' | 'changed' | 'deleted';

export type FileRole = 'recipe' | 'attributes' | 'resource' | 'library' | 'metadata' | 'template' | 'file' | 'other';

/** Files whose change re-resolves the workspace: what the cookbooks are, and where a run takes them from. */
const RESOLUTION_FILES = new Set(['metadata.rb', 'metadata.json', 'Berksfile', 'Policyfile.rb']);

/** The roles of the Ruby files whose comment-only edits keep their cookbook's analysis (not metadata: it resolves). */
const COMMENT_EDITS_KEEP = new Set<FileRole>(['recipe', 'attributes', 'resource', 'library']);

export class Analysis {
  ws!: Workspace;
  models!: ModelSet;
  /** The platform setting's facts (debian-12 when it is `auto`); each cookbook's own are in its run (`runOf`). */
  facts: PlatformFacts;
  /** The editor's run choices: node attributes, environment, a kitchen suite per kitchen file. */
  readonly runs = new RunChoices(() => this.ws, () => this.ws.roots[0] ?? process.cwd());
  /** Cookbook folder → its current analysis. */
  private readonly fresh = new Map<string, CookbookAnalysis>();
  /** The last analysis of each cookbook folder, even when outdated (completion may use it while typing). */
  private readonly last = new Map<string, CookbookAnalysis>();
  /**
   * Findings of each cookbook's custom resource actions checked on their own (by folder). Editing a
   * recipe cannot change them, so they survive recipe edits; any other change of the cookbook (or of
   * one it depends on) drops them.
   */
  private readonly bodies = new Map<string, Diagnostic[]>();
  /** The world of files outside every cookbook (built-in resources only). */
  private bare: Model | undefined;
  /** Who waits for the next invalidation (a held-open workspace diagnostics request). */
  private changeWaiters: (() => void)[] = [];
  /** The workspace's `.cloche.json` files, and the editor's severity per code over them. */
  private configs!: ProjectConfigs;
  private severity: SeverityMap = {};
  /** The scan of the whole workspace while it runs (background indexing). */
  private job: IndexJob | undefined;
  /** While the job runs: the cookbooks looked up for the files asked about (`ws` holds only those). */
  private lookup: CookbookLookup | undefined;
  /** Who waits for the whole workspace to be indexed. */
  private indexWaiters: (() => void)[] = [];

  constructor(roots: string[], platform = DEFAULT_PROFILE, private readonly opts: AnalysisOptions = {}) {
    this.facts = getPlatformProfile(platform) ?? getPlatformProfile(DEFAULT_PROFILE)!;
    this.runs.configure({}, getPlatformProfile(platform) ? platform : 'auto');
    this.index(roots, new Map());
  }

  private index(roots: string[], overlays: ReadonlyMap<string, string>): void {
    this.ws = new Workspace(roots, false, this.opts.readable);
    for (const [file, text] of overlays) this.ws.setOverlay(file, text);
    this.bare = undefined;
    if (this.opts.background) { this.startJob(roots, overlays); return; }
    this.ws.scan();
    this.models = new ModelSet(this.ws);
    this.configs = new ProjectConfigs(this.ws);
  }

  /** Starts (or starts again) the background scan; meanwhile `ws` is the early index. */
  private startJob(roots: string[], overlays: ReadonlyMap<string, string>): void {
    this.job?.cancel();
    this.lookup = new CookbookLookup(this.ws);
    this.models = this.earlyModels();
    this.configs = new ProjectConfigs(this.ws);
    const job = new IndexJob(roots, overlays, { readable: this.opts.readable, hold: this.opts.holdIndex });
    this.job = job;
    this.opts.onIndex?.({ state: 'indexing' });
    // A job that failed still ends the indexing (with what it found), so nothing waits forever.
    const finish = (ended: boolean) => (ended && this.job === job ? this.finishJob(job) : undefined);
    void job.done.then(finish, (e) => { void finish(true); throw e; });
  }

  /** The early index's worlds: its entries are the cookbooks files were asked about. */
  private earlyModels(): ModelSet {
    const lookup = this.lookup!;
    return new ModelSet(this.ws, () => lookup.entries);
  }

  /**
   * The job ended: its workspace replaces the early index, and each analysis given early is made
   * again over it; the listener hears whether any of them changed (a better version found elsewhere,
   * a clash, a cookbook that was not found yet, a world with more cookbooks in it).
   */
  private async finishJob(job: IndexJob): Promise<void> {
    const early = [...this.last.values()];
    this.job = undefined;
    this.lookup = undefined;
    this.ws = job.ws;
    this.models = job.models;
    this.configs = new ProjectConfigs(this.ws);
    this.bare = undefined;
    this.fresh.clear();
    this.bodies.clear();
    this.last.clear();
    this.notifyChange();
    for (const w of this.indexWaiters.splice(0)) w();
    let changed = false;
    for (const before of early) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.job) return; // indexing started again: that job will tell
      const now = this.cookbook(before.cookbook.dir);
      if (!now || !sameDiagnostics(before.diagnostics, now.diagnostics)) changed = true;
    }
    this.opts.onIndex?.({ state: 'indexed', cookbooks: this.ws.all.length, ms: performance.now() - job.started, changed });
  }

  /** Whether the whole workspace is being scanned (answers come from the early index meanwhile). */
  get indexing(): boolean {
    return !!this.job;
  }

  /** Resolves when requests may be answered: at once, or when a small workspace's index is done. */
  async whenServing(): Promise<void> {
    for (let job = this.job; job; job = this.job) {
      await job.serving;
      if (this.job === job) return; // else indexing started again while waiting
    }
  }

  /** Resolves when the whole workspace is indexed (requests about the whole workspace wait for it). */
  whenIndexed(): Promise<void> {
    return this.job ? new Promise((resolve) => this.indexWaiters.push(resolve)) : Promise.resolve();
  }

  /**
   * The cookbook of a path, looked up first while the early index serves (it is added with what its
   * run needs; the early worlds are made again when that added cookbooks). Returns the folders of the
   * analyses that dropped.
   */
  private locate(file: string): { cb: Cookbook | undefined; dropped: Set<string> } {
    const abs = path.resolve(file);
    const dropped = this.lookup?.prime(abs) ? this.earlyGrew() : new Set<string>();
    return { cb: this.ws.cookbookOf(abs), dropped };
  }

  /** The early index found more cookbooks: its resolutions and worlds are made again. */
  private earlyGrew(): Set<string> {
    this.models = this.earlyModels();
    this.bare = undefined;
    const dropped = new Set(this.fresh.keys());
    this.fresh.clear();
    this.bodies.clear();
    this.notifyChange();
    return dropped;
  }

  /** While the early index serves: looks names up (a run list's cookbooks); true when that found cookbooks. */
  private lookUp(names: Iterable<string>): boolean {
    if (!this.lookup?.lookUp(names)) return false;
    this.earlyGrew();
    return true;
  }

  /** Workspace folders or extra cookbook paths changed: index again (open documents stay overlaid). */
  setRoots(roots: string[], overlays: Map<string, string>): void {
    this.index(roots, overlays);
    this.invalidateAll();
  }

  /** Another platform profile (`auto`: each cookbook's supports decides): every compilation is redone. Returns false for an unknown profile. */
  setPlatform(profile: string): boolean {
    const facts = profile === 'auto' ? getPlatformProfile(DEFAULT_PROFILE)! : getPlatformProfile(profile);
    if (!facts) return false;
    if (this.runs.configure(this.runs.settings, profile)) { this.facts = facts; this.invalidateAll(); this.last.clear(); }
    return true;
  }

  /** New run settings (node attributes file or inline, environment): every compilation is redone when they differ. */
  setRunSettings(settings: RunSettings): boolean {
    if (!this.runs.configure(settings, this.runs.platform)) return false;
    this.invalidateAll();
    return true;
  }

  /** The editor's level per rule code (over `.cloche.json`): every cookbook's findings are made again when it differs. */
  setSeverity(severity: SeverityMap): boolean {
    if (JSON.stringify(severity) === JSON.stringify(this.severity)) return false;
    this.severity = severity;
    this.invalidateAll();
    return true;
  }

  /** A kitchen suite (and platform) for the cookbooks of a kitchen file, or none. */
  pickSuite(kitchenFile: string, pick: { suite: string; platform?: string } | undefined): void {
    this.runs.pick(kitchenFile, pick);
    this.invalidateAll();
  }

  /** The run the editor analyses a file's cookbook with (inputs, platform, suite); undefined outside cookbooks. */
  runOf(file: string): CookbookRun | undefined {
    const { cb } = this.locate(file);
    return cb ? this.runs.runOf(cb) : undefined;
  }

  /** The platform facts a file is analysed on (its cookbook's run's). */
  factsFor(file: string): PlatformFacts {
    return this.runOf(file)?.facts ?? this.facts;
  }

  /** Resolves at the next invalidation of any cookbook. */
  nextChange(): Promise<void> {
    return new Promise((resolve) => this.changeWaiters.push(resolve));
  }

  private notifyChange(): void {
    const waiters = this.changeWaiters;
    this.changeWaiters = [];
    for (const w of waiters) w();
  }

  get cookbookCount(): number {
    return this.ws.all.length;
  }

  /** The world a file is analysed in: its cookbook's; outside every cookbook, one with the built-in resources only. */
  modelFor(file: string): Model {
    const { cb } = this.locate(file);
    if (cb) return this.models.modelOf(cb);
    this.bare ??= new Model(this.ws, { cookbooks: [] });
    return this.bare;
  }

  /** Every world of the workspace (made now when not yet: workspace symbols list them all). */
  allModels(): Model[] {
    const out = new Set<Model>();
    for (const cb of this.ws.all) out.add(this.models.modelOf(cb));
    return [...out];
  }

  /** An editor document's text (undefined when it closes and the disk wins again). Returns the folders of the invalidated cookbooks. */
  setText(file: string, text: string | undefined): Set<string> {
    // A metadata file, Berksfile or Policyfile.rb opened as it is read already resolves nothing anew (no rescan).
    const same = text !== undefined && RESOLUTION_FILES.has(path.basename(file)) && this.ws.readFile(file) === text;
    const before = text !== undefined && COMMENT_EDITS_KEEP.has(roleOf(path.resolve(file))) ? this.ws.parse(file) : undefined;
    this.ws.setOverlay(file, text);
    this.job?.ws.setOverlay(file, text);
    // Typing in a comment changes nothing a compilation reads: the cookbook's analysis stays.
    if (before && this.ws.cookbookOf(path.resolve(file))) {
      const after = this.ws.parse(file);
      if (after && onlyCommentChanged(before, after)) return new Set();
    }
    const { dropped } = text === undefined ? { dropped: new Set<string>() } : this.locate(file);
    if (!same) for (const dir of this.fileChanged(file, 'changed')) dropped.add(dir);
    return dropped;
  }

  /**
   * A batch of changes on disk (as a client reports them): cookbooks are searched again at most once
   * for the whole batch. Returns the folders of the invalidated cookbooks.
   */
  filesChanged(changes: { file: string; kind: FileChange }[]): Set<string> {
    if (changes.some((c) => this.movesCookbooks(path.resolve(c.file), c.kind))) return this.rescan();
    const out = new Set<string>();
    for (const c of changes) for (const dir of this.fileChanged(c.file, c.kind)) out.add(dir);
    return out;
  }

  /** A file changed, appeared or disappeared (editor or disk). Returns the folders of the invalidated cookbooks. */
  fileChanged(file: string, kind: FileChange): Set<string> {
    const abs = path.resolve(file);
    const role = roleOf(abs);
    if (this.movesCookbooks(abs, kind)) { this.runs.forget(); return this.rescan(); }
    // What the author chose about findings changed: every cookbook under it may report otherwise.
    if (path.basename(abs) === CONFIG_FILE) return this.invalidateAll();
    // A kitchen file, role, environment or node attributes file: every run is set up again.
    if (this.runs.reads(abs)) { this.runs.forget(); return this.invalidateAll(); }
    // The job's copy of a cookbook it has read follows the file lists too.
    const scanned = kind !== 'changed' ? this.job?.ws.cookbookOf(abs) : undefined;
    if (scanned) this.job!.ws.addCookbook(scanned.dir);
    const cb = this.ws.cookbookOf(abs);
    if (!cb) return new Set();
    if (kind !== 'changed') this.ws.addCookbook(cb.dir); // file lists (recipes, templates, files) changed; re-read in place
    const holding = this.models.models().filter((m) => m.cookbooks.get(cb.name) === cb);
    if (role === 'resource') { for (const m of holding) m.reloadCookbook(cb); return this.invalidateAll(); }
    if (role === 'library') { for (const m of holding) m.reloadLibraries(); return this.invalidateAll(); }
    const dirs = this.invalidate(cb);
    if (role !== 'recipe') for (const d of dirs) this.bodies.delete(d);
    return dirs;
  }

  /** Finds the cookbooks again and resolves them afresh (parses stay cached; in the background, a new job). */
  private rescan(): Set<string> {
    if (this.opts.background) {
      const dirs = new Set([...this.fresh.keys(), ...this.ws.all.map((c) => c.dir)]);
      this.index(this.ws.roots, this.ws.openTexts());
      for (const d of this.invalidateAll()) dirs.add(d);
      return dirs;
    }
    this.ws.scan();
    this.models = new ModelSet(this.ws);
    this.bare = undefined;
    return this.invalidateAll();
  }

  /**
   * Whether a created or deleted path adds or removes whole cookbooks, or changes how they resolve:
   * a metadata file, Berksfile or Policyfile.rb; a known cookbook's folder or a folder above it
   * (clients report a deleted folder once, not each file in it), or a new folder outside every
   * cookbook (it may hold cookbooks).
   */
  private movesCookbooks(abs: string, kind: FileChange): boolean {
    // Only what the cookbook search would look at: below a root, outside skipped folders.
    const root = this.ws.roots.map((r) => path.resolve(r)).find((r) => abs === r || abs.startsWith(r + path.sep));
    if (root === undefined || path.relative(root, abs).split(path.sep).slice(0, -1).some(skippedDir)) return false;
    if (RESOLUTION_FILES.has(path.basename(abs))) return true;
    if (kind === 'changed') return false;
    for (const cb of [...this.ws.all, ...(this.job?.ws.all ?? [])]) if (cb.dir === abs || cb.dir.startsWith(abs + path.sep)) return true;
    if (kind === 'deleted' || this.ws.cookbookOf(abs)) return false;
    return !skippedDir(path.basename(abs)) && mayHoldCookbooks(abs, 0);
  }

  /** The analysis of the cookbook in a folder, compiled now when outdated. */
  cookbook(dir: string): CookbookAnalysis | undefined {
    const cached = this.fresh.get(dir);
    if (cached) return cached;
    if (this.lookup && !this.ws.cookbookIn(dir)) this.locate(dir);
    const cb = this.ws.cookbookIn(dir);
    if (!cb) return undefined;
    const result = this.compileCookbook(cb);
    this.fresh.set(dir, result);
    this.last.set(dir, result);
    return result;
  }

  /** The analysis serving a file (its cookbook's); `stale` accepts the last one while a new one is due. */
  forFile(file: string, opts: { stale?: boolean } = {}): CookbookAnalysis | undefined {
    const { cb } = this.locate(file);
    if (!cb) return undefined;
    if (opts.stale) { const last = this.last.get(cb.dir); if (last) return last; }
    return this.cookbook(cb.dir);
  }

  /** Diagnostics of one file: its cookbook's, or the run-input problems located in it (a role, a node JSON, a kitchen file), or a `.cloche.json`'s own. */
  diagnostics(file: string): Diagnostic[] {
    const abs = path.resolve(file);
    if (path.basename(abs) === CONFIG_FILE) return this.configs.file(abs)?.problems ?? [];
    const own = this.forFile(abs)?.diagnostics.get(abs) ?? [];
    return [...own, ...this.inputDiagnostics(abs)];
  }

  /** Run-input problems of the cookbooks analysed so far that are located in a file outside every cookbook. */
  private inputDiagnostics(abs: string): Diagnostic[] {
    if (this.ws.cookbookOf(abs)) return [];
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    for (const a of this.fresh.values()) {
      for (const d of this.runs.runOf(a.cookbook).diagnostics) {
        const key = `${d.line}:${d.column}:${d.message}`;
        if (d.file === abs && !seen.has(key)) { seen.add(key); out.push(d); }
      }
    }
    return out;
  }

  /** The indexed cookbooks (several may share a name). */
  cookbooks(): Cookbook[] {
    return [...this.ws.all];
  }

  /**
   * The files of a cookbook that diagnostics are reported for (workspace pull): recipes, attributes,
   * resources (with partials), providers, definitions, libraries, templates and the metadata file.
   */
  reportedFiles(cb: Cookbook): string[] {
    const f = cb.files;
    const files = [...f.recipes, ...f.attributes, ...f.resources, ...f.providers, ...f.definitions, ...f.libraries, ...f.templates];
    if (cb.metadataFile) files.push(cb.metadataFile);
    return files;
  }

  /** Whether the analysis of the cookbook in a folder is current. */
  isFresh(dir: string): boolean {
    return this.fresh.has(dir);
  }

  /**
   * Compiles an explicit run list (graph requests) in the world of a file (else of the run list's first
   * cookbook), with the inputs of `run` (else of the cookbook asking); not cached.
   */
  compileRunList(runList: string[], facts?: PlatformFacts, file?: string, chosen?: CookbookRun): { model: Model; compilation: Compilation } {
    if (file) this.locate(file);
    this.lookUp(cookbooksOf(runList));
    const first = this.ws.named(cookbookOfItem(runList[0] ?? '') ?? '')[0];
    const model = file ? this.modelFor(file) : first ? this.models.modelOf(first) : this.modelFor('');
    // The run's inputs (node attributes, roles, environment, a suite's) of the cookbook asking.
    const cb = (file ? this.ws.cookbookOf(path.resolve(file)) : undefined) ?? first;
    const run = chosen ?? (cb ? this.runs.runOf(cb) : undefined);
    return { model, compilation: model.compile(runList, facts ?? run?.facts ?? this.facts, run?.setup.inputs) };
  }

  /** The folders of the cookbook and of every cookbook whose resolution uses it. */
  dependents(cb: Cookbook): Set<string> {
    const out = new Set([cb.dir]);
    for (const other of this.ws.all) if ([...this.models.resolution(other).cookbooks.values()].includes(cb)) out.add(other.dir);
    return out;
  }

  private invalidate(cb: Cookbook): Set<string> {
    const dirs = this.dependents(cb);
    for (const d of dirs) this.fresh.delete(d);
    this.notifyChange();
    return dirs;
  }

  private invalidateAll(): Set<string> {
    const dirs = new Set(this.ws.all.map((c) => c.dir));
    this.fresh.clear();
    this.bodies.clear();
    this.configs.forget();
    for (const d of this.last.keys()) if (!dirs.has(d)) this.last.delete(d);
    this.notifyChange();
    return dirs;
  }

  /** Findings of a cookbook's custom resource actions checked on their own (in its world). */
  private bodiesOf(cb: Cookbook): Diagnostic[] {
    let bodies = this.bodies.get(cb.dir);
    if (!bodies) { bodies = actionBodyDiagnostics(this.models.modelOf(cb), cb, this.runs.runOf(cb).facts); this.bodies.set(cb.dir, bodies); }
    return bodies;
  }

  /** Whether the cookbook that holds the finding's file reports it itself (its resources' actions checked on their own). */
  private reportedByOwner(d: Diagnostic): boolean {
    const owner = this.ws.cookbookOf(d.file);
    return !!owner && this.bodiesOf(owner).some((b) => b.file === d.file && b.line === d.line && b.code === d.code);
  }

  /** What a cookbook's Ruby files say without a compilation: syntax errors and files nested too deep to parse. */
  private syntaxOnly(cb: Cookbook): Diagnostic[] {
    return rubyFilesOf(cb).flatMap((f) => [...syntaxDiagnostics(this.ws, f), ...parseFailureDiagnostics(this.ws, f)]);
  }

  private compileCookbook(cb: Cookbook): CookbookAnalysis {
    const started = performance.now();
    // A picked suite's run list comes first (in the world of that run), then every recipe of the cookbook.
    const setup = this.runs.runOf(cb);
    const suiteRecipes = setup.setup.recipes ?? [];
    if (this.lookUp(cookbooksOf(suiteRecipes))) return this.compileCookbook(cb);
    const model = suiteRecipes.length ? this.models.modelForRun(cb, suiteRecipes) : this.models.modelOf(cb);
    const runList = [...new Set([...suiteRecipes, ...model.allRecipes(cb)])];
    const inCookbook = (f: string) => f.startsWith(cb.dir + path.sep);
    let compilation: Compilation | undefined;
    let run: Diagnostic[];
    if (runList.length) {
      compilation = model.compile(runList, setup.facts, setup.setup.inputs);
      run = model.diagnostics(compilation);
    } else run = [...this.syntaxOnly(cb), ...model.resolution.findings];
    run.push(...setup.diagnostics);
    // The early index: a cookbook the run asks for that is not found yet is looked up, else said to be pending.
    let pending: string[] | undefined;
    if (this.lookup) {
      const missing = [...(compilation?.missingCookbooks.keys() ?? [])];
      if (this.lookUp(missing)) return this.compileCookbook(cb);
      const res: Resolution = suiteRecipes.length ? this.models.runResolution(cb, suiteRecipes) : this.models.resolution(cb);
      pending = this.lookup.pendingOf(res, missing);
      if (pending.length) {
        const files = this.reportedFiles(cb);
        run = [...this.syntaxOnly(cb), ...pendingDiagnostics(cb, files, pending), ...setup.diagnostics];
      } else pending = undefined;
    }
    const diags = pending
      ? cookbookFindings(this.ws, cb, run, [], undefined, () => false, { severity: this.severity, configs: this.configs })
      : cookbookFindings(this.ws, cb, run, this.bodiesOf(cb), compilation, (d) => this.reportedByOwner(d), { severity: this.severity, configs: this.configs });
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of diags) {
      if (!inCookbook(d.file) || this.ws.cookbookOf(d.file) !== cb) continue;
      const list = byFile.get(d.file) ?? [];
      list.push(d);
      byFile.set(d.file, list);
    }
    for (const list of byFile.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
    return { cookbook: cb, compilation, diagnostics: byFile, ms: performance.now() - started, ...(pending ? { pending } : {}) };
  }
}

/** The cookbooks a run list's recipe items name. */
function cookbooksOf(runList: string[]): string[] {
  return runList.flatMap((item) => cookbookOfItem(item) ?? []);
}

/** Whether two analyses report the same diagnostics for every file. */
function sameDiagnostics(a: Map<string, Diagnostic[]>, b: Map<string, Diagnostic[]>): boolean {
  const text = (m: Map<string, Diagnostic[]>) => JSON.stringify([...m].filter(([, list]) => list.length).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return text(a) === text(b);
}

/** A folder (new on disk) with a metadata file in it or a few levels down, outside skipped folders. */
function mayHoldCookbooks(dir: string, depth: number): boolean {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return false; }
  if (entries.some((e) => e.isFile() && (e.name === 'metadata.rb' || e.name === 'metadata.json'))) return true;
  return depth < 2 && entries.some((e) => e.isDirectory() && !skippedDir(e.name) && mayHoldCookbooks(path.join(dir, e.name), depth + 1));
}

/** The role of a file inside a cookbook, from its folder. */
export function roleOf(file: string): FileRole {
  const base = path.basename(file);
  if (base === 'metadata.rb' || base === 'metadata.json') return 'metadata';
  const parts = file.split(path.sep);
  for (let i = parts.length - 2; i >= 0; i--) {
    switch (parts[i]) {
      case 'recipes': return 'recipe';
      case 'attributes': return 'attributes';
      case 'resources': case 'providers': case 'definitions': return 'resource';
      case 'libraries': return 'library';
      case 'templates': return 'template';
      case 'files': return 'file';
    }
  }
  return 'other';
}
