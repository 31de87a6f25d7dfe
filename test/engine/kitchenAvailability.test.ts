/**
 * Which kitchen platforms can run here: the `availability` of each platform in `cloche kitchen
 * --format json` (present in the runtime, buildable by `cloche image build`, or not obtainable here
 * with the reason), decided by name and image first, then by the runtime's `image inspect`; through
 * the built `dist/cli.js` against real docker, as the Test Explorer reads it.
 * Run: npm run build && node --import tsx --test test/engine/kitchenAvailability.test.ts
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { readKitchen, type KitchenInfo, type KitchenPlatform } from '../../server/src/engine/kitchen';
import { platformAvailability, platformsAvailability } from '../../server/src/engine/kitchenAvailability';
import { connectDocker, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** A kitchen file as community cookbooks write them: Debian releases, dokken images, FreeBSD, Vagrant boxes. */
const KITCHEN = `driver:
  name: dokken
platforms:
  - name: debian-12
  - name: debian-11
  - name: debian-12-systemd
    driver:
      image: cloche/debian:12
      pid_one_command: /bin/systemd
  - name: debian-11-systemd
    driver:
      image: cloche/debian:11
      pid_one_command: /bin/systemd
  - name: dokken-debian
    driver:
      image: dokken/debian-12
  - name: dokken-debian-10
    driver:
      image: dokken/debian-10
  - name: debian-13
  - name: ubuntu-16.04
    driver:
      image: dokken/ubuntu-16.04
  - name: freebsd-13
  - name: almalinux-9
  - name: local
suites:
  - name: default
    run_list: ['recipe[avail_fx::default]']
`;

function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cloche-avail-'));
  writeFileSync(join(dir, 'kitchen.yml'), KITCHEN);
  writeFileSync(join(dir, 'metadata.rb'), "name 'avail_fx'\nversion '1.0.0'\n");
  return dir;
}

function cli(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Whether docker has the image now (the ground truth the CLI must agree with). */
const dockerHas = (image: string) => spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;

describe('kitchen platform availability: decided by name and image, then by the runtime', () => {
  test('not Linux, no image for the system, absent and not buildable, buildable, present', async () => {
    const k = readKitchen(fixture(), 'cloche/debian:12')!;
    const by = (name: string) => k.platforms.find((p) => p.name === name)!;
    assert.equal(by('debian-11').image, 'cloche/debian:11', "a platform that names no image runs on Cloche's base image of its release");
    assert.equal(by('almalinux-9').image, 'cloche/debian:12');
    const asked: string[] = [];
    const here = new Set(['cloche/debian:12']);
    const exists = async (image: string) => { asked.push(image); return here.has(image); };
    const of = (name: string) => platformAvailability(by(name), exists);
    assert.deepEqual(await of('debian-12'), { status: 'present', image: 'cloche/debian:12' });
    assert.deepEqual(await of('debian-11'), { status: 'buildable', image: 'cloche/debian:11', reason: 'cloche/debian:11 is not built yet',
      build: { command: 'cloche image build --platform debian-11', args: ['image', 'build', '--platform', 'debian-11'] } });
    const sd = await of('debian-11-systemd');
    assert.equal(sd.image, 'cloche/debian:11-systemd', 'pid_one_command boots systemd: the test runs on the systemd variant');
    assert.deepEqual(sd.build?.args, ['image', 'build', '--platform', 'debian-11', '--init', 'systemd']);
    assert.deepEqual(await of('dokken-debian'), { status: 'present', image: 'cloche/debian:12', standsInFor: 'dokken/debian-12' },
      "a dokken image of a release Cloche builds runs on Cloche's image of that release");
    const old = await of('dokken-debian-10');
    assert.equal(old.status, 'unavailable');
    assert.match(old.reason!, /dokken\/debian-10 is not present, and Cloche cannot build it: pull it where a registry is reachable \(docker pull dokken\/debian-10\)/);
    assert.deepEqual((await of('debian-13')).build?.args, ['image', 'build', '--platform', 'debian-13']);
    assert.equal((await of('ubuntu-16.04')).status, 'unavailable');
    const before = asked.length;
    assert.deepEqual(await of('freebsd-13'), { status: 'unavailable', image: 'cloche/debian:12', reason: 'freebsd-13 is FreeBSD, and Cloche runs tests in Linux containers only' });
    const alma = await of('almalinux-9');
    assert.equal(alma.status, 'unavailable', 'a Vagrant box name is not run on Debian');
    assert.match(alma.reason!, /names no container image for almalinux-9 .* Cloche builds images only for debian-12, debian-11, debian-13/);
    assert.equal(asked.length, before, 'what the name decides asks the runtime nothing');
    assert.equal((await of('local')).status, 'present', 'a name that names no system runs on the default image');
  });

  test('one question per image; a runtime that does not answer leaves only the open questions unknown', async () => {
    const platforms: KitchenPlatform[] = ['a', 'b', 'c'].map((name) => ({ name, image: 'x/y:1', imageFrom: 'platform' }));
    let calls = 0;
    await platformsAvailability(platforms, async () => { calls++; return true; });
    assert.equal(calls, 1);
    const k = readKitchen(fixture(), 'cloche/debian:12')!;
    const all = await platformsAvailability(k.platforms, () => Promise.reject(new Error('Cannot connect to the Docker daemon')));
    assert.deepEqual(Object.fromEntries(k.platforms.map((p, i) => [p.name, all[i].status])), {
      'debian-12': 'unknown', 'debian-11': 'unknown', 'debian-12-systemd': 'unknown', 'debian-11-systemd': 'unknown', 'dokken-debian': 'unknown',
      'dokken-debian-10': 'unknown', 'debian-13': 'unknown', 'ubuntu-16.04': 'unknown', 'freebsd-13': 'unavailable', 'almalinux-9': 'unavailable', local: 'unknown' });
    assert.match(all[0].reason!, /the container runtime did not answer \(Cannot connect to the Docker daemon\)/);
  });
});

describe('cloche kitchen --format json: availability per platform (dist/cli.js, real docker)', () => {
  let docker: ContainerDriver | string | undefined;
  before(async () => { docker = await connectDocker(); });

  test('each platform says whether its image is present, buildable or not obtainable, as docker has it', (t) => {
    if (!usable(t, docker)) return;
    const r = cli(['kitchen', fixture(), '--runtime', 'docker', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const k = JSON.parse(r.stdout) as KitchenInfo;
    for (const p of k.platforms) {
      const a = p.availability;
      assert.ok(a, `${p.name} has an availability`);
      if (a.status === 'unavailable') { assert.ok(a.reason, `${p.name}: unavailable says why`); continue; }
      assert.equal(a.status, dockerHas(a.image) ? 'present' : 'buildable', `${p.name}: ${a.image} as docker has it`);
      if (a.status === 'buildable') assert.match(a.build!.command, /^cloche image build/);
    }
    const status = Object.fromEntries(k.platforms.map((p) => [p.name, p.availability!.status]));
    assert.equal(status['debian-12'], 'present', 'cloche/debian:12 is built by provisioning');
    assert.equal(status['dokken-debian'], 'present', 'cloche/debian:12 stands in for dokken/debian-12');
    assert.deepEqual([status['dokken-debian-10'], status['ubuntu-16.04'], status['freebsd-13'], status['almalinux-9']], ['unavailable', 'unavailable', 'unavailable', 'unavailable']);
    const text = cli(['kitchen', fixture(), '--runtime', 'docker']);
    assert.match(text.stdout, /freebsd-13 .*\[not available: freebsd-13 is FreeBSD/);
    assert.match(text.stdout, /dokken-debian  dokken\/debian-12  \[runs on cloche\/debian:12: dokken\/debian-12 is not here\]/);
  });

  test("a dokken image of a release Cloche builds, absent: the run uses Cloche's image of that release and says so", (t) => {
    if (!usable(t, docker)) return;
    assert.equal(dockerHas('dokken/debian-12'), false, 'this test needs dokken/debian-12 absent');
    const dir = fixture();
    mkdirSync(join(dir, 'recipes'));
    writeFileSync(join(dir, 'recipes', 'default.rb'), "file '/tmp/avail' do\n  content 'x'\nend\n");
    const r = cli(['plan', dir, '--kitchen-platform', 'dokken-debian', '--runtime', 'docker', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).target.image, 'cloche/debian:12');
    assert.match(r.stderr, /note: dokken\/debian-12 is not available to docker; running on cloche\/debian:12, Cloche's image of the same Debian release/);
    const old = cli(['plan', dir, '--kitchen-platform', 'dokken-debian-10', '--runtime', 'docker', '--format', 'json']);
    assert.equal(old.code, 2, 'no stand-in for a release Cloche does not build');
    assert.match(old.stderr, /Image dokken\/debian-10 \(from kitchen\.yml platform 'dokken-debian-10'\) is not available to docker/);
  });

  test('an unreachable runtime: exit 0, the open questions unknown', () => {
    const r = cli(['kitchen', fixture(), '--runtime', 'docker', '--format', 'json'], { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    assert.equal(r.code, 0, r.stderr);
    const k = JSON.parse(r.stdout) as KitchenInfo;
    assert.equal(k.platforms.find((p) => p.name === 'debian-12')!.availability!.status, 'unknown');
    assert.equal(k.platforms.find((p) => p.name === 'freebsd-13')!.availability!.status, 'unavailable');
  });
});
