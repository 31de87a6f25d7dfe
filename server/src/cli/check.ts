/** `cloche check PATH… [--format text|json] [--platform P] [--lint]`: diagnostics; exit 1 when there are errors. */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import { parseArgs, formatOf } from './args';
import { type CliIO, UsageError } from './io';
import { platformFrom } from './platformOption';
import { modelsFor } from './workspaceOption';
import { enclosingCookbook } from '../chef/workspace';
import { kitchenChoice } from './plan';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES, runRequestFrom, setUpRunReporting } from './runInputOptions';
import { checkPaths } from '../chef/check';
import { RESOLUTION_ERRORS } from '../chef/resolution';
import { paint } from './paint';
import { fidelityOf, fidelityText } from '../chef/fidelity';
import type { Compilation } from '../chef/compilation';
import { LEVELS, type Level, ProjectConfigs } from '../chef/projectConfig';
import { isRuleCode } from '../chef/rules/ruleCodes';
import { lintFindings } from './lintOption';

export const usage = 'cloche check PATH... [--format text|json] [--stats] [--lint] [--platform P | --facts FILE] [--cookbook-path DIR[:DIR]] [--run-list L | --suite S] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--severity CODE=LEVEL]...';

/**
 * Every recipe of the cookbooks under PATH is compiled with the run's inputs (node attributes,
 * roles, environment, policy); a run list of the inputs (`--run-list`, a suite's, a node JSON's, a
 * policy's) is compiled as one more run. Input errors are printed as `file:line: message`, what
 * could be checked is still reported, and the exit code is 2; so for a `depends` constraint that no
 * cookbook of the workspace satisfies (its message also goes to stderr). Findings are reported as the
 * repository's `.cloche.json` files and `--severity CODE=LEVEL` (over them) say, without those that
 * `# cloche:disable…` comments switch off; a `.cloche.json` Cloche cannot read is bad input too.
 * With `--lint`, Cookstyle's (else RuboCop's) offences under the paths follow Cloche's findings, as
 * its own `.rubocop.yml` files decide; a linter that is missing or fails is bad input (exit 2).
 */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { values: ['format', 'platform', 'facts', 'cookbook-path', 'run-list', 'suite', 'kitchen-platform', ...RUN_INPUT_VALUES], lists: [...RUN_INPUT_LISTS, 'severity'], booleans: ['stats', 'help', 'lint'] });
  if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${[...RUN_INPUT_HELP, ...SEVERITY_HELP].join('\n')}\n`); return 0; }
  if (!args.positional.length) throw new UsageError(`usage: ${usage}`);
  if (args.values.has('suite') && args.values.has('run-list')) throw new UsageError('--suite and --run-list exclude each other (the suite has its own run list)');
  const format = formatOf(args, ['text', 'json'], 'text');
  const first = path.resolve(args.positional[0]);
  const cookbook = enclosingCookbook(first);
  const facts = platformFrom(args, { cookbook, io, command: 'check' });
  const models = modelsFor(args.positional, args);
  const kitchen = args.values.has('suite') || args.values.has('kitchen-platform') ? kitchenChoice(args, cookbook) : undefined;
  const setup = setUpRunReporting(runRequestFrom(args, cookbook ?? first, kitchen?.choice, kitchen?.file), io, 'check');
  // Kept only for --stats: every compilation of a large workspace held to the end is most of the memory.
  const wantStats = args.booleans.has('stats');
  const compilations: Compilation[] = [];
  const configs = new ProjectConfigs(models.ws);
  const policy = { severity: severityFlags(args.lists.get('severity') ?? [], io), configs };
  const diagnostics = checkPaths(models, args.positional.map((p) => path.resolve(p)), facts, wantStats ? (c) => compilations.push(c) : undefined, { inputs: setup.inputs, runList: setup.recipes, policy });
  const lint = args.booleans.has('lint') ? await lintFindings(args.positional.map((p) => path.resolve(p)), diagnostics) : undefined;
  if (lint && 'error' in lint) io.stderr(`cloche: ${lint.error}\n`);
  else if (lint) diagnostics.push(...lint.diagnostics);
  const configProblems = configs.readFiles().flatMap((f) => configs.file(f)?.problems ?? []);
  for (const d of configProblems) io.stderr(`cloche: ${path.relative(process.cwd(), d.file) || d.file}:${d.line}: ${d.severity}: ${d.message}\n`);
  const stats = wantStats ? fidelityOf(compilations, facts.profile) : undefined;
  if (format === 'json') io.stdout(JSON.stringify(stats ? { diagnostics, stats } : { diagnostics }, null, 2) + '\n');
  else io.stdout(formatText(diagnostics, io.isTTY) + (stats ? fidelityText(stats) : ''));
  // A dependency nothing satisfies is bad input, like a broken role: exit 2, after what could be checked.
  const unresolved = diagnostics.filter((d) => RESOLUTION_ERRORS.has(d.code));
  for (const d of unresolved) io.stderr(`cloche: ${path.relative(process.cwd(), d.file) || d.file}:${d.line}: ${d.message}\n`);
  if (setup.errors.length || unresolved.length || configProblems.some((d) => d.severity === 'error') || (lint && 'error' in lint)) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

const SEVERITY_HELP = [
  '  --severity CODE=LEVEL    a level for a rule code (repeatable): error, warning, info, hint or off; over .cloche.json',
  '  --lint                   also Cookstyle\'s (else RuboCop\'s) offences, as the cookbooks\' .rubocop.yml files say',
];

/** `--severity CODE=LEVEL` flags as a level per code (a code Cloche does not have is said, and kept). */
function severityFlags(flags: string[], io: CliIO): Record<string, Level> {
  const out: Record<string, Level> = {};
  for (const f of flags) {
    const m = /^([^=\s]+)=(\w+)$/.exec(f);
    if (!m || !(LEVELS as readonly string[]).includes(m[2])) throw new UsageError(`--severity takes CODE=LEVEL with LEVEL one of ${LEVELS.join(', ')} (got '${f}')`);
    if (!isRuleCode(m[1])) io.stderr(`cloche: --severity ${f}: Cloche has no rule '${m[1]}'\n`);
    out[m[1]] = m[2] as Level;
  }
  return out;
}

function formatText(diags: Diagnostic[], tty: boolean): string {
  const colour = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' } as const;
  const lines = diags.map((d) => `${path.relative(process.cwd(), d.file)}:${d.line}:${d.column}: ${paint(d.severity, colour[d.severity], tty)} ${d.message} ${paint(`[${d.source ? `${d.source} ` : ''}${d.code}]`, 'dim', tty)}`);
  const count = (s: string) => diags.filter((d) => d.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${count('info') + count('hint')} note(s)`);
  return lines.join('\n') + '\n';
}
