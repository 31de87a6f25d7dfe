/**
 * Matrix figures (printed, not asserted): `npm run bench:matrix`
 *   node --import tsx test/bench/matrix.bench.ts [--runs N] [--concurrency 1,2,3]
 * The engine test's fixture cookbook (test/engine/fixtures/matrix_fx) with two passing suites on
 * every Debian release whose Cloche image is here (debian-12 always; debian-11 and debian-13 once
 * `cloche image build --platform …` made them): the wall time of `cloche test --matrix` at each
 * concurrency (median of the runs), and each cell's overhead over its converge: the cell's wall
 * time less the converge and the idempotence re-plan its report measured (a process start, the
 * model of the cookbooks, the container's creation, facts and removal).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../server/src/containers/process';
import type { CellResult, MatrixStreamLine } from '../../server/src/engine/matrix';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const flag = (name: string): string | undefined => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const RUNS = Number(flag('runs') ?? process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The fixture with two passing suites on the Debian releases whose image is here. */
function cookbook(): { dir: string; platforms: string[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'cloche-bench-matrix-')), 'matrix_fx');
  cpSync(join(ROOT, 'test', 'engine', 'fixtures', 'matrix_fx'), dir, { recursive: true });
  const here = (image: string) => spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
  const platforms = ['debian-11', 'debian-12', 'debian-13'].filter((p) => here(`cloche/debian:${p.slice(7)}`));
  writeFileSync(join(dir, 'kitchen.yml'), [
    'driver:', '  name: dokken', 'platforms:', ...platforms.map((p) => `  - name: ${p}`),
    'suites:', ...['default', 'other'].flatMap((name) => [`  - name: ${name}`, "    run_list: ['recipe[matrix_fx::default]']", '    attributes:', '      matrix_fx:', `        suite: ${name}`]), '',
  ].join('\n'));
  return { dir, platforms };
}

/** One `cloche test --matrix` run: its wall time and its cells. */
async function matrix(dir: string, concurrency: number): Promise<{ ms: number; cells: CellResult[] }> {
  const started = Date.now();
  const r = await run(process.execPath, [CLI, 'test', dir, '--matrix', '--concurrency', String(concurrency), '--format', 'jsonl', '--runtime', 'docker'], { timeoutMs: 30 * 60_000 });
  const ms = Date.now() - started;
  const last = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as MatrixStreamLine;
  if (!('summary' in last) || r.code !== 0) throw new Error(`the matrix exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return { ms, cells: last.summary.cells };
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: npm run build');
  const { dir, platforms } = cookbook();
  const cells = platforms.length * 2;
  const levels = (flag('concurrency') ?? [1, 2, 3].filter((c) => c <= cells).join(',')).split(',').map(Number);
  console.log(`cloche test --matrix: 2 suites × ${platforms.join(', ')} = ${cells} cells; ${RUNS} run${RUNS === 1 ? '' : 's'} per concurrency; ` +
    `${availableParallelism()} CPUs, load ${loadavg()[0].toFixed(2)} at the start`);
  const rows: string[][] = [['concurrency', 'wall (median)', 'runs', 'cell (median)', 'converge+idempotence', 'overhead per cell']];
  let sequential: number | undefined;
  for (const c of levels) {
    const walls: number[] = [];
    const cellMs: number[] = [];
    const convergeMs: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const m = await matrix(dir, c);
      walls.push(m.ms);
      for (const cell of m.cells) {
        const work = (cell.convergeMs ?? 0) + (cell.idempotenceMs ?? 0);
        cellMs.push(cell.durationMs); convergeMs.push(work); overhead.push(cell.durationMs - work);
      }
    }
    const wall = median(walls);
    sequential ??= c === 1 ? wall : undefined;
    rows.push([String(c), `${s(wall)}${sequential && c > 1 ? ` (×${(sequential / wall).toFixed(2)})` : ''}`, walls.map(s).join(' '), s(median(cellMs)), s(median(convergeMs)), s(median(overhead))]);
  }
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((x, i) => x.padEnd(width[i])).join('  ').trimEnd());
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
