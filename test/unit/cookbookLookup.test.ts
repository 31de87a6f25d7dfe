/**
 * The early index (chef/cookbookLookup.ts) and the scan it runs ahead of (Workspace.placeOf,
 * scanSteps): a file's cookbook and the cookbooks its run needs are found by name where cookbooks
 * are kept, each at the place the full scan gives it, and what is not found is reported as pending,
 * never as absent.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/chef/workspace';
import { CookbookLookup, pendingDiagnostics } from '../../server/src/chef/cookbookLookup';
import { ModelSet } from '../../server/src/chef/modelSet';

let root: string;
const at = (rel: string) => path.join(root, rel);

function cookbook(rel: string, metadata: string, files: Record<string, string> = {}): void {
  fs.mkdirSync(at(rel), { recursive: true });
  fs.writeFileSync(path.join(at(rel), 'metadata.rb'), metadata);
  for (const [f, text] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(at(rel), f)), { recursive: true }); fs.writeFileSync(path.join(at(rel), f), text); }
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-lookup-'));
  fs.mkdirSync(at('repo/.git'), { recursive: true });
  cookbook('repo', "name 'app'\nversion '1.0.0'\ndepends 'sibling'\ndepends 'published'\ndepends 'nowhere'\n", { 'recipes/default.rb': "package 'x'\n" });
  cookbook('repo/test/fixtures/cookbooks/test', "name 'test'\ndepends 'app'\ndepends 'fixture_only'\n");
  cookbook('repo/test/fixtures/cookbooks/fixture_only', "name 'fixture_only'\n");
  cookbook('sibling', "name 'sibling'\nversion '1.0.0'\ndepends 'deeper'\n");
  cookbook('cookbooks/deeper', "name 'deeper'\n");
  cookbook('chef-published', "name 'published'\n");
  cookbook('elsewhere/odd', "name 'nowhere'\n");
  cookbook('unrelated', "name 'unrelated'\n");
  // Not cookbooks the scan finds: inside a cookbook's files/, under a skipped folder.
  cookbook('sibling/files/default/nested', "name 'nested'\n");
  cookbook('node_modules/hidden', "name 'hidden'\n");
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('placeOf: the root and depth the scan finds a folder at, or nothing where the scan does not look', () => {
  const ws = new Workspace([root]);
  assert.deepEqual(ws.placeOf(at('repo')), { root: 0, depth: 1 });
  assert.deepEqual(ws.placeOf(at('repo/test/fixtures/cookbooks/test')), { root: 0, depth: 5 });
  assert.equal(ws.placeOf(at('sibling/files/default/nested')), undefined);
  assert.equal(ws.placeOf(at('node_modules/hidden')), undefined);
  assert.equal(ws.placeOf(os.tmpdir()), undefined);
  // What the full scan finds, at the same places.
  ws.scan();
  for (const cb of ws.all) assert.deepEqual(ws.placeOf(cb.dir), cb.found, cb.dir);
  assert.ok(!ws.all.some((c) => c.name === 'nested' || c.name === 'hidden'));
});

test('scanSteps: one folder a step, the same cookbooks in the same order as the whole scan', () => {
  const whole = new Workspace([root]);
  whole.scan();
  const stepped = new Workspace([root]);
  let steps = 0;
  for (const _ of stepped.scanSteps()) steps++;
  assert.ok(steps > whole.all.length);
  assert.deepEqual(stepped.all.map((c) => c.dir), whole.all.map((c) => c.dir));
  assert.deepEqual(stepped.named('app').map((c) => c.dir), [at('repo')]);
});

test('prime: the file\'s cookbook and, by name, the cookbooks its run needs; the rest is left to the scan', () => {
  const ws = new Workspace([root]);
  const lookup = new CookbookLookup(ws);
  assert.equal(lookup.prime(at('repo/recipes/default.rb')), true);
  const names = ws.all.map((c) => c.name).sort();
  assert.deepEqual(names, ['app', 'deeper', 'published', 'sibling']);
  assert.deepEqual(lookup.entries.map((c) => c.name), ['app']);
  assert.deepEqual(ws.cookbookIn(at('cookbooks/deeper'))?.found, { root: 0, depth: 2 });
  const res = new ModelSet(ws, () => lookup.entries).resolution(lookup.entries[0]);
  assert.deepEqual(lookup.pendingOf(res), ['nowhere']);
  assert.deepEqual(lookup.pendingOf(res, ['included']), ['included', 'nowhere']);
  assert.equal(lookup.prime(at('repo/recipes/default.rb')), false, 'nothing new the second time');
  // A fixture cookbook: its own folder's siblings.
  assert.equal(lookup.prime(at('repo/test/fixtures/cookbooks/test/metadata.rb')), true);
  assert.ok(ws.named('fixture_only').length === 1);
  // Looking a name up that is nowhere by name finds nothing and concludes nothing.
  assert.equal(lookup.lookUp(['nowhere']), false);
});

test('pendingDiagnostics: a note on each file, on the depends line in metadata', () => {
  const ws = new Workspace([root]);
  const lookup = new CookbookLookup(ws);
  lookup.prime(at('repo/recipes/default.rb'));
  const app = lookup.entries[0];
  const notes = pendingDiagnostics(app, [at('repo/recipes/default.rb'), app.metadataFile!], ['nowhere']);
  assert.deepEqual(notes.map((d) => [path.relative(root, d.file), d.line, d.code, d.severity]), [['repo/recipes/default.rb', 1, 'not-indexed-yet', 'info'], ['repo/metadata.rb', 5, 'not-indexed-yet', 'info']]);
  assert.match(notes[0].message, /still indexing.*'nowhere'/);
});
