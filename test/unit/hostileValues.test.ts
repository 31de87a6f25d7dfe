/**
 * Value sizes are bounded in memory and time: many medium values stop at the evaluation's
 * allocation budget (server/src/ruby/allocations.ts) with the evaluation-budget finding; showing,
 * comparing or copying a value held in many places costs what it holds, not what it would print;
 * an ERB template's output stops at the string bound; values that hold themselves answer as Ruby
 * does. Every case runs in a child process with a 512 MB heap (test/unit/evalChild.ts), so a
 * regression fails here instead of exhausting the test runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalInChild, type EvalOutcome } from './evalChild';

/** Heap in use right after a bomb, garbage included: generous, far below what an unbounded one reaches. */
const HEAP_AFTER_MB = 400;

const BUDGET_BOMBS = [
  "x = []\n3000.times { x << ('a' * 1_000_000).upcase }\nx.size",
  "a = [1] * 100_000\nx = []\n3000.times { x << a * 1 }\nx.size",
  "a = (1..100_000).to_a\nx = []\n3000.times { x << a.zip(a) }\nx.size",
  "h = (1..50_000).map { |i| [i, i] }.to_h\nx = []\n3000.times { x << h.merge({}) }\nx.size",
  "a = ['x' * 100] * 9000\nx = []\n3000.times { x << a.inspect }\nx.size",
  "x = []\n3000.times { x << format('%0999999d', 1) }\nx.size",
  "a = (1..100_000).to_a\nx = []\n3000.times { x.push(*a) }\nx.size",
];

function outcomes(programs: Parameters<typeof evalInChild>[0]): EvalOutcome[] {
  const { outcomes: out, failure } = evalInChild(programs, { heapMb: 512, timeoutMs: 120_000 });
  assert.equal(failure, undefined);
  return out;
}

test('many medium values stop at the allocation budget, with the evaluation-budget finding, in bounded memory', () => {
  const out = outcomes(BUDGET_BOMBS);
  BUDGET_BOMBS.forEach((src, i) => {
    assert.match(out[i].findings.join('\n'), /Evaluation stopped: the values it built passed \d+ MB/, src);
    assert.ok(out[i].heapMb < HEAP_AFTER_MB, `${src}: ${out[i].heapMb} MB of heap after it`);
  });
});

const SHARED = "a = ['x' * 10] * 100_000\nb = [a] * 100_000\n";

test('showing, comparing and copying a value held in many places costs what it holds, not what it would print', () => {
  const cases: [string, RegExp][] = [
    [`${SHARED}b.to_s`, /^«unknown: the resulting string is too large/],
    [`${SHARED}b.inspect`, /^«unknown: the resulting string is too large/],
    [`${SHARED}"#{b}"`, /^«unknown: the interpolated string is too large/],
    [`${SHARED}b.to_json`, /^«unknown: the resulting string is too large/],
    [`${SHARED}JSON.generate(b)`, /^«unknown: the resulting string is too large/],
    [`${SHARED}a2 = ['x' * 10] * 100_000\nb == [a2] * 100_000`, /^«unknown: the values are too large or nest too deeply to compare/],
    [`${SHARED}b == b`, /^true$/],
    [`${SHARED}b.uniq.size`, /^1$/],
    [`${SHARED}(b - [a]).size`, /^0$/],
  ];
  const probes = [
    { recipe: `${SHARED}node.default['big'] = b\nfile '/tmp/a' do\n  content node['big'].size.to_s\nend\n` },
    { recipe: `${SHARED}template '/tmp/t' do\n  source 't.erb'\n  variables(b: b)\nend\n`, template: '<%= @b.size %>' },
  ];
  const out = outcomes([...cases.map(([src]) => src), ...probes]);
  cases.forEach(([src, expected], i) => {
    assert.match(out[i].value, expected, src);
    assert.ok(out[i].heapMb < HEAP_AFTER_MB, `${src}: ${out[i].heapMb} MB of heap after it`);
  });
  const [attr, tpl] = out.slice(cases.length).map((o) => JSON.parse(o.value));
  assert.deepEqual(attr.contents, [{ length: 6 }], 'node[...] hands out a copy of the shared value: its size is known');
  assert.match(JSON.stringify(tpl.properties), /too large to show/, 'the graph shows the variable as too large');
  assert.deepEqual(tpl.contents, [{ length: 6 }], 'the template still renders');
});

test("an ERB template's output stops at the string bound: the rest is a hole that says so", () => {
  const [probe] = outcomes([{ recipe: "template '/tmp/t' do\n  source 't.erb'\nend\n", template: "<% 100_000.times do %><%= 'x' * 100_000 %><% end %>\n" }]);
  const g = JSON.parse(probe.value);
  assert.match(g.contents[0].unknown, /rendered text is longer than 1000000 characters/);
  assert.ok(probe.heapMb < HEAP_AFTER_MB, `${probe.heapMb} MB of heap after it`);
});

test('values that hold themselves or share their parts answer as Ruby does, in bounded time and memory', () => {
  const [flatten, nested, dagAttr, dagMerge, deepMerge] = outcomes([
    'a = [1]\na << a\na.flatten',
    'a = [1, [2]]\nb = [a, [a, a]]\nb.flatten.size',
    { recipe: "x = {}\n16.times { x = { a: x, b: x, c: x } }\nnode.default['d'] = x\nfile '/tmp/d' do\n  content node['d'].size.to_s\nend\n" },
    { recipe: "x = {}\n30.times { x = { a: x, b: x } }\nnode.default['d'] = x\nnode.override['d'] = x\nfile '/tmp/d' do\n  content node['d'].size.to_s\nend\n" },
    { recipe: "h = {}\n100_000.times { h = { a: h } }\nnode.default['x'] = h\nnode.override['x'] = h\nfile '/tmp/d' do\n  content node['x'].size.to_s\nend\n" },
  ]);
  assert.equal(flatten.value, 'raise ArgumentError: tried to flatten recursive array');
  assert.equal(nested.value, '6');
  assert.deepEqual(JSON.parse(dagAttr.value).contents, [{ length: 1 }], 'a hash of 3^16 paths is stored and read as the 16 hashes it is');
  assert.deepEqual(JSON.parse(dagMerge.value).contents, [{ length: 1 }], 'two levels holding a hash of 2^30 paths merge in 30 steps');
  assert.deepEqual(JSON.parse(deepMerge.value).contents, [{ length: 1 }], 'levels nested 100,000 deep merge without exhausting the stack');
});
