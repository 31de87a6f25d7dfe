// The run-input flags of the bundled CLI: what they change in graph and check, and clear errors with exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const REPO = 'test/fixtures/runs/chef_repo';
const WEB = `${REPO}/cookbooks/rk_web`;
const APP = 'test/fixtures/runs/policy_app';
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const ids = (stdout: string): string[] => JSON.parse(stdout).resources.map((r: { id: string }) => r.id);

test('graph --attributes node.json: its run list with roles expanded, its environment, its attributes', () => {
  const r = cli('graph', WEB, '--attributes', `${REPO}/node.json`);
  assert.equal(r.status, 0, r.stderr);
  const g = JSON.parse(r.stdout);
  assert.deepEqual(g.runList, ['rk_base::default', 'rk_web::default', 'rk_web::tls']);
  const list = ids(r.stdout);
  for (const id of ['package[rk-base-tools]', 'file[/etc/rk_web/port-8080]', 'file[/etc/rk_web/workers-4]', 'directory[/srv/a]', 'directory[/srv/b]', 'file[/etc/rk_web/env-production]', 'file[/etc/rk_web/tls]']) {
    assert.ok(list.includes(id), `${id} in ${list.join(', ')}`);
  }
  const banner = g.resources.find((x: { id: string }) => x.id === 'file[/etc/rk_web/banner]');
  assert.equal(banner.properties.content, 'env');
});

test('graph --run-list with a role, --environment, repeatable --attribute', () => {
  const r = cli('graph', WEB, '--run-list', 'role[web]', '--environment', 'staging', '--attribute', 'rk_web.port=7000', '--attribute', 'rk_web.sites=["z"]');
  assert.equal(r.status, 0, r.stderr);
  const list = ids(r.stdout);
  assert.ok(list.includes('file[/etc/rk_web/port-7000]') && list.includes('file[/etc/rk_web/workers-3]') && list.includes('directory[/srv/z]'), list.join(', '));
  assert.ok(!list.includes('file[/etc/rk_web/tls]'), 'staging has no env run list');
});

test('graph --policyfile --named-run-list, and --suite of a kitchen file that relies on its Policyfile', () => {
  const named = cli('graph', APP, '--policyfile', `${APP}/Policyfile.rb`, '--named-run-list', 'only_tls');
  assert.equal(named.status, 0, named.stderr);
  assert.deepEqual(ids(named.stdout), ['file[/etc/policy_app/tls]']);
  const suite = cli('graph', APP, '--suite', 'tls');
  assert.equal(suite.status, 0, suite.stderr);
  const list = ids(suite.stdout);
  assert.ok(list.includes('file[/etc/policy_app/port-8443]') && list.includes('file[/etc/policy_app/workers-3]') && list.includes('file[/etc/policy_app/tls]'), list.join(', '));
  const k = cli('kitchen', APP);
  assert.match(k.stdout, /tls {2}named run list tls of Policyfile\.rb/);
});

test('bad inputs: file:line on stderr and exit 2; graph and check still report what they could', () => {
  const broken = cli('graph', WEB, '--attributes', `${REPO}/broken.json`, '--format', 'json');
  assert.equal(broken.status, 2);
  assert.match(broken.stderr, /broken\.json:3:\d+: not valid JSON/);
  assert.ok(ids(broken.stdout).includes('file[/etc/rk_web/port-80]'), 'the graph of the recipe without the broken input');
  const role = cli('check', WEB, '--run-list', 'role[missing]', '--format', 'json');
  assert.equal(role.status, 2, role.stderr);
  assert.match(role.stderr, /roles\/missing\.json:1: role\[nowhere\] \(in role\[missing\]\) does not exist; roles: base, missing, web/);
  assert.ok(Array.isArray(JSON.parse(role.stdout).diagnostics));
  const env = cli('graph', WEB, '--environment', 'qa');
  assert.equal(env.status, 2);
  assert.match(env.stderr, /environment 'qa' does not exist/);
  const named = cli('graph', APP, '--policyfile', `${APP}/Policyfile.rb`, '--named-run-list', 'nope');
  assert.equal(named.status, 2);
  assert.match(named.stderr, /no named run list 'nope' \(it has: tls, only_default, only_tls\)/);
  assert.match(cli('graph', WEB, '--attribute', 'oops').stderr, /--attribute oops: expected PATH=VALUE/);
  assert.match(cli('graph', WEB, '--named-run-list', 'x').stderr, /--named-run-list needs --policyfile/);
  assert.match(cli('graph', WEB, '--attributes', 'no/such.json').stderr, /no\/such\.json: no such file/);
});

test('plan refuses broken inputs before it creates a container', () => {
  const r = cli('plan', WEB, '--run-list', 'role[missing]', '--platform', 'debian-12', '--runtime', 'docker');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /role\[nowhere\] \(in role\[missing\]\) does not exist/);
});
