/**
 * dnf_package / yum_package against REAL rpm and dnf: an image derived from the local Debian base
 * with Debian's rpm, dnf and createrepo-c, tiny packages built with rpmbuild and a local file://
 * repository (rpmImage.ts; built once and cached as cloche/test-rpm:1, network host for apt).
 * Containers run with network none: everything dnf needs is in the image.
 *
 * Plans (newest candidate by rpm order, pinned versions, upgrade, downgrade, remove, forward
 * simulation, what dnf would refuse), converges, idempotence re-plans, `docker diff` unchanged by
 * every plan, repositories enabled/disabled/uncached, dnf's failure exit, rpm's own version
 * comparison against ours, and `package` compiled for almalinux-9 through the built CLI.
 * Run: npm run build && node --import tsx --test test/engine/rpm.test.ts
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { planInContainer } from '../../server/src/engine/plan';
import { compareRpmEvr } from '../../server/src/engine/rpmVersion';
import type { EngineInput } from '../../server/src/engine/types';
import type { ConvergeReport, Plan, PlanStep } from '../../server/src/protocol';
import { connectDocker, input, res } from './helpers';
import { ensureRpmImage, RPM_IMAGE, SPEC_SHELL_FUNCTION } from './rpmImage';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const target = (id: string) => ({ runtime: 'docker', image: RPM_IMAGE, container: id, platform: 'debian-12' });
const step = (plan: Plan | ConvergeReport, id: string): PlanStep => {
  const s = plan.steps.find((x) => x.resource === id);
  assert.ok(s, `no step for ${id}`);
  return s;
};
const msg = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');
const sorted = (d: { kind: string; path: string }[]): string[] => d.map((e) => `${e.kind} ${e.path}`).sort();
/** What rpm says is installed: `name evr` lines (`-` when not installed). */
const RPM_Q = `for p in cloche-hello cloche-extra; do rpm -q --qf '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n' "$p" >/dev/null 2>&1 && rpm -q --qf '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n' "$p" || echo "$p -"; done`;

describe('dnf/yum packages against real rpm and dnf', () => {
  let docker: ContainerDriver | string | undefined;
  let skip: string | undefined;
  let id = '';
  const usable = (t: TestContext): boolean => {
    if (docker instanceof ContainerDriver && !skip) return true;
    t.skip(`no runtime or image: ${typeof docker === 'string' ? docker : skip}`);
    return false;
  };
  const d = (): ContainerDriver => docker as ContainerDriver;
  const sh = async (script: string, c = id): Promise<string> => {
    const r = await d().exec(c, script, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${script}\n${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  /** Plans and checks that the plan left the container exactly as it was. */
  const plan = async (inp: EngineInput, c = id): Promise<Plan> => {
    const before = sorted(await d().diff(c));
    const p = await planInContainer({ driver: d(), container: c, input: inp, target: target(c) });
    assert.deepEqual(sorted(await d().diff(c)), before, 'docker diff unchanged by the plan');
    assert.equal(p.timings.roundTrips, 1);
    return p;
  };
  const convergeOk = async (inp: EngineInput): Promise<ConvergeReport> => {
    const report = await converge({ driver: d(), container: id, input: inp, target: target(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    return report;
  };
  const idempotent = async (inp: EngineInput): Promise<Plan> => {
    const started = Date.now();
    const again = await plan(inp);
    const verdict = judgeIdempotence(again, Date.now() - started);
    assert.deepEqual(verdict.offenders, []);
    assert.ok(again.steps.every((s) => s.status === 'up-to-date'), again.steps.map((s) => `${s.resource}: ${s.status} ${s.reason ?? ''}`).join('\n'));
    return again;
  };

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    skip = await ensureRpmImage(docker);
    if (skip) return;
    id = await docker.create({ image: RPM_IMAGE, network: 'none', labels: { 'cloche.test': 'engine-rpm' } });
  });
  after(async () => {
    if (docker instanceof ContainerDriver) await docker.sweep({ session: docker.sessionId });
  });

  test('our EVR order agrees with the container\'s rpm (rpm.vercmp)', async (t) => {
    if (!usable(t)) return;
    const pairs: [string, string][] = [
      ['1:2.9-1', '3.0-1'], ['2.10~rc1-1', '2.9-1'], ['1.0', '1.0-1'], ['1.0-1', '1.0'], ['0:1.0-1', '1.0-1'], ['1.0-1.el9', '1.0-1.el9_4'],
      ['2:1-1', '10:1-1'], ['1.0-2', '1.0-10'], ['1.0-1', '1.0-1'], ['4.18.0-553.el8_10', '4.18.0-553.5.1.el8_10'], ['1.2.3^20240101-1', '1.2.3-1'],
      ['1.0~rc1^git1-1', '1.0~rc1-1'], ['5.5p10-1', '5.5p2-1'], ['1.0a-1', '1.0-1'], ['1.0-1a', '1.0-1.1'], ['2_0-1', '2.0-1'],
    ];
    const out = await sh(`rpm --eval '${pairs.map(([a, b]) => `%{lua: print(rpm.vercmp("${a}", "${b}"))}`).join(' ')}'`);
    const theirs = out.trim().split(/\s+/).map(Number);
    assert.equal(theirs.length, pairs.length, out);
    assert.deepEqual(pairs.map(([a, b]) => Math.sign(compareRpmEvr(a, b))), theirs.map(Math.sign), pairs.map((p, i) => `${p.join(' vs ')}: rpm ${theirs[i]}`).join('\n'));
  });

  test('fresh container: newest candidate by rpm order, a pinned version resolved, forward simulation, what dnf would refuse; no trace, one exec', async (t) => {
    if (!usable(t)) return;
    const p = await plan(input([
      res('dnf_package', 'cloche-missing', {}, { actions: ['install'] }),
      res('dnf_package', 'hello 9.9', { package_name: 'cloche-hello', version: '9.9' }, { actions: ['install'] }),
      res('dnf_package', 'cloche-hello', {}, { actions: ['install'] }),
      res('dnf_package', 'cloche-extra', {}, { actions: ['install'] }),
      res('yum_package', 'older extra', { package_name: 'cloche-extra', version: '2.9' }, { actions: ['install'] }),
      res('dnf_package', 'hello gone', { package_name: 'cloche-hello' }, { actions: ['remove'] }),
      res('dnf_package', 'never installed', { package_name: 'cloche-extra' }, { actions: ['remove'] }),
    ]));
    assert.equal(msg(step(p, 'dnf_package[cloche-hello]')), 'would install cloche-hello 1.1-1');
    assert.equal(msg(step(p, 'dnf_package[cloche-extra]')), 'would install cloche-extra 1:2.10~rc1-1', 'epoch 1 beats 3.0; 2.10~rc1 beats 2.9');
    assert.equal(msg(step(p, 'yum_package[older extra]')), 'would downgrade cloche-extra 1:2.10~rc1-1 → 1:2.9-1');
    assert.equal(msg(step(p, 'dnf_package[hello gone]')), 'would remove cloche-hello 1.1-1');
    assert.equal(step(p, 'dnf_package[cloche-missing]').status, 'unknown');
    assert.match(step(p, 'dnf_package[cloche-missing]').reason ?? '', /no package named cloche-missing .*dnf would fail/);
    assert.match(step(p, 'dnf_package[hello 9.9]').reason ?? '', /no version 9\.9 of cloche-hello .*\(they offer 1\.0-1, 1\.1-1\)/);
    assert.equal(step(p, 'dnf_package[never installed]').status, 'change', 'removes what the steps before it install');
    assert.equal(await sh('ls -A /dev/shm'), '', 'the copy of the rpm database is gone');
  });

  test('converge a pinned version and the newest candidate: dnf installs what the plan said; the re-plan is empty', async (t) => {
    if (!usable(t)) return;
    const inp = input([
      res('dnf_package', 'cloche-hello', { version: '1.0' }, { actions: ['install'] }),
      res('dnf_package', 'cloche-extra', {}, { actions: ['install'] }),
    ]);
    const predicted = (await plan(inp)).steps.map(msg);
    assert.deepEqual(predicted, ['would install cloche-hello 1.0-1', 'would install cloche-extra 1:2.10~rc1-1']);
    const report = await convergeOk(inp);
    assert.equal(report.summary.applied, 2);
    assert.equal(await sh(RPM_Q), 'cloche-hello 1.0-1\ncloche-extra 1:2.10~rc1-1\n');
    assert.equal(await sh('cat /usr/share/cloche-hello/version /usr/share/cloche-extra/version'), '1.0\n2.10~rc1\n');
    await idempotent(inp);
  });

  test(':upgrade moves to the candidate (and :install leaves an installed package alone); converged, then up to date', async (t) => {
    if (!usable(t)) return;
    const inp = input([
      res('dnf_package', 'cloche-hello', {}, { actions: ['upgrade'] }),
      res('dnf_package', 'hello installed', { package_name: 'cloche-hello' }, { actions: ['install'] }),
      res('yum_package', 'cloche-extra', {}, { actions: ['upgrade'] }),
    ]);
    const p = await plan(inp);
    assert.equal(msg(step(p, 'dnf_package[cloche-hello]')), 'would upgrade cloche-hello 1.0-1 → 1.1-1');
    assert.equal(step(p, 'dnf_package[hello installed]').status, 'up-to-date');
    assert.equal(step(p, 'yum_package[cloche-extra]').status, 'up-to-date', '1:2.10~rc1-1 is the newest (3.0-1 has no epoch)');
    await convergeOk(inp);
    assert.equal(await sh(RPM_Q), 'cloche-hello 1.1-1\ncloche-extra 1:2.10~rc1-1\n');
    assert.equal(await sh('cat /usr/share/cloche-hello/version'), '1.1\n');
    await idempotent(inp);
  });

  test('yum_package: downgrade to a pinned version and remove (dnf stands in for yum); converged, then up to date', async (t) => {
    if (!usable(t)) return;
    const inp = input([
      res('yum_package', 'cloche-extra', { version: '2.9' }, { actions: ['install'] }),
      res('yum_package', 'cloche-hello', {}, { actions: ['remove'] }),
    ]);
    const p = await plan(inp);
    assert.equal(msg(step(p, 'yum_package[cloche-extra]')), 'would downgrade cloche-extra 1:2.10~rc1-1 → 1:2.9-1');
    assert.equal(msg(step(p, 'yum_package[cloche-hello]')), 'would remove cloche-hello 1.1-1');
    await convergeOk(inp);
    assert.equal(await sh(RPM_Q), 'cloche-hello -\ncloche-extra 1:2.9-1\n');
    assert.equal(await sh('[ -e /usr/share/cloche-hello/version ] && echo present || echo absent'), 'absent\n');
    await idempotent(inp);
  });

  test(':upgrade of a package that is not installed installs it (dnf upgrade alone would exit 1)', async (t) => {
    if (!usable(t)) return;
    const inp = input([res('dnf_package', 'both', { package_name: ['cloche-hello', 'cloche-extra'] }, { actions: ['upgrade'] })]);
    assert.equal(msg((await plan(inp)).steps[0]), 'would install cloche-hello 1.1-1\nwould upgrade cloche-extra 1:2.9-1 → 1:2.10~rc1-1');
    await convergeOk(inp);
    assert.equal(await sh(RPM_Q), 'cloche-hello 1.1-1\ncloche-extra 1:2.10~rc1-1\n');
    await idempotent(inp);
  });

  test('a version no cached repository offers: unknown in the plan, so the converge does not run dnf on it (not applied, incomplete)', async (t) => {
    if (!usable(t)) return;
    const inp = input([res('dnf_package', 'cloche-hello', { version: '9.9' }, { actions: ['install'] })]);
    const planned = (await plan(inp)).steps[0];
    assert.equal(planned.status, 'unknown');
    const report = await converge({ driver: d(), container: id, input: inp, target: target(id) });
    assert.deepEqual(report.result, { ok: true });
    assert.equal(report.verdict, 'incomplete');
    assert.equal(report.steps[0].done, 'not-applied');
    assert.equal(report.notApplied[0].reason, planned.reason);
    assert.equal(await sh(RPM_Q), 'cloche-hello 1.1-1\ncloche-extra 1:2.10~rc1-1\n', 'nothing changed');
  });

  test('repositories: enabled ones are read, disabled ones ignored, uncached ones said; an empty cache makes candidates unknown', async (t) => {
    if (!usable(t)) return;
    const c = await d().create({ image: RPM_IMAGE, network: 'none', labels: { 'cloche.test': 'engine-rpm-repos' } });
    await sh([
      'set -e', 'dnf -q -y install cloche-hello-1.0 >/dev/null', SPEC_SHELL_FUNCTION,
      'rm -rf /root/rpmbuild/RPMS', 'spec cloche-hello 9.0 1', 'mkdir -p /srv/cloche-next', 'cp /root/rpmbuild/RPMS/noarch/*.rpm /srv/cloche-next/', 'createrepo_c --quiet /srv/cloche-next',
      "printf '%s\\n' '[cloche-next]' 'name=Next' 'baseurl=file:///srv/cloche-next' 'gpgcheck=0' > /etc/yum.repos.d/next.repo",
      'dnf -q -y makecache >/dev/null',
    ].join('\n'), c);
    const upgrade = input([res('dnf_package', 'cloche-hello', {}, { actions: ['upgrade'] }), res('dnf_package', 'cloche-extra', {}, { actions: ['install'] })]);
    assert.equal(msg((await plan(upgrade, c)).steps[0]), 'would upgrade cloche-hello 1.0-1 → 9.0-1', 'no enabled= line: enabled');
    await sh("sed -i '/^\\[cloche-next\\]/a enabled = False' /etc/yum.repos.d/next.repo", c);
    assert.equal(msg((await plan(upgrade, c)).steps[0]), 'would upgrade cloche-hello 1.0-1 → 1.1-1', 'disabled: its cache is ignored');
    await sh("printf '%s\\n' '[cloche-later]' 'name=Later' 'baseurl=file:///srv/none' 'enabled=1' > /etc/yum.repos.d/later.repo", c);
    const later = (await plan(upgrade, c)).steps[0];
    assert.equal(msg(later), 'would upgrade cloche-hello 1.0-1 → 1.1-1');
    assert.match(later.assumptions?.join('\n') ?? '', /repositories without readable cached metadata: cloche-later \(nocache\)/);
    await sh('dnf -q clean all >/dev/null', c);
    const blind = await plan(upgrade, c);
    assert.equal(blind.steps[0].status, 'unknown');
    assert.match(blind.steps[0].reason ?? '', /cannot tell whether cloche-hello 1\.0-1 is the newest version: .*the dnf metadata cache is empty \(cloche, cloche-later: dnf makecache first\)/);
    assert.match(msg(blind.steps[1]), /^would install cloche-extra \(candidate version unknown: the dnf metadata cache is empty/);
    await d().destroy(c);
  });

  test('the CLI: `package` compiled for almalinux-9 (--platform, or the facts of an AlmaLinux os-release) is a dnf_package; plan, then `cloche test` in a throwaway container', async (t) => {
    if (!usable(t)) return;
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'cloche-rpm-'));
    try {
      const cb = join(dir, 'rpmapp');
      mkdirSync(join(cb, 'recipes'), { recursive: true });
      writeFileSync(join(cb, 'metadata.rb'), "name 'rpmapp'\nversion '0.1.0'\n");
      writeFileSync(join(cb, 'recipes', 'default.rb'), [
        "package 'cloche-hello' do", "  version '1.0'", 'end', '',
        "package 'cloche-extra' do", '  action :upgrade', 'end', '',
        "file '/etc/rpmapp.conf' do", "  content 'hello from rpm'", 'end', '',
      ].join('\n'));
      const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
      const p = cli('plan', cb, '--image', RPM_IMAGE, '--platform', 'almalinux-9', '--format', 'json');
      assert.equal(p.status, 0, p.stderr);
      const planned = JSON.parse(p.stdout) as Plan;
      assert.equal(planned.target.platform, 'almalinux-9');
      assert.equal(msg(step(planned, 'package[cloche-hello]')), 'would install cloche-hello 1.0-1');
      assert.equal(msg(step(planned, 'package[cloche-extra]')), 'would install cloche-extra 1:2.10~rc1-1');
      // Facts read from the container choose the class too: an AlmaLinux os-release makes `package` a dnf_package.
      const c = await d().create({ image: RPM_IMAGE, network: 'none', labels: { 'cloche.test': 'engine-rpm-facts' } });
      await sh(`rm -f /etc/os-release && printf '%s\\n' 'NAME="AlmaLinux"' 'ID="almalinux"' 'ID_LIKE="rhel centos fedora"' 'VERSION_ID="9.4"' > /etc/os-release`, c);
      const f = cli('plan', cb, '--container', c, '--format', 'json');
      assert.equal(f.status, 0, f.stderr);
      const byFacts = JSON.parse(f.stdout) as Plan;
      assert.equal(byFacts.target.platform, 'almalinux-9.4');
      assert.deepEqual(byFacts.steps.filter((s) => s.type === 'package').map(msg), ['would install cloche-hello 1.0-1', 'would install cloche-extra 1:2.10~rc1-1']);
      await d().destroy(c);
      const r = cli('test', cb, '--image', RPM_IMAGE, '--platform', 'almalinux-9', '--network', 'none', '--format', 'json');
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const report = JSON.parse(r.stdout) as ConvergeReport;
      assert.deepEqual(report.result, { ok: true });
      assert.equal(report.summary.applied, 3);
      assert.deepEqual(report.idempotence?.offenders, []);
      assert.equal(report.idempotence?.idempotent, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
