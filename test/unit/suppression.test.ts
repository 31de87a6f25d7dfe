/**
 * Quiet and configurable findings: `cloche:disable…` comments in Ruby files and ERB templates, a
 * level per rule code (settings, `.cloche.json`, `--severity`), applied once where the editor's
 * analysis and `cloche check` both pass.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { parseRuby } from '../../server/src/ruby/prism';
import { rubyDirectives, erbDirectives, isSuppressed, directiveComment } from '../../server/src/chef/suppression';
import { readConfigFile } from '../../server/src/chef/projectConfig';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { Analysis } from '../../server/src/analysis';
import { RULE_CODES } from '../../server/src/chef/rules/ruleCodes';
import { readSettings } from '../../server/src/settings';

const facts = getPlatformProfile('debian-12')!;

/** The lines (1-based) a code is switched off on, among lines 1..n. */
function offLines(directives: ReturnType<typeof rubyDirectives>, code: string, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((l) => isSuppressed(directives, code, l));
}

describe('disable comments in Ruby', () => {
  it('disable-next-line covers the next line that is not only a comment, for the codes named', () => {
    const text = [
      "# cloche:disable-next-line unknown-property, never-notified -- a wrapper sets it",
      '# a note about the resource',
      "file '/x' do", // 3
      '  contnt "x"', // 4
      'end',
    ].join('\n');
    const dirs = rubyDirectives(parseRuby(text), '/r.rb');
    assert.deepEqual(dirs.map((d) => [d.kind, d.target, d.codes.map((c) => c.code)]), [['disable-next-line', 3, ['unknown-property', 'never-notified']]]);
    assert.deepEqual(offLines(dirs, 'unknown-property', 5), [3]);
    assert.deepEqual(offLines(dirs, 'never-notified', 5), [3]);
    assert.deepEqual(offLines(dirs, 'unknown-action', 5), []);
    // Where each code is written (the unknown-code finding and its fix point there).
    assert.deepEqual(dirs[0].codes.map((c) => [c.loc.line, c.loc.column, c.loc.endColumn]), [[1, 28, 44], [1, 46, 60]]);
  });

  it('disable-line is the comment\'s own line; without a code every code is off', () => {
    const text = ["package 'a' # cloche:disable-line", "package 'b'", "service 'c' # cloche:disable-line unknown-action"].join('\n');
    const dirs = rubyDirectives(parseRuby(text), '/r.rb');
    assert.deepEqual(offLines(dirs, 'unknown-resource', 3), [1]);
    assert.deepEqual(offLines(dirs, 'unknown-action', 3), [1, 3]);
  });

  it('disable … enable is a range; enable of one code leaves the others off', () => {
    const text = [
      "log 'a'", // 1
      '# cloche:disable', // 2
      "log 'b'", // 3
      '# cloche:enable never-notified', // 4
      "log 'c'", // 5
      '# cloche:disable never-notified', // 6
      "log 'd'", // 7
      '# cloche:enable', // 8
      "log 'e'", // 9
    ].join('\n');
    const dirs = rubyDirectives(parseRuby(text), '/r.rb');
    assert.deepEqual(offLines(dirs, 'never-notified', 9), [2, 3, 6, 7]);
    assert.deepEqual(offLines(dirs, 'unknown-property', 9), [2, 3, 4, 5, 6, 7]);
  });

  it('only comments are directives: the same words in a string or heredoc are text', () => {
    const text = [
      "file '/etc/motd' do",
      '  content <<~EOS',
      '    # cloche:disable-next-line unknown-property',
      '  EOS',
      "  notes '# cloche:disable'",
      'end',
    ].join('\n');
    assert.deepEqual(rubyDirectives(parseRuby(text), '/r.rb'), []);
  });

  it('other words after cloche: are not directives', () => {
    assert.deepEqual(rubyDirectives(parseRuby('# cloche:disabled foo\n# cloche: disable foo\n# cloche:disable-next foo\n'), '/r.rb'), []);
    assert.equal(rubyDirectives(parseRuby('#cloche:disable foo\n'), '/r.rb').length, 1);
  });
});

describe('disable comments in ERB templates', () => {
  it('comment tags hold directives, trimmed or not', () => {
    const text = ['<%# cloche:disable-next-line missing-partial %>', "<%= render 'nope.erb' %>", '<%# cloche:disable-next-line -%>', '<%= @x %>', '<%= "<%# cloche:disable %>" %>'].join('\n');
    const dirs = erbDirectives(text, '/t.erb');
    assert.deepEqual(dirs.map((d) => [d.kind, d.target, d.codes.map((c) => c.code)]), [['disable-next-line', 2, ['missing-partial']], ['disable-next-line', 4, []], ['disable', 5, []]]);
    assert.equal(directiveComment('disable-next-line', ['a', 'b'], true), '<%# cloche:disable-next-line a, b %>');
    assert.equal(directiveComment('disable', ['a'], false), '# cloche:disable a');
  });
});

describe('applying the comments of a template', () => {
  it('a finding in an ERB template is switched off by a comment tag above it', () => {
    const root = workspace({ 'cookbooks/app/templates/t.erb': '<%# cloche:disable-next-line unknown-property %>\n<%= @a %>\n<%= @b %>\n' });
    try {
      const { applyPolicy } = require('../../server/src/chef/diagnosticPolicy') as typeof import('../../server/src/chef/diagnosticPolicy');
      const { ProjectConfigs } = require('../../server/src/chef/projectConfig') as typeof import('../../server/src/chef/projectConfig');
      const ws = new Model([path.join(root, 'cookbooks')]).ws;
      const file = path.join(root, 'cookbooks/app/templates/t.erb');
      const at = (line: number) => ({ file, line, column: 1, endLine: line, endColumn: 5, severity: 'error' as const, code: 'unknown-property', message: 'x' });
      assert.deepEqual(applyPolicy(ws, [at(2), at(3)], { severity: {}, configs: new ProjectConfigs(ws) }).map((d) => d.line), [3]);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});

describe('.cloche.json', () => {
  it('reads levels and ignore globs; what it cannot use is a problem at its line', () => {
    const c = readConfigFile('/r/.cloche.json', '{\n  // the team\'s choices\n  "severity": {\n    "never-notified": "off",\n    "unknown-property": "loud",\n    "no-such-rule": "hint"\n  },\n  "ignore": ["test/**"],\n  "extra": 1\n}\n');
    assert.deepEqual(c.severity, { 'never-notified': 'off', 'no-such-rule': 'hint' });
    assert.deepEqual(c.ignore, ['test/**']);
    assert.deepEqual(c.problems.map((p) => [p.line, p.severity, p.code]), [[9, 'warning', 'invalid-config'], [5, 'error', 'invalid-config'], [6, 'warning', 'unknown-rule-code']]);
    assert.deepEqual(readConfigFile('/r/.cloche.json', '{ "severity": ').problems.map((p) => p.code), ['invalid-config']);
  });
});

/** A workspace of one cookbook with findings in a recipe and a template, in a repository with `.git`. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'cloche-suppress-'));
  const all: Record<string, string> = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'cookbooks/app/metadata.rb': "name 'app'\nversion '1.0.0'\n",
    'cookbooks/app/recipes/default.rb': [
      "file '/etc/a' do",
      '  contnt "a"', // 2: unknown-property
      'end',
      "execute 'never' do", // 4: never-notified
      "  command 'true'",
      '  action :nothing',
      'end',
      "template '/etc/t' do",
      "  source 't.erb'",
      'end',
    ].join('\n') + '\n',
    'cookbooks/app/templates/t.erb': "<%= render 'missing.erb' %>\n",
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const codes = (root: string, extra: Parameters<typeof checkPaths>[4] = {}) =>
  checkPaths(new Model([path.join(root, 'cookbooks')]), [path.join(root, 'cookbooks/app')], facts, undefined, extra)
    .map((d) => `${path.relative(root, d.file)}:${d.line} ${d.severity} ${d.code}`);

describe('cloche check applies the comments and levels', () => {
  it('without any choice every finding is there', () => {
    const root = workspace({});
    try {
      assert.deepEqual(codes(root), [
        'cookbooks/app/recipes/default.rb:2 error unknown-property',
        'cookbooks/app/recipes/default.rb:6 hint never-notified',
      ]);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('comments switch findings off in recipes and templates; an unknown code in one is a finding with did-you-mean', () => {
    const root = workspace({});
    try {
      const recipe = path.join(root, 'cookbooks/app/recipes/default.rb');
      const lines = fs.readFileSync(recipe, 'utf8').split('\n');
      lines.splice(1, 0, '  # cloche:disable-next-line unknown-property');
      lines.splice(6, 0, '  # cloche:disable-next-line never-notifed');
      fs.writeFileSync(recipe, lines.join('\n'));
      const diags = checkPaths(new Model([path.join(root, 'cookbooks')]), [path.join(root, 'cookbooks/app')], facts);
      assert.deepEqual(diags.map((d) => `${d.line} ${d.severity} ${d.code}`), ['7 info unknown-rule-code', '8 hint never-notified']);
      const unknown = diags[0];
      assert.match(unknown.message, /no rule 'never-notifed'.*Did you mean 'never-notified'\?/);
      assert.deepEqual(unknown.data, { suggestions: ['never-notified'], replace: { file: recipe, line: 7, column: 30, endLine: 7, endColumn: 43 } });
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('.cloche.json: levels (the nearest file wins per code), off, ignore globs; --severity over them', () => {
    const root = workspace({
      '.cloche.json': JSON.stringify({ severity: { 'unknown-property': 'warning', 'never-notified': 'info' } }),
      'cookbooks/app/.cloche.json': JSON.stringify({ severity: { 'never-notified': 'off' }, ignore: ['templates/**'] }),
    });
    try {
      assert.deepEqual(codes(root), ['cookbooks/app/recipes/default.rb:2 warning unknown-property']);
      // The ignore glob is relative to its file's folder: a finding in a template is left out, one in a recipe is not.
      const { ProjectConfigs } = require('../../server/src/chef/projectConfig') as typeof import('../../server/src/chef/projectConfig');
      const configs = new ProjectConfigs(new Model([path.join(root, 'cookbooks')]).ws);
      assert.equal(configs.for(path.join(root, 'cookbooks/app/templates/t.erb')).ignored(path.join(root, 'cookbooks/app/templates/t.erb')), true);
      assert.equal(configs.for(path.join(root, 'cookbooks/app/recipes/default.rb')).ignored(path.join(root, 'cookbooks/app/recipes/default.rb')), false);
      const policy = { severity: { 'unknown-property': 'hint' as const, 'never-notified': 'error' as const } };
      const model = new Model([path.join(root, 'cookbooks')]);
      const diags = checkPaths(model, [path.join(root, 'cookbooks/app')], facts, undefined, { policy: { ...policy, configs: new ProjectConfigs(model.ws) } });
      assert.deepEqual(diags.map((d) => `${d.line} ${d.severity} ${d.code}`), ['2 hint unknown-property', '6 error never-notified']);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('a .cloche.json above the repository is not read', () => {
    const outer = fs.mkdtempSync(path.join(tmpdir(), 'cloche-outer-'));
    try {
      fs.writeFileSync(path.join(outer, '.cloche.json'), JSON.stringify({ severity: { 'unknown-property': 'off' } }));
      const root = workspace({});
      const inner = path.join(outer, 'repo');
      fs.renameSync(root, inner);
      assert.ok(codes(inner).includes('cookbooks/app/recipes/default.rb:2 error unknown-property'));
    } finally { fs.rmSync(outer, { recursive: true, force: true }); }
  });
});

describe('the editor\'s analysis applies the same choices', () => {
  it('settings levels, comments typed in an open document and a changed .cloche.json each re-report', () => {
    const root = workspace({});
    try {
      const analysis = new Analysis([root]);
      const recipe = path.join(root, 'cookbooks/app/recipes/default.rb');
      const now = () => analysis.diagnostics(recipe).map((d) => `${d.line} ${d.severity} ${d.code}`);
      assert.deepEqual(now(), ['2 error unknown-property', '6 hint never-notified']);
      assert.equal(analysis.setSeverity(readSettings({ diagnostics: { severity: { 'unknown-property': 'warning', 'never-notified': 'off', x: 'loud' } } }).diagnostics.severity), true);
      assert.deepEqual(now(), ['2 warning unknown-property']);
      assert.equal(analysis.setSeverity({ 'unknown-property': 'warning', 'never-notified': 'off' }), false, 'the same levels change nothing');
      analysis.setSeverity({});
      analysis.setText(recipe, fs.readFileSync(recipe, 'utf8').replace('  contnt "a"', '  contnt "a" # cloche:disable-line unknown-property'));
      assert.deepEqual(now(), ['6 hint never-notified']);
      fs.writeFileSync(path.join(root, '.cloche.json'), JSON.stringify({ severity: { 'never-notified': 'warning' } }));
      analysis.fileChanged(path.join(root, '.cloche.json'), 'created');
      assert.deepEqual(now(), ['6 warning never-notified']);
      // The configuration file's own problems are its diagnostics.
      fs.writeFileSync(path.join(root, '.cloche.json'), '{ "severity": { "never-notified": "silent" } }');
      analysis.fileChanged(path.join(root, '.cloche.json'), 'changed');
      assert.deepEqual(analysis.diagnostics(path.join(root, '.cloche.json')).map((d) => d.code), ['invalid-config']);
      assert.deepEqual(now(), ['6 hint never-notified']);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });

  it('a finding moved to its call site is switched off by a comment there', () => {
    const root = workspace({
      'cookbooks/lib/metadata.rb': "name 'lib'\nversion '1.0.0'\n",
      'cookbooks/lib/resources/site.rb': "action :create do\n  template \"/etc/site-#{new_resource.name}.conf\" do\n    source 'site.conf.erb'\n  end\nend\n",
      'cookbooks/app/metadata.rb': "name 'app'\nversion '1.0.0'\ndepends 'lib'\n",
      'cookbooks/app/recipes/default.rb': "log 'first'\nlib_site 'x'\n",
    });
    try {
      const analysis = new Analysis([root]);
      const recipe = path.join(root, 'cookbooks/app/recipes/default.rb');
      // Found in lib's resource, reported at the call in app's recipe, where the comment is.
      assert.deepEqual(analysis.diagnostics(recipe).map((d) => `${d.line} ${d.code}`), ['2 missing-template']);
      assert.deepEqual(codes(root).filter((c) => c.includes('default.rb')), ['cookbooks/app/recipes/default.rb:2 error missing-template']);
      fs.writeFileSync(recipe, "# cloche:disable-next-line missing-template\nlib_site 'x'\n");
      analysis.fileChanged(recipe, 'changed');
      assert.deepEqual(analysis.diagnostics(recipe), []);
      assert.deepEqual(codes(root), []);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});

describe('rule codes', () => {
  it('every code the source reports is listed once, with its explanation', () => {
    const src = path.resolve(__dirname, '../../server/src');
    const files: string[] = [];
    const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } };
    walk(path.join(src, 'chef'));
    walk(path.join(src, 'ruby'));
    files.push(path.join(src, 'runChoices.ts'));
    const emitted = new Set<string>();
    const patterns = [/code: '([a-z]+(?:-[a-z]+)+)'/g, /\.finding\('([a-z]+(?:-[a-z]+)+)'/g, /(?:diag|finding|problem)\([^;]*?, '(?:error|warning|info|hint)', '([a-z]+(?:-[a-z]+)+)'/g, /export const [A-Z_]+ = '([a-z]+(?:-[a-z]+)+)';/g];
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const re of patterns) for (const m of text.matchAll(re)) emitted.add(m[1]);
    }
    assert.ok(emitted.size > 25, [...emitted].join(', '));
    const missing = [...emitted].filter((c) => !RULE_CODES.has(c));
    assert.deepEqual(missing, [], 'codes reported but not in rules/ruleCodes.ts');
    for (const [code, why] of RULE_CODES) assert.ok(why.length > 20 && why.endsWith('.'), code);
  });
});

describe('the severity setting and the .cloche.json schema', () => {
  it('the setting reads levels it knows and drops the rest', () => {
    assert.deepEqual(readSettings({ diagnostics: { severity: { 'never-notified': 'off', 'unknown-property': 'warning', x: 'loud', y: 3 } } }).diagnostics.severity, { 'never-notified': 'off', 'unknown-property': 'warning' });
    assert.deepEqual(readSettings({ diagnostics: 'off' }).diagnostics.severity, {});
  });

  it('package.json and schemas/cloche.schema.json list every rule code (node --import tsx scripts/genRuleCodes.ts)', () => {
    const gen = require('../../scripts/genRuleCodes') as typeof import('../../scripts/genRuleCodes');
    const pkg = JSON.parse(fs.readFileSync(path.join(gen.ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['cloche.diagnostics.severity'], gen.severitySetting());
    assert.deepEqual(Object.keys(gen.severitySetting().properties as object).sort(), [...RULE_CODES.keys()].sort());
    assert.deepEqual(JSON.parse(fs.readFileSync(gen.SCHEMA_FILE, 'utf8')), gen.configSchema());
    assert.ok((pkg.contributes.jsonValidation as { fileMatch: string; url: string }[]).some((v) => v.fileMatch === '.cloche.json' && fs.existsSync(path.join(gen.ROOT, v.url))));
  });
});
