/**
 * RPM without a container: rpm's version ordering (rpm's own rpmvercmp test vectors), dnf's
 * version matching, the rpm part of the probe (script and records), and the dnf/yum package plan
 * and apply scripts over a hand-built state. The same paths against real rpm and dnf: rpm.test.ts.
 * Run: node --import tsx --test test/engine/rpmVersion.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRpmEvr, parseEvr, rpmvercmp, rpmVersionMatches } from '../../server/src/engine/rpmVersion';
import { buildProbeScript, parseProbeOutput } from '../../server/src/engine/probeScript';
import { NO_RPM, VirtualState, type PackageInfo } from '../../server/src/engine/state';
import { simulate } from '../../server/src/engine/plan';
import { planAction } from '../../server/src/engine/planner';
import { packageProvider } from '../../server/src/engine/providers/package';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import type { PlanStep } from '../../server/src/protocol';
import type { EngineResource } from '../../server/src/engine/types';
import { FACTS, input, res } from './helpers';

/** rpm's tests/rpmvercmp.at: [a, b, expected]. */
const VECTORS: [string, string, number][] = [
  ['1.0', '1.0', 0], ['1.0', '2.0', -1], ['2.0', '1.0', 1], ['2.0.1', '2.0.1', 0], ['2.0', '2.0.1', -1], ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0], ['2.0.1a', '2.0.1', 1], ['2.0.1', '2.0.1a', -1], ['5.5p1', '5.5p1', 0], ['5.5p1', '5.5p2', -1], ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0], ['5.5p1', '5.5p10', -1], ['5.5p10', '5.5p1', 1], ['10xyz', '10.1xyz', -1], ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0], ['xyz10', 'xyz10.1', -1], ['xyz10.1', 'xyz10', 1], ['xyz.4', 'xyz.4', 0], ['xyz.4', '8', -1], ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1], ['2', 'xyz.4', 1], ['5.5p2', '5.6p1', -1], ['5.6p1', '5.5p2', 1], ['5.6p1', '6.5p1', -1], ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1], ['6.0', '6.0.rc1', -1], ['10b2', '10a1', 1], ['10a2', '10b2', -1], ['1.0aa', '1.0aa', 0], ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1], ['10.0001', '10.0001', 0], ['10.0001', '10.1', 0], ['10.1', '10.0001', 0], ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1], ['4.999.9', '5.0', -1], ['5.0', '4.999.9', 1], ['20101121', '20101121', 0], ['20101121', '20101122', -1],
  ['20101122', '20101121', 1], ['2_0', '2_0', 0], ['2.0', '2_0', 0], ['2_0', '2.0', 0], ['a', 'a', 0], ['a+', 'a+', 0], ['a+', 'a_', 0],
  ['a_', 'a+', 0], ['+a', '+a', 0], ['+a', '_a', 0], ['_a', '+a', 0], ['+_', '+_', 0], ['_+', '+_', 0], ['_+', '_', 0], ['+', '_', 0],
  ['_', '+', 0], ['1.0~rc1', '1.0~rc1', 0], ['1.0~rc1', '1.0', -1], ['1.0', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc2', -1], ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0], ['1.0~rc1~git123', '1.0~rc1', -1], ['1.0~rc1', '1.0~rc1~git123', 1], ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1], ['1.0', '1.0^', -1], ['1.0^git1', '1.0^git1', 0], ['1.0^git1', '1.0', 1], ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1], ['1.0^git2', '1.0^git1', 1], ['1.0^git1', '1.01', -1], ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0], ['1.0^20160101', '1.0.1', -1], ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0], ['1.0^20160102', '1.0^20160101^git1', 1], ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1^git1', '1.0~rc1^git1', 0], ['1.0~rc1^git1', '1.0~rc1', 1], ['1.0~rc1', '1.0~rc1^git1', -1], ['1.0^git1~pre', '1.0^git1~pre', 0],
  ['1.0^git1', '1.0^git1~pre', 1], ['1.0^git1~pre', '1.0^git1', -1], ['1b.fc17', '1b.fc17', 0], ['1b.fc17', '1.fc17', -1],
  ['1.fc17', '1b.fc17', 1], ['1g.fc17', '1g.fc17', 0], ['1g.fc17', '1.fc17', 1], ['1.fc17', '1g.fc17', -1],
];

const sign = (n: number): number => Math.sign(n);

describe('rpm version ordering and matching', () => {
  test('rpmvercmp agrees with every vector of rpm\'s own test suite', () => {
    const wrong = VECTORS.filter(([a, b, want]) => sign(rpmvercmp(a, b)) !== want).map(([a, b, want]) => `${a} vs ${b}: got ${rpmvercmp(a, b)}, want ${want}`);
    assert.deepEqual(wrong, []);
  });

  test('EVRs: the epoch first (missing is 0), then version, then release (a missing release sorts first)', () => {
    assert.equal(compareRpmEvr('1:2.9-1', '3.0-1'), 1);
    assert.equal(compareRpmEvr('2.10~rc1-1', '2.9-1'), 1);
    assert.equal(compareRpmEvr('0:1.0-1', '1.0-1'), 0);
    assert.equal(compareRpmEvr('1.0', '1.0-1'), -1);
    assert.equal(compareRpmEvr('1.0-10', '1.0-2'), 1);
    assert.equal(compareRpmEvr('10:1-1', '2:1-1'), 1);
    assert.deepEqual(['3.0-1', '1:2.9-1', '1:2.10~rc1-1', '1:2.10-1'].sort(compareRpmEvr), ['3.0-1', '1:2.9-1', '1:2.10~rc1-1', '1:2.10-1']);
    assert.deepEqual(parseEvr('2:1.0-1.el9'), { epoch: '2', version: '1.0', release: '1.el9' });
    assert.deepEqual(parseEvr('1.0'), { epoch: undefined, version: '1.0' });
  });

  test('a pinned version matches as dnf\'s name-version does: parts left out match anything', () => {
    assert.ok(rpmVersionMatches('1.0', '1.0-1'));
    assert.ok(rpmVersionMatches('1.0-1', '1.0-1'));
    assert.ok(rpmVersionMatches('2.9', '1:2.9-1'), 'no epoch written: any epoch');
    assert.ok(rpmVersionMatches('1:2.9-1', '1:2.9-1'));
    assert.ok(!rpmVersionMatches('0:2.9', '1:2.9-1'), 'epoch written: must be equal');
    assert.ok(!rpmVersionMatches('1.0-2', '1.0-1'));
    assert.ok(!rpmVersionMatches('1.0', '1.0.1-1'));
    assert.ok(!rpmVersionMatches('1.1', '1.0-1'));
  });
});

describe('the rpm part of the probe', () => {
  test('rpm queries go to _rp (bare name added for name.arch) with their own end record; dpkg-only probes carry no rpm code', () => {
    const p = buildProbeScript([{ kind: 'package', name: 'cloche-hello', manager: 'rpm' }, { kind: 'package', name: 'curl.x86_64', manager: 'rpm' }, { kind: 'package', name: 'nginx', manager: 'dpkg' }], { nonce: 'n' });
    assert.match(p.script, /\n_rp cloche-hello curl\.x86_64 curl\n_o g rpmend 0\n/);
    assert.match(p.script, /--dbpath "\$_rt"/, 'rpm reads a copy of its database');
    assert.match(p.script, /dpkg-query -W/);
    const dpkgOnly = buildProbeScript([{ kind: 'package', name: 'nginx', manager: 'dpkg' }], { nonce: 'n' });
    assert.doesNotMatch(dpkgOnly.script, /_rp\(\)|rpm -q/);
    const auto = buildProbeScript([{ kind: 'package', name: 'nginx' }], { nonce: 'n' });
    assert.match(auto.script, /elif command -v rpm >\/dev\/null 2>&1; then\n  _o g pm rpm\n  _rp nginx\n/, 'without dpkg, a query without a manager goes to rpm');
  });

  test('records: installed and candidate by rpm order, name.arch, epoch 0 dropped, and why a candidate is unknown', () => {
    const p = buildProbeScript([
      { kind: 'package', name: 'cloche-hello', manager: 'rpm' }, { kind: 'package', name: 'cloche-extra.noarch', manager: 'rpm' },
      { kind: 'package', name: 'kernel', manager: 'rpm' }, { kind: 'package', name: 'nope', manager: 'rpm' },
    ], { nonce: 'z', facts: false });
    const out = (repos: string[], more: string[] = []) => [
      '@@z g rpm present', '@@z g rpmdb copy', '@@z g rpmpkg cloche-hello|noarch|1.0-1', '@@z g rpmpkg kernel|x86_64|5.14.0-427.el9',
      '@@z g rpmpkg kernel|x86_64|5.14.0-70.el9', '@@z g rpmavail cloche-hello|noarch|0:1.0-1|cloche', '@@z g rpmavail cloche-hello|noarch|0:1.1-1|cloche',
      '@@z g rpmavail cloche-extra|noarch|0:3.0-1|cloche', '@@z g rpmavail cloche-extra|noarch|1:2.10~rc1-1|cloche', '@@z g rpmavail cloche-extra|noarch|1:2.9-1|cloche',
      '@@z g rpmavail cloche-extra|x86_64|9:9.9-1|cloche', ...more, ...repos.map((r) => `@@z g rpmrepo ${r}`), '@@z g rpmend 0', '@@z g end 0',
    ].join('\n');
    const s = VirtualState.fromProbe(p, parseProbeOutput(out(['cloche|read']), p));
    const get = (n: string): PackageInfo => { const k = s.pkg(n, 'rpm'); assert.ok(k.ok, n); return k.value; };
    assert.deepEqual(get('cloche-hello'), { installed: '1.0-1', candidate: '1.1-1', available: ['1.0-1', '1.1-1'] });
    assert.equal(get('cloche-extra.noarch').candidate, '1:2.10~rc1-1', 'rpm order, and only the noarch build');
    assert.equal(get('kernel').installed, '5.14.0-427.el9', 'several installed: the newest');
    assert.deepEqual(get('nope'), { installed: undefined, candidate: undefined, available: [] });
    assert.ok(!s.pkg('cloche-hello').ok, 'rpm answers are not dpkg answers');
    const some = VirtualState.fromProbe(p, parseProbeOutput(out(['cloche|read', 'epel|nocache']), p));
    assert.equal((some.pkg('nope', 'rpm') as { value: PackageInfo }).value.note, 'repositories without readable cached metadata: epel (nocache)');
    const none = VirtualState.fromProbe(p, parseProbeOutput(out(['cloche|nocache']), p));
    assert.match((none.pkg('nope', 'rpm') as { value: PackageInfo }).value.note ?? '', /the dnf metadata cache is empty \(cloche: dnf makecache first\)/);
    const cut = VirtualState.fromProbe(p, parseProbeOutput(out(['cloche|read']).replace('@@z g rpmend 0\n', ''), p));
    assert.ok(!cut.pkg('cloche-hello', 'rpm').ok, 'no rpmend: garbled, not guessed');
  });
});

/** A state where the probe read these rpm packages from a repository whose metadata is cached. */
function rpmState(pkgs: Record<string, PackageInfo>): VirtualState {
  const s = new VirtualState();
  for (const [name, info] of Object.entries(pkgs)) s.setPkg(name, info, 'rpm');
  return s;
}
const HELLO: PackageInfo = { installed: undefined, candidate: '1.1-1', available: ['1.0-1', '1.1-1'] };
const EXTRA: PackageInfo = { installed: undefined, candidate: '1:2.10~rc1-1', available: ['3.0-1', '1:2.9-1', '1:2.10~rc1-1'] };
const byId = (steps: PlanStep[], id: string): PlanStep => { const s = steps.find((x) => x.resource === id); assert.ok(s, id); return s; };
const msg = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');

describe('dnf_package and yum_package plans and scripts (hand-built state)', () => {
  test('the class picks the database: dnf/yum_package → rpm, apt_package → dpkg, package → as resolved for the platform', () => {
    const q = (r: EngineResource, facts = FACTS) => packageProvider.queries(r, facts);
    assert.deepEqual(q(res('dnf_package', 'a')), [{ kind: 'package', name: 'a', manager: 'rpm' }], 'even on a Debian platform');
    assert.deepEqual(q(res('yum_package', 'a')), [{ kind: 'package', name: 'a', manager: 'rpm' }]);
    assert.deepEqual(q(res('apt_package', 'a')), [{ kind: 'package', name: 'a', manager: 'dpkg' }]);
    assert.deepEqual(q(res('package', 'a', {}, { resolvedType: 'dnf_package' })), [{ kind: 'package', name: 'a', manager: 'rpm' }]);
    assert.deepEqual(q(res('package', 'a'), getPlatformProfile('almalinux-9')!), [{ kind: 'package', name: 'a', manager: 'rpm' }]);
    assert.deepEqual(q(res('package', 'a'), { ...FACTS, packageManager: undefined }), [{ kind: 'package', name: 'a' }]);
  });

  test('install: the newest candidate by rpm order; a pinned version resolves to its EVR; forward simulation; removal', async () => {
    const steps = await simulate(input([
      res('dnf_package', 'nope', {}, { actions: ['install'] }),
      res('dnf_package', 'cloche-hello pinned', { package_name: 'cloche-hello', version: '9.9' }, { actions: ['install'] }),
      res('dnf_package', 'cloche-hello', {}, { actions: ['install'] }),
      res('dnf_package', 'cloche-extra', {}, { actions: ['install'] }),
      res('yum_package', 'old extra', { package_name: 'cloche-extra', version: '2.9' }, { actions: ['install'] }),
      res('dnf_package', 'gone', { package_name: 'cloche-hello' }, { actions: ['remove'] }),
      res('dnf_package', 'nope later', { package_name: 'nope' }, { actions: ['install'] }),
    ]), rpmState({ 'cloche-hello': HELLO, 'cloche-extra': EXTRA, nope: { available: [] } }), FACTS);
    assert.equal(msg(byId(steps, 'dnf_package[cloche-hello]')), 'would install cloche-hello 1.1-1');
    assert.match(byId(steps, 'dnf_package[cloche-hello]').assumptions?.join() ?? '', /newest version in the dnf metadata cache/);
    assert.equal(msg(byId(steps, 'dnf_package[cloche-extra]')), 'would install cloche-extra 1:2.10~rc1-1');
    assert.equal(msg(byId(steps, 'yum_package[old extra]')), 'would downgrade cloche-extra 1:2.10~rc1-1 → 1:2.9-1', 'planned after the install above');
    assert.equal(msg(byId(steps, 'dnf_package[gone]')), 'would remove cloche-hello 1.1-1');
    assert.equal(byId(steps, 'dnf_package[nope]').status, 'unknown');
    assert.match(byId(steps, 'dnf_package[nope]').reason ?? '', /no package named nope in the enabled repositories' cached metadata: dnf would fail/);
    assert.match(byId(steps, 'dnf_package[cloche-hello pinned]').reason ?? '', /no version 9\.9 of cloche-hello .*they offer 1\.0-1, 1\.1-1/);
    const later = byId(steps, 'dnf_package[nope later]');
    assert.equal(later.status, 'change', 'after package steps, a missing package may come from a repository they add (epel-release)');
    assert.match(later.assumptions?.join() ?? '', /nope is not in the dnf metadata cache; dnf_package\[cloche-hello\], .* planned earlier, may add a repository that does/);
  });

  test('installed: version 1.0 is satisfied by 1.0-1 and 2.9 by 1:2.9-1; :install leaves it, :upgrade moves to the candidate, not past it', async () => {
    const state = () => rpmState({ 'cloche-hello': { ...HELLO, installed: '1.0-1' }, 'cloche-extra': { ...EXTRA, installed: '1:2.9-1' } });
    const steps = await simulate(input([
      res('dnf_package', 'a', { package_name: 'cloche-hello', version: '1.0' }, { actions: ['install'] }),
      res('dnf_package', 'b', { package_name: 'cloche-extra', version: '2.9' }, { actions: ['install'] }),
      res('dnf_package', 'c', { package_name: 'cloche-hello' }, { actions: ['install'] }),
      res('dnf_package', 'd', { package_name: 'cloche-extra', version: '1:2.9-1' }, { actions: ['upgrade'] }),
    ]), state(), FACTS);
    assert.deepEqual(steps.map((s) => s.status), ['up-to-date', 'up-to-date', 'up-to-date', 'up-to-date']);
    const up = await simulate(input([res('dnf_package', 'cloche-hello', {}, { actions: ['upgrade'] }), res('yum_package', 'cloche-extra', {}, { actions: ['upgrade'] })]), state(), FACTS);
    assert.equal(msg(up[0]), 'would upgrade cloche-hello 1.0-1 → 1.1-1');
    assert.equal(msg(up[1]), 'would upgrade cloche-extra 1:2.9-1 → 1:2.10~rc1-1', '3.0-1 has no epoch: older');
    const newer = await simulate(input([res('dnf_package', 'cloche-hello', {}, { actions: ['upgrade'] })]), rpmState({ 'cloche-hello': { ...HELLO, installed: '2.0-1' } }), FACTS);
    assert.equal(newer[0].status, 'up-to-date', 'installed newer than the candidate: nothing to upgrade');
    const blind = await simulate(input([res('dnf_package', 'cloche-hello', {}, { actions: ['upgrade'] })]), rpmState({ 'cloche-hello': { installed: '1.0-1', available: [], note: 'the dnf metadata cache is empty (cloche: dnf makecache first)' } }), FACTS);
    assert.equal(blind[0].status, 'unknown', 'no candidate known: not claimed up to date');
    assert.match(blind[0].reason ?? '', /cannot tell whether cloche-hello 1\.0-1 is the newest version: .*dnf makecache first/);
    const fresh = await simulate(input([res('dnf_package', 'cloche-hello', {}, { actions: ['install'] })]), rpmState({ 'cloche-hello': { available: [], note: 'the dnf metadata cache is empty (cloche: dnf makecache first)' } }), FACTS);
    assert.equal(fresh[0].status, 'change');
    assert.match(msg(fresh[0]), /would install cloche-hello \(candidate version unknown: the dnf metadata cache is empty/);
    const norpm = await simulate(input([res('dnf_package', 'x', {}, { actions: ['install'] })]), rpmState({ x: { available: [], note: NO_RPM } }), FACTS);
    assert.match(norpm[0].reason ?? '', /dnf_package needs rpm and dnf, and the container has no rpm/);
  });

  test('scripts: dnf for dnf_package, yum when present for yum_package; name-version (before the arch); :upgrade installs what is missing', () => {
    const script = (r: EngineResource, action: string, pkgs: Record<string, PackageInfo>): string => {
      const { verdict, ctx } = planAction(r, action, [], rpmState(pkgs), input([r]), FACTS);
      assert.ok(verdict && ctx);
      return packageProvider.apply(ctx, verdict)!.script;
    };
    assert.equal(script(res('dnf_package', 'cloche-hello', { version: '1.0' }), 'install', { 'cloche-hello': HELLO }), "dnf -y install 'cloche-hello-1.0'");
    assert.equal(script(res('dnf_package', 'curl.x86_64', { version: '7.76.1' }), 'install', { 'curl.x86_64': { available: ['7.76.1-29.el9'], candidate: '7.76.1-29.el9' } }),
      "dnf -y install 'curl-7.76.1.x86_64'");
    assert.match(script(res('yum_package', 'cloche-hello'), 'remove', { 'cloche-hello': { ...HELLO, installed: '1.1-1' } }),
      /^"\$\(command -v yum >\/dev\/null 2>&1 && echo yum \|\| echo dnf\)" -y remove 'cloche-hello'$/);
    const multi = res('dnf_package', 'both', { package_name: ['cloche-hello', 'cloche-extra'] });
    const up = script(multi, 'upgrade', { 'cloche-hello': { ...HELLO, installed: '1.0-1' }, 'cloche-extra': EXTRA });
    assert.match(up, /for _p in 'cloche-hello' 'cloche-extra'; do if rpm -q --quiet "\$_p"; then _u="\$_u \$_p"; else _i="\$_i \$_p"; fi; done/);
    assert.match(up, /\[ -z "\$_i" \] \|\| dnf -y install \$_i; \} && \{ \[ -z "\$_u" \] \|\| dnf -y upgrade \$_u; \}/);
    assert.equal(script(multi, 'install', { 'cloche-hello': { ...HELLO, installed: '1.0-1' }, 'cloche-extra': EXTRA }), "dnf -y install 'cloche-extra'", 'only what would change');
  });
});
