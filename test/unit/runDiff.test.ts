// The run diff core (chef/runDiff.ts) on hand-made Graph JSON: every kind of difference, and
// unknowns reported as may-change, never as changed or unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffRuns, hasDifferences } from '../../server/src/chef/runDiff';
import type { Graph, GraphResource } from '../../server/src/protocol';

const loc = (line: number) => ({ file: '/cb/recipes/default.rb', line, column: 1 });

function res(id: string, extra: Partial<GraphResource> = {}): GraphResource {
  const [, type, name] = /^(\w+)\[(.*)\]$/.exec(id)!;
  return { id, type, resolvedType: type, name, actions: ['create'], properties: {}, location: loc(1), notifies: [], guards: [], origin: 'cb::default', ...extra };
}

function graph(resources: GraphResource[], edges: Graph['edges'] = []): Graph {
  return { platform: 'debian-12', runList: ['cb::default'], recipes: [], resources, edges, diagnostics: [] };
}

const labels = { from: { label: 'HEAD' }, to: { label: 'working tree' } };

test('identical runs: nothing to report', () => {
  const g = graph([res('file[/a]', { properties: { mode: '0644' } }), res('package[nginx]')]);
  const d = diffRuns(g, structuredClone(g), labels);
  assert.equal(hasDifferences(d), false);
  assert.deepEqual(d.summary, { added: 0, removed: 0, changed: 0, mayChange: 0, unchanged: 2, order: 0 });
});

test('added and removed resources, matched by id (a repeated id by occurrence)', () => {
  const a = graph([res('file[/a]'), res('execute[x]'), res('package[old]')]);
  const b = graph([res('file[/a]'), res('execute[x]'), res('execute[x]', { location: loc(9) }), res('service[new]')]);
  const d = diffRuns(a, b, labels);
  assert.deepEqual(d.added.map((r) => [r.id, r.occurrence]), [['execute[x]', 1], ['service[new]', undefined]]);
  assert.deepEqual(d.removed.map((r) => r.id), ['package[old]']);
  assert.equal(d.changed.length, 0);
  assert.equal(d.added[0].location.line, 9);
  // A repeat that changed says which repeat it is.
  const c = diffRuns(b, graph([res('file[/a]'), res('execute[x]'), res('execute[x]', { location: loc(9), actions: ['run'] })]), labels);
  assert.deepEqual(c.changed.map((x) => [x.id, x.occurrence]), [['execute[x]', 1]]);
});

test('changed actions, properties (old → new, added, removed), type, guards', () => {
  const a = graph([res('file[/a]', { properties: { mode: '0644', owner: 'root', group: 'adm' }, guards: [{ kind: 'not_if', form: 'string', command: 'test -e /x', source: "'test -e /x'", location: loc(2) }] })]);
  const b = graph([res('file[/a]', { resolvedType: 'file2', actions: ['create', 'touch'], properties: { mode: '0600', owner: 'root', backup: 5 } })]);
  const [c] = diffRuns(a, b, labels).changed;
  assert.equal(c.status, 'changed');
  const byName = Object.fromEntries(c.fields.map((f) => [`${f.field}:${f.name ?? ''}`, f]));
  assert.deepEqual(byName['actions:'], { field: 'actions', status: 'changed', from: ['create'], to: ['create', 'touch'] });
  assert.deepEqual(byName['property:mode'], { field: 'property', name: 'mode', status: 'changed', from: '0644', to: '0600' });
  assert.equal(byName['property:backup'].status, 'added');
  assert.equal(byName['property:group'].status, 'removed');
  assert.equal(byName['property:owner'], undefined, 'an unchanged property is not listed');
  assert.equal(byName['type:'].to, 'file2');
  assert.equal(byName["guard:not_if 'test -e /x'"].status, 'removed');
});

test('an unknown property on either side is may-change, never changed or unchanged', () => {
  const why = "node['app']['port'] is not known statically";
  const a = graph([res('file[/a]', { properties: { mode: { $unknown: why } } }), res('file[/b]', { properties: { mode: '0644' } }), res('file[/c]', { properties: { v: { nested: [{ $unknown: why }] } } })]);
  const b = graph([res('file[/a]', { properties: { mode: { $unknown: why } } }), res('file[/b]', { properties: { mode: { $unknown: why } } }), res('file[/c]', { properties: { v: { nested: [1] } } })]);
  const d = diffRuns(a, b, labels);
  assert.deepEqual(d.changed.map((c) => [c.id, c.status]), [['file[/a]', 'may-change'], ['file[/b]', 'may-change'], ['file[/c]', 'may-change']]);
  assert.equal(d.changed[0].fields[0].reason, why);
  assert.equal(d.summary.mayChange, 3);
  assert.equal(d.summary.unchanged, 0);
  assert.ok(hasDifferences(d));
  // A known change beside a may-change makes the resource changed.
  const c = graph([res('file[/a]', { properties: { mode: { $unknown: why }, owner: 'bob' } })]);
  assert.equal(diffRuns(graph([res('file[/a]', { properties: { mode: { $unknown: why }, owner: 'root' } })]), c, labels).changed[0].status, 'changed');
});

test('unknown names, actions and lazy values are may-change too', () => {
  const a = graph([res('user[«unknown»]', { name: { $unknown: 'the name is unknown' } }), res('service[s]', { actions: ['start', { $unknown: 'actions from an attribute' }] }), res('file[/l]', { properties: { content: { $lazy: 'lazy { x }' } } })]);
  const d = diffRuns(a, structuredClone(a), labels);
  assert.deepEqual(d.changed.map((c) => [c.id, c.status, c.fields[0].field]), [['user[«unknown»]', 'may-change', 'name'], ['service[s]', 'may-change', 'actions'], ['file[/l]', 'may-change', 'property']]);
  assert.match(d.changed[2].fields[0].reason!, /converge time/);
});

test('rendered content: a unified diff when it changed, may-change with the hole shown when a part is unknown', () => {
  const a = graph([res('template[/etc/app.conf]', { content: { text: 'port 80\nuser app\n' } }), res('template[/etc/h.conf]', { content: { text: 'x\n' } })]);
  const b = graph([res('template[/etc/app.conf]', { content: { text: 'port 8080\nuser app\n' } }), res('template[/etc/h.conf]', { content: { text: { $unknown: 'ip unknown', parts: ['x\n', { $unknown: 'ip unknown' }] } } })]);
  const d = diffRuns(a, b, labels);
  const [app, h] = d.changed;
  assert.equal(app.status, 'changed');
  assert.equal(app.content!.status, 'changed');
  assert.match(app.content!.patch, /^--- a\/etc\/app\.conf\n\+\+\+ b\/etc\/app\.conf\n@@ -1,2 \+1,2 @@\n-port 80\n\+port 8080\n user app\n$/);
  assert.equal(h.status, 'may-change');
  assert.equal(h.content!.reason, 'ip unknown');
  assert.match(h.content!.patch, /\+«unknown: ip unknown»/);
  // Same content: nothing.
  assert.equal(diffRuns(a, structuredClone(a), labels).changed.length, 0);
});

test('notifications gained and lost; an unknown target is may-change', () => {
  const n = (action: string, target: string, timing: 'delayed' | 'immediately' = 'delayed') => ({ kind: 'notifies' as const, action, target, resolved: target, timing, location: loc(3) });
  const a = graph([res('template[/t]', { notifies: [n('restart', 'service[a]'), n('reload', 'service[b]')] })]);
  const b = graph([res('template[/t]', { notifies: [n('restart', 'service[a]'), n('reload', 'service[b]', 'immediately')] })]);
  const [c] = diffRuns(a, b, labels).changed;
  assert.deepEqual(c.notifications.map((x) => [x.status, x.action, x.target, x.timing]), [['removed', 'reload', 'service[b]', 'delayed'], ['added', 'reload', 'service[b]', 'immediately']]);
  const u = graph([res('template[/t]', { notifies: [{ kind: 'notifies', action: 'restart', target: { $unknown: 'target from an attribute' }, timing: 'delayed', location: loc(3) }] })]);
  const [m] = diffRuns(u, structuredClone(u), labels).changed;
  assert.equal(m.status, 'may-change');
  assert.deepEqual(m.notifications.map((x) => [x.status, x.target, x.reason]), [['may-change', '«unknown»', 'target from an attribute']]);
});

test('order: a notification edge whose two resources swapped converge order', () => {
  const edge = { from: 'template[/t]', to: 'service[s]', kind: 'notifies' as const, timing: 'immediately' as const, action: 'restart' };
  const other = { from: 'file[/x]', to: 'service[s]', kind: 'notifies' as const, timing: 'delayed' as const, action: 'reload' };
  const a = graph([res('file[/x]'), res('template[/t]'), res('service[s]')], [edge, other]);
  const b = graph([res('service[s]'), res('template[/t]'), res('file[/x]')], [edge, other]);
  const d = diffRuns(a, b, labels);
  assert.deepEqual(d.order.map((o) => [o.source, o.target, o.fromFirst, o.toFirst]), [['template[/t]', 'service[s]', 'source', 'target'], ['file[/x]', 'service[s]', 'source', 'target']]);
  assert.ok(hasDifferences(d));
  // Moving resources without flipping any notification edge is no order change.
  const c = graph([res('template[/t]'), res('file[/x]'), res('service[s]')], [edge, other]);
  assert.deepEqual(diffRuns(a, c, labels).order, []);
});
