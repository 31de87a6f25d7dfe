/**
 * An interrupted converge (Ctrl-C, or the editor's Cancel = SIGTERM) through the built CLI: the
 * container is swept, no report claims a result, the exit code is 128+n.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
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
