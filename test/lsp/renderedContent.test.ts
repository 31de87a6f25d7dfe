/** cloche/renderedContent and the hover of `source` over real LSP: what a template would write, holes marked. */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri, cursorIn } from './client';
import type { RenderedFile } from '../../server/src/customMethods';
import { isUnknownMarker } from '../../server/src/protocol';

const RECIPE = path.join(FIXTURES, 'fx_content/recipes/default.rb');
const APP_ERB = path.join(FIXTURES, 'fx_content/templates/app.conf.erb');
const KNOWN_ERB = path.join(FIXTURES, 'fx_content/templates/known.conf.erb');

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

const rendered = (params: Record<string, unknown>) => client.request<RenderedFile[]>('cloche/renderedContent', params);
const text = (f: string) => fs.readFileSync(f, 'utf8');

test('renderedContent: the template declared at a position, with holes marked', async () => {
  await client.open(RECIPE);
  const files = await rendered({ uri: uri(RECIPE), position: cursorIn(text(RECIPE), "template '/etc/fx/a|pp.conf' do") });
  assert.equal(files.length, 1);
  const [f] = files;
  assert.equal(f.resource, 'template[/etc/fx/app.conf]');
  assert.equal(f.path, '/etc/fx/app.conf');
  assert.equal(f.platform, 'debian-12');
  assert.equal(f.content.source, APP_ERB);
  assert.ok(isUnknownMarker(f.content.text) && f.content.text.parts, JSON.stringify(f.content));
  assert.equal(f.content.text.parts[0], 'listen 8080\npassword ');
  assert.ok(isUnknownMarker(f.content.text.parts[1]));
});

test('renderedContent: inside the resource block too; nothing where no file-like resource is', async () => {
  const t = text(RECIPE);
  const inside = await rendered({ uri: uri(RECIPE), position: cursorIn(t, 'names: %w(al|pha beta)') });
  assert.deepEqual(inside.map((f) => f.resource), ['template[/etc/fx/known.conf]']);
  assert.equal(inside[0].content.text, '# managed by Chef\nport = 8080\nname = alpha\nname = beta\nworkers = 4\n');
  assert.deepEqual(await rendered({ uri: uri(RECIPE), position: cursorIn(t, "directory '/etc|/fx'") }), []);
  assert.deepEqual(await rendered({ uri: uri(path.join(FIXTURES, 'nope/recipes/x.rb')), position: { line: 0, character: 0 } }), []);
});

test('renderedContent: by resource id, and from a template file every resource that renders it', async () => {
  const byId = await rendered({ uri: uri(RECIPE), resource: 'file[/etc/motd]' });
  assert.equal(byId[0].content.text, 'Welcome to cloche-node\n');
  const fromErb = await rendered({ uri: uri(KNOWN_ERB) });
  assert.deepEqual(fromErb.map((f) => f.resource).sort(), ['template[/etc/fx/known.conf]', 'template[/etc/fx/secret.conf]']);
  assert.deepEqual(fromErb.find((f) => f.resource === 'template[/etc/fx/secret.conf]')!.content.text, { $unknown: 'the resource is sensitive: its content is not shown' });
});

test('renderedContent follows an edit of the template (the open document, not the disk)', async () => {
  await client.open(KNOWN_ERB, text(KNOWN_ERB).replace('# managed by Chef', '# edited in the editor'));
  const files = await rendered({ uri: uri(RECIPE), resource: 'template[/etc/fx/known.conf]' });
  assert.match(String(files[0].content.text), /^# edited in the editor\nport = 8080/);
  await client.change(KNOWN_ERB, text(KNOWN_ERB));
});

test('hover on a template\'s source shows what it would write and links to the preview', async () => {
  const hoverAt = async (at: string) => {
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(RECIPE) }, position: cursorIn(text(RECIPE), at) });
    return h ? (h.contents as MarkupContent).value : '';
  };
  const md = await hoverAt("  sou|rce 'app.conf.erb'");
  assert.match(md, /^\*\*`source`\*\*/, 'the property docs come first');
  const onValue = await hoverAt("  source 'ap|p.conf.erb'");
  assert.match(onValue, /Would write/, 'hovering the value shows it too');
  assert.match(md, /\*\*Would write\*\* `\/etc\/fx\/app.conf` on debian-12 from `templates\/app.conf.erb`/);
  assert.match(md, /listen 8080\npassword «unknown: `data_bag_item` reads a data bag item/);
  assert.match(md, /3 parts are not known statically/);
  const link = /\[Preview rendered file\]\(command:cloche\.previewRenderedFile\?([^)]+)\)/.exec(md);
  assert.ok(link, md);
  const [arg] = JSON.parse(decodeURIComponent(link[1]));
  assert.equal(arg.file, RECIPE);
  assert.equal(arg.line, cursorIn(text(RECIPE), "|template '/etc/fx/app.conf' do").line);
});

test('hover on a cookbook_file\'s source shows its bytes; other properties show no preview', async () => {
  const t = text(RECIPE);
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(RECIPE) }, position: cursorIn(t, "  sou|rce 'banner.txt'") });
  assert.match((h!.contents as MarkupContent).value, /```\nAuthorised use only\.\n```/);
  const v = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(RECIPE) }, position: cursorIn(t, "  vari|ables(port: node['fx_content']['port'], names") });
  assert.doesNotMatch((v!.contents as MarkupContent).value, /Would write/);
});

test('the server survives bad renderedContent params', async () => {
  await assert.rejects(rendered({ uri: 'not a uri' }), /neither an open document nor a file in the workspace/, 'a URI that names no workspace file is refused');
  assert.deepEqual(await rendered({ uri: uri(RECIPE), position: { line: 9999, character: 9999 } }), []);
  assert.deepEqual(await rendered({ uri: uri(RECIPE), resource: 'template[nope]' }), []);
});
