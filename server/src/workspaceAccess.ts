/**
 * What the language server may serve and read. A request names a file by URI, and a client (or a
 * link, or a crafted message) may name any: `file:///etc/shadow`, a symlink in the workspace that
 * leads there, `…/%2e%2e/…`. The server answers only for
 *  - open documents (any scheme: the editor gave their text, nothing is read), and
 *  - `file:` paths under a workspace folder (the root URI when the client gives no folders; with
 *    neither, none), or inside a cookbook the workspace's own scan found (a symlinked cookbook
 *    folder, a Berksfile `path:` source) — by name, and by real path with every symlink resolved.
 * The session's error boundary asks `request` before any handler runs, so no handler can forget it,
 * and the analysis reads files through `readable`: a file whose real path leaves the folder that
 * holds it (its cookbook, a root) is never opened, whoever asks. No LSP imports: plain paths and URIs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the access rules need to know of the session: its folders, open documents and cookbooks. */
export interface AccessScope {
  /** The workspace folders (or the root URI's folder), as paths; empty when the client gave neither. */
  folders(): string[];
  /** Every folder the analysis searches for cookbooks (the folders and the `cloche.cookbookPaths`). */
  roots(): string[];
  /** The folder of the cookbook a requested path is in, when the workspace's scan found that cookbook. */
  cookbookDirOf(file: string): string | undefined;
  /** Whether a URI is an open document. */
  isOpen(uri: string): boolean;
}

/** A request's URI is served (with its path, for `file:` URIs), or refused with why. */
export type Access = { served: true; file?: string } | { served: false; why: string };

export class WorkspaceAccess {
  constructor(private readonly scope: AccessScope) {}

  /** Whether a request naming `uri` is answered. */
  request(uri: string): Access {
    if (this.scope.isOpen(uri)) return { served: true };
    if (!/^file:/i.test(uri)) return { served: false, why: `${uri} is neither an open document nor a file in the workspace` };
    let file: string;
    try { file = path.resolve(fileURLToPath(uri)); } catch { return { served: false, why: `${uri} is not a local file path` }; }
    const holders = [...this.scope.folders().filter((f) => isInside(file, path.resolve(f))), ...this.cookbookOf(file)];
    if (!holders.length || !staysInside(file, holders)) return { served: false, why: `${file} is outside the workspace folders: Cloche serves only their files and open documents` };
    return { served: true, file };
  }

  /** `request` as a yes or no (results that point at files: definitions, links, symbols, workspace reports). */
  served(uri: string): boolean {
    return this.request(uri).served;
  }

  /**
   * Whether the analysis may open a file from disk: its real path stays inside the real folder of
   * what holds it by name — its cookbook (the workspace says which: one being read has no index
   * entry yet) or a root — or, for a file outside all of them (a repository's Berksfile above a
   * root), inside its own folder (it is no symlink to elsewhere).
   */
  readable(file: string, cookbookDir: string | undefined): boolean {
    const abs = path.resolve(file);
    const holders = this.scope.roots().map((r) => path.resolve(r)).filter((r) => isInside(abs, r));
    if (cookbookDir && isInside(abs, path.resolve(cookbookDir))) holders.push(path.resolve(cookbookDir));
    return staysInside(abs, holders.length ? holders : [path.dirname(abs)]);
  }

  private cookbookOf(file: string): string[] {
    const dir = this.scope.cookbookDirOf(file);
    return dir && isInside(file, path.resolve(dir)) ? [path.resolve(dir)] : [];
  }
}

/** Whether `file`, every symlink resolved, is inside one of the folders (each resolved too). */
export function staysInside(file: string, folders: string[]): boolean {
  const real = realPathOf(file);
  if (real === undefined) return false;
  return folders.some((f) => { const r = realPathOf(f); return r !== undefined && isInside(real, r); });
}

/** Whether a path is a folder or below it (by name; both absolute and resolved). */
export function isInside(child: string, folder: string): boolean {
  const [c, f] = process.platform === 'win32' ? [child.toLowerCase(), folder.toLowerCase()] : [child, folder];
  return c === f || c.startsWith(f.endsWith(path.sep) ? f : f + path.sep);
}

/**
 * The real path (symlinks resolved) of a path that may not exist yet (a file a quick fix creates):
 * its nearest existing ancestor's real path with the rest appended. Undefined when it cannot be
 * resolved (a symlink loop, no permission). Never opens the file: realpath only reads links.
 */
export function realPathOf(p: string): string | undefined {
  let existing = path.resolve(p);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(existing), ...rest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
      // A dangling symlink: where it leads is not known to be inside anything.
      if (isLink(existing)) return undefined;
      const parent = path.dirname(existing);
      if (parent === existing) return undefined;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

function isLink(p: string): boolean {
  try { return fs.lstatSync(p).isSymbolicLink(); } catch { return false; }
}
