/**
 * apt_preference and dpkg_package. Without a container: the forward simulation feeds the file an
 * apt_preference writes into apt's policy for later package steps. With REAL Docker (containers
 * from the base image, network none): tiny .debs built with dpkg-deb inside the container and two
 * local repositories (backports: NotAutomatic + ButAutomaticUpgrades, experimental: NotAutomatic)
 * made offline; each plan is one exec with `docker diff` unchanged; apt's own `apt-get install -s`
 * in a second container, after writing the same preferences file, is the reference for the
 * pinned version; converges apply, and the re-plan is empty.
 * Run: npm run build && node --import tsx --test test/engine/aptPreferenceDpkg.test.ts
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { planInContainer, simulate } from '../../server/src/engine/plan';
import { buildProbeScript, parseProbeOutput } from '../../server/src/engine/probeScript';
import { VirtualState } from '../../server/src/engine/state';
import type { EngineInput } from '../../server/src/engine/types';
import type { Plan, PlanStep } from '../../server/src/protocol';
import { connectDocker, FACTS, IMAGE, input, res, targetOf } from './helpers';
import { aptSimulated, DEB_REPO_FUNCTIONS } from './debRepos';

const msg = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');

/** A state as a probe of a Debian container with bookworm and bookworm-backports lists would give (hello 2.10-3 / 2.99-1~bpo12+1). */
function aptState(paths: Record<string, string | null> = {}): VirtualState {
  const p = buildProbeScript([{ kind: 'package', name: 'hello', manager: 'dpkg' }, { kind: 'deb', path: '/srv/x.deb' }], { nonce: 'n', facts: false });
  const lines = [
    'g pm dpkg', 'g aptcfg ok', 'g aptdirs /var/lib/apt/lists/|/etc/apt/preferences|/etc/apt/preferences.d/', 'g aptarch amd64',
    'g relfile deb.debian.org_debian_dists_bookworm_InRelease', 'g rel deb.debian.org_debian_dists_bookworm_InRelease|Suite: stable',
    'g relfile deb.debian.org_debian_dists_bookworm-backports_InRelease', 'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|Suite: stable-backports',
    'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|NotAutomatic: yes', 'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|ButAutomaticUpgrades: yes',
    'g plist 1|read|deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages', 'g st 1|hello|2.10-3|amd64|',
    'g plist 2|read|deb.debian.org_debian_dists_bookworm-backports_main_binary-amd64_Packages', 'g st 2|hello|2.99-1~bpo12+1|amd64|',
    '1 field Package: cloche-deb', '1 field Version: 1.0-1', '1 field Architecture: all', '1 end 0',
    'g pkgend 0', 'g end 0',
  ];
  const s = VirtualState.fromProbe(p, parseProbeOutput(lines.map((l) => `@@n ${l}`).join('\n'), p));
  s.setPath('/etc/apt/preferences.d', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
  for (const f of ['hello.pref', 'hello', 'pin_hellowildcard.pref', 'pin.hello*.pref', 'pin.hello*']) {
    const path = `/etc/apt/preferences.d/${f}`;
    const t = paths[path];
    s.setPath(path, t == null ? { kind: 'missing' } : { kind: 'file', owner: 'root', group: 'root', mode: '644', content: t });
  }
  return s;
}

describe('apt_preference and dpkg_package in the forward simulation', () => {
  test('the pin an apt_preference writes is the one a later package step follows', async () => {
    const steps = await simulate(input([
      res('apt_preference', 'hello', { pin: 'release a=stable-backports', pin_priority: 990 }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]), aptState(), FACTS, { withContent: true });
    assert.equal(msg(steps[0]), 'would create apt preference /etc/apt/preferences.d/hello.pref\nwould set mode 0644');
    assert.deepEqual(steps[0].content, { path: '/etc/apt/preferences.d/hello.pref', before: null, after: 'Package: hello\nPin: release a=stable-backports\nPin-Priority: 990\n' });
    assert.match(steps[0].diff ?? '', /^\+Pin-Priority: 990$/m);
    assert.equal(msg(steps[1]), 'would install hello 2.99-1~bpo12+1');
    assert.match(steps[1].reason ?? '', /pinned by \/etc\/apt\/preferences\.d\/hello\.pref line 1/);
    assert.deepEqual(steps[1].assumptions ?? [], []);
  });

  test('sanitised names (dots, wildcards), glob, the legacy files, :remove, and a pin the plan cannot know', async () => {
    const legacy = { '/etc/apt/preferences.d/pin.hello*': 'Package: hello\nPin: version 2.10*\nPin-Priority: 1001\n', '/etc/apt/preferences.d/pin.hello*.pref': 'x\n' };
    const steps = await simulate(input([
      res('apt_preference', 'pin.hello*', { glob: 'hello', pin: 'release a=stable-backports', pin_priority: '600' }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]), aptState(legacy), FACTS);
    assert.equal(msg(steps[0]), [
      'would delete legacy /etc/apt/preferences.d/pin.hello*.pref (replaced by /etc/apt/preferences.d/pin_hellowildcard.pref)',
      'would delete legacy /etc/apt/preferences.d/pin.hello* (replaced by /etc/apt/preferences.d/pin_hellowildcard.pref)',
      'would create apt preference /etc/apt/preferences.d/pin_hellowildcard.pref', 'would set mode 0644'].join('\n'));
    assert.equal(msg(steps[1]), 'would install hello 2.99-1~bpo12+1');
    const same = await simulate(input([res('apt_preference', 'hello', { pin: 'release a=stable-backports', pin_priority: 990 }, { actions: ['add'] })]),
      aptState({ '/etc/apt/preferences.d/hello.pref': 'Package: hello\nPin: release a=stable-backports\nPin-Priority: 990\n' }), FACTS);
    assert.equal(same[0].status, 'up-to-date');
    const removed = await simulate(input([
      res('apt_preference', 'hello', {}, { actions: ['remove'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]), aptState({ '/etc/apt/preferences.d/hello.pref': 'Package: hello\nPin: release a=stable-backports\nPin-Priority: 990\n' }), FACTS);
    assert.equal(msg(removed[0]), 'would delete /etc/apt/preferences.d/hello.pref');
    assert.equal(msg(removed[1]), 'would install hello 2.10-3');
    const unknownPin = await simulate(input([
      res('apt_preference', 'hello', { pin: { $unknown: 'node attribute' }, pin_priority: 990 }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]), aptState(), FACTS);
    assert.equal(unknownPin[0].status, 'unknown');
    assert.equal(unknownPin[1].status, 'unknown');
    assert.match(unknownPin[1].reason ?? '', /hello\.pref cannot be read \(written by apt_preference\[hello\] with content the plan cannot know\)/);
    const noPin = await simulate(input([res('apt_preference', 'hello', { pin_priority: 990 }, { actions: ['add'] })]), aptState(), FACTS);
    assert.equal(noPin[0].status, 'failed');
    assert.match(noPin[0].reason ?? '', /pin is required for action :add/);
  });

  test('dpkg_package: the .deb\'s fields, a source written earlier, no source', async () => {
    const [install] = await simulate(input([res('dpkg_package', 'cloche-deb', { source: '/srv/x.deb' }, { actions: ['install'] })]), aptState(), FACTS);
    assert.equal(msg(install), 'would install cloche-deb 1.0-1 from /srv/x.deb');
    assert.equal(install.status, 'change');
    const s = aptState();
    s.setPath('/srv', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    s.setPath('/srv/x.deb', { kind: 'missing' });
    const written = await simulate(input([
      res('file', '/srv/x.deb', { content: 'not really' }, { actions: ['create'] }),
      res('dpkg_package', 'cloche-deb', { source: '/srv/x.deb' }, { actions: ['install'] }),
    ]), s, FACTS);
    assert.equal(written[1].status, 'unknown');
    assert.match(written[1].reason ?? '', /source \/srv\/x\.deb is written earlier by file\[\/srv\/x\.deb\]; the plan cannot read its Package and Version/);
    const [noSource] = await simulate(input([res('dpkg_package', 'cloche-deb', {}, { actions: ['install'] })]), aptState(), FACTS);
    assert.equal(noSource.status, 'failed');
    assert.match(noSource.reason ?? '', /the source property is required for action :install/);
  });
});

/** Tiny .debs and two local repositories, offline (`apt-get update` of those sources only). */
const SETUP = String.raw`set -e
${DEB_REPO_FUNCTIONS}
deb hello 2.99-1~bpo12+1; deb hello 3.0-1; deb cloche-deb 1.0-1; deb cloche-deb 2.0-1
repo cloche-bpo cloche-backports 'Origin: Cloche' 'Label: Cloche Backports' 'NotAutomatic: yes' 'ButAutomaticUpgrades: yes' -- hello_2.99-1~bpo12+1_all.deb
repo cloche-exp cloche-experimental 'Origin: Cloche' 'Label: Cloche Experimental' 'NotAutomatic: yes' -- hello_3.0-1_all.deb
apt-get -qq update -o Dir::Etc::sourcelist=/dev/null -o APT::Get::List-Cleanup=false
echo 'not a deb' > /srv/cloche-debs/junk.deb
`;

const RESET = 'dpkg -P hello cloche-deb >/dev/null 2>&1 || true\nrm -f /etc/apt/preferences /etc/apt/preferences.d/*';
const DEB1 = '/srv/cloche-debs/cloche-deb_1.0-1_all.deb';
const DEB2 = '/srv/cloche-debs/cloche-deb_2.0-1_all.deb';
const sorted = (d: { kind: string; path: string }[]): string[] => d.map((e) => `${e.kind} ${e.path}`).sort();

describe('apt_preference and dpkg_package against real dpkg and apt', () => {
  let docker: ContainerDriver | string | undefined;
  let skip: string | undefined;
  let planC = '';
  let aptC = '';
  const usable = (t: TestContext): boolean => {
    if (docker instanceof ContainerDriver && !skip) return true;
    t.skip(`no runtime or image: ${typeof docker === 'string' ? docker : skip}`);
    return false;
  };
  const d = (): ContainerDriver => docker as ContainerDriver;
  const sh = async (c: string, script: string, mayFail = false): Promise<string> => {
    const r = await d().exec(c, script, { timeoutMs: 180_000 });
    if (!mayFail) assert.equal(r.code, 0, `${script}\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const write = (path: string, text: string): string => `printf '%s' '${Buffer.from(text).toString('base64')}' | base64 -d > '${path}'`;
  /** Plans in the plan container: one exec, nothing changed. */
  const plan = async (inp: EngineInput): Promise<Plan> => {
    const beforeDiff = sorted(await d().diff(planC));
    const p = await planInContainer({ driver: d(), container: planC, input: inp, target: targetOf(planC), withContent: true });
    assert.deepEqual(sorted(await d().diff(planC)), beforeDiff, 'docker diff unchanged by the plan');
    assert.equal(p.timings.roundTrips, 1);
    return p;
  };
  const convergeOk = async (inp: EngineInput): Promise<void> => {
    const report = await converge({ driver: d(), container: planC, input: inp, target: targetOf(planC) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
  };
  const installed = async (pkg: string): Promise<string> => (await sh(planC, `dpkg-query -W -f='\${db:Status-Abbrev}\${Version}' ${pkg} 2>/dev/null || true`)).trim();

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    if (!(await docker.imageExists(IMAGE))) {
      skip = `the base image ${IMAGE} is missing (build it with \`cloche image build\` or .ci/provision.sh)`;
      if (process.env.CI) throw new Error(`CI is set but ${skip}`);
      console.warn(`\n*** SKIPPING apt_preference/dpkg_package container tests: ${skip}\n`);
      return;
    }
    [planC, aptC] = await Promise.all([1, 2].map(() => (docker as ContainerDriver).create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-apt-preference-dpkg' } })));
    await Promise.all([sh(planC, SETUP), sh(aptC, SETUP)]);
  });
  after(async () => {
    if (docker instanceof ContainerDriver) await docker.sweep({ session: docker.sessionId });
  });

  test('apt_preference: the pref file (legacy file replaced), a later package follows the pin as apt does; converge; re-plan empty', async (t) => {
    if (!usable(t)) return;
    const legacy = 'Package: hello\nPin: release a=cloche-experimental\nPin-Priority: 990\n';
    await Promise.all([planC, aptC].map((c) => sh(c, `${RESET}\n${write('/etc/apt/preferences.d/hello', legacy)}`)));
    // With the legacy file only, apt and the plan take experimental's 3.0-1.
    assert.equal(aptSimulated(await sh(aptC, 'apt-get install -s -q hello', true), 'hello'), '3.0-1');
    const alone = await plan(input([res('apt_package', 'hello', {}, { actions: ['install'] })]));
    assert.equal(msg(alone.steps[0]), 'would install hello 3.0-1');

    const inp = input([
      res('apt_preference', 'hello', { pin: 'release a=cloche-backports', pin_priority: 600 }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]);
    const p = await plan(inp);
    const [pref, pkg] = p.steps;
    assert.equal(pref.status, 'change');
    assert.equal(msg(pref), [
      'would delete legacy /etc/apt/preferences.d/hello (replaced by /etc/apt/preferences.d/hello.pref)',
      'would create apt preference /etc/apt/preferences.d/hello.pref', 'would set mode 0644'].join('\n'));
    const want = 'Package: hello\nPin: release a=cloche-backports\nPin-Priority: 600\n';
    assert.deepEqual(pref.content, { path: '/etc/apt/preferences.d/hello.pref', before: null, after: want });
    assert.match(pref.diff ?? '', /^\+\+\+ b\/etc\/apt\/preferences\.d\/hello\.pref$/m);
    // apt's answer after the same files: the legacy file gone, the pref file written.
    await sh(aptC, `rm -f /etc/apt/preferences.d/hello\n${write(pref.content!.path, pref.content!.after)}`);
    const apt = aptSimulated(await sh(aptC, 'apt-get install -s -q hello', true), 'hello');
    assert.equal(apt, '2.99-1~bpo12+1', 'apt-get install -s with the pin (apt changed?)');
    assert.equal(msg(pkg), `would install hello ${apt}`);
    assert.deepEqual(pkg.assumptions ?? [], []);

    await convergeOk(inp);
    assert.equal(await sh(planC, 'cat /etc/apt/preferences.d/hello.pref; stat -c %a /etc/apt/preferences.d/hello.pref; [ ! -e /etc/apt/preferences.d/hello ] && echo legacy-gone'), `${want}644\nlegacy-gone\n`);
    assert.equal(await installed('hello'), 'ii 2.99-1~bpo12+1');
    const again = await plan(inp);
    assert.deepEqual(again.steps.map((s) => s.status), ['up-to-date', 'up-to-date']);

    // :remove deletes the file; the plan's next candidate is apt's again.
    const rm = input([res('apt_preference', 'hello', {}, { actions: ['remove'] }), res('apt_package', 'hello', {}, { actions: ['upgrade'] })]);
    const pr = await plan(rm);
    assert.equal(msg(pr.steps[0]), 'would delete /etc/apt/preferences.d/hello.pref');
    assert.equal(pr.steps[1].status, 'up-to-date', 'without pins, experimental (1) does not upgrade 2.99 and Debian\'s 2.10 is older');
    await convergeOk(rm);
    assert.equal(await sh(planC, '[ -e /etc/apt/preferences.d/hello.pref ] && echo present || echo absent'), 'absent\n');
    assert.deepEqual((await plan(rm)).steps.map((s) => s.status), ['up-to-date', 'up-to-date']);
  });

  test('apt_preference with a sanitised name and a glob: the plan\'s pinned version is apt\'s', async (t) => {
    if (!usable(t)) return;
    await Promise.all([planC, aptC].map((c) => sh(c, RESET)));
    const inp = input([
      res('apt_preference', 'exp.hello*', { glob: 'hello', pin: 'release l=Cloche Experimental', pin_priority: '990' }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]);
    const p = await plan(inp);
    assert.equal(p.steps[0].content?.path, '/etc/apt/preferences.d/exp_hellowildcard.pref');
    await sh(aptC, write(p.steps[0].content!.path, p.steps[0].content!.after));
    const apt = aptSimulated(await sh(aptC, 'apt-get install -s -q hello', true), 'hello');
    assert.equal(apt, '3.0-1', 'apt-get install -s with the pin (apt changed?)');
    assert.equal(msg(p.steps[1]), `would install hello ${apt}`);
    await convergeOk(inp);
    assert.equal(await installed('hello'), 'ii 3.0-1');
    assert.deepEqual((await plan(inp)).steps.map((s) => s.status), ['up-to-date', 'up-to-date']);
  });

  test('dpkg_package: install, :install keeps, :upgrade, remove from the source .deb; missing and broken sources', async (t) => {
    if (!usable(t)) return;
    await sh(planC, RESET);
    const missing = await plan(input([res('dpkg_package', 'cloche-deb', { source: '/srv/nope.deb' }, { actions: ['install'] })]));
    assert.equal(missing.steps[0].status, 'failed');
    assert.match(missing.steps[0].reason ?? '', /source file \/srv\/nope\.deb does not exist: Chef would fail/);
    const junk = await plan(input([res('dpkg_package', 'cloche-deb', { source: '/srv/cloche-debs/junk.deb' }, { actions: ['install'] })]));
    assert.equal(junk.steps[0].status, 'failed');
    assert.match(junk.steps[0].reason ?? '', /dpkg -i \/srv\/cloche-debs\/junk\.deb would fail: .*not a Debian format archive/);

    const v1 = input([res('dpkg_package', 'cloche-deb', { source: DEB1 }, { actions: ['install'] })]);
    const p1 = await plan(v1);
    assert.equal(msg(p1.steps[0]), `would install cloche-deb 1.0-1 from ${DEB1}`);
    await convergeOk(v1);
    assert.equal(await installed('cloche-deb'), 'ii 1.0-1');
    assert.deepEqual((await plan(v1)).steps.map((s) => s.status), ['up-to-date']);

    // :install leaves an installed package alone (Chef); :upgrade installs the source's version.
    const keep = await plan(input([res('dpkg_package', 'cloche-deb', { source: DEB2 }, { actions: ['install'] })]));
    assert.equal(keep.steps[0].status, 'up-to-date');
    assert.match(keep.steps[0].reason ?? '', /cloche-deb 1\.0-1 is installed; :install leaves it/);
    // A name that is a path is the source.
    const up = input([res('dpkg_package', DEB2, {}, { actions: ['upgrade'] })]);
    assert.equal(msg((await plan(up)).steps[0]), `would upgrade cloche-deb 1.0-1 → 2.0-1 from ${DEB2}`);
    await convergeOk(up);
    assert.equal(await installed('cloche-deb'), 'ii 2.0-1');
    assert.deepEqual((await plan(up)).steps.map((s) => s.status), ['up-to-date']);
    const down = await plan(input([res('dpkg_package', 'cloche-deb', { source: DEB1 }, { actions: ['upgrade'] })]));
    assert.equal(msg(down.steps[0]), `would downgrade cloche-deb 2.0-1 → 1.0-1 from ${DEB1}`, 'allow_downgrade is true by default');
    const noDown = await plan(input([res('dpkg_package', 'cloche-deb', { source: DEB1, allow_downgrade: false }, { actions: ['upgrade'] })]));
    assert.equal(noDown.steps[0].status, 'up-to-date');

    const rm = input([res('dpkg_package', 'cloche-deb', { source: DEB2 }, { actions: ['remove'] })]);
    assert.equal(msg((await plan(rm)).steps[0]), 'would remove cloche-deb 2.0-1');
    await convergeOk(rm);
    assert.equal(await installed('cloche-deb'), '');
    assert.deepEqual((await plan(rm)).steps.map((s) => s.status), ['up-to-date']);
    // Purge by name (no source), after installing again.
    await convergeOk(v1);
    const purge = input([res('dpkg_package', 'cloche-deb', {}, { actions: ['purge'] })]);
    assert.equal(msg((await plan(purge)).steps[0]), 'would purge cloche-deb 1.0-1');
    await convergeOk(purge);
    assert.equal(await installed('cloche-deb'), '');
    assert.deepEqual((await plan(purge)).steps.map((s) => s.status), ['up-to-date']);
  });
});
