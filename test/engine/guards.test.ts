/**
 * Guards against a REAL container, as Chef runs them: a block guard made of file tests is asked of
 * the container (plan and converge), a slow command guard gets Chef's timeout at converge while the
 * plan's probe stays bounded and names the guard it gave up on, and a step a guard skips when it
 * runs leaves the next step to plan on the real machine.
 * Run: node --import tsx --test test/engine/guards.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { planInContainer } from '../../server/src/engine/plan';
import { GUARD_TIMEOUT_SEC } from '../../server/src/engine/probeScript';
import type { GraphGuard } from '../../server/src/protocol';
import { connectDocker, guard, IMAGE, input, res, targetOf, usable } from './helpers';

const fileTest = (kind: 'only_if' | 'not_if', path: string): GraphGuard => ({
  kind, form: 'block', unknownReason: `File.exist?(${path}) depends on the machine Chef runs on`, test: `test -e '${path}'`,
  source: `${kind} { ::File.exist?('${path}') }`, location: { file: 'recipes/default.rb', line: 1, column: 1 },
});

describe('guards in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-guards' } });
  });
  after(async () => { if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId }); });

  test('a file-test block guard is answered by the container: a service that is not installed is not stopped', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([
      res('execute', 'stop exim4', { command: 'echo stopping >> /tmp/exim4_stopped' }, { actions: ['run'], guards: [fileTest('only_if', '/etc/init.d/exim4')] }),
      res('execute', 'first boot', { command: 'touch /tmp/first_boot_done' }, { actions: ['run'], guards: [fileTest('not_if', '/tmp/first_boot_done')] }),
    ]);
    const plan = await planInContainer({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(plan.steps.map((s) => s.status), ['skipped', 'change']);
    assert.match(plan.steps[0].reason ?? '', /only_if `\{ ::File.exist\?\('\/etc\/init.d\/exim4'\) \}` is false/);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(report.verdict, 'converged');
    assert.deepEqual(report.steps.map((s) => s.done), ['skipped', 'applied']);
    const left = await docker.exec(id, 'test -e /tmp/exim4_stopped; echo $?; test -e /tmp/first_boot_done; echo $?', { timeoutMs: 10_000 });
    assert.equal(left.stdout, '1\n0\n');
    const again = await planInContainer({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(again.steps.map((s) => s.status), ['skipped', 'skipped']);
  });

  test(`a guard slower than the probe's ${GUARD_TIMEOUT_SEC} s is named unknown by the plan, and run with Chef's timeout by the converge`, async (t) => {
    if (!usable(t, docker)) return;
    const slow = guard('only_if', `sleep ${GUARD_TIMEOUT_SEC + 2}; true`);
    const inp = input([res('execute', 'after slow guard', { command: 'touch /tmp/slow_guard_ran' }, { actions: ['run'], guards: [slow] })]);
    const plan = await planInContainer({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(plan.steps[0].status, 'unknown');
    assert.match(plan.steps[0].reason ?? '', new RegExp(`only_if \`sleep ${GUARD_TIMEOUT_SEC + 2}; true\` did not answer the plan's probe within ${GUARD_TIMEOUT_SEC} s \\(Chef would wait up to 600 s`));
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(report.verdict, 'converged', JSON.stringify(report.steps));
    assert.equal(report.steps[0].done, 'applied');
    assert.ok(report.steps[0].durationMs >= (GUARD_TIMEOUT_SEC + 2) * 1000, `the guard ran to its end (${report.steps[0].durationMs} ms)`);
    assert.match((report.steps[0].assumptions ?? []).join('\n'), /decided when the step runs \(Chef's timeout, 600 s\)/);
    assert.equal((await docker.exec(id, 'test -e /tmp/slow_guard_ran; echo $?', { timeoutMs: 10_000 })).stdout, '0\n');
  });

  test('a guard that times out is false, as in Chef: its only_if step is skipped, its not_if step runs', async (t) => {
    if (!usable(t, docker)) return;
    const timed = (kind: 'only_if' | 'not_if'): GraphGuard => ({ ...guard(kind, 'sleep 30'), timeout: 1 });
    const inp = input([
      res('execute', 'only', { command: 'touch /tmp/only_ran' }, { actions: ['run'], guards: [timed('only_if')] }),
      res('execute', 'not', { command: 'touch /tmp/not_ran' }, { actions: ['run'], guards: [timed('not_if')] }),
    ]);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.steps.map((s) => s.done), ['skipped', 'applied'], JSON.stringify(report.steps.map((s) => s.reason)));
    assert.equal((await docker.exec(id, 'test -e /tmp/only_ran; echo $?; test -e /tmp/not_ran; echo $?', { timeoutMs: 10_000 })).stdout, '1\n0\n');
  });

  test('what a step that was not applied would have made stays unknown after the converge probes the machine again: a file in its directory is not applied, not failed', async (t) => {
    if (!usable(t, docker)) return;
    const undecided: GraphGuard = { kind: 'only_if', form: 'block', unknownReason: '`shell_out` runs a command on the machine', source: 'only_if { shell_out("x").stdout == "y" }', location: { file: 'recipes/default.rb', line: 1, column: 1 } };
    const inp = input([
      res('directory', '/srv/maybe', {}, { actions: ['create'], guards: [undecided] }),
      // An opaque step: the converge probes the machine again after it.
      res('execute', 'opaque', { command: 'true' }, { actions: ['run'] }),
      res('file', '/srv/maybe/conf', {}, { actions: ['create'] }),
    ], { 'file[/srv/maybe/conf]': 'x\n' });
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.steps.map((s) => s.done), ['not-applied', 'applied', 'not-applied'], JSON.stringify(report.steps.map((s) => s.reason)));
    assert.equal(report.verdict, 'incomplete');
    assert.match(report.steps[2].reason ?? '', /directory\[\/srv\/maybe\] may change it/);
  });
});
