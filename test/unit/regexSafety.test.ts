/**
 * Recipe regexps run in linear time (server/src/ruby/core/regexRe2.ts): a catastrophic pattern
 * answers at once and correctly wherever a recipe can use one, Ruby's syntax keeps its meaning, and
 * what a linear-time matcher cannot run is an unknown that says so. The hostile cases run in a child
 * process (test/unit/evalChild.ts), so a regression fails here instead of hanging the runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRuby } from '../../server/src/ruby/prism';
import { Env } from '../../server/src/ruby/interpreter';
import { type RubyObject, type Value } from '../../server/src/ruby/values';
import { rubyInspect } from '../../server/src/ruby/core/display';
import { ChefWorld } from '../../server/src/chef/dsl/chefWorld';
import { evalInChild } from './evalChild';

const main: RubyObject = { className: 'main', describe: () => 'main', call: () => undefined };

function run(src: string): Value {
  const interp = ChefWorld.standalone().interpreter();
  return interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(src) })).value;
}
const ev = (src: string): string => rubyInspect(run(src));

/** Each use of a pattern a recipe can make, with the answer Ruby gives when nothing matches. */
const USES: [use: (re: string, s: string) => string, noMatch: (s: string) => string][] = [
  [(re, s) => `(${s}) =~ ${re}`, () => 'nil'],
  [(re, s) => `(${s}).match?(${re})`, () => 'false'],
  [(re, s) => `(${s}).match(${re})`, () => 'nil'],
  [(re, s) => `${re}.match(${s})`, () => 'nil'],
  [(re, s) => `${re} === (${s})`, () => 'false'],
  [(re, s) => `(${s}).gsub(${re}, 'b') == (${s})`, () => 'true'],
  [(re, s) => `(${s}).sub(${re}) { |m| 'b' } == (${s})`, () => 'true'],
  [(re, s) => `(${s}).scan(${re})`, () => '[]'],
  [(re, s) => `(${s}).split(${re}).size`, () => '1'],
  [(re, s) => `case ${s}\nwhen ${re} then :matched\nelse :other\nend`, () => ':other'],
  [(re, s) => `[${s}].grep(${re})`, () => '[]'],
  [(re, s) => `[${s}].any?(${re})`, () => 'false'],
  [(re, s) => `(${s}).start_with?(${re})`, () => 'false'],
  [(re, s) => `(${s}).index(${re})`, () => 'nil'],
  [(re, s) => `(${s}).rindex(${re})`, () => 'nil'],
  [(re, s) => `(${s})[${re}]`, () => 'nil'],
  [(re, s) => `(${s}).partition(${re}).last`, () => '""'],
  [(re, s) => `(${s}).slice!(${re})`, () => 'nil'],
];

/** Patterns that backtrack exponentially on their subject in a backtracking engine; none of them matches it. */
const CATASTROPHIC: [re: string, subject: string][] = [
  ['/^(a+)+$/', "'a' * 40 + '!'"],
  ['/(a|aa)+$/', "'a' * 3000 + '!'"],
  ['/^(a*)*b$/', "'a' * 40"],
  ['/^(\\w+\\s?)*$/', "'a ' * 40 + '!'"],
  ['/(x+x+)+y/', "'x' * 3000"],
  ['/^(a|a?)+$/', "'a' * 40 + '!'"],
  ['/\\A(?:\\d+)*[a-z]\\z/', "'1' * 40 + '!'"],
];

test('catastrophic patterns answer at once, with the answer Ruby gives, in every place a recipe uses a regexp', () => {
  const programs = CATASTROPHIC.flatMap(([re, s]) => USES.map(([use]) => use(re, s)));
  const expected = CATASTROPHIC.flatMap(([, s]) => USES.map(([, noMatch]) => noMatch(s)));
  const probes = [{ regex: '/^(a+)+$/', text: 'a'.repeat(40) + '!' }, { regex: '/^(\\w+\\s?)*$/', text: 'a '.repeat(40) + '!' }];
  // Generous: a backtracking engine takes hours on the first of these; linear matching, milliseconds.
  const { outcomes, failure } = evalInChild([...programs, ...probes], { timeoutMs: 90_000 });
  assert.equal(failure, undefined);
  programs.forEach((p, i) => assert.equal(outcomes[i].value, expected[i], p));
  // A resource property's `regex:` runs the same way: the value simply does not match.
  for (const o of outcomes.slice(programs.length)) assert.match(o.value, /"ok":false.*must match/);
});

test("a dependency's name is looked for in the metadata as text, not run as a pattern", () => {
  const metadataJson = JSON.stringify({ name: 'hv', version: '0.1.0', dependencies: { '(': '>= 0', '(a+)+$': '>= 0' } });
  const { outcomes, failure } = evalInChild([{ recipe: "file '/tmp/x'\n", metadataJson }], { timeoutMs: 60_000 });
  assert.equal(failure, undefined);
  const deps = (JSON.parse(outcomes[0].value).diagnostics as string[]).filter((d) => d.startsWith('dependency-not-in-workspace'));
  assert.equal(deps.length, 2, deps.join('\n'));
});

test('Ruby regexp syntax keeps its meaning: anchors, named captures, $~ and $1, flags, classes, lookbehind, interpolated and built regexps', () => {
  const cases: [string, string][] = [
    ["\"ab\\ncd\" =~ /^cd$/", '3'],
    ["\"ab\\ncd\" =~ /\\Acd/", 'nil'],
    ["\"ab\\ncd\" =~ /ab\\z/", 'nil'],
    ["\"ab\" =~ /b\\Z/", '1'],
    ["\"a\\nb\" =~ /a.b/", 'nil'],
    ["\"a\\nb\" =~ /a.b/m", '0'],
    ["\"x y\" =~ /x \\s y # spaced out\n/x", '0'],
    ["\"a\\vb\".split(/\\s/)", '["a", "b"]'],
    ["\"DEADbeef\" =~ /\\A\\h+\\z/", '0'],
    ["\"ABc\" =~ /(?i)ab(?-i)c/", '0'],
    ["\"ABC\" =~ /(?i)ab(?-i)c/", 'nil'],
    ["\"aaa\".gsub(/a{,2}/, 'X')", '"XXX"'],
    ["\"a1\" =~ /[[:alpha:]][[:digit:]]/", '0'],
    ["\"λ\".match?(/\\p{Greek}/)", 'true'],
    ["\"price: $5\" =~ /(?<=\\$)\\d/", '8'],
    ["\"2024-05\".match(/(?<y>\\d+)-(?<m>\\d+)/)[:m]", '"05"'],
    ["\"2024-05\".match(/(?<y>\\d+)-(\\d+)/).captures", '["2024"]'],
    ["if /(?<year>\\d+)-(?<mon>\\d+)/ =~ \"on 2024-05\" then [year, mon] end", '["2024", "05"]'],
    ["'foo=bar' =~ /(\\w+)=(\\w+)/; [$1, $2, $~[0], $~.pre_match]", '["foo", "bar", "foo=bar", ""]'],
    ["case 'v1.2' when /v(\\d+)/ then $1 end", '"1"'],
    ["'a1b2'.gsub(/(\\d)/) { $1 * 2 }", '"a11b22"'],
    ["'a1b2'.gsub(/\\d/, '1' => 'one', '2' => 'two')", '"aonebtwo"'],
    ["'hello world'.sub(/(?<f>\\w+) (?<s>\\w+)/, '\\\\k<s> \\\\k<f>')", '"world hello"'],
    ["'a1b2c'.split(/(\\d)/)", '["a", "1", "b", "2", "c"]'],
    ["'a1b2'.scan(/([a-z])(\\d)/)", '[["a", "1"], ["b", "2"]]'],
    ["'a😀b'.gsub(//, '-')", '"-a-😀-b-"'],
    ["'abcabc'.rindex(/b/)", '4'],
    ["'abab'.rpartition(/b/)", '["aba", "b", ""]'],
    ["re = /B/i; 'abc' =~ /a#{re}c/", '0'],
    ["Regexp.new('A', Regexp::IGNORECASE) =~ 'a'", '0'],
    ["Regexp.new('a b', Regexp::EXTENDED) =~ 'ab'", '0'],
    ["Regexp.union('a.b', /c/i) =~ 'xC'", '1'],
    ["Regexp.union(%w(x y)).source", '"x|y"'],
  ];
  for (const [src, expected] of cases) assert.equal(ev(src), expected, src);
});

test('what a linear-time matcher cannot run is an unknown whose reason names it', () => {
  const cases: [string, RegExp][] = [
    ["'aa' =~ /(a)\\1/", /backreference \(\\1\)/],
    ["'aa'.match?(/(?<x>a)\\k<x>/)", /named backreference/],
    ["'ab'.sub(/a(?=b)/, '')", /lookahead/],
    ["'ab'.scan(/a(?!c)/)", /lookahead/],
    ["'ab' =~ /(?>a)b/", /atomic group/],
    ["'aab' =~ /a++b/", /possessive quantifier/],
    ["'aab'.split(/a*+/)", /possessive quantifier/],
    ["'ab' =~ /(?<x>a)\\g<x>/", /subexpression call/],
    ["case 'aa' when /(a)\\1/ then 1 end", /backreference/],
  ];
  for (const [src, reason] of cases) {
    const v = run(src);
    assert.equal(v.k, 'unknown', `${src} should be unknown, was ${rubyInspect(v)}`);
    assert.match((v as { reason: string }).reason, reason, src);
    assert.match((v as { reason: string }).reason, /linear-time|not evaluated/, src);
  }
});

test('a translation exact only on some texts refuses the others instead of answering differently from Ruby', () => {
  const cases: [string, RegExp][] = [
    ["\"ab\\n\" =~ /b\\Z/", /\\Z.*line break/],
    ["'é' =~ /[[:alpha:]]/", /non-ASCII/],
    ["'über' =~ /\\bber/", /non-ASCII/],
    ["'Straße'.match?(/STRASSE/i)", /folds to several/],
  ];
  for (const [src, reason] of cases) {
    const v = run(src);
    assert.equal(v.k, 'unknown', `${src} should be unknown, was ${rubyInspect(v)}`);
    assert.match((v as { reason: string }).reason, reason, src);
  }
  // The same patterns on texts they are exact for answer.
  assert.equal(ev("\"ab\" =~ /b\\Z/"), '1');
  assert.equal(ev("'e' =~ /[[:alpha:]]/"), '0');
  assert.equal(ev("'STRASSE'.match?(/strasse/i)"), 'true');
});
