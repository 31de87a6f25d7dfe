/**
 * The container layer against the REAL docker daemon (and a Podman smoke test).
 * Run: node --import tsx --test test/engine/containers.test.ts
 * Without a daemon these tests skip loudly — or fail when CI is set, where .ci/provision.sh
 * must have started dockerd and built cloche/debian:12.
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBaseImage, transferImage, baseImageSpec } from '../../server/src/containers/baseImage';
import { ContainerDriver, ContainerError, LABELS } from '../../server/src/containers/driver';
import { FACTS_SCRIPT, parseFacts } from '../../server/src/containers/facts';
import { factsToPlatform } from '../../server/src/engine/facts';
import { automaticAttributes } from '../../server/src/chef/platforms';
import { run } from '../../server/src/containers/process';
import { runtimeCreateFlags } from '../../server/src/containers/runtime';
import * as containersCli from '../../server/src/cli/containers';
import { recorder } from './helpers';

const IMAGE = 'cloche/debian:12';

/** Resolves to a working driver, or to the reason there is none (CI turns that into a failure). */
async function connect(name: 'docker' | 'podman'): Promise<ContainerDriver | string> {
  try {
    return await ContainerDriver.detect(name);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (process.env.CI) throw new Error(`CI is set but ${name} is unavailable (run .ci/provision.sh first): ${why}`);
    console.warn(`\n*** SKIPPING ${name} container tests: ${why}\n*** To run them: sudo .ci/provision.sh ` +
      `(installs docker.io/podman/debootstrap, starts dockerd, builds ${IMAGE}), then run this file again.\n`);
    return why;
  }
}

function usable(t: TestContext, d: ContainerDriver | string | undefined): d is ContainerDriver {
  if (d instanceof ContainerDriver) return true;
  t.skip(`no runtime: ${d ?? 'not probed'}`);
  return false;
}

describe('containers (docker)', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';

  before(async () => {
    docker = await connect('docker');
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    // Built once per machine (~25 s); CI's provision.sh has normally done it already.
    await ensureBaseImage(docker, { onProgress: (m) => console.log(m) });
    id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'containers' } });
  });

  after(async () => {
    if (docker instanceof ContainerDriver) await docker.sweep({ session: docker.sessionId });
  });

  test('node attributes a recipe reads come from the container, and what it did not read is unknown, never a plausible stand-in', async (t) => {
    if (!usable(t, docker)) return;
    const c = await docker.create({ image: IMAGE, network: 'bridge' });
    try {
      const facts = factsToPlatform(parseFacts((await docker.exec(c, FACTS_SCRIPT, { timeoutMs: 10_000 })).stdout));
      const inside = await docker.exec(c, "grep -c ^processor /proc/cpuinfo; awk '/^MemTotal:/ { print $2 }' /proc/meminfo; cat /sys/class/net/eth0/address", { timeoutMs: 10_000 });
      const [cpus, memKb, mac] = inside.stdout.trim().split('\n');
      const attrs = automaticAttributes(facts) as Record<string, Record<string, unknown>>;
      assert.equal(attrs.cpu.total, Number(cpus));
      assert.equal(attrs.memory.total, `${memKb}kB`);
      assert.equal(attrs.macaddress, mac.toUpperCase());
      assert.match(String(attrs.ipaddress), /^\d+\.\d+\.\d+\.\d+$/);
      assert.equal((attrs.network as { default_interface: string }).default_interface, 'eth0');
      assert.match(String((attrs.network as { default_gateway: string }).default_gateway), /^\d+\.\d+\.\d+\.1$/);
      assert.deepEqual(Object.keys(attrs.cpu.cores as object), ['$unknown']);
      assert.ok(!JSON.stringify(attrs).includes('4028416kB'), 'no placeholder memory');
    } finally {
      await docker.destroy(c);
    }
  });

  test('create labels the container with managed, session and created', async (t) => {
    if (!usable(t, docker)) return;
    assert.equal(await docker.isRunning(id), true);
    const mine = (await docker.list()).find((c) => c.id === id);
    assert.ok(mine, 'list() finds the container by label');
    assert.equal(mine.session, docker.sessionId);
    assert.ok(Date.now() - Date.parse(mine.created) < 5 * 60_000, `created label is a recent ISO time: ${mine.created}`);
    assert.equal(mine.image, IMAGE);
    const r = await run('docker', ['inspect', '--format', `{{index .Config.Labels "${LABELS.managed}"}} {{index .Config.Labels "cloche.test"}}`, id], { timeoutMs: 10_000 });
    assert.equal(r.stdout.trim(), 'true containers');
  });

  test('one exec runs a multi-line script and keeps its exit code as data', async (t) => {
    if (!usable(t, docker)) return;
    const script = ['set -u', 'say() { printf "%s=%s\\n" "$1" "$2"; }', 'for f in passwd group; do', '  say "$f" "$(wc -l < /etc/$f)"', 'done',
      'echo oops >&2', 'exit 3'].join('\n');
    const r = await docker.exec(id, script, { timeoutMs: 10_000 });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^passwd=\d+\ngroup=\d+\n$/);
    assert.equal(r.stderr, 'oops\n');
    // A command that reads stdin must not swallow the rest of the script.
    const greedy = await docker.exec(id, 'echo before\ncat\necho after', { timeoutMs: 10_000 });
    assert.equal(greedy.stdout, 'before\nafter\n');
    const env = await docker.exec(id, 'echo "$A:$(pwd):$(id -un)"', { timeoutMs: 10_000, env: { A: 'x y' }, cwd: '/tmp', user: 'nobody' });
    assert.equal(env.stdout, 'x y:/tmp:nobody\n');
  });

  test('exec with stdin data, and copyIn of content and of a host file', async (t) => {
    if (!usable(t, docker)) return;
    const r = await docker.exec(id, 'read -r first; echo "first=$first"; wc -c', { stdin: 'one\ntwo\n', timeoutMs: 10_000 });
    assert.equal(r.stdout.replace(/ +/g, ''), 'first=one\n4\n');
    await docker.copyIn(id, { content: "it's\n$HOME\n" }, '/srv/new dir/a.txt');
    const dir = await mkdtemp(join(tmpdir(), 'cloche-test-'));
    await writeFile(join(dir, 'b.txt'), 'from host\n');
    await docker.copyIn(id, { hostPath: join(dir, 'b.txt') }, '/srv/b.txt');
    await rm(dir, { recursive: true });
    const cat = await docker.exec(id, 'cat "/srv/new dir/a.txt" /srv/b.txt', { timeoutMs: 10_000 });
    assert.equal(cat.stdout, "it's\n$HOME\nfrom host\n");
  });

  test('a plan-style read-only exec leaves docker diff unchanged; facts parse', async (t) => {
    if (!usable(t, docker)) return;
    const c = await docker.create({ image: IMAGE, network: 'none' });
    try {
      const r = await docker.exec(c, `${FACTS_SCRIPT}\nls -la /etc >/dev/null; stat -c %a /etc/passwd; dpkg-query -W -f '\${Version}' dpkg`, { timeoutMs: 10_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await docker.diff(c), []);
      const facts = parseFacts(r.stdout);
      assert.equal(facts.platform, 'debian');
      assert.equal(facts.platformFamily, 'debian');
      assert.match(facts.platformVersion, /^12\.\d+$/);
      assert.equal(facts.os, 'linux');
      assert.equal(facts.packageManager, 'apt');
      assert.equal(facts.initSystem, 'none');
      assert.ok(facts.hostname && facts.fqdn && facts.kernel.release && facts.kernel.machine, JSON.stringify(facts));
      // Network none: no default route, no address; the hardware is read from /proc all the same.
      assert.equal(facts.machine.ipaddress, undefined);
      assert.ok(facts.machine.cpuTotal! >= 1 && /^\d+kB$/.test(facts.machine.memory?.total ?? ''), JSON.stringify(facts.machine));
      // A write does show up, so the empty diff above means something.
      await docker.exec(c, 'touch /etc/cloche-was-here', { timeoutMs: 10_000 });
      assert.deepEqual((await docker.diff(c)).find((e) => e.path === '/etc/cloche-was-here'), { kind: 'added', path: '/etc/cloche-was-here' });
    } finally {
      await docker.destroy(c);
    }
  });

  test('an exec that hangs times out, and the container is still destroyable', async (t) => {
    if (!usable(t, docker)) return;
    const c = await docker.create({ image: IMAGE, network: 'none' });
    const r = await docker.exec(c, 'sleep 100', { timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.equal(r.code, null);
    assert.ok(r.durationMs < 5000, `returned after ${r.durationMs} ms`);
    await docker.destroy(c);
    assert.equal(await docker.isRunning(c), false);
  });

  test('a container killed mid-exec gives a clear error, not a hang', async (t) => {
    if (!usable(t, docker)) return;
    const c = await docker.create({ image: IMAGE, network: 'none' });
    let killed: Promise<unknown> | undefined;
    const started = Date.now();
    // Kill as soon as the script says it runs (a condition, not a sleep).
    const pending = docker.exec(c, 'echo started; sleep 30', {
      timeoutMs: 20_000,
      onOutput: (chunk) => { if (!killed && chunk.includes('started')) killed = run('docker', ['kill', c], { timeoutMs: 10_000 }); },
    });
    await assert.rejects(pending, (e: unknown) => e instanceof ContainerError && e.kind === 'not-running' && /stopped while the script ran/.test(e.message));
    assert.ok(Date.now() - started < 10_000);
    await killed;
    await assert.rejects(docker.exec(c, 'true', { timeoutMs: 10_000 }), (e: unknown) => e instanceof ContainerError && e.kind === 'not-running');
    await docker.destroy(c);
    await assert.rejects(docker.exec(c, 'true', { timeoutMs: 10_000 }), (e: unknown) => e instanceof ContainerError && e.kind === 'no-container');
  });

  test('a missing image gives a clear error and never pulls', async (t) => {
    if (!usable(t, docker)) return;
    assert.equal(await docker.imageExists('cloche/does-not-exist:1'), false);
    await assert.rejects(docker.create({ image: 'cloche/does-not-exist:1', network: 'none' }),
      (e: unknown) => e instanceof ContainerError && e.kind === 'no-image' && /not available to docker.*never pulls/.test(e.message));
  });

  test('sweep removes labelled containers of the chosen session only', async (t) => {
    if (!usable(t, docker)) return;
    const other = new ContainerDriver(docker.runtime, { sessionId: `test-sweep-${process.pid}` });
    const a = await other.create({ image: IMAGE, network: 'none' });
    const b = await other.create({ image: IMAGE, network: 'none' });
    const plain = await run('docker', ['run', '-d', '--network', 'none', '--entrypoint', 'sleep', IMAGE, 'infinity'], { timeoutMs: 30_000 });
    const plainId = plain.stdout.trim();
    try {
      assert.deepEqual(await other.sweep({ session: other.sessionId, olderThanMs: 3_600_000 }), [], 'young containers survive an age sweep');
      assert.deepEqual((await other.sweep({ session: other.sessionId })).sort(), [a, b].sort());
      assert.equal(await docker.isRunning(plainId), true, 'an unlabelled container is never swept');
      assert.equal(await docker.isRunning(id), true, "another session's container survives");
    } finally {
      await run('docker', ['rm', '-f', plainId], { timeoutMs: 30_000 });
    }
  });

  test('cloche containers reset: a fresh container from the same image, labels and network; foreign containers refused', async (t) => {
    if (!usable(t, docker)) return;
    const old = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'reset', 'cloche.keep': 'true' } });
    await docker.exec(old, 'touch /tmp/dirty', { timeoutMs: 10_000 });
    const rec = recorder();
    assert.equal(await containersCli.run(['reset', old.slice(0, 12), '--runtime', 'docker', '--format', 'json'], rec.io), 0, rec.err());
    const { id: fresh, replaced } = JSON.parse(rec.out()) as { id: string; replaced: string };
    assert.equal(replaced, old);
    assert.notEqual(fresh, old);
    assert.equal(await docker.isRunning(old), false, 'the old container is gone');
    const info = await docker.inspect(fresh);
    assert.equal(info.running, true);
    assert.equal(info.image, IMAGE);
    assert.equal(info.network, 'none');
    assert.equal(info.labels[LABELS.session], docker.sessionId);
    assert.equal(info.labels['cloche.test'], 'reset');
    assert.equal(info.labels['cloche.keep'], 'true');
    assert.equal((await docker.exec(fresh, 'test -e /tmp/dirty && echo dirty || echo clean', { timeoutMs: 10_000 })).stdout, 'clean\n');
    const text = recorder();
    assert.equal(await containersCli.run(['reset', fresh, '--runtime', 'docker'], text.io), 0, text.err());
    assert.match(text.out(), /^[0-9a-f]{64}\n$/, 'text output is the new id');
    assert.equal(await docker.isRunning(text.out().trim()), true);
    const foreign = (await run('docker', ['run', '-d', '--network', 'none', '--entrypoint', 'sleep', IMAGE, 'infinity'], { timeoutMs: 30_000 })).stdout.trim();
    try {
      const bad = recorder();
      assert.equal(await containersCli.run(['reset', foreign, '--runtime', 'docker'], bad.io), 2);
      assert.match(bad.err(), /was not created by Cloche/);
      assert.equal(await docker.isRunning(foreign), true, 'a foreign container is left alone');
      const missing = recorder();
      assert.equal(await containersCli.run(['reset', 'cloche-no-such-container', '--runtime', 'docker'], missing.io), 2);
      assert.match(missing.err(), /does not exist/);
    } finally {
      await run('docker', ['rm', '-f', foreign], { timeoutMs: 30_000 });
    }
  });

  test('figures: exec round trip and create+destroy (printed, not asserted)', async (t) => {
    if (!usable(t, docker)) return;
    const times: number[] = [];
    for (let i = 0; i < 20; i++) times.push((await docker.exec(id, 'true', { timeoutMs: 10_000 })).durationMs);
    times.sort((x, y) => x - y);
    const t0 = Date.now();
    await docker.destroy(await docker.create({ image: IMAGE, network: 'none' }));
    t.diagnostic(`exec round trip median of 20: ${times[10]} ms; create+destroy: ${Date.now() - t0} ms`);
  });
});

describe('containers (podman smoke)', () => {
  let podman: ContainerDriver | string | undefined;

  before(async () => {
    podman = await connect('podman');
  });

  test('create, exec and destroy with the podman flags', async (t) => {
    if (!usable(t, podman)) return;
    assert.deepEqual([...podman.runtime.createFlags], runtimeCreateFlags('podman'));
    if (!(await podman.imageExists(IMAGE))) {
      // No registry: copy the docker-built image (or build it when docker is absent).
      const docker = await ContainerDriver.detect('docker').catch(() => undefined);
      if (docker && (await docker.imageExists(IMAGE))) await transferImage(docker, podman, IMAGE);
      else await ensureBaseImage(podman, { platform: 'debian-12' });
    }
    const c = await podman.create({ image: IMAGE, network: 'none' });
    try {
      const r = await podman.exec(c, `${FACTS_SCRIPT}\nulimit -n`, { timeoutMs: 20_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parseFacts(r.stdout).platform, 'debian');
      assert.match(r.stdout, /\n1024\n$/);
      const session = podman.sessionId;
      assert.ok((await podman.list()).some((x) => x.id === c && x.session === session));
    } finally {
      await podman.destroy(c);
    }
    assert.equal(await podman.isRunning(c), false);
  });
});

describe('facts parsing (pure)', () => {
  const line = (o: Record<string, string>) => JSON.stringify({ kind: 'facts', ...o });

  test('maps os-release ids to Ohai platforms and families', () => {
    const cases: [Record<string, string>, string, string, string][] = [
      [{ id: 'ubuntu', version_id: '24.04', debian_version: 'trixie/sid' }, 'ubuntu', 'debian', '24.04'],
      [{ id: 'rhel', version_id: '9.4', package_manager: 'dnf' }, 'redhat', 'rhel', '9.4'],
      [{ id: 'almalinux', version_id: '9.4' }, 'almalinux', 'rhel', '9.4'],
      [{ id: 'amzn', version_id: '2023' }, 'amazon', 'amazon', '2023'],
      [{ id: 'fedora', version_id: '40' }, 'fedora', 'fedora', '40'],
      [{ id: 'debian', version_id: '12', debian_version: '12.7' }, 'debian', 'debian', '12.7'],
      [{ id: 'someos', id_like: 'rhel fedora', version_id: '1' }, 'someos', 'rhel', '1'],
    ];
    for (const [raw, platform, family, version] of cases) {
      const f = parseFacts(`noise\n${line(raw)}\nmore`);
      assert.deepEqual([f.platform, f.platformFamily, f.platformVersion], [platform, family, version], JSON.stringify(raw));
    }
  });

  test('init system and package manager', () => {
    assert.equal(parseFacts(line({ pid1: 'systemd' })).initSystem, 'systemd');
    assert.equal(parseFacts(line({ pid1: 'sleep' })).initSystem, 'none');
    assert.equal(parseFacts(line({ pid1: 'runit' })).initSystem, 'runit');
    assert.equal(parseFacts(line({ package_manager: 'dnf' })).packageManager, 'dnf');
    assert.equal(parseFacts(line({ package_manager: '??' })).packageManager, 'none');
  });

  test('no facts record is an error that shows what came back', () => {
    assert.throws(() => parseFacts('sh: 1: syntax error'), /No facts record.*syntax error/);
  });

  test('ubuntu base images are refused with the reason', () => {
    assert.throws(() => baseImageSpec('ubuntu-24.04'), /only for debian-12, debian-11.*Ubuntu archive is not reachable/);
  });
});
