/**
 * `cloche test --matrix --host`, the pure parts: what a `--host` names and the environment its
 * cells get, each host's slots from its `docker info` and how `--concurrency` is shared, the
 * scheduler over hosts with fake cells (the first cells spread over the hosts, a cell only where
 * its image is, a host lost after a failed cell or at missed heartbeats: its running cells end
 * with why, the rest go to the hosts left, what no host left can run is not run), the text, table
 * and JUnit naming the hosts, the exit code of a cell not run, and the runner's environment (a
 * variable removed, for a DOCKER_CONTEXT that a DOCKER_HOST replaces).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import { run } from '../../server/src/containers/process';
import { CELL_MEMORY_BYTES, matrixExitCode, type CellResult } from '../../server/src/engine/matrix';
import { hostConcurrency, hostSlots, parseHost, parseHosts, shareSlots } from '../../server/src/engine/matrixHosts';
import { runOnHosts, type JobOutcome } from '../../server/src/engine/matrixPool';
import { eventLine, hostLine, summaryTable } from '../../server/src/engine/matrixReport';
import { junitXml } from '../../server/src/engine/junit';
import { deferred, tick } from './deferred';

const GiB = CELL_MEMORY_BYTES;

describe('what a --host names', () => {
  test('docker: a URL is DOCKER_HOST, a name DOCKER_CONTEXT, the other removed', () => {
    assert.deepEqual(parseHost('unix:///run/b.sock', 'docker'), { name: 'unix:///run/b.sock', kind: 'url', env: { DOCKER_HOST: 'unix:///run/b.sock', DOCKER_CONTEXT: undefined } });
    assert.deepEqual(parseHost('tcp://build2:2376', 'docker').env, { DOCKER_HOST: 'tcp://build2:2376', DOCKER_CONTEXT: undefined });
    assert.deepEqual(parseHost('ssh://ci@build3', 'docker').env, { DOCKER_HOST: 'ssh://ci@build3', DOCKER_CONTEXT: undefined });
    assert.deepEqual(parseHost('build4', 'docker'), { name: 'build4', kind: 'context', env: { DOCKER_CONTEXT: 'build4', DOCKER_HOST: undefined } });
  });

  test('podman: CONTAINER_HOST or CONTAINER_CONNECTION', () => {
    assert.deepEqual(parseHost('ssh://core@vm/run/podman/podman.sock', 'podman').env, { CONTAINER_HOST: 'ssh://core@vm/run/podman/podman.sock', CONTAINER_CONNECTION: undefined });
    assert.deepEqual(parseHost('vm', 'podman').env, { CONTAINER_CONNECTION: 'vm', CONTAINER_HOST: undefined });
  });

  test('what is not a host: another scheme, an empty URL, a name with spaces, the same host twice', () => {
    assert.throws(() => parseHost('http://x:2375', 'docker'), /--host http:\/\/x:2375: docker takes unix:\/\/, tcp:\/\/, ssh:\/\/ URLs, or a docker context name/);
    assert.throws(() => parseHost('tcp://', 'docker'), /names no machine/);
    assert.throws(() => parseHost('my host', 'docker'), /neither a docker context name nor a unix:\/\/, tcp:\/\/, ssh:\/\/ URL/);
    assert.throws(() => parseHosts(['a', 'b', 'a'], 'docker'), /--host a is given twice/);
  });
});

describe('slots per host', () => {
  test('CPUs within memory at 1 GiB a cell, less the containers running there, at least 1', () => {
    assert.equal(hostSlots({ cpus: 8, memoryBytes: 64 * GiB, runningContainers: 0 }), 8);
    assert.equal(hostSlots({ cpus: 8, memoryBytes: 4.5 * GiB, runningContainers: 0 }), 4, 'memory bounds it');
    assert.equal(hostSlots({ cpus: 8, memoryBytes: 64 * GiB, runningContainers: 3 }), 5, 'running containers take slots');
    assert.equal(hostSlots({ cpus: 2, memoryBytes: 64 * GiB, runningContainers: 9 }), 1, 'a busy host still takes one');
  });

  test('--concurrency shared: one per host first, the rest by slots; the default is the slots, within the cells', () => {
    assert.deepEqual(shareSlots(2, [1, 8]), [1, 1], 'every host is used');
    assert.deepEqual(shareSlots(5, [1, 8]), [1, 4]);
    assert.deepEqual(shareSlots(6, [2, 4]), [2, 4]);
    assert.deepEqual(shareSlots(1, [2, 4]), [1, 0], 'fewer than the hosts: the first ones');
    assert.deepEqual(hostConcurrency([2, 4], 10), { total: 6, perHost: [2, 4] });
    assert.deepEqual(hostConcurrency([2, 4], 3), { total: 3, perHost: [1, 2] });
    assert.deepEqual(hostConcurrency([2, 4], 10, 2), { total: 2, perHost: [1, 1] });
  });
});

/** A fake cell per item: it ends when told (`ends[i]`), or when its signal aborts (its host lost: `killed`). */
function fakeCells(n: number) {
  const ends = Array.from({ length: n }, () => deferred<string>());
  const startedOn: [number, number][] = [];
  const job = (_item: unknown, i: number, host: number, signal: AbortSignal) => {
    startedOn.push([i, host]);
    signal.addEventListener('abort', () => ends[i].resolve('killed'), { once: true });
    return ends[i].promise;
  };
  return { ends, startedOn, job };
}

describe('the scheduler over hosts (fake cells)', () => {
  test('the first cells spread over the hosts; a cell runs only where its image is; a freed slot takes the next it can run', async () => {
    const { ends, startedOn, job } = fakeCells(4);
    const cells = [{ hosts: [0, 1] }, { hosts: [0, 1] }, { hosts: [1] }, { hosts: [0, 1] }];
    const pool = runOnHosts(cells, [1, 1], job);
    await tick();
    assert.deepEqual(startedOn, [[0, 0], [1, 1]], 'one on each host');
    ends[0].resolve('passed');
    await tick(); await tick();
    assert.deepEqual(startedOn.slice(2), [[3, 0]], 'host 0 skips cell 2 (no image there) for cell 3');
    ends[1].resolve('passed');
    await tick(); await tick();
    assert.deepEqual(startedOn.slice(3), [[2, 1]]);
    ends[2].resolve('passed'); ends[3].resolve('passed');
    const out = await pool;
    assert.deepEqual(out.map((o) => o.status === 'done' && [o.value, o.host]), [['passed', 0], ['passed', 1], ['passed', 1], ['passed', 0]]);
  });

  test('a host that does not answer after a failed cell is lost: that cell says why, the queued cells go to the other host, one only it could run is not run', async () => {
    const { ends, startedOn, job } = fakeCells(4);
    const cells = [{ hosts: [0, 1] }, { hosts: [0, 1] }, { hosts: [0, 1] }, { hosts: [1] }];
    const lostHosts: [number, string][] = [];
    const told: number[] = [];
    const pool = runOnHosts(cells, [1, 1], job, {
      check: (v) => v !== 'passed', alive: async (h) => (h === 1 ? 'Cannot connect to the Docker daemon' : undefined),
      onHostLost: (h, why) => lostHosts.push([h, why]), onOutcome: (i) => told.push(i),
    });
    await tick();
    ends[1].resolve('error');
    await tick(); await tick(); await tick();
    assert.deepEqual(lostHosts, [[1, 'Cannot connect to the Docker daemon']]);
    assert.deepEqual(startedOn, [[0, 0], [1, 1]], 'nothing more starts on the lost host');
    ends[0].resolve('passed');
    await tick(); await tick();
    assert.deepEqual(startedOn.slice(2), [[2, 0]], 'the queued cell goes to host 0');
    ends[2].resolve('failed');
    const out = await pool;
    assert.deepEqual(out[1], { status: 'done', value: 'error', host: 1, hostLost: 'Cannot connect to the Docker daemon' });
    assert.deepEqual(out[2], { status: 'done', value: 'failed', host: 0 }, 'a failed cell on a host that answers is only failed');
    assert.deepEqual(out[3], { status: 'not-run', lostHosts: [1] });
    assert.deepEqual(told.sort(), [0, 1, 2, 3], 'every outcome told');
  });

  test('no host left: every cell not started is not run, with the hosts it waited for', async () => {
    const { ends, job } = fakeCells(3);
    const pool = runOnHosts([{ hosts: [0] }, { hosts: [0] }, { hosts: [0] }], [1], job, { check: (v) => v !== 'passed', alive: async () => 'gone' });
    await tick();
    ends[0].resolve('error');
    const out = await pool;
    assert.deepEqual(out, [{ status: 'done', value: 'error', host: 0, hostLost: 'gone' }, { status: 'not-run', lostHosts: [0] }, { status: 'not-run', lostHosts: [0] }]);
  });

  test('heartbeats: a host that misses two in a row is lost and its running cells are stopped; one miss is forgiven', async () => {
    const { ends, job } = fakeCells(2);
    const answers = ['slow', undefined, 'gone', 'gone'];
    let asked = 0;
    const first = deferred<JobOutcome<string>>();
    const pool = runOnHosts([{ hosts: [0] }, { hosts: [1] }], [1, 1], job, {
      check: (v) => v !== 'passed', heartbeatMs: 5,
      alive: async (h) => (h === 0 ? answers[Math.min(asked++, answers.length - 1)] : undefined),
      onOutcome: (i, o) => { if (i === 0) first.resolve(o); },
    });
    const out = await Promise.race([first.promise, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 2000))]);
    assert.deepEqual(out, { status: 'done', value: 'killed', host: 0, hostLost: 'gone' }, 'the lost host\'s cell was stopped, and says why');
    assert.equal(asked, 4, 'one missed heartbeat did not lose it: miss, answer, miss, miss');
    ends[1].resolve('passed');
    assert.deepEqual((await pool)[1], { status: 'done', value: 'passed', host: 1 });
  });

  test('aborted (Ctrl+C): every running cell hears it, nothing starts, nothing is reported not run', async () => {
    const { startedOn, job } = fakeCells(3);
    const abort = new AbortController();
    const pool = runOnHosts([{ hosts: [0] }, { hosts: [1] }, { hosts: [0, 1] }], [1, 1], job, { signal: abort.signal });
    await tick();
    abort.abort();
    const out = await pool;
    assert.deepEqual(startedOn, [[0, 0], [1, 1]]);
    assert.deepEqual(out.map((o) => o.status), ['done', 'done', 'not-started']);
  });
});

describe('hosts in the text, the table, JUnit and the exit code', () => {
  const A = 'unix:///var/run/docker.sock';
  const B = 'ssh://ci@build2';
  const results: CellResult[] = [
    { suite: 'default', platform: 'debian-12', verdict: 'passed', durationMs: 3000, changed: 3, host: A },
    { suite: 'slow', platform: 'debian-12', verdict: 'error', durationMs: 5000, host: B, reason: `host ${B} died while this cell ran (gone)` },
    { suite: 'later', platform: 'only-b', verdict: 'skipped', durationMs: 0, notRun: true, reason: `the only host with its image, ${B}, died` },
  ];

  test('lines and table name the host; a cell not run says so', () => {
    assert.equal(eventLine(results[0], { kind: 'started', image: 'cloche/debian:12', host: A }), `start    default on debian-12 (cloche/debian:12) on host ${A}\n`);
    assert.equal(eventLine(results[0], { kind: 'finished', result: results[0] }), `passed   default on debian-12 (3.0 s, 3 changed, host ${A})\n`);
    assert.equal(eventLine(results[2], { kind: 'finished', result: results[2] }), `not run  later on only-b: the only host with its image, ${B}, died\n`);
    const table = summaryTable(results, { durationMs: 5000, concurrency: 2 }).split('\n');
    assert.match(table[0], /^suite +platform +host +verdict +duration +changed +why$/);
    assert.match(table[2], new RegExp(`^slow +debian-12 +${B} +error +5\\.0 s +- +host ${B} died`));
    assert.match(table[3], /^later +only-b +- +not run +- +- +the only host/);
    assert.equal(hostLine({ name: B, state: 'lost', reason: 'gone', cpus: 4, memoryBytes: 8 * GiB, runningContainers: 1, slots: 2, cells: 3 }),
      `host ${B}: lost (gone), 4 CPUs, 8.0 GiB, 1 container running at the start; 2 at once, 3 cells`);
  });

  test('JUnit: a host property per testcase that ran on one', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' })
      .parse(junitXml(results, { name: 'cb', durationMs: 5000, timestamp: new Date(0) }));
    const cases = doc.testsuites.testsuite.testcase;
    assert.deepEqual(cases.map((c: { properties?: { property: { name: string; value: string } } }) => c.properties?.property), [{ name: 'host', value: A }, { name: 'host', value: B }, undefined]);
    assert.match(cases[1].error['#text'], new RegExp(`host ${B}\\n`));
  });

  test('a cell not run for want of a host fails the matrix, as a skipped one does not', () => {
    const passed = results[0];
    assert.equal(matrixExitCode([passed, { ...results[2], notRun: undefined }], false), 0);
    assert.equal(matrixExitCode([passed, results[2]], false), 1);
  });
});

describe('the runner\'s environment', () => {
  test('a variable set to undefined is removed, the others kept', async () => {
    process.env.CLOCHE_TEST_CONTEXT = 'ctx';
    try {
      const r = await run('sh', ['-c', 'echo "${CLOCHE_TEST_CONTEXT-unset} ${CLOCHE_TEST_HOST-unset} ${PATH:+path}"'], { timeoutMs: 10_000, env: { CLOCHE_TEST_CONTEXT: undefined, CLOCHE_TEST_HOST: 'tcp://x:2376' } });
      assert.equal(r.stdout.trim(), 'unset tcp://x:2376 path');
    } finally {
      delete process.env.CLOCHE_TEST_CONTEXT;
    }
  });
});
