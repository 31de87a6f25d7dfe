/**
 * Custom resources that no recipe uses still get diagnostics inside their action blocks, over real
 * LSP: on open, after an edit of the resource, after an edit of a recipe (the cached findings stay
 * right) and after a template appears on disk. Clean fixtures' resource files stay clean.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri } from './client';

const WIDGET = `property :path, String, name_property: true
property :enabled, [true, false], default: true

action :create do
  directory ::File.dirname(new_resource.path) do
    recursiv true
  end
  if new_resource.enabled
    file new_resource.path do
      action :craete
    end
  end
  template '/etc/widget.conf' do
    source 'widget.conf.erb'
    cookbook 'cb'
  end
end

action :delete do
  file new_resource.path do
    sensitive 'yes'
    action :delete
  end
end
`;

let root: string;
let client: TestClient;
before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-bodies-lsp-'));
  fs.mkdirSync(path.join(root, 'cb/resources'), { recursive: true });
  fs.mkdirSync(path.join(root, 'cb/recipes'));
  fs.writeFileSync(path.join(root, 'cb/metadata.rb'), "name 'cb'\n");
  fs.writeFileSync(path.join(root, 'cb/recipes/default.rb'), "log 'nothing uses the widget'\n");
  fs.writeFileSync(path.join(root, 'cb/resources/widget.rb'), WIDGET);
  client = await TestClient.start({ roots: [root, FIXTURES] });
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const summary = (diags: Diagnostic[]) => diags.map((d) => `${d.range.start.line + 1} ${d.code}`);
const widget = () => path.join(root, 'cb/resources/widget.rb');

test('an unused custom resource reports what its actions declare wrongly', async () => {
  await client.open(widget());
  const diags = await client.diagnostics(widget());
  assert.deepEqual(summary(diags), ['6 unknown-property', '10 unknown-action', '14 missing-template', '21 invalid-property-value']);
  assert.ok(diags.every((d) => d.severity === 1 && d.source === 'cloche'));
  // The did-you-mean data works here too.
  assert.deepEqual((diags[0].data as { suggestions: string[] }).suggestions, ['recursive']);
});

test('editing the resource, then a recipe of its cookbook, keeps its findings current', async () => {
  await client.change(widget(), WIDGET.replace('recursiv true', 'recursive true'));
  assert.deepEqual(summary(await client.diagnostics(widget())), ['10 unknown-action', '14 missing-template', '21 invalid-property-value']);
  const recipe = path.join(root, 'cb/recipes/default.rb');
  await client.open(recipe, "log 'still nothing uses the widget'\npakage 'x'\n");
  assert.deepEqual(summary(await client.diagnostics(recipe)), ['2 unknown-resource']);
  assert.deepEqual(summary(await client.diagnostics(widget())), ['10 unknown-action', '14 missing-template', '21 invalid-property-value']);
  // Now a recipe uses it, with a value that takes the other branch: the typo under it is still reported.
  await client.change(recipe, "cb_widget '/srv/w' do\n  enabled false\nend\n");
  assert.deepEqual(summary(await client.diagnostics(widget())), ['10 unknown-action', '14 missing-template', '21 invalid-property-value']);
  assert.deepEqual(summary(await client.diagnostics(recipe)), []);
});

test('a template created on disk clears the missing-template of an action', async () => {
  const template = path.join(root, 'cb/templates/widget.conf.erb');
  fs.mkdirSync(path.dirname(template), { recursive: true });
  fs.writeFileSync(template, 'x\n');
  await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(template), type: FileChangeType.Created }] });
  assert.deepEqual(summary(await client.diagnostics(widget())), ['10 unknown-action', '21 invalid-property-value']);
});

test('clean fixtures: resource and provider files have no errors or warnings', async () => {
  for (const cb of ['fx_base', 'fx_custom', 'fx_community', 'fx_wrapper']) {
    for (const sub of ['resources', 'providers']) {
      const dir = path.join(FIXTURES, cb, sub);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.rb'))) {
        const file = path.join(dir, name);
        await client.open(file);
        assert.deepEqual((await client.diagnostics(file)).filter((d) => d.severity === 1 || d.severity === 2), [], `${cb}/${sub}/${name}`);
      }
    }
  }
});
