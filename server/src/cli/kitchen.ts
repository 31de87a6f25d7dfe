/**
 * `cloche kitchen PATH [--runtime docker|podman] [--format text|json]` — the suites and platforms of
 * the cookbook's kitchen file (kitchen.yml, .kitchen.yml, kitchen.yaml), so the editor's Test Explorer
 * can list suites × platforms and run `cloche test PATH --suite S --kitchen-platform K` without YAML
 * code, and mark the platforms that cannot run here.
 *
 * JSON (engine/kitchen.ts `KitchenInfo`): `{ file, suites: [{ name, runList, attributes?, includes?,
 * excludes?, pidOneCommand?, privileged? }], platforms: [{ name, image, imageFrom, attributes?, pidOneCommand?, privileged?,
 * availability }] }` (driver settings: the platform's over the top-level driver's; a suite's own) — runList as written
 * (`recipe[a::b]`), image resolved (the platform's driver image, else driver.image, else Cloche's base image
 * of the platform's name, else cloche/debian:12). `availability` (engine/kitchenAvailability.ts):
 * `{ status: present | buildable | unavailable | unknown, image, reason?, build?: { command, args } }` — whether
 * the image the test runs on is in the runtime (`image inspect`), or `cloche image build …` (`build`) makes it,
 * or it cannot be had here (`reason`: not Linux, no image named for the system, an image no registry
 * here serves), or the runtime did not answer (`unknown`; the rest of the answer stands, exit 0).
 * Exit 2 when PATH has no kitchen file or it is not valid YAML.
 */
import * as path from 'node:path';
import { enclosingCookbook } from '../chef/workspace';
import { readKitchen, suiteRunsOn, type KitchenInfo } from '../engine/kitchen';
import { platformsAvailability } from '../engine/kitchenAvailability';
import { connect, DEFAULT_IMAGE } from '../engine/session';
import { formatOf, parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = 'cloche kitchen PATH [--runtime docker|podman] [--format text|json]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'kitchen', async () => {
    const args = parseArgs(argv, { values: ['format', 'runtime'], booleans: ['help'] });
    if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n`); return 0; }
    if (args.positional.length !== 1) throw new UsageError(`usage: ${usage}`);
    const format = formatOf(args, ['text', 'json'], 'text');
    const abs = path.resolve(args.positional[0]);
    const cookbook = enclosingCookbook(abs) ?? abs;
    let kitchen;
    try { kitchen = readKitchen(cookbook, DEFAULT_IMAGE); } catch (e) { throw new UsageError((e as Error).message); }
    if (!kitchen) throw new UsageError(`no kitchen file (kitchen.yml, .kitchen.yml, kitchen.yaml) in ${cookbook}`);
    const runtime = args.values.get('runtime') ?? 'auto';
    if (!['docker', 'podman', 'auto'].includes(runtime)) throw new UsageError('--runtime must be docker or podman');
    await addAvailability(kitchen, runtime as 'docker' | 'podman' | 'auto');
    if (format === 'json') { io.stdout(`${JSON.stringify(kitchen, null, 2)}\n`); return 0; }
    const lines = [`${path.relative(process.cwd(), kitchen.file) || kitchen.file}`, 'platforms:'];
    for (const p of kitchen.platforms) {
      const driver = `${p.pidOneCommand ? `  pid_one_command ${p.pidOneCommand}` : ''}${p.privileged ? '  privileged' : ''}`;
      lines.push(`  ${p.name}  ${p.image}${p.imageFrom === 'platform' ? '' : ` (${p.imageFrom === 'driver' ? 'driver.image' : 'default'})`}${driver}${availabilityText(p.availability)}`);
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

/** Each platform's availability; a runtime that cannot be reached makes every open question `unknown`. */
async function addAvailability(kitchen: KitchenInfo, runtime: 'docker' | 'podman' | 'auto'): Promise<void> {
  let exists: (image: string) => Promise<boolean>;
  try {
    const driver = await connect(runtime);
    exists = (image) => driver.imageExists(image);
  } catch (e) {
    const why = (e as Error).message;
    exists = () => Promise.reject(new Error(why));
  }
  const all = await platformsAvailability(kitchen.platforms, exists);
  kitchen.platforms.forEach((p, i) => { p.availability = all[i]; });
}

function availabilityText(a: KitchenInfo['platforms'][number]['availability']): string {
  if (a?.standsInFor && a.status === 'present') return `  [runs on ${a.image}: ${a.standsInFor} is not here]`;
  if (!a || a.status === 'present') return '';
  if (a.status === 'buildable') return `  [not built: ${a.build!.command}]`;
  return `  [${a.status === 'unknown' ? 'not checked' : 'not available'}: ${a.reason}]`;
}
