/** Completion over real LSP, one stored expectation per case (UPDATE_EXPECTATIONS=1 regenerates). */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CompletionItem } from 'vscode-languageserver-protocol';
import { TestClient, expectStored } from './client';
import { type CursorCase, place } from './cases';

const CASES: (CursorCase & { includes: string[] })[] = [
  { name: 'resource-types', file: 'fx_base/recipes/config.rb', insert: { after: "only_if { ::File.exist?('/usr/sbin/logrotate') }\nend\n", text: 'serv|\n' }, includes: ['service', 'systemd_unit', 'include_recipe'] },
  { name: 'properties', file: 'fx_base/recipes/config.rb', insert: { after: "  source 'logrotate-fx'\n", text: '  ow|\n' }, includes: ['owner', 'mode', 'notifies', 'only_if'] },
  { name: 'actions', file: 'fx_base/recipes/config.rb', insert: { after: "  source 'logrotate-fx'\n", text: '  action :|\n' }, includes: ['create', 'create_if_missing', 'delete', 'touch', 'nothing'] },
  { name: 'notification-targets', file: 'fx_base/recipes/config.rb', insert: { after: "  source 'logrotate-fx'\n", text: "  notifies :restart, '|\n" }, includes: ['service[fx-agent]', 'execute[fx_base systemctl daemon-reload]'] },
  { name: 'notification-actions', file: 'fx_base/recipes/config.rb', at: 'notifies :|stop, "service[', includes: ['restart', 'start', 'stop', 'reload'] },
  { name: 'timers', file: 'fx_base/recipes/config.rb', insert: { after: "  source 'logrotate-fx'\n", text: "  notifies :restart, 'service[fx-agent]', :|\n" }, includes: ['delayed', 'immediately', 'before'] },
  { name: 'include-recipe', file: 'fx_base/recipes/default.rb', insert: { after: "include_recipe 'fx_base::service'\n", text: "include_recipe '|'\n" }, includes: ['fx_base::config', 'fx_custom', 'fx_community::server'] },
  { name: 'template-source', file: 'fx_base/recipes/config.rb', insert: { after: "template '/etc/motd' do\n", text: "  source '|'\n" }, includes: ['fx.conf.erb', 'motd.erb'] },
  { name: 'cookbook-file-source', file: 'fx_base/recipes/config.rb', insert: { after: "cookbook_file '/etc/logrotate.d/fx-agent' do\n", text: "  source '|'\n" }, includes: ['fx-agent.sh', 'logrotate-fx'] },
  { name: 'attribute-keys', file: 'fx_base/recipes/config.rb', insert: { after: "fx = node['fx_base']\n", text: "x = node['fx_base']['|']\n" }, includes: ['port', 'service_name', 'conf_dir'] },
  { name: 'attribute-roots', file: 'fx_base/recipes/config.rb', insert: { after: "fx = node['fx_base']\n", text: 'x = node[|\n' }, includes: ['fx_base', 'platform'] },
  { name: 'platform-family', file: 'fx_base/recipes/config.rb', insert: { after: "fx = node['fx_base']\n", text: "if platform_family?('|')\nend\n" }, includes: ['debian', 'rhel', 'amazon'] },
  { name: 'property-values', file: 'fx_base/recipes/service.rb', insert: { after: "  message \"fx-agent (re)started, listening on #{fx_listen}\"\n", text: '  level :|\n' }, includes: ['debug', 'info', 'warn', 'error', 'fatal'] },
  { name: 'custom-resource-properties', file: 'fx_custom/recipes/default.rb', insert: { after: "  section 'server'\n", text: '  |\n' }, includes: ['settings', 'section', 'backup_copies'] },
  { name: 'erb-variables', file: 'fx_base/templates/default/fx-agent.service.erb', insert: { after: 'User=<%= @user %>\n', text: 'X=<%= @| %>\n' }, includes: ['user', 'group', 'binary', 'env_file'] },
  { name: 'erb-attributes', file: 'fx_base/templates/default/fx-agent.service.erb', insert: { after: 'User=<%= @user %>\n', text: "X=<%= node['fx_base']['| %>\n" }, includes: ['conf_dir'] },
];

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

for (const c of CASES) {
  test(`completion: ${c.name}`, async () => {
    const { uri, position } = await place(client, c);
    // Completion answers from the last analysis while one is due; pulling diagnostics first makes it the current one, whatever the machine's speed.
    await client.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const res = await client.request<CompletionItem[] | { items: CompletionItem[] }>('textDocument/completion', { textDocument: { uri }, position });
    const items = Array.isArray(res) ? res : res.items;
    const labels = items.map((i) => i.label);
    for (const l of c.includes) assert.ok(labels.includes(l), `${c.name}: missing ${l} in ${labels.slice(0, 40).join(', ')}`);
    const sorted = [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
    expectStored('completion', c.name, { count: items.length, first: sorted.slice(0, 12).map(line) });
  });
}

/** One readable line per item: label, kind, detail, the replaced range and the inserted text. */
function line(i: CompletionItem): string {
  const e = i.textEdit && 'range' in i.textEdit ? i.textEdit : undefined;
  const r = e ? ` @${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character}` : '';
  return `${i.label} [kind ${i.kind}]${i.detail ? ` (${i.detail})` : ''}${r} => ${JSON.stringify(e?.newText ?? i.insertText ?? i.label)}`;
}
