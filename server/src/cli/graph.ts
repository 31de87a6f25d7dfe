/** `cloche graph PATH [--run-list L] [--platform P] [--format json|dot|mermaid|text]`. */
import { parseArgs, formatOf } from './args';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelFor } from './workspaceOption';
import { toDot, toMermaid, toText } from '../chef/graphFormats';

export const usage = "cloche graph PATH [--run-list 'recipe[a::b],recipe[c]'] [--platform P | --facts FILE] [--format json|dot|mermaid|text]";

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'platform', 'facts', 'run-list', 'cookbook-path'] });
  if (args.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
  const format = formatOf(args, ['json', 'dot', 'mermaid', 'text'], 'json');
  const facts = platformFrom(args);
  const model = modelFor(args.positional, args);
  const runList = parseRunList(args.values.get('run-list')) ?? model.runListFor(args.positional[0]);
  if (!runList) throw new UsageError(`${args.positional[0]} is not a recipe file or a cookbook folder (no metadata.rb found)`);
  const graph = model.graph(model.compile(runList, facts), runList);
  const out = format === 'json' ? JSON.stringify(graph, null, 2) + '\n' : format === 'dot' ? toDot(graph) : format === 'mermaid' ? toMermaid(graph) : toText(graph);
  io.stdout(out);
  return 0;
}

/** `recipe[a::b],recipe[c],a::d` → ['a::b', 'c::default', 'a::d']. */
export function parseRunList(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const items = text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /^recipe\[(.+)\]$/.exec(s);
    if (/^role\[/.test(s)) throw new UsageError(`roles are not supported in --run-list (${s}); list its recipes instead`);
    const r = m ? m[1] : s;
    return r.includes('::') ? r : `${r}::default`;
  });
  return items.length ? items : undefined;
}
