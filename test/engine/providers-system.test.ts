/**
 * sysctl, hostname, locale, timezone, build_essential, user :lock/:unlock and a user a package
 * creates, in REAL containers (docker, bridge network for Debian's mirror), compiled through the
 * model from our fixture cookbook test/engine/fixtures/system_fx: plan, converge, then the
 * idempotence re-plan. What an unprivileged container cannot do (set a kernel parameter, its
 * hostname) is a failed step with why, and nothing of it is written. Packages installed: locales,
 * procps, uuid-runtime (a few seconds each); timezone under systemd uses cloche/debian:12-systemd.
 * Run: node --import tsx --test --test-concurrency=1 test/engine/providers-system.test.ts
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { planInContainer } from '../../server/src/engine/plan';
import { loadInput, readFacts } from '../../server/src/engine/session';
import type { EngineInput } from '../../server/src/engine/types';
import type { ConvergeReport, Plan, PlanStep } from '../../server/src/protocol';
import { connectDocker, IMAGE, usable } from './helpers';

const FX = join(__dirname, 'fixtures', 'system_fx');
const SYSTEMD_IMAGE = 'cloche/debian:12-systemd';

const step = <S extends PlanStep>(steps: S[], rid: string, action?: string): S => {
  const s = steps.find((x) => x.resource === rid && (!action || x.action === action));
  assert.ok(s, `no step for ${rid}: ${steps.map((x) => x.resource).join(', ')}`);
  return s;
};

/** One container and the fixture's recipes compiled for its facts. */
class Box {
  constructor(readonly d: ContainerDriver, readonly id: string, readonly image: string) {}
  private target() { return { runtime: 'docker', image: this.image, container: this.id, platform: 'debian-12' }; }
  async sh(script: string): Promise<string> {
    const r = await this.d.exec(this.id, script, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${script}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }
  async input(recipe: string): Promise<EngineInput> {
    const loaded = loadInput(FX, await readFacts(this.d, this.id), [`system_fx::${recipe}`]);
    assert.deepEqual(loaded.failures, [], JSON.stringify(loaded.failures));
    return loaded.input;
  }
  async plan(recipe: string): Promise<Plan> {
    return planInContainer({ driver: this.d, container: this.id, input: await this.input(recipe), target: this.target() });
  }
  async converge(recipe: string): Promise<ConvergeReport> {
    return converge({ driver: this.d, container: this.id, input: await this.input(recipe), target: this.target() });
  }
  /** Converges, then plans again: every step up to date or skipped. */
  async convergeIdempotent(recipe: string): Promise<{ report: ConvergeReport; again: Plan }> {
    const report = await this.converge(recipe);
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.steps.map((s) => [s.resource, s.action, s.status, s.done, s.reason]), null, 1));
    assert.deepEqual(report.notApplied, []);
    const started = Date.now();
    const again = await this.plan(recipe);
    const verdict = judgeIdempotence(again, Date.now() - started);
    assert.equal(verdict.idempotent, true, JSON.stringify(verdict.offenders));
    return { report, again };
  }
}

describe('system resources in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let box: Box;

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    box = new Box(docker, await docker.create({ image: IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-system' } }), IMAGE);
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('a directory owned by a user that a package installed earlier creates: an assumption naming the package, then the real owner', async (t) => {
    if (!usable(t, docker)) return;
    const plan = await box.plan('package_user');
    assert.equal(step(plan.steps, 'package[uuid-runtime]').status, 'change');
    const dir = step(plan.steps, 'directory[/srv/uuidd-data]');
    assert.equal(dir.status, 'change', JSON.stringify(dir));
    assert.ok(dir.assumptions?.some((a) => /^assuming user uuidd is created by package\[uuid-runtime\], installed earlier/.test(a)), JSON.stringify(dir.assumptions));
    assert.ok(dir.assumptions?.some((a) => /^assuming group uuidd is created by package\[uuid-runtime\]/.test(a)), JSON.stringify(dir.assumptions));
    const { report } = await box.convergeIdempotent('package_user');
    // After the install the converge probed again: the step ran against the real user.
    const ran = step(report.steps, 'directory[/srv/uuidd-data]');
    assert.equal(ran.done, 'applied');
    assert.equal(ran.assumptions?.some((a) => /uuidd/.test(a)) ?? false, false, JSON.stringify(ran.assumptions));
    assert.equal(await box.sh('stat -c %U:%G:%a /srv/uuidd-data'), 'uuidd:uuidd:750\n');
  });

  test('user :lock and :unlock read passwd -S as Chef does; a password is compared with the shadow field; an unlock usermod refuses is failed', async (t) => {
    if (!usable(t, docker)) return;
    assert.equal(step((await box.plan('users')).steps, 'user[alice]').status, 'change');
    await box.convergeIdempotent('users');
    const lock = step((await box.plan('lock')).steps, 'user[alice]', 'lock');
    assert.equal(lock.status, 'change', JSON.stringify(lock));
    assert.equal(lock.changes[0].message, 'would lock user alice (usermod -L)');
    await box.convergeIdempotent('lock');
    assert.match(await box.sh('passwd -S alice'), /^alice L /);
    // The locked field starts with "!": Chef sees another password than the resource's, and would set it again.
    const again = step((await box.plan('users')).steps, 'user[alice]');
    assert.deepEqual(again.changes.map((c) => c.message), ['would change the password of user alice']);
    assert.ok(!JSON.stringify(again).includes('$6$'), 'the password is not shown');
    assert.equal(step((await box.plan('unlock')).steps, 'user[alice]', 'unlock').status, 'change');
    await box.convergeIdempotent('unlock');
    assert.match(await box.sh('passwd -S alice'), /^alice P /);
    assert.equal(step((await box.plan('users')).steps, 'user[alice]').status, 'up-to-date');
    // A user created without a password has only "!": usermod -U would exit 0 and change nothing.
    const bob = await box.plan('unlock_without_password');
    assert.equal(step(bob.steps, 'user[bob]', 'create').status, 'change');
    const refused = step(bob.steps, 'user[bob]', 'unlock');
    assert.equal(refused.status, 'failed');
    assert.match(refused.reason ?? '', /usermod -U cannot unlock user bob: its password is only "!"/);
  });

  test('locale: without locale-gen Chef fails; with package locales it writes /etc/locale.conf, idempotent; locale-gen on Debian ignores the names', async (t) => {
    if (!usable(t, docker)) return;
    const alone = step((await box.plan('locale_alone')).steps, 'locale[system]');
    assert.equal(alone.status, 'failed');
    assert.match(alone.reason ?? '', /requires the locale-gen tool, which the container lacks \(package locales\)/);
    const plan = await box.plan('locale');
    const loc = step(plan.steps, 'locale[system]');
    assert.equal(loc.status, 'change', JSON.stringify(loc));
    assert.ok(loc.assumptions?.some((a) => /assuming locale-gen \(package locales\) is installed by package\[locales\]/.test(a)));
    assert.deepEqual(loc.changes.map((c) => c.message), ['would set LANG (unset) → C.utf8', 'would create file /etc/locale.conf']);
    await box.convergeIdempotent('locale');
    assert.equal(await box.sh('cat /etc/locale.conf'), 'LANG=C.utf8\n');
    // fr_FR.UTF-8 is not in locale -a: Chef runs locale-gen, which builds only /etc/locale.gen's enabled locales.
    const fr = step((await box.plan('locale_generate')).steps, 'locale[french]');
    assert.equal(fr.status, 'change');
    assert.ok(fr.changes.some((c) => c.message === 'would run locale-gen fr_FR.UTF-8'));
    assert.match(fr.reason ?? '', /fr_FR\.UTF-8 is not enabled there and will stay unavailable/);
    const { report } = await box.convergeIdempotent('locale_generate');
    assert.match(step(report.steps, 'locale[french]').output ?? '', /Generating locales/);
    assert.equal(await box.sh('cat /etc/locale.conf; locale -a | grep -c fr_FR || true'), 'LANG=fr_FR.UTF-8\n0\n');
  });

  test('sysctl: /proc/sys is read-only here, so the step fails with why and writes nothing; a parameter already as wanted is up to date', async (t) => {
    if (!usable(t, docker)) return;
    const plan = await box.plan('sysctl');
    const sc = step(plan.steps, 'sysctl[vm.swappiness]');
    assert.equal(sc.status, 'failed', JSON.stringify(sc));
    assert.match(sc.reason ?? '', /the container cannot set kernel parameter vm\.swappiness: \/proc\/sys is read-only in an unprivileged container/);
    const report = await box.converge('sysctl');
    assert.equal(report.result.ok, false);
    assert.equal(step(report.steps, 'package[procps]').done, 'applied');
    const failed = step(report.steps, 'sysctl[vm.swappiness]');
    assert.equal(failed.done, 'failed');
    assert.match(failed.reason ?? '', /\/proc\/sys is read-only in an unprivileged container/);
    assert.equal(report.verdict, 'failed');
    // Chef runs sysctl -w first: nothing was written.
    assert.equal(await box.sh('[ -e /etc/sysctl.d/99-chef-vm.swappiness.conf ] && echo written || echo absent'), 'absent\n');
    // kernel.ostype is "Linux" and its 99-chef file says so: Chef's load_current_value finds it as wanted.
    assert.match(step((await box.plan('sysctl_current')).steps, 'sysctl[kernel.ostype]').reason ?? '', /cannot set kernel parameter kernel\.ostype/);
    await box.sh('mkdir -p /etc/sysctl.d && printf "kernel.ostype = Linux\\n" > /etc/sysctl.d/99-chef-kernel.ostype.conf');
    const current = step((await box.plan('sysctl_current')).steps, 'sysctl[kernel.ostype]');
    assert.equal(current.status, 'up-to-date', JSON.stringify(current));
  });

  test('hostname: another name needs CAP_SYS_ADMIN (failed, nothing written); the container\'s own name only adds the /etc/hosts line, in place', async (t) => {
    if (!usable(t, docker)) return;
    const before = await box.sh('cat /etc/hosts');
    const plan = await box.plan('hostname');
    const h = step(plan.steps, 'hostname[web1.example.com]');
    assert.equal(h.status, 'failed');
    assert.match(h.reason ?? '', /the container cannot set its hostname to web1\.example\.com: `hostname web1\.example\.com` needs CAP_SYS_ADMIN/);
    const report = await box.converge('hostname');
    assert.equal(step(report.steps, 'hostname[web1.example.com]').done, 'failed');
    assert.equal(await box.sh('cat /etc/hosts'), before);
    const name = (await box.sh('uname -n')).trim();
    const own = step((await box.plan('hostname_hosts')).steps, `hostname[${name}]`);
    assert.equal(own.status, 'change', JSON.stringify(own));
    assert.deepEqual(own.changes.map((c) => c.message), ['would update content of /etc/hosts']);
    assert.match(own.diff ?? '', new RegExp(`\\+10\\.1\\.2\\.3 ${name} app ${name}`));
    await box.convergeIdempotent('hostname_hosts');
    const hosts = await box.sh('cat /etc/hosts; cat /etc/hostname');
    assert.ok(hosts.includes(`\n10.1.2.3 ${name} app ${name}\n${name}\n`), hosts);
    assert.ok(hosts.startsWith(before.split('\n')[0]), 'the other lines stay');
  });

  test('timezone without systemd: Chef changes nothing on Debian, and the step says the zone is not set', async (t) => {
    if (!usable(t, docker)) return;
    const tz = step((await box.plan('timezone')).steps, 'timezone[Europe/Paris]');
    assert.equal(tz.status, 'up-to-date');
    assert.match(tz.reason ?? '', /changes nothing here: without systemd as PID 1 .* so Europe\/Paris is not set/);
  });

  test('build_essential plans Chef\'s Debian packages through the package provider; ncurses-dev is virtual, so the step says it cannot tell', async (t) => {
    if (!usable(t, docker)) return;
    const be = step((await box.plan('build_essential')).steps, 'build_essential[compilers]');
    assert.equal(be.status, 'unknown', JSON.stringify(be));
    assert.match(be.reason ?? '', /no package named ncurses-dev in the apt lists: a virtual package/);
    assert.deepEqual(be.changes.map((c) => c.property), ['autoconf', 'binutils-doc', 'bison', 'build-essential', 'flex', 'gettext']);
  });
});

describe('timezone under systemd as PID 1', () => {
  let docker: ContainerDriver | string | undefined;
  let box: Box | undefined;
  let missing: string | undefined;

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    if (!(await docker.imageExists(SYSTEMD_IMAGE))) {
      missing = `${SYSTEMD_IMAGE} is not built (cloche image build --init systemd)`;
      if (process.env.CI) throw new Error(`CI is set but ${missing}`);
      return;
    }
    box = new Box(docker, await docker.create({ image: SYSTEMD_IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-system-systemd' } }), SYSTEMD_IMAGE);
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });
  const ready = (t: TestContext): boolean => {
    if (!usable(t, docker)) return false;
    if (!box) { t.skip(missing); return false; }
    return true;
  };

  test('without D-Bus timedatectl fails, and so would Chef; with it the zone is set by timedatectl, idempotent; a zone not installed is failed', async (t) => {
    if (!ready(t)) return;
    const b = box!;
    const noBus = step((await b.plan('timezone')).steps, 'timezone[Europe/Paris]');
    assert.equal(noBus.status, 'failed', JSON.stringify(noBus));
    assert.match(noBus.reason ?? '', /`timedatectl status` fails .*D-Bus/);
    await b.sh('export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq dbus >/dev/null 2>&1 && systemctl start dbus.socket dbus');
    const plan = step((await b.plan('timezone')).steps, 'timezone[Europe/Paris]');
    assert.equal(plan.status, 'change', JSON.stringify(plan));
    assert.equal(plan.changes.at(-1)?.message, 'would set the time zone Etc/UTC → Europe/Paris (timedatectl set-timezone)');
    await b.convergeIdempotent('timezone');
    assert.match(await b.sh('readlink /etc/localtime; timedatectl status | grep "Time zone"'), /zoneinfo\/Europe\/Paris\n\s*Time zone: Europe\/Paris /);
    const bad = step((await b.plan('timezone_missing')).steps, 'timezone[Mars/Olympus]');
    assert.equal(bad.status, 'failed');
    assert.match(bad.reason ?? '', /time zone Mars\/Olympus is not installed: \/usr\/share\/zoneinfo\/Mars\/Olympus does not exist/);
  });
});
