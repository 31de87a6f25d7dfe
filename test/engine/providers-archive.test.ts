/**
 * archive_file in a REAL container (docker, bridge network for Debian's mirror): plan, converge,
 * then the idempotence re-plan; overwrite :auto compares the archive's entries with the disk as
 * Chef does; a .tar.xz needs xz (unknown without it, an assumption when an earlier package step
 * installs it); zip with strip_components; an entry leading outside the destination is refused.
 * The archives are made in the container during setup (no binary fixture).
 * Run: node --import tsx --test test/engine/providers-archive.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { planInContainer } from '../../server/src/engine/plan';
import type { EngineInput } from '../../server/src/engine/types';
import { connectDocker, IMAGE, input, res, shOk, stepOf, targetOf, usable } from './helpers';

describe('archive_file in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  const sh = (d: ContainerDriver, script: string) => shOk(d, id, script);
  const plan = (d: ContainerDriver, inp: EngineInput) => planInContainer({ driver: d, container: id, input: inp, target: targetOf(id) });

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-archive' } });
    await sh(docker, [
      'set -e', 'mkdir -p /tmp/src/app-1.0/bin /srv',
      'echo "#!/bin/sh" > /tmp/src/app-1.0/bin/run', 'chmod 755 /tmp/src/app-1.0/bin/run', 'echo readme > /tmp/src/app-1.0/README',
      'touch -d "2020-01-02 03:04:05" /tmp/src/app-1.0/README',
      'tar -C /tmp/src -czf /srv/app.tar.gz .',
      // An .xz file by its first bytes (the base image has no xz to make a real one).
      "printf '\\375\\067\\172\\130\\132\\000rest' > /srv/fake.tar.xz",
      'mkdir -p /tmp/evil && echo x > /tmp/evil/f && tar -C /tmp/evil -cf /srv/evil.tar --transform "s,^,../," f 2>/dev/null',
    ].join('\n'));
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('a tar.gz: plan creates and extracts, converge extracts, the re-plan is up to date; a touched entry (overwrite :auto) extracts again', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([res('archive_file', '/srv/app.tar.gz', { destination: '/opt/app/current', strip_components: 1, overwrite: ':auto', mode: '750' }, { actions: ['extract'] })]);
    const first = stepOf((await plan(docker, inp)).steps, 'archive_file[/srv/app.tar.gz]');
    assert.equal(first.status, 'change', JSON.stringify(first));
    assert.deepEqual(first.changes.map((c) => c.message), ['would create directory /opt/app/current (mode 0750)', 'would extract /srv/app.tar.gz into /opt/app/current']);

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.steps[0].done, 'applied');
    // strip_components 1 drops the leading ./ (a component, as in GNU tar and libarchive); mtimes kept (:time); mkdir_p's mode on each directory it made.
    const out = await sh(docker, 'cat /opt/app/current/app-1.0/README; stat -c "%a %Y" /opt/app /opt/app/current /opt/app/current/app-1.0/README; test -x /opt/app/current/app-1.0/bin/run && echo exec');
    assert.match(out, /^readme\n750 \d+\n750 \d+\n644 1577934245\nexec\n$/);

    const again = await plan(docker, inp);
    const verdict = judgeIdempotence(again, 0);
    assert.equal(verdict.idempotent, true, JSON.stringify(verdict.offenders));
    assert.match(stepOf(again.steps, 'archive_file[/srv/app.tar.gz]').reason ?? '', /every entry of \/srv\/app\.tar\.gz is in \/opt\/app\/current with the archive's mtime/);

    await sh(docker, 'touch /opt/app/current/app-1.0/README');
    const touched = stepOf((await plan(docker, inp)).steps, 'archive_file[/srv/app.tar.gz]');
    assert.equal(touched.status, 'change');
    assert.match(touched.changes[0].message ?? '', /app-1\.0\/README has another mtime \(overwrite :auto\)/);
    const fixed = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(fixed.result, { ok: true });
    assert.match(await sh(docker, 'stat -c %Y /opt/app/current/app-1.0/README'), /^1577934245\n$/);
  });

  test('overwrite false leaves an existing destination alone; owner is set on every run, as Chef reports it', async (t) => {
    if (!usable(t, docker)) return;
    await sh(docker, 'mkdir -p /opt/kept && echo mine > /opt/kept/README');
    const kept = input([res('archive_file', '/srv/app.tar.gz', { destination: '/opt/kept' }, { actions: ['extract'] })]);
    const s = stepOf((await plan(docker, kept)).steps, 'archive_file[/srv/app.tar.gz]');
    assert.equal(s.status, 'up-to-date');
    assert.match(s.reason ?? '', /\/opt\/kept exists and overwrite is false/);

    const owned = input([res('archive_file', '/srv/app.tar.gz', { destination: '/opt/owned', owner: 'nobody', group: 'nogroup' }, { actions: ['extract'] })]);
    const report = await converge({ driver: docker, container: id, input: owned, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.match(await sh(docker, 'stat -c %U:%G /opt/owned/app-1.0/bin/run /opt/owned/app-1.0'), /^nobody:nogroup\nnobody:nogroup\n$/);
    const again = stepOf((await plan(docker, owned)).steps, 'archive_file[/srv/app.tar.gz]');
    assert.equal(again.status, 'change');
    assert.deepEqual(again.changes.map((c) => c.property), ['owner']);
    assert.match(again.changes[0].message ?? '', /Chef does it on every run/);
  });

  test('a missing archive fails as in Chef; an archive that is not one fails; a .tar.xz without xz is unknown, naming the package', async (t) => {
    if (!usable(t, docker)) return;
    const steps = (await plan(docker, input([
      res('archive_file', '/srv/none.tgz', { destination: '/opt/none' }, { actions: ['extract'] }),
      res('archive_file', '/etc/hostname', { destination: '/opt/host' }, { actions: ['extract'] }),
      res('archive_file', '/srv/fake.tar.xz', { destination: '/opt/xz' }, { actions: ['extract'] }),
    ]))).steps;
    assert.equal(stepOf(steps, 'archive_file[/srv/none.tgz]').status, 'failed');
    assert.match(stepOf(steps, 'archive_file[/srv/none.tgz]').reason ?? '', /No archive found at \/srv\/none\.tgz! Cannot continue\./);
    assert.equal(stepOf(steps, 'archive_file[/etc/hostname]').status, 'failed');
    const xz = stepOf(steps, 'archive_file[/srv/fake.tar.xz]');
    assert.equal(xz.status, 'unknown');
    assert.match(xz.reason ?? '', /needs xz: xz is not installed in the container \(install package 'xz-utils' earlier in the run/);
  });

  test('a .tar.xz and a .zip made earlier in the run, with their tools installed earlier: assumptions, then extracted for real', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([
      res('apt_update', 'lists', {}, { actions: ['update'] }),
      res('package', 'xz-utils, unzip, zip', { package_name: ['xz-utils', 'unzip', 'zip'] }, { actions: ['install'] }),
      res('execute', 'make archives', { command: 'tar -C /tmp/src -cJf /srv/made.tar.xz app-1.0 && cd /tmp/src && zip -qr /srv/made.zip app-1.0', creates: '/srv/made.zip' }, { actions: ['run'] }),
      res('archive_file', '/srv/made.tar.xz', { destination: '/opt/xz' }, { actions: ['extract'] }),
      res('archive_file', '/srv/made.zip', { destination: '/opt/zip', strip_components: 1 }, { actions: ['extract'] }),
    ]);
    const planned = (await plan(docker, inp)).steps;
    const xz = stepOf(planned, 'archive_file[/srv/made.tar.xz]');
    assert.equal(xz.status, 'change', JSON.stringify(xz));
    assert.ok(xz.assumptions?.some((a) => /assuming \/srv\/made\.tar\.xz is created by/.test(a)), JSON.stringify(xz.assumptions));
    assert.ok(xz.assumptions?.some((a) => /xz is installed by package\[xz-utils, unzip, zip\] earlier in this run \(package xz-utils\)/.test(a)), JSON.stringify(xz.assumptions));
    assert.ok(stepOf(planned, 'archive_file[/srv/made.zip]').assumptions?.some((a) => /unzip is installed by/.test(a)));

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.verdict, 'converged', JSON.stringify(report.notApplied));
    assert.match(await sh(docker, 'cat /opt/xz/app-1.0/README /opt/zip/README; test -x /opt/zip/bin/run && echo exec'), /^readme\nreadme\nexec\n$/);
    const again = await plan(docker, inp);
    assert.equal(stepOf(again.steps, 'archive_file[/srv/made.tar.xz]').status, 'up-to-date');
    assert.equal(stepOf(again.steps, 'archive_file[/srv/made.zip]').status, 'up-to-date');
  });

  test('an entry that leads outside the destination is refused, as Chef refuses it', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([res('archive_file', '/srv/evil.tar', { destination: '/opt/evil' }, { actions: ['extract'] })]);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(report.result.ok, false);
    assert.match(report.steps[0].reason ?? '', /Refusing to extract archive entry \.\.\/f: it resolves outside the destination \(a path traversal\), as Chef refuses it/);
    assert.match(await sh(docker, 'ls /opt/ /opt/evil | tr "\\n" " "; test -e /opt/f && echo escaped || echo contained'), /contained/);
  });
});
