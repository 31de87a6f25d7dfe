/**
 * `cloche containers [list | destroy (ID… | --all) | reset ID] [--runtime R] [--format text|json]`
 * — the containers Cloche created (found by label), removing them, and resetting one (destroy it
 * and start a fresh container from the same image, with the same Cloche labels and network).
 *
 * JSON: `list` → ManagedContainer[] ({ id, name, image, state, session, created, workspace }: `workspace` is the
 * `cloche.workspace` label, the repository or folder of what the container ran, '' when it has none);
 * `destroy` → { "removed": [ids] }; `reset` → { "id": newId, "replaced": oldId, "image": image }.
 */
import { connect } from '../engine/session';
import { formatOf, parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = 'cloche containers [list | destroy (ID… | --all) | reset ID] [--runtime docker|podman] [--format text|json]';

const HELP = [
  '  list                     Cloche\'s containers (json: [{ id, name, image, state, session, created, workspace }])',
  '  destroy ID… | --all      remove them (json: { "removed": [ids] }); --all removes every Cloche container',
  '  reset ID                 destroy it and start a fresh one from the same image, labels and network;',
  '                           prints the new id (json: { "id", "replaced", "image" })',
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'containers', async () => {
    const args = parseArgs(argv, { values: ['runtime', 'format'], booleans: ['all', 'help'] });
    if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${HELP.join('\n')}\n`); return 0; }
    const [sub = 'list', ...ids] = args.positional;
    const format = formatOf(args, ['text', 'json'], 'text');
    if (!['list', 'destroy', 'reset'].includes(sub)) throw new UsageError(`unknown subcommand '${sub}'; usage: ${usage}`);
    if (sub === 'reset' && ids.length !== 1) throw new UsageError('name the one container to reset: cloche containers reset ID');
    if (sub === 'destroy' && !ids.length && !args.booleans.has('all')) throw new UsageError('name the containers to destroy, or pass --all');
    const driver = await connect((args.values.get('runtime') ?? 'auto') as 'docker' | 'podman' | 'auto', undefined, (m) => io.stderr(`cloche containers: warning: ${m}\n`));
    if (sub === 'list') {
      const all = await driver.list();
      if (format === 'json') { io.stdout(`${JSON.stringify(all, null, 2)}\n`); return 0; }
      if (!all.length) { io.stdout('no Cloche containers\n'); return 0; }
      for (const c of all) io.stdout(`${c.id.slice(0, 12)}  ${c.state.padEnd(8)} ${c.image.padEnd(20)} ${c.created}  ${c.name}\n`);
      return 0;
    }
    if (sub === 'reset') {
      const old = await driver.inspect(ids[0]);
      const id = await driver.recreate(old.id);
      io.stdout(format === 'json' ? `${JSON.stringify({ id, replaced: old.id, image: old.image })}\n` : `${id}\n`);
      return 0;
    }
    const removed = args.booleans.has('all') ? await driver.sweep() : [];
    for (const id of ids) { await driver.destroy(id); removed.push(id); }
    io.stdout(format === 'json' ? `${JSON.stringify({ removed })}\n` : `removed ${removed.length} container${removed.length === 1 ? '' : 's'}\n`);
    return 0;
  });
}
