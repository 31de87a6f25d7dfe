/**
 * The extension's container plumbing without VS Code: how plan steps read (summaries and the
 * why-would-this-run chains), the JSON-lines progress of converge/test, the CLI runner (lines,
 * timeout, cancellation, exit codes), and what a file means as a plan subject.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ConvergeReport, Plan, PlanStep } from '../../server/src/protocol';
import { convergeProblems, parseProgressLine, progressText, verdictOf } from '../../client/src/convergeStream';
import { EngineCli, EngineCliError } from '../../client/src/engineCli';
import { subjectOf, targetFlags } from '../../client/src/engineTarget';
import { DEFAULTS } from '../../client/src/settings';
import { renderWhyChain, stepSummary, whyChains } from '../../client/src/plan/stepText';
import { fidelityLabel, fidelityPercent } from '../../client/src/fidelityText';

const loc = (line: number) => ({ file: '/cb/recipes/default.rb', line, column: 1 });
function step(resource: string, action: string, extra: Partial<PlanStep> = {}): PlanStep {
  return { resource, type: resource.split('[')[0], action, status: 'up-to-date', changes: [], notifications: [], location: loc(1), ...extra };
}
const plan = (steps: PlanStep[]): Plan => ({
  target: { runtime: 'docker', image: 'i', container: 'c', platform: 'debian-12' }, steps,
  summary: { total: steps.length, changed: 0, upToDate: 0, skipped: 0, unknown: 0, failed: 0 }, timings: { totalMs: 1, probeMs: 1, simulateMs: 0, roundTrips: 1 },
});

describe('plan steps as the editor shows them', () => {
  it('summarises each status in a few words', () => {
    assert.equal(stepSummary(step('package[nginx]', 'install', { status: 'change', changes: [{ property: 'version', from: null, to: '1.22', message: 'would install nginx 1.22' }] })), 'would install nginx 1.22');
    assert.equal(stepSummary(step('file[/a]', 'create', { status: 'change', changes: [
      { property: 'content', from: null, to: 'x', message: 'would create file /a' }, { property: 'mode', from: null, to: '0644' }] })), 'would create file /a (+1 more)');
    assert.equal(stepSummary(step('file[/a]', 'create')), 'up to date');
    assert.equal(stepSummary(step('execute[x]', 'run', { status: 'skipped', reason: 'not_if `test -f /a` succeeded' })), 'skipped: not_if `test -f /a` succeeded');
    assert.equal(stepSummary(step('service[x]', 'restart', { status: 'unknown', reason: 'no init system' })), 'unknown: no init system');
    assert.equal(stepSummary(step('x[y]', 'run', { status: 'skipped', reason: 'r'.repeat(200) }), 40).length, 40);
  });

  it('follows notifications back to the change that makes a service restart, through notified steps', () => {
    const tpl = step('template[/etc/app.conf]', 'create', { status: 'change', changes: [{ property: 'content', from: null, to: 'x', message: 'would change content' }],
      notifications: [{ target: 'execute[validate]', action: 'run', timing: 'immediately', fires: 'yes', kind: 'notifies' }] });
    const validate = step('execute[validate]', 'run', { status: 'change', notifiedBy: [{ resource: 'template[/etc/app.conf]', timing: 'immediately' }],
      notifications: [{ target: 'service[app]', action: 'restart', timing: 'delayed', fires: 'yes', kind: 'notifies' }] });
    const other = step('file[/etc/unrelated]', 'create', { notifications: [{ target: 'service[app]', action: 'restart', timing: 'delayed', fires: 'no', kind: 'notifies' }] });
    const restart = step('service[app]', 'restart', { status: 'change', notifiedBy: [{ resource: 'execute[validate]', timing: 'delayed' }, { resource: 'file[/etc/unrelated]', timing: 'delayed' }] });
    const p = plan([tpl, validate, other, restart]);
    const chains = whyChains(p, restart);
    assert.deepEqual(chains.map((c) => c.map((l) => l.step.resource)), [
      ['template[/etc/app.conf]', 'execute[validate]', 'service[app]'],
      ['file[/etc/unrelated]', 'service[app]'],
    ]);
    const text = renderWhyChain(chains[0]).join('\n');
    assert.match(text, /^template\[\/etc\/app\.conf\] :create — would change content\n {2}↓ notifies \(immediately\): would fire\nexecute\[validate\] :run/);
    assert.doesNotMatch(text, /service\[app\] :restart/, 'the explained step is not repeated');
    assert.match(renderWhyChain(chains[1]).join('\n'), /would not fire \(no change\)/);
    // A step nobody notifies explains itself; a notification cycle ends the walk.
    assert.deepEqual(whyChains(p, tpl).map((c) => c.length), [1]);
    const a = step('execute[a]', 'run', { notifiedBy: [{ resource: 'execute[b]', timing: 'immediately' }], notifications: [{ target: 'execute[b]', action: 'run', timing: 'immediately', fires: 'yes', kind: 'notifies' }] });
    const b = step('execute[b]', 'run', { notifiedBy: [{ resource: 'execute[a]', timing: 'immediately' }], notifications: [{ target: 'execute[a]', action: 'run', timing: 'immediately', fires: 'yes', kind: 'notifies' }] });
    assert.deepEqual(whyChains(plan([a, b]), a).map((c) => c.map((l) => l.step.resource)), [['execute[b]', 'execute[a]']]);
  });
});

describe('converge progress lines', () => {
  const report = (over: Partial<ConvergeReport>): ConvergeReport => ({
    target: { runtime: 'docker', image: 'i', container: 'c', platform: 'debian-12' }, verdict: 'converged', steps: [], result: { ok: true }, notApplied: [],
    summary: { total: 1, applied: 1, upToDate: 0, skipped: 0, failed: 0, ignoredFailures: 0, notApplied: 0, notRun: 0 }, timings: { totalMs: 1000, commandMs: 900, overheadMs: 100, roundTrips: 2 }, ...over,
  });

  it('reads events, the idempotence start and the report; ignores anything else', () => {
    const ev = parseProgressLine(JSON.stringify({ event: { kind: 'step-start', step: step('file[/a]', 'create') } }));
    assert.equal(ev?.kind, 'event');
    assert.match(progressText(ev!), /▸ file\[\/a\] :create/);
    assert.equal(parseProgressLine('{"idempotence-start":{}}')?.kind, 'idempotence-start');
    assert.equal(parseProgressLine(JSON.stringify({ report: report({}) }))?.kind, 'report');
    for (const junk of ['', 'not json', '42', '{"other":1}', 'null']) assert.equal(parseProgressLine(junk), undefined, junk);
  });

  it('turns a failure and non-idempotent resources into problems on their lines, and says the verdict', () => {
    const failed = report({ verdict: 'failed', result: { ok: false, resource: 'execute[x]', location: loc(7), message: 'exit 1' } });
    assert.deepEqual(convergeProblems(failed).map((p) => [p.severity, p.location.line]), [['error', 7]]);
    assert.deepEqual(verdictOf(failed), { ok: false, verdict: 'failed', text: 'converge failed: exit 1' });
    const drift = report({ verdict: 'not-idempotent', idempotence: { idempotent: false, verdict: 'not-idempotent', offenders: [{ resource: 'file[/a]', action: 'create', location: loc(3), reason: 'content differs' }], undecided: [], exempt: [], planMs: 100 } });
    const [p] = convergeProblems(drift);
    assert.equal(p.severity, 'warning');
    assert.match(p.message, /file\[\/a\] :create is not idempotent.*content differs/);
    assert.equal(verdictOf(drift).ok, false);
    assert.deepEqual(verdictOf(report({ verdict: 'passed', idempotence: { idempotent: true, verdict: 'idempotent', offenders: [], undecided: [], exempt: [], planMs: 1 } })),
      { ok: true, verdict: 'passed', text: 'converged (1 applied), idempotent' });
  });

  it('says incomplete, never converged, when steps were not applied or idempotence is undecided, with a problem on each line', () => {
    const unknownStep = { resource: 'user[«unknown»]', action: 'create', location: loc(9), reason: 'its name is not known statically (a data bag item)' };
    const incomplete = report({ verdict: 'incomplete', notApplied: [unknownStep] });
    assert.deepEqual(verdictOf(incomplete), { ok: false, verdict: 'incomplete', text: 'incomplete: 1 step not applied (unknown to Cloche)' });
    const [p] = convergeProblems(incomplete);
    assert.deepEqual([p.code, p.severity, p.location.line], ['not-applied', 'warning', 9]);
    assert.match(p.message, /was not applied: Cloche does not know it \(its name is not known statically/);
    const undecided = report({ verdict: 'incomplete', idempotence: { idempotent: false, verdict: 'undecided', offenders: [], undecided: [unknownStep], exempt: [], planMs: 1 } });
    assert.equal(verdictOf(undecided).text, 'incomplete: idempotence undecided for 1 step');
    assert.deepEqual(convergeProblems(undecided).map((x) => x.code), ['idempotence-undecided']);
    // Said once: a step not applied is not also an undecided idempotence problem.
    assert.deepEqual(convergeProblems({ ...undecided, notApplied: [unknownStep] }).map((x) => x.code), ['not-applied']);
  });
});

describe('the CLI runner', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cloche-cli-'));
  const script = path.join(dir, 'fake-cli.js');
  // Stands in for dist/cli.js: behaves per its first argument.
  writeFileSync(script, `
    const [mode] = process.argv.slice(2);
    if (mode === 'lines') { process.stdout.write('{"a":1}\\n{"b"'); setTimeout(() => { process.stdout.write(':2}\\n'); process.stderr.write('warn\\n'); }, 50); }
    else if (mode === 'json') console.log(JSON.stringify({ ok: true, electron: process.env.ELECTRON_RUN_AS_NODE }));
    else if (mode === 'env-error') { console.error('cloche plan: no container runtime: install docker'); process.exit(2); }
    else if (mode === 'garbage') console.log('<html>');
    else if (mode === 'hang') { process.on('SIGTERM', () => { console.log('cleaned up'); process.exit(143); }); setInterval(() => {}, 1000); }
  `);
  const cli = new EngineCli(script);

  it('streams complete stdout lines and collects stderr', async () => {
    const lines: string[] = [];
    const r = await cli.run({ args: ['lines'], timeoutMs: 10_000, onLine: (l) => lines.push(l) });
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'warn\n');
  });

  it('parses JSON, and reports environment errors (exit 2) and garbage clearly', async () => {
    assert.deepEqual((await cli.json({ args: ['json'], timeoutMs: 10_000 })).value, { ok: true, electron: '1' });
    await assert.rejects(cli.json({ args: ['env-error'], timeoutMs: 10_000 }), (e: unknown) => e instanceof EngineCliError && e.isEnvironment && /install docker/.test(e.message));
    await assert.rejects(cli.json({ args: ['garbage'], timeoutMs: 10_000 }), /not JSON: <html>/);
    const missing = await new EngineCli(path.join(dir, 'nope.js')).run({ args: [], timeoutMs: 10_000 });
    assert.notEqual(missing.code, 0);
  });

  it('stops a hung run with SIGTERM on timeout and on cancel, letting it clean up', async () => {
    const timed = await cli.run({ args: ['hang'], timeoutMs: 300 });
    assert.equal(timed.timedOut, true);
    assert.equal(timed.stdout, 'cleaned up\n');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const cancelled = await cli.run({ args: ['hang'], timeoutMs: 10_000, signal: ac.signal });
    assert.equal(cancelled.cancelled, true);
    assert.equal(cancelled.stdout, 'cleaned up\n');
    await assert.rejects(cli.json({ args: ['hang'], timeoutMs: 300 }), /stopped after 0 s/);
  });
});

describe('plan subjects and flags', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cloche-subject-'));
  const cb = path.join(root, 'cookbooks', 'web');
  mkdirSync(path.join(cb, 'recipes'), { recursive: true });
  mkdirSync(path.join(cb, 'templates', 'default'), { recursive: true });
  writeFileSync(path.join(cb, 'metadata.rb'), "name 'web'\n");

  it('a recipe is planned itself; any other cookbook file plans the cookbook; outside a cookbook nothing', () => {
    assert.deepEqual(subjectOf(path.join(cb, 'recipes', 'site.rb')), { path: path.join(cb, 'recipes', 'site.rb'), cookbookDir: cb, label: 'web::site' });
    assert.deepEqual(subjectOf(path.join(cb, 'templates', 'default', 'a.erb')), { path: cb, cookbookDir: cb, label: 'web::default' });
    assert.equal(subjectOf(path.join(root, 'elsewhere.rb')), undefined);
  });

  it('passes the runtime unless auto, the container limits, and the image configured for the platform profile', () => {
    assert.deepEqual(targetFlags(DEFAULTS), ['--memory', '2g', '--pids-limit', '2048']);
    assert.deepEqual(targetFlags({ ...DEFAULTS, platform: 'ubuntu-24.04', container: { runtime: 'podman', images: { 'ubuntu-24.04': 'u:24', 'debian-12': 'd' }, memory: '512m', pidsLimit: 300 } }),
      ['--runtime', 'podman', '--memory', '512m', '--pids-limit', '300', '--image', 'u:24']);
  });
});

it('fidelity status text: the share fully known, each part, and the commonest reason', () => {
  const s = { platform: 'debian-12', resources: 40, known: { type: 40, name: 38, actions: 40, properties: 30, fully: 29 }, reasons: [{ reason: '`shell_out` runs a command on the machine', count: 9, examples: [] }] };
  assert.equal(fidelityPercent(s), 73);
  const l = fidelityLabel(s);
  assert.equal(l.text, 'Cloche knows 73% of 40 resources');
  assert.match(l.detail, /name 95% .* properties 75% — most often unknown: `shell_out`/);
});
