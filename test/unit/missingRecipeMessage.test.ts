/**
 * A missing recipe's message names at most three close recipes (the named cookbook's and the other
 * cookbooks' of the world, by edit distance), never the cookbook's whole list or a path; the
 * quick fixes keep reading `data.suggestions`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-missing-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('the missing-recipe message', () => {
  it('did you mean: the close recipes of the cookbook and of the workspace, not a list of a hundred', () => {
    const files: Record<string, string> = {
      'web/metadata.rb': "name 'web'\nversion '1.0.0'\ndepends 'web_tls'\n",
      'web/recipes/default.rb': "include_recipe 'web::mod_sl'\ninclude_recipe 'web::hardening'\n",
      'web_tls/metadata.rb': "name 'web_tls'\nversion '1.0.0'\n",
      'web_tls/recipes/hardening.rb': "log 'tls'\n",
    };
    for (const r of ['mod_ssl', 'mod_php', 'mod_proxy', 'd', ...Array.from({ length: 100 }, (_, i) => `module_${i}`)]) files[`web/recipes/${r}.rb`] = `log '${r}'\n`;
    const dir = workspace(files);
    const c = new Model([dir]).compile(['web::default'], getPlatformProfile('debian-12')!);
    const messages = c.findings.filter((f) => f.code === 'missing-recipe').map((f) => f.message);
    assert.deepEqual(messages, [
      'Recipe web::mod_sl does not exist; did you mean web::mod_ssl or web::mod_php?',
      'Recipe web::hardening does not exist; did you mean web_tls::hardening?',
    ]);
    for (const m of messages) assert.ok(!m.includes(dir) && !/module_\d/.test(m) && m.length < 120, m);
    const first = c.findings.find((f) => f.code === 'missing-recipe')!;
    assert.deepEqual(first.data?.suggestions, ['mod_ssl', 'mod_php', 'd'], "the quick fix's names stay in data.suggestions");
  });
});
