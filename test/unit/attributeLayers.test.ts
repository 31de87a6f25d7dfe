// Attribute files run once per change: compilations of one world share what each cookbook's
// attribute files leave in the node (attributeLayers.ts), and no compilation changes what another sees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import type { Compilation } from '../../server/src/chef/compilation';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { toS } from '../../server/src/ruby/values';

const debian = getPlatformProfile('debian-12')!;

function workspace(files: Record<string, string>): { dir: string; model: (stableDisk?: boolean) => Model } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-layers-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, model: (stableDisk = false) => new Model([dir], { stableDisk }) };
}

const content = (c: Compilation, id: string): string => {
  const r = c.resources.find((x) => x.id === id);
  assert.ok(r, `${id} is declared`);
  return toS(r.props.find((p) => p.name === 'content')!.value);
};

/** Attribute files that take some evaluation steps (a loop), so running them again shows in the step count. */
const busyAttributes = (cb: string, port: number) =>
  `default['${cb}']['port'] = ${port}\n(1..40).each { |i| default['${cb}']['tunables']["k#{i}"] = i * 2 }\n`;

for (const stableDisk of [false, true]) test(`a dependency's attribute files run once for all the compilations that load them, until one of them changes (${stableDisk ? 'a CLI run' : 'the language server'})`, () => {
  const { dir, model } = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/attributes/default.rb': busyAttributes('a', 80),
    'b/metadata.rb': "name 'b'\ndepends 'a'\n",
    'b/attributes/default.rb': "default['b']['url'] = \"http://localhost:#{node['a']['port']}\"\n",
    'b/recipes/default.rb': "file '/etc/b.url' do\n  content node['b']['url']\nend\n",
  });
  const m = model(stableDisk);
  const first = m.compile(['b::default'], debian);
  const second = m.compile(['b::default'], debian);
  assert.equal(content(first, 'file[/etc/b.url]'), 'http://localhost:80');
  assert.equal(content(second, 'file[/etc/b.url]'), 'http://localhost:80');
  assert.ok(second.interp.totalSteps < first.interp.totalSteps / 4, `the second compilation ran only the recipe (${second.interp.totalSteps} steps, the first ${first.interp.totalSteps})`);
  // The dependency's file changes (an open editor buffer): its layer and the one loaded on it are evaluated again.
  m.ws.setOverlay(path.join(dir, 'a/attributes/default.rb'), busyAttributes('a', 8080));
  const third = m.compile(['b::default'], debian);
  assert.equal(content(third, 'file[/etc/b.url]'), 'http://localhost:8080');
  assert.ok(third.interp.totalSteps > second.interp.totalSteps * 4);
});

test("a wrapper's attributes reach its dependency's recipes in the wrapper's runs only, and the dependency's own layer is shared", () => {
  const files = {
    'a/metadata.rb': "name 'a'\n",
    'a/attributes/default.rb': busyAttributes('a', 80),
    'a/recipes/default.rb': "file '/etc/a.port' do\n  content node['a']['port'].to_s\nend\n",
    'w/metadata.rb': "name 'w'\ndepends 'a'\n",
    'w/attributes/default.rb': "default['a']['port'] = 9090\n",
    'w/recipes/default.rb': "include_recipe 'a'\n",
  };
  const m = workspace(files).model();
  const wrapped = m.compile(['w::default'], debian);
  const alone = m.compile(['a::default'], debian);
  assert.equal(content(wrapped, 'file[/etc/a.port]'), '9090');
  assert.equal(content(alone, 'file[/etc/a.port]'), '80');
  const fresh = workspace(files).model().compile(['a::default'], debian);
  assert.equal(content(fresh, 'file[/etc/a.port]'), '80');
  assert.ok(alone.interp.totalSteps < fresh.interp.totalSteps / 4, `a's attribute files did not run again (${alone.interp.totalSteps} steps, fresh ${fresh.interp.totalSteps})`);
});

test('a recipe that changes a value it read from the node changes nothing stored; a write through a precedence level does, in its own run only', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/attributes/default.rb': "default['a']['list'] = %w(x y)\ndefault['a']['name'] = 'n'\ndefault['a']['conf'] = { 'k' => 'v' }\n",
    'a/recipes/default.rb': [
      "l = node['a']['list']", "l << 'z'", "n = node['a']['name']", "n << '!'", "node['a']['conf']['k2'] = 'v2'",
      "file '/etc/read' do", "  content node['a']['list'].join(',') + node['a']['name'] + node['a']['conf'].keys.join(',')", 'end',
      "node.default['a']['list'] << 'w'",
      "file '/etc/written' do", "  content node['a']['list'].join(',')", 'end', '',
    ].join('\n'),
  }).model();
  for (const run of [1, 2]) {
    const c = m.compile(['a::default'], debian);
    // Chef's merged attributes are read-only: what the recipe did to its copies is not in the node.
    assert.equal(content(c, 'file[/etc/read]'), 'x,ynk', `run ${run}`);
    assert.equal(content(c, 'file[/etc/written]'), 'x,y,w', `run ${run}`);
  }
});
