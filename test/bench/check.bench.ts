/**
 * `npm run bench:check [-- DIR]`: whole-process figures of `cloche check`, medians of several runs;
 * prints, asserts nothing (speed is measured, not asserted).
 *
 * - With DIR: `cloche check DIR` against the prism parse floor of the same Ruby files (a process that
 *   only reads and parses them, see parseFloor.ts), their ratio, and the check's peak memory.
 * - Without: the same for a generated workspace shaped like real cookbooks (generate.ts
 *   `generateRealShaped`), then growth at 3 sizes each in cookbooks, recipes per cookbook and
 *   dependency depth (time per unit, and the marginal time per unit between sizes: linear growth
 *   keeps it flat), peak memory with 100 cookbooks analysed, and `cloche graph` of a 1,000-resource
 *   recipe.
 *
 * Wall times are the parent's clock; CPU (user + system) and peak RSS are the child's own
 * `process.resourceUsage()`, written at exit by a preloaded script. CPU is steadier than wall on a
 * shared machine. BENCH_RUNS (default 5) sets the runs per figure, BENCH_GROWTH_RUNS (default 3) those
 * of the growth figures, BENCH_CLI another build's dist/cli.js to measure instead.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { Workspace } from '../../server/src/chef/workspace';
import { rubyFilesOf } from '../../server/src/chef/rules/syntaxRule';
import { generateBigRecipe, generateRealShaped, type RealShape } from './generate';

const ROOT = path.resolve(__dirname, '../..');
/** The CLI measured: the build's, or another (BENCH_CLI=path/to/cli.js, to compare two builds on the same machine). */
const CLI = process.env.BENCH_CLI ? path.resolve(process.env.BENCH_CLI) : path.join(ROOT, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GROWTH_RUNS = Number(process.env.BENCH_GROWTH_RUNS ?? 3);
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-bench-check-'));

interface Sample { wallMs: number; cpuMs: number; rssMb: number }

/** Writes the exit hook every measured process preloads: its own CPU time and peak RSS, on stderr. */
const USAGE_HOOK = path.join(TMP, 'usage-hook.js');
fs.writeFileSync(USAGE_HOOK, `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nBENCH_USAGE ' + (u.userCPUTime + u.systemCPUTime) / 1000 + ' ' + u.maxRSS / 1024 + '\\n'); });\n`);

function runNode(script: string, args: string[]): Sample {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', USAGE_HOOK, script, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${path.basename(script)} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /BENCH_USAGE (\S+) (\S+)\s*$/.exec(r.stderr);
  return { wallMs, cpuMs: m ? Number(m[1]) : NaN, rssMb: m ? Number(m[2]) : NaN };
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

interface Figure { wall: number; cpu: number; rss: number; minWall: number; maxWall: number; runs: number }

/** Medians of `runs` runs after one warm-up run (the file cache). */
function measure(script: string, args: string[], runs = RUNS): Figure {
  runNode(script, args);
  const samples = Array.from({ length: runs }, () => runNode(script, args));
  const walls = samples.map((s) => s.wallMs);
  return { wall: median(walls), cpu: median(samples.map((s) => s.cpuMs)), rss: Math.max(...samples.map((s) => s.rssMb)), minWall: Math.min(...walls), maxWall: Math.max(...walls), runs };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
const describe = (f: Figure) => `wall median ${ms(f.wall)} (min ${f.minWall.toFixed(0)}, max ${f.maxWall.toFixed(0)}), CPU median ${ms(f.cpu)}, ${f.runs} runs`;

/** The Ruby files `cloche check DIR` parses: those of every cookbook found under DIR. */
function rubyFilesUnder(dir: string): { cookbooks: number; files: string[]; lines: number } {
  const ws = new Workspace([dir], true);
  ws.scan();
  const files = [...new Set(ws.all.flatMap((cb) => rubyFilesOf(cb)))];
  const lines = files.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split('\n').length, 0);
  return { cookbooks: ws.all.length, files, lines };
}

/** The parse-floor program, bundled as the CLI is (prism.wasm beside it). */
async function parseFloorScript(): Promise<string> {
  const out = path.join(TMP, 'parse-floor.js');
  await build({ entryPoints: [path.join(__dirname, 'parseFloor.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', logOverride: { 'require-resolve-not-external': 'silent' } });
  fs.copyFileSync(path.join(ROOT, 'dist/prism.wasm'), path.join(TMP, 'prism.wasm'));
  return out;
}

function checkArgs(dir: string): string[] {
  return ['check', dir, '--format', 'json'];
}

/** Check against the parse floor of the same files. */
function checkVersusFloor(floor: string, dir: string, label: string): void {
  const { cookbooks, files, lines } = rubyFilesUnder(dir);
  const list = path.join(TMP, `files-${path.basename(dir)}.txt`);
  fs.writeFileSync(list, files.join('\n') + '\n');
  console.log(`${label}: ${cookbooks} cookbooks, ${files.length} Ruby files, ${lines} lines (${dir})`);
  const check = measure(CLI, checkArgs(dir));
  const parse = measure(floor, [list]);
  console.log(`  cloche check (whole process): ${describe(check)}; peak RSS ${check.rss.toFixed(0)} MB`);
  console.log(`  prism parse floor, same files (whole process): ${describe(parse)}`);
  console.log(`  ratio check / parse floor: wall ${(check.wall / parse.wall).toFixed(2)}×, CPU ${(check.cpu / parse.cpu).toFixed(2)}× (goal ≤ 2.5×)`);
}

/** One growth series: the same shape at 3 sizes of one dimension. */
function growth(title: string, unit: string, sizes: number[], shapeAt: (n: number) => RealShape, unitsAt: (s: RealShape) => number): void {
  console.log(`growth in ${title}:`);
  let previous: { units: number; cpu: number; wall: number } | undefined;
  for (const n of sizes) {
    const shape = shapeAt(n);
    const dir = path.join(TMP, `growth-${title.replace(/\W+/g, '-')}-${n}`);
    const { rubyFiles, lines } = generateRealShaped(dir, shape);
    const units = unitsAt(shape);
    const f = measure(CLI, checkArgs(dir), GROWTH_RUNS);
    const marginal = previous ? `; marginal ${((f.cpu - previous.cpu) / (units - previous.units)).toFixed(1)} ms CPU / ${unit}` : '';
    console.log(`  ${String(n).padStart(4)} (${shape.cookbooks} cookbooks × ${shape.recipes} recipes, chains of ${shape.chain}; ${rubyFiles} Ruby files, ${lines} lines): wall ${ms(f.wall)}, CPU ${ms(f.cpu)} = ${(f.cpu / units).toFixed(1)} ms CPU / ${unit}${marginal}`);
    previous = { units, cpu: f.cpu, wall: f.wall };
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
  const floor = await parseFloorScript();
  const dir = process.argv[2];
  console.log(`${path.relative(process.cwd(), CLI) || CLI}, node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (dir) {
    checkVersusFloor(floor, path.resolve(dir), 'workspace');
    return;
  }
  const ws = path.join(TMP, 'real-shaped');
  generateRealShaped(ws, { cookbooks: 50, recipes: 6, chain: 10, longEvery: 5 });
  checkVersusFloor(floor, ws, 'generated real-shaped workspace');

  const base: RealShape = { cookbooks: 10, recipes: 4, chain: 5, longEvery: 0 };
  growth('cookbooks', 'cookbook', [10, 20, 40], (n) => ({ ...base, cookbooks: n }), (s) => s.cookbooks);
  growth('recipes per cookbook', 'recipe', [4, 8, 16], (n) => ({ ...base, recipes: n }), (s) => s.cookbooks * s.recipes);
  growth('dependency depth (one chain)', 'cookbook', [20, 40, 80], (n) => ({ ...base, cookbooks: n, chain: n }), (s) => s.cookbooks);
  growth('no dependencies, for comparison', 'cookbook', [80], (n) => ({ ...base, cookbooks: n, chain: 1 }), (s) => s.cookbooks);

  const hundred = path.join(TMP, 'hundred');
  generateRealShaped(hundred, { cookbooks: 100, recipes: 4, chain: 10, longEvery: 10 });
  const mem = measure(CLI, checkArgs(hundred), 1);
  console.log(`peak memory, cloche check of 100 cookbooks: ${mem.rss.toFixed(0)} MB max RSS (goal ≤ 300 MB; wall ${ms(mem.wall)}, CPU ${ms(mem.cpu)})`);

  const big = generateBigRecipe(path.join(TMP, 'big'), 1000);
  console.log(`cloche graph (1,000-resource recipe, whole process): ${describe(measure(CLI, ['graph', big, '--format', 'json']))}`);
}

main()
  .catch((e) => { console.error(e); process.exitCode = 1; })
  .finally(() => fs.rmSync(TMP, { recursive: true, force: true }));
