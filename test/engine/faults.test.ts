/**
 * Faults: no runtime, missing image, missing container, a hung command, a container killed
 * mid-converge, garbage from the probe. Each gives a clear report (exit 2 with what to do for
 * environment problems) and leaves no container behind.
 * Run: node --import tsx --test test/engine/faults.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerDriver, ExecResult } from '../../server/src/containers/driver';
import { run as runProcess } from '../../server/src/containers/process';
import { converge } from '../../server/src/engine/converge';
import { engineInputToJson } from '../../server/src/engine/input';
import { planInContainer } from '../../server/src/engine/plan';
import * as planCli from '../../server/src/cli/plan';
import * as convergeCli from '../../server/src/cli/converge';
import { connectDocker, IMAGE, input, recorder, res, targetOf, usable, webserverInput } from './helpers';

/** Writes an engine input to a temp file for the CLI. */
function inputFile(inp = webserverInput()): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cloche-faults-')), 'input.json');
  writeFileSync(file, JSON.stringify(engineInputToJson(inp)));
  return file;
}

describe('faults', () => {
  let docker: ContainerDriver | string | undefined;
  const ids = async (d: ContainerDriver): Promise<string[]> => (await d.list()).map((c) => c.id).sort();

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'object') docker.cleanupOnExit();
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('no runtime (docker pointed at a dead daemon): exit 2 with what to do', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    try {
      const rec = recorder();
      assert.equal(await planCli.run([inputFile(), '--runtime', 'docker'], rec.io), 2);
      assert.match(rec.err(), /docker is unreachable: the daemon at DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 did not answer .*unset DOCKER_HOST/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
    }
  });

  test('image missing, container missing: exit 2 with what to do', async (t) => {
    if (!usable(t, docker)) return;
    const a = recorder();
    assert.equal(await planCli.run([inputFile(), '--runtime', 'docker', '--image', 'cloche/no-such-image:1'], a.io), 2);
    assert.match(a.err(), /Image cloche\/no-such-image:1 is not available to docker: pull or build it/);
    const b = recorder();
    assert.equal(await planCli.run([inputFile(), '--runtime', 'docker', '--container', 'cloche-no-such-container'], b.io), 2);
    assert.match(b.err(), /Container cloche-no-such-container does not exist/);
    const c = recorder();
    assert.equal(await planCli.run([], c.io), 2);
    assert.match(c.err(), /exactly one PATH/);
  });

  test('a hung command is killed by its timeout: clear report with the line, exit 1, no leaked container', async (t) => {
    if (!usable(t, docker)) return;
    const before = await ids(docker);
    const hung = res('execute', 'hang', { command: 'sleep 600', timeout: 2 }, { actions: ['run'] });
    const rec = recorder();
    const started = Date.now();
    const code = await convergeCli.run([inputFile(input([hung])), '--runtime', 'docker', '--format', 'json'], rec.io);
    assert.equal(code, 1, rec.err());
    assert.ok(Date.now() - started < 30_000, 'did not wait for the sleep');
    const report = JSON.parse(rec.out());
    assert.equal(report.result.resource, 'execute[hang]');
    assert.match(report.result.message, new RegExp(`recipes/default\\.rb:${hung.location.line}.*timed out after 2 s`));
    assert.deepEqual(await ids(docker), before, 'the converge container was destroyed');
  });

  test('a container killed mid-converge: the report names the step; the container is removed', async (t) => {
    if (!usable(t, docker)) return;
    const d = docker;
    const id = await d.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-kill' } });
    const slow = res('execute', 'slow', { command: 'sleep 30' }, { actions: ['run'] });
    const report = await converge({
      driver: d, container: id, target: targetOf(id), input: input([res('file', '/tmp/first', {}, { actions: ['create'] }), slow]),
      onEvent: (e) => { if (e.kind === 'step-start' && e.step.resource === 'execute[slow]') void runProcess('docker', ['kill', id], { timeoutMs: 20_000 }); },
    });
    assert.equal(report.result.ok, false);
    assert.ok(!report.result.ok && report.result.resource === 'execute[slow]', JSON.stringify(report.result));
    assert.match(!report.result.ok ? report.result.message : '', /stopped while the script ran/);
    assert.equal(report.steps.find((s) => s.resource === 'execute[slow]')?.done, 'failed');
    await d.destroy(id);
    assert.ok(!(await ids(d)).includes(id));
  });

  test('garbage from the probe: steps are unknown with the reason, warnings say so, nothing throws', async () => {
    const garbage: ExecResult = { code: 0, stdout: '\u0000\u00ff\n@@notours 0 stat x\nSegmentation fault\n', stderr: '', timedOut: false, aborted: false, durationMs: 1 };
    const fake = { exec: async () => garbage } as unknown as ContainerDriver;
    const plan = await planInContainer({ driver: fake, container: 'fake', input: webserverInput(), target: targetOf('fake') });
    assert.ok(plan.steps.length > 10);
    const notification = plan.steps.filter((s) => !s.notifiedBy && !plan.steps.some((c) => c.parent === s.resource));
    assert.ok(notification.every((s) => s.status === 'unknown'), plan.steps.filter((s) => s.status !== 'unknown').map((s) => `${s.resource} ${s.status}`).join(', '));
    assert.match(plan.steps[0].reason ?? '', /missing or garbled/);
    assert.match(plan.warnings?.join() ?? '', /probe records were missing or garbled/);
  });
});
