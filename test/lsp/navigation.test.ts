/** Definition, references, symbols, folding, links and cloche/graph over real LSP. */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Location, DocumentSymbol, DocumentLink, FoldingRange, SymbolInformation } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, expectStored, uri } from './client';
import { type CursorCase, place } from './cases';

/** Expected targets as `file:line` (1-based line, path under the fixtures folder). */
const DEFINITIONS: (CursorCase & { targets: string[] })[] = [
  { name: 'notification-target', file: 'fx_base/recipes/service.rb', at: "notifies :run, 'execute[fx_base sys|temctl", targets: ['fx_base/recipes/service.rb:8'] },
  { name: 'include-recipe', file: 'fx_base/recipes/default.rb', at: "include_recipe 'fx_base::con|fig'", targets: ['fx_base/recipes/config.rb:1'] },
  { name: 'template-source', file: 'fx_base/recipes/config.rb', at: "source 'fx.co|nf.erb'", targets: ['fx_base/templates/default/fx.conf.erb:1'] },
  { name: 'cookbook-file-source', file: 'fx_base/recipes/config.rb', at: "source 'fx-ag|ent.sh'", targets: ['fx_base/files/default/fx-agent.sh:1'] },
  { name: 'custom-resource', file: 'fx_custom/recipes/default.rb', at: "fx_custom_app_con|fig ::File.join(root, 'app.ini')", targets: ['fx_custom/resources/app_config.rb:1'] },
  { name: 'custom-property', file: 'fx_custom/recipes/default.rb', at: "  sec|tion 'server'", targets: ['fx_custom/resources/app_config.rb:16'] },
  { name: 'attribute', file: 'fx_base/recipes/config.rb', at: "only_if { node['fx_base']['motd']['ena|bled'] }", targets: ['fx_base/attributes/default.rb:43'] },
  { name: 'helper', file: 'fx_base/recipes/service.rb', at: 'binary: fx_bin|ary_path,', targets: ['fx_base/libraries/helpers.rb:12'] },
];

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

const rel = (l: Location) => `${path.relative(FIXTURES, new URL(l.uri).pathname)}:${l.range.start.line + 1}`;

for (const c of DEFINITIONS) {
  test(`definition: ${c.name}`, async () => {
    const { uri: u, position } = await place(client, c);
    const locs = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: u }, position });
    assert.deepEqual(locs.map(rel), c.targets);
  });
}

test('references: who notifies a resource, who uses a template', async () => {
  const { uri: u, position } = await place(client, { name: 'refs', file: 'fx_base/recipes/service.rb', at: "execute 'fx_base sys|temctl daemon-reload' do" });
  const locs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: u }, position, context: { includeDeclaration: false } });
  assert.deepEqual(locs.map(rel), ['fx_base/recipes/service.rb:23']);
  const tpl = path.join(FIXTURES, 'fx_base/templates/default/fx-agent.service.erb');
  await client.open(tpl);
  const users = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uri(tpl) }, position: { line: 0, character: 0 }, context: { includeDeclaration: false } });
  assert.deepEqual(users.map(rel), ['fx_base/recipes/service.rb:14']);
});

test('document symbols, folding ranges and links of a recipe', async () => {
  const file = path.join(FIXTURES, 'fx_base/recipes/config.rb');
  await client.open(file);
  const td = { textDocument: { uri: uri(file) } };
  const syms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', td);
  assert.ok(syms.some((s) => s.name === "template fx_conf_path"));
  const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', td);
  assert.ok(folds.length > 10);
  const links = await client.request<DocumentLink[]>('textDocument/documentLink', td);
  assert.ok(links.some((l) => l.target?.endsWith('templates/default/fx.conf.erb')));
  expectStored('symbols', 'fx_base-config', { symbols: syms.map((s) => `${s.name} [${s.kind}] ${s.range.start.line + 1}-${s.range.end.line + 1}`), folds: folds.map((f) => `${f.startLine + 1}-${f.endLine + 1}${f.kind ? ' ' + f.kind : ''}`), links: links.map((l) => `${l.range.start.line + 1}:${l.range.start.character} → ${l.target}`) });
  const custom = path.join(FIXTURES, 'fx_custom/resources/app_config.rb');
  await client.open(custom);
  const csyms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(custom) } });
  assert.ok(csyms.some((s) => s.name === 'section') && csyms.some((s) => s.name === 'action :create'));
  const attrs = path.join(FIXTURES, 'fx_base/attributes/default.rb');
  await client.open(attrs);
  const asyms = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(attrs) } });
  assert.ok(asyms.some((s) => s.name === "default['fx_base']['port']"), asyms.map((s) => s.name).join(', '));
});

test('workspace symbols', async () => {
  const syms = await client.request<SymbolInformation[]>('workspace/symbol', { query: 'app_config' });
  assert.ok(syms.some((s) => s.name === 'fx_custom_app_config'));
});

test('cloche/graph for a document, a cookbook and a run list, per platform', async () => {
  const doc = await client.request<{ resources: { id: string }[]; edges: unknown[]; platform: string; runList: string[] }>('cloche/graph', { uri: uri(path.join(FIXTURES, 'fx_base/recipes/service.rb')) });
  assert.deepEqual(doc.runList, ['fx_base::service']);
  assert.ok(doc.resources.some((r) => r.id === 'service[fx-agent]'));
  const cb = await client.request<{ runList: string[]; resources: unknown[] }>('cloche/graph', { cookbook: 'fx_base', platform: 'almalinux-9' });
  assert.deepEqual(cb.runList, ['fx_base::default']);
  const rl = await client.request<{ platform: string }>('cloche/graph', { runList: ['fx_community::default'], platform: 'ubuntu-24.04' });
  assert.equal(rl.platform, 'ubuntu-24.04');
  assert.equal(await client.request('cloche/graph', { uri: uri(path.join(FIXTURES, 'nowhere/x.rb')) }), null, 'a workspace file outside every cookbook has no graph');
  await assert.rejects(client.request('cloche/graph', { uri: 'file:///nowhere/x.rb' }), /outside the workspace/, 'a file outside the workspace is refused');
});

test('cloche/fidelity: how well the run of a document’s cookbook is known, and why not', async () => {
  // fx_community reads data bags and node attributes no attributes file sets: some of it is unknown.
  const s = await client.request<{ resources: number; known: Record<string, number>; reasons: { reason: string; count: number; examples: { file: string; line: number }[] }[] } | null>(
    'cloche/fidelity', { uri: uri(path.join(FIXTURES, 'fx_community/recipes/default.rb')) });
  assert.ok(s && s.resources > 0, JSON.stringify(s));
  assert.ok(s.known.fully < s.resources, 'some resource of fx_community is not fully known');
  assert.ok(s.known.fully <= Math.min(s.known.type, s.known.name, s.known.actions, s.known.properties));
  assert.ok(s.reasons.length > 0 && s.reasons.every((r) => r.count > 0 && r.examples.length > 0), JSON.stringify(s.reasons));
  assert.equal(await client.request('cloche/fidelity', { uri: uri(path.join(FIXTURES, 'README.md')) }), null, 'outside a cookbook: null');
  await assert.rejects(client.request('cloche/fidelity', { uri: uri(path.join(FIXTURES, '..', 'README.md')) }), /outside the workspace/, 'outside the workspace: refused');
});
