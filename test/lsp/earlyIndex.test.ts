/**
 * Answers before the whole workspace is indexed: a workspace generated here with hundreds of
 * cookbooks, its index held open at its end (CLOCHE_TEST_HOLD_INDEX: the scan never ends while the
 * file exists, so nothing here depends on how fast the machine scans). The opened files' diagnostics
 * and other requests are answered while the status still says `indexing`; a dependency the early
 * look-up cannot find is said to be not found yet (never a guess), and a better version found only
 * by the scan replaces the early choice: both end with the right diagnostics after the refresh.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, CompletionList, CompletionItem } from 'vscode-languageserver-protocol';
import { TestClient, cursorIn, uri } from './client';

/** More cookbooks than a small workspace (indexJob.ts SMALL_INDEX), so requests are answered early. */
const FILLERS = 400;

let root: string;
let hold: string;

/** A cookbook folder: metadata, files by relative path. */
function cookbook(dir: string, metadata: string, files: Record<string, string> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'metadata.rb'), metadata);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

const thing = (name: string, props: string[]) => `resource_name :${name}\nprovides :${name}\n${props.map((p) => `property :${p}, String\n`).join('')}action :run do\nend\n`;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-early-'));
  hold = path.join(os.tmpdir(), `cloche-hold-${path.basename(root)}`);
  // Found by the look-up: a sibling folder named as the cookbook.
  cookbook(path.join(root, 'app'), "name 'app'\nversion '1.0.0'\ndepends 'near_dep'\n", { 'recipes/default.rb': "near_thing 'a' do\n  colour 'red'\nend\n" });
  cookbook(path.join(root, 'near_dep'), "name 'near_dep'\nversion '1.0.0'\n", { 'resources/near_thing.rb': thing('near_thing', ['size']) });
  // Not found by the look-up: its folder is named otherwise, deep in the workspace.
  cookbook(path.join(root, 'late_app'), "name 'late_app'\nversion '1.0.0'\ndepends 'late_dep'\n", { 'recipes/default.rb': "late_thing 'b' do\n  wrong 'x'\nend\n" });
  cookbook(path.join(root, 'zz', 'vendored', 'odd-folder'), "name 'late_dep'\nversion '1.0.0'\n", { 'resources/late_thing.rb': thing('late_thing', ['right']) });
  // A better version elsewhere: the sibling `shared` 1.0.0 lacks the property that `shared` 2.0.0 has.
  cookbook(path.join(root, 'upgrader'), "name 'upgrader'\nversion '1.0.0'\ndepends 'shared'\n", { 'recipes/default.rb': "shared_thing 'c' do\n  newer 'yes'\nend\n" });
  cookbook(path.join(root, 'shared'), "name 'shared'\nversion '1.0.0'\n", { 'resources/shared_thing.rb': thing('shared_thing', ['older']) });
  cookbook(path.join(root, 'zz', 'releases', 'shared-2'), "name 'shared'\nversion '2.0.0'\n", { 'resources/shared_thing.rb': thing('shared_thing', ['older', 'newer']) });
  for (let i = 0; i < FILLERS; i++) cookbook(path.join(root, 'fillers', `f${String(i).padStart(3, '0')}`), `name 'f${i}'\nversion '1.0.0'\n`, { 'recipes/default.rb': `package 'p${i}'\n` });
});
after(() => { fs.rmSync(root, { recursive: true, force: true }); fs.rmSync(hold, { force: true }); });

const APP = () => path.join(root, 'app/recipes/default.rb');
const LATE = () => path.join(root, 'late_app/recipes/default.rb');
const UPGRADER = () => path.join(root, 'upgrader/recipes/default.rb');

/** The state of the last `cloche/status` the server sent. */
function lastStatus(client: TestClient): string | undefined {
  const line = [...client.logs].reverse().find((l) => l.startsWith('status: '));
  return line ? (JSON.parse(line.slice('status: '.length)) as { state: string }).state : undefined;
}

async function startHeld(pull = true): Promise<TestClient> {
  fs.writeFileSync(hold, '');
  return TestClient.start({ roots: [root], pull, env: { CLOCHE_TEST_HOLD_INDEX: hold } });
}

test('the opened file is answered while indexing; a late dependency and a better version end right after the refresh (pull)', async () => {
  const client = await startHeld();
  try {
    await client.open(APP());
    const app = await client.diagnostics(APP());
    assert.deepEqual(app.map((d) => d.code), ['unknown-property'], 'the dependency found by the look-up is used');
    assert.match(String(app[0].message), /colour/);
    assert.equal(lastStatus(client), 'indexing', 'answered while the status still says indexing');

    // Other requests are answered during the scan too.
    const text = fs.readFileSync(APP(), 'utf8');
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(APP()) }, position: cursorIn(text, "near_th|ing 'a'") });
    assert.ok(hover && JSON.stringify(hover.contents).includes('custom resource from `near_dep`'), JSON.stringify(hover));
    const completion = await client.request<CompletionList | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri: uri(APP()) }, position: cursorIn(text, "  col|our 'red'") });
    const labels = (Array.isArray(completion) ? completion : completion?.items ?? []).map((c) => c.label);
    assert.ok(labels.includes('size'), labels.join(', '));

    // Not found by the look-up: said so, nothing guessed (no unknown-resource, no unknown-property).
    await client.open(LATE());
    const late = await client.diagnostics(LATE());
    assert.deepEqual(late.map((d) => d.code), ['not-indexed-yet']);
    assert.match(String(late[0].message), /'late_dep'/);
    const lateMeta = await client.diagnostics(path.join(root, 'late_app/metadata.rb'));
    assert.deepEqual(lateMeta.map((d) => [d.code, d.range.start.line + 1]), [['not-indexed-yet', 3]], 'on the depends line');

    // The sibling release is the best known so far.
    await client.open(UPGRADER());
    assert.deepEqual((await client.diagnostics(UPGRADER())).map((d) => d.code), ['unknown-property']);
    assert.equal(lastStatus(client), 'indexing');
    assert.ok(!client.logs.includes('refresh'));

    fs.rmSync(hold);
    await client.until(() => lastStatus(client) === 'ready', 60_000, 'the index to end');
    await client.until(() => client.logs.includes('refresh'), 10_000, 'a diagnostics refresh');
    const lateNow = await client.diagnostics(LATE());
    assert.deepEqual(lateNow.map((d) => d.code), ['unknown-property'], JSON.stringify(lateNow));
    assert.match(String(lateNow[0].message), /wrong/);
    assert.deepEqual(await client.diagnostics(path.join(root, 'late_app/metadata.rb')), []);
    assert.deepEqual(await client.diagnostics(UPGRADER()), [], 'shared 2.0.0, found by the scan, has the property');
    assert.deepEqual((await client.diagnostics(APP())).map((d) => d.code), ['unknown-property']);
  } finally {
    await client.stop();
  }
});

test('a push client gets the late dependency\'s diagnostics when the index ends', async () => {
  const client = await startHeld(false);
  try {
    await client.open(LATE());
    const early = await client.published(LATE(), (d) => d.length > 0, 30_000);
    assert.deepEqual(early.map((d) => d.code), ['not-indexed-yet']);
    assert.equal(lastStatus(client), 'indexing');
    fs.rmSync(hold);
    const final = await client.published(LATE(), (d) => d.some((x) => x.code === 'unknown-property'), 60_000);
    assert.deepEqual(final.map((d) => d.code), ['unknown-property']);
    assert.equal(lastStatus(client), 'ready');
  } finally {
    await client.stop();
  }
});
