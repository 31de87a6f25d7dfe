/**
 * `cloche converge PATH [--image I | --container NAME] [--keep] [--idempotence] [--format text|json]`
 * — applies the recipe in a throwaway container (network host, to reach the package mirror),
 * streaming progress; with --idempotence, plans again afterwards and fails on any change.
 * Exit 0 ok, 1 failed converge or not idempotent, 2 environment/usage.
 */
import type { ConvergeReport } from '../protocol';
import { converge } from '../engine/converge';
import { judgeIdempotence } from '../engine/idempotence';
import { planInContainer } from '../engine/plan';
import { renderEvent, renderReport } from '../engine/render';
import { formatOf, parseArgs } from './args';
import type { CliIO } from './io';
import { prepare, TARGET_FLAGS, withExitCodes } from './plan';

export const usage = 'cloche converge PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P] [--keep] [--idempotence] [--format text|json]';

/** Converge (and optionally the idempotence check); shared with `cloche test`. */
export async function convergeCommand(argv: string[], io: CliIO, name: string, idempotenceDefault: boolean): Promise<number> {
  return withExitCodes(io, name, async () => {
    const args = parseArgs(argv, { values: TARGET_FLAGS, booleans: ['keep', 'idempotence', 'no-idempotence'] });
    const format = formatOf(args, ['text', 'json'], 'text');
    const keep = args.booleans.has('keep');
    const idempotence = args.booleans.has('idempotence') || (idempotenceDefault && !args.booleans.has('no-idempotence'));
    const p = await prepare(args, 'host', io, keep);
    let report: ConvergeReport;
    try {
      report = await converge({
        driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget,
        onEvent: format === 'text' ? (e) => io.stdout(renderEvent(e, io.isTTY)) : undefined,
      });
      if (idempotence && report.result.ok) {
        const started = Date.now();
        const again = await planInContainer({ driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget });
        report.idempotence = judgeIdempotence(again, Date.now() - started);
      }
      report.kept = keep && p.target.created;
    } finally {
      await p.target.close();
    }
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, io.isTTY));
    return report.result.ok && (report.idempotence?.idempotent ?? true) ? 0 : 1;
  });
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  return convergeCommand(argv, io, 'converge', false);
}
