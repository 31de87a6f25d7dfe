import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuby } from '../../server/src/ruby/prism';
import { Interpreter, Env, DEFAULT_BUDGETS } from '../../server/src/ruby/interpreter';
import { inspect, type RubyObject, type Value } from '../../server/src/ruby/values';
import { ChefWorld } from '../../server/src/chef/dsl/chefWorld';

const main: RubyObject = { className: 'main', describe: () => 'main', call: () => undefined };

function run(src: string, budgets = DEFAULT_BUDGETS): { value: Value; interp: Interpreter } {
  const interp = ChefWorld.standalone().interpreter(undefined, budgets);
  const { value } = interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(src) }));
  return { value, interp };
}
const evalStr = (src: string) => inspect(run(src).value);

test('literals: strings with interpolation, heredocs, symbols, %w %i, hashes, ranges, regexps', () => {
  assert.equal(evalStr('a = "x"; "#{a}-#{1 + 2}"'), '"x-3"');
  assert.equal(evalStr('<<~EOS\n  one\n  two\nEOS'), '"one\\ntwo\\n"');
  assert.equal(evalStr('%w(a b) + %i(c)'), '["a", "b", :c]');
  assert.equal(evalStr("{ 'k' => 1, s: :v }"), '{"k" => 1, s: :v}');
  assert.equal(evalStr('(1..3).to_a'), '[1, 2, 3]');
  assert.equal(evalStr("'abc' =~ /b/"), '1');
  assert.equal(evalStr("/c/ =~ 'abc'"), '2');
  assert.equal(evalStr("'abc' =~ /z/"), 'nil');
});

test('control flow: if/unless/elsif/case/ternary/&&/||/! and modifiers', () => {
  assert.equal(evalStr('x = 5; if x > 3 then :big elsif x > 1 then :mid else :small end'), ':big');
  assert.equal(evalStr('x = 1; y = :a unless x == 1; y'), 'nil');
  assert.equal(evalStr("case 'rhel' when 'debian', 'ubuntu' then 1 when /rh/ then 2 else 3 end"), '2');
  assert.equal(evalStr('case 12 when 1..10 then :low when Integer then :int end'), ':int');
  assert.equal(evalStr('nil || false || "z"'), '"z"');
  assert.equal(evalStr('!true ? 1 : 2'), '2');
});

test('blocks and iteration: each/each_with_index/map/select/reject/each_pair', () => {
  assert.equal(evalStr('out = []; %w(a b).each_with_index { |x, i| out << "#{i}#{x}" }; out'), '["0a", "1b"]');
  assert.equal(evalStr('[1, 2, 3, 4].select { |x| x.even? }'), '[2, 4]');
  assert.equal(evalStr('[1, 2, 3, 4].reject(&:even?).map(&:to_s)'), '["1", "3"]');
  assert.equal(evalStr('{ a: 1, b: 2 }.map { |k, v| "#{k}=#{v}" }.join(",")'), '"a=1,b=2"');
  assert.equal(evalStr('t = 0; { a: 1, b: 2 }.each_pair { |_k, v| t += v }; t'), '3');
  assert.equal(evalStr('[3, 1, 2].sort.reverse.first'), '3');
});

test('string, array and hash methods recipes use', () => {
  assert.equal(evalStr("'Hello World'.downcase.split(' ').map { |w| w.capitalize }"), '["Hello", "World"]');
  assert.equal(evalStr("'a-b-c'.gsub('-', '_').upcase"), '"A_B_C"');
  assert.equal(evalStr("{ 'x' => { 'y' => 1 } }.dig('x', 'y')"), '1');
  assert.equal(evalStr("[1, [2, [3]]].flatten.uniq.size"), '3');
  assert.equal(evalStr("::File.join('/etc', 'nginx', 'x.conf')"), '"/etc/nginx/x.conf"');
  assert.equal(evalStr("File.basename('/a/b.conf', '.conf')"), '"b"');
});

test('what cannot be known is unknown, with the reason', () => {
  const v = run("::File.exist?('/etc/x')").value;
  assert.equal(v.k, 'unknown');
  assert.match((v as { reason: string }).reason, /depends on the machine/);
  const w = run('helper_nobody_defined(1) + 2').value;
  assert.equal(w.k, 'unknown');
  assert.match((w as { reason: string }).reason, /helper_nobody_defined/);
  assert.equal(run('`hostname`').value.k, 'unknown');
});

test('an unknown condition evaluates both branches and makes differing locals unknown', () => {
  const { value } = run("x = 1\nif ::File.exist?('/x') then x = 2 end\nx");
  assert.equal(value.k, 'unknown');
  assert.match((value as { reason: string }).reason, /set differently/);
  assert.equal(evalStr("y = 1\nif ::File.exist?('/x') then y = 1 end\ny"), '1');
});

test('budgets stop runaway loops and recursion without hanging', () => {
  const start = Date.now();
  const { value, interp } = run('i = 0; while true; i += 1; end; i', { ...DEFAULT_BUDGETS, loopIterations: 1000 });
  assert.equal(value.k, 'unknown');
  assert.ok(interp.findings.some((f) => f.code === 'evaluation-budget'));
  const rec = run('def f(n) = f(n + 1)\nf(0)').value;
  assert.equal(rec.k, 'unknown');
  assert.ok(Date.now() - start < 5000);
  const steps = run('(1..1000).each { |a| (1..1000).each { |b| a + b } }', { ...DEFAULT_BUDGETS, steps: 10_000, loopIterations: 100_000 });
  assert.equal(steps.value.k, 'unknown');
});

test('begin/rescue: a certain raise is rescued; for loops share the enclosing scope', () => {
  assert.equal(evalStr("begin\n  raise 'boom'\nrescue => e\n  :rescued\nend"), ':rescued');
  assert.equal(evalStr('t = 0; for i in [1, 2, 3] do t += i end; [t, i]'), '[6, 3]');
});

test('user-defined methods with default and keyword arguments', () => {
  assert.equal(evalStr('def greet(name, greeting = "hi", punct: "!") = "#{greeting} #{name}#{punct}"\ngreet("bob", punct: "?")'), '"hi bob?"');
});

test('never throws on broken input', () => {
  for (const src of ['def (', 'if x then', '%w(', '"#{', 'case', 'x = [1, 2', '}}}{{{', 'a.b.c.d.e(']) {
    const { value } = run(src);
    assert.ok(value, `evaluated ${JSON.stringify(src)}`);
  }
});

test('a return under a condition the evaluator cannot decide makes the result unknown, not the other branch', () => {
  const v = run("def pick\n  return :early if ::File.exist?('/etc/x')\n  :late\nend\npick").value;
  assert.equal(v.k, 'unknown');
  assert.match((v as { reason: string }).reason, /pick.*depends on/);
  // Decided conditions keep the value.
  assert.equal(evalStr('def pick2\n  return :early if 1 > 2\n  :late\nend\npick2'), ':late');
});

test('a raise in an undecided branch is no certain stop: what follows is analysed, as conditional', () => {
  const { value, interp } = run("raise 'no config' unless ::File.exist?('/etc/x')\n:after");
  assert.equal(inspect(value), ':after');
  assert.equal(interp.conditions.length, 0, 'the condition ends with the body');
  const r = run("ok = ::File.exist?('/etc/y')\nok || raise('missing')\n:after");
  assert.equal(inspect(r.value), ':after');
});

test('a Ruby error caused by a value nobody knows is no certain raise: the result is unknown', () => {
  const { value } = run("x = ::File.read('/etc/x')\n[1] + x");
  assert.equal(value.k, 'unknown');
  assert.match((value as { reason: string }).reason, /File\.read/);
  // A known TypeError still raises for certain.
  const interp = ChefWorld.standalone().interpreter();
  const { raised } = interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby('[1] + 2') }));
  assert.equal(raised?.exceptionClass, 'TypeError');
});
