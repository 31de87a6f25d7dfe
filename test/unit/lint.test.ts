/**
 * The pure parts of lint and format: RuboCop's JSON report → offences in editor terms, the edits
 * between a text and its autocorrected form (and which belong to one offence), RuboCop's disable
 * comment, the debounced per-document runs, and finding the linter on PATH. The reports here are of
 * our own making, in the shape RuboCop's JSON formatter writes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { offencesOf, parseReport, severityOf } from '../../server/src/lint/rubocopReport';
import { applyEdits, editsBetween, editsFor } from '../../server/src/lint/textEdits';
import { rubocopDisableEdit } from '../../server/src/lint/disableComment';
import { DebouncedRuns } from '../../server/src/lint/debouncedRuns';
import { findLinter } from '../../server/src/lint/cookstyle';
import { parseRuby } from '../../server/src/ruby/prism';

/** A report as RuboCop's JSON formatter lays it out, with offences given as [cop, severity, start line, start col, last line, last col, correctable]. */
function report(file: string, offences: [string, string, number, number, number, number, boolean, string?][], extra = ''): string {
  return extra + JSON.stringify({
    metadata: { rubocop_version: '9.8.7', ruby_engine: 'ruby' },
    files: [{ path: file, offenses: offences.map(([cop, severity, sl, sc, ll, lc, correctable, message]) => ({
      severity, message: message ?? `${cop} says so.`, cop_name: cop, corrected: false, correctable,
      location: { start_line: sl, start_column: sc, last_line: ll, last_column: lc, length: 1, line: sl, column: sc },
    })) }],
    summary: { offense_count: offences.length, target_file_count: 1, inspected_file_count: 1 },
  });
}

describe('RuboCop JSON report → offences', () => {
  it('turns 1-based character columns (last one inclusive) into 0-based UTF-16 spans', () => {
    const text = 'x = "héllo 🍕 wörld"\ny = 1\n';
    // The string literal: characters 5..19 of line 1 (the pizza is one character for Ruby, two UTF-16 units).
    const r = parseReport(report('recipes/a.rb', [['Style/StringLiterals', 'convention', 1, 5, 1, 19, true]]))!;
    assert.equal(r.version, '9.8.7');
    const [o] = offencesOf(r.files[0].offences, text);
    assert.deepEqual(o.span, { start: { line: 0, character: 4 }, end: { line: 0, character: 20 } });
    assert.equal(text.split('\n')[0].slice(o.span.start.character, o.span.end.character), '"héllo 🍕 wörld"');
    assert.equal(o.cop, 'Style/StringLiterals');
    assert.equal(o.correctable, true);
  });

  it('keeps multi-line offences on their lines and clamps positions past the text', () => {
    const text = 'if a\n  b\nend\n';
    const [multi, past] = offencesOf(parseReport(report('f.rb', [
      ['Style/IfUnlessModifier', 'convention', 1, 1, 3, 3, true],
      ['Layout/TrailingEmptyLines', 'convention', 9, 4, 9, 9, true],
    ]))!.files[0].offences, text);
    assert.deepEqual(multi.span, { start: { line: 0, character: 0 }, end: { line: 2, character: 3 } });
    assert.deepEqual(past.span, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } });
  });

  it("maps RuboCop's levels: fatal and error → error, warning → warning, the style levels → info", () => {
    assert.deepEqual(['fatal', 'error', 'warning', 'convention', 'refactor', 'info'].map((s) => severityOf(s as never)), ['error', 'error', 'warning', 'info', 'info', 'info']);
  });

  it('drops a leading cop name from messages, skips text before the JSON, and leaves out malformed offences', () => {
    const good = report('f.rb', [['Lint/UselessAssignment', 'warning', 1, 1, 1, 1, false, 'Lint/UselessAssignment: Useless assignment to variable - `x`.']], 'warning: a plugin said something\n');
    const raw = JSON.parse(good.slice(good.indexOf('{')));
    raw.files[0].offenses.push({ severity: 'warning', message: 'no location', cop_name: 'X/Y' });
    const r = parseReport('warning: a plugin said something\n' + JSON.stringify(raw))!;
    assert.equal(r.files[0].offences.length, 1);
    const [o] = offencesOf(r.files[0].offences, 'x = 1\n');
    assert.equal(o.message, 'Useless assignment to variable - `x`.');
    assert.equal(o.severity, 'warning');
    assert.equal(o.correctable, false);
  });

  it('is undefined for output that is no report (a crash, a usage message)', () => {
    assert.equal(parseReport(''), undefined);
    assert.equal(parseReport('invalid option: --frobnicate'), undefined);
    assert.equal(parseReport('{"metadata": {}, "files": "nope"}'), undefined);
    assert.equal(parseReport('{"files": [ {"path": "a.rb", "offenses": ['), undefined);
  });

  it('reads an excluded file as no files at all', () => {
    assert.deepEqual(parseReport('{"metadata":{"rubocop_version":"1.0.0"},"files":[],"summary":{}}'), { version: '1.0.0', files: [] });
  });
});

describe('edits between a text and its autocorrected form', () => {
  const before = "package \"nginx\"\nservice \"nginx\" do\n    action :start\nend\n";
  const after = "package 'nginx'\nservice 'nginx' do\n  action :start\nend\n";

  it('are small (changed lines only) and turn the text into the corrected one', () => {
    const edits = editsBetween(before, after);
    assert.equal(applyEdits(before, edits), after);
    assert.ok(edits.every((e) => e.span.end.line <= 3), JSON.stringify(edits));
    assert.deepEqual(editsBetween(before, before), []);
  });

  it('cover only what differs within a line, never half of a surrogate pair', () => {
    assert.deepEqual(editsBetween('package "nginx"\n', "package 'nginx'\n"), [{ span: { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, newText: "'nginx'" }]);
    const [pizza] = editsBetween('a🍕b\n', 'a🍔b\n');
    assert.deepEqual(pizza, { span: { start: { line: 0, character: 1 }, end: { line: 0, character: 3 } }, newText: '🍔' });
  });

  it('handle a last line without a newline, insertions at the top and deletions', () => {
    for (const [a, b] of [['x = 1', 'x = 2'], ['a\nb', '# frozen_string_literal: true\n\na\nb'], ['a\n\n\nb\n', 'a\n\nb\n'], ['', 'x\n'], ['a\r\nb\r\n', 'a\r\nc\r\n']]) {
      assert.equal(applyEdits(a, editsBetween(a, b)), b, JSON.stringify([a, b]));
    }
  });

  it("for one offence: only the edits on its lines or an insertion right after them; all when none is there", () => {
    const edits = editsBetween(before, after);
    const first = editsFor(edits, { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } });
    assert.equal(applyEdits(before, first), "package 'nginx'\nservice \"nginx\" do\n    action :start\nend\n");
    const second = editsFor(edits, { start: { line: 1, character: 8 }, end: { line: 1, character: 15 } });
    assert.equal(applyEdits(before, second), "package \"nginx\"\nservice 'nginx' do\n    action :start\nend\n", 'not the next line\'s offence');
    const insertAfter = editsBetween('return if a\nb\n', 'return if a\n\nb\n');
    assert.equal(editsFor(insertAfter, { start: { line: 0, character: 0 }, end: { line: 0, character: 11 } }).length, 1);
    const elsewhere = editsBetween('a\nb\nc\nd\n', 'a\nb\nc\nD\n');
    assert.equal(editsFor(elsewhere, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }).length, 1);
  });
});

describe("RuboCop's disable comment for a line", () => {
  const edit = (text: string, line: number, cop = 'Style/StringLiterals') => {
    const e = rubocopDisableEdit(parseRuby(text), line, cop);
    return e && applyEdits(text, [e]);
  };

  it('goes at the end of the line, or joins a rubocop:disable comment there', () => {
    assert.equal(edit('package "nginx"\n', 0), 'package "nginx" # rubocop:disable Style/StringLiterals\n');
    assert.equal(edit('package "nginx" # rubocop:disable Layout/LineLength\n', 0), 'package "nginx" # rubocop:disable Layout/LineLength, Style/StringLiterals\n');
    assert.equal(edit('package "a"\r\n', 0), 'package "a" # rubocop:disable Style/StringLiterals\r\n');
  });

  it('is not offered where the comment would mean something else or become text', () => {
    assert.equal(edit('package "nginx" # the web server\n', 0), undefined, 'another comment ends the line');
    assert.equal(edit('  \nx = 1\n', 0), undefined, 'a comment alone on a line disables to the end of the file');
    assert.equal(edit('# a comment\n', 0), undefined);
    assert.equal(edit('x = "first\nsecond"\n', 0), undefined, 'the line ends inside a string');
    assert.equal(edit('x = <<~EOS\n  body\nEOS\n', 0), undefined, 'a heredoc body follows');
    assert.equal(edit('package "nginx" # rubocop:disable Style/StringLiterals\n', 0), undefined, 'already disabled');
    assert.equal(edit('package "a" do\n', 0), undefined, 'a file that does not parse');
  });
});

describe('debounced runs per document', () => {
  it('a newer run cancels the pending and the running one of the same document, and never overlaps it', async () => {
    const runs = new DebouncedRuns(4);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string) => async (signal: AbortSignal) => {
      running++; most = Math.max(most, running);
      log.push(`start ${name}`);
      await new Promise<void>((resolve) => { if (signal.aborted) resolve(); signal.addEventListener('abort', () => resolve(), { once: true }); setTimeout(resolve, 200); });
      log.push(`${signal.aborted ? 'aborted' : 'done'} ${name}`);
      running--;
    };
    const a = runs.schedule('doc', 0, job('a'));
    await new Promise((r) => setTimeout(r, 20));
    const b = runs.schedule('doc', 1000, job('b')); // pending for a second…
    const c = runs.schedule('doc', 0, job('c')); // …and replaced at once
    await Promise.all([a, b, c]);
    assert.deepEqual(log, ['start a', 'aborted a', 'start c', 'done c']);
    assert.equal(most, 1);
    assert.equal(runs.has('doc'), false);
  });

  it('runs at most maxParallel jobs at once over all documents', async () => {
    const runs = new DebouncedRuns(2);
    let running = 0;
    let most = 0;
    const job = async () => { running++; most = Math.max(most, running); await new Promise((r) => setTimeout(r, 30)); running--; };
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => runs.schedule(k, 0, job)));
    assert.equal(most, 2);
  });

  it('a job cancelled while waiting ends without running', async () => {
    const runs = new DebouncedRuns(1);
    let ran = false;
    const p = runs.schedule('x', 50, async () => { ran = true; });
    runs.cancel('x');
    await p;
    assert.equal(ran, false);
  });
});

describe('finding the linter', () => {
  it('takes cookstyle before rubocop on PATH, an explicit command over both, and says what to install when there is none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-find-linter-'));
    try {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      fs.mkdirSync(a); fs.mkdirSync(b);
      const exe = (f: string) => fs.writeFileSync(f, '#!/bin/sh\n', { mode: 0o755 });
      exe(path.join(a, 'rubocop'));
      assert.deepEqual(findLinter(undefined, a), { tool: 'rubocop', command: path.join(a, 'rubocop') });
      exe(path.join(b, 'cookstyle'));
      assert.deepEqual(findLinter(undefined, [a, b].join(path.delimiter)), { tool: 'cookstyle', command: path.join(b, 'cookstyle') });
      assert.deepEqual(findLinter(path.join(a, 'rubocop'), b), { tool: 'rubocop', command: path.join(a, 'rubocop') });
      assert.deepEqual(findLinter('cookstyle', b), { tool: 'cookstyle', command: path.join(b, 'cookstyle') });
      fs.writeFileSync(path.join(dir, 'not-executable'), '');
      assert.match(String(findLinter(path.join(dir, 'not-executable'), a)), /cloche\.lint\.command .* is not an executable program/);
      assert.match(String(findLinter(undefined, dir)), /neither cookstyle nor rubocop is on PATH \(apt install rubocop, or gem install cookstyle/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
