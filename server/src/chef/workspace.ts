/**
 * Finds the cookbooks of a workspace and reads their files through one file-system view that open
 * editor documents can overlay. Parses are cached per file text: parse once per document version.
 * Every cookbook found is kept, several may share a name (every community repository has a fixture
 * cookbook called `test`; old and new releases sit side by side): which one a run uses is
 * `resolution.ts`'s business. Symlinked folders are followed, each real folder searched once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseShared, type ParsedRuby } from '../ruby/prism';

export { enclosingCookbook } from './enclosingCookbook';
import { hasMetadata } from './enclosingCookbook';

export interface CookbookFiles {
  attributes: string[];
  recipes: string[];
  resources: string[];
  providers: string[];
  definitions: string[];
  libraries: string[];
  templates: string[];
  files: string[];
}

export interface Dependency {
  name: string;
  constraint?: string;
  /** The line of the `depends` call in metadata.rb (1-based), when read from Ruby. */
  line?: number;
}

export interface Cookbook {
  name: string;
  dir: string;
  version?: string;
  depends: Dependency[];
  /** The metadata file (for locations). */
  metadataFile?: string;
  files: CookbookFiles;
  /** Where it was found, for the cookbook path order: the root's index (-1: outside every root) and the depth below it. */
  found: { root: number; depth: number };
}

/** Directories never searched for cookbooks. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.kitchen', 'vendor', '.bundle', 'dist', 'out', '.cache', 'tmp']);
/** Whether the cookbook search skips a folder of this name (dependencies, VCS, build output, dot folders). */
export function skippedDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}
/** Cookbook sub-folders that hold no nested cookbooks (only `test/` may). */
const COOKBOOK_PARTS = new Set(['recipes', 'attributes', 'resources', 'providers', 'definitions', 'libraries', 'templates', 'files', 'spec']);
/** How deep below a root cookbooks are searched. */
const MAX_DEPTH = 6;

export class Workspace {
  /** Open documents: path → text (they win over the disk). */
  private readonly overlay = new Map<string, string>();
  private readonly parses = new Map<string, { text: string; parsed: ParsedRuby }>();
  private readonly disk = new Map<string, { mtimeMs: number; size: number; text: string }>();
  /** Every cookbook found, in the order found (roots in order, each searched depth first). */
  readonly all: Cookbook[] = [];
  private readonly byName = new Map<string, Cookbook[]>();
  /** Real paths of the folders searched in this scan (a symlink loop or a folder reached twice is searched once). */
  private readonly searched = new Set<string>();

  /**
   * `stableDisk`: the files do not change while this workspace lives (one CLI run), so a file read
   * once is not stat-ed again. The language server leaves it off: files change under it.
   * `readable`: which files may be opened from disk, told the folder of the cookbook holding each (the
   * language server refuses symlinks that lead out of it, `workspaceAccess.ts`); the others read as
   * missing. Open documents always read.
   */
  constructor(readonly roots: string[], readonly stableDisk = false, private readonly readable?: (file: string, cookbookDir: string | undefined) => boolean) {}

  /** The folder of the cookbook being read now: its files (metadata first) are its own before it is indexed. */
  private adding: string | undefined;

  /** cookbookOf answers, until the cookbooks change. */
  private readonly owners = new Map<string, Cookbook | undefined>();
  /** Cookbook folder → cookbook: lookups by folder stay constant-time at tens of thousands of cookbooks. */
  private readonly byDir = new Map<string, Cookbook>();
  /** While a scan adds cookbooks, the name index is rebuilt once at its end, not after each one. */
  private scanning = false;

  /** Scans the roots for cookbooks (a folder with metadata.rb or metadata.json). */
  scan(): void {
    for (const _ of this.scanSteps()) { /* every folder at once */ }
  }

  /**
   * The scan one folder at a time (each step reads one folder): the language server runs it in
   * slices between requests (indexJob.ts). Roots in order, each depth first, every real folder
   * once; the name index is made at the end (`named` is empty until then).
   */
  *scanSteps(): Generator<void> {
    this.all.length = 0;
    this.byName.clear();
    this.byDir.clear();
    this.owners.clear();
    this.searched.clear();
    this.scanning = true;
    try {
      // Depth first with an explicit stack (children pushed in reverse): the order of a recursive walk.
      const stack = this.roots.map((root, i) => ({ dir: path.resolve(root), depth: 0, root: i })).reverse();
      while (stack.length) {
        const { dir, depth, root } = stack.pop()!;
        const children = this.visit(dir, depth, root);
        for (let k = children.length - 1; k >= 0; k--) stack.push({ dir: children[k], depth: depth + 1, root });
        yield;
      }
    } finally { this.scanning = false; }
    this.index();
  }

  /** Reads one folder of the scan (adding it when it is a cookbook); returns the subfolders to search. */
  private visit(dir: string, depth: number, root: number): string[] {
    if (depth > MAX_DEPTH) return [];
    let real: string;
    try { real = fs.realpathSync(dir); } catch { return []; }
    if (this.searched.has(real)) return [];
    this.searched.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return []; }
    const isCookbook = entries.some((e) => (e.isFile() || e.isSymbolicLink()) && (e.name === 'metadata.rb' || e.name === 'metadata.json'));
    if (isCookbook) this.addCookbook(dir, { root, depth });
    const children: string[] = [];
    for (const e of entries) {
      if (skippedDir(e.name) || !isFolder(dir, e)) continue;
      if (isCookbook && COOKBOOK_PARTS.has(e.name)) continue;
      children.push(path.join(dir, e.name));
    }
    return children;
  }

  /**
   * Where the scan finds a cookbook folder (its root and depth), or undefined when the scan does
   * not reach it: below no root, deeper than the search goes, in a skipped folder, or inside a part
   * of another cookbook (`files/`, `recipes/` …). For look-ups that add a cookbook before the scan
   * gets to it, read from the disk by name (a symlinked folder may be reached by another path).
   */
  placeOf(dir: string): Cookbook['found'] | undefined {
    const abs = path.resolve(dir);
    for (const [i, r] of this.roots.entries()) {
      const root = path.resolve(r);
      if (abs !== root && !abs.startsWith(root + path.sep)) continue;
      const parts = abs === root ? [] : path.relative(root, abs).split(path.sep);
      if (parts.length > MAX_DEPTH || parts.some(skippedDir)) continue;
      let inPart = false;
      for (let k = 0, at = root; k < parts.length && !inPart; at = path.join(at, parts[k]), k++) inPart = COOKBOOK_PARTS.has(parts[k]) && hasMetadata(at);
      if (!inPart) return { root: i, depth: parts.length };
    }
    return undefined;
  }

  /** The open documents' texts (a workspace made afresh takes them over). */
  openTexts(): ReadonlyMap<string, string> {
    return this.overlay;
  }

  /** Adds (or re-reads) one cookbook folder; `found` defaults to where it was found before (else outside every root). */
  addCookbook(dir: string, found?: Cookbook['found']): Cookbook {
    const abs = path.resolve(dir);
    const known = this.byDir.get(abs);
    const before = this.adding;
    this.adding = abs;
    let cookbook: Cookbook;
    try { cookbook = readCookbook(this, abs, found ?? known?.found ?? { root: -1, depth: 0 }); } finally { this.adding = before; }
    // Re-read in place: models and resolutions holding the cookbook see its new file lists.
    if (known) Object.assign(known, cookbook); else { this.all.push(cookbook); this.byDir.set(abs, cookbook); }
    if (!this.scanning) this.index();
    return known ?? cookbook;
  }

  /** The indexed cookbook whose folder this is, if any. */
  cookbookIn(dir: string): Cookbook | undefined {
    return this.byDir.get(path.resolve(dir));
  }

  /** The cookbook in a folder: known, or read now when the folder has metadata (a `path:` source outside the roots). */
  cookbookAt(dir: string): Cookbook | undefined {
    const abs = path.resolve(dir);
    const known = this.byDir.get(abs);
    if (known) return known;
    return hasMetadata(abs) ? this.addCookbook(abs) : undefined;
  }

  /**
   * A path as messages name it: from the root it is under (the first, when several hold it), the
   * root's own name included (`cookbooks/apt`, `vendor/apt`: two roots stay apart); else as it is.
   */
  displayPath(file: string): string {
    const abs = path.resolve(file);
    for (const r of this.roots) {
      const root = path.resolve(r);
      if (abs === root || abs.startsWith(root + path.sep)) return path.relative(path.dirname(root), abs);
    }
    return abs;
  }

  /** Every cookbook with this name, in the cookbook path order: earlier root first, then shallower, then by folder. */
  named(name: string): Cookbook[] {
    return this.byName.get(name) ?? [];
  }

  private index(): void {
    this.byName.clear();
    for (const cb of this.all) {
      const list = this.byName.get(cb.name) ?? [];
      list.push(cb);
      this.byName.set(cb.name, list);
    }
    for (const list of this.byName.values()) list.sort(pathOrder);
    this.owners.clear();
  }

  /** The cookbook a file belongs to. */
  cookbookOf(file: string): Cookbook | undefined {
    if (this.owners.has(file)) return this.owners.get(file);
    // The innermost cookbook folder holding the path: its nearest ancestor that is one.
    let best: Cookbook | undefined;
    for (let dir = path.resolve(file); ; dir = path.dirname(dir)) {
      best = this.byDir.get(dir);
      if (best || path.dirname(dir) === dir) break;
    }
    if (this.owners.size > 50_000) this.owners.clear();
    this.owners.set(file, best);
    return best;
  }

  /** Counts changes of open documents: with a stable disk, what a file reads as changes only with it. */
  overlayVersion = 0;

  setOverlay(file: string, text: string | undefined): void {
    this.overlayVersion++;
    const abs = path.resolve(file);
    if (text === undefined) this.overlay.delete(abs); else this.overlay.set(abs, text);
  }

  /**
   * A file's text: the open document if there is one, else the disk, re-read only when its size or
   * modification time changed (the language server recompiles a cookbook on every keystroke).
   */
  readFile(file: string): string | undefined {
    const abs = path.resolve(file);
    const open = this.overlay.get(abs);
    if (open !== undefined) return open;
    if (this.stableDisk && this.disk.has(abs)) return this.disk.get(abs)!.text;
    let stat: fs.Stats;
    try { stat = fs.statSync(abs); } catch { this.disk.delete(abs); return undefined; }
    // Not a regular file: a named pipe would block the reader forever, a device never ends.
    if (!stat.isFile()) { this.disk.delete(abs); return undefined; }
    const cached = this.disk.get(abs);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.text;
    // Checked when the disk is read (a symlink led elsewhere changes what stat says).
    if (this.readable && !this.readable(abs, this.cookbookDirOf(abs))) { this.disk.delete(abs); return undefined; }
    try {
      const text = fs.readFileSync(abs, 'utf8');
      this.disk.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, text });
      return text;
    } catch {
      return undefined;
    }
  }

  /** The folder of the cookbook holding a file: the one being read now, else an indexed one. */
  private cookbookDirOf(abs: string): string | undefined {
    if (this.adding && (abs === this.adding || abs.startsWith(this.adding + path.sep))) return this.adding;
    return this.cookbookOf(abs)?.dir;
  }

  exists(file: string): boolean {
    return this.overlay.has(path.resolve(file)) || fs.existsSync(file);
  }

  /** Parses a Ruby file, reusing the previous parse while its text is unchanged. */
  parse(file: string): ParsedRuby | undefined {
    const abs = path.resolve(file);
    const text = this.readFile(abs);
    if (text === undefined) return undefined;
    const cached = this.parses.get(abs);
    if (cached && cached.text === text) return cached.parsed;
    const parsed = parseShared(text);
    this.parses.set(abs, { text, parsed });
    return parsed;
  }

  /** Lists files under a folder, recursively, sorted (Chef loads attribute and library files in name order). */
  listFiles(dir: string, filter: (name: string) => boolean, recursive = false): string[] {
    const out: string[] = [];
    const visit = (d: string, depth: number): void => {
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = path.join(d, e.name);
        if (isFolder(d, e)) { if (recursive && depth < 8) visit(p, depth + 1); } else if (filter(e.name)) out.push(p);
      }
    };
    visit(dir, 0);
    return out;
  }
}

/** The names of a folder's subfolders (symlinks to folders included); none when it cannot be read. */
function subfolders(dir: string): string[] {
  let entries: fs.Dirent[];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return []; }
  return entries.filter((e) => isFolder(dir, e)).map((e) => e.name);
}

/** Whether a folder entry is a folder, following a symlink. */
function isFolder(dir: string, e: fs.Dirent): boolean {
  if (e.isDirectory()) return true;
  if (!e.isSymbolicLink()) return false;
  try { return fs.statSync(path.join(dir, e.name)).isDirectory(); } catch { return false; }
}

/** The cookbook path order of two cookbooks: the earlier root, then the shallower, then the folder name. */
export function pathOrder(a: Cookbook, b: Cookbook): number {
  const ra = a.found.root < 0 ? Infinity : a.found.root, rb = b.found.root < 0 ? Infinity : b.found.root;
  return ra - rb || a.found.depth - b.found.depth || (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0);
}

const isRuby = (n: string): boolean => n.endsWith('.rb');

function readCookbook(ws: Workspace, dir: string, found: Cookbook['found']): Cookbook {
  // Only the parts the folder has are listed: most cookbooks lack most of them, and a failed
  // directory read costs an exception each (thousands of cookbooks, eight parts each).
  const present = new Set(subfolders(dir));
  const at = (sub: string, filter: (name: string) => boolean, recursive = false) => (present.has(sub) ? ws.listFiles(path.join(dir, sub), filter, recursive) : []);
  const files: CookbookFiles = {
    attributes: at('attributes', isRuby),
    recipes: at('recipes', (n) => isRuby(n) || n.endsWith('.yml') || n.endsWith('.yaml')),
    resources: at('resources', isRuby, true),
    providers: at('providers', isRuby, true),
    definitions: at('definitions', isRuby),
    libraries: at('libraries', isRuby, true),
    templates: at('templates', () => true, true),
    files: at('files', () => true, true),
  };
  const meta = readMetadata(ws, dir);
  return { name: meta.name ?? path.basename(dir), dir, version: meta.version, depends: meta.depends, metadataFile: meta.file, files, found };
}

interface Metadata { name?: string; version?: string; depends: Dependency[]; file?: string }

/**
 * metadata.rb is Ruby, but only a handful of its calls matter here; reading them from the syntax
 * tree (string literals) is exact for real metadata files and cannot run anything.
 */
function readMetadata(ws: Workspace, dir: string): Metadata {
  const rb = path.join(dir, 'metadata.rb');
  const parsed = ws.parse(rb);
  if (parsed) {
    const meta: Metadata = { depends: [], file: rb };
    for (const stmt of (parsed.tree as any).statements?.body ?? []) {
      if (stmt.constructor.name !== 'CallNode' || stmt.receiver) continue;
      const args = (stmt.arguments_?.arguments_ ?? []).map((a: any) => (a.constructor.name === 'StringNode' || a.constructor.name === 'SymbolNode' ? a.unescaped.value : undefined));
      if (stmt.name === 'name' && args[0]) meta.name = args[0];
      else if (stmt.name === 'version' && args[0]) meta.version = args[0];
      else if (stmt.name === 'depends' && args[0]) {
        const line = parsed.lines.position(stmt.location.startOffset).line + 1;
        meta.depends.push({ name: args[0], ...(args[1] !== undefined ? { constraint: args[1] } : {}), line });
      }
    }
    return meta;
  }
  const json = ws.readFile(path.join(dir, 'metadata.json'));
  if (json) {
    try {
      const m = JSON.parse(json);
      return { name: m.name, version: m.version, depends: Object.entries(m.dependencies ?? {}).map(([name, c]) => ({ name, constraint: String(c) })), file: path.join(dir, 'metadata.json') };
    } catch { /* fall through: a broken metadata.json still names the folder */ }
  }
  return { depends: [] };
}

