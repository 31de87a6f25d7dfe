/**
 * Quiet and configurable findings over real LSP: levels from the `cloche.diagnostics.severity`
 * setting (at start and changed later: a refresh, then the new levels), disable comments typed in a
 * document, the "Disable … for this line" quick fix applied as the editor applies it, and a
 * `.cloche.json` changed on disk. Works on a temporary copy of the fixtures.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, FileChangeType, DiagnosticSeverity, type CodeAction, type TextEdit } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri } from './client';

let root: string;
let client: TestClient;
before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-suppress-lsp-'));
  fs.cpSync(path.join(FIXTURES, 'fx_errors'), path.join(root, 'fx_errors'), { recursive: true });
  client = await TestClient.start({ roots: [root], settings: { diagnostics: { severity: { 'unknown-property': 'warning' } } } });
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const recipe = (name: string) => path.join(root, 'fx_errors/recipes', name);
const refreshes = () => client.logs.filter((l) => l === 'refresh').length;
const found = async (file: string, code: string) => (await client.diagnostics(file)).filter((d) => d.code === code);

test('the setting decides levels, at start and when it changes', async () => {
  const property = recipe('unknown_property.rb');
  const never = recipe('never_notified.rb');
  await client.open(property);
  await client.open(never);
  assert.deepEqual((await found(property, 'unknown-property')).map((d) => d.severity), [DiagnosticSeverity.Warning]);
  assert.equal((await found(never, 'never-notified')).length, 1);

  const before = refreshes();
  client.settings = { diagnostics: { severity: { 'never-notified': 'off', 'unknown-property': 'info' } } };
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: client.settings } });
  await client.until(() => refreshes() > before, 5000, 'a diagnostic refresh after the setting changed');
  assert.deepEqual(await found(never, 'never-notified'), []);
  assert.deepEqual((await found(property, 'unknown-property')).map((d) => d.severity), [DiagnosticSeverity.Information]);

  client.settings = {};
  await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cloche: client.settings } });
  await client.until(() => refreshes() > before + 1, 5000, 'a second refresh');
  assert.deepEqual((await found(property, 'unknown-property')).map((d) => d.severity), [DiagnosticSeverity.Error]);
});

test('a disable comment typed in the document switches the finding off; an unknown code in it is reported', async () => {
  const file = recipe('unknown_action.rb');
  const original = fs.readFileSync(file, 'utf8');
  await client.open(file);
  assert.equal((await found(file, 'unknown-action')).length, 1);
  await client.change(file, original.replace('  action :strat', '  action :strat # cloche:disable-line unknown-action, unknwn-action'));
  assert.deepEqual(await found(file, 'unknown-action'), []);
  const unknown = await found(file, 'unknown-rule-code');
  assert.equal(unknown.length, 1);
  assert.match(String(unknown[0].message), /'unknwn-action'.*Did you mean 'unknown-action'/);
  await client.change(file, original);
  assert.equal((await found(file, 'unknown-action')).length, 1);
});

test('the quick fix "Disable … for this line" applied as the editor does removes the finding', async () => {
  const file = recipe('malformed_notification.rb');
  await client.open(file);
  const [diag] = await found(file, 'malformed-notification');
  assert.ok(diag);
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: diag.range, context: { diagnostics: [diag] } });
  const disable = actions.find((a) => a.title === 'Disable malformed-notification for this line');
  assert.ok(disable, actions.map((a) => a.title).join(', '));
  const edits: TextEdit[] = disable.edit?.changes?.[uri(file)] ?? [];
  assert.equal(edits.length, 1);
  const lines = client.texts.get(uri(file))!.split('\n');
  const { line, character } = edits[0].range.start;
  lines[line] = lines[line].slice(0, character) + edits[0].newText + lines[line].slice(character);
  await client.change(file, lines.join('\n'));
  assert.deepEqual(await found(file, 'malformed-notification'), []);
  assert.match(client.texts.get(uri(file))!, /\n {2}# cloche:disable-next-line malformed-notification\n {2}notifies/);
});

test('a .cloche.json created on disk changes the levels; its own problems are its diagnostics', async () => {
  const file = recipe('wrong_type.rb');
  await client.open(file);
  assert.equal((await found(file, 'invalid-property-value')).length, 1);
  const config = path.join(root, '.cloche.json');
  let before = refreshes();
  fs.writeFileSync(config, '{ "severity": { "invalid-property-value": "off" } }\n');
  await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(config), type: FileChangeType.Created }] });
  await client.until(() => refreshes() > before, 5000, 'a refresh after .cloche.json appeared');
  assert.deepEqual(await found(file, 'invalid-property-value'), []);

  before = refreshes();
  await client.open(config, '{ "severity": { "invalid-property-value": "quiet" } }\n');
  await client.until(() => refreshes() > before, 5000, 'a refresh after .cloche.json was edited');
  assert.deepEqual((await client.diagnostics(config)).map((d) => [d.code, d.range.start.line]), [['invalid-config', 0]]);
  assert.equal((await found(file, 'invalid-property-value')).length, 1, 'a level Cloche cannot read is not applied');
});
