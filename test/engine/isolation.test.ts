/**
 * What a throwaway container can reach and use, in real containers through the built CLI: the
 * bridge network by default (a server bound to the host's 127.0.0.1 is out of reach; `--network
 * host` reaches it and warns), memory and process limits (defaults, flags, kept by `containers
 * reset`, enforced), docker unreachable at DOCKER_HOST said before anything else, `doctor --help`.
 * Run: npm run build && node --import tsx --test --test-concurrency=1 test/engine/isolation.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { ContainerDriver, DEFAULT_LIMITS } from '../../server/src/containers/driver';
import type { ConvergeReport } from '../../server/src/protocol';
import { connectDocker, IMAGE, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FX = join(__dirname, 'fixtures', 'isolation_fx');

interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs the built CLI without blocking this process (a server here must keep answering). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const inspect = (id: string, format: string): string => spawnSync('docker', ['inspect', '--format', format, id], { encoding: 'utf8' }).stdout.trim();

describe('container isolation', () => {
  let docker: ContainerDriver | string | undefined;
  let server: Server;
  let port = 0;
  const received: string[] = [];
  const kept: string[] = [];

  before(async () => {
    docker = await connectDocker();
    // A service bound to the host's loopback only, as a developer's local database or admin page would be.
    server = createServer((socket) => socket.on('data', (d) => received.push(String(d).trim())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.close();
    if (kept.length) spawnSync('docker', ['rm', '-f', '-v', ...kept]);
  });

  test('converge uses the bridge network by default: the host\'s 127.0.0.1 is out of reach; --network host reaches it, with a warning', async (t) => {
    if (!usable(t, docker)) return;
    const attr = `isolation_fx.port=${port}`;
    const bridged = await cli(['converge', FX, '--attribute', attr, '--runtime', 'docker', '--format', 'json']);
    const report = JSON.parse(bridged.stdout) as ConvergeReport;
    assert.equal(bridged.code, 1, bridged.stderr);
    assert.equal(report.result.ok, false);
    assert.equal(report.result.resource, 'execute[reach the host loopback]');
    assert.match(report.result.message ?? '', /exit 1/);
    assert.doesNotMatch(bridged.stderr, /--network host/);
    assert.deepEqual(received, [], 'nothing reached the host\'s loopback server');

    const hosted = await cli(['converge', FX, '--attribute', attr, '--runtime', 'docker', '--network', 'host', '--format', 'json']);
    assert.equal(hosted.code, 0, hosted.stderr);
    assert.match(hosted.stderr, /warning: --network host: the container shares the host's network, so the recipe can reach services bound to the host's 127\.0\.0\.1/);
    assert.deepEqual(received, ['hello'], 'with the host network the recipe reached it');
  });

  test('memory and process limits: defaults, flags, visible in docker inspect, kept by containers reset; bad values are usage errors', async (t) => {
    if (!usable(t, docker)) return;
    const noop = join(FX, 'recipes', 'noop.rb');
    const plain = await cli(['converge', noop, '--runtime', 'docker', '--network', 'none', '--keep', '--format', 'json']);
    assert.equal(plain.code, 0, plain.stderr);
    const a = (JSON.parse(plain.stdout) as ConvergeReport).target.container;
    kept.push(a);
    assert.equal(DEFAULT_LIMITS.memory, '2g');
    assert.equal(inspect(a, '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NetworkMode}}'), `${2 * 1024 ** 3} ${DEFAULT_LIMITS.pidsLimit} none`);

    const limited = await cli(['converge', noop, '--runtime', 'docker', '--keep', '--memory', '512m', '--pids-limit', '300', '--format', 'json']);
    assert.equal(limited.code, 0, limited.stderr);
    const b = (JSON.parse(limited.stdout) as ConvergeReport).target.container;
    kept.push(b);
    assert.equal(inspect(b, '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.NetworkMode}}'), `${512 * 1024 ** 2} 300 bridge`);

    const reset = await cli(['containers', 'reset', b, '--runtime', 'docker', '--format', 'json']);
    assert.equal(reset.code, 0, reset.stderr);
    const c = (JSON.parse(reset.stdout) as { id: string }).id;
    kept.push(c);
    assert.equal(inspect(c, '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}'), `${512 * 1024 ** 2} 300`, 'a reset container keeps its limits');

    for (const [flags, why] of [[['--memory', 'lots'], /--memory must be a size such as 512m or 4g/], [['--pids-limit', '0'], /--pids-limit must be a positive whole number/],
      [['--memory', '1g', '--container', a], /--memory applies to a new container/], [['--init', 'upstart'], /--init must be none or systemd/]] as [string[], RegExp][]) {
      const r = await cli(['plan', noop, '--runtime', 'docker', ...flags]);
      assert.equal(r.code, 2, flags.join(' '));
      assert.match(r.stderr, why);
    }
  });

  test('the process limit is enforced: a container of 30 processes cannot start 60', async (t) => {
    if (!usable(t, docker)) return;
    const fork = 'for i in $(seq 1 60); do sleep 30 & done; echo all-started';
    const tight = await docker.create({ image: IMAGE, network: 'none', pidsLimit: 30 });
    const roomy = await docker.create({ image: IMAGE, network: 'none' });
    try {
      const r = await docker.exec(tight, fork, { timeoutMs: 30_000 });
      assert.notEqual(r.code, 0);
      assert.doesNotMatch(r.stdout, /all-started/);
      assert.match(r.stderr, /fork/i);
      const ok = await docker.exec(roomy, fork, { timeoutMs: 30_000 });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /all-started/);
    } finally {
      await docker.destroy(tight);
      await docker.destroy(roomy);
    }
  });

  test('no daemon at DOCKER_HOST: docker is said to be unreachable (with the address) before anything else', async () => {
    const dead = { DOCKER_HOST: 'tcp://127.0.0.1:1' };
    const explicit = await cli(['containers', 'list', '--runtime', 'docker'], dead);
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /docker is unreachable: the daemon at DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 did not answer \(Cannot connect to the Docker daemon at tcp:\/\/127\.0\.0\.1:1.*\): start the daemon there, point DOCKER_HOST at one that runs, or unset DOCKER_HOST/);
    const auto = await cli(['containers', 'list'], dead);
    assert.match(auto.stderr.split('\n')[0], /docker is unreachable: the daemon at DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 did not answer/, 'the first thing said');
    if (auto.code === 0) assert.match(auto.stderr, /; using podman instead/);
    else assert.match(auto.stderr, /No container runtime answered \(docker is unreachable: the daemon at DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1 .*; podman: /);
    const plan = await cli(['plan', join(FX, 'recipes', 'noop.rb')], dead);
    assert.match(plan.stderr.split('\n')[0], /^cloche(: warning:| plan:).*docker is unreachable: the daemon at DOCKER_HOST=tcp:\/\/127\.0\.0\.1:1/);
  });

  test('cloche doctor --help prints its usage and checks nothing', async () => {
    const r = await cli(['doctor', '--help'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^usage: cloche doctor \[--runtime docker\|podman\]\n/);
    assert.doesNotMatch(r.stdout, /^Container runtimes$|^  (ok|FAIL)  /m, 'no check ran');
    const bad = await cli(['doctor', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option --bogus/);
  });
});
