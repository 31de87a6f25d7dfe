/**
 * Files holding the same text share one parse (ruby/prism.ts `parseShared`): `cloche diff` reads two
 * copies of a workspace and the background index a second one. What depends on the file, not the
 * text, stays the file's own: directives' locations, findings, `__FILE__`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';

const RECIPE = [
  '# cloche:disable-next-line not-a-rule',
  "file '/etc/one' do",
  '  contnt "x"',
  'end',
  "file \"/tmp/#{::File.basename(__FILE__)}-#{__FILE__.split('/')[-3]}\"",
].join('\n');

describe('parses shared by text', () => {
  it('gives two files of the same text one parse, and each its own directives, findings and __FILE__', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-shared-parse-'));
    try {
      for (const name of ['one', 'two']) {
        fs.mkdirSync(path.join(root, name, 'recipes'), { recursive: true });
        fs.writeFileSync(path.join(root, name, 'metadata.rb'), `name '${name}'\nversion '1.0.0'\n`);
        fs.writeFileSync(path.join(root, name, 'recipes/default.rb'), RECIPE);
      }
      const model = new Model([root]);
      const [a, b] = ['one', 'two'].map((n) => path.join(root, n, 'recipes/default.rb'));
      assert.equal(model.ws.parse(a), model.ws.parse(b), 'one parse for the same text');
      const facts = getPlatformProfile('debian-12')!;
      const found = checkPaths(model, [root], facts).map((d) => `${path.relative(root, d.file)}:${d.line} ${d.code}`).sort();
      assert.deepEqual(found, [
        'one/recipes/default.rb:1 unknown-rule-code', 'one/recipes/default.rb:3 unknown-property',
        'two/recipes/default.rb:1 unknown-rule-code', 'two/recipes/default.rb:3 unknown-property',
      ]);
      for (const n of ['one', 'two']) {
        const ids = model.compile([`${n}::default`], facts).resources.map((r) => r.id);
        assert.deepEqual(ids, ['file[/etc/one]', `file[/tmp/default.rb-${n}]`]);
      }
    } finally { fs.rmSync(root, { recursive: true, force: true }); }
  });
});
