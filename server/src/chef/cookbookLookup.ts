/**
 * The early index: the cookbooks a file's analysis needs, found before the scan of the whole
 * workspace gets to them (the language server scans in the background: `indexJob.ts`). For a file,
 * its own cookbook; its repository's `path:` sources; then, for every `depends` of each cookbook
 * found (and any name a run asks for that is not found yet), the folders where a cookbook of that
 * name is usually kept: beside the cookbook asking, in its repository (`cookbooks/`, the fixture
 * folders), under each root and its `cookbooks/` and `site-cookbooks/`, under the folder names
 * cookbooks are published as (`chef-x`, `x-cookbook` …). Only folders the scan itself would find are
 * taken, each at the place the scan gives it (`Workspace.placeOf`), so what is found here is what the
 * scan finds, only sooner.
 *
 * A name the look-up does not find is never concluded absent: the analysis that needs it reports
 * that it is not found yet (`pendingDiagnostics`), and the answer is replaced when the scan ends.
 * What it does find is the best known so far; the scan may still find a better version or a clash,
 * which the analysis sees when it is redone over the whole workspace.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { Cookbook, Workspace } from './workspace';
import { hasMetadata } from './enclosingCookbook';
import { repositoryOf, repositoryRoot } from './repository';
import type { Resolution } from './resolution';

/** Where a repository keeps cookbooks by name (relative to its root). */
const REPOSITORY_FOLDERS = ['', 'cookbooks', 'site-cookbooks', 'test/fixtures/cookbooks', 'test/cookbooks', 'spec/fixtures/cookbooks'];

/** The folder names a cookbook of this name is commonly published under. */
function folderNames(name: string): string[] {
  const spelled = new Set([name, name.replace(/_/g, '-'), name.replace(/-/g, '_')]);
  return [...spelled].flatMap((n) => [n, `chef-${n}`, `${n}-cookbook`, `cookbook-${n}`, `chef-cookbook-${n}`]);
}

export class CookbookLookup {
  /** The cookbooks files were asked about, in the order asked (the early runs' entries). */
  readonly entries: Cookbook[] = [];
  /** Names looked up so far (each is looked for again in folders found later). */
  private readonly names = new Set<string>();
  /** Folders that may hold cookbooks by name. */
  private readonly bases = new Set<string>();
  /** Folders already looked at. */
  private readonly probed = new Set<string>();
  /** Cookbooks whose needs were followed. */
  private readonly followed = new Set<Cookbook>();

  constructor(private readonly ws: Workspace) {
    for (const r of ws.roots) for (const sub of ['', 'cookbooks', 'site-cookbooks']) this.bases.add(path.join(path.resolve(r), sub));
  }

  /**
   * Adds the cookbook holding a path (a file or a cookbook folder) and what its run needs, and makes
   * it an entry. Returns whether any cookbook was added to the workspace.
   */
  prime(file: string): boolean {
    const dir = this.cookbookDirOf(path.resolve(file));
    if (!dir) return false;
    const before = this.ws.all.length;
    const cb = this.add(dir);
    if (!cb) return false;
    if (!this.entries.includes(cb)) this.entries.push(cb);
    this.settle();
    return this.ws.all.length > before;
  }

  /** Looks for cookbooks of these names (a run list's, an include_recipe's); returns whether any cookbook was added. */
  lookUp(names: Iterable<string>): boolean {
    const before = this.ws.all.length;
    for (const n of names) this.names.add(n);
    this.settle();
    return this.ws.all.length > before;
  }

  /**
   * The names a run needs that are not known yet: a `depends` of one of its cookbooks the resolution
   * could not choose (not found, or not in a version its constraints accept: the scan may find one
   * that is), and cookbooks the compilation asked for that the run does not hold.
   */
  pendingOf(res: Resolution, missing: Iterable<string> = []): string[] {
    const out = new Set<string>(missing);
    for (const cb of res.cookbooks.values()) for (const d of cb.depends) if (!res.cookbooks.has(d.name)) out.add(d.name);
    return [...out].sort();
  }

  /**
   * The innermost folder holding the path that the scan would take as a cookbook (a folder with
   * metadata it reaches, not inside a part of another cookbook), as the workspace's `cookbookOf` does.
   */
  private cookbookDirOf(abs: string): string | undefined {
    for (let dir = abs; ; dir = path.dirname(dir)) {
      if (hasMetadata(dir) && this.ws.placeOf(dir)) return dir;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  /** The cookbook in a folder, added where the scan would find it (a `path:` source outside the roots as the resolution reads it). */
  private add(dir: string): Cookbook | undefined {
    const known = this.ws.cookbookIn(dir);
    if (known) return known;
    const place = this.ws.placeOf(dir);
    return place ? this.ws.addCookbook(dir, place) : this.ws.cookbookAt(dir);
  }

  /** Follows every cookbook's needs and looks every name up in every base, until nothing new is found. */
  private settle(): void {
    for (let grew = true; grew;) {
      grew = false;
      for (const cb of [...this.ws.all]) if (!this.followed.has(cb)) { this.follow(cb); grew = true; }
      for (const base of [...this.bases]) {
        if (!this.isFolder(base)) continue;
        for (const name of this.names) {
          for (const folder of folderNames(name)) {
            const dir = path.join(base, folder);
            if (this.probed.has(dir)) continue;
            this.probed.add(dir);
            if (hasMetadata(dir) && this.ws.placeOf(dir) && !this.ws.cookbookIn(dir)) { this.add(dir); grew = true; }
          }
        }
      }
    }
  }

  private readonly folders = new Map<string, boolean>();
  /** Whether a base exists (asked once: most repositories have no `cookbooks/` or fixture folders). */
  private isFolder(dir: string): boolean {
    let known = this.folders.get(dir);
    if (known === undefined) {
      try { known = fs.statSync(dir).isDirectory(); } catch { known = false; }
      this.folders.set(dir, known);
    }
    return known;
  }

  /** A cookbook's needs: its repository's sources, the places its names may be, its `depends`. */
  private follow(cb: Cookbook): void {
    this.followed.add(cb);
    const repository = repositoryOf(this.ws, cb.dir);
    for (const s of repository.sources) this.add(s.dir);
    for (const sub of REPOSITORY_FOLDERS) this.bases.add(path.join(repository.root, sub));
    this.bases.add(path.dirname(cb.dir));
    // A fixture cookbook's repository is the cookbook holding it; its siblings are the repository's dependencies.
    const outer = repositoryRoot(path.dirname(cb.dir));
    if (outer !== path.dirname(cb.dir)) this.bases.add(path.dirname(outer));
    for (const d of cb.depends) this.names.add(d.name);
  }
}

/**
 * What an analysis reports while a cookbook its run needs is not found yet: a note on each of the
 * cookbook's files (on the `depends` line in its metadata) that says so and that the file is checked
 * when indexing ends. Nothing else is claimed: the cookbook may define the resources, attributes and
 * helpers the files use.
 */
export function pendingDiagnostics(cb: Cookbook, files: string[], names: string[]): Diagnostic[] {
  const list = names.map((n) => `'${n}'`).join(', ');
  const message = `Not checked yet: Cloche is still indexing the workspace and has not found the cookbook${names.length > 1 ? 's' : ''} ${list} this run needs; this file is checked when indexing ends.`;
  return files.map((file) => {
    const line = file === cb.metadataFile ? cb.depends.find((d) => names.includes(d.name))?.line ?? 1 : 1;
    return { file, line, column: 1, endLine: line, endColumn: 1, severity: 'info', code: 'not-indexed-yet', message };
  });
}
