/**
 * A custom resource of one cookbook, used by another, whose action goes wrong because of the call
 * (its template is looked up in the calling cookbook): the finding is reported at the call site in the
 * caller's recipe — by `cloche check` and by the language server's analysis — and not in the
 * resource's own file, where nothing could be done about it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Analysis } from '../../server/src/analysis';
import { checkPaths } from '../../server/src/chef/check';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';

function workspace(): { root: string; recipe: string; resource: string; template: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'cloche-callsite-'));
  const write = (rel: string, text: string) => { mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); writeFileSync(path.join(root, rel), text); };
  write('lib/metadata.rb', "name 'lib'\nversion '1.0.0'\n");
  write('lib/resources/site.rb', [
    "property :port, Integer, default: 80",
    "",
    "action :create do",
    "  template \"/etc/site-#{new_resource.name}.conf\" do",
    "    source 'site.conf.erb'",
    "    variables(port: new_resource.port)",
    "  end",
    "end",
    ""].join('\n'));
  write('app/metadata.rb', "name 'app'\nversion '1.0.0'\ndepends 'lib'\n");
  write('app/recipes/default.rb', "lib_site 'main' do\n  port 8080\nend\n");
  return { root, recipe: path.join(root, 'app/recipes/default.rb'), resource: path.join(root, 'lib/resources/site.rb'), template: path.join(root, 'app/templates/site.conf.erb') };
}

describe('findings caused by a call are reported at the call site', () => {
  it('cloche check: a template missing from the calling cookbook is an error on the call, not on the resource', () => {
    const ws = workspace();
    try {
      const facts = getPlatformProfile('debian-12')!;
      const found = checkPaths(new Model([ws.root]), [ws.root], facts).filter((d) => d.code === 'missing-template');
      assert.deepEqual(found.map((d) => [path.relative(ws.root, d.file), d.line]), [['app/recipes/default.rb', 1]]);
      assert.match(found[0].message, /in template\[\/etc\/site-main\.conf\], which lib_site\[main\] declares at resources\/site\.rb:5/);
      assert.equal(found[0].related?.[0].location.file, ws.resource);
      assert.equal(found[0].data?.create, ws.template, 'the quick fix still knows which file to create');
      // Checking only the resource's cookbook: nothing to say there (no caller).
      assert.deepEqual(checkPaths(new Model([ws.root]), [path.join(ws.root, 'lib')], facts).filter((d) => d.severity === 'error'), []);
      // With the template in the caller's cookbook, the finding goes away.
      mkdirSync(path.dirname(ws.template), { recursive: true });
      writeFileSync(ws.template, 'listen <%= @port %>;\n');
      assert.deepEqual(checkPaths(new Model([ws.root]), [ws.root], facts).filter((d) => d.code === 'missing-template'), []);
    } finally { rmSync(ws.root, { recursive: true, force: true }); }
  });

  it('language server analysis: the caller\'s recipe carries it', () => {
    const ws = workspace();
    try {
      const analysis = new Analysis([ws.root]);
      const app = analysis.cookbook(path.join(ws.root, 'app'))!;
      assert.deepEqual((app.diagnostics.get(ws.recipe) ?? []).map((d) => [d.code, d.line]), [['missing-template', 1]]);
      const lib = analysis.cookbook(path.join(ws.root, 'lib'))!;
      assert.deepEqual([...lib.diagnostics.values()].flat().filter((d) => d.severity === 'error'), []);
    } finally { rmSync(ws.root, { recursive: true, force: true }); }
  });
});
