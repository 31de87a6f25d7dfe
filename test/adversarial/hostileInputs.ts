/**
 * Hostile inputs a cloned repository can contain, generated from a seed so a failure reproduces:
 * deep nesting, catastrophic regexes, size bombs, runaway recursion, Markdown and label injection
 * (checked by `markupChecks.ts`).
 * Each input is a whole recipe; `category` groups them in the tier's counts.
 */

export type Category = 'nesting' | 'regex' | 'size' | 'recursion' | 'markup';

export interface HostileInput {
  category: Category;
  /** What it is, with its parameters: printed when it fails. */
  name: string;
  text: string;
}

/** A small deterministic generator (LCG): the same seed gives the same inputs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const between = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** Nesting shapes at a depth: each one is valid Ruby except where its name says unclosed. */
const NESTING: Record<string, (n: number) => string> = {
  hash: (n) => `node.default['a'] = ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
  array: (n) => `x = ${'['.repeat(n)}1${']'.repeat(n)}\n`,
  parens: (n) => `x = ${'('.repeat(n)}1${')'.repeat(n)}\n`,
  if: (n) => `${'if true\n'.repeat(n)}file '/tmp/deep'\n${'end\n'.repeat(n)}`,
  begin: (n) => `${'begin\n'.repeat(n)}1\n${'end\n'.repeat(n)}`,
  blocks: (n) => `${'[1].each do |x|\n'.repeat(n)}file "/tmp/#{x}"\n${'end\n'.repeat(n)}`,
  'unclosed do': (n) => `${'ruby_block "b" do\n'.repeat(n)}`,
  interpolation: (n) => `x = ${'"#{'.repeat(n)}1${'}"'.repeat(n)}\n`,
  lambdas: (n) => `f = ${'-> { '.repeat(n)}1${' }'.repeat(n)}\n`,
  'method chain': (n) => `x = 'a'${'.to_s'.repeat(n * 10)}\n`,
  'resource blocks': (n) => `${'directory "/d" do\n'.repeat(n)}${'end\n'.repeat(n)}`,
  'unary not': (n) => `x = ${'!'.repeat(n)}true\n`,
};

const CATASTROPHIC = ['/^(a+)+$/', '/(a|aa)+$/', '/^(a*)*b$/', '/^(\\w+\\s?)*$/', '/(x+x+)+y/', '/^(a|a?)+$/'];
const REGEX_USES: ((re: string, s: string) => string)[] = [
  (re, s) => `x = (${s}) =~ ${re}\n`,
  (re, s) => `x = (${s}).match?(${re})\n`,
  (re, s) => `x = (${s}).match(${re})\n`,
  (re, s) => `x = (${s}).gsub(${re}, 'b')\n`,
  (re, s) => `x = (${s}).sub(${re}) { |m| m }\n`,
  (re, s) => `x = (${s}).scan(${re})\n`,
  (re, s) => `x = (${s}).split(${re})\n`,
  (re, s) => `case ${s}\nwhen ${re} then file '/tmp/matched'\nend\n`,
  (re, s) => `x = [${s}].grep(${re})\n`,
  (re, s) => `x = (${s}).index(${re})\n`,
  (re, s) => `file '/tmp/r' do\n  only_if { (${s}) =~ ${re} }\nend\n`,
];

const SIZE_BOMBS: ((n: number) => string)[] = [
  (n) => `x = [1]\n${n}.times { x = x + x }\nfile "/tmp/#{x.size}"\n`,
  (n) => `s = 'a'\n${n}.times { s = s + s }\nfile "/tmp/#{s.length}"\n`,
  (n) => `s = 'ab' * 1000\n${n}.times { s = s.gsub('a', 'aa') }\n`,
  () => `x = 'a' * 10**9\n`,
  () => `x = (1..10**12).to_a\n`,
  () => `x = Array.new(10**9, 1)\n`,
  (n) => `h = {}\n${n * 10_000}.times { h = { a: h } }\nx = h.to_s\n`,
  (n) => `x = [1, 2]\n${n}.times { x = x.product(x) }\n`,
  (n) => `x = %w(a b)\n${n}.times { x = x.map { |y| [y, y] }.flatten }\n`,
  (n) => `h = { 'k' => 'v' }\n${n}.times { |i| h = h.merge(h.transform_keys { |k| k + i.to_s }) }\nnode.default['big'] = h\n`,
  (n) => `x = 'a' * 100_000\n${n}.times { x = "#{x}#{x}" }\n`,
  () => `x = (1..Float::INFINITY).each { |i| i }\n`,
  (n) => `x = [1]\nx << x\n${n}.times { x = [x, x] }\ny = x.flatten.to_s\n`,
];

const RECURSION: ((n: number) => string)[] = [
  () => `def f(n)\n  f(n + 1)\nend\nf(0)\n`,
  () => `def g(h)\n  { a: g(h) }\nend\nx = g({})\n`,
  () => `loop do\nend\n`,
  () => `while true\nend\n`,
  () => `x = 0\nuntil false\n  x += 1\nend\n`,
  (n) => `f = ->(k) { k > 0 ? f.(k - 1) + f.(k - 1) : 1 }\nx = f.(${n})\n`,
  () => `h = {}\nh[:self] = h\nnode.default['cyclic'] = h\nx = h.to_s\n`,
  () => `a = []\na << a\nx = a.flatten\n`,
  (n) => `${Array.from({ length: n }, (_, i) => `def m${i}; m${i + 1}; end`).join('\n')}\ndef m${n}; m0; end\nm0\n`,
];

/** Text that would be a live link, image or HTML if put into Markdown unescaped. */
export const MARKDOWN_PAYLOADS = [
  '[run](command:workbench.action.terminal.new)',
  '![t](http://attacker.invalid/track.png)',
  '<img src=x onerror=alert(1)>',
  '[x](http://attacker.invalid/)',
  '```\n[x](command:workbench.action.openSettings)\n```',
  '`` ` ``[y](command:cloche.converge)',
  '<a href="command:workbench.action.terminal.new">a</a>',
];

/** Strings that break DOT and Mermaid labels when passed through. */
export const LABEL_PAYLOADS = ['a"b', 'x\ny', 'a<b>c', 'click n1 call alert()', 'a --> b', 'a\\"b', '"] ; n9 [label="', '}\n%%'];

/** A recipe whose names, properties and attributes carry one payload, for hovers and exports. */
function markupRecipe(rand: () => number): string {
  const p = pick(rand, [...MARKDOWN_PAYLOADS, ...LABEL_PAYLOADS]);
  const lit = JSON.stringify(p);
  return [
    `file ${lit} do`,
    `  content ${lit}`,
    `  notifies :run, ${JSON.stringify(`execute[${p}]`)}`,
    'end',
    `execute ${lit} do`,
    `  command ${lit}`,
    '  action :nothing',
    'end',
    `node.default['hostile'][${lit}] = ${lit}`,
    `x = node['hostile'][${lit}]`,
    `template ${JSON.stringify(`/etc/${p}`)} do`,
    `  source ${lit}`,
    `  variables(v: ${lit})`,
    'end',
    '',
  ].join('\n');
}

/** The next hostile input of a seeded stream. */
export function hostileInput(rand: () => number): HostileInput {
  const category = pick(rand, ['nesting', 'regex', 'size', 'recursion', 'markup'] as const);
  switch (category) {
    case 'nesting': {
      const shape = pick(rand, Object.keys(NESTING));
      const depth = pick(rand, [between(rand, 100, 300), between(rand, 300, 2000), between(rand, 2000, 12000)]);
      return { category, name: `${depth} nested ${shape}`, text: NESTING[shape](depth) };
    }
    case 'regex': {
      const re = pick(rand, CATASTROPHIC);
      const k = between(rand, 25, 5000);
      const subject = pick(rand, [`'a' * ${k} + '!'`, `'x' * ${k}`, `'a ' * ${k} + '!'`]);
      const use = Math.floor(rand() * REGEX_USES.length);
      return { category, name: `regex ${re} use ${use} on ${subject}`, text: `${REGEX_USES[use](re, subject)}file '/tmp/after'\n` };
    }
    case 'size': {
      const i = Math.floor(rand() * SIZE_BOMBS.length);
      const n = between(rand, 20, 60);
      return { category, name: `size bomb ${i} (n=${n})`, text: `${SIZE_BOMBS[i](n)}file '/tmp/after'\n` };
    }
    case 'recursion': {
      const i = Math.floor(rand() * RECURSION.length);
      const n = between(rand, 20, 400);
      return { category, name: `recursion ${i} (n=${n})`, text: `${RECURSION[i](n)}file '/tmp/after'\n` };
    }
    default:
      return { category, name: 'markup payloads', text: markupRecipe(rand) };
  }
}
