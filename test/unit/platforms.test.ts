import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  automaticAttributes, compareVersions, factsFromJson, getPlatformProfile, listPlatformProfiles, platformVersionMatches,
} from '../../server/src/chef/platforms';

describe('platform profiles', () => {
  it('lists the profiles users pick from', () => {
    for (const name of ['debian-12', 'debian-11', 'ubuntu-22.04', 'ubuntu-24.04', 'almalinux-9', 'rockylinux-9', 'amazonlinux-2023', 'centos-stream-9', 'fedora-40']) {
      assert.ok(listPlatformProfiles().includes(name), name);
      assert.equal(getPlatformProfile(name)?.profile, name);
    }
  });

  it('carries the values Ohai reports', () => {
    const expect: Record<string, [string, string, RegExp]> = {
      'debian-12': ['debian', 'debian', /^12\.\d+$/],
      'ubuntu-24.04': ['ubuntu', 'debian', /^24\.04$/],
      'almalinux-9': ['almalinux', 'rhel', /^9\.\d+$/],
      'rockylinux-9': ['rocky', 'rhel', /^9\.\d+$/],
      'centos-stream-9': ['centos', 'rhel', /^9/],
      'amazonlinux-2023': ['amazon', 'amazon', /^2023$/],
      'fedora-40': ['fedora', 'fedora', /^40$/],
    };
    for (const [name, [platform, family, version]] of Object.entries(expect)) {
      const f = getPlatformProfile(name)!;
      assert.equal(f.platform, platform, name);
      assert.equal(f.platformFamily, family, name);
      assert.match(f.platformVersion, version, name);
      assert.equal(f.os, 'linux');
    }
  });

  it('returns an unknown profile as undefined, and copies that callers may change', () => {
    assert.equal(getPlatformProfile('debian-99'), undefined);
    const a = getPlatformProfile('debian-12')!;
    a.kernel!.machine = 'sparc';
    assert.equal(getPlatformProfile('debian-12')!.kernel!.machine, 'x86_64');
  });
});

describe('factsFromJson', () => {
  it('reads ohai-style keys and infers the family', () => {
    const f = factsFromJson({ platform: 'ubuntu', platform_version: '22.04', init_package: 'systemd', kernel: { machine: 'aarch64', release: '6.5.0' }, ipaddress: '10.0.0.5' });
    assert.equal(f.platformFamily, 'debian');
    assert.equal(f.platformVersion, '22.04');
    assert.equal(f.initSystem, 'systemd');
    assert.equal(f.packageManager, 'apt');
    assert.equal(f.profile, 'custom');
    const attrs = automaticAttributes(f);
    assert.equal(attrs.ipaddress, '10.0.0.5');
    assert.equal((attrs.kernel as Record<string, unknown>).machine, 'aarch64');
  });

  it('reads our own keys, over a named profile', () => {
    const f = factsFromJson({ platformVersion: '12.9', hostname: 'web1' }, 'debian-12');
    assert.equal(f.platform, 'debian');
    assert.equal(f.platformVersion, '12.9');
    assert.equal(f.hostname, 'web1');
    assert.equal(f.profile, 'debian-12');
    assert.equal(factsFromJson({ profile: 'almalinux-9' }).platformFamily, 'rhel');
  });

  it('keeps a numeric version as a string', () => {
    assert.equal(factsFromJson({ platform: 'amazon', platform_version: 2023 }).platformVersion, '2023');
  });

  it('explains what is wrong with unusable input', () => {
    assert.throws(() => factsFromJson({ hostname: 'x' }), /platform/);
    assert.throws(() => factsFromJson([1, 2]), /invalid platform facts/);
    assert.throws(() => factsFromJson({ platform: 7 }), /platform/);
    assert.throws(() => factsFromJson({}, 'solaris-2'), /unknown platform profile 'solaris-2'/);
  });
});

describe('automaticAttributes', () => {
  it('gives the attributes recipes read, as plain JSON', () => {
    const attrs = automaticAttributes(getPlatformProfile('debian-12')!);
    assert.equal(attrs.platform, 'debian');
    assert.equal(attrs.platform_family, 'debian');
    assert.equal(attrs.os, 'linux');
    assert.equal(attrs.init_package, 'systemd');
    assert.equal(typeof attrs.hostname, 'string');
    assert.equal(typeof attrs.fqdn, 'string');
    assert.equal((attrs.kernel as Record<string, unknown>).machine, 'x86_64');
    assert.match(String((attrs.kernel as Record<string, unknown>).release), /^6\./);
    assert.equal(typeof (attrs.cpu as Record<string, unknown>).total, 'number');
    assert.match(String((attrs.memory as Record<string, unknown>).total), /^\d+kB$/);
    assert.match(String(attrs.ipaddress), /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal((attrs.lsb as Record<string, unknown>).codename, 'bookworm');
    assert.deepEqual(attrs.packages, {});
    assert.deepEqual(JSON.parse(JSON.stringify(attrs)), attrs);
  });

  it('has lsb only on Debian-family platforms, and lets extra win', () => {
    assert.equal(automaticAttributes(getPlatformProfile('almalinux-9')!).lsb, undefined);
    assert.equal((automaticAttributes(getPlatformProfile('ubuntu-24.04')!).lsb as Record<string, unknown>).codename, 'noble');
    const f = { ...getPlatformProfile('debian-12')!, extra: { cpu: { total: 16 }, custom: { a: 1 } } };
    const attrs = automaticAttributes(f);
    assert.equal((attrs.cpu as Record<string, unknown>).total, 16);
    assert.equal((attrs.cpu as Record<string, unknown>).real, 1, 'deep merge keeps sibling keys');
    assert.deepEqual(attrs.custom, { a: 1 });
  });
});

describe('platformVersionMatches', () => {
  const cases: [string, string, boolean][] = [
    ['>= 8', '9.4', true], ['>= 8', '7.9.2009', false], ['>= 8', '8', true],
    ['~> 12.0', '12.7', true], ['~> 12.0', '13.0', false], ['~> 12.0', '11.9', false],
    ['~> 12.1.0', '12.1.9', true], ['~> 12.1.0', '12.2', false],
    ['< 20.04', '18.04', true], ['< 20.04', '20.04', false], ['< 20.04', '22.04', false],
    ['> 2', '2023', true], ['<= 9', '9.0', true], ['= 9', '9', true], ['9', '9.1', false], ['!= 9', '9.1', true],
    ['>= 8, < 10', '9.4', true], ['>= 8, < 10', '10.0', false],
    ['>= 8', 'bookworm/sid', false], ['>> 8', '9', false],
  ];
  for (const [constraint, version, expected] of cases) {
    it(`'${constraint}' ${expected ? 'matches' : 'does not match'} ${version}`, () => {
      assert.equal(platformVersionMatches(constraint, version), expected);
    });
  }

  it('takes a list of constraints', () => {
    assert.equal(platformVersionMatches(['>= 8', '< 9'], '8.10'), true);
    assert.equal(platformVersionMatches(['>= 8', '< 9'], '9.1'), false);
  });

  it('compares versions numerically, not as text', () => {
    assert.equal(compareVersions('8.10', '8.9'), 1);
    assert.equal(compareVersions('9', '9.0.0'), 0);
    assert.equal(compareVersions('20.04', '22.04'), -1);
  });
});
