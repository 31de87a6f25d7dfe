/**
 * `cloche test PATH [--suite S] [--kitchen-platform K] [--image I] [--format text|json|jsonl] [--keep]`
 * — create a container, converge, check idempotence, destroy: Test Kitchen's
 * create/converge/idempotence in one command. With --suite, the run list and attributes come from
 * the cookbook's kitchen.yml suite, and the image from its platform (--kitchen-platform, else the
 * suite's first platform). Output formats and exit codes are those of `cloche converge`.
 * With --matrix, every suite × platform of the kitchen file, in parallel (cli/matrix.ts).
 */
import type { CliIO } from './io';
import { CONVERGE_FLAGS, convergeCommand } from './converge';
import { MATRIX_HELP, MATRIX_USAGE, runMatrix } from './matrix';

export const usage = `cloche test PATH [--suite S] [--kitchen-platform K] [--image I] [--runtime docker|podman] [--platform P] [--run-list L] [--init none|systemd] [--memory M] [--pids-limit N] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--network bridge|host|none] [--keep] [--no-idempotence] [--format text|json|jsonl]\n       ${MATRIX_USAGE}`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.some((a) => a === '--container' || a.startsWith('--container='))) {
    io.stderr('cloche test: always runs in a new container; use `cloche converge --container NAME --idempotence` for an existing one\n');
    return 2;
  }
  if (argv.includes('--matrix') && !argv.includes('--help')) return runMatrix(argv, io, CONVERGE_FLAGS);
  return convergeCommand(argv, io, 'test', true, usage, MATRIX_HELP);
}
