/**
 * The little git the comparison's baseline needs on the extension side: the repository of a
 * folder, the commit a revision names, recent commits and refs for the picker, and a file's text
 * at a commit (the baseline's source lines). Read-only commands with a timeout; nothing is written.
 * No vscode import.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 20_000, maxBuffer: 64 << 20, encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/** The top folder of the repository `dir` is in, or undefined (not a repository, or no git). */
export async function repositoryOf(dir: string): Promise<string | undefined> {
  return (await git(dir, ['rev-parse', '--show-toplevel']))?.trim() || undefined;
}

/** The commit a revision names, or undefined. */
export async function commitOf(repo: string, revision: string): Promise<string | undefined> {
  if (revision.startsWith('-')) return undefined;
  return (await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]))?.trim() || undefined;
}

export interface RecentCommit { commit: string; short: string; subject: string; refs: string; when: string }

/** The last commits of HEAD's history, newest first, with the branches and tags on them. */
export async function recentCommits(repo: string, count = 30): Promise<RecentCommit[]> {
  const out = await git(repo, ['log', `-${count}`, '--format=%H%x1f%h%x1f%s%x1f%D%x1f%cr']);
  return (out ?? '').split('\n').filter(Boolean).map((line) => {
    const [commit, short, subject, refs, when] = line.split('\x1f');
    return { commit, short, subject, refs, when };
  });
}

/** A file's text at a commit (undefined when it did not exist there). */
export async function fileAt(repo: string, commit: string, file: string): Promise<string | undefined> {
  const rel = path.relative(repo, file).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return git(repo, ['show', `${commit}:${rel}`]);
}
