/**
 * The pure parts of `cloche test --matrix`: which cells a kitchen file has (and which can run),
 * the default concurrency, each cell's verdict from its test, the exit code, the scheduler (with
 * fake cells), the text lines and summary table, and the JUnit XML (parsed back by a real parser).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ConvergeReport } from '../../server/src/protocol';
import type { KitchenInfo } from '../../server/src/engine/kitchen';
import {
  CELL_MEMORY_BYTES, cellResultOf, cellRuns, defaultConcurrency, expandCells, matrixExitCode, planCells, skippedEvent, type CellResult,
} from '../../server/src/engine/matrix';
import { runPool } from '../../server/src/engine/matrixPool';
import { eventLine, summaryTable } from '../../server/src/engine/matrixReport';
import { junitXml, xmlEscape } from '../../server/src/engine/junit';
import { deferred, tick } from './deferred';

const KITCHEN: KitchenInfo = {
  file: '/cb/kitchen.yml',
  platforms: [
    { name: 'debian-12', image: 'cloche/debian:12', imageFrom: 'default' },
    { name: 'debian-13', image: 'cloche/debian:13', imageFrom: 'default' },
    { name: 'ubuntu-22.04', image: 'dokken/ubuntu-22.04', imageFrom: 'platform' },
  ],
  suites: [
    { name: 'default', runList: ['recipe[cb]'] },
    { name: 'web', runList: ['recipe[cb::web]'], excludes: ['ubuntu-22.04'], pidOneCommand: '/bin/systemd' },
    { name: 'only13', runList: ['recipe[cb]'], includes: ['debian-13'] },
  ],
};

describe('cells of a kitchen file', () => {
  test('suites in order, each on the platforms its includes/excludes allow', () => {
    assert.deepEqual(expandCells(KITCHEN).map((c) => `${c.suite}-${c.platform}`), [
      'default-debian-12', 'default-debian-13', 'default-ubuntu-22.04', 'web-debian-12', 'web-debian-13', 'only13-debian-13']);
  });

  test('the chosen suites and platforms only; unknown names and empty choices are errors naming what there is', () => {
    assert.deepEqual(expandCells(KITCHEN, { suites: ['web', 'only13'], platforms: ['debian-13'] }).map((c) => `${c.suite}-${c.platform}`), ['web-debian-13', 'only13-debian-13']);
    assert.throws(() => expandCells(KITCHEN, { suites: ['nope'] }), /unknown suite 'nope' in kitchen\.yml; known suites: default, web, only13/);
    assert.throws(() => expandCells(KITCHEN, { platforms: ['centos-9'] }), /unknown kitchen platform 'centos-9' in kitchen\.yml; known platforms: debian-12, debian-13, ubuntu-22.04/);
    assert.throws(() => expandCells(KITCHEN, { suites: ['only13'], platforms: ['debian-12'] }), /no suite of those chosen runs on the platforms chosen/);
    assert.throws(() => expandCells({ ...KITCHEN, suites: [] }), /has no suites, so there is nothing to test/);
  });

  test('which can run: the suite\'s pid_one_command picks the systemd image; one question per image; skipped cells say why', async () => {
    const asked: string[] = [];
    const here = new Set(['cloche/debian:12', 'cloche/debian:12-systemd']);
    const planned = await planCells(KITCHEN, expandCells(KITCHEN), async (image) => { asked.push(image); return here.has(image); });
    const by = (s: string, p: string) => planned.find((x) => x.cell.suite === s && x.cell.platform === p)!;
    assert.equal(by('web', 'debian-12').availability.image, 'cloche/debian:12-systemd');
    assert.ok(cellRuns(by('default', 'debian-12')) && cellRuns(by('web', 'debian-12')));
    assert.equal(new Set(asked).size, asked.length, 'each image asked once');
    const notBuilt = skippedEvent(by('default', 'debian-13'));
    assert.ok(!cellRuns(by('default', 'debian-13')));
    assert.deepEqual(notBuilt, { kind: 'skipped', image: 'cloche/debian:13', build: 'cloche image build --platform debian-13',
      reason: 'cloche/debian:13 is not built yet: `cloche image build --platform debian-13` builds it' });
    assert.equal(skippedEvent(by('web', 'debian-13')).build, 'cloche image build --platform debian-13 --init systemd');
    assert.match(skippedEvent(by('default', 'ubuntu-22.04')).reason, /dokken\/ubuntu-22.04 is not present, and Cloche cannot build it/);
  });

  test('a runtime that does not answer: the cell runs (its own test says what is wrong)', async () => {
    const planned = await planCells(KITCHEN, [{ suite: 'default', platform: 'debian-12' }], () => Promise.reject(new Error('daemon gone')));
    assert.equal(planned[0].availability.status, 'unknown');
    assert.ok(cellRuns(planned[0]));
  });
});

describe('default concurrency', () => {
  const GiB = CELL_MEMORY_BYTES;
  test('one cell per idle CPU, within free memory and the cells, at least one', () => {
    assert.equal(defaultConcurrency({ cpus: 8, loadAverage: 0.2, freeMemoryBytes: 64 * GiB }, 20), 8);
    assert.equal(defaultConcurrency({ cpus: 8, loadAverage: 3.6, freeMemoryBytes: 64 * GiB }, 20), 4, 'busy CPUs are not counted');
    assert.equal(defaultConcurrency({ cpus: 8, loadAverage: 0, freeMemoryBytes: 3.5 * GiB }, 20), 3, 'memory for three cells');
    assert.equal(defaultConcurrency({ cpus: 8, loadAverage: 0, freeMemoryBytes: 64 * GiB }, 2), 2, 'no more than the cells');
    assert.equal(defaultConcurrency({ cpus: 2, loadAverage: 5, freeMemoryBytes: 0.2 * GiB }, 6), 1, 'at least one');
    assert.equal(defaultConcurrency({ cpus: 4, loadAverage: 0, freeMemoryBytes: 64 * GiB }, 0), 1);
  });
});

/** A report as `cloche test --format json` gives it, with what a case needs. */
function report(over: Partial<ConvergeReport>): ConvergeReport {
  return {
    target: { runtime: 'docker', image: 'cloche/debian:12', container: 'abc', platform: 'debian-12.7' }, verdict: 'passed', steps: [], result: { ok: true }, notApplied: [],
    summary: { total: 4, applied: 3, upToDate: 1, skipped: 0, failed: 0, ignoredFailures: 0, notApplied: 0, notRun: 0 },
    timings: { totalMs: 1500, commandMs: 1200, overheadMs: 300, roundTrips: 3 }, ...over,
  };
}
const loc = { file: 'recipes/default.rb', line: 7, column: 1 };

describe('a cell\'s result from its test', () => {
  const cell = { suite: 'default', platform: 'debian-12' };
  test('passed: steps changed and the converge\'s share of the time', () => {
    const r = cellResultOf(cell, { exitCode: 0, report: report({ idempotence: { idempotent: true, verdict: 'idempotent', offenders: [], undecided: [], exempt: [], planMs: 400 } }), stderr: '', durationMs: 4000 });
    assert.deepEqual(r, { suite: 'default', platform: 'debian-12', verdict: 'passed', durationMs: 4000, changed: 3, image: 'cloche/debian:12', convergeMs: 1500, idempotenceMs: 400 });
  });

  test('failed, not idempotent, incomplete: the reason names the steps', () => {
    const failed = cellResultOf(cell, { exitCode: 1, stderr: '', durationMs: 1, report: report({ verdict: 'failed', result: { ok: false, resource: 'execute[x]', message: 'exit 3' } }) });
    assert.equal(failed.verdict, 'failed');
    assert.equal(failed.reason, 'execute[x]: exit 3');
    const said = cellResultOf(cell, { exitCode: 1, stderr: '', durationMs: 1, report: report({ verdict: 'failed', result: { ok: false, resource: 'execute[x]', message: 'execute[x] (r.rb:1) failed' } }) });
    assert.equal(said.reason, 'execute[x] (r.rb:1) failed', 'not named twice');
    const again = cellResultOf(cell, { exitCode: 1, stderr: '', durationMs: 1, report: report({ verdict: 'not-idempotent',
      idempotence: { idempotent: false, verdict: 'not-idempotent', offenders: [{ resource: 'file[/a]', action: 'create', location: loc, reason: 'content' }], undecided: [], exempt: [], planMs: 1 } }) });
    assert.equal(again.reason, '1 step would change again: file[/a] (recipes/default.rb:7)');
    const unknown = cellResultOf(cell, { exitCode: 1, stderr: '', durationMs: 1, report: report({ verdict: 'incomplete', notApplied: [{ resource: 'package[x]', action: 'install', location: loc, reason: 'its version is unknown' }] }) });
    assert.equal(unknown.reason, '1 unknown step not applied: package[x] (recipes/default.rb:7): its version is unknown');
  });

  test('no report: an error with what its test said (not its notes), or that it was killed', () => {
    const stderr = 'cloche: note: systemd as PID 1\ncloche test: the run does not compile on debian-12.7, so nothing was planned or applied:\nrecipes/default.rb:3: missing recipe\n';
    const r = cellResultOf(cell, { exitCode: 2, stderr, durationMs: 10, image: 'cloche/debian:12' });
    assert.equal(r.verdict, 'error');
    assert.equal(r.reason, 'the run does not compile on debian-12.7, so nothing was planned or applied: recipes/default.rb:3: missing recipe');
    assert.equal(r.image, 'cloche/debian:12');
    assert.equal(cellResultOf(cell, { exitCode: null, stderr: '', durationMs: 1 }).reason, 'its test was killed');
  });
});

describe('the matrix\'s exit code', () => {
  const r = (verdict: CellResult['verdict']): CellResult => ({ suite: 's', platform: 'p', verdict, durationMs: 1 });
  test('0 only when what ran passed; skipped cells fail only with --strict; nothing run is not a pass', () => {
    assert.equal(matrixExitCode([r('passed'), r('passed')], false), 0);
    assert.equal(matrixExitCode([r('passed'), r('skipped')], false), 0);
    assert.equal(matrixExitCode([r('passed'), r('skipped')], true), 1);
    for (const bad of ['failed', 'incomplete', 'not-idempotent', 'error'] as const) assert.equal(matrixExitCode([r('passed'), r(bad)], false), 1, bad);
    assert.equal(matrixExitCode([r('skipped'), r('skipped')], false), 1);
  });
});


describe('the scheduler (fake cells)', () => {
  test('at most N at once, in order; a freed slot starts the next; a cell that throws does not stop the others', async () => {
    const jobs = Array.from({ length: 5 }, () => deferred<string>());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const pool = runPool(jobs, 2, async (j, i) => {
      started.push(i); running++; most = Math.max(most, running);
      try { return await j.promise; } finally { running--; }
    });
    await tick();
    assert.deepEqual(started, [0, 1], 'two start at once');
    jobs[1].reject(new Error('cell 1 broke'));
    await tick();
    assert.deepEqual(started, [0, 1, 2], 'the freed slot starts the next cell');
    jobs[0].resolve('a'); jobs[2].resolve('c');
    await tick(); await tick();
    jobs[3].resolve('d'); jobs[4].resolve('e');
    const out = await pool;
    assert.equal(most, 2);
    assert.deepEqual(out.map((o) => o.status), ['done', 'threw', 'done', 'done', 'done']);
    assert.deepEqual(out.flatMap((o) => (o.status === 'done' ? [o.value] : [])), ['a', 'c', 'd', 'e']);
  });

  test('aborted: nothing new starts, the running cells are waited for', async () => {
    const jobs = Array.from({ length: 4 }, () => deferred<number>());
    const abort = new AbortController();
    const started: number[] = [];
    let settled = false;
    const pool = runPool(jobs, 2, (j, i) => { started.push(i); return j.promise; }, abort.signal).then((o) => { settled = true; return o; });
    await tick();
    abort.abort();
    jobs[0].resolve(0);
    await tick(); await tick();
    assert.deepEqual(started, [0, 1], 'no cell started after the abort');
    assert.equal(settled, false, 'still waiting for the running cell');
    jobs[1].resolve(1);
    assert.deepEqual((await pool).map((o) => o.status), ['done', 'done', 'not-started', 'not-started']);
  });

  test('concurrency 1 runs one after another; more than the cells is fine', async () => {
    let running = 0;
    let most = 0;
    const job = async () => { running++; most = Math.max(most, running); await tick(); running--; };
    await runPool([1, 2, 3], 1, job);
    assert.equal(most, 1);
    most = 0;
    await runPool([1, 2], 8, job);
    assert.equal(most, 2);
  });
});

const RESULTS: CellResult[] = [
  { suite: 'default', platform: 'debian-12', verdict: 'passed', durationMs: 12_345, changed: 3, image: 'cloche/debian:12' },
  { suite: 'web', platform: 'debian-12', verdict: 'failed', durationMs: 8_100, changed: 1, reason: 'execute[x]: exit 3\nbroken <on> purpose & "quoted" \u001b[31mred\u001b[0m' },
  { suite: 'web', platform: 'ubuntu-22.04', verdict: 'skipped', durationMs: 0, reason: "dokken/ubuntu-22.04 is not present, and Cloche can't build it" },
  { suite: 'bad\u0007', platform: 'debian-13', verdict: 'error', durationMs: 400, reason: 'the run does not compile \ud800' },
  { suite: 'default', platform: 'debian-11', verdict: 'not-idempotent', durationMs: 5000, changed: 2, reason: '1 step would change again' },
];

describe('text: a line per state change, the summary table', () => {
  test('lines for started, skipped and finished; none for progress', () => {
    const cell = { suite: 'default', platform: 'debian-12' };
    assert.equal(eventLine(cell, { kind: 'started', image: 'cloche/debian:12' }), 'start    default on debian-12 (cloche/debian:12)\n');
    assert.equal(eventLine(cell, { kind: 'skipped', reason: 'no image' }), 'skip     default on debian-12: no image\n');
    assert.equal(eventLine(cell, { kind: 'finished', result: RESULTS[0] }), 'passed   default on debian-12 (12.3 s, 3 changed)\n');
    assert.equal(eventLine(RESULTS[1], { kind: 'finished', result: RESULTS[1] }), 'FAILED   web on debian-12 (8.1 s, 1 changed): execute[x]: exit 3\\nbroken <on> purpose & "quoted" \\u001b[31mred\\u001b[0m\n');
    assert.equal(eventLine(cell, { kind: 'queued' }), undefined);
    assert.equal(eventLine(cell, { kind: 'stderr', text: 'x' }), undefined);
  });

  test('the table: aligned columns, counts, escaped names', () => {
    const table = summaryTable(RESULTS, { durationMs: 20_500, concurrency: 2 }).split('\n');
    assert.equal(table[0], 'suite      platform      verdict         duration  changed  why');
    assert.equal(table[1], 'default    debian-12     passed            12.3 s        3');
    assert.match(table[3], /^web        ubuntu-22\.04  skipped                -        -  dokken\/ubuntu-22\.04 is not present/);
    assert.match(table[4], /^bad\\u0007  debian-13     error              0\.4 s        -  the run does not compile/);
    assert.equal(table[6], '5 cells: 1 passed, 1 failed, 1 not-idempotent, 1 error, 1 skipped in 20.5 s (concurrency 2)');
  });
});

describe('JUnit XML', () => {
  const xml = junitXml(RESULTS, { name: 'my_cookbook', durationMs: 20_500, timestamp: new Date('2026-01-02T03:04:05.678Z'), hostname: 'ci-1' });
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' });

  test('valid XML: one testsuite, one testcase per cell, with the totals', () => {
    assert.equal(XMLValidator.validate(xml), true);
    const doc = parser.parse(xml);
    const suite = doc.testsuites.testsuite;
    assert.equal(Array.isArray(suite), false, 'one testsuite');
    assert.deepEqual([suite.name, suite.tests, suite.failures, suite.errors, suite.skipped, suite.time, suite.timestamp, suite.hostname],
      ['my_cookbook', '5', '2', '1', '1', '20.500', '2026-01-02T03:04:05', 'ci-1']);
    assert.deepEqual(suite.testcase.map((c: { name: string; classname: string; time: string }) => [c.classname, c.name, c.time]), [
      ['my_cookbook', 'default-debian-12', '12.345'], ['my_cookbook', 'web-debian-12', '8.100'], ['my_cookbook', 'web-ubuntu-22.04', '0.000'],
      ['my_cookbook', 'bad\ufffd-debian-13', '0.400'], ['my_cookbook', 'default-debian-11', '5.000']]);
  });

  test('failure, error and skipped elements carry the reason, escaped; what XML cannot hold becomes U+FFFD', () => {
    const cases = parser.parse(xml).testsuites.testsuite.testcase;
    assert.equal(cases[0].failure, undefined);
    assert.equal(cases[1].failure.type, 'failed');
    // Attribute values keep the newline as a character reference; the parser gives it back as text.
    assert.equal(cases[1].failure.message.replace('&#10;', '\n'), 'execute[x]: exit 3\nbroken <on> purpose & "quoted" \ufffd[31mred\ufffd[0m');
    assert.match(cases[1].failure['#text'], /broken <on> purpose & "quoted"/);
    assert.equal(cases[2].skipped.message, "dokken/ubuntu-22.04 is not present, and Cloche can't build it");
    assert.equal(cases[3].error.message, 'the run does not compile \ufffd');
    assert.equal(cases[4].failure.type, 'not-idempotent');
    assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'no control characters');
  });

  test('escaping', () => {
    assert.equal(xmlEscape(`a<b>&"c"'d'`), `a&lt;b&gt;&amp;"c"'d'`);
    assert.equal(xmlEscape(`a<b>&"c"'d'\n\t`, true), 'a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;');
    assert.equal(xmlEscape('\u001b[0m \ud83d\ude00 \udc00'), '\ufffd[0m \ud83d\ude00 \ufffd', 'a pair stays, a lone surrogate goes');
  });
});
