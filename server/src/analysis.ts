/**
 * The per-workspace analysis cache: one Model for the workspace, and one compilation per cookbook
 * (every recipe of it, each its own run-list entry, as `checkPaths` does) for the chosen platform.
 * A change invalidates only the cookbook of the changed file and the cookbooks that depend on it;
 * custom resources and libraries are reloaded when their files change. Compilations are made on
 * demand, so a burst of keystrokes costs one compilation when the next request arrives.
 * No LSP imports here: the adapters in features/ translate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from './protocol';
import { Model } from './chef/model';
import type { Compilation } from './chef/compilation';
import { type Cookbook, skippedDir } from './chef/workspace';
import { type PlatformFacts, getPlatformProfile, DEFAULT_PROFILE } from './chef/platforms';
import { syntaxDiagnostics, rubyFilesOf } from './chef/rules/syntaxRule';
import { actionBodyDiagnostics } from './chef/resourceBodies';
import { withActionBodies } from './chef/check';
import { findingsAtCallSites } from './chef/callSites';

/** A cookbook's compilation and its diagnostics, by file. */
export interface CookbookAnalysis {
  cookbook: Cookbook;
  compilation?: Compilation;
  diagnostics: Map<string, Diagnostic[]>;
  /** Milliseconds the compilation and validation took. */
  ms: number;
}

/** What kind of cookbook file a path is (decides what a change invalidates). */
export type FileChange = 'created' | 'changed' | 'deleted';

export type FileRole = 'recipe' | 'attributes' | 'resource' | 'library' | 'metadata' | 'template' | 'file' | 'other';

export class Analysis {
  model: Model;
  facts: PlatformFacts;
  private readonly fresh = new Map<string, CookbookAnalysis>();
  /** The last analysis of each cookbook, even when outdated (completion may use it while typing). */
  private readonly last = new Map<string, CookbookAnalysis>();
  /**
   * Findings of each cookbook's custom resource actions checked on their own. Editing a recipe
   * cannot change them, so they survive recipe edits; any other change of the cookbook (or of one
   * it depends on) drops them.
   */
  private readonly bodies = new Map<string, Diagnostic[]>();
  /** Who waits for the next invalidation (a held-open workspace diagnostics request). */
  private changeWaiters: (() => void)[] = [];

  constructor(roots: string[], platform = DEFAULT_PROFILE) {
    this.facts = getPlatformProfile(platform) ?? getPlatformProfile(DEFAULT_PROFILE)!;
    this.model = new Model(roots);
  }

  /** Workspace folders or extra cookbook paths changed: index again (open documents stay overlaid). */
  setRoots(roots: string[], overlays: Map<string, string>): void {
    this.model = new Model(roots);
    for (const [file, text] of overlays) this.model.ws.setOverlay(file, text);
    if (overlays.size) this.model.reload();
    this.invalidateAll();
  }

  /** Another platform profile: every compilation is redone. Returns false for an unknown profile. */
  setPlatform(profile: string): boolean {
    const facts = getPlatformProfile(profile);
    if (!facts) return false;
    if (facts.profile !== this.facts.profile) { this.facts = facts; this.invalidateAll(); this.last.clear(); }
    return true;
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
    return this.model.ws.cookbooks.size;
  }

  /** An editor document's text (undefined when it closes and the disk wins again). Returns the invalidated cookbooks. */
  setText(file: string, text: string | undefined): Set<string> {
    this.model.ws.setOverlay(file, text);
    return this.fileChanged(file, 'changed');
  }

  /**
   * A batch of changes on disk (as a client reports them): cookbooks are searched again at most once
   * for the whole batch. Returns the names of the invalidated cookbooks.
   */
  filesChanged(changes: { file: string; kind: FileChange }[]): Set<string> {
    if (changes.some((c) => this.movesCookbooks(path.resolve(c.file), c.kind))) {
      this.model.rescan();
      return this.invalidateAll();
    }
    const out = new Set<string>();
    for (const c of changes) for (const name of this.fileChanged(c.file, c.kind)) out.add(name);
    return out;
  }

  /** A file changed, appeared or disappeared (editor or disk). Returns the names of the invalidated cookbooks. */
  fileChanged(file: string, kind: FileChange): Set<string> {
    const abs = path.resolve(file);
    const role = roleOf(abs);
    if (this.movesCookbooks(abs, kind)) {
      this.model.rescan();
      return this.invalidateAll();
    }
    const cb = this.model.ws.cookbookOf(abs);
    if (!cb) return new Set();
    if (kind !== 'changed') this.model.ws.addCookbook(cb.dir); // file lists (recipes, templates, files) changed
    const current = this.model.ws.cookbooks.get(cb.name) ?? cb;
    if (role === 'resource') { this.model.reloadCookbook(current); return this.invalidateAll(); }
    if (role === 'library') { this.model.reloadLibraries(); return this.invalidateAll(); }
    const names = this.invalidate(current.name);
    if (role !== 'recipe') for (const n of names) this.bodies.delete(n);
    return names;
  }

  /**
   * Whether a created or deleted path adds or removes whole cookbooks: a known cookbook's folder or a
   * folder above it (clients report a deleted folder once, not each file in it), or a new folder
   * outside every cookbook (it may hold cookbooks).
   */
  private movesCookbooks(abs: string, kind: FileChange): boolean {
    // Only what the cookbook search would look at: below a root, outside skipped folders.
    const root = this.model.ws.roots.map((r) => path.resolve(r)).find((r) => abs === r || abs.startsWith(r + path.sep));
    if (root === undefined || path.relative(root, abs).split(path.sep).slice(0, -1).some(skippedDir)) return false;
    if (roleOf(abs) === 'metadata') return true;
    if (kind === 'changed') return false;
    for (const cb of this.model.ws.cookbooks.values()) if (cb.dir === abs || cb.dir.startsWith(abs + path.sep)) return true;
    if (kind === 'deleted' || this.model.ws.cookbookOf(abs)) return false;
    return !skippedDir(path.basename(abs)) && mayHoldCookbooks(abs, 0);
  }

  /** The analysis of a cookbook, compiled now when outdated. */
  cookbook(name: string): CookbookAnalysis | undefined {
    const cached = this.fresh.get(name);
    if (cached) return cached;
    const cb = this.model.ws.cookbooks.get(name);
    if (!cb) return undefined;
    const result = this.compileCookbook(cb);
    this.fresh.set(name, result);
    this.last.set(name, result);
    return result;
  }

  /** The analysis serving a file (its cookbook's); `stale` accepts the last one while a new one is due. */
  forFile(file: string, opts: { stale?: boolean } = {}): CookbookAnalysis | undefined {
    const cb = this.model.ws.cookbookOf(path.resolve(file));
    if (!cb) return undefined;
    if (opts.stale) { const last = this.last.get(cb.name); if (last) return last; }
    return this.cookbook(cb.name);
  }

  /** Diagnostics of one file (empty outside cookbooks). */
  diagnostics(file: string): Diagnostic[] {
    const abs = path.resolve(file);
    return this.forFile(abs)?.diagnostics.get(abs) ?? [];
  }

  /** Names of the indexed cookbooks. */
  cookbookNames(): string[] {
    return [...this.model.ws.cookbooks.keys()];
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

  /** Whether a cookbook's analysis is current. */
  isFresh(name: string): boolean {
    return this.fresh.has(name);
  }

  /** Compiles an explicit run list (graph requests); not cached. */
  compileRunList(runList: string[], facts: PlatformFacts = this.facts): Compilation {
    return this.model.compile(runList, facts);
  }

  /** Cookbooks that depend on `name`, directly or not, and `name` itself. */
  dependents(name: string): Set<string> {
    const out = new Set([name]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const cb of this.model.ws.cookbooks.values()) {
        if (!out.has(cb.name) && cb.depends.some((d) => out.has(d.name))) { out.add(cb.name); grew = true; }
      }
    }
    return out;
  }

  private invalidate(name: string): Set<string> {
    const names = this.dependents(name);
    for (const n of names) this.fresh.delete(n);
    this.notifyChange();
    return names;
  }

  private invalidateAll(): Set<string> {
    const names = new Set(this.model.ws.cookbooks.keys());
    this.fresh.clear();
    this.bodies.clear();
    for (const n of this.last.keys()) if (!names.has(n)) this.last.delete(n);
    this.notifyChange();
    return names;
  }

  /** Whether the cookbook that holds the finding's file reports it itself (its resources' actions checked on their own). */
  private reportedByOwner(d: Diagnostic): boolean {
    const owner = this.model.ws.cookbookOf(d.file);
    if (!owner) return false;
    let bodies = this.bodies.get(owner.name);
    if (!bodies) { bodies = actionBodyDiagnostics(this.model, owner, this.facts); this.bodies.set(owner.name, bodies); }
    return bodies.some((b) => b.file === d.file && b.line === d.line && b.code === d.code);
  }

  private compileCookbook(cb: Cookbook): CookbookAnalysis {
    const started = performance.now();
    const runList = this.model.allRecipes(cb);
    const inCookbook = (f: string) => f.startsWith(cb.dir + path.sep);
    let compilation: Compilation | undefined;
    let run: Diagnostic[];
    if (runList.length) {
      compilation = this.model.compile(runList, this.facts);
      run = this.model.diagnostics(compilation);
    } else run = rubyFilesOf(cb).flatMap((f) => syntaxDiagnostics(this.model.ws, f));
    let bodies = this.bodies.get(cb.name);
    if (!bodies) { bodies = actionBodyDiagnostics(this.model, cb, this.facts); this.bodies.set(cb.name, bodies); }
    const own = withActionBodies(run, bodies);
    const moved = compilation ? findingsAtCallSites(own, compilation, inCookbook, (d) => this.reportedByOwner(d)) : [];
    const diags = [...own, ...moved.map((m) => m.at)];
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of diags) {
      if (!inCookbook(d.file) || this.model.ws.cookbookOf(d.file) !== cb) continue;
      const list = byFile.get(d.file) ?? [];
      list.push(d);
      byFile.set(d.file, list);
    }
    for (const list of byFile.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
    return { cookbook: cb, compilation, diagnostics: byFile, ms: performance.now() - started };
  }
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
