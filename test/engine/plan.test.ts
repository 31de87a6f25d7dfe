/**
 * Plans against a REAL container (docker, network none): the expected changes on a fresh
 * container, each provider's probe against prepared state, one exec, and no trace (docker diff).
 * Run: node --import tsx --test test/engine/plan.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { planInContainer } from '../../server/src/engine/plan';
import { engineInputToJson } from '../../server/src/engine/input';
import * as planCli from '../../server/src/cli/plan';
import type { Plan, PlanStep } from '../../server/src/protocol';
import { connectDocker, guard, IMAGE, input, recorder, res, targetOf, usable, webserverInput } from './helpers';

const step = (plan: Plan, id: string, action?: string): PlanStep => {
  const s = plan.steps.find((x) => x.resource === id && (!action || x.action === action));
  assert.ok(s, `no step for ${id}`);
  return s;
};
/** docker diff lists paths in no stable order: compare as sorted lines. */
const sorted = (d: { kind: string; path: string }[]): string[] => d.map((e) => `${e.kind} ${e.path}`).sort();
const messages = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');

describe('plan against a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-plan' } });
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('fresh container: the webserver plan lists the expected changes, in one exec, and leaves no trace', async (t) => {
    if (!usable(t, docker)) return;
    const before = sorted(await docker.diff(id));
    const plan = await planInContainer({ driver: docker, container: id, input: webserverInput(), target: targetOf(id) });
    assert.deepEqual(sorted(await docker.diff(id)), before, 'docker diff unchanged by the plan');
    assert.equal(plan.timings.roundTrips, 1);
    assert.match(messages(step(plan, 'package[nginx, curl]')), /would install nginx 1\.22\.\S+[\s\S]*would install curl /);
    assert.match(messages(step(plan, 'apt_update[webserver]')), /would run apt-get update \(never updated\)/);
    assert.match(messages(step(plan, 'group[webserver]')), /would create system group webserver/);
    assert.match(messages(step(plan, 'user[webserver]')), /would create system user webserver/);
    assert.match(step(plan, 'directory[/srv/webserver/htdocs]').reason ?? '', /parent \/srv\/webserver is created earlier by directory\[\/srv\/webserver\]/);
    assert.match(step(plan, 'template[/etc/nginx/conf.d/webserver.conf]').diff ?? '', /\+    listen 8080;/);
    assert.match(step(plan, 'template[/etc/nginx/conf.d/webserver.conf]').assumptions?.join() ?? '', /created by package\[nginx, curl\]/);
    assert.equal(messages(step(plan, 'link[/var/log/webserver]')), 'would create link /var/log/webserver → /var/log/nginx');
    assert.match(step(plan, 'cron_d[webserver-healthcheck]').diff ?? '', /\*\/5 \* \* \* \* webserver curl/);
    assert.match(messages(step(plan, 'execute[record install time]')), /would run `date -u/);
    assert.equal(step(plan, 'service[nginx]', 'start').status, 'change');
    assert.match(step(plan, 'service[nginx]', 'start').assumptions?.join() ?? '', /no init system \(PID 1 is sh\)/);
    const reload = step(plan, 'service[nginx]', 'reload');
    assert.deepEqual(reload.notifiedBy?.map((n) => n.timing), ['delayed', 'delayed']);
    assert.equal(plan.steps[plan.steps.length - 1], reload, 'delayed notifications run at the end');
    assert.equal(plan.summary.failed, 0);
    assert.equal(plan.summary.unknown, 0);
  });

  test('each provider probes the real state (prepared in the container first)', async (t) => {
    if (!usable(t, docker)) return;
    const setup = await docker.exec(id, [
      'set -e', "printf 'hello\\nworld\\n' > /etc/app.conf", 'chmod 644 /etc/app.conf', 'cp /etc/app.conf /etc/remote.conf', 'ln -s /etc/app.conf /etc/app.link',
      'useradd -M -s /bin/sh alice', 'mkdir -p /srv/data',
    ].join('\n'), { timeoutMs: 20_000 });
    assert.equal(setup.code, 0, setup.stderr);
    const sha = createHash('sha256').update('hello\nworld\n').digest('hex');
    const inp = input([
      res('file', '/etc/app.conf', { mode: '0600' }, { actions: ['create'] }),
      res('link', '/etc/app.link', { to: '/etc/app.conf' }, { actions: ['create'] }),
      res('link', '/etc/dangling', { to: '/nowhere' }, { actions: ['create'] }),
      res('user', 'alice', { shell: '/bin/bash' }, { actions: ['create'] }),
      res('group', 'staff', { members: ['alice'], append: true }, { actions: ['create'] }),
      res('package', 'bash', {}, { actions: ['install'], resolvedType: 'apt_package' }),
      res('package', 'no-such-package-cloche', {}, { actions: ['install'] }),
      res('package', 'coreutils', {}, { actions: ['remove'] }),
      res('execute', 'guarded', { command: 'echo hi' }, { actions: ['run'], guards: [guard('not_if', 'test -d /srv/data')] }),
      res('execute', 'only', { command: 'echo hi' }, { actions: ['run'], guards: [guard('only_if', 'grep -q world /etc/app.conf')] }),
      res('bash', 'script', { code: 'echo from bash', cwd: '/srv/data', user: 'alice' }, { actions: ['run'] }),
      res('service', 'nginx', {}, { actions: ['start'] }),
      res('remote_file', '/etc/remote.conf', { source: 'http://example.com/app.conf', checksum: sha, mode: '0600' }, { id: 'remote_file[same]', actions: ['create'] }),
      res('remote_file', '/etc/app.conf', { source: 'http://example.com/app.conf', checksum: sha }, { id: 'remote_file[after-file]', actions: ['create'] }),
      res('remote_file', '/opt/tool.tgz', { source: 'http://example.com/tool.tgz' }, { actions: ['create'] }),
      res('apt_update', 'default', {}, { actions: ['periodic'] }),
      res('apt_repository', 'extras', { uri: 'http://deb.example.com/debian', distribution: 'bookworm', components: ['main'] }, { actions: ['add'] }),
      res('systemd_unit', 'app.service', { content: { Unit: { Description: 'App' }, Service: { ExecStart: '/bin/true' } } }, { actions: ['create', 'start'] }),
      res('cron_d', 'nightly', { minute: '0', hour: '3', command: '/usr/bin/true' }, { actions: ['create'] }),
      res('cron', 'alice-job', { user: 'alice', minute: '*/10', command: 'echo hi' }, { actions: ['create'] }),
      res('log', 'hello', { message: 'hello world' }, { actions: ['write'] }),
      res('sysctl', 'vm.swappiness', { value: 10 }, { actions: ['apply'] }),
      res('swap_file', '/swapfile', { size: 64 }, { actions: ['create'] }),
    ], { 'file[/etc/app.conf]': 'hello\nthere\n' });
    const baseline = sorted(await docker.diff(id));
    const plan = await planInContainer({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(sorted(await docker.diff(id)), baseline, 'the plan (string guards included) changed nothing');
    assert.equal(plan.timings.roundTrips, 1);
    const f = step(plan, 'file[/etc/app.conf]');
    assert.match(messages(f), /would change mode of \/etc\/app\.conf 0644 → 0600/);
    assert.match(f.diff ?? '', /-world\n\+there/);
    assert.equal(step(plan, 'link[/etc/app.link]').status, 'up-to-date');
    assert.match(step(plan, 'link[/etc/dangling]').reason ?? '', /does not exist \(a dangling symlink/);
    assert.match(messages(step(plan, 'user[alice]')), /would change shell of user alice \/bin\/sh → \/bin\/bash/);
    assert.match(messages(step(plan, 'group[staff]')), /would set members of staff to alice/);
    assert.equal(step(plan, 'package[bash]').status, 'up-to-date');
    assert.equal(step(plan, 'package[no-such-package-cloche]').status, 'unknown');
    assert.match(messages(step(plan, 'package[coreutils]')), /would remove coreutils /);
    assert.equal(step(plan, 'execute[guarded]').status, 'skipped');
    assert.match(step(plan, 'execute[guarded]').reason ?? '', /not_if `test -d \/srv\/data` is true/);
    // The probe read /etc/app.conf before the run; file[/etc/app.conf] changes its content first, so its answer does not hold.
    assert.equal(step(plan, 'execute[only]').status, 'unknown');
    assert.match(step(plan, 'execute[only]').reason ?? '', /only_if `grep -q world \/etc\/app.conf` reads \/etc\/app.conf, which an earlier step changes/);
    assert.match(messages(step(plan, 'bash[script]')), /would run `echo from bash` as alice in \/srv\/data/);
    assert.equal(step(plan, 'service[nginx]').status, 'unknown');
    assert.match(step(plan, 'service[nginx]').reason ?? '', /the container has no init system \(PID 1 is sh\).*cannot be known.*cloche image build --init systemd/);
    assert.deepEqual(step(plan, 'remote_file[same]').changes.map((c) => c.property), ['mode'], 'checksum matches: only the mode changes');
    assert.deepEqual(step(plan, 'remote_file[after-file]').changes.map((c) => c.property), ['checksum'], 'file[/etc/app.conf] changed the content earlier in the plan');
    assert.match(messages(step(plan, 'remote_file[/opt/tool.tgz]')), /would download http:\/\/example.com\/tool.tgz/);
    assert.equal(step(plan, 'apt_update[default]').status, 'change');
    assert.match(step(plan, 'apt_repository[extras]').diff ?? '', /\+deb +"http:\/\/deb.example.com\/debian" bookworm main/);
    assert.match(step(plan, 'systemd_unit[app.service]', 'create').diff ?? '', /\+\[Service\]\n\+ExecStart=\/bin\/true/);
    assert.equal(step(plan, 'systemd_unit[app.service]', 'start').status, 'unknown');
    assert.match(step(plan, 'cron_d[nightly]').diff ?? '', /\+0 3 \* \* \* root \/usr\/bin\/true/);
    assert.match(step(plan, 'cron[alice-job]').diff ?? '', /\+# Chef Name: alice-job\n\+\*\/10 \* \* \* \* echo hi/);
    assert.match(step(plan, 'cron[alice-job]').assumptions?.join() ?? '', /crontab is not installed/);
    assert.match(messages(step(plan, 'log[hello]')), /would log \(info\) "hello world"/);
    assert.equal(step(plan, 'sysctl[vm.swappiness]').status, 'failed');
    assert.match(step(plan, 'sysctl[vm.swappiness]').reason ?? '', /the container has no sysctl command \(install package procps first\)/);
    assert.match(step(plan, 'swap_file[/swapfile]').reason ?? '', /no provider for swap_file/);
  });

  test('CLI: --container, JSON contract, --detailed-exitcode, text "would" lines', async (t) => {
    if (!usable(t, docker)) return;
    const dir = mkdtempSync(join(tmpdir(), 'cloche-plan-'));
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify(engineInputToJson(webserverInput())));
    const json = recorder();
    const code = await planCli.run([file, '--container', id, '--format', 'json', '--detailed-exitcode', '--platform', 'debian-12'], json.io);
    assert.equal(code, 1, json.err());
    const plan = JSON.parse(json.out()) as Plan;
    assert.deepEqual(Object.keys(plan.target).sort(), ['container', 'image', 'platform', 'runtime']);
    assert.deepEqual(Object.keys(plan.summary).sort(), ['changed', 'failed', 'skipped', 'total', 'unknown', 'upToDate']);
    assert.equal(plan.timings.roundTrips, 1, 'facts from --platform: the probe is the only exec');
    for (const s of plan.steps) assert.ok(s.resource && s.action && s.status && Array.isArray(s.changes) && Array.isArray(s.notifications) && s.location);
    const text = recorder();
    assert.equal(await planCli.run([file, '--container', id], text.io), 0);
    assert.match(text.out(), /would install nginx 1\.22/);
    assert.match(text.out(), /\d+ steps: \d+ to change/);
    assert.match(text.out(), /probe: 2 execs/, 'facts read from the container: 2 execs');
  });
});
