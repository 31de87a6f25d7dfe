// What an editor comparison asks for (client/src/runComparison.ts): the working side from the
// server, the baseline from the server or the CLI with the same run inputs, labels, and the marks
// the graph draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baselineRequest, comparisonLabels, graphRunDiff, workingParams } from '../../client/src/runComparison';
import type { RunDiff } from '../../server/src/protocol';

const uri = 'file:///repo/web/recipes/default.rb';
const subject = '/repo/web/recipes/default.rb';

test('working side: the document\'s run with content, the picked suite\'s when one is picked', () => {
  assert.deepEqual(workingParams(uri, undefined), { uri, withContent: true });
  assert.deepEqual(workingParams(uri, { suite: 'web', kitchenPlatform: 'debian-12' }), { uri, withContent: true, suite: { suite: 'web', platform: 'debian-12' } });
});

test('a revision baseline: the CLI at that commit, on the working side\'s platform, with the same suite and settings', () => {
  const r = baselineRequest({ kind: 'revision', revision: 'HEAD', commit: 'c0ffee', repo: '/repo' }, uri, subject, { suite: 'web', kitchenPlatform: 'debian-12' }, 'ubuntu-22.04',
    { attributesFile: '/repo/node.json', attributes: { web: { port: 9 } }, environment: 'prod', nodeName: 'web1' });
  assert.ok('cli' in r);
  assert.deepEqual(r.cli, ['graph', subject, '--with-content', '--format', 'json', '--revision', 'c0ffee', '--platform', 'ubuntu-22.04', '--suite', 'web', '--kitchen-platform', 'debian-12',
    '--attributes', '/repo/node.json', '--attributes-json', '{"web":{"port":9}}', '--environment', 'prod', '--node-name', 'web1']);
  const bare = baselineRequest({ kind: 'revision', revision: 'v1', commit: 'c0ffee', repo: '/repo' }, uri, subject, undefined, 'debian-12', { attributes: {} });
  assert.ok('cli' in bare);
  assert.equal(bare.cli.includes('--attributes-json'), false, 'an empty attributes setting adds nothing');
});

test('platform and suite baselines: the server\'s working tree, another platform or suite', () => {
  assert.deepEqual(baselineRequest({ kind: 'platform', platform: 'centos-8' }, uri, subject, undefined, 'debian-12', {}), { server: { uri, withContent: true, platform: 'centos-8' } });
  assert.deepEqual(baselineRequest({ kind: 'suite', suite: 'other', kitchenPlatform: 'debian-11' }, uri, subject, { suite: 'web' }, 'debian-12', {}), { server: { uri, withContent: true, suite: { suite: 'other', platform: 'debian-11' } } });
  assert.deepEqual(baselineRequest({ kind: 'suite', suite: null }, uri, subject, { suite: 'web' }, 'debian-12', {}), { server: { uri, withContent: true, suite: null } });
});

test('labels say what each side is', () => {
  assert.deepEqual(comparisonLabels({ kind: 'revision', revision: 'HEAD', commit: 'c', repo: '/r' }, undefined), { from: 'HEAD', to: 'working tree' });
  assert.deepEqual(comparisonLabels({ kind: 'platform', platform: 'centos-8' }, { suite: 'web' }), { from: 'working tree, suite web, platform centos-8', to: 'working tree, suite web' });
  assert.deepEqual(comparisonLabels({ kind: 'suite', suite: 'other' }, undefined), { from: 'working tree, suite other', to: 'working tree, no suite' });
});

test('graph marks: added and changed resources by id and occurrence, what changed as the summary, removed apart', () => {
  const loc = (line: number) => ({ file: '/repo/web/recipes/default.rb', line, column: 1 });
  const diff: RunDiff = {
    from: { label: 'HEAD', platform: 'debian-12', runList: ['web::default'] },
    to: { label: 'working tree', platform: 'debian-12', runList: ['web::default'] },
    added: [{ id: 'file[/a]', type: 'file', resolvedType: 'file', actions: ['create'], location: loc(1), occurrence: 1 }],
    removed: [{ id: 'package[old]', type: 'package', resolvedType: 'apt_package', actions: ['install'], location: loc(2) }],
    changed: [{
      id: 'template[/t]', type: 'template', status: 'may-change', fromLocation: loc(3), toLocation: loc(3), notifications: [],
      fields: [{ field: 'property', name: 'owner', status: 'may-change', reason: 'node["x"] is not set' }],
    }],
    order: [], summary: { added: 1, removed: 1, changed: 0, mayChange: 1, unchanged: 4, order: 0 },
  };
  const g = graphRunDiff(diff);
  assert.equal(g.label, 'HEAD → working tree (debian-12)');
  assert.deepEqual(g.marks, [
    { resource: 'file[/a]', occurrence: 1, status: 'added', summary: 'added' },
    { resource: 'template[/t]', status: 'may-change', summary: 'owner may change (node["x"] is not set)' },
  ]);
  assert.deepEqual(g.removed, [{ resource: 'package[old]', type: 'package', location: loc(2) }]);
});
