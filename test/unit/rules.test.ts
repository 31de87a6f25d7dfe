// Each validation rule against the deliberate mistakes of test/fixtures/cookbooks/fx_errors, and
// against the clean fixtures, which must produce no errors at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile, listPlatformProfiles } from '../../server/src/chef/platforms';
import { RULES } from '../../server/src/chef/rules';

const COOKBOOKS = path.resolve(__dirname, '../fixtures/cookbooks');
const facts = getPlatformProfile('debian-12')!;
const model = new Model([COOKBOOKS]);
const diags = checkPaths(model, [path.join(COOKBOOKS, 'fx_errors')], facts);

const EXPECTED: [file: string, line: number, code: string, severity: string][] = [
  ['syntax_error.rb', 5, 'syntax-error', 'error'],
  ['unknown_resource.rb', 5, 'unknown-resource', 'error'],
  ['unknown_property.rb', 4, 'unknown-property', 'error'],
  ['wrong_type.rb', 4, 'invalid-property-value', 'error'],
  ['value_not_allowed.rb', 5, 'invalid-property-value', 'error'],
  ['unknown_action.rb', 4, 'unknown-action', 'error'],
  ['dangling_notification.rb', 10, 'dangling-notification', 'error'],
  ['dangling_subscription.rb', 6, 'dangling-notification', 'warning'],
  ['malformed_notification.rb', 10, 'malformed-notification', 'error'],
  ['missing_template.rb', 4, 'missing-template', 'error'],
  ['missing_cookbook_file.rb', 4, 'missing-cookbook-file', 'error'],
  ['missing_recipe.rb', 4, 'missing-recipe', 'error'],
  ['duplicate_resource.rb', 8, 'duplicate-resource', 'warning'],
  ['never_notified.rb', 9, 'never-notified', 'hint'],
  ['attribute_never_set.rb', 8, 'attribute-never-set', 'hint'],
  ['deprecated_property.rb', 7, 'deprecated-property', 'warning'],
];

for (const [file, line, code, severity] of EXPECTED) {
  test(`${code}: ${file}:${line}`, () => {
    const found = diags.find((d) => d.file.endsWith('/recipes/' + file) && d.line === line && d.code === code);
    assert.ok(found, `expected ${code} at ${file}:${line}; got ${diags.filter((d) => d.file.endsWith(file)).map((d) => `${d.line}:${d.code}`).join(', ') || 'nothing'}`);
    assert.equal(found.severity, severity);
  });
}

test('every rule has a stable code and a one-line explanation', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of RULES) assert.ok(r.explanation.length > 10 && !r.explanation.includes('\n'), r.code);
});

test('columns are UTF-16: the typo after non-ASCII text is found at its UTF-16 column', () => {
  const d = diags.find((x) => x.file.endsWith('non_ascii.rb') && x.code === 'unknown-resource');
  assert.ok(d);
  assert.equal(d.line, 3);
  assert.equal(d.column, 22); // 1-based; 21 UTF-16 units precede it (𝄞 counts twice)
});

test('a did-you-mean names the closest resource type', () => {
  const d = diags.find((x) => x.file.endsWith('unknown_resource.rb') && x.code === 'unknown-resource');
  assert.match(d!.message, /Did you mean 'package'/);
});

for (const platform of listPlatformProfiles()) {
  test(`clean fixtures have no errors on ${platform}`, () => {
    const f = getPlatformProfile(platform)!;
    const clean = ['fx_base', 'fx_custom', 'fx_wrapper', 'fx_community'].map((c) => path.join(COOKBOOKS, c));
    const errors = checkPaths(model, clean, f).filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.code} ${e.message}`), []);
  });
}

test('a dependency missing from the workspace is reported once, not as a cascade', () => {
  const wrapper = checkPaths(model, [path.join(COOKBOOKS, 'fx_wrapper')], facts);
  assert.equal(wrapper.filter((d) => d.code === 'dependency-not-in-workspace').length, 1);
  assert.equal(wrapper.filter((d) => d.severity === 'error').length, 0);
});

test('missing-partial: a `use` of a partial that does not exist is reported on the resource file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-partial-'));
  fs.mkdirSync(path.join(dir, 'cb/resources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'cb/recipes'));
  fs.writeFileSync(path.join(dir, 'cb/metadata.rb'), "name 'cb'\n");
  fs.writeFileSync(path.join(dir, 'cb/resources/thing.rb'), "use 'partials/_nope'\nproperty :x, String\naction :create do\nend\n");
  fs.writeFileSync(path.join(dir, 'cb/recipes/default.rb'), "cb_thing 'a'\n");
  const found = checkPaths(new Model([dir]), [path.join(dir, 'cb')], facts).filter((d) => d.code === 'missing-partial');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(found.length, 1);
  assert.match(found[0].file, /resources\/thing\.rb$/);
  assert.equal(found[0].line, 1);
});

/** The source text a diagnostic's `data.replace` points at. */
function textAt(loc: { file: string; line: number; column: number; endLine?: number; endColumn?: number }): string {
  const line = fs.readFileSync(loc.file, 'utf8').split('\n')[loc.line - 1];
  assert.equal(loc.endLine ?? loc.line, loc.line, 'a replacement stays on one line');
  return line.slice(loc.column - 1, (loc.endColumn ?? loc.column) - 1);
}

const FIXES: [file: string, code: string, written: string, suggestion: string][] = [
  ['unknown_resource.rb', 'unknown-resource', 'pakage', 'package'],
  ['non_ascii.rb', 'unknown-resource', 'pakage', 'package'],
  ['unknown_property.rb', 'unknown-property', 'contnt', 'content'],
  ['unknown_action.rb', 'unknown-action', 'strat', 'start'],
  ['dangling_notification.rb', 'dangling-notification', "'service[nope]'", 'service[rsyslog]'],
];

for (const [file, code, written, suggestion] of FIXES) {
  test(`${code} carries its did-you-mean as data (${file})`, () => {
    const d = diags.find((x) => x.file.endsWith('/recipes/' + file) && x.code === code);
    assert.ok(d?.data?.replace && d.data.suggestions, `${file}: ${JSON.stringify(d)}`);
    assert.equal(d.data.suggestions[0], suggestion);
    assert.equal(textAt(d.data.replace), written);
  });
}

for (const [file, code, created] of [['missing_template.rb', 'missing-template', 'templates/missing.conf.erb'], ['missing_cookbook_file.rb', 'missing-cookbook-file', 'files/fx-missing.sh']]) {
  test(`${code} names the file to create (${file})`, () => {
    const d = diags.find((x) => x.file.endsWith('/recipes/' + file) && x.code === code);
    assert.equal(d?.data?.create, path.join(COOKBOOKS, 'fx_errors', created));
  });
}

test('fix data: notification actions, the legacy default/ folder, another cookbook, and no data without a fix', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-data-'));
  try {
    const w = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    w('legacy/metadata.rb', "name 'legacy'\n");
    w('legacy/templates/default/present.erb', 'x\n');
    w('other/metadata.rb', "name 'other'\n");
    w('other/templates/kept.erb', 'x\n');
    w('legacy/recipes/default.rb', [
      "service 'web' do", '  action %i(enable strat)', 'end',
      "file '/x' do", "  notifies :restrat, 'service[web]', :immediately", 'end',
      "template '/a' do", "  source 'absent.erb'", 'end',
      "template '/b' do", "  source 'absent.erb'", "  cookbook 'other'", 'end',
      "zzqqxx_thing 'no suggestion' do", 'end',
    ].join('\n') + '\n');
    const found = checkPaths(new Model([dir]), [path.join(dir, 'legacy')], facts);
    const actions = found.filter((d) => d.code === 'unknown-action');
    assert.deepEqual(actions.map((d) => [textAt(d.data!.replace!), d.data!.suggestions![0]]), [['strat', 'start'], ['restrat', 'restart']]);
    assert.deepEqual(found.filter((d) => d.code === 'missing-template').map((d) => d.data?.create), [
      path.join(dir, 'legacy/templates/default/absent.erb'), path.join(dir, 'other/templates/absent.erb'),
    ]);
    const unknown = found.find((d) => d.code === 'unknown-resource');
    assert.ok(unknown, JSON.stringify(found.map((d) => d.code)));
    assert.equal(unknown.data, undefined);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

/** Writes a throwaway workspace; returns its folder. */
function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-bodies-'));
  for (const [rel, text] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); }
  return dir;
}

const WIDGET = [
  'property :path, String, name_property: true',
  "property :mode, String, default: '0644'",
  'property :enabled, [true, false], default: true',
  '',
  'action :create do',
  '  directory ::File.dirname(new_resource.path) do',
  '    recursiv true', // 7: unknown-property
  '    mode new_resource.mode',
  '  end',
  '  if new_resource.enabled',
  '    file new_resource.path do',
  '      action :craete', // 12: unknown-action (under an unknown condition)
  '    end',
  '  end',
  "  template new_resource.path do",
  "    source 'nowhere.erb'", // 16: not an error: looked up in the calling cookbook, unknown here
  '  end',
  "  template '/etc/explicit' do",
  "    source 'nowhere.erb'",
  "    cookbook 'cb'", // 20: an explicit cookbook: missing-template (on line 19)
  '  end',
  "  log 'x' do",
  '    level :verbose', // 23: invalid-property-value
  '  end',
  "  pakage 'x'", // 25: unknown-resource
  "  service 'x' do",
  "    notifies :restrat, 'service[x]'", // 27: unknown-action of a notification
  '  end',
  'end',
  '',
  'action :delete do',
  '  file new_resource.path do',
  "    sensitive 'yes'", // 33: invalid-property-value
  '    action :delete',
  '  end',
  'end',
].join('\n') + '\n';

const bodyFindings = (found: ReturnType<typeof checkPaths>) => found.filter((d) => d.file.endsWith('resources/widget.rb')).map((d) => `${d.line} ${d.code} ${d.severity}`);
const WIDGET_EXPECTED = ['7 unknown-property error', '12 unknown-action error', '19 missing-template error', '23 invalid-property-value error', '25 unknown-resource error', '27 unknown-action error', '33 invalid-property-value error'];

test('custom resource actions are checked even when no recipe uses the resource', () => {
  const dir = workspace({ 'cb/metadata.rb': "name 'cb'\n", 'cb/recipes/default.rb': "log 'nothing uses the widget'\n", 'cb/resources/widget.rb': WIDGET });
  try {
    assert.deepEqual(bodyFindings(checkPaths(new Model([dir]), [path.join(dir, 'cb')], facts)), WIDGET_EXPECTED);
    // A cookbook with no recipes at all (a resource cookbook) too.
    fs.rmSync(path.join(dir, 'cb/recipes'), { recursive: true });
    assert.deepEqual(bodyFindings(checkPaths(new Model([dir]), [path.join(dir, 'cb')], facts)), WIDGET_EXPECTED);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a used custom resource: findings of its actions are reported once, with the run’s values where it has them', () => {
  const dir = workspace({
    'cb/metadata.rb': "name 'cb'\n",
    'cb/recipes/default.rb': "cb_widget '/srv/a/b' do\n  enabled false\nend\n",
    'cb/resources/widget.rb': WIDGET,
  });
  try {
    const found = checkPaths(new Model([dir]), [path.join(dir, 'cb')], facts);
    // The run knows the caller (cb), so the template without a cookbook is missing there (line 16).
    assert.deepEqual(bodyFindings(found), [...WIDGET_EXPECTED.slice(0, 2), '16 missing-template error', ...WIDGET_EXPECTED.slice(2)]);
    assert.equal(new Set(found.map((d) => `${d.file}:${d.line}:${d.column}:${d.code}`)).size, found.length, 'no finding twice');
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a custom resource provided only on other platforms is not checked on this one', () => {
  const rhelOnly = "provides :cb_pkg, platform_family: 'rhel'\nproperty :name2, String\naction :create do\n  dnf_package 'x' do\n    flush_cach true\n  end\nend\n";
  const dir = workspace({ 'cb/metadata.rb': "name 'cb'\n", 'cb/resources/pkg.rb': rhelOnly });
  try {
    const on = (p: string) => checkPaths(new Model([dir]), [path.join(dir, 'cb')], getPlatformProfile(p)!).filter((d) => d.file.endsWith('pkg.rb')).map((d) => d.code);
    assert.deepEqual(on('debian-12'), []);
    assert.deepEqual(on('almalinux-9'), ['unknown-property']);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('template sources in custom resource actions are looked up in the calling cookbook, as Chef does', () => {
  const files = {
    'lib/metadata.rb': "name 'lib'\n",
    'lib/templates/conf.erb': 'x\n',
    'lib/resources/conf.rb': "property :path, String, name_property: true\naction :create do\n  template new_resource.path do\n    source 'conf.erb'\n  end\nend\n",
    'app/metadata.rb': "name 'app'\ndepends 'lib'\n",
    'app/recipes/default.rb': "lib_conf '/etc/app.conf'\n",
  };
  const dir = workspace(files);
  try {
    const run = () => { const m = new Model([dir]); return m.diagnostics(m.compile(['app::default'], facts)).filter((d) => d.code === 'missing-template'); };
    const missing = run();
    assert.equal(missing.length, 1);
    assert.match(missing[0].message, /not found in app\/templates\//);
    assert.equal(missing[0].data?.create, path.join(dir, 'app/templates/conf.erb'));
    fs.mkdirSync(path.join(dir, 'app/templates'));
    fs.writeFileSync(path.join(dir, 'app/templates/conf.erb'), 'y\n');
    assert.deepEqual(run(), []);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('attribute-never-set finds reads anywhere a recipe has them, heredoc bodies included', () => {
  const dir = workspace({
    'cb/metadata.rb': "name 'cb'\n",
    'cb/attributes/default.rb': "default['cb']['set'] = 1\n",
    'cb/recipes/default.rb': [
      "bash 'x' do",
      '  code <<~EOH',
      "    echo #{node['cb']['in_heredoc']} #{node['cb']['set']}",
      '  EOH',
      'end',
      "log node.dig('cb', 'via_dig')",
      "x = [1] << node['cb']['after_shovel']",
      "log 'node' if x",
    ].join('\n') + '\n',
  });
  try {
    const found = checkPaths(new Model([dir]), [path.join(dir, 'cb')], facts).filter((d) => d.code === 'attribute-never-set');
    assert.deepEqual(found.map((d) => `${d.line}:${d.column} ${d.message.split(' ')[0]}`), [
      "3:12 node['cb']['in_heredoc']", "6:5 node['cb']['via_dig']", "7:12 node['cb']['after_shovel']",
    ]);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});
