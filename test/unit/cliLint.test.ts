// `cloche check --lint` as a user runs it: the cookbook author's RuboCop (Debian's package) over the
// checked cookbook with its own .rubocop.yml, its offences after Cloche's findings with the tool as
// source and the cop as code; no linter on PATH is bad input (exit 2) with what to install, and
// Cloche's findings are still printed. With CI set a missing rubocop fails the test that needs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { rubocopMissing } from '../rubocop';

const ROOT = path.resolve(__dirname, '../..');
let repo: string;
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'check', 'cookbooks/app', ...args], { cwd: repo, encoding: 'utf8', env });
type Found = { file: string; line: number; column: number; severity: string; code: string; source?: string };
const found = (r: ReturnType<typeof cli>) => (JSON.parse(r.stdout).diagnostics as Found[]).map((d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.severity} ${d.source ?? 'cloche'} ${d.code}`);

before(() => {
  repo = fs.mkdtempSync(path.join(tmpdir(), 'cloche-cli-lint-'));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true }); fs.writeFileSync(path.join(repo, rel), text); };
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('cookbooks/app/metadata.rb', "name 'app'\nversion '1.0.0'\n");
  write('cookbooks/app/.rubocop.yml', 'AllCops:\n  NewCops: disable\n  SuggestExtensions: false\nStyle/FrozenStringLiteralComment:\n  Enabled: false\n');
  write('cookbooks/app/recipes/default.rb', 'package "nginx"\nfile \'/etc/a\' do\n  contnt \'a\'\nend\n');
});
after(() => fs.rmSync(repo, { recursive: true, force: true }));

test('--lint adds RuboCop\'s offences, as the cookbook\'s .rubocop.yml says, after Cloche\'s findings', { skip: rubocopMissing('the check --lint test') }, () => {
  const r = cli(['--format', 'json', '--lint']);
  assert.equal(r.status, 1, r.stderr); // Cloche's unknown property is an error
  assert.deepEqual(found(r), ['default.rb:3:3 error cloche unknown-property', 'default.rb:1:9 info rubocop Style/StringLiterals']);
  const text = cli(['--lint']);
  assert.match(text.stdout, /recipes\/default\.rb:1:9: info Prefer single-quoted strings.* \[rubocop Style\/StringLiterals\]/);
  assert.deepEqual(found(cli(['--format', 'json'])), ['default.rb:3:3 error cloche unknown-property'], 'no lint without --lint');
});

test('--lint without cookstyle or rubocop on PATH: exit 2 saying what to install, Cloche\'s findings still printed', () => {
  const empty = fs.mkdtempSync(path.join(tmpdir(), 'cloche-no-linter-'));
  try {
    const r = cli(['--format', 'json', '--lint'], { ...process.env, PATH: empty });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cloche: --lint: neither cookstyle nor rubocop is on PATH \(apt install rubocop, or gem install cookstyle/);
    assert.deepEqual(found(r), ['default.rb:3:3 error cloche unknown-property']);
  } finally { fs.rmSync(empty, { recursive: true, force: true }); }
});
