/**
 * apt's candidate selection (aptPolicy.ts) rule by rule, the records the probe turns into it
 * (state.ts), and the package provider's plans over them — no container. The same rules are
 * checked against real apt in aptPins.test.ts.
 * Run: node --import tsx --test test/engine/aptPolicy.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AptPolicy, NEVER, expressionMatches, parsePreferences, preferencePartsOrder, type AptIndex, type AptRelease, type AptVersion, type PolicyConfig } from '../../server/src/engine/aptPolicy';
import { simulate } from '../../server/src/engine/plan';
import { planAction } from '../../server/src/engine/planner';
import { buildProbeScript, parseProbeOutput } from '../../server/src/engine/probeScript';
import { packageProvider } from '../../server/src/engine/providers/package';
import { VirtualState } from '../../server/src/engine/state';
import type { PlanStep } from '../../server/src/protocol';
import type { EngineResource } from '../../server/src/engine/types';
import { FACTS, input, res } from './helpers';

const rel = (suite: string, extra: Partial<AptRelease> = {}): AptRelease => ({ suite, codename: extra.codename, origin: 'Debian', label: 'Debian', site: 'deb.debian.org', notAutomatic: false, butAutomaticUpgrades: false, ...extra });
const list = (id: string, release: AptRelease | undefined, component = 'main', arch = 'amd64'): AptIndex => ({ id, describe: id, release, component, arch });

const STABLE = list('stable', rel('stable', { codename: 'bookworm', version: '12.5' }));
const SECURITY = list('security', rel('stable-security', { codename: 'bookworm-security', label: 'Debian-Security', site: 'security.debian.org' }));
const BPO = list('bpo', rel('stable-backports', { codename: 'bookworm-backports', label: 'Debian Backports', notAutomatic: true, butAutomaticUpgrades: true }));
const EXP = list('exp', rel('experimental', { codename: 'rc-buggy', notAutomatic: true }));
const BAU_ONLY = list('bau', rel('odd', { butAutomaticUpgrades: true }));
const LOCAL = list('local', rel('local', { origin: 'Me', label: 'Mine', site: '' }), 'contrib');
const CONTRIB = list('contrib', rel('stable', { codename: 'bookworm' }), 'contrib');
const ALL = [STABLE, SECURITY, BPO, EXP, BAU_ONLY, LOCAL, CONTRIB];

const v = (version: string, ...indexes: AptIndex[]): AptVersion => ({ version, arch: 'all', indexes });
/** nginx: 1.22 in stable, 1.22-9+deb12u1 in security, 1.24 in backports, 1.25 in experimental. */
const NGINX = [v('1.22.1-9', STABLE), v('1.22.1-9+deb12u1', SECURITY), v('1.24.0-1~bpo12+1', BPO), v('1.25.3-1', EXP)];

function policy(pins = '', extra: Partial<PolicyConfig> = {}): AptPolicy {
  const parsed = parsePreferences(pins, '/etc/apt/preferences.d/test');
  assert.equal(parsed.error, undefined, parsed.error);
  return new AptPolicy({ indexes: ALL, pins: parsed.pins, nativeArch: 'amd64', ...extra });
}
const cand = (p: AptPolicy, versions: AptVersion[], installed?: string, name = 'nginx') => p.candidate({ name, versions, ...(installed ? { installed } : {}) });
const prio = (p: AptPolicy, versions: AptVersion[], version: string, installed?: string) => cand(p, versions, installed).table.find((r) => r.version === version)?.priority;

describe('apt policy: default priorities', () => {
  test('500 by default, 100 for NotAutomatic + ButAutomaticUpgrades (backports) and ButAutomaticUpgrades alone, 1 for NotAutomatic alone', () => {
    const p = policy();
    assert.equal(p.filePriority(STABLE), 500);
    assert.equal(p.filePriority(BPO), 100);
    assert.equal(p.filePriority(BAU_ONLY), 100, 'as apt 2.6 does (checked in aptPins.test.ts)');
    assert.equal(p.filePriority(EXP), 1);
    const r = cand(p, NGINX);
    assert.equal(r.candidate, '1.22.1-9+deb12u1', 'the highest version of the highest priority: not the backport, not experimental');
    assert.deepEqual(r.table.map((x) => [x.version, x.priority]), [['1.25.3-1', 1], ['1.24.0-1~bpo12+1', 100], ['1.22.1-9+deb12u1', 500], ['1.22.1-9', 500]]);
  });

  test('only backports has it: the backport is the candidate (priority 100 beats nothing)', () => {
    assert.equal(cand(policy(), [v('1.0-1~bpo12+1', BPO), v('2.0-1', EXP)]).candidate, '1.0-1~bpo12+1');
    assert.equal(cand(policy(), [v('2.0-1', EXP)]).candidate, '2.0-1', 'priority 1 still makes a candidate');
  });
});

describe('apt policy: target release (APT::Default-Release)', () => {
  test('990 for the files of the target release, by suite, codename, version or a=/n= form; others keep theirs', () => {
    for (const dr of ['stable-backports', 'bookworm-backports', 'a=stable-backports', 'n=bookworm-backports', '*-backports']) {
      const p = policy('', { defaultRelease: dr });
      assert.equal(p.filePriority(BPO), 990, dr);
      assert.equal(p.filePriority(STABLE), 500, dr);
      assert.equal(cand(p, NGINX).candidate, '1.24.0-1~bpo12+1', dr);
    }
    assert.equal(policy('', { defaultRelease: '12*' }).filePriority(STABLE), 990, 'a leading digit is a release version, with a prefix *');
  });

  test('a Default-Release no list has makes apt fail', () => {
    const p = policy('', { defaultRelease: 'trixie' });
    assert.match(cand(p, NGINX).error ?? '', /The value 'trixie' is invalid for APT::Default-Release as such a release is not available in the sources/);
  });

  test('the target release beats a later general pin of the same files (first pin wins)', () => {
    const p = policy('Package: *\nPin: release a=stable-backports\nPin-Priority: 50\n', { defaultRelease: 'stable-backports' });
    assert.equal(p.filePriority(BPO), 990);
  });
});

describe('apt policy: explicit pins', () => {
  test('by release: a= n= o= l= c= v= b= and a bare name (suite or codename); comma-separated fields all must match', () => {
    const pinned = (pin: string, ix: AptIndex) => policy(`Package: *\nPin: release ${pin}\nPin-Priority: 700\n`).filePriority(ix);
    assert.equal(pinned('a=experimental', EXP), 700);
    assert.equal(pinned('n=rc-buggy', EXP), 700);
    assert.equal(pinned('rc-buggy', EXP), 700);
    assert.equal(pinned('experimental', EXP), 700);
    assert.equal(pinned('o=Debian,a=experimental', EXP), 700);
    assert.equal(pinned('o=Debian, a=stable', EXP), 1, 'both must match');
    assert.equal(pinned('l=Debian-Security', SECURITY), 700);
    assert.equal(pinned('l=debian-security', SECURITY), 700, 'case-insensitive');
    assert.equal(pinned('c=contrib', CONTRIB), 700);
    assert.equal(pinned('c=contrib', STABLE), 500);
    assert.equal(pinned('v=12.5', STABLE), 700);
    assert.equal(pinned('v=12*', STABLE), 700);
    assert.equal(pinned('v=12', STABLE), 500, 'a version is exact unless it ends with *');
    assert.equal(pinned('b=amd64', STABLE), 700);
    assert.equal(pinned('b=i386', STABLE), 500);
    assert.equal(pinned('a=/^stable(-security)?$/', SECURITY), 700, '/regex/');
    assert.equal(pinned('n=*-backports', BPO), 700, 'glob');
    assert.equal(pinned('*', EXP), 700, 'release * matches every file');
  });

  test('by origin: the host of the URI; "" is a local (file:) repository', () => {
    const pinned = (pin: string, ix: AptIndex) => policy(`Package: *\nPin: origin ${pin}\nPin-Priority: 800\n`).filePriority(ix);
    assert.equal(pinned('security.debian.org', SECURITY), 800);
    assert.equal(pinned('"security.debian.org"', SECURITY), 800);
    assert.equal(pinned('security.debian.org', STABLE), 500);
    assert.equal(pinned('""', LOCAL), 800);
    assert.equal(pinned('""', STABLE), 500);
    assert.equal(pinned('*.debian.org', SECURITY), 800);
  });

  test('by version, with a glob or prefix; only for named packages', () => {
    const p = policy('Package: nginx\nPin: version 1.24*\nPin-Priority: 600\n');
    assert.equal(cand(p, NGINX).candidate, '1.24.0-1~bpo12+1');
    assert.equal(prio(p, NGINX, '1.24.0-1~bpo12+1'), 600);
    assert.equal(cand(p, NGINX, undefined, 'curl').candidate, '1.22.1-9+deb12u1', 'another package: not pinned');
    assert.equal(cand(policy('Package: nginx\nPin: version 1.*-1~bpo12+?\nPin-Priority: 600\n'), NGINX).candidate, '1.24.0-1~bpo12+1', 'a glob inside');
    assert.equal(cand(policy('Package: nginx\nPin: version 1.*-1~bpo*\nPin-Priority: 600\n'), NGINX).candidate, '1.22.1-9+deb12u1',
      'apt strips a final * before the glob: 1.*-1~bpo must then match the whole version (it does not)');
    assert.equal(cand(policy('Package: nginx\nPin: version /bpo/\nPin-Priority: 600\n'), NGINX).candidate, '1.24.0-1~bpo12+1', 'a regex');
    const star = parsePreferences('Package: *\nPin: version 1.24*\nPin-Priority: 600\n', 'f');
    assert.deepEqual(star.pins, []);
    assert.match(star.warnings.join(), /does not understand pin type version/, 'apt warns and ignores it');
  });

  test('package names: several, globs, /regex/, src:, :arch; the first pin that matches a version is its pin', () => {
    const bpoFor = (pkgs: string, name = 'nginx', versions = NGINX) => cand(policy(`Package: ${pkgs}\nPin: release a=stable-backports\nPin-Priority: 600\n`), versions, undefined, name).candidate;
    assert.equal(bpoFor('curl nginx'), '1.24.0-1~bpo12+1');
    assert.equal(bpoFor('ngin*'), '1.24.0-1~bpo12+1');
    assert.equal(bpoFor('/^NGINX$/'), '1.24.0-1~bpo12+1', 'regex, case-insensitive');
    assert.equal(bpoFor('nginx:amd64'), '1.24.0-1~bpo12+1');
    assert.equal(bpoFor('nginx:i386'), '1.22.1-9+deb12u1', 'another architecture');
    assert.equal(bpoFor('nginx:any'), '1.24.0-1~bpo12+1');
    assert.equal(bpoFor('src:nginx', 'nginx-common', NGINX.map((x) => ({ ...x, source: 'nginx' }))), '1.24.0-1~bpo12+1');
    assert.equal(bpoFor('src:nginx', 'libnginx'), '1.22.1-9+deb12u1', 'another source');
    const first = policy('Package: nginx\nPin: release a=experimental\nPin-Priority: 650\n\nPackage: nginx\nPin: release a=experimental\nPin-Priority: 50\n');
    assert.equal(prio(first, NGINX, '1.25.3-1'), 650);
    assert.equal(cand(first, NGINX).candidate, '1.25.3-1');
  });

  test('general pins: the first that matches a file wins', () => {
    const p = policy('Package: *\nPin: release o=Debian\nPin-Priority: 200\n\nPackage: *\nPin: release a=experimental\nPin-Priority: 900\n');
    assert.equal(p.filePriority(EXP), 200);
    assert.equal(p.filePriority(STABLE), 200);
    assert.equal(p.filePriority(LOCAL), 500, 'not Debian: untouched');
  });

  test('a specific pin beats the file priorities, even a lower one', () => {
    const p = policy('Package: nginx\nPin: release a=stable-security\nPin-Priority: 50\n');
    assert.equal(cand(p, NGINX).candidate, '1.22.1-9', 'security is now 50: stable wins');
  });
});

describe('apt policy: negative priorities and never', () => {
  test('a negative priority: never the candidate; the next best is', () => {
    const p = policy('Package: nginx\nPin: release a=stable-security\nPin-Priority: -1\n');
    assert.equal(prio(p, NGINX, '1.22.1-9+deb12u1'), -1);
    assert.equal(cand(p, NGINX).candidate, '1.22.1-9');
  });

  test('every version negative: no candidate', () => {
    const r = cand(policy('Package: nginx\nPin: version *\nPin-Priority: -10\n'), NGINX);
    assert.equal(r.candidate, undefined);
    assert.equal(r.table.length, 4);
  });

  test('Pin-Priority: never (only for Package: *) wins over every other general pin, even earlier ones', () => {
    const p = policy('Package: *\nPin: release o=Debian,a=/^stable(-security)?$/\nPin-Priority: 700\n\nPackage: *\nPin: release a=stable-security\nPin-Priority: never\n');
    assert.equal(p.filePriority(SECURITY), NEVER);
    assert.equal(p.filePriority(STABLE), 700);
    assert.equal(cand(p, NGINX).candidate, '1.22.1-9');
    const specific = policy('Package: *\nPin: release a=stable-security\nPin-Priority: never\n\nPackage: nginx\nPin: version 1.22.1-9+deb12u1\nPin-Priority: 900\n');
    assert.equal(prio(specific, NGINX, '1.22.1-9+deb12u1'), NEVER, 'a version only in never files stays never despite its own pin');
    assert.match(parsePreferences('Package: nginx\nPin: version 1*\nPin-Priority: never\n', 'f').error ?? '', /'Pin-Priority: never' can only be used for 'Package: \*' records/);
  });

  test('priority 0, a missing priority, a record without Package, or a value out of range: apt refuses to run', () => {
    assert.match(parsePreferences('Package: a\nPin: release a=x\nPin-Priority: 0\n', 'f').error ?? '', /No priority \(or zero\) specified for pin/);
    assert.match(parsePreferences('Package: a\nPin: release a=x\n', 'f').error ?? '', /No priority \(or zero\)/);
    assert.match(parsePreferences('Pin: release a=x\nPin-Priority: 5\n', 'f').error ?? '', /no Package header/);
    assert.match(parsePreferences('Package: a\nPin: release a=x\nPin-Priority: 40000\n', 'f').error ?? '', /outside the range of valid pin priorities/);
    assert.deepEqual(parsePreferences('Package: a\nExplanation: no pin, no priority\n', 'f'), { pins: [], warnings: [] }, 'no Pin: ignored');
    assert.equal(parsePreferences('Package: a\nPin: release a=x\nPin-Priority: -32768\n', 'f').pins[0].priority, NEVER + 1, 'only the word never is never');
  });
});

describe('apt policy: installed versions and priorities of 1000 and more', () => {
  test('the installed version is in the status file (100); lower versions are skipped below 1000', () => {
    const versions = [v('1.0-1', STABLE), v('2.0-1~bpo1', BPO)];
    assert.equal(cand(policy(), versions, '2.0-1~bpo1').candidate, '2.0-1~bpo1', 'installed from backports: stays (stable is lower)');
    assert.equal(cand(policy(), versions, '1.0-1').candidate, '1.0-1', 'installed from stable: 500 beats the backport\'s 100');
    assert.equal(cand(policy(), versions, '3.0-1').candidate, '3.0-1', 'installed version in no list (100): kept, not downgraded');
    assert.equal(cand(policy(), versions, '1.5-1').candidate, '2.0-1~bpo1', 'installed 1.5 (100) ties with the backport 2.0 (100): the higher wins — ButAutomaticUpgrades upgrades');
    assert.equal(cand(policy(), [v('2.0-1', EXP)], '1.5-1').candidate, '1.5-1', 'NotAutomatic alone (1) never upgrades an installed version');
  });

  test('>= 1000 allows a downgrade; 999 does not', () => {
    const versions = [v('1.0-1', STABLE), v('2.0-1~bpo1', BPO)];
    assert.equal(cand(policy('Package: nginx\nPin: version 1.0*\nPin-Priority: 1001\n'), versions, '2.0-1~bpo1').candidate, '1.0-1');
    assert.equal(cand(policy('Package: nginx\nPin: version 1.0*\nPin-Priority: 1000\n'), versions, '2.0-1~bpo1').candidate, '1.0-1');
    assert.equal(cand(policy('Package: nginx\nPin: version 1.0*\nPin-Priority: 999\n'), versions, '2.0-1~bpo1').candidate, '2.0-1~bpo1');
    assert.equal(cand(policy('Package: *\nPin: release a=stable\nPin-Priority: 1001\n'), versions, '2.0-1~bpo1').candidate, '1.0-1', 'a general pin too');
  });

  test('pins match the installed version through the status file (a=now)', () => {
    const p = policy('Package: nginx\nPin: release a=now\nPin-Priority: 990\n');
    assert.equal(cand(p, [v('1.0-1', STABLE), v('2.0-1', SECURITY)], '1.0-1').candidate, '1.0-1');
  });
});

describe('apt preferences files', () => {
  test('comments and blank-only lines do not end a record; the last of a repeated field counts; continuation lines', () => {
    const p = parsePreferences('# header\nPackage: a\n  # note\nPin: release a=x\nPin-Priority: 600 # why\n\t\nPackage: b\nPin: release a=y\nPin-Priority:\n 700\n\n\nPackage: c d\nPin: origin ""\nPin-Priority: 1\n', 'f');
    assert.equal(p.error, undefined);
    assert.deepEqual(p.pins.map((x) => [x.packages, x.data, x.priority, x.line]), [[['b'], 'a=y', 700, 2], [['c', 'd'], '""', 1, 13]]);
    const lower = parsePreferences('package: a\npin: RELEASE a=x\npin-priority: 5\n', 'f');
    assert.deepEqual(lower.pins.map((x) => [x.type, x.data]), [['release', 'a=x']], 'field names and the pin type are case-insensitive');
  });

  test('preferences.d: files with the extension pref or none, apt\'s characters, sorted; others ignored', () => {
    assert.deepEqual(preferencePartsOrder(['b.pref', 'a', 'c.conf', '.hidden', 'x y', 'z.', 'under_score:1-2.pref', 'A.pref', 'a.pref.bak']),
      ['A.pref', 'a', 'b.pref', 'under_score:1-2.pref']);
  });

  test('expressions: globs and /regex/ are case-insensitive; a missing field never matches', () => {
    assert.ok(expressionMatches('Deb*', 'debian'));
    assert.ok(expressionMatches('[a-c]?', 'B1'));
    assert.ok(!expressionMatches('[!a-c]?', 'b1'));
    assert.ok(expressionMatches('/ian$/', 'Debian'));
    assert.ok(!expressionMatches('*', undefined));
    assert.ok(expressionMatches('', ''));
  });

  test('a /regex/ a recipe wrote into the preferences runs in linear time: a catastrophic one answers at once', () => {
    assert.ok(!expressionMatches('/^(a+)+$/', 'a'.repeat(40) + '!'));
    assert.ok(!expressionMatches('/(.*.*)*x/', 'bookworm-security-updates-backports'));
    assert.ok(expressionMatches('/^(a+)+$/', 'aaa'));
  });
});

/** Probe output for dpkg packages over apt lists, with these preferences files and extra records. */
function aptState(o: { prefs?: Record<string, string>; defrel?: string; installed?: string[]; extra?: string[]; aptcfg?: string } = {}): VirtualState {
  const names = ['hello', 'cloche-tool', 'gone', 'cut'];
  const p = buildProbeScript(names.map((name) => ({ kind: 'package' as const, name, manager: 'dpkg' as const })), { nonce: 'n', facts: false });
  const lines = [
    'g pm dpkg', ...(o.installed ?? []).map((l) => `g pkg ${l}`),
    `g aptcfg ${o.aptcfg ?? 'ok'}`, 'g aptdirs /var/lib/apt/lists/|/etc/apt/preferences|/etc/apt/preferences.d/', 'g aptarch amd64', ...(o.defrel ? [`g aptdefrel ${o.defrel}`] : []),
    ...Object.entries(o.prefs ?? {}).map(([f, t]) => `g pref ${f}|${Buffer.from(t).toString('base64')}`),
    'g relfile deb.debian.org_debian_dists_bookworm_InRelease', 'g rel deb.debian.org_debian_dists_bookworm_InRelease|Suite: stable', 'g rel deb.debian.org_debian_dists_bookworm_InRelease|Codename: bookworm',
    'g rel deb.debian.org_debian_dists_bookworm_InRelease|Origin: Debian',
    'g relfile deb.debian.org_debian_dists_bookworm-backports_InRelease', 'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|Suite: stable-backports',
    'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|Codename: bookworm-backports',
    'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|NotAutomatic: yes', 'g rel deb.debian.org_debian_dists_bookworm-backports_InRelease|ButAutomaticUpgrades: yes',
    'g plist 1|read|deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages',
    'g st 1|hello|2.10-3|amd64|', 'g st 1|cloche-tool|1.0-1|all|', 'g st 1|cut|1.0|amd64|',
    'g plist 2|read|deb.debian.org_debian_dists_bookworm-backports_main_binary-amd64_Packages',
    'g st 2|hello|2.99-1~bpo12+1|amd64|', 'g st 2|hello|2.99-1~bpo12+1|i386|', 'g st 2|cloche-tool|2.0-1~bpo1|all|', 'g st 2|cut|||',
    ...(o.extra ?? []), 'g pkgend 0', 'g end 0',
  ];
  return VirtualState.fromProbe(p, parseProbeOutput(lines.map((l) => `@@n ${l}`).join('\n'), p));
}
const msg = (s: PlanStep): string => s.changes.map((c) => c.message).join('\n');
const plan1 = async (r: EngineResource, state: VirtualState, contents: Record<string, string> = {}): Promise<PlanStep> => (await simulate(input([r], contents), state, FACTS)).at(-1)!;

describe('the probe\'s apt records and the package provider', () => {
  test('records: lists mapped to their Release (suite, codename, component, site, flags), installed by architecture', () => {
    const s = aptState({ installed: ['hello|i386|ii |2.10-3', 'cloche-tool|all|hi |1.0-1'] });
    const ix = s.apt!.indexes;
    assert.deepEqual(ix.map((x) => [x.describe, x.component, x.arch, x.release?.suite, x.release?.site, x.release?.notAutomatic, x.release?.butAutomaticUpgrades]), [
      ['deb.debian.org/debian bookworm/main', 'main', 'amd64', 'stable', 'deb.debian.org', false, false],
      ['deb.debian.org/debian bookworm-backports/main', 'main', 'amd64', 'stable-backports', 'deb.debian.org', true, true],
    ]);
    const hello = s.pkg('hello');
    assert.ok(hello.ok);
    assert.equal(hello.value.installed, undefined, 'hello:i386 is installed, not the native hello');
    assert.deepEqual(hello.value.apt?.versions.map((x) => [x.version, x.arch]), [['2.10-3', 'amd64'], ['2.99-1~bpo12+1', 'amd64']], 'not the i386 build');
    assert.equal(hello.value.candidate, '2.10-3');
    const tool = s.pkg('cloche-tool');
    assert.ok(tool.ok && tool.value.installed === '1.0-1', 'held (hi) is installed');
  });

  test('install: apt\'s candidate, not the highest version; the reason says why', async () => {
    const step = await plan1(res('apt_package', 'hello', {}, { actions: ['install'] }), aptState());
    assert.equal(msg(step), 'would install hello 2.10-3');
    assert.match(step.reason ?? '', /apt's candidate for hello is 2\.10-3 \(priority 500, from deb\.debian\.org\/debian bookworm\/main\); also 2\.99-1~bpo12\+1 \(priority 100, from deb\.debian\.org\/debian bookworm-backports\/main \(NotAutomatic, ButAutomaticUpgrades\)\)/);
    assert.doesNotMatch(JSON.stringify(step), /pins are not applied|ignored/);
  });

  test('a pin file, APT::Default-Release, or the resource\'s default_release moves the candidate', async () => {
    const pin = { '/etc/apt/preferences.d/hello': 'Package: hello\nPin: release n=bookworm-backports\nPin-Priority: 600\n' };
    const pinned = await plan1(res('apt_package', 'hello', {}, { actions: ['install'] }), aptState({ prefs: pin }));
    assert.equal(msg(pinned), 'would install hello 2.99-1~bpo12+1');
    assert.match(pinned.reason ?? '', /priority 600, pinned by \/etc\/apt\/preferences\.d\/hello line 1/);
    const ignored = await plan1(res('apt_package', 'hello', {}, { actions: ['install'] }), aptState({ prefs: { '/etc/apt/preferences.d/hello.conf': pin['/etc/apt/preferences.d/hello'] } }));
    assert.equal(msg(ignored), 'would install hello 2.10-3', 'apt ignores hello.conf in preferences.d');
    assert.equal(msg(await plan1(res('apt_package', 'hello', {}, { actions: ['install'] }), aptState({ defrel: 'stable-backports' }))), 'would install hello 2.99-1~bpo12+1');
    const dr = res('apt_package', 'hello', { default_release: 'bookworm-backports' }, { actions: ['install'] });
    assert.equal(msg(await plan1(dr, aptState())), 'would install hello 2.99-1~bpo12+1');
    const { verdict, ctx } = planAction(dr, 'install', [], aptState(), input([dr]), FACTS);
    assert.ok(verdict && ctx);
    assert.match(packageProvider.apply(ctx, verdict)!.script, /apt-get -q -y -o 'APT::Default-Release=bookworm-backports' .* install 'hello'$/);
  });

  test('a pinned version is installed as name=version whatever the pins say; a version no list has: apt-get would fail', async () => {
    const never = { '/etc/apt/preferences': 'Package: *\nPin: release a=stable-backports\nPin-Priority: never\n' };
    const step = await plan1(res('apt_package', 'hello', { version: '2.99-1~bpo12+1' }, { actions: ['install'] }), aptState({ prefs: never }));
    assert.equal(msg(step), 'would install hello 2.99-1~bpo12+1');
    const missing = await plan1(res('apt_package', 'hello', { version: '9.9' }, { actions: ['install'] }), aptState());
    assert.equal(missing.status, 'unknown');
    assert.match(missing.reason ?? '', /apt-get would fail: Version '9\.9' for 'hello' was not found \(the apt lists offer 2\.10-3, 2\.99-1~bpo12\+1\)/);
  });

  test(':upgrade follows the candidate (BAU upgrades a backport install; 1001 downgrades are not upgrades for Chef)', async () => {
    const up = await plan1(res('apt_package', 'cloche-tool', {}, { actions: ['upgrade'] }), aptState({ installed: ['cloche-tool|all|ii |1.5-1'] }));
    assert.equal(msg(up), 'would upgrade cloche-tool 1.5-1 → 2.0-1~bpo1', 'installed 1.5 is only in the status file (100): the backport (100) is higher');
    const stays = await plan1(res('apt_package', 'cloche-tool', {}, { actions: ['upgrade'] }), aptState({ installed: ['cloche-tool|all|ii |1.0-1'] }));
    assert.equal(stays.status, 'up-to-date', 'installed from stable (500): the backport does not upgrade it');
    const down = await plan1(res('apt_package', 'cloche-tool', {}, { actions: ['upgrade'] }), aptState({ installed: ['cloche-tool|all|ii |2.0-1~bpo1'], prefs: { '/etc/apt/preferences': 'Package: cloche-tool\nPin: version 1.0*\nPin-Priority: 1001\n' } }));
    assert.equal(down.status, 'up-to-date', 'Chef\'s :upgrade never downgrades');
  });

  test('what cannot be read is said, never guessed: unreadable preferences, bad preferences, unreadable lists, cut stanzas, apt config errors', async () => {
    const install = (name: string) => res('apt_package', name, {}, { actions: ['install'] });
    const unreadable = await plan1(install('hello'), aptState({ extra: ['g pref /etc/apt/preferences.d/x|!unreadable'] }));
    assert.equal(unreadable.status, 'unknown');
    assert.match(unreadable.reason ?? '', /the apt preferences file \/etc\/apt\/preferences\.d\/x cannot be read \(unreadable\)/);
    const bad = await plan1(install('hello'), aptState({ prefs: { '/etc/apt/preferences': 'Package: hello\nPin: release a=x\nPin-Priority: 0\n' } }));
    assert.match(bad.reason ?? '', /apt would fail: \/etc\/apt\/preferences: No priority \(or zero\) specified for pin/);
    const lz4 = await plan1(install('hello'), aptState({ extra: ['g plist 3|no lz4 in the container|x_dists_y_main_binary-amd64_Packages.lz4'] }));
    assert.match(lz4.reason ?? '', /apt lists the probe cannot read: x_dists_y_main_binary-amd64_Packages\.lz4 \(no lz4 in the container\)/);
    const cut = await plan1(install('cut'), aptState());
    assert.match(cut.reason ?? '', /the stanza of cut in deb\.debian\.org\/debian bookworm-backports\/main is longer than the probe reads/);
    const cfg = await plan1(install('hello'), aptState({ aptcfg: 'error E: Syntax error /etc/apt/apt.conf.d/99x:1' }));
    assert.match(cfg.reason ?? '', /apt would fail: its configuration cannot be read \(E: Syntax error/);
    const drBad = await plan1(install('hello'), aptState({ defrel: 'trixie' }));
    assert.match(drBad.reason ?? '', /apt would fail: The value 'trixie' is invalid for APT::Default-Release/);
    const gone = await plan1(install('gone'), aptState());
    assert.match(gone.reason ?? '', /no package named gone in the apt lists/);
    const none = await plan1(install('hello'), aptState({ prefs: { '/etc/apt/preferences': 'Package: hello\nPin: version *\nPin-Priority: -1\n' } }));
    assert.match(none.reason ?? '', /Chef would fail with "No candidate version available": apt has no installation candidate for hello: 2\.99-1~bpo12\+1 \(priority -1/);
    const remove = await plan1(res('apt_package', 'hello', {}, { actions: ['remove'] }), aptState({ installed: ['hello|amd64|ii |2.10-3'], extra: ['g pref /etc/apt/preferences|!unreadable'] }));
    assert.equal(msg(remove), 'would remove hello 2.10-3', 'removing needs no candidate');
  });

  test('forward simulation: a preferences file an earlier step writes is the one apt reads when the package installs', async () => {
    const s = aptState();
    s.setPath('/etc/apt/preferences.d', { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
    s.setPath('/etc/apt/preferences.d/hello.pref', { kind: 'missing' });
    const steps = await simulate(input([
      res('file', '/etc/apt/preferences.d/hello.pref', {}, { actions: ['create'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ], { 'file[/etc/apt/preferences.d/hello.pref]': 'Package: hello\nPin: release a=stable-backports\nPin-Priority: 990\n' }), s, FACTS);
    assert.equal(msg(steps[1]), 'would install hello 2.99-1~bpo12+1');
    assert.match(steps[1].reason ?? '', /pinned by \/etc\/apt\/preferences\.d\/hello\.pref line 1/);
    const unplanned = await simulate(input([
      res('apt_preference', 'hello', { pin: 'release a=stable-backports', pin_priority: 990 }, { actions: ['add'] }),
      res('apt_package', 'hello', {}, { actions: ['install'] }),
    ]), aptState(), FACTS);
    assert.equal(unplanned[0].status, 'unknown');
    // The preference's directory was never probed, so what it writes cannot be known, and the package step says so.
    assert.equal(unplanned[1].status, 'unknown');
    assert.match(unplanned[1].reason ?? '', /hello\.pref cannot be read \(written by apt_preference\[hello\] with content the plan cannot know\)/);
  });
});
