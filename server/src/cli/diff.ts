/**
 * `cloche diff [PATH] [--from REV] [--to REV] [--from-platform P --to-platform Q] [--from-suite S --to-suite T]
 * [--from-attributes F --to-attributes G] [graph's run-input flags] [--format text|json|markdown] [--detailed-exitcode]`:
 * what a change does to the run, computed statically — the Graph JSON (with rendered content) of
 * two versions of the same run, compared by `chef/runDiff.ts`.
 *
 * A git revision is read into a temporary folder with `git archive REV | tar -x` (pure reads: the
 * user's checkout, index and worktree list are never touched) and removed afterwards; locations
 * are written back as paths of the repository. Exit codes: 0 (with `--detailed-exitcode`: nothing
 * differs), 1 (`--detailed-exitcode` only: something changed or may change), 2 (usage, git, or an
 * input error of either side, as `graph` reports them), 130/143 (interrupted: the folders removed).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, formatOf, type ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelFor } from './workspaceOption';
import { kitchenChoice } from './plan';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES, runRequestFrom, setUpRunReporting } from './runInputOptions';
import { withContent } from '../chef/renderedContent';
import { RESOLUTION_ERRORS } from '../chef/resolution';
import { enclosingCookbook } from '../chef/workspace';
import { diffRuns, hasDifferences } from '../chef/runDiff';
import { runDiffMarkdown, runDiffText } from '../chef/runDiffFormats';
import type { Graph } from '../protocol';

export const usage = 'cloche diff [PATH] [--from REV] [--to REV] [--from-platform P] [--to-platform Q] [--from-suite S] [--to-suite T] [--from-attributes F] [--to-attributes G] [--platform P | --facts FILE] [--run-list L | --suite S [--kitchen-platform K]] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--format text|json|markdown] [--detailed-exitcode]';

const HELP = [
  '  --from REV               the baseline: a git revision of PATH\'s repository (default HEAD; the working tree when',
  '                           only --from-/--to- platform, suite or attributes differ)',
  '  --to REV                 the version compared with it (default: the working tree)',
  '  --from-platform P, --to-platform Q       compare two platform profiles (over --platform for that side)',
  '  --from-suite S, --to-suite T             compare two kitchen suites (over --suite for that side)',
  '  --from-attributes F, --to-attributes G   compare two node attribute files (over --attributes for that side)',
  '  --format text|json|markdown              json: the RunDiff contract (protocol.ts); markdown: for a pull request comment',
  '  --detailed-exitcode      exit 1 when anything changed or may change, 0 when nothing did',
  '  Paths given to run-input flags inside the repository are read at each side\'s revision.',
  ...RUN_INPUT_HELP,
];

/** Flags that differ per side: `--from-X`/`--to-X` over `--X`. */
const SIDE_FLAGS = ['platform', 'suite', 'attributes'];
/** Flags naming a file or folder, read at the side's revision when inside the repository. */
const PATH_FLAGS = ['attributes', 'policyfile', 'roles-path', 'environments-path', 'facts'];

export async function run(argv: string[], io: CliIO): Promise<number> {
  const sideFlags = SIDE_FLAGS.flatMap((f) => [`from-${f}`, `to-${f}`]);
  const args = parseArgs(argv, {
    values: ['format', 'from', 'to', 'platform', 'facts', 'run-list', 'cookbook-path', 'suite', 'kitchen-platform', ...sideFlags, ...RUN_INPUT_VALUES],
    lists: RUN_INPUT_LISTS, booleans: ['help', 'detailed-exitcode'],
  });
  if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${HELP.join('\n')}\n`); return 0; }
  if (args.positional.length > 1) throw new UsageError(`usage: ${usage}`);
  const format = formatOf(args, ['text', 'json', 'markdown'], 'text');
  const target = fs.realpathSync(path.resolve(args.positional[0] ?? '.'));
  const comparesOther = sideFlags.some((f) => args.values.has(f));
  const fromRev = args.values.get('from') ?? (comparesOther && !args.values.has('to') ? undefined : 'HEAD');
  const toRev = args.values.get('to');
  const repo = fromRev !== undefined || toRev !== undefined ? gitRoot(target) : undefined;
  const temps: string[] = [];
  // Interrupted (the editor's cancel is SIGTERM): the revisions' folders are removed, exit 128+n.
  const onSignal = (signal: NodeJS.Signals) => {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const sides = [{ which: 'from' as const, rev: fromRev }, { which: 'to' as const, rev: toRev }].map(({ which, rev }) => {
      const commit = rev === undefined ? undefined : resolveCommit(repo!, rev, which);
      const root = commit === undefined ? undefined : materialise(repo!, commit, temps);
      return { which, rev, commit, root };
    });
    let errors = 0;
    const graphs: Graph[] = [];
    for (const side of sides) {
      const map = side.root ? (p: string) => inside(repo!, p) ? path.join(side.root!, path.relative(repo!, p)) : p : (p: string) => p;
      const sideArgs = argsForSide(args, side.which, map);
      const { graph, failed } = graphOf(map(target), sideArgs, io);
      errors += failed;
      graphs.push(graph);
      // The work is synchronous: let a signal that came meanwhile be handled before going on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const label = (which: 'from' | 'to', rev: string | undefined) => [rev ?? 'working tree',
      ...SIDE_FLAGS.filter((f) => f !== 'platform' && args.values.has(`${which}-${f}`)).map((f) => `${f} ${args.values.get(`${which}-${f}`)}`)].join(', ');
    // Locations name the repository's files, not the temporary copies (relocated in the diff, far smaller than the graphs).
    const diff = relocate(diffRuns(graphs[0], graphs[1], {
      from: { label: label('from', fromRev), ...(sides[0].commit ? { commit: sides[0].commit } : {}) },
      to: { label: label('to', toRev), ...(sides[1].commit ? { commit: sides[1].commit } : {}) },
    }), sides.flatMap((s) => (s.root ? [s.root] : [])), repo);
    const base = repo ?? process.cwd();
    const where = (file: string) => (inside(base, file) ? path.relative(base, file) : file);
    io.stdout(format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : format === 'markdown' ? runDiffMarkdown(diff, where) : runDiffText(diff, where));
    if (errors) return 2;
    return args.booleans.has('detailed-exitcode') && hasDifferences(diff) ? 1 : 0;
  } finally {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  }
}

/** The flags of one side: its `--from-X`/`--to-X` as `--X`, paths mapped into its revision's folder. */
function argsForSide(args: ParsedArgs, which: 'from' | 'to', map: (p: string) => string): ParsedArgs {
  const values = new Map(args.values);
  for (const f of SIDE_FLAGS) {
    const v = args.values.get(`${which}-${f}`);
    if (v !== undefined) values.set(f, v);
  }
  for (const f of PATH_FLAGS) {
    const v = values.get(f);
    if (v !== undefined) values.set(f, map(path.resolve(v)));
  }
  const cookbookPath = values.get('cookbook-path');
  if (cookbookPath) values.set('cookbook-path', cookbookPath.split(':').filter(Boolean).map((p) => map(path.resolve(p))).join(':'));
  return { ...args, positional: [], values };
}

/** The Graph JSON with rendered content of one side, as `cloche graph --with-content` makes it; input errors counted. */
function graphOf(target: string, args: ParsedArgs, io: CliIO): { graph: Graph; failed: number } {
  if (args.values.has('suite') && args.values.has('run-list')) throw new UsageError('--suite and --run-list exclude each other (the suite has its own run list)');
  const cookbook = enclosingCookbook(target);
  const facts = platformFrom(args, { cookbook, io, command: 'diff' });
  const kitchen = args.values.has('suite') || args.values.has('kitchen-platform') ? kitchenChoice(args, cookbook) : undefined;
  const setup = setUpRunReporting(runRequestFrom(args, cookbook ?? target, kitchen?.choice, kitchen?.file), io, 'diff');
  const model = modelFor([target], args, setup.recipes);
  const runList = setup.recipes ?? model.runListFor(target);
  if (!runList) throw new UsageError(`${target} is not a recipe file or a cookbook folder (no metadata.rb found)`);
  const compilation = model.compile(runList, facts, setup.inputs);
  const graph = withContent(model.graph(compilation, runList), compilation);
  const unresolved = graph.diagnostics.filter((d) => RESOLUTION_ERRORS.has(d.code));
  for (const d of unresolved) io.stderr(`cloche diff: ${d.file}:${d.line}: ${d.message}\n`);
  return { graph, failed: setup.errors.length + unresolved.length };
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Paths of the revisions' temporary folders written as the repository's, so locations name the user's files. */
function relocate<T>(value: T, roots: string[], repo: string | undefined): T {
  if (!roots.length || !repo) return value;
  const to = JSON.stringify(repo).slice(1, -1);
  let text = JSON.stringify(value);
  for (const r of new Set(roots.flatMap((root) => [root, fs.realpathSync(root)]))) text = text.split(JSON.stringify(r).slice(1, -1)).join(to);
  return JSON.parse(text) as T;
}

function git(repo: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 30, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], ...(input ? { input } : {}) });
}

/** The top folder of the git repository PATH is in. */
function gitRoot(target: string): string {
  const dir = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  try {
    return fs.realpathSync(git(dir, ['rev-parse', '--show-toplevel']).toString().trim());
  } catch (e) {
    throw new UsageError(`${target} is not in a git repository (or git is not installed): ${firstLine(e)}; compare platforms, suites or attribute files with --from-platform/--to-platform, --from-suite/--to-suite, --from-attributes/--to-attributes`);
  }
}

/** The commit a revision names, or a usage error. */
function resolveCommit(repo: string, rev: string, which: 'from' | 'to'): string {
  if (rev.startsWith('-')) throw new UsageError(`--${which} ${rev}: not a revision`);
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).toString().trim();
  } catch {
    throw new UsageError(`--${which} ${rev}: not a commit of the repository at ${repo} (git rev-parse --verify found none)`);
  }
}

/** The commit's tree in a new temporary folder (`git archive | tar -x`), removed by the caller. */
function materialise(repo: string, commit: string, temps: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-diff-'));
  temps.push(dir);
  try {
    const tar = git(repo, ['archive', '--format=tar', commit]);
    execFileSync('tar', ['-x', '-C', dir], { input: tar, stdio: ['pipe', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  } catch (e) {
    throw new UsageError(`cannot read revision ${commit.slice(0, 12)} of ${repo}: ${firstLine(e)}`);
  }
  // The repository's marker, so the copy is one repository as the checkout is (resolution, .cloche.json bounds).
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  return dir;
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: Buffer; message?: string };
  return (err.stderr?.toString().trim() || err.message || String(e)).split('\n')[0];
}
