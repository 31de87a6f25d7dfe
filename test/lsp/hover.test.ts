/** Hover over real LSP, one stored expectation per case. */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, expectStored } from './client';
import { type CursorCase, place } from './cases';

const CASES: (CursorCase & { contains: string[] })[] = [
  { name: 'resource-type', file: 'fx_base/recipes/config.rb', at: 'cookbook_|file fx_binary_path do', contains: ['cookbook_file', 'actions', ':create'] },
  { name: 'resource-type-resolved', file: 'fx_base/recipes/service.rb', at: 'serv|ice fx[', contains: ['service', 'service_name'] },
  { name: 'property', file: 'fx_base/recipes/config.rb', at: "  sou|rce 'fx-agent.sh'", contains: ['source', 'type'] },
  { name: 'property-allowed-values', file: 'fx_base/recipes/service.rb', at: '  lev|el :info', contains: ['allowed values', ':debug'] },
  { name: 'attribute', file: 'fx_base/recipes/config.rb', at: "fx = node['fx_|base']", contains: ['fx_base', 'default'] },
  { name: 'attribute-leaf', file: 'fx_base/recipes/config.rb', at: "only_if { node['fx_base']['motd']['ena|bled'] }", contains: ['enabled', 'wins'] },
  { name: 'notification-target', file: 'fx_base/recipes/service.rb', at: "notifies :run, 'execute[fx_base sys|temctl daemon-reload]'", contains: ['execute[fx_base systemctl daemon-reload]', 'service.rb:8'] },
  { name: 'action', file: 'fx_base/recipes/service.rb', at: 'action %i[ena|ble start]', contains: [':enable', 'service'] },
  { name: 'unknown-value', file: 'fx_base/recipes/config.rb', at: '  content <<-E|OS', contains: ['unknown'] },
  { name: 'custom-resource', file: 'fx_custom/recipes/default.rb', at: "fx_custom_app_con|fig ::File.join(root, 'app.ini')", contains: ['fx_custom_app_config', 'custom resource'] },
  { name: 'custom-property', file: 'fx_custom/recipes/default.rb', at: "  sec|tion 'server'", contains: ['section'] },
  { name: 'erb-variable', file: 'fx_base/templates/default/fx-agent.service.erb', at: 'User=<%= @us|er %>', contains: ['@user', 'passed by `template['] },
  { name: 'erb-attribute', file: 'fx_base/templates/default/fx-agent.service.erb', at: "<%= node['fx_base']['conf|_dir'] %>", contains: ["node['fx_base']['conf_dir']", '/etc/fx'] },
];

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

for (const c of CASES) {
  test(`hover: ${c.name}`, async () => {
    const { uri, position } = await place(client, c);
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
    const text = h ? (h.contents as MarkupContent).value : '';
    for (const s of c.contains) assert.ok(text.includes(s), `${c.name}: ${JSON.stringify(s)} not in ${JSON.stringify(text)}`);
    expectStored('hover', c.name, { range: h?.range, markdown: text.split('\n') });
  });
}
