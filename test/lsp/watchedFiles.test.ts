/**
 * Files changed on disk, reported by the client with workspace/didChangeWatchedFiles: dependent
 * recipes are re-evaluated both ways (created, then deleted), and pull clients are asked to refresh.
 * Works on a temporary copy of the fixtures, never on the fixtures themselves.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { TestClient, FIXTURES, uri } from './client';

let root: string;
let client: TestClient;
before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-watched-'));
  for (const cb of ['fx_errors', 'fx_custom']) fs.cpSync(path.join(FIXTURES, cb), path.join(root, cb), { recursive: true });
  client = await TestClient.start({ roots: [root] });
});
after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const codes = async (file: string) => (await client.diagnostics(file)).map((d) => d.code);
const watched = (file: string, type: FileChangeType) => client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(file), type }] });
const refreshes = () => client.logs.filter((l) => l === 'refresh').length;

test('a template created and deleted on disk changes the recipe that uses it, both ways', async () => {
  const recipe = path.join(root, 'fx_errors/recipes/missing_template.rb');
  const template = path.join(root, 'fx_errors/templates/missing.conf.erb');
  await client.open(recipe);
  assert.ok((await codes(recipe)).includes('missing-template'));

  let before = refreshes();
  fs.writeFileSync(template, 'port=<%= @port %>\n');
  await watched(template, FileChangeType.Created);
  await client.until(() => refreshes() > before, 5000, 'a diagnostic refresh after the template appeared');
  assert.ok(!(await codes(recipe)).includes('missing-template'));

  before = refreshes();
  fs.rmSync(template);
  await watched(template, FileChangeType.Deleted);
  await client.until(() => refreshes() > before, 5000, 'a diagnostic refresh after the template went away');
  assert.ok((await codes(recipe)).includes('missing-template'));
});

test('a cookbook_file created on disk in a platform folder counts; deleting it brings the error back', async () => {
  const recipe = path.join(root, 'fx_errors/recipes/missing_cookbook_file.rb');
  const file = path.join(root, 'fx_errors/files/debian/fx-missing.sh');
  await client.open(recipe);
  assert.ok((await codes(recipe)).includes('missing-cookbook-file'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  await watched(file, FileChangeType.Created);
  assert.ok(!(await codes(recipe)).includes('missing-cookbook-file'));
  fs.rmSync(path.dirname(file), { recursive: true });
  await watched(file, FileChangeType.Deleted);
  assert.ok((await codes(recipe)).includes('missing-cookbook-file'));
});

test('a recipe created on disk satisfies include_recipe; deleting it reports it missing again', async () => {
  const recipe = path.join(root, 'fx_errors/recipes/missing_recipe.rb');
  const created = path.join(root, 'fx_errors/recipes/not_there.rb');
  await client.open(recipe);
  assert.ok((await codes(recipe)).includes('missing-recipe'));
  fs.writeFileSync(created, "log 'now it is there'\n");
  await watched(created, FileChangeType.Created);
  assert.ok(!(await codes(recipe)).includes('missing-recipe'));
  fs.rmSync(created);
  await watched(created, FileChangeType.Deleted);
  assert.ok((await codes(recipe)).includes('missing-recipe'));
});

test('a custom resource edited on disk: a new property is known to the recipe that uses it, and unknown again when removed', async () => {
  const recipe = path.join(root, 'fx_custom/recipes/default.rb');
  const resource = path.join(root, 'fx_custom/resources/app_config.rb');
  const original = fs.readFileSync(recipe, 'utf8');
  const resourceText = fs.readFileSync(resource, 'utf8');
  // Use a property the resource does not have (yet), in the open editor text.
  const withProp = original.replace(/(fx_custom_app_config [^\n]* do\n)/, '$1  colour :blue\n');
  assert.notEqual(withProp, original);
  await client.open(recipe, withProp);
  assert.ok((await codes(recipe)).includes('unknown-property'));
  fs.writeFileSync(resource, resourceText.replace(/(property :)/, 'property :colour, Symbol\n$1'));
  await watched(resource, FileChangeType.Changed);
  assert.ok(!(await codes(recipe)).includes('unknown-property'));
  fs.writeFileSync(resource, resourceText);
  await watched(resource, FileChangeType.Changed);
  assert.ok((await codes(recipe)).includes('unknown-property'));
});

test('a change to an open document is not taken from the disk', async () => {
  const recipe = path.join(root, 'fx_errors/recipes/unknown_property.rb');
  const text = fs.readFileSync(recipe, 'utf8');
  await client.open(recipe, text.replace('contnt "hello', 'content "hello'));
  assert.ok(!(await codes(recipe)).includes('unknown-property'));
  fs.writeFileSync(recipe, text.replace('contnt "hello', 'contnnt "hello'));
  await watched(recipe, FileChangeType.Changed);
  assert.ok(!(await codes(recipe)).includes('unknown-property'), 'the editor text wins over the disk');
});

test('a dependency folder deleted and restored on disk (one event for the folder)', async () => {
  for (const cb of ['fx_base', 'fx_wrapper']) fs.cpSync(path.join(FIXTURES, cb), path.join(root, cb), { recursive: true });
  await watched(path.join(root, 'fx_base'), FileChangeType.Created);
  await watched(path.join(root, 'fx_wrapper'), FileChangeType.Created);
  const meta = path.join(root, 'fx_wrapper/metadata.rb');
  const recipe = path.join(root, 'fx_wrapper/recipes/default.rb');
  await client.open(recipe);
  const missingDeps = async () => (await client.diagnostics(meta)).filter((d) => d.code === 'dependency-not-in-workspace').map((d) => String(d.message).match(/'(\w+)'/)?.[1]).sort();
  assert.deepEqual(await missingDeps(), ['apache2']);
  const seen = (await client.diagnostics(recipe)).length;
  const away = path.join(root, '..', path.basename(root) + '-fx_base');
  fs.renameSync(path.join(root, 'fx_base'), away);
  await watched(path.join(root, 'fx_base'), FileChangeType.Deleted);
  try {
    assert.deepEqual(await missingDeps(), ['apache2', 'fx_base']);
  } finally {
    fs.renameSync(away, path.join(root, 'fx_base'));
  }
  await watched(path.join(root, 'fx_base'), FileChangeType.Created);
  assert.deepEqual(await missingDeps(), ['apache2']);
  assert.equal((await client.diagnostics(recipe)).length, seen);
});

test('the custom resources of a cookbook folder deleted on disk are forgotten, and known again when it is back', async () => {
  const recipe = path.join(root, 'fx_errors/recipes/default.rb');
  await client.open(recipe, fs.readFileSync(recipe, 'utf8') + "\nfx_custom_app_config '/etc/x.ini' do\n  settings('a' => 1)\nend\n");
  const unknownTypes = async () => (await client.diagnostics(recipe)).filter((d) => d.code === 'unknown-resource').length;
  assert.equal(await unknownTypes(), 0);
  const away = path.join(root, '..', path.basename(root) + '-fx_custom');
  fs.renameSync(path.join(root, 'fx_custom'), away);
  await watched(path.join(root, 'fx_custom'), FileChangeType.Deleted);
  try {
    assert.equal(await unknownTypes(), 1);
  } finally {
    fs.renameSync(away, path.join(root, 'fx_custom'));
  }
  await watched(path.join(root, 'fx_custom'), FileChangeType.Created);
  assert.equal(await unknownTypes(), 0);
});

test('a workspace folder added and removed by the client is indexed and dropped', async () => {
  const extra = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-folder-'));
  try {
    fs.cpSync(path.join(FIXTURES, 'fx_errors'), path.join(extra, 'fx_extra'), { recursive: true });
    fs.writeFileSync(path.join(extra, 'fx_extra/metadata.rb'), fs.readFileSync(path.join(extra, 'fx_extra/metadata.rb'), 'utf8').replace("'fx_errors'", "'fx_extra'"));
    const recipe = path.join(extra, 'fx_extra/recipes/unknown_property.rb');
    await client.open(recipe);
    assert.deepEqual(await codes(recipe), [], 'outside the workspace: nothing to say');
    const folder = { uri: uri(extra), name: 'extra' };
    await client.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [folder], removed: [] } });
    assert.ok((await codes(recipe)).includes('unknown-property'));
    await client.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: [], removed: [folder] } });
    assert.deepEqual(await codes(recipe), []);
    // The original folder is still indexed.
    assert.ok((await codes(path.join(root, 'fx_errors/recipes/unknown_action.rb'))).includes('unknown-action'));
  } finally { fs.rmSync(extra, { recursive: true, force: true }); }
});

test('push clients: a template created and deleted on disk republishes the recipe that uses it', async () => {
  const push = await TestClient.start({ roots: [root], pull: false });
  try {
    const recipe = path.join(root, 'fx_errors/recipes/missing_template.rb');
    const template = path.join(root, 'fx_errors/templates/missing.conf.erb');
    await push.open(recipe);
    const has = (d: { code?: unknown }[]) => d.some((x) => x.code === 'missing-template');
    await push.published(recipe, has);
    fs.writeFileSync(template, 'x\n');
    await push.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(template), type: FileChangeType.Created }] });
    await push.published(recipe, (d) => !has(d));
    fs.rmSync(template);
    await push.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri(template), type: FileChangeType.Deleted }] });
    await push.published(recipe, has);
  } finally { await push.stop(); }
});
