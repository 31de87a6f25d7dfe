/** Code actions, inlay hints and semantic tokens over real LSP. */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, InlayHint, SemanticTokens, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri, expectStored } from './client';
import { place } from './cases';

let client: TestClient;
before(async () => { client = await TestClient.start({ settings: { inlayHints: { attributeValues: true } } }); });
after(async () => { await client.stop(); });

async function actionsFor(recipe: string, code: string): Promise<{ actions: CodeAction[]; diag: Diagnostic }> {
  const file = path.join(FIXTURES, 'fx_errors', 'recipes', recipe);
  await client.open(file);
  const diag = (await client.diagnostics(file)).find((d) => d.code === code)!;
  assert.ok(diag, `${recipe}: no ${code}`);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [diag] } });
  return { actions, diag };
}

test('code actions: did-you-mean, other targets, create a missing file, replace, go to, disable', async () => {
  const all: Record<string, unknown> = {};
  for (const [recipe, code, title] of [
    ['unknown_resource.rb', 'unknown-resource', "Change 'pakage' to 'package'"],
    ['unknown_property.rb', 'unknown-property', "Change 'contnt' to 'content'"],
    ['unknown_action.rb', 'unknown-action', "Change 'strat' to 'start'"],
    ['dangling_notification.rb', 'dangling-notification', 'Notify service[rsyslog] instead'],
    ['missing_template.rb', 'missing-template', 'Create templates/missing.conf.erb'],
    ['missing_cookbook_file.rb', 'missing-cookbook-file', 'Create files/fx-missing.sh'],
    ['deprecated_property.rb', 'deprecated-property', "Replace deprecated 'visudo_path' with 'visudo_binary'"],
    ['missing_recipe.rb', 'missing-recipe', 'Create recipe fx_errors::not_there (recipes/not_there.rb)'],
    ['duplicate_resource.rb', 'duplicate-resource', 'Go to the other declaration (recipes/duplicate_resource.rb:2)'],
    ['never_notified.rb', 'never-notified', 'Disable never-notified for this line'],
  ]) {
    const { actions } = await actionsFor(recipe, code);
    assert.ok(actions.some((a) => a.title === title), `${recipe}: ${actions.map((a) => a.title).join(', ')}`);
    all[recipe] = actions.map((a) => ({ title: a.title, kind: a.kind, preferred: a.isPreferred, edit: a.edit, command: a.command }));
  }
  expectStored('codeActions', 'fx_errors', all);
});

test('code actions: a duplicate reveals the other declaration through the client command', async () => {
  const { actions } = await actionsFor('duplicate_resource.rb', 'duplicate-resource');
  const go = actions.find((a) => a.command?.command === 'cloche.revealLocation');
  assert.ok(go, actions.map((a) => a.title).join(', '));
  const file = path.join(FIXTURES, 'fx_errors', 'recipes', 'duplicate_resource.rb');
  assert.deepEqual(go.command?.arguments, [{ uri: uri(file), range: { start: { line: 1, character: 0 }, end: { line: 1, character: 9 } } }]);
});

test('code actions come from the diagnostic data, not its message', async () => {
  const { actions, diag } = await actionsFor('unknown_property.rb', 'unknown-property');
  const data = diag.data as { suggestions?: string[]; replace?: { line: number; column: number } };
  assert.deepEqual(data.suggestions, ['content']);
  assert.deepEqual([data.replace?.line, data.replace?.column], [4, 3]);
  const file = path.join(FIXTURES, 'fx_errors', 'recipes', 'unknown_property.rb');
  const ask = (d: Diagnostic) => client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [d] } });
  // A client may show (and send back) any message: the edits must not change.
  const reworded = await ask({ ...diag, message: 'reworded by the client' });
  assert.deepEqual(reworded.map((a) => a.edit), actions.map((a) => a.edit));
  // Without the data there is nothing to suggest, whatever the message says.
  const { data: _dropped, ...withoutData } = diag;
  // (Disabling the finding needs no data: it is offered for every finding.)
  const fixes = (list: CodeAction[]) => list.filter((a) => a.kind === 'quickfix' && !a.title.startsWith('Disable '));
  assert.deepEqual(fixes(await ask(withoutData)), []);
  // Data that points at other text (the document changed since) is not applied to a non-word.
  assert.deepEqual(fixes(await ask({ ...diag, data: { ...data, replace: { ...data.replace, column: 1, endColumn: 9 } } })), []);
});

test('code actions: an action typo in a notification, and a target in double quotes', async () => {
  const file = path.join(FIXTURES, 'fx_errors', 'recipes', 'dangling_notification.rb');
  const original = fs.readFileSync(file, 'utf8');
  const edited = original.replace("notifies :restart, 'service[nope]', :delayed", 'notifies :restrat, \'service[rsyslog]\', :delayed\n  notifies :restart, "service[rsyslogd]", :delayed');
  assert.notEqual(edited, original);
  if (client.texts.has(uri(file))) await client.change(file, edited); else await client.open(file, edited);
  try {
    const diags = await client.diagnostics(file);
    const fixes = async (code: string) => {
      const d = diags.find((x) => x.code === code);
      assert.ok(d, `no ${code}: ${JSON.stringify(diags.map((x) => x.code))}`);
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: d.range, context: { diagnostics: [d] } });
      return actions.filter((a) => a.kind === 'quickfix' && !a.title.startsWith('Disable ')).map((a) => ({ title: a.title, edits: a.edit?.changes?.[uri(file)]?.map((e) => `${e.range.start.line + 1}:${e.range.start.character}-${e.range.end.character} ${e.newText}`) }));
    };
    const lines = edited.split('\n');
    const line = lines.findIndex((l) => l.includes(':restrat')) + 1;
    const col = lines[line - 1].indexOf('restrat');
    assert.deepEqual(await fixes('unknown-action'), [{ title: "Change 'restrat' to 'restart'", edits: [`${line}:${col}-${col + 'restrat'.length} restart`] }]);
    const q = lines[line].indexOf('"service');
    assert.deepEqual(await fixes('dangling-notification'), [{ title: 'Notify service[rsyslog] instead', edits: [`${line + 1}:${q}-${q + '"service[rsyslogd]"'.length} "service[rsyslog]"`] }]);
  } finally { await client.change(file, original); }
});

test('code actions: a string file-test guard becomes a block guard', async () => {
  const { uri: u, position } = await place(client, { name: 'guard', file: 'fx_base/recipes/service.rb', at: "  only_if 'test -d /run/sys|temd/system'" });
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: position, end: position }, context: { diagnostics: [] } });
  const rewrite = actions.find((a) => a.kind === 'refactor.rewrite');
  assert.equal(rewrite?.edit?.changes?.[u]?.[0].newText, "only_if { ::File.directory?('/run/systemd/system') }");
});

test('inlay hints show resolved attribute values', async () => {
  const file = path.join(FIXTURES, 'fx_base/recipes/config.rb');
  await client.open(file);
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uri(file) }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } });
  assert.ok(hints.some((h) => h.label === ' = true'), JSON.stringify(hints.map((h) => h.label)));
  client.settings = { inlayHints: { attributeValues: false } };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: client.settings } });
  const none = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: uri(file) }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } } });
  assert.deepEqual(none, []);
});

test('semantic tokens mark resource types, properties and actions', async () => {
  const file = path.join(FIXTURES, 'fx_base/recipes/service.rb');
  await client.open(file);
  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: uri(file) } });
  // Decode the relative encoding into absolute `line:char len type` strings.
  const out: string[] = [];
  let line = 0, char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, len, type] = tokens.data.slice(i, i + 4);
    line += dl; char = dl ? dc : char + dc;
    out.push(`${line + 1}:${char} ${len} ${['type', 'property', 'enumMember'][type]}`);
  }
  assert.ok(out.includes('8:0 7 type'), out.join('; '));
  expectStored('semanticTokens', 'fx_base-service', out);
});
