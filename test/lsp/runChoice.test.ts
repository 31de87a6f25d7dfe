/** The run in the editor: a picked kitchen suite and the run settings change diagnostics, hovers and the graph. */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, uri, cursorIn } from './client';
import type { Graph } from '../../server/src/protocol';
import type { RunStatus } from '../../server/src/customMethods';

const RUNS = path.resolve(__dirname, '../fixtures/runs');
const CB = path.join(RUNS, 'suites_cb');
const RECIPE = path.join(CB, 'recipes/default.rb');
const KITCHEN = path.join(CB, 'kitchen.yml');
const clients: TestClient[] = [];
after(async () => { for (const c of clients) await c.stop(); });

async function start(settings: Record<string, unknown> = {}): Promise<TestClient> {
  const c = await TestClient.start({ roots: [RUNS], settings });
  clients.push(c);
  await c.open(RECIPE);
  return c;
}

const codes = async (c: TestClient, file = RECIPE) => (await c.diagnostics(file)).map((d) => `${d.code}@${d.range.start.line + 1}`);
const status = (c: TestClient) => c.request<RunStatus>('cloche/runStatus', { uri: uri(RECIPE) });
const graphIds = async (c: TestClient) => (await c.request<Graph>('cloche/graph', { uri: uri(RECIPE) })).resources.map((r) => r.id);
const hover = async (c: TestClient, at: string) => {
  const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(RECIPE) }, position: cursorIn(fs.readFileSync(RECIPE, 'utf8'), at) });
  return h ? (h.contents as MarkupContent).value : '';
};
const pick = (c: TestClient, suite?: string, kitchenPlatform?: string) => c.conn.sendNotification('cloche/pickSuite', { kitchenFile: KITCHEN, suite, kitchenPlatform });

test('picking a kitchen suite changes the diagnostics, the hover and the graph; picking none goes back', async () => {
  const c = await start();
  assert.deepEqual(await codes(c), []);
  const before = await status(c);
  assert.equal(before.kitchenFile, KITCHEN);
  assert.deepEqual(before.suites.map((s) => [s.name, s.runs, s.platforms.join(' ')]), [
    ['plain', 'recipe[suites_cb]', 'debian-12 almalinux-9'], ['tuned', 'recipe[suites_cb::default]', 'debian-12 almalinux-9'], ['broken', 'role[nope]', 'debian-12 almalinux-9']]);
  assert.equal(before.suite, undefined);
  assert.ok((await graphIds(c)).includes('file[/etc/suites_cb/plain]'));

  await pick(c, 'tuned');
  assert.deepEqual(await codes(c), ['missing-template@6'], 'the suite\'s template attribute names a template the cookbook lacks');
  const s = await status(c);
  assert.equal(s.suite, 'tuned');
  assert.equal(s.platform, 'debian-12', 'the suite\'s first platform, a profile name');
  assert.match(s.platformFrom, /kitchen platform debian-12/);
  assert.deepEqual(s.inputs, ['suite tuned attributes']);
  assert.ok((await graphIds(c)).includes('file[/etc/suites_cb/tuned]'));
  const md = await hover(c, "node['suites_cb']['mo|de']");
  assert.match(md, /wins: \*\*normal\*\* — suite tuned attributes, .*kitchen\.yml/);

  await pick(c, 'tuned', 'almalinux-9');
  assert.equal((await status(c)).platform, 'almalinux-9', 'a kitchen platform named like a profile picks it');

  await pick(c, undefined);
  assert.deepEqual(await codes(c), []);
  assert.equal((await status(c)).suite, undefined);
});

test('a suite whose inputs are broken: a run-input error on the kitchen file, the run status says so, the recipe is still analysed', async () => {
  const c = await start();
  await pick(c, 'broken');
  const s = await status(c);
  assert.equal(s.errors.length, 1);
  assert.match(s.errors[0], /kitchen\.yml:1: role\[nope\] \(in suite broken\) does not exist \(no roles folder was found\)/);
  await c.open(KITCHEN);
  const onKitchen = await c.diagnostics(KITCHEN);
  assert.deepEqual(onKitchen.map((d) => d.code), ['run-input']);
  assert.deepEqual(await codes(c), [], 'the recipe is analysed all the same');
});

test('the run settings: a node attributes file (relative to the workspace folder) and an environment', async () => {
  const c = await start({ run: { attributesFile: 'suites_cb/node.json' } });
  assert.ok((await graphIds(c)).includes('file[/etc/suites_cb/from-json]'));
  assert.deepEqual((await status(c)).inputs, ['--attributes node.json']);
  c.settings = { run: { attributesFile: 'suites_cb/node.json', environment: 'nowhere' } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: c.settings } });
  const s = await status(c);
  assert.match(s.errors.join('\n'), /environment 'nowhere' does not exist/);
  c.settings = { run: { attributes: { suites_cb: { mode: 'inline' } } } };
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: c.settings } });
  assert.ok((await graphIds(c)).includes('file[/etc/suites_cb/inline]'));
});
