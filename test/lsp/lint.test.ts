/**
 * Lint and format with the cookbook author's RuboCop over real LSP: Debian's `rubocop` package (the
 * real program) on a temporary cookbook — an offence is a diagnostic after save, its quick fix and
 * Format Document fix it, the cookbook's `.rubocop.yml` is honoured, as-you-type linting, Workspace
 * Trust; and with a fake `rubocop` that never ends (killed after the timeout, the server answering
 * meanwhile) or none on PATH (one clear status, no errors). With CI set a missing rubocop fails the
 * tests that need it; outside CI they skip, loudly.
 */
import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity, FileChangeType, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, uri } from './client';
import { rubocopMissing } from '../rubocop';

/** Why the real-RuboCop tests cannot run here (undefined: they can). With CI set, a reason is an error. */
/** RuboCop's defaults minus what is about the repository rather than the recipe, so each test sees only its own offences. */
const QUIET_CONFIG = 'AllCops:\n  NewCops: disable\n  SuggestExtensions: false\nStyle/FrozenStringLiteralComment:\n  Enabled: false\n';

/** A temporary workspace with one cookbook, `lintme`. */
function workspace(prefix: string, config = QUIET_CONFIG): { root: string; cookbook: string; recipe: (name: string, text: string) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cloche-lint-${prefix}-`));
  const cookbook = path.join(root, 'lintme');
  fs.mkdirSync(path.join(cookbook, 'recipes'), { recursive: true });
  fs.writeFileSync(path.join(cookbook, 'metadata.rb'), "name 'lintme'\nversion '0.1.0'\n");
  fs.writeFileSync(path.join(cookbook, '.rubocop.yml'), config);
  const recipe = (name: string, text: string) => { const f = path.join(cookbook, 'recipes', name); fs.writeFileSync(f, text); return f; };
  return { root, cookbook, recipe };
}

/** Applies LSP edits to a text (non-overlapping, any order). */
function apply(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const at = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  return [...edits].sort((a, b) => at(b.range.start) - at(a.range.start)).reduce((t, e) => t.slice(0, at(e.range.start)) + e.newText + t.slice(at(e.range.end)), text);
}

const lintOf = (ds: Diagnostic[]) => ds.filter((d) => d.source === 'rubocop' || d.source === 'cookstyle');
const has = (cop: string) => (ds: Diagnostic[]) => lintOf(ds).some((d) => d.code === cop);
const lacks = (cop: string) => (ds: Diagnostic[]) => !has(cop)(ds);
/** RuboCop starts slowly on a busy machine; these are hang guards, not timings. */
const LINT_WAIT_MS = 60_000;

describe('lint with the real rubocop', { skip: rubocopMissing('the lint tests with the real rubocop') }, () => {
  let ws: ReturnType<typeof workspace>;
  let client: TestClient;
  before(async () => {
    ws = workspace('real');
    client = await TestClient.start({ roots: [ws.root], settings: { lint: { timeoutSeconds: 60 } } });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('an offence saved in a recipe is a rubocop diagnostic with the cop as code; its quick fix fixes it', async () => {
    const file = ws.recipe('quotes.rb', "package 'nginx'\n");
    await client.open(file);
    await client.change(file, 'package "nginx"\n');
    await client.save(file);
    const [diag] = lintOf(await client.published(file, has('Style/StringLiterals'), LINT_WAIT_MS));
    assert.equal(diag.source, 'rubocop');
    assert.equal(diag.code, 'Style/StringLiterals');
    assert.equal(diag.severity, DiagnosticSeverity.Information);
    assert.deepEqual(diag.range, { start: { line: 0, character: 8 }, end: { line: 0, character: 15 } }, 'the range is the string "nginx"');
    // Cloche's own findings are still pulled as before, apart from the linter's.
    assert.ok((await client.diagnostics(file)).every((d) => d.source === 'cloche'));

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [diag] } });
    const fix = actions.find((a) => a.title === 'Fix Style/StringLiterals here (rubocop autocorrect)');
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(fix.edit, undefined, 'RuboCop runs only when the fix is chosen');
    const resolved = await client.request<CodeAction>('codeAction/resolve', fix);
    const edits = resolved.edit?.changes?.[uri(file)] ?? [];
    const fixed = apply(client.texts.get(uri(file))!, edits);
    assert.equal(fixed, "package 'nginx'\n");
    await client.change(file, fixed);
    // The fixed text is linted when it arrives, without waiting for a save.
    await client.published(file, lacks('Style/StringLiterals'), LINT_WAIT_MS);
  });

  test('"Fix … here" corrects only that offence; "Fix all …" every one of that cop in the file', async () => {
    const file = ws.recipe('two.rb', 'package "a"\npackage "b"\n');
    await client.open(file);
    const diags = lintOf(await client.published(file, (ds) => lintOf(ds).filter((d) => d.code === 'Style/StringLiterals').length === 2, LINT_WAIT_MS));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diags[0].range, context: { diagnostics: [diags[0]] } });
    const resolve = async (title: string) => {
      const a = actions.find((x) => x.title === title);
      assert.ok(a, actions.map((x) => x.title).join(', '));
      const r = await client.request<CodeAction>('codeAction/resolve', a);
      return apply(client.texts.get(uri(file))!, r.edit?.changes?.[uri(file)] ?? []);
    };
    assert.equal(await resolve('Fix Style/StringLiterals here (rubocop autocorrect)'), 'package \'a\'\npackage "b"\n');
    assert.equal(await resolve('Fix all 2 Style/StringLiterals offences in this file (rubocop autocorrect)'), "package 'a'\npackage 'b'\n");
  });

  test('"Disable … for this line" writes RuboCop\'s own comment, which RuboCop then honours', async () => {
    const file = ws.recipe('disable.rb', 'service "nginx"\n');
    await client.open(file);
    const [diag] = lintOf(await client.published(file, has('Style/StringLiterals'), LINT_WAIT_MS));
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [diag] } });
    const disable = actions.find((a) => a.title === 'Disable Style/StringLiterals for this line');
    assert.ok(disable?.edit, actions.map((a) => a.title).join(', '));
    const text = apply(client.texts.get(uri(file))!, disable.edit.changes![uri(file)]);
    assert.equal(text, 'service "nginx" # rubocop:disable Style/StringLiterals\n');
    await client.change(file, text);
    await client.save(file);
    await client.published(file, lacks('Style/StringLiterals'), LINT_WAIT_MS);
  });

  test('Format Document returns the edits of RuboCop\'s safe autocorrect', async () => {
    const original = 'package "nginx"\nservice "nginx" do\n    action :start\nend\n';
    const file = ws.recipe('format.rb', original);
    await client.open(file);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(file) }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(edits.length > 0);
    assert.equal(apply(original, edits), "package 'nginx'\nservice 'nginx' do\n  action :start\nend\n");
    // Minimal edits: the line that ends the block is not rewritten.
    assert.ok(edits.every((e) => e.range.start.line < 3), JSON.stringify(edits));
  });

  test('an unsafe correction is applied only with cloche.lint.autocorrect "all"; choosing it otherwise says why', async () => {
    const dir = path.join(ws.root, 'unsafe', 'recipes');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(ws.root, 'unsafe', 'metadata.rb'), "name 'unsafe'\n");
    // RuboCop's own defaults here: the magic comment cop is on, and its correction is marked unsafe.
    fs.writeFileSync(path.join(ws.root, 'unsafe', '.rubocop.yml'), 'AllCops:\n  NewCops: disable\n  SuggestExtensions: false\n');
    const file = path.join(dir, 'default.rb');
    fs.writeFileSync(file, "package 'nginx'\n");
    await client.open(file);
    const [diag] = lintOf(await client.published(file, has('Style/FrozenStringLiteralComment'), LINT_WAIT_MS)).filter((d) => d.code === 'Style/FrozenStringLiteralComment');
    const resolveFix = async () => {
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [diag] } });
      const fix = actions.find((a) => a.title === 'Fix Style/FrozenStringLiteralComment here (rubocop autocorrect)');
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      return client.request<CodeAction>('codeAction/resolve', fix);
    };
    const messages = client.messages.length;
    assert.equal((await resolveFix()).edit, undefined);
    await client.until(() => client.messages.length > messages, 10_000, 'a message saying why nothing changed');
    assert.match(client.messages.at(-1)!.message, /unsafe.*cloche\.lint\.autocorrect/);

    client.settings = { lint: { timeoutSeconds: 60, autocorrect: 'all' } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: client.settings } });
    const edits = (await resolveFix()).edit?.changes?.[uri(file)] ?? [];
    assert.match(apply(client.texts.get(uri(file))!, edits), /^# frozen_string_literal: true\n/);
    client.settings = { lint: { timeoutSeconds: 60 } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: client.settings } });
  });

  test("the cookbook's .rubocop.yml decides: disabling the cop there removes the diagnostic", async () => {
    const file = ws.recipe('config.rb', 'directory "/srv"\n');
    await client.open(file);
    await client.published(file, has('Style/StringLiterals'), LINT_WAIT_MS);
    const config = path.join(ws.cookbook, '.rubocop.yml');
    fs.writeFileSync(config, `${QUIET_CONFIG}Style/StringLiterals:\n  Enabled: false\n`);
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(config), type: FileChangeType.Changed }] });
    await client.published(file, lacks('Style/StringLiterals'), LINT_WAIT_MS);
    fs.writeFileSync(config, QUIET_CONFIG);
  });
});

describe('lint as you type, and Workspace Trust', { skip: rubocopMissing('the lint tests with the real rubocop') }, () => {
  let ws: ReturnType<typeof workspace>;
  let client: TestClient;
  before(async () => {
    ws = workspace('trust');
    client = await TestClient.start({ roots: [ws.root], settings: { lint: { run: 'onType', timeoutSeconds: 60 } }, initializationOptions: { trusted: false } });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });

  test('nothing runs until the workspace is trusted; then unsaved text is linted as it is typed', async () => {
    const file = ws.recipe('typed.rb', "package 'nginx'\n");
    await client.open(file);
    await client.change(file, 'package "nginx"\n');
    await client.until(() => client.lintStatuses.some((s) => s.state === 'untrusted'), 10_000, 'the untrusted status');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(file) }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, [], 'no Format Document in an untrusted workspace');
    await client.diagnostics(file); // answered after every notification sent before it
    assert.deepEqual(lintOf(client.lastPublished(file) ?? []), []);
    assert.ok(!client.lintStatuses.some((s) => s.state === 'ready'), JSON.stringify(client.lintStatuses));

    await client.conn.sendNotification('cloche/workspaceTrusted');
    // The editor's unsaved text is what is linted (the disk still has single quotes).
    await client.published(file, has('Style/StringLiterals'), LINT_WAIT_MS);
    assert.equal(fs.readFileSync(file, 'utf8'), "package 'nginx'\n");
    await client.change(file, 'package "nginx"\npackage  \'curl\'\n');
    await client.published(file, (ds) => has('Style/StringLiterals')(ds) && has('Layout/SpaceBeforeFirstArg')(ds), LINT_WAIT_MS);
  });
});

describe('lint without a usable rubocop', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-lint-fake-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('a rubocop that never ends is killed after the timeout, with its children, and the server keeps answering', async () => {
    const ws = workspace('hang');
    const bin = path.join(dir, 'hang-bin');
    const pids = path.join(dir, 'pids');
    fs.mkdirSync(bin);
    // A shell that starts a child and waits: only killing the whole process group ends both.
    fs.writeFileSync(path.join(bin, 'rubocop'), `#!/bin/sh\necho $$ >> '${pids}'\nsleep 600 &\necho $! >> '${pids}'\nwait\n`, { mode: 0o755 });
    const client = await TestClient.start({ roots: [ws.root], settings: { lint: { timeoutSeconds: 1 } }, env: { PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    try {
      const file = ws.recipe('hang.rb', 'package "nginx"\n');
      await client.open(file);
      await client.until(() => fs.existsSync(pids) && fs.readFileSync(pids, 'utf8').trim().split('\n').length >= 2, 20_000, 'the fake rubocop to start');
      // While it hangs, the server answers (Cloche's diagnostics do not wait for the linter).
      const started = Date.now();
      await client.diagnostics(file);
      assert.ok(Date.now() - started < 5000, 'answered within 5 s');
      await client.until(() => client.lintStatuses.some((s) => s.state === 'timeout'), 30_000, 'the timeout status');
      const status = client.lintStatuses.find((s) => s.state === 'timeout')!;
      assert.match(status.message, /rubocop took longer than 1 s on hang\.rb and was stopped/);
      const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
      const [shell, sleeper] = fs.readFileSync(pids, 'utf8').trim().split('\n').map(Number);
      await client.until(() => !alive(shell) && !alive(sleeper), 10_000, `the fake rubocop (${shell}) and its child (${sleeper}) to be gone`);
      assert.deepEqual(lintOf(client.lastPublished(file) ?? []), []);
      assert.ok(Array.isArray(await client.request('textDocument/documentSymbol', { textDocument: { uri: uri(file) } })));
    } finally {
      await client.stop();
      fs.rmSync(ws.root, { recursive: true, force: true });
    }
  });

  test('neither cookstyle nor rubocop on PATH: one status saying what to install, no error and no message per file', async () => {
    const ws = workspace('missing');
    const empty = path.join(dir, 'empty-bin');
    fs.mkdirSync(empty);
    const client = await TestClient.start({ roots: [ws.root], env: { PATH: empty }, lint: true });
    try {
      const files = [ws.recipe('one.rb', 'package "a"\n'), ws.recipe('two.rb', 'package "b"\n')];
      for (const f of files) { await client.open(f); await client.save(f); }
      const formatted = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: uri(files[0]) }, options: { tabSize: 2, insertSpaces: true } });
      assert.deepEqual(formatted, []);
      for (const f of files) await client.diagnostics(f);
      const missing = client.lintStatuses.filter((s) => s.state === 'missing');
      assert.equal(missing.length, 1, JSON.stringify(client.lintStatuses));
      assert.match(missing[0].message, /neither cookstyle nor rubocop is on PATH/);
      assert.match(missing[0].message, /apt install rubocop/);
      assert.match(missing[0].message, /gem install cookstyle/);
      assert.deepEqual(client.messages, [], 'no pop-up message');
      for (const f of files) assert.deepEqual(lintOf(client.lastPublished(f) ?? []), []);
      assert.ok(!client.logs.some((l) => /failed|uncaught|unhandled/i.test(l)), client.logs.join('\n'));
    } finally {
      await client.stop();
      fs.rmSync(ws.root, { recursive: true, force: true });
    }
  });
});
