/**
 * kitchen.yml suites × platforms: reading (images, attributes, includes), choosing, and the CLI
 * contracts the editor relies on, through the built `dist/cli.js` in a real container:
 * `cloche kitchen --format json`, `cloche test --suite --kitchen-platform --format jsonl`
 * (suite attributes at normal precedence), `cloche plan --with-content`.
 * Run: npm run build && node --import tsx --test test/engine/kitchen.test.ts
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { chooseKitchen, KitchenChoiceError, KitchenError, readKitchen } from '../../server/src/engine/kitchen';
import type { ConvergeReport, ConvergeStreamLine, Plan } from '../../server/src/protocol';
import { connectDocker, IMAGE, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FX = join(__dirname, 'fixtures', 'kitchen_fx');

/** Runs the built CLI as the editor does (a child process); stdout, stderr and the exit code. */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kitchen file: reading and choosing', () => {
  test('images from the platform driver, driver_config, the top-level driver, or the default; attributes and includes', () => {
    const k = readKitchen(FX, 'default/image:1')!;
    assert.equal(k.file, join(FX, 'kitchen.yml'));
    assert.deepEqual(k.platforms.map((p) => [p.name, p.image, p.imageFrom]), [
      ['deb', 'cloche/debian:12', 'platform'], ['ghost', 'cloche/does-not-exist:0', 'platform'], ['plain', 'default/image:1', 'default']]);
    assert.deepEqual(k.suites.map((s) => [s.name, s.runList, s.includes]), [
      ['default', ['recipe[kitchen_fx::default]'], undefined], ['custom', ['recipe[kitchen_fx::other]', 'recipe[kitchen_fx]'], undefined],
      ['only-ghost', ['recipe[kitchen_fx]'], ['ghost']]]);
    const dir = mkdtempSync(join(tmpdir(), 'cloche-kitchen-'));
    writeFileSync(join(dir, '.kitchen.yml'), 'driver:\n  image: top/level:2\nplatforms:\n  - name: a\n  - name: b\n    driver:\n      image: own/b:1\nsuites: []\n');
    assert.deepEqual(readKitchen(dir, 'x')!.platforms.map((p) => [p.name, p.image, p.imageFrom]), [['a', 'top/level:2', 'driver'], ['b', 'own/b:1', 'platform']]);
    writeFileSync(join(dir, '.kitchen.yml'), 'platforms: [\n');
    assert.throws(() => readKitchen(dir, 'x'), KitchenError);
    assert.equal(readKitchen(join(dir, 'nothing-here'), 'x'), undefined);
  });

  test('a suite × platform gives the run list, the image and the merged attributes; unknown names list the known ones', () => {
    const k = readKitchen(FX, IMAGE);
    const c = chooseKitchen(k, { suite: 'custom', platform: 'deb' });
    assert.deepEqual(c.runList, ['recipe[kitchen_fx::other]', 'recipe[kitchen_fx]'], 'as written: roles and versions are expanded by the run setup');
    assert.equal(c.image, 'cloche/debian:12');
    assert.deepEqual(c.attributes, { kitchen_fx: { who: 'platform', greeting: 'bonjour' } });
    assert.equal(chooseKitchen(k, { suite: 'only-ghost' }).platform?.name, 'ghost', "the suite's first platform");
    assert.equal(chooseKitchen(k, {}).image, 'cloche/debian:12', 'no choice: the first platform, as before');
    assert.throws(() => chooseKitchen(k, { suite: 'nope' }), (e: Error) => e instanceof KitchenChoiceError && /unknown suite 'nope' in kitchen\.yml; known suites: default, custom, only-ghost/.test(e.message));
    assert.throws(() => chooseKitchen(k, { platform: 'nope' }), /unknown kitchen platform 'nope' in kitchen\.yml; known platforms: deb, ghost, plain/);
    assert.throws(() => chooseKitchen(k, { suite: 'only-ghost', platform: 'deb' }), /suite 'only-ghost' does not run on platform 'deb'.*it runs on: ghost/);
    assert.throws(() => chooseKitchen(undefined, { suite: 'x', cookbook: '/cb' }), /--suite x needs a kitchen file/);
  });
});

describe('kitchen CLI contracts (dist/cli.js, real docker)', () => {
  let docker: ContainerDriver | string | undefined;
  before(async () => { docker = await connectDocker(); });

  test('cloche kitchen --format json lists suites × platforms; no kitchen file is exit 2', () => {
    const r = cli(['kitchen', join(FX, 'recipes', 'other.rb'), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const k = JSON.parse(r.stdout) as { suites: { name: string; runList: string[] }[]; platforms: { name: string; image: string }[] };
    assert.deepEqual(k.suites.map((s) => s.name), ['default', 'custom', 'only-ghost']);
    assert.deepEqual(k.suites[1].runList, ['recipe[kitchen_fx::other]', 'recipe[kitchen_fx]']);
    assert.deepEqual(k.platforms.map((p) => `${p.name}=${p.image}`), ['deb=cloche/debian:12', 'ghost=cloche/does-not-exist:0', 'plain=cloche/debian:12']);
    const none = cli(['kitchen', join(ROOT, 'test', 'fixtures'), '--format', 'json']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no kitchen file/);
  });

  test('cloche test --suite --kitchen-platform --format jsonl: events, idempotence-start, report; suite attributes applied; container gone', async (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['test', FX, '--suite', 'custom', '--kitchen-platform', 'deb', '--runtime', 'docker', '--network', 'none', '--format', 'jsonl']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\n'));
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as ConvergeStreamLine);
    const kinds = lines.map((l) => ('event' in l ? `event:${l.event.kind}` : Object.keys(l)[0]));
    assert.equal(kinds[kinds.length - 1], 'report');
    assert.equal(kinds[kinds.length - 2], 'idempotence-start');
    assert.ok(kinds.slice(0, -2).every((k) => k.startsWith('event:')), kinds.join(' '));
    const report = (lines[lines.length - 1] as { report: ConvergeReport }).report;
    assert.deepEqual(report.result, { ok: true });
    assert.equal(report.idempotence?.idempotent, true);
    assert.equal(report.target.suite, 'custom');
    assert.equal(report.target.kitchenPlatform, 'deb');
    const ends = lines.flatMap((l) => ('event' in l && l.event.kind === 'step-end' ? [l.event.step] : []));
    const starts = lines.flatMap((l) => ('event' in l && l.event.kind === 'step-start' ? [l.event.step.resource] : []));
    assert.deepEqual(ends.map((s) => `${s.resource}:${s.done}`),
      ['file[/etc/kitchen_fx_other.conf]:applied', 'file[/etc/kitchen_fx_secret.conf]:applied', 'file[/etc/kitchen_fx.conf]:applied'], 'the suite run list, in order');
    assert.deepEqual(starts, ends.map((s) => s.resource));
    // Suite attributes (greeting) over the platform's (who) over the cookbook's defaults.
    assert.match(ends[0].diff ?? '', /^\+other bonjour$/m);
    assert.match(ends[2].diff ?? '', /^\+greeting=bonjour who=platform$/m);
    assert.equal(await docker.isRunning(report.target.container), false, 'the test container is destroyed');
  });

  test('the image comes from the kitchen platform; a suite on a platform it excludes is a usage error', async (t) => {
    if (!usable(t, docker)) return;
    const ghost = cli(['test', FX, '--kitchen-platform', 'ghost', '--runtime', 'docker', '--format', 'jsonl']);
    assert.equal(ghost.code, 2);
    assert.equal(ghost.stdout, '');
    assert.match(ghost.stderr, /Image cloche\/does-not-exist:0 \(from kitchen\.yml platform 'ghost'\) is not available to docker/);
    const excluded = cli(['test', FX, '--suite', 'only-ghost', '--kitchen-platform', 'deb', '--format', 'jsonl']);
    assert.equal(excluded.code, 2);
    assert.match(excluded.stderr, /suite 'only-ghost' does not run on platform 'deb'/);
    const unknown = cli(['test', FX, '--suite', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /known suites: default, custom, only-ghost/);
  });

  test('cloche plan --with-content: before and after of changed, non-sensitive files; nothing without the flag', async (t) => {
    if (!usable(t, docker)) return;
    const id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-kitchen' } });
    try {
      await docker.exec(id, "printf 'old\\n' > /etc/kitchen_fx_other.conf", { timeoutMs: 10_000 });
      const changed = await docker.diff(id);
      const r = cli(['plan', FX, '--suite', 'custom', '--container', id, '--runtime', 'docker', '--format', 'json', '--with-content']);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout) as Plan;
      const step = (res: string) => plan.steps.find((s) => s.resource === res)!;
      assert.deepEqual(step('file[/etc/kitchen_fx_other.conf]').content, { path: '/etc/kitchen_fx_other.conf', before: 'old\n', after: 'other bonjour\n' });
      assert.deepEqual(step('file[/etc/kitchen_fx.conf]').content, { path: '/etc/kitchen_fx.conf', before: null, after: 'greeting=bonjour who=world\n' },
        'with --container no kitchen platform applies, so its attributes do not either');
      assert.equal(step('file[/etc/kitchen_fx_secret.conf]').status, 'change');
      assert.equal(step('file[/etc/kitchen_fx_secret.conf]').content, undefined, 'sensitive');
      assert.ok(!r.stdout.includes('token=bonjour'));
      const plain = cli(['plan', FX, '--suite', 'custom', '--container', id, '--runtime', 'docker', '--format', 'json']);
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok((JSON.parse(plain.stdout) as Plan).steps.every((s) => s.content === undefined));
      assert.deepEqual(await docker.diff(id), changed, 'the plans changed nothing');
    } finally {
      await docker.destroy(id);
    }
  });

  test('cloche plan --suite of a suite that runs its Policyfile\'s named run list, with the policy\'s and the suite\'s attributes', async (t) => {
    if (!usable(t, docker)) return;
    const id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-kitchen' } });
    try {
      const r = cli(['plan', join(ROOT, 'test/fixtures/runs/policy_app'), '--suite', 'tls', '--container', id, '--runtime', 'docker', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout) as Plan;
      assert.deepEqual(plan.steps.map((s) => `${s.resource}:${s.status}`), [
        'directory[/etc/policy_app]:change', 'file[/etc/policy_app/port-8443]:change', 'file[/etc/policy_app/mode]:change', 'file[/etc/policy_app/workers-3]:change',
        'file[/etc/policy_app/policy-policy_app]:change', 'file[/etc/policy_app/tls]:change']);
      assert.equal(plan.target.suite, 'tls');
    } finally {
      await docker.destroy(id);
    }
  });
});
