// Compilation semantics on small cookbooks written here: what Chef would put in the collection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';

const debian = getPlatformProfile('debian-12')!;

/** Writes a workspace from `{ 'cb/recipes/default.rb': '…' }` and returns its model. */
function workspace(files: Record<string, string>): Model {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-compile-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return new Model([dir]);
}

const ids = (m: Model, runList: string[]) => m.compile(runList, debian).resources.map((r) => r.id);

test('include_recipe evaluates a recipe once, in order, across cookbooks', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\ndepends 'b'\n",
    'a/recipes/default.rb': "include_recipe 'b'\nfile '/a'\ninclude_recipe 'b::default'\n",
    'b/metadata.rb': "name 'b'\n",
    'b/recipes/default.rb': "file '/b'\n",
  });
  assert.deepEqual(ids(m, ['a::default']), ['file[/b]', 'file[/a]']);
});

test('a library helper named like a resource type does not hide the resource unless it is mixed into the recipe DSL', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/libraries/h.rb': "module H\n  def service(*args)\n    'helper'\n  end\nend\nmodule W\n  def web_root\n    '/srv/www'\n  end\nend\nChef::DSL::Recipe.include(W)\n",
    'a/recipes/default.rb': "service 'nginx' do\n  action :start\nend\ndirectory web_root\n",
  });
  assert.deepEqual(ids(m, ['a::default']), ['service[nginx]', 'directory[/srv/www]']);
  // A module nobody mixes in is not callable (Ruby raises NameError): its helper's result is unknown, never guessed.
  const n = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/libraries/h.rb': "module W\n  def web_root\n    '/srv/www'\n  end\nend\n",
    'a/recipes/default.rb': "directory web_root\n",
  });
  const c = n.compile(['a::default'], debian);
  assert.deepEqual(c.resources.map((r) => r.id), ['directory[«unknown»]']);
  assert.match(c.resources[0].nameUnknown!, /web_root/);
});

test('custom resources expand with new_resource bound, lazy defaults included', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/resources/site.rb': "property :root, String, default: lazy { \"/srv/#{name}\" }\nproperty :port, Integer, default: 80\naction :create do\n  file ::File.join(new_resource.root, 'port') do\n    content new_resource.port.to_s\n  end\nend\n",
    'a/recipes/default.rb': "a_site 'blog' do\n  port 8080\nend\n",
  });
  const c = m.compile(['a::default'], debian);
  assert.deepEqual(c.resources.map((r) => r.id), ['a_site[blog]', 'file[/srv/blog/port]']);
  assert.equal(c.resources[1].parent, 'a_site[blog]');
  const content = c.resources[1].props.find((p) => p.name === 'content')!.value;
  assert.deepEqual(content, { k: 'str', v: '8080' });
});

test('definitions expand with params; notifications resolve to the declaration', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/definitions/app.rb': "define :app, port: 80 do\n  file \"/etc/#{params[:name]}.conf\" do\n    content params[:port].to_s\n    notifies :restart, 'service[app]'\n  end\nend\n",
    'a/recipes/default.rb': "app 'web' do\n  port 81\nend\nservice 'app'\n",
  });
  const c = m.compile(['a::default'], debian);
  const f = c.resources.find((r) => r.id === 'file[/etc/web.conf]')!;
  assert.deepEqual(f.props.find((p) => p.name === 'content')!.value, { k: 'str', v: '81' });
  assert.equal(f.notifications[0].resolved?.id, 'service[app]');
  assert.equal(f.notifications[0].timing, 'delayed');
});

test('unknown conditions mark resources conditional; loops over unknown collections mark them repeated', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/recipes/default.rb': "if ::File.exist?('/etc/x')\n  file '/x'\nelse\n  file '/y'\nend\ndata_bag('users').each do |u|\n  user u\nend\nif platform_family?('rhel')\n  file '/rhel-only'\nend\n",
  });
  const c = m.compile(['a::default'], debian);
  // The user's name comes from the data bag: unknown, named so (never with its source text).
  assert.deepEqual(c.resources.map((r) => r.id), ['file[/x]', 'file[/y]', 'user[«unknown»]']);
  assert.match(c.resources[2].nameUnknown!, /data bag/);
  assert.match(c.resources[0].conditional!, /File\.exist\?/);
  assert.match(c.resources[2].repeated!, /data bag/);
});

test('package resolves per platform and attribute precedence decides values', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/attributes/default.rb': "default['a']['pkg'] = 'httpd'\noverride['a']['pkg'] = 'nginx' if platform_family?('debian')\n",
    'a/recipes/default.rb': "package node['a']['pkg']\n",
  });
  const deb = m.compile(['a::default'], debian).resources[0];
  assert.equal(deb.id, 'package[nginx]');
  assert.equal(deb.resolvedType, 'apt_package');
  const alma = m.compile(['a::default'], getPlatformProfile('almalinux-9')!).resources[0];
  assert.equal(alma.id, 'package[httpd]');
  assert.equal(alma.resolvedType, 'dnf_package');
});

test('a raise or return in an undecided branch makes the rest of the recipe conditional, never a certain stop', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/recipes/default.rb': "file '/before'\nraise 'unsupported' unless ::File.exist?('/etc/os-release')\nfile '/after'\n",
  });
  const c = m.compile(['a::default'], debian);
  assert.deepEqual(c.resources.map((r) => r.id), ['file[/before]', 'file[/after]']);
  assert.equal(c.resources[0].conditional, undefined);
  assert.match(c.resources[1].conditional!, /unless the code above raises/);
  assert.ok(!c.findings.some((f) => f.code === 'recipe-raises'), 'no certain stop');
});

test('a resource served by library providers per platform runs the provider Chef picks there (provides … os:)', () => {
  const m = workspace({
    'p/metadata.rb': "name 'p'\n",
    'p/libraries/resource.rb': [
      'class Chef::Resource::PThing < Chef::Resource', '  provides :p_thing', '  property :version, String, default: "1.0"', '  default_action :install', '  allowed_actions :install', 'end',
    ].join('\n'),
    'p/libraries/provider_linux.rb': [
      'class Chef::Provider::PThingLinux < Chef::Provider', '  provides :p_thing, os: "linux"',
      '  action :install do', '    package "p-thing" do', '      version new_resource.version', '    end', '  end', 'end',
    ].join('\n'),
    'p/libraries/provider_windows.rb': [
      'class Chef::Provider::PThingWindows < Chef::Provider', '  provides :p_thing, os: "windows"',
      '  action :install do', '    windows_package "P Thing" do', '      source "https://example.invalid/p.msi"', '    end', '  end', 'end',
    ].join('\n'),
    'p/recipes/default.rb': "p_thing 'x'\n",
  });
  assert.deepEqual(ids(m, ['p::default']), ['p_thing[x]', 'package[p-thing]']);
  const win = m.compile(['p::default'], getPlatformProfile('windows-2022')!).resources.map((r) => r.id);
  assert.deepEqual(win, ['p_thing[x]', 'windows_package[P Thing]']);
  // Checked on Debian (the run and each action on its own), the Windows provider's action does not run: its Windows-only resource is no finding.
  const findings = checkPaths(m, [m.ws.roots[0]], debian).filter((d) => d.severity === 'warning' || d.severity === 'error');
  assert.deepEqual(findings.map((d) => `${d.code} ${d.message}`), []);
});

test('a block guard made of file tests carries the shell test the machine answers; anything else in it leaves no test', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/recipes/default.rb': [
      "service 'exim4' do\n  action :stop\n  only_if { ::File.exist?('/etc/init.d/exim4') }\nend",
      "execute 'b' do\n  not_if { !::File.directory?(\"/srv/b\") || ::File.symlink?('/srv/b/x') }\nend",
      "execute 'c' do\n  only_if { ::File.exist?('/c') && shell_out('id').stdout.include?('x') }\nend",
      "execute 'd' do\n  only_if { ::File.exist?('/d') && true }\nend",
      "execute 'e' do\n  only_if { ::File.exist?('relative/path') }\nend",
      "execute 'f' do\n  only_if { Dir.exist?(\"/it's\") }\nend",
      "execute 'g' do\n  not_if { mod_enabled?('ssl') }\nend",
    ].join('\n'),
    'a/libraries/h.rb': "module H\n  def mod_enabled?(name)\n    ::File.symlink?(\"/etc/apache2/mods-enabled/#{name}.load\")\n  end\nend\nChef::DSL::Recipe.include(H)\nChef::Resource.include(H)\n",
  });
  const guards = m.compile(['a::default'], debian).resources.map((r) => r.guards[0]);
  assert.deepEqual(guards.map((g) => g.test), [
    "test -e '/etc/init.d/exim4'",
    "{ ! { test -d '/srv/b'; }; } || { test -L '/srv/b/x'; }",
    undefined,
    "test -e '/d'",
    undefined,
    "test -d '/it'\\''s'",
    "test -L '/etc/apache2/mods-enabled/ssl.load'",
  ]);
  assert.ok(guards.every((g) => g.value === undefined && g.unknownReason));
});

test('the children of a custom resource carry the action whose body declared them', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/resources/site.rb': "action :create do\n  file '/etc/site'\nend\naction :enable do\n  link '/etc/site.enabled' do\n    to '/etc/site'\n  end\nend\n",
    'a/recipes/default.rb': "a_site 'x' do\n  action [:create, :enable]\nend\n",
  });
  const c = m.compile(['a::default'], debian);
  assert.deepEqual(m.graph(c, ['a::default']).resources.map((r) => [r.id, r.parentAction]), [['a_site[x]', undefined], ['file[/etc/site]', 'create'], ['link[/etc/site.enabled]', 'enable']]);
});

test('Hash#flatten and Chef::Util::PathHelper are evaluated (ntp and openssh use them for names and content)', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/recipes/default.rb': [
      "file Chef::Util::PathHelper.cleanpath(::File.join('/etc//ssh/', './sshd_config.d/../sshd_config'))",
      "file '/etc/flat' do\n  content({ 'server' => %w(a b), 'pool' => ['c'] }.flatten.join(','))\nend",
      "file '/etc/flat2' do\n  content({ 'server' => %w(a b) }.flatten(2).join(','))\nend",
    ].join('\n'),
  });
  const c = m.compile(['a::default'], debian);
  assert.deepEqual(c.resources.map((r) => r.id), ['file[/etc/ssh/sshd_config]', 'file[/etc/flat]', 'file[/etc/flat2]']);
  const content = (i: number) => m.graph(c, ['a::default']).resources[i].properties.content;
  assert.equal(content(1), 'server,a,b,pool,c');
  assert.equal(content(2), 'server,a,b');
});

test('resources(type: name) inside a resource block finds the resource in the run (Chef::Resource has the DeclareResource DSL)', () => {
  const m = workspace({
    'a/metadata.rb': "name 'a'\n",
    'a/recipes/default.rb': "file '/etc/check.conf'\nfile '/etc/server.conf' do\n  content resources(file: '/etc/check.conf').path\nend\n",
  });
  const c = m.compile(['a::default'], debian);
  assert.equal(m.graph(c, ['a::default']).resources[1].properties.content, '/etc/check.conf');
});
