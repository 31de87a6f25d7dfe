/**
 * apt candidates against REAL apt: containers from the base image (network none) get three local
 * repositories made offline (dpkg-deb, a Packages file and a Release file per repository,
 * `apt-get update` of the file: sources only, in `before`):
 *
 *   cloche-stable        (plain, 500)                           cloche-tool 1.0-1
 *   cloche-backports     (NotAutomatic + ButAutomaticUpgrades)   hello 2.99-1~bpo12+1 (above Debian's 2.10-3), cloche-tool 2.0-1~bpo1
 *   cloche-experimental  (NotAutomatic)                         hello 3.0-1, cloche-tool 3.0-1
 *
 * and Debian's own bookworm list from the image. For each scenario (preferences files,
 * APT::Default-Release, an installed version, a changed Release file) the same setup runs in two
 * containers: the plan runs in one (one exec, `docker diff` unchanged) and apt answers in the
 * other (`apt-cache policy` and `apt-get install -s`, which may write apt's caches there). The
 * test checks our plan and our priority table against apt's, not against expectations of ours
 * (the scenario's expected versions are there too, so that a change of apt shows up plainly).
 * Then a converge installs what the plan said, offline, and the re-plan is empty.
 * Run: npm run build && node --import tsx --test test/engine/aptPins.test.ts
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { compareDebVersions } from '../../server/src/engine/debVersion';
import { planInContainer, probe } from '../../server/src/engine/plan';
import type { EngineInput } from '../../server/src/engine/types';
import type { Plan, PlanStep } from '../../server/src/protocol';
import { connectDocker, FACTS, IMAGE, input, res, targetOf } from './helpers';
import { aptSimulated, DEB_REPO_FUNCTIONS } from './debRepos';

/** Builds the packages and the three repositories, then `apt-get update` of those sources only (no network). */
const SETUP = String.raw`set -e
${DEB_REPO_FUNCTIONS}
deb hello 2.99-1~bpo12+1; deb hello 3.0-1
for v in 1.0-1 1.5-1 2.0-1~bpo1 3.0-1; do deb cloche-tool $v; done
repo cloche-stable cloche-stable 'Origin: Cloche' 'Label: Cloche' 'Codename: cloche-s' 'Version: 1.0' -- cloche-tool_1.0-1_all.deb
repo cloche-bpo cloche-backports 'Origin: Cloche' 'Label: Cloche Backports' 'Codename: cloche-s-backports' 'NotAutomatic: yes' 'ButAutomaticUpgrades: yes' -- \
  hello_2.99-1~bpo12+1_all.deb cloche-tool_2.0-1~bpo1_all.deb
repo cloche-exp cloche-experimental 'Origin: Cloche' 'Label: Cloche Experimental' 'Codename: cloche-x' 'NotAutomatic: yes' -- hello_3.0-1_all.deb cloche-tool_3.0-1_all.deb
apt-get -qq update -o Dir::Etc::sourcelist=/dev/null -o APT::Get::List-Cleanup=false
cp /var/lib/apt/lists/_srv_cloche-exp_dists_cloche-experimental_Release /srv/exp-Release.orig
`;

/** Puts a container back to the state after SETUP: no preferences, no Default-Release, nothing of ours installed. */
const RESET = String.raw`dpkg -P hello cloche-tool >/dev/null 2>&1 || true
rm -f /etc/apt/preferences /etc/apt/preferences.d/* /etc/apt/apt.conf.d/99cloche
cp /srv/exp-Release.orig /var/lib/apt/lists/_srv_cloche-exp_dists_cloche-experimental_Release`;

/** One situation apt and the plan are compared in. */
interface Scenario {
  name: string;
  /** Files to write (path → content). */
  files?: Record<string, string>;
  /** More shell (dpkg -i …, a changed Release file). */
  sh?: string;
  /** What apt says (kept in the test so that a change in apt is plain to see): package → candidate. */
  expect: Record<string, string | null>;
}

const PKGS = ['hello', 'cloche-tool'];
const DEB = (v: string) => `dpkg -i /srv/cloche-debs/cloche-tool_${v}_all.deb >/dev/null`;

const SCENARIOS: Scenario[] = [
  { name: 'no pins: Debian\'s and the plain repository\'s versions (500) over backports (100) and experimental (1)', expect: { hello: '2.10-3', 'cloche-tool': '1.0-1' } },
  {
    name: 'a release pin in preferences.d takes hello from backports',
    files: { '/etc/apt/preferences.d/cloche': 'Package: hello\nPin: release a=cloche-backports\nPin-Priority: 600\n' },
    expect: { hello: '2.99-1~bpo12+1', 'cloche-tool': '1.0-1' },
  },
  {
    name: 'APT::Default-Release (apt.conf.d) gives the target release 990',
    files: { '/etc/apt/apt.conf.d/99cloche': 'APT::Default-Release "cloche-backports";\n' },
    expect: { hello: '2.99-1~bpo12+1', 'cloche-tool': '2.0-1~bpo1' },
  },
  {
    name: 'Pin: origin "" (local repositories) above everything: the highest of them',
    files: { '/etc/apt/preferences': 'Package: *\nPin: origin ""\nPin-Priority: 700\n' },
    expect: { hello: '3.0-1', 'cloche-tool': '3.0-1' },
  },
  {
    name: 'version pins with globs, and apt stripping a final * before matching the glob',
    files: { '/etc/apt/preferences.d/versions.pref': 'Package: hello\nPin: version 2.*-1~bpo12+?\nPin-Priority: 600\n\nPackage: cloche-tool\nPin: version 2.*-1~bpo*\nPin-Priority: 600\n' },
    expect: { hello: '2.99-1~bpo12+1', 'cloche-tool': '1.0-1' },
  },
  {
    name: 'a negative priority and a never pin: the next best',
    files: { '/etc/apt/preferences.d/neg': 'Package: hello\nPin: release o=Debian\nPin-Priority: -1\n\nPackage: *\nPin: release l=Cloche Experimental\nPin-Priority: never\n\nPackage: cloche-tool\nPin: release a=cloche-stable\nPin-Priority: -10\n' },
    expect: { hello: '2.99-1~bpo12+1', 'cloche-tool': '2.0-1~bpo1' },
  },
  {
    name: 'file name rules (a .conf file is ignored), label globs with components, codenames, the main file first',
    files: {
      '/etc/apt/preferences': 'Package: cloche-tool\nPin: release n=cloche-x\nPin-Priority: 650\n',
      '/etc/apt/preferences.d/ignored.conf': 'Package: *\nPin: release a=cloche-experimental\nPin-Priority: -1\n',
      '/etc/apt/preferences.d/b.pref': 'Package: hello\nPin: release l=Cloche*,c=main\nPin-Priority: 550\n\nPackage: cloche-tool\nPin: release a=cloche-experimental\nPin-Priority: 50\n',
    },
    expect: { hello: '3.0-1', 'cloche-tool': '3.0-1' },
  },
  {
    name: 'no candidate at all: every version pinned below 0',
    files: { '/etc/apt/preferences.d/none': 'Package: hello\nPin: version *\nPin-Priority: -1\n' },
    expect: { hello: null, 'cloche-tool': '1.0-1' },
  },
  { name: 'installed from backports (100 + status 100): stays, stable is lower', sh: DEB('2.0-1~bpo1'), expect: { hello: '2.10-3', 'cloche-tool': '2.0-1~bpo1' } },
  { name: 'installed 1.5 only in the status file (100) ties with the backport (100): the higher wins', sh: DEB('1.5-1'), expect: { hello: '2.10-3', 'cloche-tool': '2.0-1~bpo1' } },
  {
    name: 'installed 2.0; a pin of 1001 on 1.0 is a downgrade, 999 is not',
    sh: DEB('2.0-1~bpo1'),
    files: { '/etc/apt/preferences.d/down': 'Package: cloche-tool\nPin: version 1.0*\nPin-Priority: 1001\n\nPackage: hello\nPin: version 2.10*\nPin-Priority: 999\n' },
    expect: { hello: '2.10-3', 'cloche-tool': '1.0-1' },
  },
  {
    name: 'installed 2.0; a pin of 999 on 1.0 keeps it',
    sh: DEB('2.0-1~bpo1'),
    files: { '/etc/apt/preferences.d/keep': 'Package: cloche-tool\nPin: version 1.0*\nPin-Priority: 999\n' },
    expect: { hello: '2.10-3', 'cloche-tool': '2.0-1~bpo1' },
  },
  {
    name: 'a Release with ButAutomaticUpgrades alone counts as 100 (experimental becomes upgradable)',
    sh: "sed -i 's/^NotAutomatic: yes$/ButAutomaticUpgrades: yes/' /var/lib/apt/lists/_srv_cloche-exp_dists_cloche-experimental_Release\n" + DEB('1.5-1'),
    expect: { hello: '2.10-3', 'cloche-tool': '3.0-1' },
  },
];

/** `apt-cache policy` → package → { candidate, versions: version → priority }. */
function parsePolicy(out: string): Map<string, { candidate: string | null; table: Map<string, number> }> {
  const res = new Map<string, { candidate: string | null; table: Map<string, number> }>();
  let cur: { candidate: string | null; table: Map<string, number> } | undefined;
  for (const l of out.split('\n')) {
    const pkg = /^(\S+):$/.exec(l);
    if (pkg) { cur = { candidate: null, table: new Map() }; res.set(pkg[1], cur); continue; }
    const c = /^ {2}Candidate: (\S+)$/.exec(l);
    if (c && cur) { cur.candidate = c[1] === '(none)' ? null : c[1]; continue; }
    const v = /^ (?:\*\*\*| {3}) (\S+) (-?\d+)$/.exec(l);
    if (v && cur) cur.table.set(v[1], Number(v[2]));
  }
  return res;
}

const msg = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');
const sorted = (d: { kind: string; path: string }[]): string[] => d.map((e) => `${e.kind} ${e.path}`).sort();

describe('apt candidates against real apt (pins, releases, installed versions)', () => {
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
  /** Runs a script; its stdout and stderr (apt's errors) together. `mayFail`: any exit code. */
  const sh = async (c: string, script: string, mayFail = false): Promise<string> => {
    const r = await d().exec(c, script, { timeoutMs: 180_000 });
    if (!mayFail) assert.equal(r.code, 0, `${script}\n${r.stdout}${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const both = (script: string) => Promise.all([sh(planC, script), sh(aptC, script)]);
  const writeFiles = (files: Record<string, string>): string =>
    Object.entries(files).map(([p, t]) => `printf '%s' '${Buffer.from(t).toString('base64')}' | base64 -d > '${p}'`).join('\n');
  /** Plans in the plan container: one exec, nothing changed. */
  const plan = async (inp: EngineInput): Promise<Plan> => {
    const beforeDiff = sorted(await d().diff(planC));
    const p = await planInContainer({ driver: d(), container: planC, input: inp, target: targetOf(planC) });
    assert.deepEqual(sorted(await d().diff(planC)), beforeDiff, 'docker diff unchanged by the plan');
    assert.equal(p.timings.roundTrips, 1);
    return p;
  };

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    if (!(await docker.imageExists(IMAGE))) {
      skip = `the base image ${IMAGE} is missing (build it with \`cloche image build\` or .ci/provision.sh)`;
      if (process.env.CI) throw new Error(`CI is set but ${skip}`);
      console.warn(`\n*** SKIPPING apt pin tests: ${skip}\n`);
      return;
    }
    [planC, aptC] = await Promise.all([1, 2].map(() => (docker as ContainerDriver).create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-apt-pins' } })));
    await both(SETUP);
  });
  after(async () => {
    if (docker instanceof ContainerDriver) await docker.sweep({ session: docker.sessionId });
  });

  test('our Debian version order agrees with dpkg --compare-versions', async (t) => {
    if (!usable(t)) return;
    const pairs: [string, string][] = [
      ['1.22.1-9+deb12u9', '1.22.1-9'], ['1:1.0', '2.0'], ['1.0~rc1', '1.0'], ['1.0~~', '1.0~'], ['1.0', '1.0+b1'], ['2.99-1~bpo12+1', '2.10-3'],
      ['7.88.1-10+deb12u15', '7.88.1-10+deb12u5'], ['1.0a', '1.0+'], ['1.0-1', '1.0-1.1'], ['0:1.0', '1.0'], ['1.0-0', '1.0'], ['10', '9'], ['1.002', '1.2'], ['1.0-a', '1.0-B'], ['1:0', '0:9'],
    ];
    const r = await d().exec(aptC, pairs.map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}'; then echo -1; elif dpkg --compare-versions '${a}' eq '${b}'; then echo 0; else echo 1; fi`).join('\n'), { timeoutMs: 60_000 });
    assert.equal(r.stderr, '', 'all valid versions');
    assert.deepEqual(pairs.map(([a, b]) => Math.sign(compareDebVersions(a, b))), r.stdout.trim().split('\n').map(Number), pairs.map((p) => p.join(' vs ')).join('; '));
  });

  for (const sc of SCENARIOS) {
    test(`plan = apt: ${sc.name}`, async (t) => {
      if (!usable(t)) return;
      await both(`${RESET}\n${writeFiles(sc.files ?? {})}\n${sc.sh ?? ''}`);
      // apt's answers, in the container that may change.
      const policy = parsePolicy(await sh(aptC, `apt-cache policy ${PKGS.join(' ')}`));
      const sims = new Map<string, string | null>();
      for (const p of PKGS) sims.set(p, aptSimulated(await sh(aptC, `apt-get install -s -q ${p}`, true), p));
      for (const p of PKGS) {
        assert.equal(policy.get(p)?.candidate, sc.expect[p], `apt-cache policy's candidate for ${p} (apt changed?)`);
        const sim = sims.get(p)!;
        if (sc.expect[p] === null) assert.equal(sim, null, `apt-get install -s ${p} refuses`);
        else assert.equal(sim?.replace(/^=/, ''), sc.expect[p], `apt-get install -s ${p}`);
      }
      // Ours, in the container that must not change: the plan, and the priority of every version.
      const inp = input(PKGS.map((p) => res('apt_package', p, {}, { actions: ['upgrade'] })));
      const p = await plan(inp);
      const probed = await probe(d(), planC, inp, FACTS);
      for (const name of PKGS) {
        const step = p.steps.find((s) => s.resource === `apt_package[${name}]`)!;
        const want = policy.get(name)!;
        const info = probed.state.pkg(name);
        assert.ok(info.ok);
        const ours = probed.state.aptCandidate(name, info.value);
        assert.ok(ours.ok, !ours.ok ? ours.reason : '');
        assert.equal(ours.value.candidate ?? null, want.candidate, `our candidate for ${name}`);
        assert.deepEqual(new Map(ours.value.table.map((r) => [r.version, r.priority])), want.table, `our priorities for ${name} (apt-cache policy's version table)`);
        const installed = info.value.installed;
        const sim = sims.get(name)!;
        if (sim === null) {
          assert.equal(step.status, 'unknown');
          assert.match(step.reason ?? '', /Chef would fail with "No candidate version available": apt has no installation candidate/);
        } else if (sim.startsWith('=') || (installed && compareDebVersions(sim, installed) < 0)) {
          assert.equal(step.status, 'up-to-date', `${name}: apt says ${sim}; Chef's :upgrade does not downgrade`);
        } else {
          assert.equal(msg(step), installed ? `would upgrade ${name} ${installed} → ${sim}` : `would install ${name} ${sim}`, `${name}: apt-get install -s says ${sim}`);
        }
        assert.doesNotMatch(step.reason ?? '', /not applied|ignored/);
      }
    });
  }

  test('a pinned version property is installed whatever the pins say; one no list has is refused like apt does', async (t) => {
    if (!usable(t)) return;
    const files = { '/etc/apt/preferences.d/never': 'Package: *\nPin: release a=cloche-backports\nPin-Priority: never\n' };
    await both(`${RESET}\n${writeFiles(files)}`);
    const sim = await sh(aptC, 'apt-get install -s -q hello=2.99-1~bpo12+1');
    assert.equal(aptSimulated(sim, 'hello'), '2.99-1~bpo12+1', 'apt installs an explicit version despite a never pin');
    const refused = await sh(aptC, 'apt-get install -s -q hello=9.9', true);
    assert.match(refused, /E: Version '9\.9' for 'hello' was not found/);
    const p = await plan(input([
      res('apt_package', 'hello', { version: '2.99-1~bpo12+1' }, { actions: ['install'] }),
      res('apt_package', 'missing version', { package_name: 'cloche-tool', version: '9.9' }, { actions: ['install'] }),
    ]));
    assert.equal(msg(p.steps[0]), 'would install hello 2.99-1~bpo12+1');
    assert.equal(p.steps[1].status, 'unknown');
    assert.match(p.steps[1].reason ?? '', /apt-get would fail: Version '9\.9' for 'cloche-tool' was not found \(the apt lists offer/);
  });

  test('converge installs what the plan said (a pin, and default_release passed to apt); the re-plan is empty', async (t) => {
    if (!usable(t)) return;
    const files = { '/etc/apt/preferences.d/cloche': 'Package: hello\nPin: release a=cloche-backports\nPin-Priority: 600\n' };
    await sh(planC, `${RESET}\n${writeFiles(files)}`);
    const inp = input([
      res('apt_package', 'hello', {}, { actions: ['install'] }),
      res('apt_package', 'cloche-tool', { default_release: 'cloche-backports' }, { actions: ['install'] }),
    ]);
    const predicted = await plan(inp);
    assert.deepEqual(predicted.steps.map(msg), ['would install hello 2.99-1~bpo12+1', 'would install cloche-tool 2.0-1~bpo1']);
    assert.match(predicted.steps[1].reason ?? '', /priority 990, from \/srv\/cloche-bpo cloche-backports\/main \(APT::Default-Release cloche-backports\)/);
    const report = await converge({ driver: d(), container: planC, input: inp, target: targetOf(planC) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(await sh(planC, "dpkg-query -W -f='${Package} ${Version}\\n' hello cloche-tool"), 'cloche-tool 2.0-1~bpo1\nhello 2.99-1~bpo12+1\n');
    const again = await plan(inp);
    assert.deepEqual(again.steps.map((s) => s.status), ['up-to-date', 'up-to-date']);
  });
});
