// The "Run Changes" tree rows of Compare Run with HEAD (client/src/runDiffTree.ts) from a RunDiff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDiffRows } from '../../client/src/runDiffTree';
import type { RunDiff } from '../../server/src/protocol';

const loc = (line: number) => ({ file: '/repo/web/recipes/default.rb', line, column: 1 });

const diff: RunDiff = {
  from: { label: 'HEAD', commit: 'abc', platform: 'debian-12', runList: ['web::default'] },
  to: { label: 'working tree', platform: 'debian-12', runList: ['web::default'] },
  added: [{ id: 'file[/etc/motd]', type: 'file', resolvedType: 'file', actions: ['create'], location: loc(20) }],
  removed: [{ id: 'package[old]', type: 'package', resolvedType: 'apt_package', actions: ['install'], location: loc(1) }],
  changed: [
    {
      id: 'template[/etc/app.conf]', type: 'template', status: 'changed', fromLocation: loc(3), toLocation: loc(4),
      fields: [{ field: 'property', name: 'mode', status: 'changed', from: '0644', to: '0600' }],
      notifications: [{ status: 'added', kind: 'notifies', action: 'reload', target: 'service[nginx]', timing: 'delayed' }],
      content: { status: 'changed', patch: '--- a\n+++ b\n', from: 'a\n', to: 'b\n' },
    },
    {
      id: 'file[/etc/ip]', type: 'file', status: 'may-change', fromLocation: loc(9), toLocation: loc(9),
      fields: [{ field: 'property', name: 'owner', status: 'may-change', from: { $unknown: 'why' }, to: { $unknown: 'why' }, reason: 'why' }],
      notifications: [],
    },
  ],
  order: [{ source: 'file[/etc/banner]', target: 'service[nginx]', kind: 'notifies', action: 'restart', timing: 'immediately', fromFirst: 'source', toFirst: 'target' }],
  summary: { added: 1, removed: 1, changed: 1, mayChange: 1, unchanged: 0, order: 1 },
};

test('one row per resource, the changes as children linked to the new side\'s line, the old side\'s line as "before"', () => {
  const rows = runDiffRows(diff);
  assert.deepEqual(rows.map((r) => [r.kind, r.label]), [['added', 'file[/etc/motd]'], ['removed', 'package[old]'], ['changed', 'template[/etc/app.conf]'], ['may-change', 'file[/etc/ip]'], ['order', 'file[/etc/banner] → service[nginx]']]);
  assert.equal(rows[0].location!.line, 20);
  assert.match(rows[1].description!, /was recipes\/default\.rb:1/);
  const template = rows[2];
  assert.equal(template.location!.line, 4);
  assert.deepEqual(template.children!.map((c) => [c.label, c.description]), [['mode', '"0644" → "0600"'], ['notifies :reload service[nginx]', 'delayed: gained'], ['content', 'changed (open the diff)'], ['before', 'at recipes/default.rb:3']]);
  assert.equal(template.children![2].contentOf, 0);
  assert.deepEqual([template.children![3].location!.line, template.children![3].side], [3, 'from'], 'the baseline\'s line, opened on its side');
  assert.equal(rows[1].side, 'from', 'a removed resource is on the baseline\'s side');
  assert.equal(rows[3].children!.at(-1)!.description, 'same line');
  const ip = rows[3].children![0];
  assert.deepEqual([ip.kind, ip.description, ip.tooltip], ['may-change', 'may change', 'why']);
  assert.match(rows[4].description!, /file\[\/etc\/banner\] first, now service\[nginx\] first/);
});
