/** `cloche check PATH… [--format text|json] [--platform P]`: diagnostics; exit 1 when there are errors. */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import { parseArgs, formatOf } from './args';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelFor } from './workspaceOption';
import { checkPaths } from '../chef/check';
import { paint } from './paint';
import { fidelityOf, fidelityText } from '../chef/fidelity';
import type { Compilation } from '../chef/compilation';

export const usage = 'cloche check PATH... [--format text|json] [--stats] [--platform P | --facts FILE] [--cookbook-path DIR[:DIR]]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'platform', 'facts', 'cookbook-path'], booleans: ['stats'] });
  if (!args.positional.length) throw new UsageError(`usage: ${usage}`);
  const format = formatOf(args, ['text', 'json'], 'text');
  const facts = platformFrom(args);
  const model = modelFor(args.positional, args);
  const compilations: Compilation[] = [];
  const diagnostics = checkPaths(model, args.positional.map((p) => path.resolve(p)), facts, (c) => compilations.push(c));
  const stats = args.booleans.has('stats') ? fidelityOf(compilations, facts.profile) : undefined;
  if (format === 'json') io.stdout(JSON.stringify(stats ? { diagnostics, stats } : { diagnostics }, null, 2) + '\n');
  else io.stdout(formatText(diagnostics, io.isTTY) + (stats ? fidelityText(stats) : ''));
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function formatText(diags: Diagnostic[], tty: boolean): string {
  const colour = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' } as const;
  const lines = diags.map((d) => `${path.relative(process.cwd(), d.file)}:${d.line}:${d.column}: ${paint(d.severity, colour[d.severity], tty)} ${d.message} ${paint(`[${d.code}]`, 'dim', tty)}`);
  const count = (s: string) => diags.filter((d) => d.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} note(s)`);
  return lines.join('\n') + '\n';
}
