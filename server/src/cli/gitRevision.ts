/**
 * A git revision of the repository a path is in, read for a CLI run (`cloche diff --from/--to`,
 * `cloche graph --revision`): `git archive REV | tar -x` into a temporary folder (pure reads: the
 * user's checkout, index and worktree list are never touched), flags naming files of the
 * repository mapped into that folder, and the output's paths written back as the repository's.
 * The folders are removed at the end, and on SIGINT/SIGTERM (exit 130/143) — the editor's cancel.
 * The one place the CLI runs git.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './io';

/** Flags naming a file or folder, read at the revision when inside the repository. */
const PATH_FLAGS = ['attributes', 'policyfile', 'roles-path', 'environments-path', 'facts'];

/** The temporary copies of revisions one command made; `removeAll` (also on a signal) deletes them. */
export class RevisionCopies {
  private readonly dirs: string[] = [];
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.removeAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** The commit's tree in a new temporary folder, a repository of its own as the checkout is. */
  copy(repo: string, commit: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-rev-'));
    this.dirs.push(dir);
    try {
      const tar = git(repo, ['archive', '--format=tar', commit]);
      execFileSync('tar', ['-x', '-C', dir], { input: tar, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
    } catch (e) {
      throw new UsageError(`cannot read revision ${commit.slice(0, 12)} of ${repo}: ${firstLine(e)}`);
    }
    // The repository's marker, so resolution and .cloche.json bounds see one repository.
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    return dir;
  }

  /** Paths of the copies in a JSON value written as the repository's, so locations name the user's files. */
  relocate<T>(value: T, repo: string | undefined): T {
    if (!this.dirs.length || !repo) return value;
    return JSON.parse(this.relocateText(JSON.stringify(value), repo, (p) => JSON.stringify(p).slice(1, -1))) as T;
  }

  /** The same in plain text (DOT, Mermaid, text output). */
  relocateText(text: string, repo: string | undefined, quote: (p: string) => string = (p) => p): string {
    if (!repo) return text;
    for (const d of new Set(this.dirs.flatMap((dir) => [dir, fs.realpathSync(dir)]))) text = text.split(quote(d)).join(quote(repo));
    return text;
  }

  removeAll(): void {
    for (const d of this.dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** The top folder of the git repository PATH is in, or a usage error saying what else can be compared. */
export function gitRoot(target: string, otherwise: string): string {
  const dir = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  try {
    return fs.realpathSync(git(dir, ['rev-parse', '--show-toplevel']).toString().trim());
  } catch (e) {
    throw new UsageError(`${target} is not in a git repository (or git is not installed): ${firstLine(e)}${otherwise}`);
  }
}

/** The commit a revision names, or a usage error naming the flag. */
export function resolveCommit(repo: string, rev: string, flag: string): string {
  if (rev.startsWith('-')) throw new UsageError(`${flag} ${rev}: not a revision`);
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString().trim();
  } catch {
    throw new UsageError(`${flag} ${rev}: not a commit of the repository at ${repo} (git rev-parse --verify found none)`);
  }
}

/** A path of the repository as the same path in its copy; other paths as they are. */
export function pathInCopy(repo: string, copy: string): (p: string) => string {
  return (p) => (insideFolder(repo, p) ? path.join(copy, path.relative(repo, p)) : p);
}

/** The flags naming files (`--attributes`, `--policyfile`, `--cookbook-path` …) mapped by `map`. */
export function mapPathFlags(values: Map<string, string>, map: (p: string) => string): Map<string, string> {
  const out = new Map(values);
  for (const f of PATH_FLAGS) {
    const v = out.get(f);
    if (v !== undefined) out.set(f, map(path.resolve(v)));
  }
  const cookbookPath = out.get('cookbook-path');
  if (cookbookPath) out.set('cookbook-path', cookbookPath.split(':').filter(Boolean).map((p) => map(path.resolve(p))).join(':'));
  return out;
}

export function insideFolder(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function git(repo: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: Buffer; message?: string };
  return (err.stderr?.toString().trim() || err.message || String(e)).split('\n')[0];
}
