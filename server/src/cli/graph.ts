/**
 * `cloche graph PATH [--run-list L | --suite S] [run inputs] [--platform P] [--revision REV] [--format json|dot|mermaid|text]`.
 * Input errors (a missing role, a bad node JSON) are printed as `file:line: message`; the graph of
 * what could be set up is still printed, and the exit code is 2; so for a `depends` constraint that
 * no cookbook of the workspace satisfies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, formatOf, type ParsedArgs } from './args';
import { RevisionCopies, gitRoot, mapPathFlags, pathInCopy, resolveCommit } from './gitRevision';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelFor } from './workspaceOption';
import { toDot, toMermaid, toText } from '../chef/graphFormats';
import { withContent } from '../chef/renderedContent';
import { RESOLUTION_ERRORS } from '../chef/resolution';
import { enclosingCookbook } from '../chef/workspace';
import { kitchenChoice } from './plan';
import type { Graph } from '../protocol';
import { InputError, parseJsonDocument } from '../chef/inputs/inputFile';
import { nodeJsonInputs } from '../chef/inputs/nodeAttributes';
import { combineInputs } from '../chef/inputs/runInputs';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES, runRequestFrom, setUpRunReporting } from './runInputOptions';

export const usage = "cloche graph PATH [--run-list 'recipe[a::b],role[web]' | --suite S [--kitchen-platform K]] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--attributes-json JSON] [--platform P | --facts FILE] [--revision REV] [--format json|dot|mermaid|text] [--with-content]";

const HELP = [
  '  --attributes-json JSON   node attributes given inline, in the same forms as --attributes, applied after it',
  '                           (the editor\'s cloche.run.attributes setting, for a comparison\'s baseline)',
  '  --revision REV           the run at a git revision of PATH\'s repository (read with git archive, the checkout untouched);',
  '                           locations name the repository\'s files',
  ...RUN_INPUT_HELP,
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'platform', 'facts', 'run-list', 'cookbook-path', 'suite', 'kitchen-platform', 'revision', 'attributes-json', ...RUN_INPUT_VALUES], lists: RUN_INPUT_LISTS, booleans: ['help', 'with-content'] });
  if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${HELP.join('\n')}\n`); return 0; }
  if (args.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
  const format = formatOf(args, ['json', 'dot', 'mermaid', 'text'], 'json');
  const rev = args.values.get('revision');
  const target = rev === undefined ? path.resolve(args.positional[0]) : fs.realpathSync(path.resolve(args.positional[0]));
  const copies = new RevisionCopies();
  try {
    let map = (p: string) => p;
    let repo: string | undefined;
    if (rev !== undefined) {
      repo = gitRoot(target, '');
      map = pathInCopy(repo, copies.copy(repo, resolveCommit(repo, rev, '--revision')));
    }
    const { graph, failed } = graphOfRun(map(target), { ...args, values: mapPathFlags(args.values, map) }, io, 'graph', { content: args.booleans.has('with-content'), findings: 'all' });
    const unresolved = graph.diagnostics.filter((d) => RESOLUTION_ERRORS.has(d.code));
    const out = format === 'json' ? JSON.stringify(copies.relocate(graph, repo), null, 2) + '\n' : copies.relocateText(format === 'dot' ? toDot(graph) : format === 'mermaid' ? toMermaid(graph) : toText(graph), repo);
    io.stdout(out);
    for (const d of unresolved) io.stderr(`cloche: ${copies.relocateText(path.relative(process.cwd(), d.file) || d.file, repo)}:${d.line}: ${d.message}\n`);
    return failed ? 2 : 0;
  } finally {
    copies.removeAll();
  }
}

/**
 * What a run's graph holds besides its resources: rendered content, and every rule's findings or
 * only how its cookbooks were resolved (`cloche diff` compares resources, not findings).
 */
export interface GraphOptions { content: boolean; findings: 'all' | 'resolution' }

/**
 * The Graph JSON of the run PATH names with the run-input flags (`--with-content`: each template's,
 * cookbook_file's and file's text, unknown parts marked); `failed` counts input and resolution
 * errors, which are said on stderr as `file:line: message` by the caller (resolution) or here (inputs).
 */
export function graphOfRun(target: string, args: ParsedArgs, io: CliIO, command: string, opts: GraphOptions): { graph: Graph; failed: number } {
  if (args.values.has('suite') && args.values.has('run-list')) throw new UsageError('--suite and --run-list exclude each other (the suite has its own run list)');
  const cookbook = enclosingCookbook(target);
  const facts = platformFrom(args, { cookbook, io, command });
  const kitchen = args.values.has('suite') || args.values.has('kitchen-platform') ? kitchenChoice(args, cookbook) : undefined;
  const setup = setUpRunReporting(runRequestFrom(args, cookbook ?? target, kitchen?.choice, kitchen?.file), io, command);
  const inline = args.values.get('attributes-json');
  if (inline !== undefined) {
    try {
      setup.inputs = combineInputs(setup.inputs, nodeJsonInputs(parseJsonDocument('--attributes-json', inline), '--attributes-json'));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new UsageError(`--attributes-json: ${e.message}`);
    }
  }
  const model = modelFor([target], args, setup.recipes);
  const runList = setup.recipes ?? model.runListFor(target);
  if (!runList) throw new UsageError(`${target} is not a recipe file or a cookbook folder (no metadata.rb found)`);
  const compilation = model.compile(runList, facts, setup.inputs);
  const plain = model.graph(compilation, runList, opts.findings === 'all' ? model.diagnostics(compilation) : model.resolution.findings);
  const graph = opts.content ? withContent(plain, compilation) : plain;
  return { graph, failed: setup.errors.length + graph.diagnostics.filter((d) => RESOLUTION_ERRORS.has(d.code)).length };
}
