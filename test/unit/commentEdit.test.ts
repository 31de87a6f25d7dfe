/**
 * Typing in a comment keeps the cookbook's analysis (ruby/commentEdit.ts): only an edit inside one
 * comment that no evaluation reads, which leaves every line where it was, and that is not inside
 * source text Cloche may show. The Analysis keeps its compilation for those, and compiles again for
 * every other edit (a directive typed in a comment takes effect).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpdir } from 'node:os';
import { parseRuby } from '../../server/src/ruby/prism';
import { onlyCommentChanged } from '../../server/src/ruby/commentEdit';
import { Analysis } from '../../server/src/analysis';

const RECIPE = [
  '# Recipe header', // 1
  '# second line', // 2
  "file '/etc/a' do # trailing note", // 3
  '  # inside the resource block', // 4
  "  content 'a'", // 5
  '  only_if do', // 6
  '    # inside a guard', // 7
  "    ::File.exist?('/x')", // 8
  '  end', // 9
  'end', // 10
  '# between resources', // 11
  "package 'b'", // 12
  "if node['x'] || # inside a condition", // 13
  "   node['y']", // 14
  "  log 'c'", // 15
  'end', // 16
  'check = lambda do', // 17
  '  # inside a lambda', // 18
  '  1', // 19
  'end', // 20
  "service 'd' do", // 21
  '  action :nothing', // 22
  'end', // 23
].join('\n');

const edited = (from: string, to: string, text = RECIPE) => {
  assert.ok(text.includes(from), from);
  return onlyCommentChanged(parseRuby(text), parseRuby(text.replace(from, to)));
};

describe('onlyCommentChanged', () => {
  it('is true for words typed, changed or removed in a comment between or inside statements', () => {
    assert.equal(edited('# between resources', '# between resources!'), true);
    assert.equal(edited('# between resources', '# between'), true);
    assert.equal(edited('# between resources', '#'), true);
    assert.equal(edited('# trailing note', '# trailing notes here'), true);
    assert.equal(edited('# inside the resource block', '# inside the resource block: é ü'), true);
    assert.equal(edited(RECIPE, RECIPE), true, 'no change at all');
  });

  it('is false when the edit reaches code, or makes or unmakes a comment', () => {
    assert.equal(edited("package 'b'", "package 'bb'"), false);
    assert.equal(edited('# between resources', ' between resources'), false, 'the # removed');
    assert.equal(edited("package 'b'", "package 'b' # new"), false, 'a comment added after code');
    assert.equal(edited("package 'b'", "# package 'b'"), false, 'code commented out');
    assert.equal(edited("# trailing note", "x # trailing note"), false, 'code typed before the comment');
  });

  it('is false when a line is added or removed', () => {
    assert.equal(edited('# between resources', '# between\n# resources'), false);
    assert.equal(edited('# between resources\n', ''), false);
  });

  it('is false for comments Cloche or Ruby reads', () => {
    assert.equal(edited('# between resources', '# cloche:disable-next-line unknown-property'), false);
    assert.equal(edited('# between resources', '# CLOCHE'), false);
    assert.equal(edited('# second line', '# second line changed'), false, 'the first two lines may hold magic comments');
    assert.equal(edited('# between resources', '# frozen_string_literal: true'), false);
    const withDirective = RECIPE.replace('# between resources', '# cloche:disable-next-line unknown-resource');
    assert.equal(edited('unknown-resource', 'unknown-property', withDirective), false, 'a directive edited');
  });

  it('is false inside source Cloche may show as written: guard blocks, lambdas, conditions', () => {
    assert.equal(edited('# inside a guard', '# inside a guard block'), false);
    assert.equal(edited('# inside a lambda', '# inside a lambda!'), false);
    assert.equal(edited('# inside a condition', '# inside the condition'), false);
  });

  it('is false for a file that could not be parsed', () => {
    const deep = `${'['.repeat(3000)}${']'.repeat(3000)}\n# a\n# b\n# c\n`;
    assert.equal(onlyCommentChanged(parseRuby(deep), parseRuby(deep.replace('# c', '# cc'))), false);
  });
});

describe('the analysis keeps its compilation through comment edits', () => {
  it('reuses the analysis for a comment edit and compiles again for code, new lines and directives', () => {
    const root = fs.mkdtempSync(path.join(tmpdir(), 'cloche-comment-edit-'));
    try {
      fs.mkdirSync(path.join(root, 'app/recipes'), { recursive: true });
      fs.writeFileSync(path.join(root, 'app/metadata.rb'), "name 'app'\nversion '1.0.0'\n");
      const recipe = path.join(root, 'app/recipes/default.rb');
      const text = ['# header', '# more', "file '/a' do", '  contnt "x"', 'end', '# a note', "pakage 'b'"].join('\n');
      fs.writeFileSync(recipe, text);
      const analysis = new Analysis([root]);
      const now = () => analysis.diagnostics(recipe).map((d) => `${d.line} ${d.code}`);
      assert.deepEqual(now(), ['4 unknown-property', '7 unknown-resource']);
      const first = analysis.forFile(recipe);

      assert.deepEqual([...analysis.setText(recipe, text.replace('# a note', '# a longer note'))], []);
      assert.ok(analysis.isFresh(path.join(root, 'app')), 'a comment edit leaves the analysis current');
      assert.equal(analysis.forFile(recipe), first, 'the same analysis serves the file');
      assert.deepEqual(now(), ['4 unknown-property', '7 unknown-resource']);

      analysis.setText(recipe, text.replace('# a note', '# a\n# note'));
      assert.notEqual(analysis.forFile(recipe), first, 'a new line compiles again');
      assert.deepEqual(now(), ['4 unknown-property', '8 unknown-resource']);

      analysis.setText(recipe, text.replace('# a note', '# cloche:disable-next-line unknown-resource'));
      assert.deepEqual(now(), ['4 unknown-property'], 'a directive typed in a comment takes effect');

      analysis.setText(recipe, text.replace("pakage 'b'", "package 'b'"));
      assert.deepEqual(now(), ['4 unknown-property']);
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});
