/**
 * The memo of pure method calls (ruby/callMemo.ts): a call that depends only on its arguments is
 * answered from the first call's result; anything else a call reads or changes keeps it out. Ruby
 * semantics are the measure: each case's value is what Ruby prints, with the memo on. The last tests
 * compile whole workspaces (generated ones shaped like real cookbooks, the fixtures, the example) with
 * the memo off and on, twice, and require the same graph, rendered content and diagnostics.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRuby } from '../../server/src/ruby/prism';
import { Interpreter, Env } from '../../server/src/ruby/interpreter';
import { rubyInspect } from '../../server/src/ruby/core/display';
import type { RubyObject } from '../../server/src/ruby/values';
import { callMemoCounts, setCallMemo } from '../../server/src/ruby/callMemo';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { renderedContent } from '../../server/src/chef/renderedContent';
import { generateRealShaped } from '../bench/generate';

// The memo is off unless turned on (the language server turns it on); these tests turn it on.
before(() => setCallMemo(true));
after(() => setCallMemo(false));

const main: RubyObject = { className: 'main', describe: () => 'main', call: () => undefined };
const REPO = path.resolve(__dirname, '../..');

function ev(src: string): string {
  const { value, raised } = new Interpreter().evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(src) }));
  return raised ? `raise ${raised.exceptionClass}: ${raised.message}` : rubyInspect(value);
}

/** Evaluates with the memo on, and checks that some calls were answered from it. */
function evHits(src: string): { value: string; hits: number } {
  const hits = callMemoCounts.hits;
  const value = ev(src);
  return { value, hits: callMemoCounts.hits - hits };
}

describe('the call memo keeps what only the arguments decide', () => {
  it('answers a repeated pure call from the memo, with what Ruby returns', () => {
    const src = `
      class R
        def render(v, indent = 0)
          case v
          when Hash then v.sort.map { |k, x| "#{'  ' * indent}#{k} {\\n#{render(x, indent + 1)}}\\n" }.join
          else "#{'  ' * indent}#{v}\\n"
          end
        end
      end
      r = R.new
      conf = { 'a' => { 'b' => 1, 'c' => 'x' } }
      [r.render(conf), r.render(conf), r.render({ 'a' => { 'b' => 1, 'c' => 'x' } })]`;
    const { value, hits } = evHits(src);
    assert.equal(value, '["a {\\n  b {\\n    1\\n}\\n  c {\\n    x\\n}\\n}\\n", "a {\\n  b {\\n    1\\n}\\n  c {\\n    x\\n}\\n}\\n", "a {\\n  b {\\n    1\\n}\\n  c {\\n    x\\n}\\n}\\n"]');
    assert.ok(hits >= 2, `the second and third calls come from the memo (${hits} hits)`);
  });

  it('keeps helpers that convert, format and enumerate with an index, as port parsers do', () => {
    const src = `
      class Ports
        def parse(spec)
          Array(spec).map.with_index { |s, i| format('%s/%d', s.split(':').last, i) }
        end
      end
      p1 = Ports.new
      [p1.parse('80:8080'), p1.parse('80:8080'), p1.parse(['1:2', '3:4'])]`;
    const { value, hits } = evHits(src);
    assert.equal(value, '[["8080/0"], ["8080/0"], ["2/0", "4/1"]]');
    assert.ok(hits >= 1, `the second call comes from the memo (${hits} hits)`);
  });

  it('gives each caller its own copy of a kept result', () => {
    assert.equal(ev(`
      class M; def make(n); { 'list' => [n] }; end; end
      m = M.new
      a = m.make(1)
      a['list'] << 2
      b = m.make(1)
      [a, b]`), '[{"list" => [1, 2]}, {"list" => [1]}]');
  });

  it('returns the caller\'s own argument when the method returned it (mutations reach it, as in Ruby)', () => {
    assert.equal(ev(`
      class P; def pick(a, b); return b unless a.is_a?(Hash); a; end; end
      p1 = P.new
      x = 'one'
      p1.pick(1, x) << '!'
      y = 'one'
      p1.pick(1, y) << '?'
      h = { 'k' => 'v' }
      p1.pick(h, 0)['k'] << '1'
      h2 = { 'k' => 'v' }
      p1.pick(h2, 0)['k'] << '2'
      [x, y, h, h2]`), '["one!", "one?", {"k" => "v1"}, {"k" => "v2"}]');
  });

  it('keeps the parts of a result that are the arguments\' own values as those values', () => {
    assert.equal(ev(`
      class F
        def flatten(hash, prefix = nil)
          hash.each_with_object({}) do |(k, v), out|
            key = prefix ? "#{prefix}.#{k}" : k.to_s
            if v.is_a?(Hash) then out.merge!(flatten(v, key)) else out[key] = v end
          end
        end
      end
      f = F.new
      s1 = { 'a' => { 'b' => 'x' } }
      f.flatten(s1)['a.b'] << '1'
      s2 = { 'a' => { 'b' => 'x' } }
      f.flatten(s2)['a.b'] << '2'
      [s1, s2]`), '[{"a" => {"b" => "x1"}}, {"a" => {"b" => "x2"}}]');
  });

  it('tells arguments sharing a value from arguments holding equal ones', () => {
    assert.equal(ev(`
      class S; def same(a, b); a.equal?(b); end; end
      s = S.new
      v = 'x'
      [s.same(v, v), s.same('x', 'x'), s.same(v, v)]`), '[true, false, true]');
  });

  it('runs again a method that reads or writes instance variables', () => {
    assert.equal(ev(`
      class C; def initialize; @n = 0; end; def bump(x); @n += 1; x + @n; end; end
      c = C.new
      [c.bump(1), c.bump(1), c.bump(1)]`), '[2, 3, 4]');
  });

  it('runs again a method that changes its argument', () => {
    assert.equal(ev(`
      class D; def add(h); h['n'] = (h['n'] || 0) + 1; h; end; end
      d = D.new
      a = {}
      d.add(a)
      d.add(a)
      b = {}
      d.add(b)
      [a, b]`), '[{"n" => 2}, {"n" => 1}]');
  });

  it('runs again a method reading a constant that is not a module, and after a constant changes', () => {
    assert.equal(ev(`
      LIMIT = 3
      class L; def lim(x); x + LIMIT; end; end
      l = L.new
      a = l.lim(1)
      LIMIT = 5
      [a, l.lim(1)]`), '[4, 6]');
  });

  it('runs again after a method it calls is redefined', () => {
    assert.equal(ev(`
      class H; def inner(x); x * 2; end; def outer(x); inner(x) + 1; end; end
      h = H.new
      a = h.outer(2)
      class H; def inner(x); x * 10; end; end
      [a, h.outer(2)]`), '[5, 21]');
  });

  it('runs again a method given a block, or one defined with define_method', () => {
    assert.equal(ev(`
      class B
        def twice(x); yield(x) + yield(x); end
        n = 0
        define_method(:counted) { |x| x }
      end
      b = B.new
      k = 0
      [b.twice(1) { |v| k += 1; v + k }, b.twice(1) { |v| k += 1; v + k }]`), '[5, 9]');
  });

  it('charges the steps of a kept call: a budget runs out where it would without the memo', () => {
    const src = `
      class W; def work(n); s = 0; n.times { |i| s += i }; s; end; end
      w = W.new
      20.times.map { w.work(3000) }.sum`;
    const run = (memo: boolean) => {
      setCallMemo(memo);
      try {
        const interp = new Interpreter({ budgets: { steps: 60_000, loopIterations: 100_000, callDepth: 200, nesting: 1000 } as never });
        const r = interp.evalProgram(new Env(undefined, main, { file: '/x.rb', parsed: parseRuby(src) }));
        return { value: rubyInspect(r.value), findings: interp.findings.map((f) => f.code) };
      } finally { setCallMemo(true); }
    };
    const hits = callMemoCounts.hits;
    const withMemo = run(true);
    assert.ok(callMemoCounts.hits > hits, 'later calls were answered from the memo');
    assert.deepEqual(withMemo, run(false));
  });
});

describe('helpers that read the node', () => {
  it('are answered from the memo while the node is as it was (logging too), and run again once a recipe wrote to it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-memo-node-'));
    try {
      const w = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, 'app', rel)), { recursive: true }); fs.writeFileSync(path.join(dir, 'app', rel), text); };
      w('metadata.rb', "name 'app'\nversion '1.0.0'\n");
      w('attributes/default.rb', "default['app']['port'] = 80\n");
      w('libraries/helpers.rb', "module AppHelpers\n  def port_plus(n)\n    Chef::Log.debug(\"port plus #{n}\")\n    node['app']['port'] + n\n  end\nend\nChef::DSL::Recipe.include(AppHelpers)\n");
      w('recipes/default.rb', "file \"/tmp/a-#{port_plus(1)}\"\nnode.default['app']['port'] = 90\nfile \"/tmp/b-#{port_plus(1)}\"\ninclude_recipe 'app::other'\n");
      w('recipes/other.rb', "file \"/tmp/c-#{port_plus(1)}\"\n");
      const model = new Model([dir]);
      const facts = getPlatformProfile('debian-12')!;
      const names = () => model.compile(['app::default'], facts).resources.map((r) => r.id);
      assert.deepEqual(names(), ['file[/tmp/a-81]', 'file[/tmp/b-91]', 'file[/tmp/c-91]']);
      const hits = callMemoCounts.hits;
      assert.deepEqual(names(), ['file[/tmp/a-81]', 'file[/tmp/b-91]', 'file[/tmp/c-91]']);
      assert.equal(callMemoCounts.hits - hits, 1, 'the first read comes from the memo; after the write the helper runs again');
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('compilations are the same with and without the memo', () => {
  const dirs: string[] = [];
  after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  /** Everything a compilation of each cookbook's recipes shows: graph, rendered content, diagnostics. */
  function outputs(roots: string[], platform: string): string {
    const model = new Model(roots);
    const facts = getPlatformProfile(platform)!;
    const out: unknown[] = [];
    for (const cb of model.cookbooks.values()) {
      const runList = model.allRecipes(cb);
      if (!runList.length) continue;
      // Twice: the second compilation is answered from what the first kept.
      for (let i = 0; i < 2; i++) {
        const c = model.compile(runList, facts);
        out.push(model.graph(c, runList), c.resources.map((r) => renderedContent(c, r) ?? null), model.diagnostics(c));
      }
    }
    return JSON.stringify(out);
  }

  function same(roots: string[], platform = 'debian-12'): number {
    setCallMemo(false);
    let without: string;
    try { without = outputs(roots, platform); } finally { setCallMemo(true); }
    const hits = callMemoCounts.hits;
    const withMemo = outputs(roots, platform);
    assert.ok(withMemo === without, `the outputs of ${roots.join(', ')} differ with the memo`);
    return callMemoCounts.hits - hits;
  }

  it('on generated cookbooks shaped like real ones (recursive helpers, loop-made actions, partials)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-memo-'));
    dirs.push(dir);
    generateRealShaped(dir, { cookbooks: 4, recipes: 2, chain: 2, longEvery: 2, longLines: 300 });
    const hits = same([dir]);
    assert.ok(hits > 100, `the helpers' calls are answered from the memo (${hits} hits)`);
  });

  it('on the fixture cookbooks and the example, on Debian and Rocky Linux', () => {
    const roots = [path.join(REPO, 'test/fixtures/cookbooks'), path.join(REPO, 'test/fixtures/patterns'), path.join(REPO, 'examples')];
    for (const root of roots) for (const platform of ['debian-12', 'rockylinux-9']) same([root], platform);
  });
});
