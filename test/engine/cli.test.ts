/**
 * The engine's CLI commands end to end with the real model: `cloche test examples/webserver`
 * (create, converge, idempotence, destroy), and the containers/image/doctor commands.
 * Run: node --import tsx --test test/engine/cli.test.ts
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import type { ConvergeReport } from '../../server/src/protocol';
import * as testCli from '../../server/src/cli/test';
import * as containersCli from '../../server/src/cli/containers';
import * as imageCli from '../../server/src/cli/image';
import * as doctorCli from '../../server/src/cli/doctor';
import { connectDocker, recorder, usable } from './helpers';

const WEBSERVER = join(__dirname, '..', '..', 'examples', 'webserver');

describe('engine CLI', () => {
  let docker: ContainerDriver | string | undefined;
  before(async () => { docker = await connectDocker(); });

  test('cloche test examples/webserver: converges through the model, idempotent, container destroyed', async (t) => {
    if (!usable(t, docker)) return;
    const rec = recorder();
    const code = await testCli.run([WEBSERVER, '--runtime', 'docker', '--format', 'json'], rec.io);
    const report = JSON.parse(rec.out()) as ConvergeReport;
    assert.equal(code, 0, `${rec.err()}\n${JSON.stringify(report.result)}\n${JSON.stringify(report.idempotence)}`);
    assert.deepEqual(report.result, { ok: true });
    assert.equal(report.idempotence?.idempotent, true);
    assert.ok(report.steps.some((s) => s.resource === 'package[nginx, curl]' && s.done === 'applied'));
    assert.match(report.target.platform, /^debian-12/);
    // Other sessions may create containers meanwhile: check this run's own container.
    assert.equal(await docker.isRunning(report.target.container), false, 'no container left behind');
    assert.ok(!(await docker.list()).some((c) => c.id === report.target.container));
  });

  test('cloche image build (already present), cloche containers list, cloche doctor', async (t) => {
    if (!usable(t, docker)) return;
    const img = recorder();
    assert.equal(await imageCli.run(['build', '--runtime', 'docker'], img.io), 0, img.err());
    assert.match(img.out(), /cloche\/debian:12: already present/);
    const list = recorder();
    assert.equal(await containersCli.run(['list', '--runtime', 'docker', '--format', 'json'], list.io), 0, list.err());
    assert.ok(Array.isArray(JSON.parse(list.out())));
    const bad = recorder();
    assert.equal(await containersCli.run(['destroy', '--runtime', 'docker'], bad.io), 2);
    assert.match(bad.err(), /name the containers to destroy, or pass --all/);
    const doc = recorder();
    assert.equal(await doctorCli.run([], doc.io), 0, doc.out());
    assert.match(doc.out(), /ok    docker /);
    assert.match(doc.out(), /Ready: cloche plan\/converge\/test can run\./);
  });
});
