/**
 * `cloche image build [--platform debian-12] [--init systemd] [--runtime R]` — builds the base image
 * from Debian's own packages (debootstrap + import), no image registry involved; with `--init
 * systemd`, its systemd variant (`cloche/debian:12-systemd`: systemd as PID 1, see
 * containers/systemdImage.ts), building the base first if needed. Already present: nothing to do.
 */
import { BASE_IMAGES, basePlatformOfName, ensureBaseImage } from '../containers/baseImage';
import { ensureSystemdImage } from '../containers/systemdImage';
import { connect } from '../engine/session';
import { parseArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

export const usage = `cloche image build [--platform ${Object.keys(BASE_IMAGES).join('|')}] [--init none|systemd] [--runtime docker|podman]`;

const HELP = [
  `  --platform P             the Debian release to build: ${Object.values(BASE_IMAGES).map((b) => `${b.platform} (${b.suite}) → ${b.image}`).join(', ')}`,
  '                           (default debian-12; a point release or codename names the same: debian-12.5, debian-bookworm)',
  '  --init systemd           the systemd variant (cloche/debian:12-systemd): systemd, systemd-sysv and procps installed',
  '                           from Debian\'s mirror in a bridge-network container; its containers boot systemd as PID 1',
  '  --runtime docker|podman  the container runtime (default: docker if it answers, else podman)',
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'image', async () => {
    const args = parseArgs(argv, { values: ['platform', 'runtime', 'init'], booleans: ['help'] });
    if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${HELP.join('\n')}\n`); return 0; }
    if (args.positional[0] !== 'build') throw new UsageError(`usage: ${usage}`);
    const asked = args.values.get('platform') ?? 'debian-12';
    const platform = basePlatformOfName(asked) ?? asked;
    if (!BASE_IMAGES[platform]) throw new UsageError(`no base image can be built for '${asked}' here; buildable: ${Object.keys(BASE_IMAGES).join(', ')}`);
    const init = args.values.get('init') ?? 'none';
    if (init !== 'none' && init !== 'systemd') throw new UsageError(`--init must be none or systemd (got '${init}')`);
    const driver = await connect((args.values.get('runtime') ?? 'auto') as 'docker' | 'podman' | 'auto', undefined, (m) => io.stderr(`cloche image: warning: ${m}\n`));
    try {
      const build = init === 'systemd' ? ensureSystemdImage : ensureBaseImage;
      const r = await build(driver, { platform, onProgress: (m) => io.stdout(`${m}\n`) });
      io.stdout(`${r.image}: ${r.built ? `built in ${(r.durationMs / 1000).toFixed(1)} s` : 'already present'}\n`);
      return 0;
    } catch (e) {
      io.stderr(`cloche image: ${(e as Error).message}\n`);
      return 2;
    }
  });
}
