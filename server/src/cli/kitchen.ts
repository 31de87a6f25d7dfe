/**
 * `cloche kitchen PATH [--format text|json]` — the suites and platforms of the cookbook's kitchen
 * file (kitchen.yml, .kitchen.yml, kitchen.yaml), so the editor's Test Explorer can list
 * suites × platforms and run `cloche test PATH --suite S --kitchen-platform K` without YAML code.
 *
 * JSON (engine/kitchen.ts `KitchenInfo`): `{ file, suites: [{ name, runList, attributes?, includes?,
 * excludes?, pidOneCommand?, privileged? }], platforms: [{ name, image, imageFrom, attributes?, pidOneCommand?, privileged? }] }`
 * (driver settings: the platform's over the top-level driver's; a suite's own) — runList as written
 * (`recipe[a::b]`), image resolved (the platform's driver image, else driver.image, else
 * cloche/debian:12). Exit 2 when PATH has no kitchen file or it is not valid YAML.
 */
import * as path from 'node:path';
import { enclosingCookbook } from '../chef/workspace';
import { readKitchen, suiteRunsOn } from '../engine/kitchen';
import { DEFAULT_IMAGE } from '../engine/session';
import { formatOf, parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = 'cloche kitchen PATH [--format text|json]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'kitchen', async () => {
    const args = parseArgs(argv, { values: ['format'], booleans: ['help'] });
    if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n`); return 0; }
    if (args.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
    const format = formatOf(args, ['text', 'json'], 'text');
    const abs = path.resolve(args.positional[0]);
    const cookbook = enclosingCookbook(abs) ?? abs;
    let kitchen;
    try { kitchen = readKitchen(cookbook, DEFAULT_IMAGE); } catch (e) { throw new UsageError((e as Error).message); }
    if (!kitchen) throw new UsageError(`no kitchen file (kitchen.yml, .kitchen.yml, kitchen.yaml) in ${cookbook}`);
    if (format === 'json') { io.stdout(`${JSON.stringify(kitchen, null, 2)}\n`); return 0; }
    const lines = [`${path.relative(process.cwd(), kitchen.file) || kitchen.file}`, 'platforms:'];
    for (const p of kitchen.platforms) {
      const driver = `${p.pidOneCommand ? `  pid_one_command ${p.pidOneCommand}` : ''}${p.privileged ? '  privileged' : ''}`;
      lines.push(`  ${p.name}  ${p.image}${p.imageFrom === 'platform' ? '' : ` (${p.imageFrom === 'driver' ? 'driver.image' : 'default'})`}${driver}`);
    }
    lines.push('suites:');
    for (const s of kitchen.suites) {
      const on = kitchen.platforms.filter((p) => suiteRunsOn(s, p.name)).map((p) => p.name);
      const policy = s.provisioner?.policyfile ?? kitchen.provisioner?.policyfile;
      const named = s.provisioner?.namedRunList ?? kitchen.provisioner?.namedRunList;
      const runs = s.runList.length ? s.runList.join(', ')
        : policy ? `${named ? `named run list ${named}` : 'run list'} of ${path.relative(path.dirname(kitchen.file), policy) || policy}`
        : '(empty run list)';
      lines.push(`  ${s.name}  ${runs}${s.attributes ? '  +attributes' : ''}${on.length < kitchen.platforms.length ? `  (on ${on.join(', ') || 'no platform'})` : ''}`);
    }
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  });
}
