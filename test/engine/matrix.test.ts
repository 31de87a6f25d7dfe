/**
 * `cloche test --matrix` through the built CLI against real docker, on our fixture cookbook
 * (test/engine/fixtures/matrix_fx: suites `default` (passes) and `failing` (fails on purpose) ×
 * platforms `debian-12` (cloche/debian:12) and `ubuntu-22.04` (dokken/ubuntu-22.04, which no
 * registry here serves)): both debian-12 cells run at once, the ubuntu ones are skipped with why,
 * one cell's failure leaves the other's pass alone, the jsonl stream and the JUnit file hold to
 * their contract; SIGTERM mid-run stops every cell and removes every container.
 * Run: npm run build && CI=true node --import tsx --test --test-reporter=spec test/engine/matrix.test.ts
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ContainerDriver } from '../../server/src/containers/driver';
import type { MatrixEvent, MatrixStreamLine, MatrixSummary } from '../../server/src/engine/matrix';
import { connectDocker, usable } from './helpers';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(__dirname, 'fixtures', 'matrix_fx');

/** This fixture's containers (the workspace label is the cookbook's repository: the fixture itself), running or not. */
const containers = (): string[] =>
  spawnSync('docker', ['ps', '-a', '-q', '--filter', 'label=cloche.managed=true', '--filter', `label=cloche.workspace=${FIXTURE}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

/** Runs the CLI to its end (bounded: a hang fails the test, it does not stall the tier). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => { clearTimeout(guard); resolve({ code, stdout, stderr }); });
  });
}

const key = (c: { suite: string; platform: string }) => `${c.suite}-${c.platform}`;

describe('cloche test --matrix (dist/cli.js, real docker)', () => {
  let docker: ContainerDriver | string | undefined;
  before(async () => { docker = await connectDocker(); });

  test('2 suites × (debian-12, a platform with no image): both runnable cells at once, the others skipped; jsonl and JUnit contracts', { timeout: 300_000 }, async (t) => {
    if (!usable(t, docker)) return;
    const junit = join(mkdtempSync(join(tmpdir(), 'cloche-junit-')), 'results.xml');
    const r = await cli(['test', FIXTURE, '--matrix', '--concurrency', '2', '--format', 'jsonl', '--junit', junit, '--runtime', 'docker']);
    assert.equal(r.code, 1, `the failing suite fails the matrix\n${r.stderr}`);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as MatrixStreamLine);
    const last = lines.pop()!;
    assert.ok('summary' in last, 'the summary is the last line');
    const events: [string, MatrixEvent][] = lines.map((l) => {
      assert.ok('cell' in l, `every other line is a cell's: ${JSON.stringify(l).slice(0, 200)}`);
      assert.deepEqual(Object.keys(l.cell).sort(), ['platform', 'suite']);
      return [key(l.cell), l.event];
    });
    const kinds = (cell: string) => events.filter(([c]) => c === cell).map(([, e]) => e.kind).filter((k, i, all) => k !== all[i - 1]);
    assert.deepEqual(kinds('default-debian-12'), ['queued', 'started', 'converge', 'finished']);
    assert.deepEqual(kinds('failing-debian-12').filter((k) => k !== 'stderr'), ['queued', 'started', 'converge', 'finished']);
    assert.deepEqual(kinds('default-ubuntu-22.04'), ['skipped', 'finished']);
    assert.deepEqual(kinds('failing-ubuntu-22.04'), ['skipped', 'finished']);
    const skipped = events.find(([c, e]) => c === 'default-ubuntu-22.04' && e.kind === 'skipped')![1];
    assert.match((skipped as Extract<MatrixEvent, { kind: 'skipped' }>).reason, /dokken\/ubuntu-22\.04 is not present, and Cloche cannot build it/);

    // Concurrency 2: both debian-12 cells started before either finished.
    const at = (cell: string, kind: string) => events.findIndex(([c, e]) => c === cell && e.kind === kind);
    assert.ok(Math.max(at('default-debian-12', 'started'), at('failing-debian-12', 'started')) < Math.min(at('default-debian-12', 'finished'), at('failing-debian-12', 'finished')),
      'the two runnable cells ran at the same time');

    // Each cell's converge lines are its own `cloche test --format jsonl` stream, its report naming its suite and platform.
    for (const suite of ['default', 'failing']) {
      const lines = events.filter(([c, e]) => c === `${suite}-debian-12` && e.kind === 'converge').map(([, e]) => (e as Extract<MatrixEvent, { kind: 'converge' }>).line);
      assert.ok(lines.some((l) => 'event' in l && l.event.kind === 'step-start'));
      const report = lines.flatMap((l) => ('report' in l ? [l.report] : []));
      assert.equal(report.length, 1);
      assert.equal(report[0].target.suite, suite);
      assert.equal(report[0].target.kitchenPlatform, 'debian-12');
    }

    const summary: MatrixSummary = last.summary;
    assert.equal(summary.concurrency, 2);
    assert.equal(summary.exitCode, 1);
    assert.deepEqual(summary.cells.map((c) => [key(c), c.verdict]), [
      ['default-debian-12', 'passed'], ['default-ubuntu-22.04', 'skipped'], ['failing-debian-12', 'failed'], ['failing-ubuntu-22.04', 'skipped']]);
    const passed = summary.cells[0];
    assert.equal(passed.changed, 3, 'directory, file and the settle step changed');
    assert.equal(passed.image, 'cloche/debian:12');
    assert.ok(passed.convergeMs! > 0 && passed.durationMs >= passed.convergeMs!, 'the converge is part of the cell');
    assert.match(summary.cells[2].reason!, /execute\[fail on purpose\].*exit 3/s);
    assert.deepEqual(summary.counts, { passed: 1, failed: 1, incomplete: 0, 'not-idempotent': 0, error: 0, skipped: 2 });
    assert.match(r.stderr, /warning: 2 cells skipped, no image here: default on ubuntu-22\.04, failing on ubuntu-22\.04; --strict makes that a failure/);

    const xml = readFileSync(junit, 'utf8');
    assert.equal(XMLValidator.validate(xml), true, xml);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    assert.deepEqual([suite.name, suite.tests, suite.failures, suite.errors, suite.skipped], ['matrix_fx', '4', '1', '0', '2']);
    const cases = Object.fromEntries(suite.testcase.map((c: { name: string }) => [c.name, c]));
    assert.deepEqual(Object.keys(cases), ['default-debian-12', 'default-ubuntu-22.04', 'failing-debian-12', 'failing-ubuntu-22.04']);
    assert.equal(cases['default-debian-12'].failure, undefined);
    assert.match(cases['default-ubuntu-22.04'].skipped.message, /dokken\/ubuntu-22\.04 is not present/);
    // The failing command printed XML's special characters and a colour escape: escaped, and the escape replaced.
    assert.match(cases['failing-debian-12'].failure['#text'], /broken <on> purpose & "quoted" \ufffd\[31mred/);
    assert.deepEqual(containers(), [], 'no container left');
  });

  test('text: a line per state change and the table; --strict fails on a skipped cell', { timeout: 180_000 }, async (t) => {
    if (!usable(t, docker)) return;
    const r = await cli(['test', FIXTURE, '--matrix', '--suite', 'default', '--kitchen-platform', 'debian-12', '--kitchen-platform', 'ubuntu-22.04', '--strict', '--runtime', 'docker']);
    assert.equal(r.code, 1, `the passing cell alone would exit 0; --strict makes the skipped one fail it\n${r.stderr}`);
    const out = r.stdout.split('\n');
    assert.match(out[0], /^cloche test --matrix: 2 cells of kitchen\.yml \(1 to run, 1 skipped\), 1 at once$/);
    assert.ok(out.includes('start    default on debian-12 (cloche/debian:12)'));
    assert.ok(out.some((l) => /^skip     default on ubuntu-22\.04: dokken\/ubuntu-22\.04 is not present/.test(l)));
    assert.ok(out.some((l) => /^passed   default on debian-12 \(\d+\.\d s, 3 changed\)$/.test(l)));
    assert.ok(out.some((l) => /^suite +platform +verdict +duration +changed +why$/.test(l)));
    assert.ok(out.includes('2 cells: 1 passed, 1 skipped in ' + out.find((l) => l.startsWith('2 cells: '))!.split(' in ')[1]));
    assert.match(r.stderr, /error: 1 cell skipped, no image here: default on ubuntu-22\.04 \(--strict\)/);
    assert.deepEqual(containers(), []);
  });

  test('SIGTERM mid-run: every cell stops, every container is removed, exit 143, no summary and no JUnit file', { timeout: 180_000 }, async (t) => {
    if (!usable(t, docker)) return;
    const junit = join(mkdtempSync(join(tmpdir(), 'cloche-junit-')), 'results.xml');
    const child = spawn(process.execPath, [CLI, 'test', FIXTURE, '--matrix', '--concurrency', '2', '--format', 'jsonl', '--junit', junit, '--runtime', 'docker',
      '--attribute', 'matrix_fx.sleep=300'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Both cells are in their 300 s settle step: their containers exist.
    const settling = () => stdout.split('\n').filter((l) => l.includes('"step-start"') && l.includes('execute[settle]')).length;
    const ready = new Promise<void>((resolve) => child.stdout.on('data', (d) => { stdout += String(d); if (settling() >= 2) resolve(); }));
    await Promise.race([ready, exited.then((code) => assert.fail(`the matrix ended (exit ${code}) before both cells were settling\n${stderr}`))]);
    assert.equal(containers().length, 2, 'one container per running cell');
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    assert.match(stderr, /cloche test: interrupted \(SIGTERM\); 2 running cells stopped, their containers removed/);
    assert.doesNotMatch(stdout, /"summary"/);
    assert.doesNotMatch(stdout, /"kind":"finished","result":\{"suite":"\w+","platform":"debian-12"/, 'no result claimed for a cell cut short');
    assert.equal(existsSync(junit), false);
    assert.deepEqual(containers(), [], 'every container is gone');
  });
});
