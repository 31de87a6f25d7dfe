/**
 * Completing a notification target (`notifies :restart, 'service[|]'`) offers the resources of this
 * recipe's run first, nearest first, and the cookbook's other recipes' resources after, said so;
 * the resource being written is not offered to itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Analysis } from '../../server/src/analysis';
import { complete } from '../../server/src/lang/completion';
import type { FileView } from '../../server/src/lang/types';

const DEFAULT = [
  "include_recipe 'cb::service'",
  '',
  "file '/etc/far' do",
  "  content 'far'",
  'end',
  '',
  "file '/etc/near' do",
  "  content 'near'",
  'end',
  '',
  "template '/etc/app.conf' do",
  "  source 'app.conf.erb'",
  "  notifies :restart, 'CURSOR",
  'end',
  '',
  "file '/etc/below' do",
  "  content 'below'",
  'end',
  '',
].join('\n');

describe('notification target completion', () => {
  it("offers this run's resources first, nearest first, then the other recipes' runs", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-targets-'));
    const files: Record<string, string> = {
      'cb/metadata.rb': "name 'cb'\nversion '1.0.0'\n",
      'cb/templates/app.conf.erb': 'x\n',
      'cb/recipes/default.rb': DEFAULT.replace('CURSOR', "'"),
      'cb/recipes/service.rb': "service 'app' do\n  action [:enable, :start]\nend\n",
      'cb/recipes/other.rb': "service 'unrelated'\nfile '/etc/aaa-other'\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const analysis = new Analysis([root]);
    const file = path.join(root, 'cb/recipes/default.rb');
    const view: FileView = { file, text: analysis.ws.readFile(file)!, parsed: analysis.ws.parse(file), analysis: analysis.forFile(file), model: analysis.modelFor(file), facts: analysis.factsFor(file) };
    const lines = DEFAULT.split('\n');
    const line = lines.findIndex((l) => l.includes('CURSOR'));
    const entries = complete(view, { line, character: lines[line].indexOf('CURSOR') });
    const order = [...entries].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((e) => e.label);
    assert.deepEqual(order.filter((l) => !l.endsWith('[]')), [
      'file[/etc/below]', 'file[/etc/near]', 'file[/etc/far]', // this file, by lines from the cursor
      'service[app]', // this run, from the included recipe
      'file[/etc/aaa-other]', 'service[unrelated]', // another recipe's run
    ]);
    assert.ok(!order.includes('template[/etc/app.conf]'), 'the resource being written is not its own target');
    assert.match(entries.find((e) => e.label === 'service[unrelated]')!.detail!, /another recipe's run/);
    assert.doesNotMatch(entries.find((e) => e.label === 'service[app]')!.detail!, /another/);
  });
});
