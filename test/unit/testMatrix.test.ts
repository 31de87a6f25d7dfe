/**
 * The Test Explorer's matrix, pure part (client/src/testMatrix.ts): which tests run together, the
 * CLI's arguments, and each jsonl line's meaning for its item. test/fixtures/matrix-stream.jsonl is a
 * real stream, recorded from `cloche test test/engine/fixtures/matrix_fx --matrix --format jsonl
 * --concurrency 2 --network none` (paths and container ids replaced): default passes, failing fails on
 * debian-12, both skipped on ubuntu-22.04 (an image only a registry has).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { batchTests, cellKey, cellOutcome, cellStep, coveringSet, matrixArgs, parseMatrixLine, summaryText, type CellStep, type TestRef } from '../../client/src/testMatrix';
import type { ConvergeReport } from '../../server/src/protocol';

const STREAM = readFileSync(path.join(__dirname, '../fixtures/matrix-stream.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('which tests run as one matrix', () => {
  const cell = (cookbookDir: string, suite: string, platform: string): TestRef => ({ cookbookDir, cell: { suite, platform } });
  it('two or more kitchen cells of a cookbook are one matrix, where the first was; a lone cell and recipe tests run alone', () => {
    const a1 = cell('/a', 'default', 'debian-12');
    const recipe: TestRef = { cookbookDir: '/a' };
    const b1 = cell('/b', 'default', 'debian-12');
    const a2 = cell('/a', 'other', 'debian-12');
    const batches = batchTests([a1, recipe, b1, a2], (t) => t);
    assert.deepEqual(batches, [
      { kind: 'matrix', cookbookDir: '/a', tests: [a1, a2] },
      { kind: 'one', test: recipe },
      { kind: 'one', test: b1 },
    ]);
  });

  it('a cell asked for twice runs once (and alone, if it is the only one)', () => {
    const a1 = cell('/a', 'default', 'debian-12');
    const again = cell('/a', 'default', 'debian-12');
    assert.deepEqual(batchTests([a1, again], (t) => t), [{ kind: 'one', test: a1 }]);
  });
});

describe('the matrix command line', () => {
  const options = { concurrency: 0, hosts: [], network: 'bridge', flags: ['--runtime', 'docker'] };
  it('chooses the cells by suites × platforms, asks no concurrency at 0 and no host when there is none', () => {
    assert.deepEqual(matrixArgs('/cb', [{ suite: 'a', platform: 'debian-12' }, { suite: 'b', platform: 'debian-12' }], options), [
      'test', '/cb', '--matrix', '--suite', 'a', '--suite', 'b', '--kitchen-platform', 'debian-12', '--format', 'jsonl', '--network', 'bridge', '--runtime', 'docker',
    ]);
  });

  it('passes the concurrency and each host', () => {
    const args = matrixArgs('/cb', [{ suite: 'a', platform: 'p' }, { suite: 'a', platform: 'q' }], { ...options, concurrency: 3, hosts: ['ssh://me@box', 'tcp://b:2376'] });
    assert.deepEqual(args.slice(args.indexOf('jsonl') + 1, args.indexOf('--network')), ['--concurrency', '3', '--host', 'ssh://me@box', '--host', 'tcp://b:2376']);
    assert.deepEqual(args.slice(3, args.indexOf('--format')), ['--suite', 'a', '--kitchen-platform', 'p', '--kitchen-platform', 'q']);
  });

  it('pairs that are not a whole product are covered by the smallest one, the rest named as not asked for', () => {
    const c = coveringSet([{ suite: 'a', platform: 'p' }, { suite: 'b', platform: 'q' }]);
    assert.deepEqual(c, { suites: ['a', 'b'], platforms: ['p', 'q'], extra: [{ suite: 'a', platform: 'q' }, { suite: 'b', platform: 'p' }] });
    assert.deepEqual(coveringSet([{ suite: 'a', platform: 'p' }, { suite: 'a', platform: 'q' }]).extra, []);
  });
});

describe('a recorded matrix stream, line by line', () => {
  /** Each cell's steps in order, as recipeTests.ts applies them (the report kept for the end). */
  function replay(lines: string[]): Map<string, CellStep[]> {
    const steps = new Map<string, CellStep[]>();
    const reports = new Map<string, ConvergeReport>();
    for (const line of lines) {
      const l = parseMatrixLine(line);
      assert.ok(l, `every line of the stream is understood: ${line.slice(0, 80)}`);
      if (!('cell' in l)) continue;
      const key = cellKey(l.cell);
      const step = cellStep(l.event, reports.get(key));
      if (step.kind === 'output' && step.report) reports.set(key, step.report);
      steps.set(key, [...(steps.get(key) ?? []), step]);
    }
    return steps;
  }
  const steps = replay(STREAM);
  const of = (suite: string, platform: string) => steps.get(cellKey({ suite, platform }))!;
  const ends = (s: CellStep[]) => s.filter((x) => x.kind === 'end');

  it('a passing cell: enqueued, started on its image, its converge as text, then passed with its duration', () => {
    const s = of('default', 'debian-12');
    assert.deepEqual(s.slice(0, 2), [{ kind: 'enqueued' }, { kind: 'started', image: 'cloche/debian:12' }]);
    const text = s.filter((x) => x.kind === 'output').map((x) => (x as { text: string }).text).join('');
    assert.match(text, /file\[\/srv\/matrix\/suite\.txt\]/, 'the converge steps are in its output');
    assert.match(text, /Checking idempotence/);
    assert.doesNotMatch(text, /fail on purpose/, 'and nothing of the other cell');
    assert.deepEqual(ends(s), [{ kind: 'end', outcome: { state: 'passed', durationMs: 2635, messages: [] } }]);
    assert.equal(s.at(-1)!.kind, 'end', 'its end comes last');
  });

  it('a failing cell fails with its verdict and reason, and the failure on its source line', () => {
    const [end] = ends(of('failing', 'debian-12'));
    assert.ok(end.kind === 'end');
    assert.equal(end.outcome.state, 'failed');
    assert.match(end.outcome.messages[0].message, /^failed: execute\[fail on purpose\] \(\/cookbooks\/matrix_fx\/recipes\/failing\.rb:5\) action :run failed: exit 3/);
    const located = end.outcome.messages.find((m) => m.problem);
    assert.deepEqual(located?.problem?.location.file, '/cookbooks/matrix_fx/recipes/failing.rb');
    assert.equal(located?.problem?.location.line, 5);
  });

  it('a cell without an image is skipped with why, never started', () => {
    const s = of('default', 'ubuntu-22.04');
    assert.ok(!s.some((x) => x.kind === 'started' || x.kind === 'enqueued'));
    assert.match((s[0] as { text: string }).text, /^skipped: dokken\/ubuntu-22\.04 is not present, and Cloche cannot build it/);
    assert.equal((ends(s)[0] as { outcome: { state: string } }).outcome.state, 'skipped');
  });

  it('the summary is understood and other lines are not taken for cells', () => {
    const last = parseMatrixLine(STREAM.at(-1)!)!;
    assert.ok('summary' in last);
    assert.match(summaryText(last.summary), /^1 passed, 1 failed, 2 skipped in \d+\.\d s \(concurrency 2\)$/);
    assert.equal(parseMatrixLine('not json'), undefined);
    assert.equal(parseMatrixLine('{"cell":{"suite":"a"},"event":{"kind":"queued"}}'), undefined);
    assert.equal(parseMatrixLine('{"event":{"kind":"step-start"}}'), undefined, 'a single test\'s line is not a matrix line');
  });
});

describe('verdicts as the Test Explorer shows them', () => {
  const base = { suite: 's', platform: 'p', durationMs: 10 };
  it('incomplete and error are errors (Cloche could not check it), not-idempotent is a failure', () => {
    assert.equal(cellOutcome({ ...base, verdict: 'incomplete', reason: 'x' }).state, 'errored');
    assert.deepEqual(cellOutcome({ ...base, verdict: 'error', reason: 'no kitchen file' }), { state: 'errored', durationMs: 10, messages: [{ message: 'error: no kitchen file' }] });
    assert.equal(cellOutcome({ ...base, verdict: 'not-idempotent', reason: 'y' }).state, 'failed');
  });
});
