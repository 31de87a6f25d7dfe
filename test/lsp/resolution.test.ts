/**
 * Cookbook resolution in the language server: a workspace of two repositories, each with its own
 * cookbook named `test`, analyses both, each with its own repository's cookbooks and the release of
 * a shared dependency its constraint asks for; lookups by name from a file use the file's resolution.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Location, Hover } from 'vscode-languageserver-protocol';
import { WorkspaceDiagnosticRequest, type WorkspaceFullDocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { TestClient, REPO, cursorIn, uri } from './client';

const WS = path.join(REPO, 'test/fixtures/resolution/ws');
const at = (rel: string) => path.join(WS, rel);
const TEST_ONE = at('app_one/test/fixtures/cookbooks/test/recipes/default.rb');
const TEST_TWO = at('app_two/test/cookbooks/test/recipes/default.rb');

let client: TestClient;
before(async () => { client = await TestClient.start({ roots: [WS] }); });
after(async () => { await client.stop(); });

const codes = async (file: string) => (await client.diagnostics(file)).map((d) => [d.code, d.range.start.line + 1, d.severity]);

test('both test cookbooks are analysed, each with its own findings and no version mix-up', async () => {
  await client.open(TEST_ONE);
  await client.open(TEST_TWO);
  assert.deepEqual(await codes(TEST_ONE), [['never-notified', 12, 4]]);
  assert.deepEqual(await codes(TEST_TWO), [['never-notified', 6, 4]]);
  // The recipes the test cookbooks include use shared_lib 1.x (old_opt) and 2.x (new_opt): no unknown-property.
  assert.deepEqual(await codes(at('app_one/recipes/default.rb')), []);
  assert.deepEqual(await codes(at('app_two/recipes/default.rb')), []);
});

test('by name from a file: include_recipe and a custom resource go to the file\'s own resolution', async () => {
  const text = fs.readFileSync(TEST_TWO, 'utf8');
  const extra = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri(TEST_TWO) }, position: cursorIn(text, "include_recipe 'test::ex|tra'") });
  assert.deepEqual(extra.map((l) => path.relative(WS, new URL(l.uri).pathname)), ['app_two/test/cookbooks/test/recipes/extra.rb']);
  const one = fs.readFileSync(at('app_one/recipes/default.rb'), 'utf8');
  await client.open(at('app_one/recipes/default.rb'), one);
  const thing = await client.request<Location[]>('textDocument/definition', { textDocument: { uri: uri(at('app_one/recipes/default.rb')) }, position: cursorIn(one, "shared_lib_th|ing 'one'") });
  assert.deepEqual(thing.map((l) => path.relative(WS, new URL(l.uri).pathname)), ['shared_lib-1.2.0/resources/thing.rb']);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(at('app_one/recipes/default.rb')) }, position: cursorIn(one, "  old_o|pt 'kept'") });
  assert.ok(hover && JSON.stringify(hover.contents).includes('old_opt'), JSON.stringify(hover));
});

test('metadata: a constraint nothing satisfies is an error on its line; a clash is information once', async () => {
  assert.deepEqual(await codes(at('needs_newer/metadata.rb')), [['dependency-unsatisfied', 3, 1], ['invalid-version-constraint', 4, 1]]);
  const unsat = (await client.diagnostics(at('needs_newer/metadata.rb')))[0];
  assert.match(String(unsat.message), /'~> 9\.0' \(found 2\.1\.0 at ws\/shared_lib, 1\.2\.0 at ws\/shared_lib-1\.2\.0\)/);
  assert.deepEqual(await codes(at('needs_newer/recipes/default.rb')), [], 'what the left-out dependency declares is not an error');
  assert.deepEqual(await codes(at('uses_twin/metadata.rb')), [['cookbook-clash', 3, 3]]);
});

test('workspace pull: a report for the files of both test cookbooks', async () => {
  const items = (await client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] })).items as WorkspaceFullDocumentDiagnosticReport[];
  const byFile = new Map(items.map((r) => [new URL(r.uri).pathname, r]));
  for (const [file, label] of [[TEST_ONE, 'only in repository one'], [TEST_TWO, 'only in repository two']]) {
    const r = byFile.get(file);
    assert.ok(r, `a report for ${path.relative(WS, file)}`);
    assert.deepEqual(r.items.map((d) => d.code), ['never-notified']);
    assert.match(String(r.items[0].message), new RegExp(label));
  }
  assert.ok(byFile.has(at('app_two/test/cookbooks/test/recipes/extra.rb')));
  assert.ok(byFile.has(at('linked_cb/recipes/default.rb')), 'the symlinked cookbook is indexed');
});

test('an edit to one test cookbook leaves the other\'s analysis alone and is seen by its own', async () => {
  const text = fs.readFileSync(TEST_TWO, 'utf8');
  await client.change(TEST_TWO, text.replace("include_recipe 'test::extra'", "include_recipe 'test::extraa'"));
  const two = await client.diagnostics(TEST_TWO);
  const missing = two.find((d) => d.code === 'missing-recipe');
  assert.ok(missing, JSON.stringify(two));
  assert.match(String(missing.message), /did you mean test::extra\b/, "the recipes of repository two's test, not repository one's");
  assert.deepEqual(await codes(TEST_ONE), [['never-notified', 12, 4]]);
  await client.change(TEST_TWO, text);
  assert.deepEqual(await codes(TEST_TWO), [['never-notified', 6, 4]]);
});
