/**
 * Converge in a REAL container (docker, network host for the apt mirror), then the idempotence
 * re-plan on the same container, each provider's apply, and failure handling. nginx/curl are
 * installed once (the slow part) and the container is reused.
 * Run: node --import tsx --test test/engine/converge.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge, type ConvergeEvent } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { planInContainer } from '../../server/src/engine/plan';
import type { EngineInput } from '../../server/src/engine/types';
import { connectDocker, guard, IMAGE, input, notifies, res, targetOf, usable, webserverInput } from './helpers';

describe('converge and idempotence in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  const replan = async (d: ContainerDriver, inp: EngineInput) => {
    const started = Date.now();
    const plan = await planInContainer({ driver: d, container: id, input: inp, target: targetOf(id) });
    return { plan, verdict: judgeIdempotence(plan, Date.now() - started) };
  };

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'host', labels: { 'cloche.test': 'engine-converge' } });
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('the webserver converges: progress per resource, streamed output, few execs; nginx serves the page', async (t) => {
    if (!usable(t, docker)) return;
    const events: ConvergeEvent[] = [];
    const report = await converge({ driver: docker, container: id, input: webserverInput(), target: targetOf(id), onEvent: (e) => events.push(e) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.summary.failed, 0);
    assert.ok(report.summary.applied >= 20, `applied ${report.summary.applied}`);
    assert.ok(report.timings.roundTrips <= 10, `round trips ${report.timings.roundTrips}`);
    assert.ok(events.some((e) => e.kind === 'output' && e.resource === 'package[nginx, curl]' && /nginx/.test(e.chunk)), 'apt output is streamed');
    const ends = events.filter((e): e is Extract<ConvergeEvent, { kind: 'step-end' }> => e.kind === 'step-end').map((e) => `${e.step.resource}:${e.step.action}`);
    assert.deepEqual(ends, report.steps.filter((s) => s.done !== 'not-run' && !s.reason?.startsWith('custom resource')).map((s) => `${s.resource}:${s.action}`), 'one end event per step, in converge order');
    const served = await docker.exec(id, 'curl -fsS http://127.0.0.1:8080/ && stat -c %U:%G:%a /srv/webserver/htdocs /etc/cron.d/webserver-healthcheck && readlink /var/log/webserver', { timeoutMs: 20_000 });
    assert.match(served.stdout, /Served by nginx, configured by Chef\./);
    assert.match(served.stdout, /webserver:webserver:755\nroot:root:600\n\/var\/log\/nginx/);
    console.log(`converge figures: total ${report.timings.totalMs} ms, commands ${report.timings.commandMs} ms, overhead ${report.timings.overheadMs} ms ` +
      `(${((100 * report.timings.overheadMs) / report.timings.totalMs).toFixed(1)} %), ${report.timings.roundTrips} execs`);
  });

  test('idempotence: planning again changes nothing', async (t) => {
    if (!usable(t, docker)) return;
    const { plan, verdict } = await replan(docker, webserverInput());
    assert.deepEqual(verdict.offenders, []);
    assert.equal(verdict.idempotent, true);
    assert.equal(plan.steps.find((s) => s.resource === 'execute[record install time]')?.status, 'skipped');
    assert.equal(plan.steps.find((s) => s.resource === 'service[nginx]' && s.action === 'start')?.status, 'up-to-date');
    console.log(`idempotence re-plan: ${verdict.planMs} ms, ${plan.timings.roundTrips} exec`);
  });

  test('each provider applies, notifications fire, and the result is idempotent', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([
      res('file', '/etc/app.conf', { owner: 'webserver', mode: '0640' }, { actions: ['create'], notifies: [notifies('execute[notified]', ':run', 'immediately')] }),
      res('execute', 'notified', { command: 'echo run >> /tmp/notified' }, { actions: ['nothing'] }),
      res('group', 'adm', { members: ['webserver'], append: true }, { actions: ['create'] }),
      res('user', 'webserver', { shell: '/bin/sh', group: 'webserver', home: '/srv/webserver', system: true }, { actions: ['create'] }),
      res('link', '/var/log/webserver', {}, { actions: ['delete'] }),
      res('cron', 'webserver-job', { user: 'webserver', minute: '*/10', command: 'echo hi' }, { actions: ['create'] }),
      res('remote_file', '/opt/hostname.copy', { source: 'file:///etc/hostname', mode: '0644' }, { actions: ['create_if_missing'] }),
      res('bash', 'write marker', { code: 'echo "$GREETING from $(pwd) as $(id -un)" > /tmp/out.txt', cwd: '/srv/webserver', environment: { GREETING: 'hello' }, user: 'webserver', creates: '/tmp/out.txt' }, { actions: ['run'] }),
      res('systemd_unit', 'app.service', { content: { Unit: { Description: 'App' }, Service: { ExecStart: '/bin/true' } } }, { actions: ['create'] }),
      res('apt_repository', 'extras', { uri: 'http://deb.example.com/debian', distribution: 'bookworm', components: ['main'], cache_rebuild: false }, { actions: ['add'] }),
      res('log', 'done', { message: 'providers applied' }, { actions: ['write'] }),
    ], { 'file[/etc/app.conf]': 'key=value\n' });
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    const check = await docker.exec(id, [
      'stat -c %U:%a /etc/app.conf', 'cat /tmp/notified', 'getent group adm', 'getent passwd webserver | cut -d: -f7', 'test -e /var/log/webserver || echo nolink',
      'crontab -l -u webserver', 'test -s /opt/hostname.copy && echo copied', 'cat /tmp/out.txt', 'head -1 /etc/systemd/system/app.service', 'cat /etc/apt/sources.list.d/extras.list',
    ].join('; '), { timeoutMs: 20_000 });
    assert.equal(check.stdout, ['webserver:640', 'run', 'adm:x:4:webserver', '/bin/sh', 'nolink', '# Chef Name: webserver-job', '*/10 * * * * echo hi', 'copied',
      'hello from /srv/webserver as webserver', '[Unit]', 'deb      "http://deb.example.com/debian" bookworm main', ''].join('\n'), check.stderr);
    assert.equal(report.steps.find((s) => s.resource === 'log[done]')?.output, 'providers applied\n');
    const { verdict } = await replan(docker, inp);
    assert.deepEqual(verdict.offenders, [], JSON.stringify(verdict.offenders));
    assert.deepEqual(verdict.exempt, ['log[done] :write']);
  });

  test(':before notifications run their targets ahead of the notifying resource, which is applied against what they left', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([
      res('directory', '/opt/before', { mode: '0750' }, { actions: ['nothing'] }),
      res('execute', 'stop', { command: 'echo "stop $(test -e /opt/before/app.conf && echo late || echo early)" >> /tmp/before.log' }, { actions: ['nothing'] }),
      res('execute', 'after', { command: 'echo after >> /tmp/before.log' }, { actions: ['nothing'] }),
      res('file', '/opt/before/app.conf', {}, { actions: ['create'], notifies: [
        notifies('directory[/opt/before]', ':create', 'before'), notifies('execute[stop]', ':run', 'before'), notifies('execute[after]', ':run', 'immediately')] }),
    ], { 'file[/opt/before/app.conf]': 'ready\n' });
    const events: ConvergeEvent[] = [];
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id), onEvent: (e) => events.push(e) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    const applied = events.flatMap((e) => (e.kind === 'step-end' && e.step.done === 'applied' ? [`${e.step.resource}:${e.step.action}`] : []));
    assert.deepEqual(applied, ['directory[/opt/before]:create', 'execute[stop]:run', 'file[/opt/before/app.conf]:create', 'execute[after]:run']);
    const seen = await docker.exec(id, 'cat /tmp/before.log; stat -c %a /opt/before; cat /opt/before/app.conf', { timeoutMs: 10_000 });
    assert.equal(seen.stdout, 'stop early\nafter\n750\nready\n');
    // Converged: the why-run pass says no update, so no :before target runs again.
    const again = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(again.result, { ok: true });
    assert.deepEqual(again.steps.map((x) => `${x.resource}:${x.action}:${x.done}`),
      ['directory[/opt/before]:nothing:skipped', 'execute[stop]:nothing:skipped', 'execute[after]:nothing:skipped', 'file[/opt/before/app.conf]:create:up-to-date']);
    assert.equal((await docker.exec(id, 'cat /tmp/before.log', { timeoutMs: 10_000 })).stdout, 'stop early\nafter\n');
  });

  test('round trips: a guarded command probes in its own exec; re-probes read only what is still to plan (and notification targets)', async (t) => {
    if (!usable(t, docker)) return;
    const scripts: string[] = [];
    const real = docker;
    const spy = Object.create(real) as ContainerDriver;
    spy.exec = (cid, script, o) => { scripts.push(script); return real.exec(cid, script, o); };
    const events: ConvergeEvent[] = [];
    const inp = input([
      res('file', '/tmp/rt-notified', {}, { actions: ['nothing'] }),
      res('package', 'coreutils', {}, { actions: ['install'] }),
      res('execute', 'make dir', { command: 'mkdir -p /opt/rt' }, { actions: ['run'], guards: [guard('not_if', 'test -e /opt/rt/x')],
        notifies: [notifies('file[/tmp/rt-notified]', ':create', 'delayed')] }),
      res('file', '/opt/rt/x', {}, { actions: ['create'] }),
    ], { 'file[/opt/rt/x]': 'x\n', 'file[/tmp/rt-notified]': 'n\n' });
    const report = await converge({ driver: spy, container: id, input: inp, target: targetOf(id), onEvent: (e) => events.push(e) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.deepEqual(report.steps.map((x) => `${x.resource}:${x.action}:${x.done}`), ['file[/tmp/rt-notified]:nothing:skipped', 'package[coreutils]:install:up-to-date',
      'execute[make dir]:run:applied', 'file[/opt/rt/x]:create:applied', 'file[/tmp/rt-notified]:create:applied']);
    assert.ok(!events.some((e) => e.kind === 'reprobe'), 'the guarded step\'s exec already probed the machine again');
    assert.equal(report.timings.roundTrips, 3, 'probe; guarded command + probe; the two files');
    const reprobe = scripts[1].slice(scripts[1].indexOf(':probe'));
    assert.ok(reprobe.includes("'/opt/rt/x'") && reprobe.includes("'/tmp/rt-notified'"), 'what is still to plan, and the notification target');
    assert.ok(!reprobe.includes('dpkg-query'), 'not the package already converged');
  });

  test('ignore_failure, retries, and a failure that stops the run naming the resource and its line', async (t) => {
    if (!usable(t, docker)) return;
    const fatal = res('execute', 'fatal', { command: 'echo about to fail; exit 4' }, { actions: ['run'] });
    const report = await converge({ driver: docker, container: id, target: targetOf(id), input: input([
      res('execute', 'ignored', { command: 'echo oops >&2; exit 3', ignore_failure: true }, { actions: ['run'] }),
      res('execute', 'flaky', { command: 'test -e /tmp/flag || { touch /tmp/flag; exit 1; }', retries: 2, retry_delay: 0 }, { actions: ['run'] }),
      fatal,
      res('file', '/tmp/after', {}, { actions: ['create'] }),
    ]) });
    assert.equal(report.result.ok, false);
    assert.ok(!report.result.ok && report.result.resource === 'execute[fatal]');
    assert.ok(!report.result.ok && report.result.message.includes(`recipes/default.rb:${fatal.location.line}`), !report.result.ok ? report.result.message : '');
    assert.match(!report.result.ok ? report.result.message : '', /exit 4\nabout to fail/);
    const ignored = report.steps.find((s) => s.resource === 'execute[ignored]')!;
    assert.equal(ignored.done, 'ignored-failure');
    assert.match(ignored.output ?? '', /oops/);
    assert.equal(report.steps.find((s) => s.resource === 'execute[flaky]')?.attempts, 2);
    assert.ok(!report.steps.some((s) => s.resource === 'file[/tmp/after]' && s.done === 'applied'), 'nothing runs after the failure');
    assert.equal((await docker.exec(id, 'test -e /tmp/after && echo yes || echo no', { timeoutMs: 10_000 })).stdout, 'no\n');
  });
});
