/**
 * Each quick fix's edit, from the finding's data: did-you-mean (recipe names, rule codes), a deprecated
 * property's successor, a missing template filled from the resource's variables, a missing recipe, a
 * missing `depends`, the other declaration of a duplicate, and disabling a finding for its line or file.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { Analysis } from '../../server/src/analysis';
import { codeActions, type Action, type DiagnosticRef } from '../../server/src/lang/codeActions';
import type { FileView } from '../../server/src/lang/types';
import { spanOf } from '../../server/src/lang/types';
import type { Diagnostic } from '../../server/src/protocol';

const FIXTURES = path.resolve(__dirname, '../fixtures/cookbooks');

function viewOf(analysis: Analysis, file: string): FileView {
  return { file, text: analysis.ws.readFile(file)!, parsed: file.endsWith('.rb') ? analysis.ws.parse(file) : undefined, analysis: analysis.forFile(file), model: analysis.modelFor(file), facts: analysis.factsFor(file) };
}

const ref = (d: Diagnostic): DiagnosticRef => ({ code: d.code, span: spanOf(d), data: d.data });

/** The actions for the finding of `code` in a file, and the file's finding. */
function actionsFor(analysis: Analysis, file: string, code: string): { actions: Action[]; diag: Diagnostic } {
  const diag = analysis.diagnostics(file).find((d) => d.code === code);
  assert.ok(diag, `${path.basename(file)}: no ${code} in ${analysis.diagnostics(file).map((d) => d.code).join(', ')}`);
  const view = viewOf(analysis, file);
  return { actions: codeActions(view, spanOf(diag), [ref(diag)]), diag };
}

/** A text with the action's changes to it applied. */
function apply(text: string, a: Action, file: string): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const changes = a.changes.filter((c) => c.file === file).sort((x, y) => offset(y.span.start) - offset(x.span.start));
  for (const c of changes) text = text.slice(0, offset(c.span.start)) + c.newText + text.slice(offset(c.span.end));
  return text;
}

describe('quick fixes of the fixture findings', () => {
  let analysis: Analysis;
  const recipe = (name: string) => path.join(FIXTURES, 'fx_errors/recipes', name);
  before(() => { analysis = new Analysis([FIXTURES]); });

  it('a missing template is created with a line per variable the resource passes', () => {
    const { actions } = actionsFor(analysis, recipe('missing_template.rb'), 'missing-template');
    const create = actions.find((a) => a.create);
    assert.equal(create?.title, 'Create templates/missing.conf.erb');
    assert.equal(create?.create?.file, path.join(FIXTURES, 'fx_errors/templates/missing.conf.erb'));
    assert.equal(create?.create?.content, '<%# Rendered by Chef for recipes/missing_template.rb %>\n<%= @port %>\n');
  });

  it('a deprecated property with a successor is replaced by it', () => {
    const file = recipe('deprecated_property.rb');
    const { actions, diag } = actionsFor(analysis, file, 'deprecated-property');
    assert.match(diag.message, /Use 'visudo_binary'/);
    const fix = actions.find((a) => a.title === "Replace deprecated 'visudo_path' with 'visudo_binary'");
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.equal(fix.preferred, true);
    assert.match(apply(fs.readFileSync(file, 'utf8'), fix, file), /\n {2}visudo_binary '\/usr\/sbin\/visudo'\n/);
  });

  it('a missing recipe: create it, or include one of the three closest recipes', () => {
    const file = recipe('missing_recipe.rb');
    const { actions } = actionsFor(analysis, file, 'missing-recipe');
    const titles = actions.map((a) => a.title);
    const create = actions.find((a) => a.create);
    assert.equal(create?.title, 'Create recipe fx_errors::not_there (recipes/not_there.rb)');
    assert.equal(create?.create?.file, path.join(FIXTURES, 'fx_errors/recipes/not_there.rb'));
    assert.equal(create?.create?.content, '#\n# Cookbook:: fx_errors\n# Recipe:: not_there\n#\n');
    const includes = actions.filter((a) => a.title.startsWith('Include recipe'));
    assert.equal(includes.length, 3, titles.join(', '));
    for (const a of includes) {
      const m = /^Include recipe '([\w.-]+)' instead of 'not_there'$/.exec(a.title);
      assert.ok(m && fs.existsSync(path.join(FIXTURES, 'fx_errors/recipes', `${m[1]}.rb`)), a.title);
      assert.match(apply(fs.readFileSync(file, 'utf8'), a, file), new RegExp(`\ninclude_recipe 'fx_errors::${m[1]}'\n`));
    }
  });

  it('a duplicate resource reveals the other declaration', () => {
    const { actions } = actionsFor(analysis, recipe('duplicate_resource.rb'), 'duplicate-resource');
    const go = actions.find((a) => a.reveal);
    assert.equal(go?.title, 'Go to the other declaration (recipes/duplicate_resource.rb:2)');
    assert.deepEqual([go?.reveal?.file, go?.reveal?.line], [recipe('duplicate_resource.rb'), 2]);
    assert.deepEqual(go?.changes, []);
  });

  it('every finding can be disabled for its line (above it, indented as it is) or for its file', () => {
    const file = recipe('unknown_property.rb');
    const text = fs.readFileSync(file, 'utf8');
    const { actions } = actionsFor(analysis, file, 'unknown-property');
    const line = actions.find((a) => a.title === 'Disable unknown-property for this line')!;
    const whole = actions.find((a) => a.title === 'Disable unknown-property in this file')!;
    assert.ok(line && whole, actions.map((a) => a.title).join(', '));
    assert.match(apply(text, line, file), /\n {2}# cloche:disable-next-line unknown-property\n {2}contnt "hello\\n"\n/);
    assert.ok(apply(text, whole, file).startsWith('# cloche:disable unknown-property\n# Recipe:: unknown_property\n'));
  });
});

describe('quick fixes in a workspace of their own', () => {
  let root: string;
  let analysis: Analysis;
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
  before(() => {
    root = fs.mkdtempSync(path.join(tmpdir(), 'cloche-fixes-'));
    write('lib/metadata.rb', "name 'lib'\nversion '1.0.0'\n");
    write('lib/recipes/default.rb', "log 'lib'\n");
    write('other/metadata.rb', "name 'other'\nversion '1.0.0'\n");
    write('other/recipes/default.rb', "log 'other'\n");
    write('app/metadata.rb', "name 'app'\nversion '1.0.0'\ndepends \"other\"\n\nsupports 'debian'\n");
    write('app/recipes/default.rb', [
      '# frozen_string_literal: true',
      "include_recipe 'other'",
      "include_recipe 'lib::default'",
      'if true',
      "  file '/etc/a' do",
      '    # cloche:disable-next-line never-notified',
      '    contnt <<~EOS',
      '      #{1}',
      '    EOS',
      '    contnt "b"',
      '  end',
      'end',
      "service 'x' do",
      '  action :strat # cloche:disable-line unknown-acton',
      'end',
      '',
    ].join('\n'));
    write('app/templates/t.erb', '<%# header %>\nport <%= @port %>\n');
    write('app/recipes/typo.rb', "include_recipe 'othr::default'\n");
    analysis = new Analysis([root]);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a cookbook the run uses without depends: the line is added after the last depends, in its quotes', () => {
    const file = path.join(root, 'app/recipes/default.rb');
    const { actions } = actionsFor(analysis, file, 'dependency-not-in-workspace');
    const add = actions.find((a) => a.title.startsWith('Add depends'));
    assert.equal(add?.title, 'Add depends "lib" to app\'s metadata.rb');
    const metadata = path.join(root, 'app/metadata.rb');
    assert.equal(apply(fs.readFileSync(metadata, 'utf8'), add!, metadata), "name 'app'\nversion '1.0.0'\ndepends \"other\"\ndepends \"lib\"\n\nsupports 'debian'\n");
  });

  it('a cookbook nowhere in the workspace that is close to one: did you mean', () => {
    const file = path.join(root, 'app/recipes/typo.rb');
    const { actions, diag } = actionsFor(analysis, file, 'dependency-not-in-workspace');
    assert.match(diag.message, /Cookbook 'othr' is not in the workspace.*Did you mean 'other'\?/);
    assert.deepEqual(actions.filter((a) => !a.title.startsWith('Disable')).map((a) => a.title), ["Change 'othr' to 'other'"]);
    assert.equal(apply(fs.readFileSync(file, 'utf8'), actions[0], file), "include_recipe 'other::default'\n");
  });

  it('without depends lines, after version; without version, at the end', () => {
    const { addDependsEdit } = { addDependsEdit: (meta: string) => {
      fs.writeFileSync(path.join(root, 'app/metadata.rb'), meta);
      const file = path.join(root, 'app/recipes/default.rb');
      analysis.fileChanged(path.join(root, 'app/metadata.rb'), 'changed');
      const d = analysis.diagnostics(file).find((x) => x.code === 'dependency-not-in-workspace' && x.message.includes("'lib'"))!;
      const a = codeActions(viewOf(analysis, file), spanOf(d), [ref(d)]).find((x) => x.title.startsWith('Add depends'))!;
      return apply(meta, a, path.join(root, 'app/metadata.rb'));
    } };
    assert.equal(addDependsEdit("name 'app'\nversion '1.0.0'\nsupports 'debian'\n"), "name 'app'\nversion '1.0.0'\ndepends 'lib'\nsupports 'debian'\n");
    assert.equal(addDependsEdit("name 'app'"), "name 'app'\ndepends 'lib'\n");
  });

  it('the line comment joins one already above the line, and the file comment stays after the magic comment', () => {
    const file = path.join(root, 'app/recipes/default.rb');
    const text = fs.readFileSync(file, 'utf8');
    const { actions } = actionsFor(analysis, file, 'unknown-property');
    const d = analysis.diagnostics(file).filter((x) => x.code === 'unknown-property');
    assert.deepEqual(d.map((x) => x.line), [7, 10]);
    const first = codeActions(viewOf(analysis, file), spanOf(d[0]), [ref(d[0])]).find((a) => a.title === 'Disable unknown-property for this line')!;
    assert.match(apply(text, first, file), /\n {4}# cloche:disable-next-line never-notified, unknown-property\n {4}contnt <<~EOS\n/);
    const whole = actions.find((a) => a.title === 'Disable unknown-property in this file')!;
    assert.ok(apply(text, whole, file).startsWith('# frozen_string_literal: true\n# cloche:disable unknown-property\ninclude_recipe'));
  });

  it('no line comment inside a heredoc (it would become text); the file comment is still offered', () => {
    const file = path.join(root, 'app/recipes/default.rb');
    const text = fs.readFileSync(file, 'utf8').replace('      #{1}', '      #{1}\n    contnt "c"\n      more');
    analysis.setText(file, text);
    try {
      const inside: Diagnostic = { file, line: 9, column: 5, endLine: 9, endColumn: 11, severity: 'error', code: 'unknown-property', message: 'x' };
      const titles = codeActions(viewOf(analysis, file), spanOf(inside), [ref(inside)]).map((a) => a.title);
      assert.deepEqual(titles.filter((t) => t.startsWith('Disable')), ['Disable unknown-property in this file']);
    } finally { analysis.setText(file, undefined); }
  });

  it('an unknown code in a disable comment is changed to the code it is close to', () => {
    const file = path.join(root, 'app/recipes/default.rb');
    const { actions } = actionsFor(analysis, file, 'unknown-rule-code');
    const fix = actions.find((a) => a.title === "Change 'unknown-acton' to 'unknown-action'");
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    assert.match(apply(fs.readFileSync(file, 'utf8'), fix, file), /action :strat # cloche:disable-line unknown-action\n/);
  });

  it('in a template the comments are ERB comment tags; a syntax error gets none', () => {
    const file = path.join(root, 'app/templates/t.erb');
    const d: Diagnostic = { file, line: 2, column: 6, endLine: 2, endColumn: 10, severity: 'warning', code: 'never-notified', message: 'x' };
    const actions = codeActions(viewOf(analysis, file), spanOf(d), [ref(d), ref(d)]);
    assert.deepEqual(actions.map((a) => a.title), ['Disable never-notified for this line', 'Disable never-notified in this file'], 'once per code and line');
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(apply(text, actions[0], file), '<%# header %>\n<%# cloche:disable-next-line never-notified %>\nport <%= @port %>\n');
    assert.equal(apply(text, actions[1], file), '<%# cloche:disable never-notified %>\n<%# header %>\nport <%= @port %>\n');
    // A syntax error gets none: the file is not read past it anyway.
    const recipe = path.join(root, 'app/recipes/default.rb');
    const syntax: Diagnostic = { file: recipe, line: 2, column: 1, endLine: 2, endColumn: 5, severity: 'error', code: 'syntax-error', message: 'x' };
    assert.deepEqual(codeActions(viewOf(analysis, recipe), spanOf(syntax), [ref(syntax)]).map((a) => a.title), []);
  });
});
