/**
 * Engine figures (printed, not asserted): `npm run bench:plan`
 *   node --import tsx test/bench/plan.bench.ts [--skip-converge]
 * 1. `cloche plan examples/webserver --container C` as a whole CLI process (bundled with esbuild),
 *    with facts read from the container (2 execs) and with --platform (1 exec);
 * 2. exec round trips for 20 and 200 resources (independent of the count);
 * 3. converge overhead beyond the commands themselves (measured inside the container), median of
 *    CONVERGE_RUNS (default 5) converges on fresh containers;
 * 4. the idempotence re-plan after that converge.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ContainerDriver } from '../../server/src/containers/driver';
import { run } from '../../server/src/containers/process';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { engineInputFromJson, type EngineInputJson } from '../../server/src/engine/input';
import { planInContainer } from '../../server/src/engine/plan';
import type { GraphResource, Plan } from '../../server/src/protocol';

const ROOT = join(__dirname, '..', '..');
const IMAGE = 'cloche/debian:12';
const RUNS = 7;
/** Converges measured (each installs nginx from the network): `CONVERGE_RUNS=n` to change. */
const CONVERGE_RUNS = Number(process.env.CONVERGE_RUNS) || 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Bundles the plan entry like esbuild.mjs bundles the CLI, with prism.wasm beside it. */
async function bundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cloche-bench-'));
  copyFileSync(join(dirname(require.resolve('@ruby/prism/package.json')), 'src', 'prism.wasm'), join(dir, 'prism.wasm'));
  const outfile = join(dir, 'plan.js');
  await build({ entryPoints: [join(__dirname, 'planEntry.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error',
    logOverride: { 'require-resolve-not-external': 'silent' }, alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } });
  return outfile;
}

/** Wall time of whole CLI processes; returns the median and the last plan. */
async function timeCli(cli: string, args: string[]): Promise<{ ms: number; min: number; plan: Plan }> {
  const times: number[] = [];
  let plan: Plan | undefined;
  for (let i = 0; i < RUNS; i++) {
    const started = Date.now();
    const r = await run(process.execPath, ['--no-warnings', cli, ...args, '--format', 'json'], { timeoutMs: 60_000 });
    times.push(Date.now() - started);
    if (r.code !== 0) throw new Error(`plan exited ${r.code}: ${r.stderr}`);
    plan = JSON.parse(r.stdout) as Plan;
  }
  return { ms: median(times), min: Math.min(...times), plan: plan! };
}

/** A synthetic collection of `n` resources of many kinds (each with its own probe queries). */
function syntheticInput(n: number): EngineInputJson {
  const resources: GraphResource[] = [];
  const contents: Record<string, string> = {};
  const mk = (type: string, name: string, properties: GraphResource['properties'], extra: Partial<GraphResource> = {}): GraphResource =>
    ({ id: `${type}[${name}]`, type, resolvedType: type, name, actions: [], properties, location: { file: 'recipes/big.rb', line: resources.length + 1, column: 1 }, notifies: [], guards: [], origin: 'big::default', ...extra });
  const pkgs = ['bash', 'coreutils', 'curl', 'nginx', 'cron', 'gzip', 'tar', 'sed', 'grep', 'less'];
  for (let i = 0; resources.length < n; i++) {
    resources.push(mk('directory', `/srv/d${i}`, { mode: '0755', owner: 'root' }, { actions: ['create'] }));
    resources.push(mk('file', `/srv/d${i}/f.conf`, { mode: '0644' }, { actions: ['create'] }));
    contents[`file[/srv/d${i}/f.conf]`] = `value=${i}\n`;
    resources.push(mk('link', `/srv/l${i}`, { to: `/srv/d${i}/f.conf` }, { actions: ['create'] }));
    resources.push(mk('package', pkgs[i % pkgs.length] + (i >= pkgs.length ? `-x${i}` : ''), {}, { actions: ['install'] }));
    resources.push(mk('execute', `e${i}`, { command: 'true' }, { actions: ['run'], guards: [{ kind: 'not_if', form: 'string', command: `test -e /srv/d${i}/done`, source: '', location: { file: 'recipes/big.rb', line: 1, column: 1 } }] }));
  }
  return { resources: resources.slice(0, n), contents };
}

async function main(): Promise<void> {
  const driver = await ContainerDriver.detect('docker');
  driver.cleanupOnExit();
  const cli = await bundle();
  const id = await driver.create({ image: IMAGE, network: 'none', labels: { 'cloche.bench': 'plan' } });
  try {
    const webserver = join(ROOT, 'examples', 'webserver');
    const a = await timeCli(cli, [webserver, '--container', id]);
    const b = await timeCli(cli, [webserver, '--container', id, '--platform', 'debian-12']);
    console.log(`plan examples/webserver, whole CLI process (median of ${RUNS}):`);
    console.log(`  facts from the container: ${a.ms} ms (min ${a.min}), ${a.plan.timings.roundTrips} execs, ${a.plan.steps.length} steps, engine ${a.plan.timings.totalMs} ms (probe ${a.plan.timings.probeMs} ms)`);
    console.log(`  --platform debian-12:     ${b.ms} ms (min ${b.min}), ${b.plan.timings.roundTrips} exec`);
    const dir = mkdtempSync(join(tmpdir(), 'cloche-bench-'));
    console.log('round trips by collection size (--platform debian-12):');
    for (const n of [20, 200]) {
      const file = join(dir, `big${n}.json`);
      writeFileSync(file, JSON.stringify(syntheticInput(n)));
      const r = await timeCli(cli, [file, '--container', id, '--platform', 'debian-12']);
      console.log(`  ${String(n).padStart(3)} resources: ${r.plan.timings.roundTrips} exec, whole process ${r.ms} ms, probe ${r.plan.timings.probeMs} ms, simulate ${r.plan.timings.simulateMs} ms`);
    }
  } finally {
    await driver.destroy(id);
  }
  if (process.argv.includes('--skip-converge')) return;
  const input = engineInputFromJson(JSON.parse(readFileSync(join(ROOT, 'test', 'engine', 'fixtures', 'webserver.json'), 'utf8')));
  // Each converge on a fresh container (apt over the network varies run to run: medians).
  const overheads: { ms: number; pct: number; total: number; commands: number; execs: number }[] = [];
  let cid = '';
  for (let i = 0; i < CONVERGE_RUNS; i++) {
    if (cid) await driver.destroy(cid);
    cid = await driver.create({ image: IMAGE, network: 'host', labels: { 'cloche.bench': 'converge' } });
    const report = await converge({ driver, container: cid, input, target: { runtime: 'docker', image: IMAGE, container: cid, platform: 'debian-12' } });
    if (!report.result.ok) { await driver.destroy(cid); throw new Error(report.result.message); }
    const t = report.timings;
    overheads.push({ ms: t.overheadMs, pct: (100 * t.overheadMs) / t.totalMs, total: t.totalMs, commands: t.commandMs, execs: t.roundTrips });
    console.log(`  converge ${i + 1}: ${t.totalMs} ms total, commands ${t.commandMs} ms, overhead ${t.overheadMs} ms = ${((100 * t.overheadMs) / t.totalMs).toFixed(1)} %, ${t.roundTrips} execs`);
  }
  try {
    const target = { runtime: 'docker', image: IMAGE, container: cid, platform: 'debian-12' };
    const pct = median(overheads.map((o) => o.pct));
    console.log(`converge of the webserver fixture (median of ${CONVERGE_RUNS}, fresh container each): overhead ${median(overheads.map((o) => o.ms))} ms = ${pct.toFixed(1)} % of the total ` +
      `(range ${Math.min(...overheads.map((o) => o.pct)).toFixed(1)}–${Math.max(...overheads.map((o) => o.pct)).toFixed(1)} %), total ${median(overheads.map((o) => o.total))} ms, ` +
      `commands ${median(overheads.map((o) => o.commands))} ms (measured inside the container), ${median(overheads.map((o) => o.execs))} execs`);
    const times: number[] = [];
    let idempotent = true;
    for (let i = 0; i < RUNS; i++) {
      const started = Date.now();
      const plan = await planInContainer({ driver, container: cid, input, target });
      times.push(Date.now() - started);
      idempotent &&= judgeIdempotence(plan, 0).idempotent;
    }
    console.log(`idempotence re-plan (in process, median of ${RUNS}): ${median(times)} ms (min ${Math.min(...times)}), idempotent: ${idempotent}`);
    const whole = await timeCli(cli, [join(ROOT, 'test', 'engine', 'fixtures', 'webserver.json'), '--container', cid, '--platform', 'debian-12']);
    console.log(`idempotence re-plan as a whole CLI process: ${whole.ms} ms (min ${whole.min}), ${whole.plan.summary.changed} changes`);
  } finally {
    await driver.destroy(cid);
  }
}

main().catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });
