/**
 * Matrix figures (printed, not asserted): `npm run bench:matrix`
 *   node --import tsx test/bench/matrix.bench.ts [--runs N] [--concurrency 1,2,3] [--suites N] [--no-hosts]
 * The engine test's fixture cookbook (test/engine/fixtures/matrix_fx) with two passing suites (or
 * N) on every Debian release whose Cloche image is here (debian-12 always; debian-11 and debian-13
 * once `cloche image build --platform …` made them): the wall time of `cloche test --matrix` at
 * each concurrency (median of the runs), then over two hosts (this machine's daemon and a second
 * dockerd the bench starts on this machine, test/engine/secondDaemon.ts, with the images loaded:
 * both share this machine's CPUs, so this measures the spreading and its cost, not a second
 * machine's speed) at the highest concurrency and at the default one (each host's free slots from
 * its `docker info`); and each cell's overhead over its converge: the cell's wall time less the
 * converge and the idempotence re-plan its report measured (a process start, the model of the
 * cookbooks, the container's creation, facts and removal). Every run uses `--network none` (the
 * second daemon has no bridge; the fixture's converge needs no network).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../server/src/containers/process';
import type { CellResult, MatrixStreamLine } from '../../server/src/engine/matrix';
import { startSecondDaemon } from '../engine/secondDaemon';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const flag = (name: string): string | undefined => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const RUNS = Number(flag('runs') ?? process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const SUITES = Number(flag('suites') ?? 2);

/** The fixture with two (or --suites) passing suites on the Debian releases whose image is here. */
function cookbook(): { dir: string; platforms: string[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'cloche-bench-matrix-')), 'matrix_fx');
  cpSync(join(ROOT, 'test', 'engine', 'fixtures', 'matrix_fx'), dir, { recursive: true });
  const here = (image: string) => spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
  const platforms = ['debian-11', 'debian-12', 'debian-13'].filter((p) => here(`cloche/debian:${p.slice(7)}`));
  writeFileSync(join(dir, 'kitchen.yml'), [
    'driver:', '  name: dokken', 'platforms:', ...platforms.map((p) => `  - name: ${p}`),
    'suites:', ...Array.from({ length: SUITES }, (_, i) => (i === 0 ? 'default' : `other${i}`)).flatMap((name) => [`  - name: ${name}`, "    run_list: ['recipe[matrix_fx::default]']", '    attributes:', '      matrix_fx:', `        suite: ${name}`]), '',
  ].join('\n'));
  return { dir, platforms };
}

/** One `cloche test --matrix` run (on these `--host`s, at this concurrency or the default): its wall time and its cells. */
async function matrix(dir: string, concurrency: number | undefined, hosts: string[] = []): Promise<{ ms: number; cells: CellResult[]; concurrency: number }> {
  const started = Date.now();
  const args = [CLI, 'test', dir, '--matrix', ...(concurrency ? ['--concurrency', String(concurrency)] : []), '--format', 'jsonl', '--runtime', 'docker', '--network', 'none',
    ...hosts.flatMap((h) => ['--host', h])];
  const r = await run(process.execPath, args, { timeoutMs: 30 * 60_000 });
  const ms = Date.now() - started;
  const last = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as MatrixStreamLine;
  if (!('summary' in last) || r.code !== 0) throw new Error(`the matrix exited ${r.code}: ${r.stderr.slice(-2000)}`);
  if (hosts.length && new Set(last.summary.cells.map((c) => c.host)).size < Math.min(hosts.length, last.summary.cells.length)) {
    throw new Error(`the cells did not spread over the hosts: ${last.summary.cells.map((c) => c.host).join(', ')}`);
  }
  return { ms, cells: last.summary.cells, concurrency: last.summary.concurrency };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build');
  const { dir, platforms } = cookbook();
  const cells = platforms.length * SUITES;
  const levels = (flag('concurrency') ?? [1, 2, 3].filter((c) => c <= cells).join(',')).split(',').map(Number);
  console.log(`cloche test --matrix: ${SUITES} suites × ${platforms.join(', ')} = ${cells} cells; ${RUNS} run${RUNS === 1 ? '' : 's'} per concurrency; ` +
    `${availableParallelism()} CPUs, load ${loadavg()[0].toFixed(2)} at the start`);
  const rows: string[][] = [['run', 'wall (median)', 'runs', 'cell (median)', 'converge+idempotence', 'overhead per cell']];
  let sequential: number | undefined;
  /** RUNS runs of one configuration, as a row. */
  const measure = async (label: (concurrency: number) => string, concurrency: number | undefined, hosts: string[] = []): Promise<void> => {
    const walls: number[] = [];
    const cellMs: number[] = [];
    const convergeMs: number[] = [];
    const overhead: number[] = [];
    let used = concurrency ?? 0;
    for (let i = 0; i < RUNS; i++) {
      const m = await matrix(dir, concurrency, hosts);
      walls.push(m.ms);
      used = m.concurrency;
      for (const cell of m.cells) {
        const work = (cell.convergeMs ?? 0) + (cell.idempotenceMs ?? 0);
        cellMs.push(cell.durationMs); convergeMs.push(work); overhead.push(cell.durationMs - work);
      }
    }
    const wall = median(walls);
    if (used === 1 && !hosts.length) sequential ??= wall;
    rows.push([label(used), `${s(wall)}${sequential && wall !== sequential ? ` (×${(sequential / wall).toFixed(2)})` : ''}`, walls.map(s).join(' '), s(median(cellMs)), s(median(convergeMs)), s(median(overhead))]);
  };
  for (const c of levels) await measure(() => `concurrency ${c}`, c);
  if (!process.argv.includes('--no-hosts')) {
    const second = startSecondDaemon(platforms.map((p) => `cloche/debian:${p.slice(7)}`));
    if (typeof second === 'string') {
      console.log(`two hosts: not measured (${second})`);
    } else {
      try {
        const hosts = ['unix:///var/run/docker.sock', second.host];
        const top = Math.max(...levels);
        await measure((c) => `two hosts, concurrency ${c}`, top, hosts);
        await measure((c) => `two hosts, default (${c})`, undefined, hosts);
      } finally {
        second.stop();
      }
    }
  }
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(width[i])).join('  ').trimEnd());
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
