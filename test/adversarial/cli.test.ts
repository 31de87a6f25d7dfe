/**
 * The built CLI against hostile recipes (seeded, time-bounded): `cloche check` of a workspace holding
 * one finishes within its time bound under a 1 GB heap, exits as for any findings (0 or 1, never a
 * crash), and still reports the valid files' findings; `cloche graph` exports (DOT, Mermaid) keep
 * hostile names inside their labels. ADVERSARIAL_SEED and ADVERSARIAL_SECONDS as in server.test.ts.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../lsp/client';
import { hostileInput, rng, type Category } from './hostileInputs';
import { dotProblems, mermaidProblems } from './markupChecks';
import { hostileWorkspace } from './workspace';

const SEED = Number(process.env.ADVERSARIAL_SEED ?? 20261202);
const SECONDS = Number(process.env.ADVERSARIAL_SECONDS ?? 60);
const CLI = path.join(REPO, 'dist', 'cli.js');
/** Whole-process bound of one command on a small workspace, hostile file or not. */
const COMMAND_MS = 30_000;
const HEAP_MB = 1024;

const ws = hostileWorkspace(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-adversarial-cli-')));
after(() => fs.rmSync(path.dirname(ws.root), { recursive: true, force: true }));

function cloche(args: string[]): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], { encoding: 'utf8', timeout: COMMAND_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 28 });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}

test('cloche check and graph hold on hostile recipes, and valid files keep their findings', () => {
  const rand = rng(SEED + 1);
  const deadline = Date.now() + SECONDS * 1000;
  const tried = new Map<Category, number>();
  const failures: string[] = [];
  let n = 0;
  let slowest = 0;
  while (Date.now() < deadline && failures.length < 20) {
    const input = hostileInput(rand);
    tried.set(input.category, (tried.get(input.category) ?? 0) + 1);
    const what = `input ${n++} (${input.name}, seed ${SEED + 1})`;
    fs.writeFileSync(ws.hostile, input.text);
    const check = cloche(['check', ws.root, '--format', 'json']);
    slowest = Math.max(slowest, check.ms);
    if (check.signal) { failures.push(`${what}: check killed after ${COMMAND_MS} ms (${check.signal})`); continue; }
    if (check.status !== 0 && check.status !== 1) { failures.push(`${what}: check exited ${check.status}: ${check.stderr.slice(0, 300)}`); continue; }
    const files = new Set((JSON.parse(check.stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics.filter((d) => d.code === 'unknown-property').map((d) => d.file));
    for (const f of ws.valid) if (!files.has(f)) failures.push(`${what}: check lost the finding of ${path.relative(ws.root, f)}`);
    if (input.category !== 'markup') continue;
    for (const [format, problemsOf] of [['dot', dotProblems], ['mermaid', mermaidProblems]] as const) {
      const graph = cloche(['graph', ws.hostile, '--format', format]);
      if (graph.status !== 0 && graph.status !== 1) { failures.push(`${what}: graph --format ${format} exited ${graph.status ?? graph.signal}: ${graph.stderr.slice(0, 300)}`); continue; }
      for (const p of problemsOf(graph.stdout)) failures.push(`${what}: ${format} export: ${p}`);
    }
  }
  const counts = [...tried].map(([c, k]) => `${c} ${k}`).join(', ');
  console.log(`adversarial cli: ${n} hostile inputs tried (${counts}) in ${SECONDS} s, seed ${SEED + 1}; ${failures.length} found; slowest check ${slowest} ms`);
  assert.deepEqual(failures, []);
});
