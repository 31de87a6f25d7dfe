/**
 * systemd as PID 1 in real containers: the image `cloche image build --init systemd` makes
 * (cloche/debian:12-systemd, built by .ci/provision.sh in CI), booted unprivileged as kitchen-dokken
 * does; a unit of our own and Debian's cron really start, stop, enable and disable, and a second
 * plan says up to date; kitchen's pid_one_command and privileged; without an init system a service
 * step says what to do; podman boots the same image. Through the built CLI, as the editor runs it.
 * Run: npm run build && node --import tsx --test --test-concurrency=1 test/engine/systemd.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerDriver } from '../../server/src/containers/driver';
import { transferImage } from '../../server/src/containers/baseImage';
import { pidOneIsSystemd } from '../../server/src/containers/systemdInit';
import { chooseKitchen, readKitchen } from '../../server/src/engine/kitchen';
import type { ConvergeReport, Plan } from '../../server/src/protocol';
import { connectDocker, IMAGE, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FX = join(__dirname, 'fixtures', 'systemd_fx');
const SYSTEMD_IMAGE = 'cloche/debian:12-systemd';

/** Runs the built CLI as the editor does; stdout, stderr and the exit code. */
function cli(args: string[], timeout = 300_000): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One command in a container; its trimmed stdout. */
function inContainer(id: string, command: string): string {
  return spawnSync('docker', ['exec', id, 'sh', '-c', command], { encoding: 'utf8', timeout: 30_000 }).stdout.trim();
}

const inspect = (id: string, format: string): string => spawnSync('docker', ['inspect', '--format', format, id], { encoding: 'utf8' }).stdout.trim();

describe('systemd as PID 1', () => {
  let docker: ContainerDriver | string | undefined;
  const kept: string[] = [];

  before(async () => {
    docker = await connectDocker();
  });
  after(() => {
    if (kept.length) spawnSync('docker', ['rm', '-f', '-v', ...kept]);
  });

  test('cloche image build --init systemd: the systemd variant of the base image, labelled, cached', async (t) => {
    if (!usable(t, docker)) return;
    const first = cli(['image', 'build', '--init', 'systemd', '--runtime', 'docker'], 20 * 60_000);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /cloche\/debian:12-systemd: (already present|built in)/);
    const again = cli(['image', 'build', '--init', 'systemd', '--runtime', 'docker']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^cloche\/debian:12-systemd: already present$/m);
    assert.equal(inspect(SYSTEMD_IMAGE, '{{index .Config.Labels "cloche.init"}}'), 'systemd');
    assert.equal(cli(['image', 'build', '--init', 'upstart']).code, 2);
  });

  test('kitchen: pid_one_command boots systemd, privileged is read (platform over driver, suite over platform)', () => {
    const k = readKitchen(FX, IMAGE)!;
    assert.deepEqual(k.platforms.map((p) => [p.name, p.pidOneCommand, p.privileged]), [['debian-12', '/bin/systemd', false], ['debian-12-plain', undefined, false]]);
    const c = chooseKitchen(k, { suite: 'default' });
    assert.equal(c.init, 'systemd');
    assert.equal(c.pidOneCommand, '/bin/systemd');
    assert.equal(c.privileged, false);
    assert.equal(chooseKitchen(k, { suite: 'privileged' }).privileged, true);
    assert.equal(chooseKitchen(k, { suite: 'default', platform: 'debian-12-plain' }).init, undefined);
    for (const cmd of ['/bin/systemd', '/usr/lib/systemd/systemd', '/sbin/init', '/lib/systemd/systemd --log-level=info']) assert.ok(pidOneIsSystemd(cmd), cmd);
    for (const cmd of ['sh -c "trap exit 0 SIGTERM; while :; do sleep 1; done"', '/bin/bash', '/usr/bin/tini']) assert.ok(!pidOneIsSystemd(cmd), cmd);
    const json = JSON.parse(cli(['kitchen', FX, '--format', 'json']).stdout) as { platforms: { pidOneCommand?: string }[]; suites: { name: string; privileged?: boolean }[] };
    assert.equal(json.platforms[0].pidOneCommand, '/bin/systemd');
    assert.equal(json.suites.find((s) => s.name === 'privileged')?.privileged, true);
  });

  test('a unit of our own really starts and is enabled under systemd, unprivileged; stop and disable too; second plans are up to date', async (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['test', FX, '--suite', 'default', '--runtime', 'docker', '--keep', '--format', 'json']);
    const report = JSON.parse(r.stdout) as ConvergeReport;
    const id = report.target.container;
    kept.push(id);
    assert.equal(r.code, 0, `${r.stderr}\n${JSON.stringify(report.result)}`);
    assert.match(r.stderr, /systemd as PID 1, as kitchen\.yml platform 'debian-12' asks \(pid_one_command \/bin\/systemd\)/);
    assert.equal(report.target.image, SYSTEMD_IMAGE, 'the base image becomes its systemd variant');
    assert.equal(report.idempotence?.idempotent, true, JSON.stringify(report.idempotence));
    const done = Object.fromEntries(report.steps.map((s) => [`${s.resource} :${s.action}`, s.done]));
    assert.deepEqual(done, {
      'systemd_unit[cloche-sleeper.service] :create': 'applied', 'systemd_unit[cloche-sleeper.service] :enable': 'applied',
      'systemd_unit[cloche-sleeper.service] :start': 'applied', 'service[cloche-sleeper] :enable': 'up-to-date', 'service[cloche-sleeper] :start': 'up-to-date',
    });
    assert.equal(inContainer(id, 'cat /proc/1/comm'), 'systemd');
    assert.equal(inContainer(id, 'systemctl is-active cloche-sleeper'), 'active');
    assert.equal(inContainer(id, 'systemctl is-enabled cloche-sleeper'), 'enabled');
    assert.match(inContainer(id, 'ps -eo args'), /^\/bin\/sleep infinity$/m, 'the unit\'s process runs');
    assert.equal(inspect(id, '{{.HostConfig.Privileged}}'), 'false');
    assert.match(inspect(id, '{{json .HostConfig.Tmpfs}}'), /"\/run":.*"\/run\/lock":/);
    assert.match(inspect(id, '{{range .Mounts}}{{.Destination}}:{{.RW}} {{end}}'), /\/sys\/fs\/cgroup:(false|true)/);

    const again = cli(['plan', FX, '--container', id, '--format', 'json']);
    const plan = JSON.parse(again.stdout) as Plan;
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(plan.steps.map((s) => s.status), ['up-to-date', 'up-to-date', 'up-to-date', 'up-to-date', 'up-to-date'], JSON.stringify(plan.steps.map((s) => [s.resource, s.action, s.status, s.reason])));

    const stop = cli(['converge', join(FX, 'recipes', 'stop.rb'), '--container', id, '--idempotence', '--format', 'json']);
    const stopped = JSON.parse(stop.stdout) as ConvergeReport;
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(stopped.steps.map((s) => [s.action, s.done]), [['stop', 'applied'], ['disable', 'applied'], ['reload', 'up-to-date']]);
    assert.match(stopped.steps[2].reason ?? '', /not running \(inactive\): Chef reloads only a running service/);
    assert.equal(stopped.idempotence?.idempotent, true);
    assert.equal(inContainer(id, 'systemctl is-active cloche-sleeper'), 'inactive');
    assert.equal(inContainer(id, 'systemctl is-enabled cloche-sleeper'), 'disabled');
  });

  test('a packaged service under systemd: cron from the mirror (bridge network) is enabled and running, and idempotent', async (t) => {
    if (!usable(t, docker)) return;
    const plan = JSON.parse(cli(['plan', join(FX, 'recipes', 'cron.rb'), '--init', 'systemd', '--runtime', 'docker', '--format', 'json']).stdout) as Plan;
    const start = plan.steps.find((s) => s.resource === 'service[cron]' && s.action === 'start')!;
    assert.equal(start.status, 'change');
    const enable = plan.steps.find((s) => s.resource === 'service[cron]' && s.action === 'enable')!;
    assert.match(enable.assumptions?.join() ?? '', /assuming package\[cron\] installs the unit cron \(it is not loaded now: not-found\)/);
    const r = cli(['test', join(FX, 'recipes', 'cron.rb'), '--init', 'systemd', '--runtime', 'docker', '--keep', '--format', 'json'], 15 * 60_000);
    const report = JSON.parse(r.stdout) as ConvergeReport;
    kept.push(report.target.container);
    assert.equal(r.code, 0, `${r.stderr}\n${JSON.stringify(report.result)}`);
    assert.equal(report.idempotence?.idempotent, true);
    assert.equal(inContainer(report.target.container, 'systemctl is-active cron'), 'active');
    assert.equal(inContainer(report.target.container, 'systemctl is-enabled cron'), 'enabled');
    assert.match(inContainer(report.target.container, 'ps -eo comm'), /^cron$/m);
  });

  test('kitchen privileged: true is said but not granted (systemd boots without it); --privileged grants it (a host that forbids it: a clear error)', async (t) => {
    if (!usable(t, docker)) return;
    const asked = cli(['converge', FX, '--suite', 'privileged', '--runtime', 'docker', '--keep', '--format', 'json']);
    assert.match(asked.stderr, /note: kitchen\.yml suite 'privileged' asks privileged: true \(kitchen-dokken needs it for systemd\); Cloche runs the container unprivileged/);
    assert.equal(asked.code, 0, asked.stderr);
    const report = JSON.parse(asked.stdout) as ConvergeReport;
    kept.push(report.target.container);
    assert.equal(inspect(report.target.container, '{{.HostConfig.Privileged}}'), 'false');
    const r = cli(['converge', FX, '--suite', 'privileged', '--privileged', '--runtime', 'docker', '--keep', '--format', 'json']);
    assert.match(r.stderr, /warning: the container runs --privileged/);
    if (r.code === 0) {
      const granted = JSON.parse(r.stdout) as ConvergeReport;
      kept.push(granted.target.container);
      assert.equal(inspect(granted.target.container, '{{.HostConfig.Privileged}}'), 'true');
    } else {
      // Hosts that forbid privileged containers (these sandboxes do): a clear error, not docker's.
      assert.equal(r.code, 2);
      assert.match(r.stderr, /docker refused to start a --privileged container on this host \(.*\)\./);
      assert.equal(r.stdout, '');
      const left = spawnSync('docker', ['ps', '-aq', '--filter', 'status=created', '--filter', 'label=cloche.keep=true', '--filter', `ancestor=${SYSTEMD_IMAGE}`], { encoding: 'utf8' }).stdout.trim();
      assert.equal(left, '', 'the container docker created but could not start is removed');
    }
    const plain = cli(['plan', FX, '--suite', 'default', '--runtime', 'docker']);
    assert.doesNotMatch(plain.stderr, /privileged/);
  });

  test('a unit whose condition fails is started (systemctl exits 0) but stays inactive: not idempotent, and the verdict says systemd skipped it', async (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['test', join(FX, 'recipes', 'condition.rb'), '--init', 'systemd', '--runtime', 'docker', '--format', 'json']);
    const report = JSON.parse(r.stdout) as ConvergeReport;
    assert.equal(r.code, 1, r.stderr);
    assert.equal(report.verdict, 'not-idempotent');
    assert.equal(report.steps.find((s) => s.resource === 'service[cloche-conditional]')?.done, 'applied');
    const [offender] = report.idempotence!.offenders;
    assert.equal(offender.resource, 'service[cloche-conditional]');
    assert.match(offender.reason, /would start service cloche-conditional \(systemd skipped the last start of cloche-conditional: a condition of the unit was not met/);
  });

  test('a unit that fails to start fails the converge, with the last lines of its journal', async (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['converge', join(FX, 'recipes', 'failing.rb'), '--init', 'systemd', '--runtime', 'docker', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as ConvergeReport;
    assert.equal(report.verdict, 'failed');
    assert.match(report.result.ok ? '' : report.result.message, /systemd_unit\[cloche-failing.service\].*action :start failed: exit 1[\s\S]*journal: .*cloche-broken-config/);
  });

  test('without an init system a service step is unknown and says what to do; a unit file is still written', async (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['plan', join(FX, 'recipes', 'noinit.rb'), '--init', 'none', '--runtime', 'docker', '--format', 'json']);
    const plan = JSON.parse(r.stdout) as Plan;
    assert.equal(plan.target.image, IMAGE);
    assert.equal(plan.steps[0].status, 'unknown');
    assert.match(plan.steps[0].reason ?? '', /the container has no init system \(PID 1 is sh\) and no \/etc\/init\.d\/cloche-sleeper script.*`cloche image build --init systemd`.*pid_one_command: \/bin\/systemd/);
    const plain = JSON.parse(cli(['plan', FX, '--kitchen-platform', 'debian-12-plain', '--runtime', 'docker', '--format', 'json']).stdout) as Plan;
    const status = Object.fromEntries(plain.steps.map((s) => [`${s.resource} :${s.action}`, s]));
    assert.equal(status['systemd_unit[cloche-sleeper.service] :create'].status, 'change');
    assert.match(status['systemd_unit[cloche-sleeper.service] :create'].reason ?? '', /systemd is not running in this container \(PID 1 is sh\): the unit file is written, but systemctl daemon-reload cannot run/);
    assert.equal(status['systemd_unit[cloche-sleeper.service] :start'].status, 'unknown');
    assert.match(status['systemd_unit[cloche-sleeper.service] :start'].reason ?? '', /needs systemd, and it is not running in this container/);
  });

  test('an image without systemd asked to boot it: a clear error, and the container is removed', async (t) => {
    if (!usable(t, docker)) return;
    const ours = (): string => spawnSync('docker', ['ps', '-aq', '--filter', 'label=cloche.init=systemd', '--filter', `ancestor=${IMAGE}`], { encoding: 'utf8' }).stdout.trim();
    const r = cli(['plan', join(FX, 'recipes', 'noinit.rb'), '--image', IMAGE, '--init', 'systemd', '--runtime', 'docker']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /stopped while booting systemd as PID 1 \(its output: .*this image has no systemd.*\)\. The image needs systemd: build one with `cloche image build --init systemd`/);
    assert.equal(ours(), '', 'no container of the failed boot is left');
  });

  test('podman boots the same image with systemd as PID 1 (runc)', async (t) => {
    let podman: ContainerDriver | undefined;
    try { podman = await ContainerDriver.detect('podman'); } catch (e) {
      if (process.env.CI) throw e;
      t.skip(`podman does not answer: ${(e as Error).message}`);
      return;
    }
    if (!usable(t, docker)) return;
    if (!(await podman.imageExists(SYSTEMD_IMAGE))) await transferImage(docker, podman, SYSTEMD_IMAGE);
    assert.equal(await podman.imageInit(SYSTEMD_IMAGE), 'systemd', 'the label travels with the image');
    const id = await podman.create({ image: SYSTEMD_IMAGE, network: 'none' });
    try {
      const r = await podman.exec(id, 'cat /proc/1/comm; systemctl is-system-running', { timeoutMs: 30_000 });
      assert.match(r.stdout, /^systemd\n(running|degraded)\n$/);
    } finally {
      const started = Date.now();
      await podman.destroy(id);
      assert.ok(Date.now() - started < 9_000, `removing a systemd container must not sit through podman's 10 s grace (${Date.now() - started} ms)`);
    }
  });
});
