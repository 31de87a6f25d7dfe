// `cloche diff` through the bundled CLI, on a git repository the test creates: two commits and a
// working tree change of one cookbook; the RunDiff JSON contract, text, Markdown, exit codes, and
// that the user's checkout is left as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Graph, RunDiff } from '../../server/src/protocol';

const ROOT = path.resolve(__dirname, '../..');
let repo = '';
let tmp = '';
let first = '';
let second = '';

const git = (...args: string[]) => {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};
// TMPDIR of our own, so the test sees that the revisions' folders are removed.
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'diff', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 });
const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true }); fs.writeFileSync(path.join(repo, rel), text); };

const RECIPE_1 = `package 'nginx'

template '/etc/app.conf' do
  source 'app.conf.erb'
  mode '0644'
  variables(port: node['web']['port'])
end

file '/etc/banner' do
  content 'hello'
  notifies :restart, 'service[nginx]', :immediately
end

service 'nginx' do
  action [:enable, :start]
end

file '/etc/ip' do
  content node['ipaddress_x'].to_s
end
`;

// A property and the template's input changed, a notification gained, the banner moved after the
// service it notifies, a resource added (named with a Markdown payload).
const RECIPE_2 = `package 'nginx'

template '/etc/app.conf' do
  source 'app.conf.erb'
  mode '0600'
  variables(port: node['web']['port'])
  notifies :reload, 'service[nginx]', :delayed
end

service 'nginx' do
  action [:enable, :start]
end

file '/etc/banner' do
  content 'hello'
  notifies :restart, 'service[nginx]', :immediately
end

file '/etc/ip' do
  content node['ipaddress_x'].to_s
end

file '/etc/[x](command:evil)' do
  content 'x'
end
`;

before(() => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-diff-test-')));
  repo = path.join(base, 'repo');
  tmp = path.join(base, 'tmp');
  fs.mkdirSync(repo);
  fs.mkdirSync(tmp);
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('config', 'commit.gpgsign', 'false');
  write('web/metadata.rb', "name 'web'\nversion '1.0.0'\n");
  write('web/attributes/default.rb', "default['web']['port'] = 80\n");
  write('web/templates/app.conf.erb', 'listen <%= @port %>\nuser app\n');
  write('web/recipes/base.rb', "package 'curl'\n");
  write('web/recipes/default.rb', RECIPE_1);
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  first = git('rev-parse', 'HEAD');
  write('web/attributes/default.rb', "default['web']['port'] = 8080\n");
  write('web/recipes/default.rb', RECIPE_2);
  git('commit', '-q', '-am', 'two');
  second = git('rev-parse', 'HEAD');
  // The working tree: the package removed, not committed.
  write('web/recipes/default.rb', RECIPE_2.replace("package 'nginx'\n", ''));
});

after(() => { fs.rmSync(path.dirname(repo), { recursive: true, force: true }); });

test('diff between two commits: the RunDiff contract with every kind of difference', () => {
  const r = cli('web', '--from', first, '--to', second, '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout) as RunDiff;
  assert.equal(d.from.commit, first);
  assert.equal(d.to.commit, second);
  assert.equal(d.from.platform, 'debian-12');
  assert.deepEqual(d.to.runList, ['web::default']);
  assert.deepEqual(d.added.map((a) => a.id), ['file[/etc/[x](command:evil)]']);
  assert.equal(d.added[0].location.file, path.join(repo, 'web/recipes/default.rb'), 'locations name the repository\'s files, not a temporary copy');
  assert.equal(d.added[0].location.line, 23);
  assert.deepEqual(d.removed, []);
  const template = d.changed.find((c) => c.id === 'template[/etc/app.conf]')!;
  assert.equal(template.status, 'changed');
  assert.deepEqual(template.fields.find((f) => f.name === 'mode'), { field: 'property', name: 'mode', status: 'changed', from: '0644', to: '0600' });
  assert.deepEqual(template.notifications.map((n) => [n.status, n.action, n.target, n.timing]), [['added', 'reload', 'service[nginx]', 'delayed']]);
  assert.equal(template.content!.status, 'changed');
  assert.match(template.content!.patch, /^--- a\/etc\/app\.conf\n\+\+\+ b\/etc\/app\.conf\n@@ -1,2 \+1,2 @@\n-listen 80\n\+listen 8080\n user app\n$/);
  assert.equal(template.content!.from, 'listen 80\nuser app\n');
  const ip = d.changed.find((c) => c.id === 'file[/etc/ip]')!;
  assert.equal(ip.status, 'may-change', 'content unknown on both sides: may change, not unchanged');
  assert.match(ip.content!.reason!, /ipaddress_x/);
  assert.deepEqual(d.order.map((o) => [o.source, o.target, o.fromFirst, o.toFirst]), [['file[/etc/banner]', 'service[nginx]', 'source', 'target']]);
  assert.equal(d.changed.some((c) => c.id === 'package[nginx]' || c.id === 'service[nginx]'), false, 'unchanged resources are not listed');
  assert.deepEqual(d.summary, { added: 1, removed: 0, changed: 1, mayChange: 1, unchanged: 3, order: 1 });
});

test('default: the working tree against HEAD, and the checkout is left as it was', () => {
  const status = git('status', '--porcelain');
  const worktrees = git('worktree', 'list');
  const r = cli('web', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout) as RunDiff;
  assert.equal(d.from.label, 'HEAD');
  assert.equal(d.from.commit, second);
  assert.equal(d.to.label, 'working tree');
  assert.equal(d.to.commit, undefined);
  assert.deepEqual(d.removed.map((x) => x.id), ['package[nginx]']);
  assert.deepEqual(d.added, []);
  assert.equal(git('status', '--porcelain'), status);
  assert.equal(git('worktree', 'list'), worktrees);
  assert.deepEqual(fs.readdirSync(tmp), [], 'the revision\'s temporary folder is removed');
});

test('text output: one line per resource with the details indented', () => {
  const r = cli('web', '--from', first, '--to', second);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^cloche diff: ${first} \\(debian-12\\) → ${second} \\(debian-12\\)\n`));
  assert.match(r.stdout, /^\+ file\[\/etc\/\[x\]\(command:evil\)\]  web\/recipes\/default\.rb:23$/m);
  assert.match(r.stdout, /^~ template\[\/etc\/app\.conf\]  web\/recipes\/default\.rb:3\n {4}mode: "0644" → "0600"\n/m);
  assert.match(r.stdout, /^ {6}\+listen 8080$/m);
  assert.match(r.stdout, /^\? file\[\/etc\/ip\] .* may change$/m);
  assert.match(r.stdout, /^order: file\[\/etc\/banner\] notifies service\[nginx\] :restart: file\[\/etc\/banner\] first → service\[nginx\] first$/m);
  assert.match(r.stdout, /^1 added, 0 removed, 1 changed, 1 may change, 1 order change \(3 unchanged\)$/m);
});

test('markdown output: sections, diff blocks, and the cookbook\'s text only in code spans', () => {
  const r = cli('web', '--from', first, '--to', second, '--format', 'markdown');
  assert.equal(r.status, 0, r.stderr);
  const md = r.stdout;
  assert.match(md, /^### Cloche: what this change does to the run$/m);
  for (const h of ['Added', 'Changed', 'May change', 'Order changes']) assert.match(md, new RegExp(`^#### ${h}`, 'm'));
  assert.match(md, /^ {4}```diff\n {4}--- a\/etc\/app\.conf\n/m);
  assert.match(md, /`file\[\/etc\/\[x\]\(command:evil\)\]`/);
  const outsideCode = md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  assert.doesNotMatch(outsideCode, /\]\(command:/, 'the payload is never a link');
});

test('--detailed-exitcode: 1 when something changed or may change, 0 when nothing did', () => {
  assert.equal(cli('web', '--from', first, '--to', second, '--detailed-exitcode').status, 1);
  // Only an unknown, the same on both sides: it may still change, so 1.
  const same = cli('web', '--from', second, '--to', second, '--detailed-exitcode', '--format', 'json');
  assert.equal(same.status, 1, same.stderr);
  assert.deepEqual(JSON.parse(same.stdout).changed.map((c: { id: string; status: string }) => [c.id, c.status]), [['file[/etc/ip]', 'may-change']]);
  // A run with nothing unknown and no change.
  const base = cli('web', '--from', first, '--to', second, '--run-list', 'recipe[web::base]', '--detailed-exitcode');
  assert.equal(base.status, 0, base.stdout + base.stderr);
  assert.match(base.stdout, /^0 added, 0 removed, 0 changed, 0 may change, 0 order changes \(1 unchanged\)$/m);
});

test('two platforms of one revision: the resolved types differ', () => {
  const r = cli('web', '--from', second, '--to', second, '--from-platform', 'debian-12', '--to-platform', 'almalinux-9', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout) as RunDiff;
  assert.equal(d.from.platform, 'debian-12');
  assert.equal(d.to.platform, 'almalinux-9');
  const types = d.changed.flatMap((c) => c.fields.filter((f) => f.field === 'type').map((f) => [c.id, f.from, f.to]));
  assert.deepEqual(types, [['package[nginx]', 'apt_package', 'dnf_package']]);
  // Without a revision, both sides are the working tree (where the package is removed).
  const wt = JSON.parse(cli('web', '--from-platform', 'debian-12', '--to-platform', 'almalinux-9', '--format', 'json').stdout) as RunDiff;
  assert.equal(wt.from.label, 'working tree');
  assert.equal(wt.from.commit, undefined);
  assert.equal(wt.changed.some((c) => c.id === 'package[nginx]'), false);
});

test('two attribute files: a node attribute changes the rendered template', () => {
  write('../a.json', JSON.stringify({ web: { port: 81 } }));
  write('../b.json', JSON.stringify({ web: { port: 82 } }));
  const r = cli('web', '--from-attributes', '../a.json', '--to-attributes', '../b.json', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const d = JSON.parse(r.stdout) as RunDiff;
  assert.match(d.from.label, /attributes \.\.\/a\.json/);
  const template = d.changed.find((c) => c.id === 'template[/etc/app.conf]')!;
  assert.match(template.content!.patch, /^-listen 81\n\+listen 82$/m);
});

test('two kitchen suites: their run lists and attributes', () => {
  write('web/kitchen.yml', `platforms:\n  - name: debian-12\nsuites:\n  - name: small\n    run_list: ['recipe[web::default]']\n    attributes: { web: { port: 90 } }\n  - name: base\n    run_list: ['recipe[web::base]']\n`);
  try {
    const r = cli('web', '--from-suite', 'small', '--to-suite', 'base', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout) as RunDiff;
    assert.equal(d.from.label, 'working tree, suite small');
    assert.deepEqual(d.to.runList, ['web::base']);
    assert.deepEqual(d.added.map((a) => a.id), ['package[curl]']);
    assert.ok(d.removed.some((x) => x.id === 'template[/etc/app.conf]'));
    const unknownSuite = cli('web', '--from-suite', 'small', '--to-suite', 'nope');
    assert.equal(unknownSuite.status, 2);
    assert.match(unknownSuite.stderr, /nope/);
  } finally {
    fs.rmSync(path.join(repo, 'web/kitchen.yml'));
  }
});

test('interrupted (SIGTERM, the editor\'s cancel): the revision\'s folder is removed, exit 143', async () => {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'diff', 'web', '--from', first, '--to', second], { cwd: repo, env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Wait (bounded) until a revision is materialised, then interrupt.
  const deadline = Date.now() + 30_000;
  while (!fs.readdirSync(tmp).some((f) => f.startsWith('cloche-rev-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  assert.equal(await exited, 143);
  assert.deepEqual(fs.readdirSync(tmp), []);
});

test('errors: exit 2 with what to do', () => {
  const bad = cli('web', '--from', 'no-such-rev');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--from no-such-rev: not a commit/);
  const dash = cli('web', '--from', '--output=x');
  assert.equal(dash.status, 2);
  const format = cli('web', '--format', 'dot');
  assert.equal(format.status, 2);
  assert.match(format.stderr, /--format must be one of text, json, markdown/);
  assert.match(dash.stderr, /not a revision/);
  const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-diff-nogit-')));
  try {
    fs.cpSync(path.join(repo, 'web'), path.join(plain, 'web'), { recursive: true });
    const outside = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'diff', 'web'], { cwd: plain, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(plain) } });
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /not in a git repository .*--from-platform/);
  } finally {
    fs.rmSync(plain, { recursive: true, force: true });
  }
});

test('graph --revision: the run at a commit, with rendered content, locations naming the repository\'s files', () => {
  const graphAt = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'graph', 'web', '--with-content', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp }, timeout: 60_000 });
  const r = graphAt('--revision', first);
  assert.equal(r.status, 0, r.stderr);
  const g = JSON.parse(r.stdout) as Graph;
  const template = g.resources.find((x) => x.id === 'template[/etc/app.conf]')!;
  assert.equal(template.properties.mode, '0644', 'the first commit\'s recipe, not the working tree\'s');
  assert.equal(template.content?.text, 'listen 80\nuser app\n');
  assert.equal(template.location.file, path.join(repo, 'web/recipes/default.rb'));
  assert.equal(r.stdout.includes(tmp), false, 'no path of the temporary copy');
  assert.deepEqual(fs.readdirSync(tmp), [], 'the copy is removed');
  const now = JSON.parse(graphAt().stdout) as Graph;
  assert.equal(now.resources.some((x) => x.id === 'package[nginx]'), false, 'without --revision: the working tree');
  const dot = graphAt('--revision', 'HEAD', '--format', 'dot');
  assert.equal(dot.status, 0, dot.stderr);
  assert.match(dot.stdout, /package\[nginx\]/);
  const inline = JSON.parse(graphAt('--revision', first, '--attributes-json', '{"web": {"port": 9}}').stdout) as Graph;
  assert.equal(inline.resources.find((x) => x.id === 'template[/etc/app.conf]')!.content?.text, 'listen 9\nuser app\n', '--attributes-json: normal attributes over the cookbook\'s default');
  assert.match(graphAt('--attributes-json', '{').stderr, /--attributes-json: /);
  const bad = graphAt('--revision', 'no-such-rev');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--revision no-such-rev: not a commit/);
});
