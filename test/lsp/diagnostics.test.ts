/** Diagnostics over real LSP: pull and push, every fx_errors rule, clean fixtures, cross-file effects. */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, FIXTURES, expectStored } from './client';

const recipes = (cb: string) => fs.readdirSync(path.join(FIXTURES, cb, 'recipes')).filter((f) => f.endsWith('.rb')).map((f) => path.join(FIXTURES, cb, 'recipes', f));

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

test('fx_errors: each recipe reports the problem its README names, on the line after `# expect:`', async () => {
  const all: Record<string, unknown> = {};
  for (const file of recipes('fx_errors')) {
    await client.open(file);
    const diags = await client.diagnostics(file);
    all[path.basename(file)] = diags;
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const expected = text.flatMap((l, i) => (/#\s*expect:/.test(l) ? [i + 1] : []));
    for (const line of expected) {
      // never-notified points at `action :nothing`, two lines into the resource.
      assert.ok(diags.some((d) => d.range.start.line >= line && d.range.start.line <= line + 2), `${path.basename(file)}: expected a diagnostic on line ${line + 1}, got ${JSON.stringify(diags.map((d) => [d.code, d.range.start.line + 1]))}`);
    }
    for (const d of diags) assert.equal(d.source, 'cloche');
  }
  expectStored('diagnostics', 'fx_errors', all);
});

test('fx_errors: codes, tags and positions of selected rules', async () => {
  const byCode = async (name: string) => (await client.diagnostics(path.join(FIXTURES, 'fx_errors', 'recipes', name)));
  const nonAscii = (await byCode('non_ascii.rb')).find((d) => d.code === 'unknown-resource');
  assert.deepEqual(nonAscii?.range.start, { line: 2, character: 21 });
  const deprecated = (await byCode('deprecated_property.rb')).find((d) => d.code === 'deprecated-property');
  assert.deepEqual(deprecated?.tags, [2]);
  const never = (await byCode('never_notified.rb')).find((d) => d.code === 'never-notified');
  assert.deepEqual(never?.tags, [1]);
  const dup = (await byCode('duplicate_resource.rb')).find((d) => d.code === 'duplicate-resource');
  assert.equal(dup?.relatedInformation?.[0].message, 'first declaration');
  assert.equal(dup?.relatedInformation?.[0].location.range.start.line, 1);
  const syntax = await byCode('syntax_error.rb');
  assert.deepEqual(syntax.filter((d) => d.code === 'syntax-error').map((d) => d.range.start), [{ line: 4, character: 15 }, { line: 9, character: 3 }]);
});

test('clean fixtures have no errors or warnings', async () => {
  for (const cb of ['fx_base', 'fx_custom', 'fx_community', 'fx_wrapper']) {
    for (const file of recipes(cb)) {
      await client.open(file);
      const bad = (await client.diagnostics(file)).filter((d) => d.severity === 1 || d.severity === 2);
      assert.deepEqual(bad, [], `${cb}/${path.basename(file)}`);
    }
  }
});

test('a change is re-evaluated, and dependent files see cross-file effects', async () => {
  const config = path.join(FIXTURES, 'fx_base', 'recipes', 'config.rb');
  const service = path.join(FIXTURES, 'fx_base', 'recipes', 'service.rb');
  await client.open(config);
  const original = fs.readFileSync(service, 'utf8');
  await client.open(service, original);
  assert.equal((await client.diagnostics(config)).filter((d) => d.code === 'dangling-notification').length, 0);
  // Rename the service that config.rb notifies: config.rb must now report dangling notifications.
  await client.change(service, original.replace("service fx['service_name'] do", "service 'renamed' do"));
  const dangling = (await client.diagnostics(config)).filter((d) => d.code === 'dangling-notification');
  assert.equal(dangling.length, 3);
  await client.change(service, original);
  assert.equal((await client.diagnostics(config)).filter((d) => d.code === 'dangling-notification').length, 0);
  // A typo typed into the open document shows up at once.
  await client.change(service, original + "\npakage 'x'\n");
  assert.ok((await client.diagnostics(service)).some((d) => d.code === 'unknown-resource'));
  await client.change(service, original);
});

test('push diagnostics for clients without pull support', async () => {
  const push = await TestClient.start({ pull: false });
  try {
    const file = path.join(FIXTURES, 'fx_errors', 'recipes', 'unknown_property.rb');
    await push.open(file);
    const diags = await push.published(file, (d) => d.length > 0);
    assert.ok(diags.some((d) => d.code === 'unknown-property'));
    await push.change(file, fs.readFileSync(file, 'utf8').replace('contnt "hello', 'content "hello'));
    await push.published(file, (d) => !d.some((x) => x.code === 'unknown-property'));
  } finally { await push.stop(); }
});
