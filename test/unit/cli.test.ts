// The bundled CLI as a user runs it: exit codes, JSON contracts, clear usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ROOT = path.resolve(__dirname, '../..');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('check: exit 1 with errors, JSON diagnostics with the contract fields', () => {
  const r = cli('check', 'test/fixtures/cookbooks/fx_errors', '--format', 'json');
  assert.equal(r.status, 1, r.stderr);
  const { diagnostics } = JSON.parse(r.stdout);
  assert.ok(diagnostics.length > 10);
  for (const d of diagnostics) for (const k of ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']) assert.ok(k in d, k);
});

test('check: exit 0 on a clean cookbook', () => {
  const r = cli('check', 'examples/webserver');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /0 error\(s\)/);
});

test('graph: resources in converge order with typed notification edges', () => {
  const r = cli('graph', 'examples/webserver', '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'nothing on stderr (no runtime notices)');
  const g = JSON.parse(r.stdout);
  const ids = g.resources.map((x: { id: string }) => x.id);
  assert.ok(ids.indexOf('apt_update[webserver]') < ids.indexOf('service[nginx]'));
  const edge = g.edges.find((e: { kind: string; to: string }) => e.kind === 'notifies' && e.to === 'service[nginx]');
  assert.equal(edge.timing, 'delayed');
  assert.equal(edge.action, 'reload');
  assert.ok(g.edges.some((e: { kind: string }) => e.kind === 'contains'));
  assert.ok(g.edges.some((e: { kind: string }) => e.kind === 'include'));
  assert.equal(g.resources.find((x: { id: string }) => x.id === 'package[nginx, curl]').resolvedType, 'apt_package');
});

test('graph: per platform, and in dot, mermaid and text', () => {
  const alma = JSON.parse(cli('graph', 'examples/webserver', '--platform', 'almalinux-9', '--format', 'json').stdout);
  assert.equal(alma.resources.find((x: { type: string }) => x.type === 'package').resolvedType, 'dnf_package');
  assert.match(cli('graph', 'examples/webserver', '--format', 'dot').stdout, /^digraph cloche/);
  assert.match(cli('graph', 'examples/webserver', '--format', 'mermaid').stdout, /^flowchart TD/);
  assert.match(cli('graph', 'examples/webserver', '--run-list', 'recipe[webserver::packages]', '--format', 'text').stdout, /apt_update/);
});

test('usage and environment errors: exit 2 with a message that says what to do', () => {
  const missing = cli('check', 'no/such/path');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or directory/);
  const badPlatform = cli('graph', 'examples/webserver', '--platform', 'plan9');
  assert.equal(badPlatform.status, 2);
  assert.match(badPlatform.stderr, /known: .*debian-12/);
  const badFlag = cli('check', 'examples/webserver', '--frobnicate');
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /unknown option --frobnicate/);
  assert.equal(cli('nonsense').status, 2);
});

test('a reader that stops early (| head) ends the CLI quietly, exit 0', () => {
  // Output larger than a pipe buffer, so the CLI is still writing when the reader goes away.
  const cb = path.join(mkdtempSync(path.join(tmpdir(), 'cloche-pipe-')), 'big');
  mkdirSync(path.join(cb, 'recipes'), { recursive: true });
  writeFileSync(path.join(cb, 'metadata.rb'), "name 'big'\nversion '1.0.0'\n");
  writeFileSync(path.join(cb, 'recipes', 'default.rb'), Array.from({ length: 600 }, (_, i) => `file '/tmp/f${i}' do\n  content 'x'\nend\n`).join(''));
  const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(path.join(ROOT, 'dist/cli.js'))} graph ${JSON.stringify(cb)} --format json | head -c 1`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.stdout.length, 1);
  assert.equal(r.stderr, '', 'no stack trace');
  assert.equal(r.status, 0);
});
