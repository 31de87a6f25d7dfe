/**
 * `cloche test PATH --matrix [--suite S]... [--kitchen-platform K]... [--concurrency N]
 * [--format text|jsonl] [--junit FILE] [--strict]` — every suite × platform cell of the cookbook's
 * kitchen file (or the chosen ones), up to N at once. Each cell is a `cloche test PATH --suite S
 * --kitchen-platform K --format jsonl` child process of its own (this CLI, with the other flags
 * passed on): exactly what that command does alone, with its own container, session and signal
 * handling, and a crash or a failure of one cell never reaches the others. A cell whose platform
 * has no image here is skipped with why, never run.
 *
 * SIGINT/SIGTERM: no cell starts any more, each running cell's test gets SIGTERM (it removes its
 * container, as `cloche test` does when interrupted), what is left of their sessions is swept, and
 * the command exits 130/143 with no summary and no JUnit file; with `--host`, on every host.
 *
 * `--host H` (repeatable): the cells' containers run on those daemons instead of the environment's
 * (each cell's test gets the host's DOCKER_HOST/DOCKER_CONTEXT, or podman's CONTAINER_HOST/
 * CONTAINER_CONNECTION), each host taking as many cells at once as its free capacity allows, a
 * cell only where its image is, and a host that stops answering mid-run losing its running cells
 * (errors that name it) and giving the others to the hosts left (engine/matrixHosts.ts,
 * matrixPool.ts). The pure parts are in engine/matrix.ts (cells, verdicts, exit code),
 * matrixHosts.ts, matrixPool.ts, matrixReport.ts and junit.ts.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, freemem, hostname, loadavg } from 'node:os';
import * as path from 'node:path';
import { enclosingCookbook } from '../chef/workspace';
import { ContainerDriver } from '../containers/driver';
import { run } from '../containers/process';
import { daemonCapacity, probeRuntime, type DaemonCapacity, type Runtime, type RuntimeName } from '../containers/runtime';
import { KitchenChoiceError, readKitchen } from '../engine/kitchen';
import { junitXml } from '../engine/junit';
import {
  cellResultOf, cellRuns, countVerdicts, defaultConcurrency, expandCells, matrixExitCode, planCells, skippedEvent,
  type CellResult, type HostSummary, type MatrixCell, type MatrixEvent, type MatrixStreamLine, type PlannedCell,
} from '../engine/matrix';
import { hostConcurrency, hostSlots, HostSpecError, parseHosts, type MatrixHost } from '../engine/matrixHosts';
import { runOnHosts, type JobOutcome } from '../engine/matrixPool';
import { cellName, eventLine, hostLine, plain as plainName, summaryTable } from '../engine/matrixReport';
import { connect, DEFAULT_IMAGE, EnvironmentError } from '../engine/session';
import type { ConvergeReport, ConvergeStreamLine } from '../protocol';
import { formatOf, parseArgs, type FlagSpec, type ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { withExitCodes } from './plan';

/** The flags `--matrix` adds to `cloche test` (with `--suite`, `--kitchen-platform` and `--host` repeatable). */
const OWN: Required<FlagSpec> = { values: ['concurrency', 'junit', 'format'], lists: ['suite', 'kitchen-platform', 'host'], booleans: ['matrix', 'strict', 'help'] };
/** Flags of `cloche test` that choose one target, which each cell chooses for itself. */
const REFUSED: Record<string, string> = {
  image: 'each cell runs on its platform\'s image', container: 'each cell runs in a new container of its own', 'run-list': 'each cell runs its suite\'s run list',
  platform: 'each cell reads the facts of its own container', keep: 'keep one cell\'s container with `cloche test PATH --suite S --kitchen-platform K --keep`',
};
/** One cell's test is bounded, generously: its steps have their own timeouts. */
const CELL_TIMEOUT_MS = 3 * 3600_000;
/** Time a cell's test has, after SIGTERM, to remove its container before it is killed. */
const CELL_STOP_GRACE_MS = 30_000;

export const MATRIX_USAGE = 'cloche test PATH --matrix [--suite S]... [--kitchen-platform K]... [--host H]... [--concurrency N] [--format text|jsonl] [--junit FILE] [--strict] [--runtime R] [--init none|systemd] [--memory M] [--pids-limit N] [--network N] [--attributes FILE] [--attribute P=V]... [--environment E] [--no-idempotence]';

export const MATRIX_HELP = [
  'Matrix: cloche test PATH --matrix — every suite × platform of the kitchen file (Test Kitchen\'s instances), in parallel:',
  '  --matrix                 run every cell, each exactly as `cloche test PATH --suite S --kitchen-platform K` (a process of its own)',
  '  --suite S, --kitchen-platform K  only these suites / platforms (repeatable); a suite runs only on the platforms its includes/excludes allow',
  '  --concurrency N          cells at once (default: one per idle CPU, as free memory allows at 1 GiB a cell, at least 1;',
  '                           with --host: N over all hosts, one per host first, the rest by their free slots)',
  '  --host H                 run the cells\' containers on this daemon (repeatable): a docker context name, or a DOCKER_HOST URL',
  '                           unix:///path.sock, tcp://HOST:PORT (TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, as docker reads them;',
  '                           a context holds its own certificates), ssh://USER@HOST; with --runtime podman a podman connection name or',
  '                           a CONTAINER_HOST URL. Each cell\'s test runs here with the host\'s DOCKER_HOST / DOCKER_CONTEXT',
  '                           (CONTAINER_HOST / CONTAINER_CONNECTION); --runtime defaults to docker. A host takes',
  '                           max(1, min(NCPU, MemTotal / 1 GiB) − containers running there) cells at once (its `docker info`), a cell',
  '                           runs only on a host that has its image (skipped with why when none has), a host that does not answer at',
  '                           the start is warned about and left out. A host that stops answering mid-run (checked after a cell that',
  '                           did not pass, and every 15 s while it runs cells): its running cells end as errors naming it, the cells',
  '                           it had not started go to the other hosts, and a cell no host left can run is not run (skipped, with',
  '                           notRun and why; it fails the matrix)',
  '  --format text|jsonl      text: one line per cell state change (start, skip, its verdict), then a summary table;',
  '                           jsonl: {"cell": {"suite", "platform"}, "event": E} lines, E one of {"kind": "queued"},',
  '                           {"kind": "skipped", "reason", "image", "build"?}, {"kind": "started", "image", "host"?}, {"kind": "converge", "line":',
  '                           the cell\'s own `cloche test --format jsonl` line}, {"kind": "stderr", "text"}, {"kind": "finished", "result"};',
  '                           then {"summary": {"cells": [result], "counts", "durationMs", "concurrency", "exitCode", "hosts"?}} last; a result is',
  '                           {suite, platform, verdict: passed|failed|incomplete|not-idempotent|error|skipped, durationMs, changed?, reason?,',
  '                           image?, host?, notRun?, convergeMs?, idempotenceMs?}; with --host, hosts is [{name, state: up|lost|unreachable,',
  '                           reason?, cpus?, memoryBytes?, runningContainers?, slots, cells}]',
  '  --junit FILE             JUnit XML: one testsuite, one testcase per cell (suite-platform), <failure>, <error> or <skipped> with why;',
  '                           with --host, a <property name="host"> per testcase',
  '  --strict                 a skipped cell (no image for its platform here) fails the matrix',
  '  The other flags (--runtime, --init, --memory, --attribute …) apply to every cell; --image, --container, --run-list,',
  '  --platform and --keep are refused (each cell chooses its own target).',
  'A cell whose platform has no image here (not Linux, an image only a registry has, one not built yet) is skipped with why, never run.',
  'Matrix exit codes: 0 every cell that ran passed (skipped cells are warned about), 1 a cell failed, was incomplete, not idempotent',
  '  or could not run (its host died), a cell was not run for want of a host, or no cell ran, or --strict and a cell was skipped;',
  '  2 usage or environment error before any cell (no --host answers); 130/143 interrupted (every cell stopped, their containers',
  '  removed on every host; no summary, no JUnit file).',
];

/** The flags each cell's test gets: every parsed flag that is not the matrix's own. */
function forwardedFlags(args: ParsedArgs): string[] {
  const out: string[] = [];
  for (const [name, value] of args.values) if (!OWN.values.includes(name)) out.push(`--${name}=${value}`);
  for (const [name, values] of args.lists) if (!OWN.lists.includes(name)) for (const v of values) out.push(`--${name}=${v}`);
  for (const name of args.booleans) if (!OWN.booleans.includes(name)) out.push(`--${name}`);
  return out;
}

/** Parses `cloche test … --matrix` with `test`'s own flags (`testSpec`) and the matrix's. */
function parseMatrixArgs(argv: string[], testSpec: FlagSpec): ParsedArgs {
  const without = (names: string[] | undefined, drop: string[]) => (names ?? []).filter((n) => !drop.includes(n));
  const args = parseArgs(argv, {
    values: [...without(testSpec.values, [...OWN.lists, ...OWN.values]), ...OWN.values],
    lists: [...without(testSpec.lists, OWN.lists), ...OWN.lists],
    booleans: [...without(testSpec.booleans, OWN.booleans), ...OWN.booleans],
  });
  for (const [flag, why] of Object.entries(REFUSED)) {
    if (args.values.has(flag) || args.booleans.has(flag)) throw new UsageError(`--${flag} does not go with --matrix: ${why}`);
  }
  if (args.positional.length !== 1) throw new UsageError('exactly one PATH (a cookbook with a kitchen file) is needed');
  return args;
}

/** A host cells run on: its name (absent for the environment's own daemon, without `--host`), driver and environment. */
interface RunHost {
  name?: string;
  driver: ContainerDriver;
  /** The environment of its cells' tests (the host's DOCKER_HOST …); absent: this process's. */
  env?: Record<string, string | undefined>;
  capacity?: DaemonCapacity;
  /** Each cell's availability on this host, in the cells' order. */
  planned: PlannedCell[];
}

/** Time between checks of a host that runs cells (a host that hangs rather than refuses is found by these). */
const HEARTBEAT_MS = 15_000;
/** How long a host has to answer a check. */
const HOST_CHECK_TIMEOUT_MS = 10_000;

/** Undefined when the host's daemon answers (`version`, bounded), else why not in the runtime's own words. */
async function hostAnswers(driver: ContainerDriver): Promise<string | undefined> {
  const rt = driver.runtime;
  const r = await run(rt.command, ['version', '--format', '{{.Server.Version}}'], { timeoutMs: HOST_CHECK_TIMEOUT_MS, ...(rt.env ? { env: rt.env } : {}) });
  if (r.code === 0 && r.stdout.trim()) return undefined;
  if (r.timedOut) return `it did not answer within ${HOST_CHECK_TIMEOUT_MS / 1000} s`;
  return r.stderr.trim().split('\n').pop() || `${rt.command} version exited ${r.code}`;
}

/** Connects to each `--host`: its runtime answering there, and its capacity; a host that does not answer is said, and left out. */
async function connectHosts(hosts: MatrixHost[], runtime: RuntimeName): Promise<{ up: { host: MatrixHost; runtime: Runtime; capacity: DaemonCapacity }[]; down: { host: MatrixHost; reason: string }[] }> {
  const answers = await Promise.all(hosts.map(async (host) => {
    const r = await probeRuntime(runtime, runtime, host.env);
    if (typeof r === 'string') return { host, reason: r };
    const capacity = await daemonCapacity(r);
    return typeof capacity === 'string' ? { host, reason: capacity } : { host, runtime: r, capacity };
  }));
  return {
    up: answers.flatMap((a) => ('runtime' in a && a.runtime ? [{ host: a.host, runtime: a.runtime, capacity: a.capacity! }] : [])),
    down: answers.flatMap((a) => ('reason' in a && a.reason ? [{ host: a.host, reason: a.reason }] : [])),
  };
}

/** `cloche test … --matrix`: see the file comment. `testSpec`: the flags of `cloche test`, passed on to each cell. */
export async function runMatrix(argv: string[], io: CliIO, testSpec: FlagSpec): Promise<number> {
  return withExitCodes(io, 'test', async () => {
    const args = parseMatrixArgs(argv, testSpec);
    const format = formatOf(args, ['text', 'jsonl'], 'text');
    const concurrencyText = args.values.get('concurrency');
    const asked = concurrencyText === undefined ? undefined : Number(concurrencyText);
    if (asked !== undefined && !(Number.isInteger(asked) && asked > 0)) throw new UsageError(`--concurrency must be a positive whole number (got '${concurrencyText}')`);
    const runtime = args.values.get('runtime') ?? 'auto';
    if (!['docker', 'podman', 'auto'].includes(runtime)) throw new UsageError('--runtime must be docker or podman');
    const hostSpecs = args.lists.get('host') ?? [];
    // A host's cells must not fall back to another runtime here: with --host, auto means docker.
    const hostRuntime: RuntimeName = runtime === 'podman' ? 'podman' : 'docker';
    let wanted: MatrixHost[] = [];
    try { wanted = parseHosts(hostSpecs, hostRuntime); } catch (e) { if (e instanceof HostSpecError) throw new UsageError(e.message); throw e; }
    const target = path.resolve(args.positional[0]);
    const cookbook = enclosingCookbook(target) ?? target;
    let kitchen;
    try { kitchen = readKitchen(cookbook, DEFAULT_IMAGE); } catch (e) { throw new UsageError((e as Error).message); }
    if (!kitchen) throw new UsageError(`--matrix needs a kitchen file (kitchen.yml, .kitchen.yml, kitchen.yaml) in ${cookbook}, and there is none`);
    let cells: MatrixCell[];
    try {
      cells = expandCells(kitchen, { suites: args.lists.get('suite'), platforms: args.lists.get('kitchen-platform') });
    } catch (e) {
      if (e instanceof KitchenChoiceError) throw new UsageError(e.message);
      throw e;
    }
    const hostSummaries: HostSummary[] = [];
    let hosts: RunHost[];
    if (!wanted.length) {
      const driver = await connect(runtime as 'docker' | 'podman' | 'auto', undefined, (m) => io.stderr(`cloche test: warning: ${m}\n`));
      hosts = [{ driver, planned: await planCells(kitchen, cells, (image) => driver.imageExists(image)) }];
    } else {
      const { up, down } = await connectHosts(wanted, hostRuntime);
      for (const d of down) io.stderr(`cloche test: warning: host ${d.host.name} does not answer, no cell runs there: ${d.reason}\n`);
      if (!up.length) throw new EnvironmentError(`no --host answered: ${down.map((d) => `${d.host.name}: ${d.reason}`).join('; ')}`);
      hosts = await Promise.all(up.map(async ({ host, runtime: rt, capacity }) => {
        const driver = new ContainerDriver(rt);
        return { name: host.name, driver, env: host.env, capacity, planned: await planCells(kitchen, cells, (image) => driver.imageExists(image)) };
      }));
      for (const h of wanted) {
        const d = down.find((x) => x.host === h);
        const u = hosts.find((x) => x.name === h.name);
        hostSummaries.push(d ? { name: h.name, state: 'unreachable', reason: d.reason, slots: 0, cells: 0 }
          : { name: h.name, state: 'up', cpus: u!.capacity!.cpus, memoryBytes: u!.capacity!.memoryBytes, runningContainers: u!.capacity!.runningContainers, slots: 0, cells: 0 });
      }
    }
    const runsOn = cells.map((_, i) => hosts.flatMap((h, k) => (cellRuns(h.planned[i]) ? [k] : [])));
    const runnable = runsOn.filter((r) => r.length).length;
    let slots: number[];
    let concurrency: number;
    if (!wanted.length) {
      concurrency = asked ?? defaultConcurrency({ cpus: availableParallelism(), loadAverage: loadavg()[0], freeMemoryBytes: freemem() }, runnable);
      slots = [concurrency];
    } else {
      const shared = hostConcurrency(hosts.map((h) => hostSlots(h.capacity!)), runnable, asked);
      concurrency = shared.total;
      slots = shared.perHost;
      hosts.forEach((h, k) => { hostSummaries.find((s) => s.name === h.name)!.slots = slots[k]; });
    }
    const forwarded = forwardedFlags(args);
    if (wanted.length && !args.values.has('runtime')) forwarded.push(`--runtime=${hostRuntime}`);
    const matrix = new MatrixRun(io, format as 'text' | 'jsonl', { cliArgs: [...process.execArgv, process.argv[1], 'test', target], forwarded });
    if (format === 'text') {
      const on = wanted.length ? ` on ${hosts.length} host${hosts.length === 1 ? '' : 's'} (${hosts.map((h, k) => `${plainName(h.name!)}: ${slots[k]}`).join(', ')})` : '';
      io.stdout(`cloche test --matrix: ${cells.length} cell${cells.length === 1 ? '' : 's'} of ${path.basename(kitchen.file)} ` +
        `(${runnable} to run, ${cells.length - runnable} skipped), ${concurrency} at once${on}\n`);
    }
    const code = await matrix.run(cells, runsOn, hosts, slots, hostSummaries, wanted.length > 0);
    if (code.interrupted) {
      io.stderr(`cloche test: interrupted (${code.interrupted}); ${code.stopped} running cell${code.stopped === 1 ? '' : 's'} stopped, their containers removed\n`);
      return code.interrupted === 'SIGINT' ? 130 : 143;
    }
    const { results, durationMs } = code;
    let exitCode = matrixExitCode(results, args.booleans.has('strict'));
    const junit = args.values.get('junit');
    if (junit) {
      try {
        writeFileSync(junit, junitXml(results, { name: path.basename(cookbook), durationMs, timestamp: new Date(Date.now() - durationMs), hostname: hostname() }));
      } catch (e) {
        io.stderr(`cloche test: could not write the JUnit file ${junit}: ${(e as Error).message}\n`);
        exitCode = 2;
      }
    }
    if (format === 'jsonl') {
      matrix.line({ summary: { cells: results, counts: countVerdicts(results), durationMs, concurrency, exitCode, ...(wanted.length ? { hosts: hostSummaries } : {}) } });
    } else {
      io.stdout(`\n${summaryTable(results, { durationMs, concurrency })}`);
      for (const h of hostSummaries) io.stdout(`${hostLine(h)}\n`);
    }
    const notRun = results.filter((r) => r.verdict === 'skipped' && r.notRun);
    const skipped = results.filter((r) => r.verdict === 'skipped' && !r.notRun);
    if (notRun.length) io.stderr(`cloche test: error: ${notRun.length} cell${notRun.length === 1 ? '' : 's'} not run, no host left to run them: ${notRun.map(cellName).join(', ')}\n`);
    if (skipped.length) {
      io.stderr(`cloche test: ${args.booleans.has('strict') ? 'error' : 'warning'}: ${skipped.length} cell${skipped.length === 1 ? '' : 's'} skipped, no image ${wanted.length ? 'on any host' : 'here'}: ` +
        `${skipped.map(cellName).join(', ')}${args.booleans.has('strict') ? ' (--strict)' : '; --strict makes that a failure'}\n`);
    }
    if (!results.some((r) => r.verdict !== 'skipped')) io.stderr('cloche test: no cell ran, so nothing was tested\n');
    return exitCode;
  });
}

/** The skipped result and event of a cell no host can run: the first host's reason, naming the hosts with `--host`. */
function skippedOnHosts(i: number, hosts: RunHost[], named: boolean): Extract<MatrixEvent, { kind: 'skipped' }> {
  const first = skippedEvent(hosts[0].planned[i]);
  if (!named) return first;
  const names = hosts.map((h) => h.name!).join(', ');
  return { ...first, reason: `${hosts.length === 1 ? `on host ${names}` : `on none of the hosts (${names})`}: ${first.reason}` };
}

/** A matrix being run: the cells' child processes, their events, their hosts, and SIGINT/SIGTERM. */
class MatrixRun {
  private readonly abort = new AbortController();
  private interruptedBy?: NodeJS.Signals;
  /** Process ids of the cells' tests: their containers' sessions start with them. */
  private readonly pids = new Set<number>();
  private running = 0;

  constructor(private readonly io: CliIO, private readonly format: 'text' | 'jsonl', private readonly cell: { cliArgs: string[]; forwarded: string[] }) {}

  line(l: MatrixStreamLine): void {
    this.io.stdout(`${JSON.stringify(l)}\n`);
  }

  private emit(cell: MatrixCell, event: MatrixEvent): void {
    if (this.format === 'jsonl') { this.line({ cell, event }); return; }
    const text = eventLine(cell, event);
    if (text) this.io.stdout(text);
  }

  /**
   * Runs the cells (`runsOn[i]`: the hosts that have cell i's image) on the hosts, `slots[h]` at
   * once on host h; the results in the cells' order, or how the run was interrupted. With `named`
   * hosts (`--host`), a cell that did not pass has its host checked, and so has a host that runs
   * cells every {@link HEARTBEAT_MS}: a lost host's running cells end as errors that say so.
   */
  async run(cells: MatrixCell[], runsOn: number[][], hosts: RunHost[], slots: number[], summaries: HostSummary[], named: boolean):
    Promise<{ interrupted?: undefined; results: CellResult[]; durationMs: number } | { interrupted: NodeJS.Signals; stopped: number }> {
    const started = Date.now();
    const results = new Map<number, CellResult>();
    cells.forEach((cell, i) => {
      if (runsOn[i].length) { this.emit(cell, { kind: 'queued' }); return; }
      const skipped = skippedOnHosts(i, hosts, named);
      this.emit(cell, skipped);
      const result: CellResult = { ...cell, verdict: 'skipped', durationMs: 0, reason: skipped.reason, image: hosts[0].planned[i].availability.image };
      results.set(i, result);
      this.emit(cell, { kind: 'finished', result });
    });
    let stoppedAtInterrupt = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (this.interruptedBy) return;
      this.interruptedBy = sig;
      stoppedAtInterrupt = this.running;
      this.abort.abort();
    };
    const summaryOf = (h: number) => summaries.find((s) => s.name === hosts[h].name);
    const lostWhy = new Map<number, string>();
    const finish = (i: number, o: JobOutcome<CellResult>): void => {
      let result: CellResult;
      if (o.status === 'not-started') return;
      if (o.status === 'not-run') {
        const names = (hs: readonly number[]) => hs.map((h) => hosts[h].name).join(', ');
        const why = !o.lostHosts.length
          ? `${runsOn[i].length === 1 ? `the only host with its image, ${names(runsOn[i])},` : `the hosts with its image (${names(runsOn[i])})`} got no share of --concurrency ${slots.reduce((a, b) => a + b, 0)}`
          : runsOn[i].length === 1 ? `the only host with its image, ${names(o.lostHosts)}, died` : `every host with its image (${names(o.lostHosts)}) died`;
        result = { ...cells[i], verdict: 'skipped', durationMs: 0, reason: why, image: hosts[runsOn[i][0]].planned[i].availability.image, notRun: true };
      } else {
        const base = o.status === 'done' ? o.value : { ...cells[i], verdict: 'error' as const, durationMs: 0, reason: `its test could not run: ${(o.error as Error)?.message ?? o.error}` };
        result = hosts[o.host].name ? { ...base, host: hosts[o.host].name } : base;
        if (o.hostLost) {
          const said = base.reason ? `; its test said: ${base.reason.length > 300 ? `${base.reason.slice(0, 300)}…` : base.reason}` : '';
          result = { ...result, verdict: 'error', reason: `host ${hosts[o.host].name} died while this cell ran (${o.hostLost})${said}` };
        }
      }
      results.set(i, result);
      if (!this.interruptedBy) this.emit(cells[i], { kind: 'finished', result });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const jobs = runsOn.map((r, i) => ({ hosts: r, i })).filter((j) => j.hosts.length);
    try {
      await runOnHosts(jobs, slots,
        (job, _index, h, signal) => { const s = summaryOf(h); if (s) s.cells++; return this.runCell(cells[job.i], hosts[h], hosts[h].planned[job.i], signal); }, {
          signal: this.abort.signal,
          ...(named ? {
            check: (r: CellResult) => r.verdict !== 'passed',
            alive: (h: number) => hostAnswers(hosts[h].driver),
            heartbeatMs: HEARTBEAT_MS,
          } : {}),
          onHostLost: (h, why) => {
            lostWhy.set(h, why);
            const s = summaryOf(h);
            if (s) { s.state = 'lost'; s.reason = why; }
            const others = hosts.filter((_, k) => k !== h && !lostWhy.has(k)).length;
            this.io.stderr(`cloche test: warning: host ${hosts[h].name} stopped answering (${why}); its running cells end as errors, ` +
              `${others ? 'the cells it had not started go to the other hosts' : 'and no other host is left to run the rest'}\n`);
          },
          onOutcome: (index, o) => finish(jobs[index].i, o),
        });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (this.interruptedBy) {
      await Promise.all(hosts.map((h, k) => (lostWhy.has(k) ? undefined : this.sweepCells(h.driver))));
      return { interrupted: this.interruptedBy, stopped: stoppedAtInterrupt };
    }
    return { results: cells.map((_, i) => results.get(i)!), durationMs: Date.now() - started };
  }

  /** One cell on one host: `cloche test PATH --suite S --kitchen-platform K --format jsonl` with the host's environment, its lines passed on as they come. */
  private async runCell(cell: MatrixCell, host: RunHost, p: PlannedCell, signal: AbortSignal): Promise<CellResult> {
    this.running++;
    this.emit(cell, { kind: 'started', image: p.availability.image, ...(host.name ? { host: host.name } : {}) });
    const started = Date.now();
    let report: ConvergeReport | undefined;
    let stderr = '';
    const pending = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr', text: string): void => {
      if (stream === 'stderr') { stderr += `${text}\n`; this.emit(cell, { kind: 'stderr', text }); return; }
      let line: ConvergeStreamLine;
      try { line = JSON.parse(text) as ConvergeStreamLine; } catch { this.emit(cell, { kind: 'stderr', text }); return; }
      if ('report' in line) report = line.report;
      this.emit(cell, { kind: 'converge', line });
    };
    const args = [...this.cell.cliArgs, '--suite', cell.suite, '--kitchen-platform', cell.platform, '--format', 'jsonl', ...this.cell.forwarded];
    const r = await run(process.execPath, args, {
      timeoutMs: CELL_TIMEOUT_MS, signal, killGraceMs: CELL_STOP_GRACE_MS, ...(host.env ? { env: host.env } : {}),
      onSpawn: (pid) => this.pids.add(pid),
      onOutput: (chunk, stream) => {
        const lines = (pending[stream] + chunk).split('\n');
        pending[stream] = lines.pop()!;
        for (const l of lines) if (l.trim()) take(stream, l);
      },
    });
    for (const stream of ['stdout', 'stderr'] as const) if (pending[stream].trim()) take(stream, pending[stream]);
    this.running--;
    const exitCode = r.spawnError ? null : r.code;
    return cellResultOf(cell, { exitCode, report, durationMs: Date.now() - started, image: p.availability.image,
      stderr: r.spawnError ? `could not start its test: ${r.spawnError}` : r.timedOut ? `${stderr}its test did not end within ${CELL_TIMEOUT_MS / 3600_000} h` : stderr });
  }

  /** Removes what is left of the cells' sessions on one host (a test killed before it removed its container). */
  private async sweepCells(driver: ContainerDriver): Promise<void> {
    try {
      const sessions = new Set((await driver.list()).map((c) => c.session).filter((s) => this.pids.has(Number(s.split('-')[0]))));
      for (const session of sessions) await driver.sweep({ session });
    } catch { /* best effort: the next Cloche run sweeps the sessions of dead processes too */ }
  }
}
