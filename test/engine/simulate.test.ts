/**
 * Forward simulation, guards and notification semantics, over a hand-built state (no container).
 * Run: node --import tsx --test test/engine/simulate.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../server/src/engine/plan';
import { VirtualState } from '../../server/src/engine/state';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { collectQueries, planAction } from '../../server/src/engine/planner';
import { FACTS, guard, input, notifies, res } from './helpers';
import type { PlanStep } from '../../server/src/protocol';
import type { EngineResource } from '../../server/src/engine/types';

/** A machine with /, /etc, /srv, root, and nothing else probed as present. */
function machine(paths: string[] = []): VirtualState {
  const s = new VirtualState();
  for (const p of ['/', '/etc', '/srv', '/var', '/var/log', '/opt']) s.setPath(p, { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
  for (const p of paths) s.setPath(p, { kind: 'missing' });
  s.setUser('root', { name: 'root', uid: 0, gid: 0, comment: 'root', home: '/root', shell: '/bin/bash' });
  s.setGroup('root', { name: 'root', gid: 0, members: [] });
  return s;
}

const loc = () => ({ file: 'recipes/default.rb', line: 1, column: 1 });

const byId = (steps: PlanStep[], id: string, action?: string): PlanStep => {
  const s = steps.find((x) => x.resource === id && (!action || x.action === action));
  assert.ok(s, `no step for ${id}`);
  return s;
};

describe('forward simulation', () => {
  test('a link to a file the recipe creates earlier is planned, with the reason', async () => {
    const s = machine(['/etc/app.conf', '/srv/app.conf']);
    const steps = await simulate(input([
      res('file', '/etc/app.conf', { mode: '0600' }, { actions: ['create'] }),
      res('link', '/srv/app.conf', { to: '/etc/app.conf' }, { actions: ['create'] }),
    ], { 'file[/etc/app.conf]': 'x=1\n' }), s, FACTS);
    const link = byId(steps, 'link[/srv/app.conf]');
    assert.equal(link.status, 'change');
    assert.match(link.reason ?? '', /created earlier by file\[\/etc\/app\.conf\]/);
    assert.equal(link.changes[0].message, 'would create link /srv/app.conf → /etc/app.conf');
  });

  test('a directory owned by a user (and group) created earlier; without them it would fail', async () => {
    const s = machine(['/srv/app']);
    s.setUser('app', null);
    s.setGroup('app', null);
    const dir = res('directory', '/srv/app', { owner: 'app', group: 'app', mode: '0750' }, { actions: ['create'] });
    const withUser = await simulate(input([res('group', 'app', {}, { actions: ['create'] }), res('user', 'app', { group: 'app' }, { actions: ['create'] }), dir]), s, FACTS);
    assert.equal(byId(withUser, 'directory[/srv/app]').status, 'change');
    assert.match(byId(withUser, 'directory[/srv/app]').reason ?? '', /owner app is created earlier by user\[app\]/);
    assert.match(byId(withUser, 'user[app]').reason ?? '', /group app is created earlier by group\[app\]/);
    const s2 = machine(['/srv/app']);
    s2.setUser('app', null);
    s2.setGroup('app', null);
    const alone = await simulate(input([dir]), s2, FACTS);
    assert.equal(byId(alone, 'directory[/srv/app]').status, 'failed');
    assert.match(byId(alone, 'directory[/srv/app]').reason ?? '', /owner app does not exist/);
  });

  test('mode, owner and content changes of an existing file: "would change mode … 0644 → 0600" and a diff', async () => {
    const s = machine();
    s.setPath('/etc/app.conf', { kind: 'file', mode: '644', owner: 'root', group: 'root', content: 'a=1\nb=2\n' });
    const steps = await simulate(input([res('template', '/etc/app.conf', { mode: '0600' }, { actions: ['create'] })], { 'template[/etc/app.conf]': 'a=1\nb=3\n' }), s, FACTS);
    const st = steps[0];
    assert.equal(st.status, 'change');
    assert.ok(st.changes.some((c) => c.message === 'would change mode of /etc/app.conf 0644 → 0600'));
    assert.match(st.diff ?? '', /-b=2\n\+b=3/);
  });

  test('sensitive hides the content; unknown content and $unknown/$lazy properties plan unknown with the reason', async () => {
    const s = machine(['/etc/secret', '/etc/t']);
    const steps = await simulate(input([
      res('file', '/etc/secret', {}, { actions: ['create'], sensitive: true }),
      res('template', '/etc/t', {}, { actions: ['create'] }),
      res('directory', '/opt/x', { mode: { $unknown: 'calls helper `mode_for` from libraries/' } }, { actions: ['create'] }),
      res('link', '/opt/l', { to: { $lazy: 'lazy { node.run_state[:x] }' } }, { actions: ['create'] }),
    ], { 'file[/etc/secret]': 'password=hunter2\n', 'template[/etc/t]': { $unknown: 'template variable @x is unknown' } }), s, FACTS);
    assert.equal(steps[0].diff, undefined);
    assert.ok(!JSON.stringify(steps[0]).includes('hunter2'));
    assert.equal(steps[1].status, 'unknown');
    assert.match(steps[1].reason ?? '', /template variable @x is unknown/);
    assert.match(steps[2].reason ?? '', /mode: calls helper `mode_for`/);
    assert.match(steps[3].reason ?? '', /lazy value/);
  });

  test('execute: creates makes it skip, and a later execute sees the file an earlier one creates', async () => {
    const s = machine(['/opt/done', '/opt/other']);
    const steps = await simulate(input([
      res('execute', 'first', { command: 'touch /opt/done', creates: '/opt/done' }, { actions: ['run'] }),
      res('execute', 'second', { command: 'true', creates: '/opt/done' }, { actions: ['run'] }),
    ]), s, FACTS);
    assert.equal(steps[0].status, 'change');
    assert.equal(steps[1].status, 'skipped');
    assert.match(steps[1].reason ?? '', /created earlier by execute\[first\]/);
  });
});

describe('content for a diff editor (plan --with-content)', () => {
  test('both sides of a changed file; null before a new one; nothing for sensitive or unchanged files, or without the option', async () => {
    const st = machine(['/etc/new.conf', '/etc/secret', '/etc/cron.d/job']);
    st.setPath('/etc/app.conf', { kind: 'file', mode: '644', owner: 'root', group: 'root', content: 'a=1\n' });
    st.setPath('/etc/same.conf', { kind: 'file', mode: '644', owner: 'root', group: 'root', content: 'same\n' });
    st.setPath('/etc/cron.d', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    const resources = [
      res('template', '/etc/app.conf', {}, { actions: ['create'] }),
      res('cookbook_file', '/etc/new.conf', {}, { actions: ['create'] }),
      res('file', '/etc/secret', {}, { actions: ['create'], sensitive: true }),
      res('file', '/etc/same.conf', { mode: '0600' }, { actions: ['create'] }),
      res('cron_d', 'job', { minute: '5', command: '/bin/true' }, { actions: ['create'] }),
    ];
    const contents = { 'template[/etc/app.conf]': 'a=2\n', 'cookbook_file[/etc/new.conf]': 'new\n', 'file[/etc/secret]': 'pw=hunter2\n', 'file[/etc/same.conf]': 'same\n' };
    const steps = await simulate(input(resources, contents), st.fork(), FACTS, { withContent: true });
    assert.deepEqual(byId(steps, 'template[/etc/app.conf]').content, { path: '/etc/app.conf', before: 'a=1\n', after: 'a=2\n' });
    assert.deepEqual(byId(steps, 'cookbook_file[/etc/new.conf]').content, { path: '/etc/new.conf', before: null, after: 'new\n' });
    assert.equal(byId(steps, 'file[/etc/secret]').status, 'change');
    assert.equal(byId(steps, 'file[/etc/secret]').content, undefined);
    assert.equal(byId(steps, 'file[/etc/same.conf]').status, 'change', 'the mode changes');
    assert.equal(byId(steps, 'file[/etc/same.conf]').content, undefined, 'the content does not');
    const cron = byId(steps, 'cron_d[job]').content;
    assert.equal(cron?.path, '/etc/cron.d/job');
    assert.equal(cron?.before, null);
    assert.match(cron?.after ?? '', /^5 \* \* \* \* root \/bin\/true$/m);
    const plain = await simulate(input(resources, contents), st.fork(), FACTS);
    assert.ok(plain.every((x) => !('content' in x)), 'no content without the option');
  });
});

describe('converge batching hints', () => {
  test('apt_update ends a converge batch (opaque) only when a later package :upgrade reads the refreshed candidates', () => {
    const st = machine();
    st.setPath('/var/lib/apt/periodic/update-success-stamp', { kind: 'missing' });
    const update = res('apt_update', 'lists', {}, { actions: ['periodic'] });
    const plain = input([update, res('package', 'nginx', {}, { actions: ['install'] })]);
    assert.equal(planAction(update, 'periodic', [], st.fork(), plain, FACTS).verdict?.opaque, false);
    const upgrade = input([update, res('package', 'nginx', {}, { actions: [':upgrade'] })]);
    assert.equal(planAction(update, 'periodic', [], st.fork(), upgrade, FACTS).verdict?.opaque, true);
    const notified = input([update, res('log', 'x', {}, { actions: ['write'], notifies: [notifies('package[nginx]', ':upgrade', 'delayed')] })]);
    assert.equal(planAction(update, 'periodic', [], st.fork(), notified, FACTS).verdict?.opaque, true);
  });
});

describe('guards', () => {
  test('string guards use the probe answers; block guards the model verdict, their file tests, or they leave the step unknown', async () => {
    const s = machine();
    const g1 = guard('not_if', 'test -e /etc/x');
    const g2 = guard('only_if', 'false');
    const r1 = res('execute', 'a', { command: 'echo a' }, { actions: ['run'], guards: [g1] });
    const r2 = res('execute', 'b', { command: 'echo b' }, { actions: ['run'], guards: [g2] });
    const r3 = res('execute', 'c', { command: 'echo c' }, { actions: ['run'], guards: [{ kind: 'only_if', form: 'block', value: false, source: '{ false }', location: r1.location }] });
    const r4 = res('execute', 'd', { command: 'echo d' }, { actions: ['run'], guards: [{ kind: 'not_if', form: 'block', unknownReason: 'reads ::File.exist?', source: "{ ::File.exist?('/x') }", location: r1.location }] });
    // Stand in for the probe: guard results keyed like the probe keys them.
    (s as unknown as { guards: Map<string, unknown> }).guards.set('guard::{}::test -e /etc/x', { ok: true, value: 0 });
    (s as unknown as { guards: Map<string, unknown> }).guards.set('guard::{}::false', { ok: true, value: 1 });
    const steps = await simulate(input([r1, r2, r3, r4]), s, FACTS);
    assert.equal(steps[0].status, 'skipped');
    assert.match(steps[0].reason ?? '', /not_if `test -e \/etc\/x` is true/);
    assert.equal(steps[1].status, 'skipped');
    assert.equal(steps[2].status, 'skipped');
    // Never acted on a guess: the block nobody can evaluate leaves the step unknown, with what it would do.
    assert.equal(steps[3].status, 'unknown');
    assert.match(steps[3].reason ?? '', /whether it runs is not known: not_if `\{ ::File.exist\?\('\/x'\) \}` cannot be decided before Chef runs it \(reads ::File.exist\?\)/);
    assert.equal(steps[3].changes[0]?.property, 'command');
  });

  test('a block guard made of file tests is answered by the machine; an undecided guard elsewhere does not keep a decided skip from skipping', async () => {
    const s = machine();
    const exists = { kind: 'not_if' as const, form: 'block' as const, unknownReason: 'File.exist?(/etc/x) depends on the machine', test: "test -e '/etc/x'", source: "{ ::File.exist?('/etc/x') }", location: loc() };
    const opaque = { kind: 'only_if' as const, form: 'block' as const, unknownReason: 'shell_out', source: '{ shell_out("x").stdout == "y" }', location: loc() };
    const r1 = res('execute', 'a', { command: 'echo a' }, { actions: ['run'], guards: [exists] });
    const r2 = res('execute', 'b', { command: 'echo b' }, { actions: ['run'], guards: [opaque, { ...exists, kind: 'only_if' }] });
    (s as unknown as { guards: Map<string, unknown> }).guards.set("guard::{}::test -e '/etc/x'", { ok: true, value: 1 });
    const steps = await simulate(input([r1, r2]), s, FACTS);
    assert.equal(steps[0].status, 'change');
    assert.equal(steps[1].status, 'skipped');
    assert.match(steps[1].reason ?? '', /only_if `\{ ::File.exist\?\('\/etc\/x'\) \}` is false/);
    assert.ok(collectQueries(input([r1]), FACTS).some((q) => q.kind === 'guard' && q.command === "test -e '/etc/x'"));
  });

  test('what a step that may not run would change is unknown to the steps after it; a step that would change nothing is up to date either way', async () => {
    const st = machine(['/etc/app', '/etc/app/conf']);
    const undecided = { kind: 'only_if' as const, form: 'block' as const, unknownReason: 'shell_out', source: '{ ok? }', location: loc() };
    const dir = res('directory', '/etc/app', {}, { actions: ['create'], guards: [undecided] });
    const file = res('file', '/etc/app/conf', {}, { actions: ['create'] });
    const same = res('directory', '/etc', {}, { actions: ['create'], guards: [undecided] });
    const steps = await simulate(input([dir, file, same], { 'file[/etc/app/conf]': 'x' }), st, FACTS);
    assert.equal(steps[0].status, 'unknown');
    assert.equal(steps[1].status, 'unknown');
    assert.match(steps[1].reason ?? '', /directory\[\/etc\/app\] may change it/);
    assert.equal(steps[2].status, 'up-to-date');
    assert.match(steps[2].reason ?? '', /whether it runs is not known, but it would change nothing/);
  });

  test('children of a custom resource that may not run are unknown too, and so is the resource', async () => {
    const undecided = { kind: 'only_if' as const, form: 'block' as const, unknownReason: 'shell_out', source: '{ ok? }', location: loc() };
    const parent = res('app_site', 'x', {}, { actions: ['create'], custom: true, guards: [undecided] });
    const child = res('file', '/etc/a', {}, { actions: ['create'], parent: parent.id });
    const steps = await simulate(input([parent, child], { 'file[/etc/a]': 'new' }), machine(['/etc/a']), FACTS);
    assert.deepEqual(steps.map((x) => [x.resource, x.status]), [['app_site[x]', 'unknown'], ['file[/etc/a]', 'unknown']]);
    assert.match(steps[1].reason ?? '', /the custom resource it belongs to may not run/);
  });
});

describe('notifications', () => {
  const s = (): VirtualState => machine(['/etc/a', '/etc/b', '/etc/c']);
  const file = (p: string, extra: Partial<EngineResource> = {}): EngineResource => res('file', p, {}, { actions: ['create'], ...extra });
  const contents = { 'file[/etc/a]': 'a', 'file[/etc/b]': 'b', 'file[/etc/c]': 'c' };

  test('delayed: queued, de-duplicated, run at the end in queue order; immediately: right after', async () => {
    const svc = res('service', 'web', {}, { actions: ['nothing'] });
    const log = res('log', 'hello', { message: 'hi' }, { actions: ['nothing'] });
    const steps = await simulate(input([
      file('/etc/a', { notifies: [notifies('service[web]', ':reload', 'delayed')] }),
      file('/etc/b', { notifies: [notifies('service[web]', ':reload', 'delayed'), notifies('log[hello]', ':write', 'immediately')] }),
      file('/etc/c'), svc, log,
    ], contents), s(), FACTS);
    const order = steps.map((x) => `${x.resource}:${x.action}`);
    assert.deepEqual(order, ['file[/etc/a]:create', 'file[/etc/b]:create', 'log[hello]:write', 'file[/etc/c]:create', 'service[web]:nothing', 'log[hello]:nothing', 'service[web]:reload']);
    const reload = steps[steps.length - 1];
    assert.deepEqual(reload.notifiedBy?.map((t) => t.resource), ['file[/etc/a]', 'file[/etc/b]'], 'one reload, two triggers');
    assert.equal(byId(steps, 'file[/etc/a]').notifications[0].fires, 'yes');
  });

  test('before: the target runs ahead of the notifying resource when that would change; subscribes works the same', async () => {
    const stop = res('log', 'stop', { message: 'stopping' }, { actions: ['nothing'] });
    const watcher = res('log', 'watch', { message: 'saw b' }, { actions: ['nothing'], notifies: [notifies('file[/etc/b]', ':write', 'immediately', 'subscribes')] });
    const steps = await simulate(input([stop, watcher, file('/etc/b', { notifies: [notifies('log[stop]', ':write', 'before')] })], contents), s(), FACTS);
    const order = steps.map((x) => `${x.resource}:${x.action}`);
    assert.deepEqual(order, ['log[stop]:nothing', 'log[watch]:nothing', 'log[stop]:write', 'file[/etc/b]:create', 'log[watch]:write']);
    assert.equal(byId(steps, 'file[/etc/b]').notifications.find((n) => n.kind === 'subscribes')?.target, 'log[watch]');
  });

  test('before: the target runs first and the notifying resource is planned against what it left (a parent directory it creates)', async () => {
    const st = machine(['/opt/app', '/opt/app/app.conf']);
    const dir = res('directory', '/opt/app', { mode: '0750' }, { actions: ['nothing'] });
    const conf = res('file', '/opt/app/app.conf', {}, { actions: ['create'], notifies: [notifies('directory[/opt/app]', ':create', 'before')] });
    const steps = await simulate(input([dir, conf], { 'file[/opt/app/app.conf]': 'x=1\n' }), st, FACTS);
    assert.deepEqual(steps.map((x) => `${x.resource}:${x.action}:${x.status}`),
      ['directory[/opt/app]:nothing:skipped', 'directory[/opt/app]:create:change', 'file[/opt/app/app.conf]:create:change']);
    assert.deepEqual(byId(steps, 'directory[/opt/app]', 'create').notifiedBy, [{ resource: 'file[/opt/app/app.conf]', timing: 'before' }]);
    const file = byId(steps, 'file[/opt/app/app.conf]');
    assert.match(file.reason ?? '', /parent \/opt\/app is created earlier by directory\[\/opt\/app\]/);
    assert.equal(file.notifications[0].fires, 'yes');
  });

  test('before: the why-run pass leaves no trace; an up-to-date resource does not fire; a target can make it up to date', async () => {
    const st = s();
    st.setPath('/etc/a', { kind: 'file', mode: '644', owner: 'root', group: 'root', content: 'a' });
    const prep = res('file', 'prep', { path: '/etc/b' }, { actions: ['nothing'] });
    const after = res('log', 'after', { message: 'b changed' }, { actions: ['nothing'] });
    const steps = await simulate(input([
      prep, after,
      file('/etc/a', { notifies: [notifies('log[after]', ':write', 'before')] }),
      file('/etc/b', { notifies: [notifies('file[prep]', ':create', 'before'), notifies('log[after]', ':write', 'immediately')] }),
    ], { ...contents, 'file[prep]': 'b' }), st, FACTS);
    assert.deepEqual(steps.map((x) => `${x.resource}:${x.action}:${x.status}`),
      ['file[prep]:nothing:skipped', 'log[after]:nothing:skipped', 'file[/etc/a]:create:up-to-date', 'file[prep]:create:change', 'file[/etc/b]:create:up-to-date'],
      'file[prep] wrote /etc/b first, so file[/etc/b] has nothing left to do and its immediate notification does not fire');
    assert.equal(byId(steps, 'file[/etc/b]').notifications.find((n) => n.timing === 'immediately')?.fires, 'no');
    assert.equal(byId(steps, 'file[/etc/b]').notifications.find((n) => n.timing === 'before')?.fires, 'yes', 'the :before notification did fire');
  });

  test('no change, no notification; an unknown step may fire, and its targets say so', async () => {
    const st = s();
    st.setPath('/etc/a', { kind: 'file', mode: '644', owner: 'root', group: 'root', content: 'a' });
    for (const n of ['web', 'web2']) st.setService(n, { pid1: 'sh', sysv: { running: true, enabled: true } });
    const steps = await simulate(input([
      file('/etc/a', { notifies: [notifies('service[web]', ':restart', 'delayed')] }),
      res('template', '/etc/c', {}, { actions: ['create'], notifies: [notifies('service[web2]', ':restart', 'delayed')] }),
      res('service', 'web', {}, { actions: ['nothing'] }), res('service', 'web2', {}, { actions: ['nothing'] }),
    ], { 'file[/etc/a]': 'a', 'template[/etc/c]': { $unknown: 'unknown variable' } }), st, FACTS);
    assert.equal(steps[0].status, 'up-to-date');
    assert.equal(steps[0].notifications[0].fires, 'no');
    assert.ok(!steps.some((x) => x.resource === 'service[web]' && x.action === 'restart'));
    const maybe = byId(steps, 'service[web2]', 'restart');
    assert.equal(maybe.status, 'unknown');
    assert.match(maybe.reason ?? '', /it runs only if template\[\/etc\/c\] changes, which is not known/);
  });

  test('custom resources: children run in place of the parent, which then notifies', async () => {
    const parent = res('app_site', 'x', {}, { actions: ['create'], custom: true, notifies: [notifies('log[done]', ':write', 'delayed')] });
    const child = file('/etc/a', { parent: parent.id });
    const steps = await simulate(input([parent, child, res('log', 'done', {}, { actions: ['nothing'] })], contents), s(), FACTS);
    assert.equal(byId(steps, parent.id).status, 'change');
    assert.equal(byId(steps, 'log[done]', 'write').status, 'change');
    const verdict = judgeIdempotence({ target: { runtime: '', image: '', container: '', platform: '' }, steps, summary: { total: 0, changed: 0, upToDate: 0, skipped: 0, unknown: 0, failed: 0 }, timings: { totalMs: 0, probeMs: 0, simulateMs: 0, roundTrips: 1 } }, 0);
    assert.deepEqual(verdict.offenders.map((o) => o.resource), ['file[/etc/a]'], 'children judged, not the custom parent; log exempt');
    assert.ok(verdict.exempt.includes('log[done] :write'));
  });
});

describe('guards that read what the run changes', () => {
  test('a plan does not trust the probe for a guard that reads a path an earlier step changes; the converge decides it when the step runs', () => {
    const st = new VirtualState();
    for (const p of ['/', '/etc']) st.setPath(p, { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    st.setPath('/etc/app.conf', { kind: 'missing' });
    st.setPath('/etc/application', { kind: 'missing' });
    const conf = res('file', '/etc/app.conf', {}, { actions: ['create'] });
    const reads = res('execute', 'reload', { command: 'true' }, { actions: ['run'], guards: [guard('only_if', 'test -e /etc/app.conf')] });
    const other = res('execute', 'other', { command: 'true' }, { actions: ['run'], guards: [guard('only_if', 'test -e /etc/app.conf.d')] });
    const inp = input([conf, reads, other], { 'file[/etc/app.conf]': 'x' });
    (st as unknown as { guards: Map<string, unknown> }).guards.set('guard::{}::test -e /etc/app.conf', { ok: true, value: 1 });
    (st as unknown as { guards: Map<string, unknown> }).guards.set('guard::{}::test -e /etc/app.conf.d', { ok: true, value: 1 });
    planAction(conf, 'create', [], st, inp, FACTS);
    const plan = planAction(reads, 'run', [], st.fork(), inp, FACTS).step;
    assert.equal(plan.status, 'unknown');
    assert.match(plan.reason ?? '', /only_if `test -e \/etc\/app.conf` reads \/etc\/app.conf, which an earlier step changes/);
    const atConverge = planAction(reads, 'run', [], st.fork(), inp, FACTS, { decideAtRunTime: true }).step;
    assert.equal(atConverge.status, 'change');
    assert.match((atConverge.assumptions ?? []).join('\n'), /it is decided when the step runs/);
    // Another path that only starts like it is not what the step changed.
    assert.equal(planAction(other, 'run', [], st.fork(), inp, FACTS).step.status, 'skipped');
  });
});

describe('custom resources with several actions', () => {
  test('each action converges the children its own body declared, once', async () => {
    const parent = res('app_site', 'x', {}, { actions: ['create', 'enable'], custom: true });
    const made = res('file', '/etc/made', {}, { actions: ['create'], parent: parent.id, parentAction: 'create' });
    const enabled = res('file', '/etc/enabled', {}, { actions: ['create'], parent: parent.id, parentAction: 'enable' });
    const steps = await simulate(input([parent, made, enabled], { 'file[/etc/made]': 'm', 'file[/etc/enabled]': 'e' }), machine(['/etc/made', '/etc/enabled']), FACTS);
    assert.deepEqual(steps.map((s) => `${s.resource} :${s.action} ${s.status}`), [
      'app_site[x] :create change', 'file[/etc/made] :create change', 'app_site[x] :enable change', 'file[/etc/enabled] :create change',
    ]);
  });

  test('a custom resource declared in each action of another is one instance each, with its own children (memcached_install in memcached_instance)', async () => {
    const outer = res('app_instance', 'x', {}, { actions: ['create', 'start'], custom: true });
    const inner1 = res('app_install', 'x', {}, { actions: ['create'], custom: true, parent: outer.id, parentAction: 'create' });
    const pkg1 = res('file', '/etc/one', {}, { actions: ['create'], parent: inner1.id, parentAction: 'create' });
    const inner2 = res('app_install', 'x', {}, { actions: ['create'], custom: true, parent: outer.id, parentAction: 'start' });
    const pkg2 = res('file', '/etc/two', {}, { actions: ['create'], parent: inner2.id, parentAction: 'create' });
    const steps = await simulate(input([outer, inner1, pkg1, inner2, pkg2], { 'file[/etc/one]': '1', 'file[/etc/two]': '2' }), machine(['/etc/one', '/etc/two']), FACTS);
    assert.deepEqual(steps.map((s) => `${s.resource} :${s.action}`), [
      'app_instance[x] :create', 'app_install[x] :create', 'file[/etc/one] :create', 'app_instance[x] :start', 'app_install[x] :create', 'file[/etc/two] :create',
    ]);
  });
});

describe('what unnamed steps may create', () => {
  test('a group whose member an unnamed user step may create is unknown, not failed; without such a step it fails as in Chef', async () => {
    const st = machine();
    st.setUser('alice', null);
    st.setGroup('devs', null);
    const unnamedUser = res('user', '«unknown»', {}, { actions: ['create'], unknownName: 'a data bag item' });
    const group = res('group', 'devs', { members: ['alice'] }, { actions: ['create'] });
    const withUnnamed = await simulate(input([unnamedUser, group]), st.fork(), FACTS);
    assert.equal(withUnnamed[1].status, 'unknown');
    assert.match(withUnnamed[1].reason ?? '', /member alice of group devs does not exist now, and user\[«unknown»\], whose name is not known, may create it/);
    const alone = await simulate(input([group]), st.fork(), FACTS);
    assert.equal(alone[0].status, 'failed');
  });
});

describe('what an unknown step makes', () => {
  test('a unit file a step would write but cannot (unknown content) leaves its service unknown; one it writes installs the unit', async () => {
    const st = machine(['/etc/systemd/system/web.service', '/etc/systemd/system/log.service']);
    st.setPath('/etc/systemd', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    st.setPath('/etc/systemd/system', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    for (const n of ['web', 'log']) st.setService(n, { pid1: 'systemd', systemd: { load: 'not-found', active: 'inactive', file: '' } });
    const steps = await simulate(input([
      res('template', '/etc/systemd/system/web.service', {}, { actions: ['create'] }),
      res('service', 'web', {}, { actions: ['enable'] }),
      res('template', '/etc/systemd/system/log.service', {}, { actions: ['create'] }),
      res('service', 'log', {}, { actions: ['enable'] }),
    ], { 'template[/etc/systemd/system/web.service]': { $unknown: 'a variable from a search' }, 'template[/etc/systemd/system/log.service]': '[Service]\nExecStart=/bin/true\n' }), st, FACTS);
    assert.deepEqual(steps.map((s) => s.status), ['unknown', 'unknown', 'change', 'change'], JSON.stringify(steps.map((s) => s.reason)));
    assert.match(steps[1].reason ?? '', /template\[\/etc\/systemd\/system\/web.service\] may change it/);
  });
});

describe('idempotence after an incomplete converge', () => {
  test('a step the converge did not apply is undecided in the idempotence verdict, not an offender', () => {
    const plan = { target: { runtime: 'docker', image: 'i', container: 'c', platform: 'debian-12' }, summary: { total: 1, changed: 1, upToDate: 0, skipped: 0, unknown: 0, failed: 0 },
      timings: { totalMs: 1, probeMs: 1, simulateMs: 1, roundTrips: 1 },
      steps: [{ resource: 'group[g]', type: 'group', action: 'create', status: 'change' as const, changes: [{ property: 'group', from: null, to: 'g', message: 'would create group g' }], notifications: [], location: { file: 'r.rb', line: 1, column: 1 } }] };
    assert.equal(judgeIdempotence(plan, 1).verdict, 'not-idempotent');
    const v = judgeIdempotence(plan, 1, [{ resource: 'group[g]', action: 'create' }]);
    assert.equal(v.verdict, 'undecided');
    assert.deepEqual(v.offenders, []);
    assert.match(v.undecided[0].reason, /the converge did not apply it/);
  });
});
