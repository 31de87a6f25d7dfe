/**
 * `cloche diff [PATH] [--from REV] [--to REV] [--from-platform P --to-platform Q] [--from-suite S --to-suite T]
 * [--from-attributes F --to-attributes G] [graph's run-input flags] [--format text|json|markdown] [--detailed-exitcode]`:
 * what a change does to the run, computed statically — the Graph JSON (with rendered content) of
 * two versions of the same run, compared by `chef/runDiff.ts`.
 *
 * A git revision is read into a temporary folder (`gitRevision.ts`); locations are written back as
 * paths of the repository. Exit codes: 0 (with `--detailed-exitcode`: nothing
 * differs), 1 (`--detailed-exitcode` only: something changed or may change), 2 (usage, git, or an
 * input error of either side, as `graph` reports them), 130/143 (interrupted: the folders removed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, formatOf, type ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { RevisionCopies, gitRoot, insideFolder, mapPathFlags, pathInCopy, resolveCommit } from './gitRevision';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES } from './runInputOptions';
import { graphOfRun } from './graph';
import { RESOLUTION_ERRORS } from '../chef/resolution';
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

/** What a usage error suggests when PATH is in no git repository. */
const COMPARE_OTHERWISE = '; compare platforms, suites or attribute files with --from-platform/--to-platform, --from-suite/--to-suite, --from-attributes/--to-attributes';

/** Flags that differ per side: `--from-X`/`--to-X` over `--X`. */
const SIDE_FLAGS = ['platform', 'suite', 'attributes'];

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
  const repo = fromRev !== undefined || toRev !== undefined ? gitRoot(target, COMPARE_OTHERWISE) : undefined;
  const copies = new RevisionCopies();
  try {
    const sides = [{ which: 'from' as const, rev: fromRev }, { which: 'to' as const, rev: toRev }].map(({ which, rev }) => {
      const commit = rev === undefined ? undefined : resolveCommit(repo!, rev, `--${which}`);
      const root = commit === undefined ? undefined : copies.copy(repo!, commit);
      return { which, rev, commit, root };
    });
    let errors = 0;
    const graphs: Graph[] = [];
    for (const side of sides) {
      const map = side.root ? pathInCopy(repo!, side.root) : (p: string) => p;
      const { graph, failed } = graphOf(map(target), argsForSide(args, side.which, map), io);
      errors += failed;
      graphs.push(graph);
      // The work is synchronous: let a signal that came meanwhile be handled before going on.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const label = (which: 'from' | 'to', rev: string | undefined) => [rev ?? 'working tree',
      ...SIDE_FLAGS.filter((f) => f !== 'platform' && args.values.has(`${which}-${f}`)).map((f) => `${f} ${args.values.get(`${which}-${f}`)}`)].join(', ');
    // Locations name the repository's files, not the temporary copies (relocated in the diff, far smaller than the graphs).
    const diff = copies.relocate(diffRuns(graphs[0], graphs[1], {
      from: { label: label('from', fromRev), ...(sides[0].commit ? { commit: sides[0].commit } : {}) },
      to: { label: label('to', toRev), ...(sides[1].commit ? { commit: sides[1].commit } : {}) },
    }), repo);
    const base = repo ?? process.cwd();
    const where = (file: string) => (insideFolder(base, file) ? path.relative(base, file) : file);
    io.stdout(format === 'json' ? JSON.stringify(diff, null, 2) + '\n' : format === 'markdown' ? runDiffMarkdown(diff, where) : runDiffText(diff, where));
    if (errors) return 2;
    return args.booleans.has('detailed-exitcode') && hasDifferences(diff) ? 1 : 0;
  } finally {
    copies.removeAll();
  }
}

/** The flags of one side: its `--from-X`/`--to-X` as `--X`, paths mapped into its revision's folder. */
function argsForSide(args: ParsedArgs, which: 'from' | 'to', map: (p: string) => string): ParsedArgs {
  const values = new Map(args.values);
  for (const f of SIDE_FLAGS) {
    const v = args.values.get(`${which}-${f}`);
    if (v !== undefined) values.set(f, v);
  }
  return { ...args, positional: [], values: mapPathFlags(values, map) };
}

/** The Graph JSON with rendered content of one side, as `cloche graph --with-content` makes it; input and resolution errors counted and said. */
function graphOf(target: string, args: ParsedArgs, io: CliIO): { graph: Graph; failed: number } {
  const side = graphOfRun(target, args, io, 'diff', { content: true, findings: 'resolution' });
  for (const d of side.graph.diagnostics.filter((x) => RESOLUTION_ERRORS.has(x.code))) io.stderr(`cloche diff: ${d.file}:${d.line}: ${d.message}\n`);
  return side;
}
