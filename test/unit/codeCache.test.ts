/**
 * The launchers (`dist/cli.js`, `dist/server.js`) run their bundles through a V8 code cache:
 * written at the first exit, accepted afterwards, rewritten when V8 refuses it, and never a reason
 * for a run to fail. Through the built CLI, with `CLOCHE_CODE_CACHE=report` saying what happened.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const EXAMPLE = path.join(ROOT, 'examples/webserver');

function run(cacheHome: string, mode = 'report'): { status: number | null; stdout: string; outcome: string | undefined } {
  const r = spawnSync(process.execPath, [CLI, 'graph', EXAMPLE, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome, CLOCHE_CODE_CACHE: mode } });
  return { status: r.status, stdout: r.stdout, outcome: /cloche code cache: (\w+)/.exec(r.stderr)?.[1] };
}

const cacheFiles = (home: string) => {
  const dir = path.join(home, 'cloche', 'code');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => path.join(dir, f)) : [];
};

test('the first run writes the cache, the next accepts it, and both print the same graph', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-code-cache-'));
  const first = run(home);
  assert.equal(first.status, 0);
  assert.equal(first.outcome, 'missing');
  const files = cacheFiles(home);
  assert.equal(files.length, 1);
  assert.match(path.basename(files[0]), /^cloche-cli-[0-9a-f]{32}\.bin$/);
  assert.ok(fs.statSync(files[0]).size > 100_000, 'the cache holds the compiled bundle');
  const second = run(home);
  assert.equal(second.status, 0);
  assert.equal(second.outcome, 'accepted');
  assert.equal(second.stdout, first.stdout);
});

test('a cache V8 refuses is replaced, and the run does not notice', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-code-cache-'));
  const plain = run(home, 'off');
  assert.equal(plain.status, 0);
  assert.deepEqual(cacheFiles(home), [], 'CLOCHE_CODE_CACHE=off writes nothing');
  run(home);
  const [file] = cacheFiles(home);
  fs.writeFileSync(file, Buffer.alloc(4096, 7));
  const refused = run(home);
  assert.equal(refused.status, 0);
  assert.equal(refused.outcome, 'rejected');
  assert.equal(refused.stdout, plain.stdout);
  assert.equal(run(home).outcome, 'accepted', 'the refused cache was written again');
});

test('a cache folder that cannot be written only costs the compile', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-code-cache-'));
  const blocker = path.join(home, 'not-a-folder');
  fs.writeFileSync(blocker, '');
  for (let i = 0; i < 2; i++) {
    const r = run(blocker);
    assert.equal(r.status, 0);
    assert.equal(r.outcome, 'missing');
    assert.ok(JSON.parse(r.stdout).resources.length > 0);
  }
});

test('writing a cache removes the same bundle\'s caches older than a week, and keeps newer ones and other files', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-code-cache-'));
  const dir = path.join(home, 'cloche', 'code');
  fs.mkdirSync(dir, { recursive: true });
  const old = path.join(dir, `cloche-cli-${'a'.repeat(32)}.bin`);
  const recent = path.join(dir, `cloche-cli-${'b'.repeat(32)}.bin`);
  const otherBundle = path.join(dir, `cloche-server-${'c'.repeat(32)}.bin`);
  for (const f of [old, recent, otherBundle]) fs.writeFileSync(f, 'x');
  const longAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  fs.utimesSync(old, longAgo, longAgo);
  fs.utimesSync(otherBundle, longAgo, longAgo);
  assert.equal(run(home).outcome, 'missing');
  const left = cacheFiles(home).map((f) => path.basename(f));
  assert.ok(!left.includes(path.basename(old)), 'a week-old cache of the CLI is removed');
  assert.ok(left.includes(path.basename(recent)));
  assert.ok(left.includes(path.basename(otherBundle)), 'another bundle\'s caches are its own');
  assert.equal(left.length, 3);
});
