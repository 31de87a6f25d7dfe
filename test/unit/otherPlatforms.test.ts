// Profiles of systems that cannot run in a container (Windows, macOS, FreeBSD, Solaris, illumos, AIX):
// their facts, the automatic attributes they give, which resource and provider Chef picks there,
// and which built-in resources would fail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog } from '../../server/src/chef/catalog/catalog';
import { providerFor } from '../../server/src/chef/catalog/providers';
import { unsupportedOn } from '../../server/src/chef/catalog/platformSupport';
import { automaticAttributes, factsFromJson, getPlatformProfile, isLinux, listPlatformProfiles, type PlatformFacts } from '../../server/src/chef/platforms';
import { platformHelper } from '../../server/src/chef/platformDsl';

const profile = (name: string): PlatformFacts => {
  const f = getPlatformProfile(name);
  assert.ok(f, `profile ${name} exists`);
  return f;
};
const catalog = new Catalog();

describe('non-Linux profiles', () => {
  const expect: Record<string, { platform: string; family: string; os: string; version: RegExp; rootGroup: string }> = {
    'windows-2016': { platform: 'windows', family: 'windows', os: 'windows', version: /^10\.0\.14393$/, rootGroup: 'Administrators' },
    'windows-2019': { platform: 'windows', family: 'windows', os: 'windows', version: /^10\.0\.17763$/, rootGroup: 'Administrators' },
    'windows-2022': { platform: 'windows', family: 'windows', os: 'windows', version: /^10\.0\.20348$/, rootGroup: 'Administrators' },
    'macos-14': { platform: 'mac_os_x', family: 'mac_os_x', os: 'darwin', version: /^14\.\d+/, rootGroup: 'wheel' },
    'freebsd-14': { platform: 'freebsd', family: 'freebsd', os: 'freebsd', version: /^14\.\d+-RELEASE$/, rootGroup: 'wheel' },
    'solaris-11.4': { platform: 'solaris2', family: 'solaris2', os: 'solaris2', version: /^5\.11$/, rootGroup: 'root' },
    smartos: { platform: 'smartos', family: 'smartos', os: 'solaris2', version: /^5\.11$/, rootGroup: 'root' },
    'omnios-r151050': { platform: 'omnios', family: 'omnios', os: 'solaris2', version: /^151050$/, rootGroup: 'root' },
    'aix-7.2': { platform: 'aix', family: 'aix', os: 'aix', version: /^7\.2$/, rootGroup: 'system' },
  };
  for (const [name, e] of Object.entries(expect)) {
    it(`${name} carries the values Ohai reports there`, () => {
      const f = profile(name);
      assert.ok(listPlatformProfiles().includes(name));
      assert.equal(f.platform, e.platform);
      assert.equal(f.platformFamily, e.family);
      assert.equal(f.os, e.os);
      assert.match(f.platformVersion, e.version);
      assert.equal(isLinux(f), false);
      const attrs = automaticAttributes(f);
      assert.equal(attrs.root_group, e.rootGroup);
      assert.equal(attrs.init_package, undefined, 'Ohai reports init_package on Linux only');
      assert.equal(attrs.lsb, undefined);
      const k = attrs.kernel as Record<string, unknown>;
      assert.notEqual(k.name, 'Linux');
      assert.doesNotMatch(String(k.os), /Linux/);
      assert.equal(k.modules, undefined, 'kernel modules are a Linux attribute');
      assert.doesNotMatch(String((attrs.languages as { ruby: { platform: string } }).ruby.platform), /linux/);
      assert.equal((attrs.virtualization as Record<string, unknown>).system, undefined, 'not a docker guest');
      assert.deepEqual(JSON.parse(JSON.stringify(attrs)), attrs);
    });
  }

  it('gives Windows its edition, build and PowerShell, and no Unix shells', () => {
    const attrs = automaticAttributes(profile('windows-2022'));
    assert.equal(attrs.os_version, '10.0.20348');
    assert.match(String((attrs.kernel as Record<string, unknown>).name), /Windows Server 2022/);
    assert.equal((attrs.kernel as Record<string, unknown>).product_type, 'Server');
    assert.match(String(((attrs.languages as Record<string, Record<string, unknown>>).powershell).version), /^5\.1\./);
    assert.equal(attrs.shells, undefined);
    assert.equal(attrs.current_user, 'Administrator');
  });

  it('gives macOS the Darwin kernel as os_version and its shells', () => {
    const attrs = automaticAttributes(profile('macos-14'));
    assert.equal(attrs.os_version, '23.6.0');
    assert.equal((attrs.kernel as Record<string, unknown>).name, 'Darwin');
    assert.ok((attrs.shells as string[]).includes('/bin/zsh'));
  });

  it('keeps Linux profiles as they were', () => {
    const attrs = automaticAttributes(profile('debian-12'));
    assert.equal(attrs.init_package, 'systemd');
    assert.equal(attrs.root_group, 'root');
    assert.equal((attrs.kernel as Record<string, unknown>).name, 'Linux');
    assert.equal(isLinux(profile('debian-12')), true);
  });

  it('infers os from the platform of a facts file (Ohai keys), and reads os_version and root_group', () => {
    assert.equal(factsFromJson({ platform: 'windows', platform_version: '10.0.17763' }).os, 'windows');
    assert.equal(factsFromJson({ platform: 'smartos' }).os, 'solaris2');
    assert.equal(factsFromJson({ platform: 'aix' }).os, 'aix');
    const f = factsFromJson({ platform: 'freebsd', platform_version: '13.2-RELEASE', os_version: '1302001', root_group: 'wheel' });
    assert.equal(f.os, 'freebsd');
    assert.equal(automaticAttributes(f).os_version, '1302001');
    assert.equal(automaticAttributes(f).root_group, 'wheel');
    assert.equal(factsFromJson({ platform: 'ubuntu' }, 'windows-2022').os, 'linux', 'a platform of another family does not keep the base os');
  });
});

describe('platform helpers on non-Linux profiles', () => {
  const ask = (name: string, p: string) => platformHelper(name, [], profile(p));
  it('answers chef-utils helpers from the facts', () => {
    assert.deepEqual(ask('windows?', 'windows-2019'), { k: 'bool', v: true });
    assert.deepEqual(ask('windows_server?', 'windows-2019'), { k: 'bool', v: true });
    assert.deepEqual(ask('windows_server?', 'debian-12'), { k: 'bool', v: false });
    assert.deepEqual(ask('systemd?', 'windows-2019'), { k: 'bool', v: false });
    assert.deepEqual(ask('systemd?', 'debian-12'), { k: 'bool', v: true });
    assert.deepEqual(ask('docker?', 'macos-14'), { k: 'bool', v: false });
    assert.deepEqual(ask('macos?', 'macos-14'), { k: 'bool', v: true });
    assert.deepEqual(ask('arm?', 'macos-14'), { k: 'bool', v: true });
    assert.deepEqual(ask('solaris2?', 'solaris-11.4'), { k: 'bool', v: true });
    assert.deepEqual(ask('solaris2?', 'smartos'), { k: 'bool', v: false }, 'chef-utils: platform_family solaris2 only');
    assert.deepEqual(ask('smartos?', 'smartos'), { k: 'bool', v: true });
    assert.deepEqual(ask('solaris_based?', 'omnios-r151050'), { k: 'bool', v: true });
    assert.deepEqual(ask('intel?', 'freebsd-14'), { k: 'bool', v: true }, 'amd64 is Intel');
    assert.deepEqual(ask('_64_bit?', 'freebsd-14'), { k: 'bool', v: true });
    assert.deepEqual(ask('aix?', 'aix-7.2'), { k: 'bool', v: true });
  });
});

describe('resource resolution per platform (Chef provides)', () => {
  const table: [string, string, string][] = [
    ['windows-2022', 'package', 'windows_package'], ['windows-2022', 'service', 'windows_service'], ['windows-2022', 'user', 'windows_user'],
    ['windows-2022', 'group', 'group'], ['windows-2022', 'powershell_script', 'powershell_script'],
    ['macos-14', 'package', 'homebrew_package'], ['macos-14', 'service', 'macosx_service'], ['macos-14', 'user', 'mac_user'], ['macos-14', 'launchd', 'launchd'],
    ['freebsd-14', 'package', 'freebsd_package'], ['freebsd-14', 'service', 'service'], ['freebsd-14', 'user', 'pw_user'],
    ['solaris-11.4', 'package', 'ips_package'], ['solaris-11.4', 'user', 'solaris_user'],
    ['omnios-r151050', 'package', 'ips_package'], ['smartos', 'package', 'smartos_package'], ['smartos', 'user', 'solaris_user'],
    ['aix-7.2', 'package', 'package'], ['aix-7.2', 'user', 'aix_user'], ['aix-7.2', 'service', 'service'],
  ];
  for (const [p, dsl, expected] of table) {
    it(`${dsl} on ${p} is ${expected}`, () => assert.equal(catalog.resolve(dsl, profile(p))?.name, expected));
  }
  it('has no powershell_script or launchd where Chef declares them only for their system', () => {
    assert.equal(catalog.resolve('powershell_script', profile('macos-14')), undefined);
    assert.equal(catalog.resolve('launchd', profile('windows-2022')), undefined);
  });
});

describe('provider resolution per platform (Chef provider provides)', () => {
  const provider = (dsl: string, p: string) => {
    const facts = profile(p);
    const r = providerFor(catalog.resolve(dsl, facts)!.name, facts);
    return r?.provider;
  };
  const table: [string, string, string][] = [
    ['package', 'aix-7.2', 'Package::Bff'], ['package', 'debian-12', 'Package::Apt'], ['package', 'windows-2022', 'Package::Windows'],
    ['package', 'macos-14', 'Package::Homebrew'], ['package', 'freebsd-14', 'Package::Freebsd::Pkgng'], ['package', 'smartos', 'Package::SmartOS'],
    ['service', 'debian-12', 'Service::Systemd'], ['service', 'almalinux-9', 'Service::Systemd'], ['service', 'windows-2022', 'Service::Windows'],
    ['service', 'macos-14', 'Service::Macosx'], ['service', 'freebsd-14', 'Service::Freebsd'], ['service', 'solaris-11.4', 'Service::Solaris'],
    ['service', 'smartos', 'Service::Solaris'], ['service', 'aix-7.2', 'Service::Aix'],
    ['user', 'debian-12', 'User::Linux'], ['user', 'windows-2022', 'User::Windows'], ['user', 'macos-14', 'User::Mac'], ['user', 'aix-7.2', 'User::Aix'],
    ['group', 'debian-12', 'Group::Gpasswd'], ['group', 'windows-2022', 'Group::Windows'], ['group', 'macos-14', 'Group::Dscl'],
    ['group', 'freebsd-14', 'Group::Pw'], ['group', 'solaris-11.4', 'Group::Solaris'], ['group', 'smartos', 'Group::Usermod'], ['group', 'aix-7.2', 'Group::Aix'],
    ['mount', 'debian-12', 'Mount::Linux'], ['mount', 'windows-2022', 'Mount::Windows'], ['mount', 'omnios-r151050', 'Mount::Solaris'], ['mount', 'macos-14', 'Mount::Mount'],
    ['cron', 'aix-7.2', 'Cron::Aix'], ['cron', 'solaris-11.4', 'Cron::Unix'], ['cron', 'debian-12', 'Cron'],
  ];
  for (const [dsl, p, expected] of table) {
    it(`${dsl} on ${p} runs with Chef::Provider::${expected}`, () => assert.equal(provider(dsl, p), `Chef::Provider::${expected}`));
  }
  it('has nothing to say about types whose provider does not depend on the platform', () => {
    assert.equal(providerFor('template', profile('windows-2022')), undefined);
  });
  it('says when no provider matches', () => {
    assert.deepEqual(providerFor('cab_package', profile('debian-12')), { provider: undefined });
  });
  it('notes when the service provider depends on the machine', () => {
    assert.match(providerFor('service', profile('debian-12'))!.note ?? '', /unit file/);
    assert.equal(providerFor('service', profile('windows-2022'))!.note, undefined);
  });
});

describe('resources that fail off their own system', () => {
  const cases: [string, string, boolean][] = [
    ['windows_service', 'debian-12', false], ['windows_service', 'windows-2022', true], ['windows_feature', 'macos-14', false],
    ['registry_key', 'windows-2016', true], ['registry_key', 'almalinux-9', false], ['batch', 'debian-12', false],
    ['macos_userdefaults', 'macos-14', true], ['macos_userdefaults', 'windows-2022', false], ['homebrew_package', 'debian-12', false],
    ['apt_package', 'windows-2022', false], ['apt_package', 'debian-12', true], ['systemd_unit', 'macos-14', false],
    ['bff_package', 'aix-7.2', true], ['bff_package', 'debian-12', false], ['ips_package', 'omnios-r151050', true],
    ['cron', 'windows-2022', false], ['cron', 'freebsd-14', true],
    // No-ops elsewhere (their actions return early), so no warning.
    ['apt_update', 'windows-2022', true], ['homebrew_update', 'debian-12', true],
    ['template', 'windows-2022', true], ['file', 'aix-7.2', true],
  ];
  for (const [type, p, works] of cases) {
    it(`${type} ${works ? 'works' : 'fails'} on ${p}`, () => {
      const why = unsupportedOn(type, profile(p));
      if (works) assert.equal(why, undefined);
      else assert.match(why ?? '', /works only on|does not work on/);
    });
  }
});
