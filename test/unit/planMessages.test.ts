/**
 * How the dry run reads in the editor, without VS Code: one annotation for a resource declared in a
 * loop ("4 steps: 3 change, 1 up to date"), unknown steps in words a user can act on (the precise
 * reason kept for the tooltip), and the plan commands taking a Plan view row where a step is expected.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlanStep } from '../../server/src/protocol';
import { lineGroups, stepCounts, stepSummary, stepTooltip } from '../../client/src/plan/stepText';
import { explainUnknown } from '../../client/src/plan/unknownAdvice';
import { planStepOf } from '../../client/src/plan/stepArgument';

function step(resource: string, action: string, line: number, extra: Partial<PlanStep> = {}): PlanStep {
  return { resource, type: resource.split('[')[0], action, status: 'up-to-date', changes: [], notifications: [], location: { file: '/cb/recipes/default.rb', line, column: 1 }, ...extra };
}
const change = (resource: string, line: number) => step(resource, 'create', line, { status: 'change', changes: [{ property: 'content', from: null, to: 'x', message: `would create ${resource}` }] });

describe('line annotations of a resource declared in a loop', () => {
  it('groups the steps of one line in one annotation, counting each status', () => {
    const loop = [change('file[/etc/a]', 3), change('file[/etc/b]', 3), step('file[/etc/c]', 'create', 3), change('file[/etc/d]', 3)];
    const single = [step('service[x]', 'enable', 9, { status: 'change', changes: [] }), step('service[x]', 'start', 9)];
    const groups = lineGroups([...loop, step('package[p]', 'install', 7), ...single]);
    assert.deepEqual(groups.map((g) => [g.line, g.steps.length, g.grouped]), [[3, 4, true], [7, 1, false], [9, 2, false]],
      'a loop is one group; two actions of one resource stay two short annotations');
    assert.equal(stepCounts(loop), '4 steps: 3 change, 1 up to date');
    assert.equal(stepCounts([step('a[x]', 'run', 1, { status: 'unknown', reason: 'r' }), step('a[y]', 'run', 1, { status: 'skipped', reason: 's' }), step('a[z]', 'run', 1, { status: 'failed', reason: 'f' })]),
      '3 steps: 1 would fail, 1 unknown, 1 skipped');
    // Many actions of one resource on one line are grouped too: the chain would run off the screen.
    assert.equal(lineGroups(['a', 'b', 'c', 'd'].map((a) => step('service[x]', a, 2)))[0].grouped, true);
  });
});

describe('unknown steps say what the user can do', () => {
  const unknown = (reason: string) => step('template[/etc/motd]', 'create', 4, { status: 'unknown', reason });

  it('a constant from outside the workspace: what Cloche cannot compute, why, and what helps', () => {
    const s = unknown('content unknown: constant Acme::Settings::BANNER is not known statically');
    const text = stepSummary(s, 400);
    assert.equal(text, 'Cloche cannot compute the content before the run (constant Acme::Settings::BANNER is defined outside the workspace) — add its cookbook to cloche.cookbookPaths');
    assert.doesNotMatch(text, /not known statically/);
    // The precise reason stays available where the user looks for details.
    const plain = stepTooltip(s).replace(/\\(.)/g, '$1'); // the tooltip is Markdown with escaped punctuation
    assert.match(plain, /Why exactly: content unknown: constant Acme::Settings::BANNER is not known statically/);
  });

  it('each kind of cause gets its own advice; a wording it does not know is shown as it is', () => {
    const cases: [string, RegExp][] = [
      ["owner: node['app']['user'] is not set by any attributes file in the workspace (a role, environment or policy may set it)", /^Cloche cannot compute the owner before the run \(node\['app'\]\['user'\] is not set in the workspace\) — set it in cloche\.run\.attributes or choose a kitchen suite$/],
      ['mode: lazy value `compute_mode` is only known at converge time', /the mode .*lazy value.* — only a Chef run shows it$/],
      ['whether it runs is not known: only_if `systemctl is-active x` did not answer the plan\'s probe within 10 s (Chef would wait up to 600 s; a converge runs it when the step comes)', /^Cloche cannot tell before the run whether it runs \(a guard took too long during the dry run\) — a converge runs it/],
      ['whether it runs is not known: it is declared under a condition that is not known statically (the Chef environment is chosen when Chef runs)', /whether it runs \(no Chef environment is chosen\) — set cloche\.run\.environment$/],
      ['its name is not known statically (calls `vault_secret`, which Cloche does not know)', /^Cloche cannot compute its name before the run \(`vault_secret` is defined outside the workspace\)/],
      ['systemd_unit :enable needs systemd, and it is not running in this container (PID 1 is sh); to run services, use an image with systemd as PID 1', /the container does not run systemd\) — dry run on an image with systemd as PID 1/],
      ['the container has no init system (PID 1 is sh) and no /etc/init.d/app script, so whether app runs cannot be known or changed; to run services, use an image with systemd as PID 1', /^Cloche cannot plan this step \(the container does not run systemd\) — dry run on an image with systemd as PID 1/],
      ['whether https://example.com/x.tgz differs from /opt/x.tgz cannot be known without network (give a checksum to decide offline)', /dry runs do not download \(no network\)\) — give the resource a checksum$/],
    ];
    for (const [reason, expected] of cases) assert.match(explainUnknown(reason) ?? '', expected, reason);
    assert.equal(explainUnknown('the probe returned garbage'), undefined);
    assert.equal(stepSummary(unknown('the probe returned garbage')), 'unknown: the probe returned garbage');
    assert.doesNotMatch(stepTooltip(unknown('the probe returned garbage')), /Why exactly/);
  });
});

describe('plan commands take a Plan view row where a step is expected', () => {
  it('finds the step in a step row, a detail row and a step itself; nothing else is a step', () => {
    const s = change('template[/etc/x]', 5);
    const row = { kind: 'step' as const, step: s, index: 2 };
    assert.equal(planStepOf(s), s);
    assert.equal(planStepOf(row), s, "the inline buttons hand the row, not the step");
    assert.equal(planStepOf({ kind: 'detail', label: 'would change content', parent: row }), s);
    for (const other of [undefined, null, 'template[/etc/x]', { kind: 'step' }, { resource: 'x' }]) assert.equal(planStepOf(other), undefined);
  });
});
