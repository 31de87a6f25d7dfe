/**
 * `cloche graph PATH [--run-list L | --suite S] [run inputs] [--platform P] [--format json|dot|mermaid|text]`.
 * Input errors (a missing role, a bad node JSON) are printed as `file:line: message`; the graph of
 * what could be set up is still printed, and the exit code is 2; so for a `depends` constraint that
 * no cookbook of the workspace satisfies.
 */
import * as path from 'node:path';
import { parseArgs, formatOf } from './args';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelFor } from './workspaceOption';
import { toDot, toMermaid, toText } from '../chef/graphFormats';
import { withContent } from '../chef/renderedContent';
import { RESOLUTION_ERRORS } from '../chef/resolution';
import { enclosingCookbook } from '../chef/workspace';
import { kitchenChoice } from './plan';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES, runRequestFrom, setUpRunReporting } from './runInputOptions';

export const usage = "cloche graph PATH [--run-list 'recipe[a::b],role[web]' | --suite S [--kitchen-platform K]] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--platform P | --facts FILE] [--format json|dot|mermaid|text] [--with-content]";

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'platform', 'facts', 'run-list', 'cookbook-path', 'suite', 'kitchen-platform', ...RUN_INPUT_VALUES], lists: RUN_INPUT_LISTS, booleans: ['help', 'with-content'] });
  if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${RUN_INPUT_HELP.join('\n')}\n`); return 0; }
  if (args.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
  if (args.values.has('suite') && args.values.has('run-list')) throw new UsageError('--suite and --run-list exclude each other (the suite has its own run list)');
  const format = formatOf(args, ['json', 'dot', 'mermaid', 'text'], 'json');
  const target = path.resolve(args.positional[0]);
  const cookbook = enclosingCookbook(target);
  const facts = platformFrom(args, { cookbook, io, command: 'graph' });
  const kitchen = args.values.has('suite') || args.values.has('kitchen-platform') ? kitchenChoice(args, cookbook) : undefined;
  const setup = setUpRunReporting(runRequestFrom(args, cookbook ?? target, kitchen?.choice, kitchen?.file), io, 'graph');
  const model = modelFor(args.positional, args, setup.recipes);
  const runList = setup.recipes ?? model.runListFor(target);
  if (!runList) throw new UsageError(`${args.positional[0]} is not a recipe file or a cookbook folder (no metadata.rb found)`);
  const compilation = model.compile(runList, facts, setup.inputs);
  // --with-content: each template's, cookbook_file's and file's text, unknown parts marked (protocol.ts RenderedText).
  const graph = args.booleans.has('with-content') ? withContent(model.graph(compilation, runList), compilation) : model.graph(compilation, runList);
  const out = format === 'json' ? JSON.stringify(graph, null, 2) + '\n' : format === 'dot' ? toDot(graph) : format === 'mermaid' ? toMermaid(graph) : toText(graph);
  io.stdout(out);
  const unresolved = graph.diagnostics.filter((d) => RESOLUTION_ERRORS.has(d.code));
  for (const d of unresolved) io.stderr(`cloche: ${path.relative(process.cwd(), d.file) || d.file}:${d.line}: ${d.message}\n`);
  return setup.errors.length || unresolved.length ? 2 : 0;
}
