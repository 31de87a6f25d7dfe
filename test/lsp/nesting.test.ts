/**
 * A recipe nested deeper than the Ruby parser's stack, opened in the editor: it gets a
 * nesting-too-deep diagnostic, and the server goes on — a valid recipe opened after it (and a new
 * text of it, parsed after the hostile one) still gets its symbols and its diagnostics. Works on a
 * temporary cookbook.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DocumentSymbol } from 'vscode-languageserver-protocol';
import { TestClient, uri } from './client';

let root: string;
let client: TestClient;
const recipe = (name: string) => path.join(root, 'deep', 'recipes', name);
const VALID = "file '/tmp/a' do\n  mode '0644'\n  nosuchprop 1\nend\n";

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-nesting-'));
  fs.mkdirSync(path.join(root, 'deep', 'recipes'), { recursive: true });
  fs.writeFileSync(path.join(root, 'deep', 'metadata.rb'), "name 'deep'\nversion '1.0.0'\n");
  fs.writeFileSync(recipe('hostile.rb'), `node.default['a'] = ${'{a: '.repeat(130)}1${'}'.repeat(130)}\n`);
  fs.writeFileSync(recipe('default.rb'), VALID);
  client = await TestClient.start({ roots: [root] });
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const symbols = (file: string) => client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(file) } });

test('a hostile recipe gets nesting-too-deep, and valid recipes after it still get symbols and diagnostics', async () => {
  await client.open(recipe('hostile.rb'));
  const hostile = await client.diagnostics(recipe('hostile.rb'));
  assert.deepEqual(hostile.map((d) => [d.code, d.severity, d.range.start.line]), [['nesting-too-deep', 2, 0]]);

  await client.open(recipe('default.rb'));
  assert.deepEqual((await symbols(recipe('default.rb'))).map((s) => s.name), ["file '/tmp/a'"]);
  assert.deepEqual((await client.diagnostics(recipe('default.rb'))).map((d) => [d.code, d.range.start.line]), [['unknown-property', 2]]);

  // A text parsed for the first time after the hostile one: the parser was recovered.
  await client.change(recipe('default.rb'), `package 'curl'\n${VALID}`);
  assert.deepEqual((await symbols(recipe('default.rb'))).map((s) => s.name), ["package 'curl'", "file '/tmp/a'"]);
  assert.deepEqual((await client.diagnostics(recipe('default.rb'))).map((d) => [d.code, d.range.start.line]), [['unknown-property', 3]]);
});
