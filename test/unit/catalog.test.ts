import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog, editDistance, suggest } from '../../server/src/chef/catalog/catalog';
import { builtinProvidesIndex, COMMON_METHODS, valueFromCatalogJson } from '../../server/src/chef/catalog/builtin';
import { checkPropertyValue, fillDefaults, catalogRegex } from '../../server/src/chef/catalog/propertyCheck';
import { actionDoc, documentedResources, propertyDoc, resourceDoc } from '../../server/src/chef/catalog/resourceDocs';
import type { PropertySchema, ResourceSchema } from '../../server/src/chef/catalog/schema';
import { getPlatformProfile, type PlatformFacts } from '../../server/src/chef/platforms';
import { arr, FALSE, hashOf, int, NIL, str, sym, TRUE, unknown, type Value } from '../../server/src/ruby/values';

const float = (v: number): Value => ({ k: 'float', v });

const catalog = new Catalog();
const profile = (name: string): PlatformFacts => getPlatformProfile(name)!;
const facts = (over: Partial<PlatformFacts>): PlatformFacts => ({ profile: 'custom', platform: 'x', platformFamily: 'x', platformVersion: '1', os: 'linux', ...over });
const prop = (resource: string, name: string): PropertySchema => {
  const p = catalog.get(resource)?.properties.get(name);
  assert.ok(p, `${resource}.${name} exists`);
  return p;
};
const custom = (name: string, provides: ResourceSchema['provides'], cookbook = 'site'): ResourceSchema =>
  ({ name, source: 'custom', cookbook, actions: ['nothing', 'create'], defaultAction: 'create', properties: new Map(), provides });

describe('Catalog.resolve: built-in provides per platform', () => {
  const table: [string, string, string][] = [
    ['debian-12', 'package', 'apt_package'], ['debian-11', 'package', 'apt_package'], ['ubuntu-22.04', 'package', 'apt_package'],
    ['ubuntu-24.04', 'package', 'apt_package'], ['almalinux-9', 'package', 'dnf_package'], ['rockylinux-9', 'package', 'dnf_package'],
    ['centos-stream-9', 'package', 'dnf_package'], ['fedora-40', 'package', 'dnf_package'], ['amazonlinux-2023', 'package', 'dnf_package'],
    ['amazonlinux-2', 'package', 'yum_package'], ['centos-7', 'package', 'yum_package'], ['opensuse-leap-15', 'package', 'zypper_package'],
    ['debian-12', 'service', 'service'], ['almalinux-9', 'service', 'service'], ['debian-12', 'user', 'linux_user'],
    ['debian-12', 'systemd_unit', 'systemd_unit'], ['debian-12', 'apt_package', 'apt_package'], ['almalinux-9', 'yum_package', 'yum_package'],
    ['debian-12', 'template', 'template'], ['debian-12', 'libarchive_file', 'archive_file'],
  ];
  for (const [p, dsl, expected] of table) {
    it(`${dsl} on ${p} is ${expected}`, () => assert.equal(catalog.resolve(dsl, profile(p))?.name, expected));
  }

  it('resolves by os and platform for non-Linux nodes', () => {
    assert.equal(catalog.resolve('package', facts({ platform: 'windows', platformFamily: 'windows', os: 'windows' }))?.name, 'windows_package');
    assert.equal(catalog.resolve('service', facts({ platform: 'windows', platformFamily: 'windows', os: 'windows' }))?.name, 'windows_service');
    assert.equal(catalog.resolve('package', facts({ platform: 'mac_os_x', platformFamily: 'mac_os_x', os: 'darwin' }))?.name, 'homebrew_package');
    assert.equal(catalog.resolve('user', facts({ platform: 'mac_os_x', platformFamily: 'mac_os_x', os: 'darwin' }))?.name, 'mac_user');
  });

  it('decides the Amazon dnf block from the package manager', () => {
    assert.equal(catalog.resolve('package', { ...profile('amazonlinux-2'), packageManager: 'dnf' })?.name, 'dnf_package');
    assert.equal(catalog.resolve('package', { ...profile('amazonlinux-2023'), packageManager: undefined })?.name, 'dnf_package');
    assert.equal(catalog.resolve('package', { ...profile('amazonlinux-2'), packageManager: undefined })?.name, 'yum_package');
  });

  it('returns undefined for a name that exists only elsewhere, while has() still knows it', () => {
    assert.equal(catalog.resolve('powershell_script', profile('debian-12')), undefined);
    assert.equal(catalog.has('powershell_script'), true);
    assert.equal(catalog.has('windows_service'), true);
    assert.equal(catalog.has('packge'), false);
    assert.equal(catalog.has('windows_script'), false, 'a base class without provides is no DSL name');
  });

  it('lists DSL names, all or per platform', () => {
    const all = catalog.dslNames();
    assert.ok(all.includes('package') && all.includes('powershell_script') && all.includes('sysctl_param'));
    assert.deepEqual(all, [...all].sort());
    assert.ok(!catalog.dslNames(profile('debian-12')).includes('powershell_script'));
    assert.ok(catalog.dslNames(profile('debian-12')).includes('apt_repository'));
  });
});

describe('Catalog: built-in schemas', () => {
  it('merges the common properties into every resource', () => {
    for (const schema of catalog.all()) {
      for (const name of ['name', 'retries', 'retry_delay', 'sensitive', 'compile_time', 'ignore_failure', 'umask', 'guard_interpreter', 'provider']) {
        assert.ok(schema.properties.has(name), `${schema.name}.${name}`);
      }
      assert.ok(schema.actions.includes('nothing'), schema.name);
      assert.ok(schema.actions.includes(schema.defaultAction), `${schema.name} default action ${schema.defaultAction}`);
    }
    assert.ok(catalog.all().length >= 180);
  });

  it('keeps the facts of a resource', () => {
    const apt = catalog.get('apt_package')!;
    assert.equal(apt.source, 'builtin');
    assert.equal(apt.defaultAction, 'install');
    assert.ok(apt.actions.includes('upgrade'));
    assert.equal(apt.properties.get('package_name')?.defaultKind, 'name');
    assert.equal(catalog.get('file')!.properties.get('path')?.nameProperty, true);
    assert.equal(catalog.get('file')!.properties.get('user')?.aliasOf, 'owner');
    assert.equal(catalog.get('file')!.properties.get('rights')?.platform, 'windows');
    assert.deepEqual(catalog.get('log')!.properties.get('level')?.equalTo, [':debug', ':info', ':warn', ':error', ':fatal']);
    assert.equal(catalog.get('service')!.defaultAction, 'nothing');
  });

  it('agrees with Chef\'s provides index', () => {
    for (const [dsl, entries] of builtinProvidesIndex()) {
      for (const e of entries) {
        const schema = catalog.get(e.resource);
        assert.ok(schema, `${dsl} → ${e.resource}`);
        assert.ok(schema.provides.some((r) => r.name === dsl), `${e.resource} provides ${dsl}`);
      }
      assert.ok(catalog.has(dsl), dsl);
    }
  });

  it('exposes the common methods the evaluator handles', () => {
    const names = COMMON_METHODS.map((m) => m.name);
    for (const m of ['action', 'notifies', 'subscribes', 'only_if', 'not_if']) assert.ok(names.includes(m), m);
  });

  it('decodes the JSON value encoding', () => {
    assert.deepEqual(valueFromCatalogJson(':info'), sym('info'));
    assert.deepEqual(valueFromCatalogJson('info'), str('info'));
    assert.deepEqual(valueFromCatalogJson({ ':restart': null }), hashOf([[sym('restart'), NIL]]));
    assert.deepEqual(valueFromCatalogJson([1, 1.5, false]), arr([int(1), float(1.5), FALSE]));
  });
});

describe('Catalog: custom resources', () => {
  it('resolves provides conditions, most specific first', () => {
    const c = new Catalog();
    c.addCustom(custom('site_generic', [{ name: 'site_web' }]));
    c.addCustom(custom('site_debian', [{ name: 'site_web', platformFamily: ['debian'] }]));
    c.addCustom(custom('site_ubuntu', [{ name: 'site_web', platform: ['ubuntu'] }]));
    c.addCustom(custom('site_linux', [{ name: 'site_web', os: ['linux'] }]));
    assert.equal(c.resolve('site_web', profile('ubuntu-24.04'))?.name, 'site_ubuntu');
    assert.equal(c.resolve('site_web', profile('debian-12'))?.name, 'site_debian');
    assert.equal(c.resolve('site_web', profile('almalinux-9'))?.name, 'site_linux');
    assert.equal(c.resolve('site_web', facts({ os: 'windows' }))?.name, 'site_generic');
  });

  it('lets an undecidable block match, with the lowest priority', () => {
    const c = new Catalog();
    c.addCustom(custom('blocky', [{ name: 'thing', block: true }]));
    assert.equal(c.resolve('thing', profile('debian-12'))?.name, 'blocky');
    c.addCustom(custom('plain', [{ name: 'thing' }]));
    assert.equal(c.resolve('thing', profile('debian-12'))?.name, 'plain');
  });

  it('uses a resource without provides by its own name, and shadows a built-in at equal specificity', () => {
    const c = new Catalog();
    c.addCustom(custom('site_app', []));
    assert.equal(c.resolve('site_app', profile('debian-12'))?.name, 'site_app');
    c.addCustom(custom('sudo', [{ name: 'sudo' }], 'sudo'));
    assert.equal(c.resolve('sudo', profile('debian-12'))?.source, 'custom');
    assert.equal(c.get('sudo')?.source, 'custom');
    c.removeCookbook('sudo');
    assert.equal(c.resolve('sudo', profile('debian-12'))?.source, 'builtin');
    assert.equal(c.has('site_app'), true);
    c.removeCookbook('site');
    assert.equal(c.has('site_app'), false);
    assert.equal(c.get('site_app'), undefined);
  });

  it('replaces a custom resource that is added again', () => {
    const c = new Catalog();
    c.addCustom(custom('site_app', [{ name: 'app', platformFamily: ['rhel'] }]));
    c.addCustom(custom('site_app', [{ name: 'app' }]));
    assert.equal(c.resolve('app', profile('debian-12'))?.name, 'site_app');
    assert.equal(c.customResources().length, 1);
  });
});

describe('checkPropertyValue', () => {
  const accepts = (p: PropertySchema, v: Value) => assert.deepEqual(checkPropertyValue(p, v), { ok: true, value: v });
  const undecided = (p: PropertySchema, v: Value) => assert.deepEqual(checkPropertyValue(p, v), { ok: 'unknown' });
  const rejects = (p: PropertySchema, v: Value, message: RegExp | string, resource?: string) => {
    const r = checkPropertyValue(p, v, resource);
    assert.equal(r.ok, false, `expected an error, got ${JSON.stringify(r)}`);
    if (r.ok === false) typeof message === 'string' ? assert.equal(r.message, message) : assert.match(r.message, message);
  };

  it('accepts mode as Integer or String and says clearly what is wrong otherwise', () => {
    accepts(prop('file', 'mode'), int(0o644));
    accepts(prop('file', 'mode'), str('0644'));
    accepts(prop('directory', 'mode'), str('755'));
    rejects(prop('file', 'mode'), arr([str('a')]), 'property mode of file expects String or Integer, got Array ["a"]', 'file');
  });

  it('accepts what the declared types allow', () => {
    accepts(prop('execute', 'returns'), arr([int(0), int(1)]));
    accepts(prop('execute', 'returns'), int(2));
    accepts(prop('execute', 'timeout'), float(1.5));
    accepts(prop('execute', 'command'), arr([str('ls'), str('-l')]));
    accepts(prop('linux_user', 'uid'), str('1000'));
    accepts(prop('linux_user', 'uid'), int(1000));
    accepts(prop('cron', 'minute'), str('*/5'));
    accepts(prop('file', 'backup'), FALSE);
    accepts(prop('template', 'variables'), hashOf([[sym('port'), int(80)]]));
    accepts(prop('file', 'owner'), arr([str('anything')]));
  });

  it('rejects values of the wrong class', () => {
    rejects(prop('file', 'backup'), str('5'), 'property backup of file expects Integer or false, got String "5"', 'file');
    rejects(prop('swap_file', 'size'), float(1.5), /expects Integer, got Float 1\.5/);
    rejects(prop('directory', 'recursive'), str('yes'), /expects true or false, got String "yes"/);
    rejects(prop('template', 'variables'), arr([]), /expects Hash, got Array \[\]/);
  });

  it('never reports nil, unknown or lazy values', () => {
    accepts(prop('file', 'backup'), NIL);
    undecided(prop('file', 'backup'), unknown('helper'));
    undecided(prop('file', 'backup'), { k: 'lazy', proc: { node: null, env: null, source: 'lazy { 1 }' } });
    undecided(prop('log', 'level'), { k: 'object', obj: { className: 'Chef::Node::ImmutableMash', call: () => undefined, describe: () => 'node' } });
  });

  it('does not judge coerced properties, whose proc may turn the value into an allowed one', () => {
    undecided(prop('link', 'link_type'), str('soft'));
    accepts(prop('link', 'link_type'), sym('hard'));
    undecided(prop('service', 'supports'), arr([sym('restart')]));
    undecided(prop('group', 'members'), int(7));
  });

  it('checks equal_to with Ruby equality (Symbol is not String)', () => {
    accepts(prop('log', 'level'), sym('warn'));
    rejects(prop('log', 'level'), sym('verbose'), /property level of log must be one of :debug, :info, :warn, :error or :fatal, got :verbose/, 'log');
    rejects(prop('log', 'level'), str('info'), /expects Symbol, got String "info"/);
    undecided({ ...prop('cron', 'time'), types: ['Symbol', 'Array'] }, arr([unknown('x')]));
    rejects(prop('cron', 'time'), arr([unknown('x')]), /expects Symbol, got Array/);
    accepts(prop('yum_repository', 'failovermethod'), str('priority'));
    rejects(prop('yum_repository', 'failovermethod'), str('random'), /must be one of "priority" or "roundrobin"/);
  });

  it('checks regexes against the value as text', () => {
    accepts(prop('yum_repository', 'priority'), str('10'));
    rejects(prop('yum_repository', 'priority'), str('100'), /must match/);
    accepts(prop('yum_repository', 'metadata_expire'), str('never'));
    accepts(prop('yum_repository', 'metadata_expire'), str('6h'));
    rejects(prop('yum_repository', 'metadata_expire'), str('soon'), /must match/);
  });

  it('understands literal types and classes it does not model', () => {
    const ignore = prop('file', 'ignore_failure');
    accepts(ignore, TRUE);
    accepts(ignore, sym('quiet'));
    accepts(ignore, str('quiet'));
    rejects(ignore, sym('loud'), /expects true, false, :quiet or "quiet", got Symbol :loud/);
    const chefClass: PropertySchema = { ...prop('file', 'path'), types: ['String', 'Chef::Resource::File'] };
    accepts(chefClass, arr([int(1)]));
    accepts({ ...prop('file', 'path'), types: [] }, hashOf([]));
    accepts({ ...prop('file', 'path'), types: ['Numeric'] }, float(2.5));
  });

  it('compiles Ruby regexes as the evaluator does (linear time, Ruby syntax)', () => {
    assert.ok(catalogRegex('/^\\h{4}$/')!.test('beef'));
    assert.ok(!catalogRegex('/^\\h{4}$/')!.test('beeg'));
    assert.ok(catalogRegex('/\\A\\S+/')!.test('abc def'));
    assert.ok(!catalogRegex('/\\A\\S+/')!.test(' abc'));
    assert.ok(catalogRegex('/a b/x')!.test('ab'), 'the x flag drops spaces');
    assert.equal(catalogRegex('/(a)\\1/'), undefined, 'a backreference is not run');
  });
});

describe('fillDefaults', () => {
  it('fills name, name properties and literal defaults, keeping what the recipe set', () => {
    const svc = fillDefaults(catalog.get('service')!, str('nginx'), new Map());
    assert.deepEqual(svc.get('service_name'), str('nginx'));
    assert.deepEqual(svc.get('name'), str('nginx'));
    assert.deepEqual(svc.get('supports'), hashOf([[sym('restart'), NIL], [sym('reload'), NIL], [sym('status'), NIL]]));
    assert.deepEqual(svc.get('timeout'), int(900));
    const file = fillDefaults(catalog.get('file')!, str('/etc/x'), new Map([['backup', FALSE]]));
    assert.deepEqual(file.get('path'), str('/etc/x'));
    assert.deepEqual(file.get('backup'), FALSE);
    assert.deepEqual(file.get('retries'), int(0));
    assert.equal(file.has('atomic_update'), false, 'lazy defaults are computed at converge time');
    assert.deepEqual(fillDefaults(catalog.get('apt_package')!, str('nginx'), new Map()).get('package_name'), str('nginx'));
    assert.deepEqual(fillDefaults(catalog.get('log')!, str('hi'), new Map()).get('level'), sym('info'));
    // A name not known statically stays unknown in the name property: never the «unknown» placeholder as a path.
    const unknownName = unknown('the name comes from the node');
    assert.deepEqual(fillDefaults(catalog.get('file')!, unknownName, new Map()).get('path'), unknownName);
  });
});

describe('resource docs', () => {
  // Documented names that are methods rather than properties in the facts.
  const METHODS = new Set(['block', 'verify', 'helpers']);

  it('documents at least 45 resources, each of which exists', () => {
    const names = documentedResources();
    assert.ok(names.length >= 45, `${names.length} documented`);
    for (const name of names) {
      const schema = catalog.get(name);
      assert.ok(schema, `${name} is in the catalog`);
      assert.ok(resourceDoc(name), name);
      assert.equal(schema.doc, resourceDoc(name), `${name} doc attached`);
    }
  });

  it('documents the resources real cookbooks use most, their actions and main properties', () => {
    const must = ['package', 'apt_package', 'dnf_package', 'yum_package', 'directory', 'template', 'file', 'execute', 'service', 'systemd_unit',
      'bash', 'script', 'apt_update', 'apt_repository', 'yum_repository', 'remote_file', 'remote_directory', 'cookbook_file', 'user', 'group',
      'link', 'ruby_block', 'log', 'cron', 'cron_d', 'sudo', 'build_essential', 'ohai', 'archive_file', 'git', 'mount', 'sysctl', 'hostname',
      'notify_group', 'chef_gem', 'gem_package', 'selinux_boolean', 'selinux_state', 'selinux_port', 'selinux_fcontext', 'selinux_module',
      'selinux_install', 'ruby', 'python', 'perl', 'timezone', 'locale', 'swap_file', 'kernel_module', 'http_request', 'windows_service'];
    for (const name of must) {
      assert.ok(resourceDoc(name), name);
      for (const action of catalog.get(name)!.actions) assert.ok(actionDoc(name, action), `${name} action ${action}`);
    }
    for (const p of ['path', 'content', 'owner', 'group', 'mode', 'backup', 'sensitive']) assert.ok(propertyDoc('file', p), `file.${p}`);
    for (const p of ['action', 'notifies', 'subscribes', 'only_if', 'not_if', 'ignore_failure', 'retries', 'retry_delay', 'sensitive', 'compile_time']) {
      assert.ok(propertyDoc('execute', p), `common ${p}`);
    }
    assert.equal(catalog.get('file')!.properties.get('mode')!.doc, propertyDoc('file', 'mode'));
    assert.ok(catalog.get('windows_task')!.properties.get('retries')!.doc, 'common docs reach undocumented resources');
  });

  it('documents only properties and actions that exist', () => {
    for (const name of documentedResources()) {
      const schema = catalog.get(name)!;
      for (const p of ['owner', 'path', 'content', 'command', 'code', 'package_name', 'source', 'members', 'to', 'level', 'key', 'value']) {
        if (propertyDoc(name, p) && !schema.properties.has(p) && !METHODS.has(p)) {
          // A common-property doc is fine; a resource-specific one must name a real property.
          assert.equal(propertyDoc(name, p), propertyDoc('__none__', p), `${name}.${p} documented but missing`);
        }
      }
      for (const a of ['create', 'delete', 'install', 'run', 'start', 'set', 'add', 'remove']) {
        if (actionDoc(name, a)) assert.ok(schema.actions.includes(a), `${name} action ${a} documented but missing`);
      }
    }
  });
});

describe('did-you-mean', () => {
  it('suggests close names only', () => {
    assert.equal(catalog.suggest('pakage')[0], 'package');
    assert.equal(catalog.suggest('templte')[0], 'template');
    assert.equal(catalog.suggest('sevrice')[0], 'service');
    assert.equal(catalog.suggest('directroy')[0], 'directory');
    assert.deepEqual(catalog.suggest('frobnicate'), []);
    assert.deepEqual(suggest('abc', ['xyz', 'abd', 'abcdef']), ['abd']);
    assert.deepEqual(suggest('owner', ['owner']), [], 'an exact match is no suggestion');
    assert.ok(suggest('mode', ['mod', 'node', 'modes', 'content']).length <= 3);
  });

  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('lgo', 'log'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});
