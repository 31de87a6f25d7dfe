// A runaway recipe stops where its budgets run out, and its cookbook's other recipes are still
// analysed: each run-list entry of a compilation has step and allocation budgets of its own.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';

const debian = getPlatformProfile('debian-12')!;

/** `cloche check` findings of a cookbook whose default recipe is `runaway`, beside a valid recipe with one finding. */
function check(runaway: string): { code: string; file: string }[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-entry-budgets-'));
  const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
  write('cb/metadata.rb', "name 'cb'\nversion '1.0.0'\n");
  write('cb/recipes/default.rb', runaway);
  write('cb/recipes/valid.rb', "file '/tmp/valid' do\n  modee '0644'\nend\n");
  return checkPaths(new Model([root]), [root], debian).map((d) => ({ code: d.code, file: path.relative(root, d.file) }));
}

describe('budgets per run-list entry', () => {
  it('a recipe that exhausts the step budget leaves the next recipe analysed', () => {
    const found = check('f = ->(k) { k > 0 ? f.(k - 1) + f.(k - 1) : 1 }\nx = f.(40)\n');
    assert.ok(found.some((d) => d.code === 'evaluation-budget' && d.file === 'cb/recipes/default.rb'), JSON.stringify(found));
    assert.ok(found.some((d) => d.code === 'unknown-property' && d.file === 'cb/recipes/valid.rb'), JSON.stringify(found));
    assert.ok(!found.some((d) => d.code === 'evaluation-budget' && d.file === 'cb/recipes/valid.rb'));
  });

  it('a recipe that exhausts the allocation budget leaves the next recipe analysed', () => {
    const found = check("x = []\n3000.times { x << ('a' * 1_000_000).upcase }\n");
    assert.ok(found.some((d) => d.code === 'evaluation-budget' && d.file === 'cb/recipes/default.rb'), JSON.stringify(found));
    assert.ok(found.some((d) => d.code === 'unknown-property' && d.file === 'cb/recipes/valid.rb'), JSON.stringify(found));
  });
});
