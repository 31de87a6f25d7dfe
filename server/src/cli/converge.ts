/**
 * `cloche converge PATH [--image I | --container NAME] [--keep] [--idempotence] [--network N]
 * [--format text|json|jsonl]` — applies the recipe in a throwaway container (Docker's bridge network by
 * default: it reaches the package mirror but not the host's 127.0.0.1; `--network host` warns), streaming progress; with --idempotence, plans again
 * afterwards and fails on any change. Exit 0 converged (and idempotent), 1 failed, incomplete (steps
 * not applied because they are unknown) or not idempotent, 2 environment/usage.
 *
 * `--format jsonl` is the editor's contract (protocol.ts `ConvergeStreamLine`): one JSON object
 * per stdout line — `{"event": ConvergeEvent}` as each event happens, `{"idempotence-start": {}}`
 * before the re-plan when it runs, and `{"report": ConvergeReport}` last. Nothing else goes to
 * stdout (warnings and errors go to stderr); exit codes are the same as with the other formats.
 */
import type { ConvergeReport, ConvergeStreamLine } from '../protocol';
import { converge } from '../engine/converge';
import { judgeIdempotence, testVerdict } from '../engine/idempotence';
import { planInContainer } from '../engine/plan';
import { renderEvent, renderReport } from '../engine/render';
import type { TargetNetwork } from '../engine/session';
import { formatOf, parseArgs, type FlagSpec } from './args';
import { type CliIO, UsageError } from './io';
import { prepare, TARGET_FLAGS, TARGET_LISTS, TARGET_HELP, withExitCodes } from './plan';
import { CONTAINER_BOOLEANS } from './containerOptions';

export const usage = 'cloche converge PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P] [--run-list L | --suite S] [--kitchen-platform K] [--init none|systemd] [--memory M] [--pids-limit N] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--network bridge|host|none] [--keep] [--idempotence] [--format text|json|jsonl]';

/** Help lines of converge and test beyond the target flags. */
export const CONVERGE_HELP = [
  '  --network bridge|host|none  network of the throwaway container (default bridge: it reaches the package mirror, not the',
  '                           host\'s 127.0.0.1; host lets the recipe reach every service bound to the host\'s loopback)',
  '  --keep                   keep the container afterwards (`cloche containers destroy ID` removes it)',
  '  --idempotence, --no-idempotence  plan again after converging, any change is a failure (default: on for test, off for converge)',
  '  --format text|json|jsonl text (default); json: the ConvergeReport of server/src/protocol.ts;',
  '                           jsonl: one JSON object per line: {"event": ConvergeEvent} as each happens,',
  '                           {"idempotence-start": {}} before the idempotence re-plan, {"report": ConvergeReport} last',
  'Verdict: converged (test: passed), failed, incomplete (unknown steps were not applied, or the idempotence check could not decide),',
  '  or not-idempotent. Cloche never applies a step it does not know: such a step is "not applied", with why.',
  'Exit codes: 0 converged (and idempotent when checked), 1 failed, incomplete or not idempotent, 2 usage or environment error.',
];

const NETWORKS: TargetNetwork[] = ['bridge', 'host', 'none'];

/** The flags of converge and test (`cloche test --matrix` passes them on to each cell). */
export const CONVERGE_FLAGS: FlagSpec = { values: [...TARGET_FLAGS, 'network'], lists: TARGET_LISTS, booleans: ['keep', 'idempotence', 'no-idempotence', 'help', ...CONTAINER_BOOLEANS] };

/** Converge (and optionally the idempotence check); shared with `cloche test` (`extraHelp`: its own help lines). */
export async function convergeCommand(argv: string[], io: CliIO, name: string, idempotenceDefault: boolean, usageText: string, extraHelp: string[] = []): Promise<number> {
  return withExitCodes(io, name, async () => {
    const args = parseArgs(argv, CONVERGE_FLAGS);
    if (args.booleans.has('help')) {
      io.stdout(`usage: ${usageText}\n${TARGET_HELP.join('\n')}\n${[...CONVERGE_HELP, ...extraHelp].join('\n')}\n`);
      return 0;
    }
    const format = formatOf(args, ['text', 'json', 'jsonl'], 'text');
    const network = (args.values.get('network') ?? 'bridge') as TargetNetwork;
    if (!NETWORKS.includes(network)) throw new UsageError(`--network must be one of ${NETWORKS.join(', ')} (got '${network}')`);
    if (args.values.has('network') && args.values.has('container')) throw new UsageError('--network applies to a new container; --container already has its network');
    if (network === 'host') io.stderr(`cloche ${name}: warning: --network host: the container shares the host's network, so the recipe can reach services bound to the host's 127.0.0.1\n`);
    const keep = args.booleans.has('keep');
    const idempotence = args.booleans.has('idempotence') || (idempotenceDefault && !args.booleans.has('no-idempotence'));
    const line = (l: ConvergeStreamLine): void => io.stdout(`${JSON.stringify(l)}\n`);
    const p = await prepare(args, network, io, keep);
    let report: ConvergeReport;
    try {
      report = await converge({
        driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget,
        onEvent: format === 'text' ? (e) => io.stdout(renderEvent(e, io.isTTY)) : format === 'jsonl' ? (e) => line({ event: e }) : undefined,
      });
      if (idempotence && report.result.ok) {
        if (format === 'jsonl') line({ 'idempotence-start': {} });
        const started = Date.now();
        const again = await planInContainer({ driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget });
        report.idempotence = judgeIdempotence(again, Date.now() - started, report.notApplied);
        report.verdict = testVerdict(report);
      }
      report.kept = keep && p.target.created;
    } finally {
      await p.target.close();
    }
    // Interrupted: the container is being swept under the converge, whose "failure" is not a result
    // (the sweep usually ends the process before this line is reached).
    const signal = p.target.driver.interruptedBy;
    if (signal) { io.stderr(`cloche ${name}: interrupted (${signal}); the container was removed\n`); return signal === 'SIGINT' ? 130 : 143; }
    if (format === 'jsonl') line({ report });
    else io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report, io.isTTY));
    return report.verdict === 'converged' || report.verdict === 'passed' ? 0 : 1;
  });
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  return convergeCommand(argv, io, 'converge', false, usage);
}
