// Code nested deeper than Cloche's parser or evaluator goes: a nesting-too-deep finding in its own
// file, never a false syntax error; the parser, the evaluator and the rest of the cookbook go on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRuby } from '../../server/src/ruby/prism';
import { Env } from '../../server/src/ruby/interpreter';
import { inspect, rubyEquals, arr, int, type RubyObject, type Value } from '../../server/src/ruby/values';
import { ChefWorld } from '../../server/src/chef/dsl/chefWorld';
import { RULES } from '../../server/src/chef/rules';
import { compileFailures } from '../../server/src/engine/compileFailures';
import type { Diagnostic } from '../../server/src/protocol';

const REPO = path.resolve(__dirname, '..', '..');

const nestedHashes = (n: number) => `node.default['a'] = ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`;
const nestedParens = (n: number) => `x = ${'('.repeat(n)}1${')'.repeat(n)}\n`;
const nestedIfs = (n: number) => `${'if true\n'.repeat(n)}x = 1\n${'end\n'.repeat(n)}`;
const unclosedDos = (n: number) => 'foo do\n'.repeat(n);
const nestedBegins = (n: number) => `${'begin\n'.repeat(n)}1\n${'end\n'.repeat(n)}`;
/** Prism reads a chain in a loop, but its tree is as deep as the chain is long. */
const longSum = (n: number) => `x = 1${' + 1'.repeat(n)}\n`;

const VALID = "file '/tmp/a' do\n  mode '0644'\nend\nnode.default['x'] = { a: [1, 2] }\n";

/** A valid file parses as it should: no errors, and the tree of its source. */
function assertParsesRight(after: string): void {
  const parsed = parseRuby(VALID);
  assert.equal(parsed.failure, undefined, `after ${after}`);
  assert.deepEqual(parsed.errors, [], `after ${after}`);
  const body = parsed.tree.statements.body as unknown as { constructor: { name: string }; name?: string }[];
  assert.deepEqual(body.map((n) => `${n.constructor.name} ${n.name}`), ['CallNode file', 'CallNode []='], `after ${after}`);
}

test('nesting past the parser\'s stack is a nesting failure with no syntax error, and the next parse is right', () => {
  const shapes: [string, string][] = [
    ['130 nested hashes', nestedHashes(130)],
    // Prism's stack used to overflow into its own data here without trapping: a false
    // "unexpected end-of-input" from 196 parentheses, and wrong parses of the files after.
    ...[150, 196, 220, 244].map((n): [string, string] => [`${n} nested parentheses`, nestedParens(n)]),
    ['276 nested ifs', nestedIfs(276)],
    ['200 unclosed do blocks', unclosedDos(200)],
  ];
  for (const [label, source] of shapes) {
    const parsed = parseRuby(source);
    assert.equal(parsed.failure?.kind, 'nesting', label);
    assert.deepEqual(parsed.errors, [], `${label}: a file the parser could not take has no syntax errors to report`);
    assert.deepEqual(parsed.tree.statements.body, [], label);
    assertParsesRight(label);
  }
  // Just inside the bound, the same shapes parse (and so does the valid file after them).
  for (const source of [nestedHashes(60), nestedParens(60), nestedIfs(60), nestedBegins(60)]) {
    const parsed = parseRuby(source);
    assert.equal(parsed.failure, undefined);
    assert.deepEqual(parsed.errors, []);
  }
  assertParsesRight('moderate nesting');
});

test('a chain too long to read back as a tree is a nesting failure, and the parser goes on', () => {
  const parsed = parseRuby(`a${'.b'.repeat(20_000)}\n`);
  assert.equal(parsed.failure?.kind, 'nesting');
  assert.deepEqual(parsed.errors, []);
  assertParsesRight('a 20000-call chain');
});

const main: RubyObject = { className: 'main', describe: () => 'main', call: () => undefined };
function evaluate(source: string) {
  const interp = ChefWorld.standalone().interpreter();
  const { value } = interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(source) }));
  return { value, findings: interp.findings };
}

test('the evaluator bounds its nesting: a 3000-term sum is unknown with a nesting-too-deep note, and the rest of the file runs', () => {
  const { value, findings } = evaluate(`${longSum(3000)}y = [x, 2]\ny\n`);
  assert.equal(value.k, 'array');
  const [x, two] = value.k === 'array' ? value.items : [];
  assert.equal(x.k, 'unknown');
  assert.match(x.k === 'unknown' ? x.reason : '', /not evaluated: more than 1000 nested syntax nodes/);
  assert.equal(inspect(two), '2');
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.loc.line]), [['nesting-too-deep', 'info', 1]]);
  // Recursion as deep as the call-depth budget allows is well inside the bound.
  assert.equal(inspect(evaluate('def f(n) = n == 0 ? 0 : f(n - 1) + 1\nf(60)\n').value), '60');
});

test('values nested thousands deep compare without exhausting the stack: past the bound equality is unknown', () => {
  const deep = (n: number): Value => { let v: Value = arr([]); for (let i = 0; i < n; i++) v = arr([v]); return v; };
  const a = deep(3000);
  assert.equal(rubyEquals(a, deep(3000)), undefined);
  assert.equal(rubyEquals(a, a), true);
  assert.equal(rubyEquals(deep(50), deep(50)), true);
  assert.equal(rubyEquals(arr([deep(50), int(1)]), arr([deep(50), int(2)])), false);
});

test('cloche check of a cookbook with hostile files: each is nesting-too-deep, the other files keep their findings, the check exits normally', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-nesting-'));
  const dir = path.join(tmp, 'deep'); // the CLI also reads the cookbook's siblings
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
  write('metadata.rb', "name 'deep'\nversion '1.0.0'\n");
  write('attributes/default.rb', "default['deep']['port'] = 80\n");
  write('recipes/hash.rb', nestedHashes(130));
  write('recipes/parens.rb', nestedParens(220));
  write('recipes/ifs.rb', nestedIfs(276));
  write('recipes/do.rb', unclosedDos(200));
  write('recipes/begin.rb', nestedBegins(10_000));
  write('recipes/sum.rb', `${longSum(3000)}file '/tmp/after-the-sum' do\n  nosuchprop 1\nend\n`);
  // Two declarations of one resource whose property values nest 3000 deep: the duplicate-resource rule compares them.
  write('recipes/deep_values.rb', "x = []\n3000.times { x = [x] }\ny = []\n3000.times { y = [y] }\nfile '/tmp/dup' do\n  mode x\nend\nfile '/tmp/dup' do\n  mode y\nend\n");
  write('recipes/default.rb', "file '/tmp/a' do\n  content node['deep']['port'].to_s\n  nosuchprop 1\nend\n");
  try {
    // A hang guard: 10,000 nested `begin`s used to keep prism looping in calloc for minutes.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', 'check', dir, '--format', 'json'], { cwd: REPO, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    assert.equal(r.signal, null, 'check finished');
    assert.equal(r.status, 1, `exit 1 for the errors of default.rb and sum.rb, not 2; stderr: ${r.stderr.slice(-600)}`);
    const diags = (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
    const of = (file: string) => diags.filter((d) => d.file === path.join(dir, 'recipes', file)).map((d) => `${d.line}:${d.code}:${d.severity}`);
    for (const file of ['hash.rb', 'parens.rb', 'ifs.rb', 'do.rb', 'begin.rb']) assert.deepEqual(of(file), ['1:nesting-too-deep:warning'], file);
    assert.deepEqual(of('sum.rb'), ['1:nesting-too-deep:info', '3:unknown-property:error']);
    assert.deepEqual(of('default.rb'), ['3:unknown-property:error']);
    assert.ok(of('deep_values.rb').includes('8:duplicate-resource:info'), of('deep_values.rb').join());
    assert.ok(!diags.some((d) => d.code === 'syntax-error'));
    assert.ok(RULES.some((rule) => rule.code === 'nesting-too-deep'), 'the code is a registered rule');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('a recipe of the run nested too deeply stops a plan, as a syntax error would; one outside the run does not', () => {
  const finding = (file: string): Diagnostic => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning', code: 'nesting-too-deep', message: 'This file is not analysed' });
  const inRun = '/cb/deep/recipes/default.rb', notInRun = '/cb/deep/recipes/other.rb', library = '/cb/deep/libraries/helpers.rb';
  const failures = compileFailures({ recipes: [{ id: 'deep::default', file: inRun, includes: [] }], diagnostics: [finding(inRun), finding(notInRun), finding(library)] });
  assert.deepEqual(failures.map((d) => d.file), [inRun, library]);
});
