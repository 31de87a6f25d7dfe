/**
 * `npm run bench:diff`: whole-process figures of `cloche diff` on a generated 1,000-resource run
 * (generate.ts `generateWorkspace`: one cookbook, 10 recipes) in a git repository of two commits
 * (a property changed in one recipe, a resource added to another, a template changed): between the
 * two commits (two revisions read with git archive), the working tree against HEAD, and `cloche graph
 * --with-content` of the same run for scale (one side's compile). Medians of BENCH_RUNS (default 5)
 * runs: wall time of the parent's clock, and the child's CPU (user + system, its own
 * `process.resourceUsage()` written at exit by a preloaded script: steadier on a shared machine).
 * The CLI's code cache is written by a first run and read by every run counted; one line says what
 * the same diff costs without it (`CLOCHE_CODE_CACHE=off`). Prints, asserts nothing (target: ≤ 1 s
 * between revisions).
 * Run: npm run bench:diff [-- DECLARATIONS_PER_RECIPE]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateWorkspace } from './generate';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PER_RECIPE = Number(process.argv[2] ?? 83);

function sh(cwd: string, cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let usageHook = '';

/** Median wall and CPU time (ms) of `node dist/cli.js ARGS` in `cwd`, and the last run's stdout. */
function time(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; cpu: number; stdout: string } {
  const ms: number[] = [];
  const cpu: number[] = [];
  let stdout = '';
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--require', usageHook, CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0 && r.status !== 1) throw new Error(`cloche ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
    cpu.push(Number(/BENCH_CPU (\S+)/.exec(r.stderr)?.[1] ?? NaN));
    stdout = r.stdout;
  }
  return { ms: median(ms), cpu: median(cpu), stdout };
}

const figures = (t: { ms: number; cpu: number }) => `${t.ms.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU`;

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-bench-diff-'));
  usageHook = path.join(dir, '..', `${path.basename(dir)}-usage.js`);
  fs.writeFileSync(usageHook, `process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write('\\nBENCH_CPU ' + (u.userCPUTime + u.systemCPUTime) / 1000 + '\\n'); });\n`);
  try {
    generateWorkspace(dir, 1, 10, PER_RECIPE);
    const cb = path.join(dir, 'cookbooks/cb0');
    sh(dir, 'git', ['init', '-q']);
    for (const [k, v] of [['user.email', 'bench@example.com'], ['user.name', 'bench'], ['commit.gpgsign', 'false']]) sh(dir, 'git', ['config', k, v]);
    sh(dir, 'git', ['add', '-A']);
    sh(dir, 'git', ['commit', '-q', '-m', 'one']);
    const r3 = path.join(cb, 'recipes/r3.rb');
    fs.writeFileSync(r3, fs.readFileSync(r3, 'utf8').replace("mode '0755'", "mode '0700'"));
    fs.appendFileSync(path.join(cb, 'recipes/r5.rb'), "\nfile '/etc/bench-added' do\n  content 'new'\nend\n");
    fs.writeFileSync(path.join(cb, 'templates/app.conf.erb'), 'port <%= @port %>\nbench true\n');
    sh(dir, 'git', ['commit', '-q', '-am', 'two']);
    // A working tree change on top: one more property.
    const r7 = path.join(cb, 'recipes/r7.rb');
    fs.writeFileSync(r7, fs.readFileSync(r7, 'utf8').replace("shell '/bin/bash'", "shell '/bin/sh'"));

    // The first run writes the CLI's code cache if it is missing (launch/codeCache.ts); every run counted below reads it.
    time(dir, ['--version']);
    const graph = time(dir, ['graph', cb, '--with-content', '--format', 'json']);
    const resources = (JSON.parse(graph.stdout) as { resources: unknown[] }).resources.length;
    const revisions = time(dir, ['diff', cb, '--from', 'HEAD~1', '--to', 'HEAD', '--format', 'json']);
    const summary = (JSON.parse(revisions.stdout) as { summary: Record<string, number> }).summary;
    const workingTree = time(dir, ['diff', cb, '--format', 'json']);
    const text = time(dir, ['diff', cb, '--from', 'HEAD~1', '--to', 'HEAD']);
    const uncached = time(dir, ['diff', cb, '--from', 'HEAD~1', '--to', 'HEAD', '--format', 'json'], { ...process.env, CLOCHE_CODE_CACHE: 'off' });
    console.log(`cloche diff, ${resources} resources (1 cookbook, 10 recipes), whole process, medians of ${RUNS} runs:`);
    console.log(`  two revisions (json):        ${figures(revisions)} · ${JSON.stringify(summary)}`);
    console.log(`  two revisions (text):        ${figures(text)}`);
    console.log(`  working tree vs HEAD (json): ${figures(workingTree)}`);
    console.log(`  two revisions (json) without the code cache: ${figures(uncached)}`);
    console.log(`  for scale, graph --with-content of one side: ${figures(graph)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(usageHook, { force: true });
  }
}

main();
