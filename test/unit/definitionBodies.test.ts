/**
 * Definitions are checked whether or not a recipe calls them: their body runs for a call nobody made
 * (`params` unknown), so a misspelt property or action is found, and values taken from `params` are
 * never errors.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { checkPaths } from '../../server/src/chef/check';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';

it('an unused definition gets the findings of what it declares, and none for params-driven values', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cloche-definition-'));
  try {
    mkdirSync(path.join(root, 'site', 'definitions'), { recursive: true });
    writeFileSync(path.join(root, 'site', 'metadata.rb'), "name 'site'\nversion '1.0.0'\n");
    const def = path.join(root, 'site', 'definitions', 'vhost.rb');
    writeFileSync(def, [
      "define :site_vhost, port: 80, enable: true do",
      "  directory \"/srv/#{params[:name]}\" do",
      "    owner params[:owner]",
      "    mode params[:mode]",
      "    colour 'blue'",
      "  end",
      "  if params[:enable]",
      "    service 'nginx' do",
      "      action :restart_now",
      "    end",
      "  end",
      "end",
      ""].join('\n'));
    const found = checkPaths(new Model([root]), [root], getPlatformProfile('debian-12')!).filter((d) => d.severity === 'error');
    assert.deepEqual(found.map((d) => [path.basename(d.file), d.line, d.code]), [['vhost.rb', 5, 'unknown-property'], ['vhost.rb', 9, 'unknown-action']]);
  } finally { rmSync(root, { recursive: true, force: true }); }
});
