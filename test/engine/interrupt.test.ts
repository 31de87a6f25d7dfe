/**
 * An interrupted converge (Ctrl-C, or the editor's Cancel = SIGTERM) through the built CLI: the
 * container is swept, no report claims a result, the exit code is 128+n.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDocker, usable } from './helpers';

const ROOT = join(__dirname, '../..');

test('SIGTERM mid-converge: no report line, exit 143, the container is gone', async (t) => {
  const docker = await connectDocker();
  if (!usable(t, docker)) return;
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'converge', join(ROOT, 'examples/webserver'), '--format', 'jsonl', '--runtime', 'docker'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const ours = () => spawnSync('docker', ['ps', '-a', '-q', '--filter', 'label=cloche.managed=true'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const before = ours();
  let stdout = '';
  let stderr = '';
  let container: string | undefined;
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => {
    stdout += String(d);
    // Once a step has started the container exists: interrupt then.
    if (!container && stdout.includes('"step-start"')) {
      container = ours().find((id) => !before.includes(id));
      child.kill('SIGTERM');
      resolve();
    }
  }));
  assert.equal(await exited, 143, stderr);
  assert.doesNotMatch(stdout, /"report"/, 'no report of a converge cut short');
  assert.ok(container, 'the converge had a container when it was interrupted');
  assert.ok(!ours().includes(container), 'and it is gone');
});

test('SIGTERM mid-plan: exit 143, says it was interrupted (not "killed, or out of memory?"), the container is gone', async (t) => {
  const docker = await connectDocker();
  if (!usable(t, docker)) return;
  const cb = mkdtempSync(join(tmpdir(), 'cloche-slowplan-'));
  mkdirSync(join(cb, 'recipes'));
  writeFileSync(join(cb, 'metadata.rb'), "name 'slowplan'\nversion '0.1.0'\n");
  writeFileSync(join(cb, 'recipes', 'default.rb'), "execute 'x' do\n  command 'true'\n  only_if 'sleep 8'\nend\n");
  const ours = () => spawnSync('docker', ['ps', '-a', '-q', '--filter', 'label=cloche.managed=true'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  const before = ours();
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'plan', cb, '--runtime', 'docker'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let container: string | undefined;
  // The probe sleeps in the guard for 8 s: interrupt once the container exists and the probe has begun.
  for (let i = 0; i < 100 && !container; i++) { await new Promise((r) => setTimeout(r, 100)); container = ours().find((id) => !before.includes(id)); }
  assert.ok(container, 'the plan made a container');
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGTERM');
  assert.equal(await exited, 143, stderr);
  assert.doesNotMatch(stderr, /killed, or out of memory/);
  assert.match(stderr, /interrupted \(SIGTERM\)/);
  assert.ok(!ours().includes(container), 'and it is gone');
});
