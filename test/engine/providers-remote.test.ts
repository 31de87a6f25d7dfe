/**
 * remote_file in the default base image (no curl, no wget) in a REAL container on the bridge
 * network: http from a server of this test (bound to 0.0.0.0, reached at the bridge's gateway),
 * downloaded inside the container by apt's apt-helper; the checksum decides offline and is
 * verified; a file:// source is a path in the container; https without CA certificates and a
 * container without any downloader are unknown, naming what to install.
 * Run: node --import tsx --test test/engine/providers-remote.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { planInContainer, simulate } from '../../server/src/engine/plan';
import { VirtualState } from '../../server/src/engine/state';
import type { EngineInput } from '../../server/src/engine/types';
import { connectDocker, FACTS, IMAGE, input, res, stepOf, targetOf, usable } from './helpers';

const BODY = 'served over http to the container\n';
const SHA = createHash('sha256').update(BODY).digest('hex');

describe('remote_file with the container\'s own tools', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  let server: Server | undefined;
  let base = '';
  const requests: string[] = [];
  const sh = async (d: ContainerDriver, script: string) => (await d.exec(id, script, { timeoutMs: 60_000 })).stdout;
  const plan = (d: ContainerDriver, inp: EngineInput) => planInContainer({ driver: d, container: id, input: inp, target: targetOf(id) });

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    server = createServer((req, resp) => {
      requests.push(req.url ?? '');
      if (req.url === '/hello.txt') { resp.writeHead(200, { 'content-type': 'text/plain' }); resp.end(BODY); } else { resp.writeHead(404); resp.end(); }
    });
    await new Promise<void>((resolve) => server!.listen(0, '0.0.0.0', resolve));
    id = await docker.create({ image: IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-remote' } });
    // The host as the container reaches it: its default route's gateway (some Docker releases leave
    // the bridge's Gateway out of `network inspect`, so it is read where it is used).
    base = `http://${gatewayOf(await sh(docker, 'cat /proc/net/route'))}:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.close();
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('http in an image without curl or wget: downloaded inside the container, checksum verified, then up to date by checksum', async (t) => {
    if (!usable(t, docker)) return;
    assert.equal((await sh(docker, 'command -v curl wget; echo end')).trim(), 'end', 'the base image has neither curl nor wget');
    const inp = input([
      res('remote_file', '/srv/hello.txt', { source: `${base}/hello.txt`, checksum: SHA, mode: '0640' }, { actions: ['create'] }),
      res('remote_file', '/srv/nosum.txt', { source: [`${base}/missing.txt`, `${base}/hello.txt`] }, { actions: ['create'] }),
    ]);
    const planned = (await plan(docker, inp)).steps;
    assert.equal(stepOf(planned, 'remote_file[/srv/hello.txt]').status, 'change');
    assert.match(stepOf(planned, 'remote_file[/srv/hello.txt]').changes[0].message ?? '', /would download http:\/\/.*\/hello\.txt to \/srv\/hello\.txt/);
    const before = requests.length;
    assert.equal(before, 0, 'a plan never downloads');

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(await sh(docker, 'cat /srv/hello.txt /srv/nosum.txt; stat -c %a /srv/hello.txt'), `${BODY}${BODY}640\n`);
    assert.deepEqual(requests, ['/hello.txt', '/missing.txt', '/hello.txt'], 'sources are tried in order, from the container');

    const again = (await plan(docker, inp)).steps;
    assert.equal(stepOf(again, 'remote_file[/srv/hello.txt]').status, 'up-to-date');
    assert.equal(stepOf(again, 'remote_file[/srv/hello.txt]').reason, 'checksum matches');
    // Without a checksum, whether the remote file changed is only known by fetching it: said so, not "up to date".
    const nosum = stepOf(again, 'remote_file[/srv/nosum.txt]');
    assert.equal(nosum.status, 'unknown');
    assert.match(nosum.reason ?? '', /cannot be known without network \(give a checksum to decide offline\)/);
  });

  test('a checksum that does not match fails the step, and leaves no file', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([res('remote_file', '/srv/bad.txt', { source: `${base}/hello.txt`, checksum: '0'.repeat(64) }, { actions: ['create'] })]);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(report.result.ok, false);
    assert.match(report.steps[0].reason ?? '', new RegExp(`checksum mismatch for the file from .*: sha256 ${SHA}, expected 0{64}`));
    assert.equal(await sh(docker, 'ls -a /srv | grep -c -e bad.txt -e .cloche- || true'), '0\n');
  });

  test('a file:// source is a path in the container: compared by hash in the plan, copied at converge', async (t) => {
    if (!usable(t, docker)) return;
    await sh(docker, 'echo local > /srv/local.src');
    const inp = input([
      res('remote_file', '/srv/copy.txt', { source: 'file:///srv/local.src' }, { actions: ['create'] }),
      res('remote_file', '/srv/wrongsum.txt', { source: 'file:///srv/local.src', checksum: 'ab'.repeat(32) }, { actions: ['create'] }),
      res('remote_file', '/srv/none.txt', { source: 'file:///srv/none.src' }, { actions: ['create'] }),
    ]);
    const planned = (await plan(docker, inp)).steps;
    assert.equal(stepOf(planned, 'remote_file[/srv/copy.txt]').changes[0].message, 'would copy /srv/local.src to /srv/copy.txt');
    assert.equal(stepOf(planned, 'remote_file[/srv/wrongsum.txt]').status, 'failed');
    assert.match(stepOf(planned, 'remote_file[/srv/wrongsum.txt]').reason ?? '', /checksum mismatch: file:\/\/\/srv\/local\.src has sha256/);
    assert.equal(stepOf(planned, 'remote_file[/srv/none.txt]').status, 'failed');
    assert.match(stepOf(planned, 'remote_file[/srv/none.txt]').reason ?? '', /no source can be fetched: \/srv\/none\.src does not exist/);
    const one = input([res('remote_file', '/srv/copy.txt', { source: 'file:///srv/local.src' }, { actions: ['create'] })]);
    const report = await converge({ driver: docker, container: id, input: one, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(await sh(docker, 'cat /srv/copy.txt'), 'local\n');
    const again = stepOf((await plan(docker, one)).steps, 'remote_file[/srv/copy.txt]');
    assert.equal(again.status, 'up-to-date');
    assert.equal(again.reason, '/srv/copy.txt has the content of /srv/local.src');
  });

  test('https without CA certificates is unknown naming ca-certificates; a container without any downloader says what to install', async (t) => {
    if (!usable(t, docker)) return;
    const https = stepOf((await plan(docker, input([res('remote_file', '/srv/s.txt', { source: 'https://example.invalid/s.txt' }, { actions: ['create'] })]))).steps, 'remote_file[/srv/s.txt]');
    assert.equal(https.status, 'unknown');
    assert.match(https.reason ?? '', /is https and the container has no CA certificates .*install package 'ca-certificates' earlier in the run/);

    // A machine with neither curl, wget nor apt-helper (no container needed).
    const s = new VirtualState();
    for (const p of ['/', '/srv']) s.setPath(p, { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    for (const p of ['/srv/x', '/usr/lib/apt/apt-helper']) s.setPath(p, { kind: 'missing' });
    for (const tool of ['curl', 'wget']) s.setSystem(`which:${tool}`, { v: [''] });
    const steps = await simulate(input([res('remote_file', '/srv/x', { source: 'http://example.invalid/x' }, { actions: ['create'] })]), s, FACTS);
    assert.equal(steps[0].status, 'unknown');
    assert.match(steps[0].reason ?? '', /needs curl, wget or apt's \/usr\/lib\/apt\/apt-helper in the container, and it has none \(install package 'curl' earlier in the run\)/);
  });
});

/** The default route's gateway in /proc/net/route (hex, little-endian), as a dotted address. */
function gatewayOf(routes: string): string {
  const hex = routes.split('\n').map((l) => l.trim().split(/\s+/)).find((f) => f[1] === '00000000')?.[2];
  assert.ok(hex, `no default route in ${routes}`);
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}
