/**
 * `cloche image build [--platform debian-12] [--runtime R]` — builds the base image from Debian's
 * own packages (debootstrap + import), no image registry involved. Already present: nothing to do.
 */
import { BASE_IMAGES, ensureBaseImage } from '../containers/baseImage';
import { connect } from '../engine/session';
import { parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = `cloche image build [--platform ${Object.keys(BASE_IMAGES).join('|')}] [--runtime docker|podman]`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'image', async () => {
    const args = parseArgs(argv, { values: ['platform', 'runtime'] });
    if (args.positional[0] !== 'build') throw new UsageError(`usage: ${usage}`);
    const platform = args.values.get('platform') ?? 'debian-12';
    if (!BASE_IMAGES[platform]) throw new UsageError(`no base image can be built for '${platform}' here; buildable: ${Object.keys(BASE_IMAGES).join(', ')}`);
    const driver = await connect((args.values.get('runtime') ?? 'auto') as 'docker' | 'podman' | 'auto');
    try {
      const r = await ensureBaseImage(driver, { platform, onProgress: (m) => io.stdout(`${m}\n`) });
      io.stdout(`${r.image}: ${r.built ? `built in ${(r.durationMs / 1000).toFixed(1)} s` : 'already present'}\n`);
      return 0;
    } catch (e) {
      io.stderr(`cloche image: ${(e as Error).message}\n`);
      return 2;
    }
  });
}
