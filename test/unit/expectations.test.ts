// Every fixture cookbook (and the example) through the model: diagnostics and the graph, compared
// with stored expectations. Regenerate with UPDATE_EXPECTATIONS=1 after a deliberate change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { toText } from '../../server/src/chef/graphFormats';

const ROOT = path.resolve(__dirname, '../..');
const EXPECT = path.join(ROOT, 'test/expectations/model');
const COOKBOOKS = [
  ...fs.readdirSync(path.join(ROOT, 'test/fixtures/cookbooks')).map((n) => path.join(ROOT, 'test/fixtures/cookbooks', n)),
  path.join(ROOT, 'examples/webserver'),
];
const rel = (s: string) => s.split(ROOT + '/').join('');

function compare(name: string, actual: string): void {
  const file = path.join(EXPECT, name);
  if (process.env.UPDATE_EXPECTATIONS) { fs.mkdirSync(EXPECT, { recursive: true }); fs.writeFileSync(file, actual); return; }
  assert.ok(fs.existsSync(file), `missing expectation ${rel(file)}; run with UPDATE_EXPECTATIONS=1`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from its stored expectation`);
}

for (const platform of ['debian-12', 'almalinux-9']) {
  const facts = getPlatformProfile(platform)!;
  for (const dir of COOKBOOKS) {
    const name = path.basename(dir);
    test(`${name} on ${platform}: diagnostics and graph match expectations`, () => {
      const model = new Model([path.dirname(dir)]);
      const diags = checkPaths(model, [dir], facts);
      compare(`${name}.${platform}.diagnostics.txt`, diags.map((d) => `${rel(d.file)}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code}: ${rel(d.message)}`).join('\n') + '\n');
      const runList = model.runListFor(dir)!;
      compare(`${name}.${platform}.graph.txt`, rel(toText(model.graph(model.compile(runList, facts), runList))));
    });
  }
}
