/**
 * `cloche test PATH [--image I] [--format text|json] [--keep]` — create a container, converge,
 * check idempotence, destroy: Test Kitchen's create/converge/idempotence in one command.
 */
import type { CliIO } from './io';
import { convergeCommand } from './converge';

export const usage = 'cloche test PATH [--image I] [--runtime docker|podman] [--platform P] [--keep] [--format text|json]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv.includes('--container')) {
    io.stderr('cloche test: always runs in a new container; use `cloche converge --container NAME --idempotence` for an existing one\n');
    return 2;
  }
  return convergeCommand(argv, io, 'test', true);
}
