/** A Windows cookbook in the editor: diagnostics and hover follow the platform profile setting. */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri, cursorIn } from './client';

const RECIPE = path.join(FIXTURES, 'fx_windows/recipes/default.rb');
const clients: TestClient[] = [];
after(async () => { for (const c of clients) await c.stop(); });

async function start(platform?: string): Promise<TestClient> {
  const c = await TestClient.start(platform ? { settings: { platform } } : {});
  clients.push(c);
  await c.open(RECIPE);
  return c;
}

const hoverAt = async (c: TestClient, at: string) => {
  const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(RECIPE) }, position: cursorIn(fs.readFileSync(RECIPE, 'utf8'), at) });
  return h ? (h.contents as MarkupContent).value : '';
};

test('on windows-2022 the Windows cookbook is clean, and service is windows_service run by the Windows provider', async () => {
  const c = await start('windows-2022');
  const diags = await c.diagnostics(RECIPE);
  assert.deepEqual(diags.filter((d) => d.severity !== undefined && d.severity <= 2).map((d) => d.code), []);
  const md = await hoverAt(c, "serv|ice 'W3SVC' do");
  assert.match(md, /windows_service/);
  assert.match(md, /On windows-2022 Chef runs it with `Chef::Provider::Service::Windows`\./);
});

test('with no platform set (auto), the cookbook\'s supports picks windows-2022: clean, and the run status says why', async () => {
  const c = await start();
  const diags = await c.diagnostics(RECIPE);
  assert.deepEqual(diags.filter((d) => d.severity !== undefined && d.severity <= 2).map((d) => d.code), []);
  const run = await c.request<{ platform: string; platformFrom: string }>('cloche/runStatus', { uri: uri(RECIPE) });
  assert.equal(run.platform, 'windows-2022');
  assert.match(run.platformFrom, /supports 'windows'/);
});

test('on debian-12 (set) the Windows resources are reported, and their hover says why', async () => {
  const c = await start('debian-12');
  const diags = await c.diagnostics(RECIPE);
  const notHere = diags.filter((d) => d.code === 'resource-not-on-platform').map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
  assert.ok(notHere.some((m) => /'windows_feature' would fail on debian-12/.test(m)), notHere.join('\n'));
  assert.ok(notHere.some((m) => /'registry_key' would fail on debian-12/.test(m)), notHere.join('\n'));
  const md = await hoverAt(c, "windows_serv|ice 'WAS' do");
  assert.match(md, /\*\*Would fail on debian-12\*\*: it works only on Windows/);
});
