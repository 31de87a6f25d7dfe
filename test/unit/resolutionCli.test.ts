// Cookbook resolution through the bundled CLI: check PATH checks what is under PATH with its own
// dependencies, a clash is said once as information, a constraint nothing satisfies exits 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const WS = path.join(ROOT, 'test/fixtures/resolution/ws');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: WS, encoding: 'utf8' });
const json = (...args: string[]) => { const r = cli(...args, '--format', 'json'); return { ...r, out: JSON.parse(r.stdout) }; };
type D = { file: string; line: number; severity: string; code: string; message: string };
const rel = (d: D) => path.relative(WS, d.file);

test('check PATH: the cookbooks under PATH, each with the release its constraint asks for', () => {
  const one = json('check', 'app_one');
  assert.equal(one.status, 0, one.stderr);
  const files = new Set((one.out.diagnostics as D[]).map(rel));
  assert.deepEqual([...files], ['app_one/test/fixtures/cookbooks/test/recipes/default.rb'], 'only findings under PATH, none from the shared_lib 2.x mix-up');
  const two = json('check', 'app_two');
  assert.equal(two.status, 0, two.stderr);
  assert.deepEqual((two.out.diagnostics as D[]).map((d) => [rel(d), d.code]), [['app_two/test/cookbooks/test/recipes/default.rb', 'never-notified']]);
});

test('check of a fixture cookbook: its repository and the repository\'s siblings are its workspace', () => {
  const r = json('check', 'app_two/test/cookbooks/test');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual((r.out.diagnostics as D[]).map((d) => d.code), ['never-notified'], 'app_two is found (no dependency-not-in-workspace)');
});

test('check of the whole workspace: both test cookbooks, a clash said once as information, exit 2 for the constraint nothing satisfies', () => {
  const r = json('check', '.');
  assert.equal(r.status, 2, 'bad input: a depends constraint nothing satisfies');
  const diags = r.out.diagnostics as D[];
  assert.deepEqual(diags.filter((d) => d.code === 'never-notified').map(rel), ['app_one/test/fixtures/cookbooks/test/recipes/default.rb', 'app_two/test/cookbooks/test/recipes/default.rb']);
  const clashes = diags.filter((d) => d.code === 'cookbook-clash');
  assert.deepEqual(clashes.map((d) => [rel(d), d.line, d.severity]), [['uses_twin/metadata.rb', 3, 'info']]);
  assert.match(clashes[0].message, /twins\/a\/twin/);
  assert.match(clashes[0].message, /twins\/b\/twin/);
  assert.deepEqual(diags.filter((d) => d.severity === 'error').map((d) => [rel(d), d.line, d.code]), [
    ['needs_newer/metadata.rb', 3, 'dependency-unsatisfied'], ['needs_newer/metadata.rb', 4, 'invalid-version-constraint'],
  ]);
  assert.match(r.stderr, /needs_newer\/metadata\.rb:3: No cookbook 'shared_lib' in the workspace satisfies '~> 9\.0' \(found 2\.1\.0 at ws\/shared_lib, 1\.2\.0 at ws\/shared_lib-1\.2\.0\)/);
});

test('graph of a suite: the repository\'s own test cookbook, not the sibling repository\'s', () => {
  const g = json('graph', 'app_two', '--suite', 'default');
  assert.equal(g.status, 0, g.stderr);
  const ids = g.out.resources.map((x: { id: string }) => x.id);
  assert.ok(ids.includes('file[/tmp/only-in-repository-two]'), ids.join(' '));
  assert.ok(!ids.includes('file[/tmp/only-in-repository-one]'));
  const one = json('graph', 'app_one/test/fixtures/cookbooks/test');
  assert.equal(one.status, 0, one.stderr);
  assert.ok(one.out.resources.some((x: { id: string }) => x.id === 'log[helper from the path source: true]'), 'the Berksfile path source of helper_cb');
});

test('graph of a cookbook whose constraint nothing satisfies: the graph, and exit 2 with the place on stderr', () => {
  const g = json('graph', 'needs_newer');
  assert.equal(g.status, 2);
  assert.ok(g.out.resources.length > 0, 'what could be compiled is still printed');
  assert.match(g.stderr, /needs_newer\/metadata\.rb:3:/);
});

test('--cookbook-path: more roots, searched in order after the path\'s own', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-cbpath-'));
  try {
    const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    write('main/app/metadata.rb', "name 'app'\nversion '1.0.0'\ndepends 'dep'\n");
    write('main/app/recipes/default.rb', "include_recipe 'dep'\n");
    for (const side of ['first', 'second']) {
      write(`${side}/dep/metadata.rb`, "name 'dep'\nversion '1.0.0'\n");
      write(`${side}/dep/recipes/default.rb`, `file '/tmp/${side}'\n`);
    }
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args, '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    const alone = JSON.parse(run('check', 'main/app').stdout).diagnostics as D[];
    assert.deepEqual(alone.map((d) => d.code), ['dependency-not-in-workspace']);
    const both = JSON.parse(run('check', 'main/app', '--cookbook-path', 'second:first').stdout).diagnostics as D[];
    assert.deepEqual(both.map((d) => [d.code, d.severity]), [['cookbook-clash', 'info']]);
    assert.match(both[0].message, /second\/dep \(1\.0\.0, used: first in the cookbook path\) and first\/dep \(1\.0\.0\)/);
    const graph = JSON.parse(run('graph', 'main/app', '--cookbook-path', 'second:first').stdout);
    assert.ok(graph.resources.some((r: { id: string }) => r.id === 'file[/tmp/second]'), 'the earlier cookbook path wins');
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
