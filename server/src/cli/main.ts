/**
 * The `cloche` command: a table of subcommands over the same core as the editor. Every command
 * returns its exit code: 0 ok, 1 findings, 2 usage or environment error (with what to do).
 */
import type { CliIO } from './io';
import { UsageError } from './io';
import * as check from './check';
import * as graph from './graph';
import * as diff from './diff';
import { ENGINE_COMMANDS } from './engineCommands';

interface Command {
  summary: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  check: { summary: 'diagnostics for files, cookbooks or a workspace', run: check.run },
  graph: { summary: 'the resource graph of a recipe or cookbook (json, dot, mermaid, text)', run: graph.run },
  diff: { summary: 'what a change does to the run: two git revisions, platforms, suites or attribute files (text, json, markdown)', run: diff.run },
  ...ENGINE_COMMANDS,
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return ['Cloche — Chef recipe authoring and preview', '', 'usage: cloche <command> [options]', '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`), ''].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { io.stdout(help()); return name ? 0 : 2; }
  if (name === '--version') { io.stdout('0.1.0\n'); return 0; }
  const command = COMMANDS[name];
  if (!command) { io.stderr(`cloche: unknown command '${name}'\n\n${help()}`); return 2; }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr(`cloche ${name}: ${e.message}\n`); return 2; }
    io.stderr(`cloche ${name}: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 2;
  }
}
