/**
 * `cloche containers [list|destroy [ID…] [--all]] [--runtime R] [--format text|json]` — the
 * containers Cloche created (found by label), and removing them.
 */
import { KEEP_LABEL } from '../engine/session';
import { connect } from '../engine/session';
import { formatOf, parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = 'cloche containers [list | destroy (ID… | --all)] [--runtime docker|podman] [--format text|json]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'containers', async () => {
    const args = parseArgs(argv, { values: ['runtime', 'format'], booleans: ['all'] });
    const [sub = 'list', ...ids] = args.positional;
    const format = formatOf(args, ['text', 'json'], 'text');
    const driver = await connect((args.values.get('runtime') ?? 'auto') as 'docker' | 'podman' | 'auto');
    if (sub === 'list') {
      const all = await driver.list();
      if (format === 'json') { io.stdout(`${JSON.stringify(all, null, 2)}\n`); return 0; }
      if (!all.length) { io.stdout('no Cloche containers\n'); return 0; }
      for (const c of all) io.stdout(`${c.id.slice(0, 12)}  ${c.state.padEnd(8)} ${c.image.padEnd(20)} ${c.created}  ${c.name}\n`);
      return 0;
    }
    if (sub === 'destroy') {
      if (!ids.length && !args.booleans.has('all')) throw new UsageError('name the containers to destroy, or pass --all');
      const removed = args.booleans.has('all') ? await driver.sweep() : [];
      for (const id of ids) { await driver.destroy(id); removed.push(id); }
      io.stdout(format === 'json' ? `${JSON.stringify({ removed })}\n` : `removed ${removed.length} container${removed.length === 1 ? '' : 's'}\n`);
      return 0;
    }
    void KEEP_LABEL;
    throw new UsageError(`unknown subcommand '${sub}'; usage: ${usage}`);
  });
}
