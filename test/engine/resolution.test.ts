/**
 * Cookbook resolution in engine runs, through the built CLI in a real container: a suite's
 * `test::default` is the repository's own `test` cookbook even with another repository's `test`
 * beside it, and a dependency nothing satisfies stops the run with its place (exit 2, no container left).
 * Run: npm run build && node --import tsx --test test/engine/resolution.test.ts
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import type { Plan } from '../../server/src/protocol';
import { connectDocker, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const WS = join(ROOT, 'test', 'fixtures', 'resolution', 'ws');
const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 180_000, cwd: WS });

let docker: ContainerDriver | string | undefined;
before(async () => { docker = await connectDocker(); });

test("cloche plan --suite: repository two's own test cookbook, with repository one's beside it", async (t) => {
  if (!usable(t, docker)) return;
  const r = cli(['plan', 'app_two', '--suite', 'default', '--runtime', 'docker', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const plan = JSON.parse(r.stdout) as Plan;
  const resources = plan.steps.map((s) => s.resource);
  assert.ok(resources.includes('file[/tmp/only-in-repository-two]'), resources.join(' '));
  assert.ok(resources.includes('file[/tmp/thing-two]'), 'app_two with the shared_lib release it asks for');
  assert.ok(!resources.includes('file[/tmp/only-in-repository-one]'));
  assert.equal(plan.target.suite, 'default');
});

test('cloche plan of a cookbook whose dependency nothing satisfies: exit 2 with file:line, no container left', async (t) => {
  if (!usable(t, docker)) return;
  const before = (await docker.list()).length;
  const r = cli(['plan', 'needs_newer', '--runtime', 'docker', '--format', 'json']);
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /needs_newer\/metadata\.rb:3: No cookbook 'shared_lib' in the workspace satisfies '~> 9\.0'/);
  assert.equal((await docker.list()).length, before, 'the throwaway container is removed');
});
