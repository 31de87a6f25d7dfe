// `cloche check` as a user runs it with the repository's .cloche.json and --severity: levels, off,
// ignore globs and disable comments change what is printed and the exit code; bad input is exit 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';

const ROOT = path.resolve(__dirname, '../..');
let repo: string;
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', 'cookbooks/app', '--format', 'json', ...args], { cwd: repo, encoding: 'utf8' });
const found = (r: ReturnType<typeof cli>) => (JSON.parse(r.stdout).diagnostics as { file: string; line: number; severity: string; code: string }[]).map((d) => `${path.basename(d.file)}:${d.line} ${d.severity} ${d.code}`);
const config = (o: unknown) => fs.writeFileSync(path.join(repo, '.cloche.json'), typeof o === 'string' ? o : JSON.stringify(o));

before(() => {
  repo = fs.mkdtempSync(path.join(tmpdir(), 'cloche-cli-severity-'));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true }); fs.writeFileSync(path.join(repo, rel), text); };
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('cookbooks/app/metadata.rb', "name 'app'\nversion '1.0.0'\n");
  write('cookbooks/app/recipes/default.rb', "file '/etc/a' do\n  contnt 'a'\nend\nexecute 'never' do\n  command 'true'\n  action :nothing\nend\n");
  write('cookbooks/app/recipes/legacy.rb', "pakage 'x'\n");
});
after(() => fs.rmSync(repo, { recursive: true, force: true }));

test('.cloche.json at the repository root: levels, off and ignore; exit 0 when no error is left', () => {
  // Without it: the findings as the rules report them, exit 1.
  const plain = cli();
  assert.equal(plain.status, 1, plain.stderr);
  assert.deepEqual(found(plain), ['default.rb:2 error unknown-property', 'default.rb:6 hint never-notified', 'legacy.rb:1 error unknown-resource']);
  config({ severity: { 'unknown-property': 'warning', 'never-notified': 'off' }, ignore: ['cookbooks/*/recipes/legacy.rb'] });
  const r = cli();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(found(r), ['default.rb:2 warning unknown-property']);
  assert.equal(r.stderr.replace(/^cloche: .*profile.*\n/gm, ''), '');
});

test('--severity CODE=LEVEL is applied over .cloche.json; text output counts the new levels', () => {
  config({ severity: { 'unknown-property': 'warning' } });
  const r = cli('--severity', 'unknown-property=error', '--severity=unknown-resource=off');
  assert.equal(r.status, 1);
  assert.deepEqual(found(r), ['default.rb:2 error unknown-property', 'default.rb:6 hint never-notified']);
  const text = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', 'cookbooks/app', '--severity', 'unknown-property=info', '--severity', 'unknown-resource=hint'], { cwd: repo, encoding: 'utf8' });
  assert.equal(text.status, 0, text.stdout);
  assert.match(text.stdout, /0 error\(s\), 0 warning\(s\), 3 note\(s\)/);
});

test('a disable comment in the recipe switches its line off', () => {
  fs.rmSync(path.join(repo, '.cloche.json'), { force: true });
  const legacy = path.join(repo, 'cookbooks/app/recipes/legacy.rb');
  fs.writeFileSync(legacy, "# cloche:disable-next-line unknown-resource -- a library defines it at run time\npakage 'x'\n");
  try {
    assert.deepEqual(found(cli()), ['default.rb:2 error unknown-property', 'default.rb:6 hint never-notified']);
  } finally { fs.writeFileSync(legacy, "pakage 'x'\n"); }
});

test('bad input is exit 2 with file:line on stderr: a .cloche.json Cloche cannot read, a malformed --severity', () => {
  config('{ "severity": { "never-notified": "silent" } }');
  const r = cli();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cloche: \.cloche\.json:1: error: The level of 'never-notified' must be one of error, warning, info, hint, off\./);
  assert.deepEqual(found(r), ['default.rb:2 error unknown-property', 'default.rb:6 hint never-notified', 'legacy.rb:1 error unknown-resource'], 'what could be checked is still reported');
  fs.rmSync(path.join(repo, '.cloche.json'));
  const bad = cli('--severity', 'unknown-property');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--severity takes CODE=LEVEL with LEVEL one of error, warning, info, hint, off \(got 'unknown-property'\)/);
  const unknown = cli('--severity', 'no-such-rule=off');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /Cloche has no rule 'no-such-rule'/);
});
