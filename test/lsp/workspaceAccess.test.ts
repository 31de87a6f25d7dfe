/**
 * The server serves only the workspace: requests naming a file outside the workspace folders (by
 * path, through a symlink, `..` or `%2e%2e` in the URI, another scheme) get nothing about it — LSP's
 * requests an empty answer, Cloche's own an error saying why — and the file is never opened (a named
 * pipe outside shows any open for reading). Open documents are served wherever they are, and a
 * symlinked cookbook folder inside the workspace stays a cookbook of it.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient, uri, cursorIn } from './client';

/** Only the files outside hold it: an answer that mentions it read one of them. */
const SECRET = 'OUTSIDE_SECRET_7d41';
const RECIPE_LIKE = `file '/tmp/${SECRET}' do\n  content '${SECRET}'\n  modee '0644'\nend\n`;

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-access-')));
const ws = path.join(base, 'ws');
const outside = path.join(base, 'outside');
const write = (file: string, text: string): string => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, text); return file; };

write(path.join(ws, 'app/metadata.rb'), "name 'app'\nversion '1.0.0'\n");
const inside = write(path.join(ws, 'app/recipes/default.rb'), "file '/tmp/inside' do\n  modee '0644'\nend\n");
write(path.join(outside, 'metadata.rb'), "name 'outside'\nversion '1.0.0'\n");
const secret = write(path.join(outside, 'recipes/default.rb'), RECIPE_LIKE);
const pipe = path.join(outside, 'recipes/pipe.rb');
execFileSync('mkfifo', [pipe]);
// A symlink inside a cookbook of the workspace, leading to the file outside.
const link = path.join(ws, 'app/recipes/linked.rb');
fs.symlinkSync(secret, link);
// A symlinked cookbook folder (the workspace scan follows it on purpose): its files are the workspace's.
write(path.join(base, 'shared/metadata.rb'), "name 'shared_cb'\nversion '1.0.0'\n");
write(path.join(base, 'shared/recipes/default.rb'), "file '/tmp/shared' do\n  modee '0644'\nend\n");
fs.symlinkSync(path.join(base, 'shared'), path.join(ws, 'shared'));
const sharedRecipe = path.join(ws, 'shared/recipes/default.rb');

const OUTSIDE_URIS = [
  uri(secret),
  uri(link),
  `${uri(ws)}/../outside/recipes/default.rb`,
  `${uri(ws)}/%2e%2e/outside/recipes/default.rb`,
  uri(secret).replace('file://', 'file://localhost'),
  'http://localhost/recipes/default.rb',
  'file:///etc/passwd',
];

let client: TestClient;
before(async () => { client = await TestClient.start({ roots: [ws] }); });
after(async () => { await client.stop(); fs.rmSync(base, { recursive: true, force: true }); });

const position = cursorIn(RECIPE_LIKE, `content '${SECRET.slice(0, 4)}|`);

/** Every request that names a document, with what an empty answer is. */
function requestsFor(target: string): [string, unknown][] {
  const td = { textDocument: { uri: target } };
  return [
    ['textDocument/hover', { ...td, position }],
    ['textDocument/definition', { ...td, position }],
    ['textDocument/references', { ...td, position, context: { includeDeclaration: true } }],
    ['textDocument/completion', { ...td, position }],
    ['textDocument/documentSymbol', td],
    ['textDocument/foldingRange', td],
    ['textDocument/documentLink', td],
    ['textDocument/semanticTokens/full', td],
    ['textDocument/inlayHint', { ...td, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }],
    ['textDocument/codeAction', { ...td, range: { start: { line: 2, character: 2 }, end: { line: 2, character: 7 } }, context: { diagnostics: [] } }],
    ['textDocument/diagnostic', td],
  ];
}

const CUSTOM = (target: string): [string, unknown][] => [
  ['cloche/graph', { uri: target }],
  ['cloche/renderedContent', { uri: target, position }],
  ['cloche/fidelity', { uri: target }],
  ['cloche/runStatus', { uri: target }],
];

const isEmpty = (v: unknown): boolean =>
  v == null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.values(v as object).every((x) => x == null || typeof x === 'string' || (Array.isArray(x) && x.length === 0)));

test('LSP requests naming a file outside the workspace get an empty answer', async () => {
  const answered: string[] = [];
  for (const target of OUTSIDE_URIS) {
    for (const [method, params] of requestsFor(target)) {
      const answer = await client.request(method, params);
      if (!isEmpty(answer) || JSON.stringify(answer).includes(SECRET)) answered.push(`${method} ${target}: ${JSON.stringify(answer).slice(0, 160)}`);
    }
  }
  assert.deepEqual(answered, []);
});

test("Cloche's requests naming a file outside the workspace are refused with why", async () => {
  for (const target of OUTSIDE_URIS) {
    for (const [method, params] of CUSTOM(target)) {
      await assert.rejects(client.request(method, params), (e: Error) => {
        assert.ok(!e.message.includes(SECRET), `${method} ${target} mentions what the file holds`);
        assert.match(e.message, /outside the workspace|neither an open document nor a file in the workspace|not a local file path/, `${method} ${target}: ${e.message}`);
        return true;
      }, `${method} ${target} was answered`);
    }
  }
});

test('a request for a file outside the workspace never opens it', async () => {
  const target = uri(pipe);
  const opened: string[] = [];
  for (const [method, params] of [...requestsFor(target), ...CUSTOM(target)]) {
    let answered = false;
    const answer = client.request(method, params).catch(() => null).finally(() => { answered = true; });
    // A non-blocking open for writing succeeds only while someone has the pipe open for reading:
    // only the server can. Writing and closing lets a blocked reader go on.
    const deadline = Date.now() + 5_000;
    while (!answered && Date.now() < deadline) {
      let fd: number | undefined;
      try { fd = fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK); } catch { /* no reader: good */ }
      if (fd !== undefined) { opened.push(method); fs.writeSync(fd, 'x'); fs.closeSync(fd); }
      await new Promise((r) => setTimeout(r, 20));
    }
    await answer;
    assert.ok(answered, `${method} answers within 5 s`);
  }
  assert.deepEqual(opened, [], 'the server opened the pipe outside the workspace');
});

test('a symlink in a cookbook leading outside is not read by the analysis either', async () => {
  const report = await client.request<{ items: { uri: string; items?: unknown[] }[] }>('workspace/diagnostic', { previousResultIds: [] });
  assert.ok(report.items.some((i) => i.uri === uri(inside) && i.items?.length), 'the cookbook is reported');
  assert.ok(!report.items.some((i) => i.uri === uri(link)), 'no report for the symlink leading outside');
  assert.ok(!JSON.stringify(report).includes(SECRET), 'nothing of the file outside in the workspace report');
  const graph = await client.request<{ resources: { id: string }[] }>('cloche/graph', { uri: uri(inside) });
  assert.ok(graph.resources.some((r) => r.id === 'file[/tmp/inside]'));
  assert.ok(!JSON.stringify(graph).includes(SECRET), 'nothing of the file outside in the graph of its cookbook');
  const symbols = await client.request<{ name: string }[]>('workspace/symbol', { query: '' });
  assert.ok(!JSON.stringify(symbols).includes(SECRET));
});

test('files of the workspace, a symlinked cookbook folder and open documents anywhere are served', async () => {
  const diags = await client.diagnostics(inside);
  assert.ok(diags.some((d) => d.code === 'unknown-property'), 'a workspace file gets its diagnostics');
  const shared = await client.diagnostics(sharedRecipe);
  assert.ok(shared.some((d) => d.code === 'unknown-property'), 'a file of a symlinked cookbook folder is the workspace\'s');
  const graph = await client.request<{ runList: string[]; resources: { id: string }[] }>('cloche/graph', { uri: uri(sharedRecipe) });
  assert.deepEqual(graph.runList, ['shared_cb::default'], 'its metadata is read (the name is not the folder\'s)');
  assert.ok(graph.resources.some((r) => r.id === 'file[/tmp/shared]'));

  // The same text, open in the editor outside the workspace: served from the editor's text.
  const elsewhere = path.join(base, 'elsewhere', 'recipes', 'default.rb');
  await client.open(elsewhere, RECIPE_LIKE);
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uri(elsewhere) } });
  assert.ok(JSON.stringify(symbols).includes(SECRET), 'an open document is served wherever it is');
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: uri(elsewhere) }, position: cursorIn(RECIPE_LIKE, '  mo|dee') });
  assert.ok(hover === null || typeof (hover.contents as MarkupContent).value === 'string');
  // Another scheme, open: not refused (it has no file, so there is no graph).
  const untitled = 'untitled:Untitled-1';
  await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: untitled, languageId: 'ruby', version: 1, text: RECIPE_LIKE } });
  assert.equal(await client.request('cloche/graph', { uri: untitled }), null);
});
