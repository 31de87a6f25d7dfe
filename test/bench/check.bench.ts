// `npm run bench:check`: whole-process times of `cloche check` over a ~1,200-file / ~75k-line workspace
// and `cloche graph` of a 1,000-resource recipe. Medians of several runs; no thresholds here.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace, generateBigRecipe } from './generate';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`cloche ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(label: string, args: string[]): void {
  time(args); // warm the file cache
  const runs = Array.from({ length: RUNS }, () => time(args));
  console.log(`${label}: median ${median(runs).toFixed(0)} ms (min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)}, ${RUNS} runs)`);
}

const ws = path.join(os.tmpdir(), 'cloche-bench-ws');
const { files, lines } = generateWorkspace(ws, 60, 18, 12);
console.log(`workspace: ${files} files, ${lines} lines (${ws})`);
report('cloche check (whole workspace, whole process)', ['check', ws, '--format', 'json']);
const big = generateBigRecipe(path.join(os.tmpdir(), 'cloche-bench-big'), 1000);
report('cloche graph (1,000-resource recipe, whole process)', ['graph', big, '--format', 'json']);
