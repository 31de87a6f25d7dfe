/**
 * Planning of the system resources over a hand-built state (no container): what Chef's source
 * says each does on Debian and RHEL (sysctl, hostname, locale, timezone, build_essential, user
 * :lock/:unlock), and accounts that a package installed earlier may create.
 * Run: node --import tsx --test test/engine/systemPlans.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { simulate } from '../../server/src/engine/plan';
import { VirtualState, type UserInfo } from '../../server/src/engine/state';
import { collectQueries } from '../../server/src/engine/planner';
import { FACTS, input, res } from './helpers';
import type { PlanStep } from '../../server/src/protocol';
import type { PlatformFacts } from '../../server/src/chef/platforms';

const RHEL: PlatformFacts = { ...FACTS, platform: 'rocky', platformFamily: 'rhel', platformVersion: '9.4', packageManager: 'dnf' };

function machine(): VirtualState {
  const s = new VirtualState();
  for (const p of ['/', '/etc', '/srv', '/etc/sysctl.d', '/etc/sysconfig']) s.setPath(p, { kind: 'directory', owner: 'root', group: 'root', mode: '755' });
  s.setUser('root', { name: 'root', uid: 0, gid: 0, comment: 'root', home: '/root', shell: '/bin/bash' });
  s.setGroup('root', { name: 'root', gid: 0, members: [] });
  return s;
}
const missing = (s: VirtualState, ...paths: string[]): void => { for (const p of paths) s.setPath(p, { kind: 'missing' }); };
const file = (s: VirtualState, path: string, content: string): void => s.setPath(path, { kind: 'file', owner: 'root', group: 'root', mode: '644', content });
const only = (steps: PlanStep[], id: string, action?: string): PlanStep => {
  const st = steps.find((x) => x.resource === id && (!action || x.action === action));
  assert.ok(st, `no step for ${id}`);
  return st;
};
const user = (name: string, lock?: UserInfo['lock']): UserInfo => ({ name, uid: 1000, gid: 1000, comment: '', home: `/home/${name}`, shell: '/bin/sh', ...(lock ? { lock } : {}) });

describe('accounts a package installed earlier may create', () => {
  const uses = () => [
    res('directory', '/srv/chrony', { owner: '_chrony', group: '_chrony' }, { actions: ['create'] }),
    res('execute', 'as chrony', { command: 'true', user: '_chrony' }, { actions: ['run'] }),
    res('group', 'timekeepers', { members: ['_chrony'], append: true }, { actions: ['create'] }),
    res('user', 'ntpwatch', { gid: '_chrony' }, { actions: ['create'] }),
  ];
  const state = () => {
    const s = machine();
    missing(s, '/srv/chrony');
    s.setUser('_chrony', null); s.setGroup('_chrony', null); s.setGroup('timekeepers', null); s.setUser('ntpwatch', null);
    s.setPkg('chrony', { candidate: '4.3-2' }, 'dpkg');
    return s;
  };

  test('after a package install they are assumptions naming the package; without one the steps fail as Chef would', async () => {
    const steps = await simulate(input([res('package', 'chrony', {}, { actions: ['install'] }), ...uses()]), state(), FACTS);
    for (const id of ['directory[/srv/chrony]', 'execute[as chrony]', 'group[timekeepers]', 'user[ntpwatch]']) {
      const st = only(steps, id);
      assert.equal(st.status, 'change', `${id}: ${JSON.stringify(st)}`);
      assert.ok(st.assumptions?.some((a) => /^assuming (user|group) _chrony is created by package\[chrony\], installed earlier in this run/.test(a)), `${id}: ${JSON.stringify(st.assumptions)}`);
    }
    const alone = await simulate(input(uses()), state(), FACTS);
    assert.match(only(alone, 'directory[/srv/chrony]').reason ?? '', /^owner _chrony does not exist \(and no earlier resource creates it\)/);
    assert.match(only(alone, 'execute[as chrony]').reason ?? '', /^user _chrony does not exist/);
    assert.match(only(alone, 'group[timekeepers]').reason ?? '', /^member _chrony of group timekeepers does not exist/);
    assert.match(only(alone, 'user[ntpwatch]').reason ?? '', /^group _chrony does not exist/);
    assert.ok(alone.every((st) => st.status === 'failed'));
  });
});

describe('user :lock and :unlock', () => {
  const lockState = (lock: UserInfo['lock']) => { const s = machine(); s.setUser('alice', user('alice', lock)); return s; };
  const run = async (action: string, s: VirtualState, extra: Parameters<typeof res>[2] = {}) => (await simulate(input([res('user', 'alice', extra, { actions: [action] })]), s, FACTS))[0];

  test('passwd -S L is locked, P and NP are not: lock and unlock change or are up to date', async () => {
    assert.equal((await run('lock', lockState({ status: 'P', afterUnlock: 'P' }))).changes[0].message, 'would lock user alice (usermod -L)');
    assert.equal((await run('lock', lockState({ status: 'L', afterUnlock: 'P' }))).status, 'up-to-date');
    assert.equal((await run('unlock', lockState({ status: 'NP', afterUnlock: 'NP' }))).status, 'up-to-date');
    assert.equal((await run('unlock', lockState({ status: 'L', afterUnlock: 'P' }))).changes[0].message, 'would unlock user alice (usermod -U)');
  });

  test('an unlock usermod would refuse is failed; a status Chef cannot read fails; a missing user fails, or is unknown after a package install', async () => {
    const refused = await run('unlock', lockState({ status: 'L', afterUnlock: 'refuse' }));
    assert.equal(refused.status, 'failed');
    assert.match(refused.reason ?? '', /its password is only "!"/);
    assert.match((await run('unlock', lockState({ status: 'L', afterUnlock: 'L' }))).reason ?? '', /stays locked after removing one "!"/);
    assert.match((await run('lock', lockState({ status: '', afterUnlock: '' }))).reason ?? '', /^Cannot determine if user alice is locked/);
    assert.equal((await run('lock', machine())).status, 'unknown', 'not probed');
    const gone = machine();
    gone.setUser('alice', null);
    assert.match((await run('lock', gone)).reason ?? '', /^Cannot modify user alice - does not exist!/);
    gone.installs.push('package[app]');
    assert.equal((await run('lock', gone)).status, 'unknown');
  });

  test('a password is compared with the shadow field as Chef does (its hash only), unknown when it was not read', async () => {
    const sha = createHash('sha256').update('$6$a$b').digest('hex');
    assert.equal((await run('create', lockState({ status: 'P', afterUnlock: 'P', sha256: sha }), { password: '$6$a$b' })).status, 'up-to-date');
    const other = await run('create', lockState({ status: 'P', afterUnlock: 'P', sha256: sha }), { password: '$6$c$d' });
    assert.deepEqual(other.changes, [{ property: 'password', from: '(suppressed)', to: '(suppressed)', message: 'would change the password of user alice' }]);
    const s = machine();
    s.setUser('alice', user('alice'));
    assert.match((await run('create', s, { password: '$6$a$b' })).reason ?? '', /the password of user alice was not read/);
  });

  test('a user created earlier in the run: locked without a password (unlock refused), usable with one; the probe asks for the lock state only when needed', async () => {
    const s = machine();
    s.setUser('bob', null);
    s.setUser('carol', null);
    const steps = await simulate(input([
      res('user', 'bob', {}, { actions: ['create'] }), res('user', 'bob', {}, { actions: ['unlock'], id: 'user[bob]#2' }),
      res('user', 'carol', { password: '$6$x$y' }, { actions: ['create'] }), res('user', 'carol', {}, { actions: ['lock'], id: 'user[carol]#2' }),
      res('user', 'carol', {}, { actions: ['unlock'], id: 'user[carol]#3' }),
    ]), s, FACTS);
    assert.deepEqual(steps.map((x) => x.status), ['change', 'failed', 'change', 'change', 'change']);
    const queries = collectQueries(input([res('user', 'dave', {}, { actions: ['lock'] }), res('user', 'erin', {}, { actions: ['create'] })]), FACTS);
    assert.deepEqual(queries.filter((q) => q.kind === 'user'), [{ kind: 'user', name: 'dave', lock: true }, { kind: 'user', name: 'erin' }]);
  });
});

describe('sysctl', () => {
  const state = (value: string, opts: { writable?: boolean; file?: string; confFile?: string } = {}) => {
    const s = machine();
    s.setSystem('which:sysctl', { v: ['/usr/sbin/sysctl'] });
    s.setSystem('sysctl:vm.swappiness', { v: [value], writable: [opts.writable === false ? '0' : '1'], procsys: [opts.writable === false ? 'ro,nosuid' : 'rw'] });
    file(s, '/etc/sysctl.conf', '# defaults\n');
    if (opts.file === undefined) missing(s, '/etc/sysctl.d/99-chef-vm.swappiness.conf'); else file(s, '/etc/sysctl.d/99-chef-vm.swappiness.conf', opts.file);
    missing(s, '/etc/other', '/etc/other/99-chef-vm.swappiness.conf');
    return s;
  };
  const plan = async (s: VirtualState, props: Parameters<typeof res>[2] = {}) => (await simulate(input([res('sysctl', 'vm.swappiness', { value: 10, ...props }, { actions: ['apply'] })]), s, FACTS))[0];

  test('up to date when the kernel and 99-chef file both say the value; otherwise sysctl -w, the file (comments first) and sysctl -p', async () => {
    assert.equal((await plan(state('10', { file: 'vm.swappiness = 10\n' }))).status, 'up-to-date');
    const st = await plan(state('60'), { comment: ['keep apps in memory'] });
    assert.equal(st.status, 'change');
    assert.deepEqual(st.changes.map((c) => c.message), ['would set vm.swappiness 60 → 10', 'would create file /etc/sysctl.d/99-chef-vm.swappiness.conf', 'would reload with `sysctl -p`']);
    assert.match(st.diff ?? '', /\+# keep apps in memory\n\+vm\.swappiness = 10\n/);
    // The kernel says 10 but Chef's file does not: Chef sets it again and writes the file.
    assert.equal((await plan(state('10'))).changes[0].message, 'would set vm.swappiness to 10 again (sysctl -w), as Chef does when its file does not say so');
  });

  test('read-only /proc/sys, a missing parameter, no sysctl command: failed with why; conf_dir elsewhere converges every run', async () => {
    const ro = await plan(state('60', { writable: false }));
    assert.equal(ro.status, 'failed');
    assert.match(ro.reason ?? '', /\/proc\/sys is read-only in an unprivileged container/);
    const s = state('60');
    s.setSystem('sysctl:vm.swappiness', { missing: ['1'], writable: ['0'], procsys: ['rw'] });
    assert.match((await plan(s)).reason ?? '', /kernel parameter vm\.swappiness does not exist/);
    const none = state('60');
    none.setSystem('which:sysctl', { v: [''] });
    assert.match((await plan(none)).reason ?? '', /no sysctl command \(install package procps first\)/);
    const other = await plan(state('10', { file: 'vm.swappiness = 10\n' }), { conf_dir: '/etc/other' });
    assert.equal(other.status, 'change');
    assert.match(other.reason ?? '', /Chef compares conf_dir \/etc\/other with its default \/etc\/sysctl\.d, so it converges this resource on every run/);
    assert.ok(other.changes.some((c) => c.message === 'would create directory /etc/other'));
  });
});

describe('hostname', () => {
  const state = (files: Record<string, string>) => {
    const s = machine();
    s.setSystem('hostname', { v: ['old'] });
    s.setSystem('cap_sys_admin', { v: ['1'] });
    s.setSystem('docker', { v: ['0'] });
    s.setPath('/bin/hostname', { kind: 'file', mode: '755' });
    missing(s, '/usr/bin/hostnamectl', '/etc/hostname', '/etc/sysconfig/network', '/etc/HOSTNAME', '/etc/conf.d/hostname', '/etc/sysctl.conf');
    for (const [p, c] of Object.entries(files)) file(s, p, c);
    return s;
  };
  const plan = async (s: VirtualState, props: Parameters<typeof res>[2], facts = FACTS) => (await simulate(input([res('hostname', 'web1', props, { actions: ['set'] })]), s, facts))[0];

  test('with CAP_SYS_ADMIN: hostname, the /etc/hosts line replacing the old one, and /etc/sysconfig/network on RHEL', async () => {
    const st = await plan(state({ '/etc/hosts': '127.0.0.1 localhost\n10.0.0.9 old web1 \n', '/etc/sysconfig/network': 'NETWORKING=yes\nHOSTNAME=old\n' }), { ipaddress: '10.0.0.9', fqdn: 'web1.example.com' }, RHEL);
    assert.equal(st.status, 'change', JSON.stringify(st));
    assert.deepEqual(st.changes.map((c) => c.message), ['would set the hostname old → web1 (/bin/hostname)', 'would update content of /etc/hosts', 'would update content of /etc/sysconfig/network']);
    assert.match(st.diff ?? '', /-10\.0\.0\.9 old web1 \n\+10\.0\.0\.9 web1\.example\.com web1 web1\n/);
    assert.match(st.diff ?? '', /-HOSTNAME=old\n\+HOSTNAME=web1\n/);
  });

  test('without ipaddress the /etc/hosts line is unknown (node[\'ipaddress\'] is not read); without /etc/sysctl.conf or any hostname file Chef fails', async () => {
    const st = await plan(state({ '/etc/hosts': '127.0.0.1 localhost\n', '/etc/hostname': 'old\n' }), {});
    assert.equal(st.status, 'unknown');
    assert.match(st.reason ?? '', /needs ipaddress, whose default is node\['ipaddress'\]/);
    assert.equal(st.changes[0].property, 'hostname');
    const none = await plan(state({ '/etc/hosts': '' }), { ipaddress: '10.0.0.9' });
    assert.equal(none.status, 'failed');
    assert.match(none.reason ?? '', /Chef reads \/etc\/sysctl\.conf to edit it, and it does not exist/);
    const nocap = state({ '/etc/hosts': '' });
    nocap.setSystem('cap_sys_admin', { v: ['0'] });
    assert.match((await plan(nocap, { ipaddress: '10.0.0.9' })).reason ?? '', /needs CAP_SYS_ADMIN, which an unprivileged container lacks/);
  });

  test('the regexp Chef builds from ipaddress runs in linear time: a catastrophic one plans at once; one RE2 cannot run is unknown', async () => {
    const hosts = { '/etc/hosts': `127.0.0.1 localhost\n${'a'.repeat(40)}!\n`, '/etc/hostname': 'old\n' };
    const st = await plan(state(hosts), { ipaddress: '(a+)+$' });
    assert.equal(st.status, 'change', JSON.stringify(st));
    assert.ok(st.changes.some((c) => c.message === 'would update content of /etc/hosts'));
    const backref = await plan(state(hosts), { ipaddress: '(a)\\1' });
    assert.equal(backref.status, 'unknown');
    assert.match(backref.reason ?? '', /makes a regular expression .* that Cloche does not run: .*backreference/);
  });
});

describe('locale', () => {
  const state = (conf?: string) => {
    const s = machine();
    s.setSystem('which:locale-gen', { v: ['/usr/sbin/locale-gen'] });
    s.setSystem('locales', { v: ['C', 'C.utf8', 'POSIX', 'en_US.utf8'] });
    file(s, '/etc/locale.gen', 'en_US.UTF-8 UTF-8\n# fr_FR.UTF-8 UTF-8\n');
    if (conf === undefined) missing(s, '/etc/locale.conf'); else file(s, '/etc/locale.conf', conf);
    return s;
  };
  const plan = async (s: VirtualState, props: Parameters<typeof res>[2]) => (await simulate(input([res('locale', 'default', props, { actions: ['update'] })]), s, FACTS))[0];

  test('LANG as Chef reads it from /etc/locale.conf; lc_env makes Chef update every run; its content sorted', async () => {
    assert.equal((await plan(state('LANG=C.utf8\n'), { lang: 'C.utf8' })).status, 'up-to-date');
    const lc = await plan(state('LANG=C.utf8\nLC_TIME=C.utf8\n'), { lang: 'C.utf8', lc_env: { LC_TIME: 'C.utf8' } });
    assert.equal(lc.status, 'change');
    assert.match(lc.reason ?? '', /Chef compares lc_env with its default \{\}, never with the file, so it updates this resource on every run/);
    const fresh = await plan(state(), { lang: 'en_US.UTF-8', lc_env: { LC_TIME: 'C.utf8', LC_COLLATE: 'C.utf8' } });
    assert.ok(fresh.changes.some((c) => c.message === 'would run locale-gen en_US.UTF-8'));
    assert.ok(!/stay unavailable/.test(fresh.reason ?? ''), 'en_US.UTF-8 is enabled in /etc/locale.gen');
    assert.match(fresh.diff ?? '', /\+LANG=en_US\.UTF-8\n\+LC_COLLATE=C\.utf8\n\+LC_TIME=C\.utf8\n/);
  });

  test('Chef\'s validation and its reading of the file fail as Chef does', async () => {
    assert.match((await plan(state(), { lc_env: { LC_FOO: 'x' } })).reason ?? '', /^Key of option lc_env must be equal to one of: "LC_ADDRESS"/);
    assert.match((await plan(state('LANG=C\n\nLC_TIME=C\n'), { lang: 'C.utf8' })).reason ?? '', /Chef cannot read \/etc\/locale\.conf: the line "" makes Hash\[\] raise/);
    assert.match((await simulate(input([res('locale', 'x', { lang: 'C.utf8' }, { actions: ['update'] })]), state(), RHEL))[0].reason ?? '', /not supported on platform family: rhel/);
  });
});

describe('timezone on RHEL without systemd', () => {
  const state = (clock?: string, tzdataUpdate = false) => {
    const s = machine();
    s.setSystem('pid1', { v: ['sh'] });
    s.setPkg('rpm:tzdata', { installed: '2024a-1.el9' });
    s.setPkg('tzdata', { installed: '2024a-1.el9' }, 'rpm');
    s.setPath('/usr/share/zoneinfo/Europe/Paris', { kind: 'file' });
    s.setPath('/etc/localtime', { kind: 'link', linkTarget: '/usr/share/zoneinfo/UTC' });
    if (clock === undefined) missing(s, '/etc/sysconfig/clock'); else file(s, '/etc/sysconfig/clock', clock);
    if (tzdataUpdate) s.setPath('/usr/sbin/tzdata-update', { kind: 'file', mode: '755' }); else missing(s, '/usr/sbin/tzdata-update');
    return s;
  };
  const plan = async (s: VirtualState) => (await simulate(input([res('timezone', 'Europe/Paris', {}, { actions: ['set'] })]), s, RHEL))[0];

  test('ZONE in /etc/sysconfig/clock decides; a change writes it and links /etc/localtime, or runs tzdata-update', async () => {
    assert.equal((await plan(state('ZONE="Europe/Paris"\nUTC="true"\n'))).status, 'up-to-date');
    const st = await plan(state('ZONE="UTC"\n'));
    assert.deepEqual(st.changes.map((c) => c.message), ['would update content of /etc/sysconfig/clock', 'would link /etc/localtime → /usr/share/zoneinfo/Europe/Paris']);
    const tu = await plan(state(undefined, true));
    assert.deepEqual(tu.changes.map((c) => c.message), ['would create file /etc/sysconfig/clock', 'would set mode 0644', 'would set owner root', 'would set group root',
      'would run /usr/sbin/tzdata-update (notified by /etc/sysconfig/clock)']);
    assert.match((await plan(state('UTC=true\n'))).reason ?? '', /has no ZONE="…" line/);
  });
});

describe('build_essential', () => {
  test('Chef\'s Debian list through the package provider: up to date when installed; an unsupported family warns, or fails with raise_if_unsupported', async () => {
    const s = machine();
    for (const p of ['autoconf', 'binutils-doc', 'bison', 'build-essential', 'flex', 'gettext', 'ncurses-dev']) s.setPkg(p, { installed: '1.0' }, 'dpkg');
    const be = res('build_essential', 'tools', {}, { actions: ['install'] });
    assert.equal((await simulate(input([be]), s, FACTS))[0].status, 'up-to-date');
    assert.deepEqual(collectQueries(input([be]), FACTS).map((q) => q.kind === 'package' && q.name), ['autoconf', 'binutils-doc', 'bison', 'build-essential', 'flex', 'gettext', 'ncurses-dev']);
    const arch: PlatformFacts = { ...FACTS, platform: 'arch', platformFamily: 'arch' };
    assert.match((await simulate(input([be]), s, arch))[0].reason ?? '', /does not currently support the 'arch' platform family\. Chef logs a warning/);
    const strict = res('build_essential', 'strict', { raise_if_unsupported: true }, { actions: ['install'] });
    assert.equal((await simulate(input([strict]), s, arch))[0].status, 'failed');
  });
});
