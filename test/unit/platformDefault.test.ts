// A cookbook's `supports` picks the platform it is checked on when none is given (an IIS cookbook
// is checked as Windows, not as Debian); containers stay Linux, so the engine refuses the others.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseRuby } from '../../server/src/ruby/prism';
import { defaultPlatformFor, supportsFromJson, supportsFromRuby, type SupportedPlatform } from '../../server/src/chef/supports';

const ROOT = path.resolve(__dirname, '../..');
const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const supports = (rb: string) => supportsFromRuby(parseRuby(rb, 'metadata.rb'));

describe('supports in metadata', () => {
  it('reads supports calls with and without a constraint, strings or symbols', () => {
    assert.deepEqual(supports("name 'x'\nsupports 'windows'\nsupports :ubuntu, '>= 20.04'\ndepends 'y'\n"), [
      { platform: 'windows' }, { platform: 'ubuntu', constraint: '>= 20.04' },
    ]);
  });

  it('reads the loop over a literal list', () => {
    assert.deepEqual(supports('%w(redhat centos).each do |os|\n  supports os\nend\n[\'aix\'].each { |p| supports p, \'>= 7.1\' }\n'), [
      { platform: 'redhat' }, { platform: 'centos' }, { platform: 'aix', constraint: '>= 7.1' },
    ]);
  });

  it('reads nothing it cannot know: a computed list, a call on something else', () => {
    assert.deepEqual(supports('platforms.each { |os| supports os }\nfoo.supports "windows"\nsupports os_name\n'), []);
  });

  it('reads metadata.json platforms, and survives a broken file', () => {
    assert.deepEqual(supportsFromJson('{"name":"x","platforms":{"windows":">= 0.0.0","mac_os_x":""}}'), [
      { platform: 'windows', constraint: '>= 0.0.0' }, { platform: 'mac_os_x' },
    ]);
    assert.deepEqual(supportsFromJson('{ nope'), []);
    assert.deepEqual(supportsFromJson('{"platforms": [1]}'), []);
  });
});

describe('defaultPlatformFor', () => {
  const pick = (s: SupportedPlatform[]) => defaultPlatformFor(s);
  it('keeps debian-12 when nothing is said, or Debian is supported in a version it satisfies', () => {
    assert.deepEqual(pick([]), { profile: 'debian-12' });
    assert.deepEqual(pick([{ platform: 'windows' }, { platform: 'debian' }]), { profile: 'debian-12' });
    assert.deepEqual(pick([{ platform: 'ubuntu' }, { platform: 'debian', constraint: '>= 12.0' }]), { profile: 'debian-12' });
  });

  it('takes the newest profile of the first supported platform that has one', () => {
    assert.deepEqual(pick([{ platform: 'windows' }]), { profile: 'windows-2022', from: "supports 'windows'" });
    assert.equal(pick([{ platform: 'windows', constraint: '< 10.0.20000' }]).profile, 'windows-2019');
    assert.equal(pick([{ platform: 'mac_os_x' }]).profile, 'macos-14');
    assert.equal(pick([{ platform: 'ubuntu' }, { platform: 'centos' }]).profile, 'ubuntu-24.04');
    assert.equal(pick([{ platform: 'zlinux' }, { platform: 'amazon' }]).profile, 'amazonlinux-2023');
    assert.equal(pick([{ platform: 'smartos' }]).profile, 'smartos');
    assert.equal(pick([{ platform: 'freebsd', constraint: '>= 13.0' }]).profile, 'freebsd-14');
    assert.equal(pick([{ platform: 'debian', constraint: '>= 13' }, { platform: 'ubuntu', constraint: '>= 22.04' }]).profile, 'ubuntu-24.04');
    assert.equal(pick([{ platform: 'centos_stream', constraint: '>= 9.0' }]).profile, 'centos-stream-9');
  });

  it('falls back to a profile of the same family, then to the default', () => {
    assert.deepEqual(pick([{ platform: 'redhat', constraint: '>= 8.0' }]), { profile: 'almalinux-9', from: "supports 'redhat', '>= 8.0'" });
    assert.equal(pick([{ platform: 'oracle', constraint: '< 9' }]).profile, 'almalinux-8');
    assert.deepEqual(pick([{ platform: 'zlinux' }]), { profile: 'debian-12' });
  });
});

describe('the CLI without --platform', () => {
  it('checks a Windows-only cookbook as windows-2022, clean, and says why', () => {
    const r = cli('check', 'test/fixtures/cookbooks/fx_windows');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 error\(s\), 0 warning\(s\)/);
    assert.match(r.stderr, /platform windows-2022, chosen by supports 'windows' in the metadata of fx_windows/);
  });

  it('reports the Windows resources when the same cookbook is checked as Debian', () => {
    const r = cli('check', 'test/fixtures/cookbooks/fx_windows', '--platform', 'debian-12', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'a platform given is not announced');
    const codes = JSON.parse(r.stdout).diagnostics.filter((d: { code: string }) => d.code === 'resource-not-on-platform').map((d: { message: string }) => d.message);
    assert.ok(codes.some((m: string) => /'windows_feature' would fail on debian-12/.test(m)), codes.join('\n'));
    assert.ok(codes.some((m: string) => /'powershell_script' is not available on debian-12/.test(m)), codes.join('\n'));
  });

  it('checks a macOS cookbook as macos-14, clean', () => {
    const r = cli('check', 'test/fixtures/cookbooks/fx_macos');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /0 error\(s\), 0 warning\(s\)/);
    assert.match(r.stderr, /macos-14/);
  });

  it('graphs a Windows cookbook for Windows: service and package resolve there', () => {
    const r = cli('graph', 'test/fixtures/cookbooks/fx_windows', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const g = JSON.parse(r.stdout);
    assert.equal(g.platform, 'windows-2022');
    assert.equal(g.resources.find((x: { id: string }) => x.id === 'service[W3SVC]').resolvedType, 'windows_service');
    assert.ok(g.resources.some((x: { id: string }) => x.id === 'directory[C:\\inetpub\\fx]'), 'ENV SYSTEMDRIVE is C: on Windows');
  });

  it('keeps debian-12 for a cookbook that says nothing, silently', () => {
    const r = cli('graph', 'examples/webserver', '--format', 'json');
    assert.equal(JSON.parse(r.stdout).platform, 'debian-12');
    assert.equal(r.stderr, '');
  });
});

describe('the engine commands on a platform that is not Linux', () => {
  for (const command of ['plan', 'converge', 'test']) {
    it(`${command} refuses windows-2022 with exit 2 before looking for a container`, () => {
      const r = cli(command, 'test/fixtures/cookbooks/fx_windows', '--platform', 'windows-2022', '--runtime', 'podman');
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, new RegExp(`cloche ${command}: windows-2022 is not Linux: containers run Linux only`));
      assert.match(r.stderr, /cloche check --platform windows-2022/);
      assert.equal(r.stdout, '');
    });
  }
});
