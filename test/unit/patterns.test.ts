// The oracle for the patterns real community cookbooks use (test/fixtures/patterns/, one workspace per pattern).
// Each top-level test is one pattern and asserts both directions through the bundled CLI:
// - no false findings: `check` reports exactly the deliberate mistakes of the fixture's `mistakes.rb`
//   (each marked by an `# expect:` comment on the line before), nothing else at error or warning level;
// - real findings still found: those mistakes are reported, with the right code, on the right line;
// - the graph is what Chef Infra 18/19 compiles: ids, actions (default action included), property values after
//   coerce, and the sub-resources custom resource actions declare (with `parent`).
// Values that cannot be known statically are `{ "$unknown": reason }` wherever they appear, and no id, name,
// action or property value shows Ruby source text (assertNoSourceText).
// The Chef source each expectation rests on is cited in the fixture's README.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const PATTERNS = path.join(ROOT, 'test/fixtures/patterns');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Location { file: string; line: number; column: number; endLine?: number; endColumn?: number }
interface Diagnostic {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint'; code: string; message: string;
  related?: { location: Location; message: string }[];
  data?: { suggestions?: string[] };
}
interface Notification { kind: 'notifies' | 'subscribes'; action: string; target: string; resolved?: string; timing: string }
interface Resource {
  id: string; type: string; resolvedType: string; name: Json; actions: Json[]; properties: Record<string, Json>;
  location: Location; notifies: Notification[]; origin: string; parent?: string; conditional?: string; repeated?: string;
}
interface Graph { platform: string; runList: string[]; resources: Resource[]; edges: { from: string; to: string; kind: string; action?: string }[]; diagnostics: Diagnostic[] }

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI and reading its JSON

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

function readJson(r: ReturnType<typeof cli>, what: string): any {
  assert.ok(r.status === 0 || r.status === 1, `${what}: exit ${r.status}\n${r.stderr}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    return assert.fail(`${what}: stdout is not JSON:\n${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  }
}

/** `cloche check` of a pattern workspace (all its cookbooks, every recipe), on a platform. */
function check(pattern: string, platform = 'debian-12'): Diagnostic[] {
  const r = cli('check', path.join('test/fixtures/patterns', pattern), '--platform', platform, '--format', 'json');
  return readJson(r, `check ${pattern} on ${platform}`).diagnostics;
}

/** `cloche graph` of one recipe of a pattern workspace. */
function graph(pattern: string, recipe: string, platform = 'debian-12'): Graph {
  const r = cli('graph', path.join('test/fixtures/patterns', pattern), '--run-list', `recipe[${recipe}]`, '--platform', platform, '--format', 'json');
  const g = readJson(r, `graph ${recipe} on ${platform}`) as Graph;
  assert.deepEqual(g.runList, [recipe], `graph of ${recipe}: run list`);
  return g;
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnostics

const relTo = (pattern: string, file: string) => path.relative(path.join(PATTERNS, pattern), path.resolve(ROOT, file));
const listing = (pattern: string, diags: Diagnostic[]) =>
  diags.map((d) => `  ${relTo(pattern, d.file)}:${d.line} ${d.severity} ${d.code}: ${d.message}`).join('\n') || '  (none)';

/**
 * The error and warning findings must be exactly `expected` (`cookbook/path.rb:line code`, in any order):
 * the deliberate mistakes are found, and nothing else is. `ignoreFiles` are left to other assertions.
 */
function assertFindings(pattern: string, diags: Diagnostic[], expected: string[], ignoreFiles: string[] = []) {
  const got = diags
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .filter((d) => !ignoreFiles.includes(relTo(pattern, d.file)))
    .map((d) => `${relTo(pattern, d.file)}:${d.line} ${d.code}`)
    .sort();
  assert.deepEqual(got, [...expected].sort(), `findings of ${pattern} (error and warning level); all diagnostics:\n${listing(pattern, diags)}`);
}

/** The diagnostics on one line of one file of the pattern workspace. */
function diagsAt(pattern: string, diags: Diagnostic[], file: string, line: number): Diagnostic[] {
  return diags.filter((d) => relTo(pattern, d.file) === file && d.line === line);
}

/** The one diagnostic with this code on this line. */
function diagAt(pattern: string, diags: Diagnostic[], file: string, line: number, code: string): Diagnostic {
  const found = diagsAt(pattern, diags, file, line).filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} at ${file}:${line}; all diagnostics:\n${listing(pattern, diags)}`);
  return found[0];
}

/** Findings name what the user can act on: no absolute paths of this machine, no runaway evaluation. */
function assertUsableDiagnostics(pattern: string, diags: Diagnostic[]) {
  const withPaths = diags.filter((d) => d.message.includes(ROOT) || d.message.includes(PATTERNS));
  assert.deepEqual(withPaths.map((d) => d.message), [], `messages with absolute paths in ${pattern}`);
  const budget = diags.filter((d) => d.code === 'evaluation-budget');
  assert.deepEqual(budget.map((d) => `${relTo(pattern, d.file)}:${d.line} ${d.message}`), [], `evaluation-budget findings in ${pattern}`);
}

const errorsOf = (pattern: string, diags: Diagnostic[]) =>
  diags.filter((d) => d.severity === 'error').map((d) => `${relTo(pattern, d.file)}:${d.line} ${d.code}: ${d.message}`);

// ---------------------------------------------------------------------------------------------------------------
// Graph

const ids = (g: Graph) => g.resources.map((r) => r.id);

/** The one resource with this id in the graph. */
function byId(g: Graph, id: string): Resource {
  const found = g.resources.filter((r) => r.id === id);
  assert.equal(found.length, 1, `exactly one ${id} in the graph of ${g.runList} on ${g.platform}; ids:\n  ${ids(g).join('\n  ')}`);
  return found[0];
}

const allById = (g: Graph, id: string) => g.resources.filter((r) => r.id === id);
const has = (g: Graph, id: string) => g.resources.some((r) => r.id === id);
/** A resource with this id is (or is not) in the graph. */
function assertHas(g: Graph, id: string, present = true, why = '') {
  assert.equal(has(g, id), present, `${id} ${present ? 'is' : 'is not'} in the graph of ${g.runList} on ${g.platform}${why ? ` (${why})` : ''}; ids:\n  ${ids(g).join('\n  ')}`);
}

/** The resources a custom resource instance's actions declared, in converge order. */
const childrenOf = (g: Graph, parent: string) => g.resources.filter((r) => r.parent === parent);

/** `[id, actions]` of the children, the shape most assertions compare. */
const childSummary = (g: Graph, parent: string) => childrenOf(g, parent).map((r) => [r.id, r.actions]);

/** The one child with this id under this parent. */
function child(g: Graph, parent: string, id: string): Resource {
  const found = childrenOf(g, parent).filter((r) => r.id === id);
  assert.equal(found.length, 1, `exactly one ${id} with parent ${parent} on ${g.platform}; children: ${JSON.stringify(childSummary(g, parent))}; ids:\n  ${ids(g).join('\n  ')}`);
  return found[0];
}

/** The resource's actions, in order (the default action when the recipe names none). */
function assertActions(r: Resource, expected: Json[]) {
  assert.deepEqual(r.actions, expected, `actions of ${r.id}`);
}

/** The children of a custom resource instance, as `[id, actions]` in converge order. */
function assertChildren(g: Graph, parent: string, expected: [string, Json[]][]) {
  assert.deepEqual(childSummary(g, parent), expected, `resources declared by ${parent}'s actions on ${g.platform}`);
}

/** A `{ "$unknown": reason }` value, with a reason. */
const isUnknown = (v: unknown): boolean =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { $unknown?: unknown }).$unknown === 'string' && (v as { $unknown: string }).$unknown.length > 0;

function assertUnknown(v: unknown, what: string) {
  assert.ok(isUnknown(v), `${what} is { "$unknown": reason }, got ${JSON.stringify(v)}`);
}

/** Ruby symbol keys may be written `:key` in the JSON; compare hashes by their names. */
function plain(v: Json): Json {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    if (isUnknown(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/^:/, ''), plain(x)]));
  }
  return v;
}

/** Each listed property has exactly this value (after coerce; hash keys compared by name). */
function assertProps(r: Resource, expected: Record<string, Json>) {
  for (const [k, v] of Object.entries(expected)) {
    assert.ok(k in r.properties, `${r.id} has property ${k}; properties: ${JSON.stringify(r.properties)}`);
    assert.deepEqual(plain(r.properties[k]), v, `${r.id}.${k}`);
  }
}

const SOURCE_FRAGMENTS = ['new_resource.', 'node[', '#{', '::File'];

/**
 * No id, name, action or property value (nor hash key) shows Ruby source text. `{ $unknown }` reasons and
 * `{ $lazy }` objects explain a value rather than being one, so they are not scanned.
 */
function assertNoSourceText(g: Graph) {
  const bad: string[] = [];
  const scan = (where: string, v: unknown) => {
    if (typeof v === 'string') {
      for (const f of SOURCE_FRAGMENTS) if (v.includes(f)) bad.push(`${where}: ${JSON.stringify(v)}`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => scan(`${where}[${i}]`, x));
    } else if (v && typeof v === 'object') {
      if ('$unknown' in v || '$lazy' in v) return;
      for (const [k, x] of Object.entries(v)) {
        scan(`${where} key`, k);
        scan(`${where}.${k}`, x);
      }
    }
  };
  for (const r of g.resources) {
    scan(`${r.id}: id`, r.id);
    scan(`${r.id}: name`, r.name);
    scan(`${r.id}: actions`, r.actions);
    scan(`${r.id}: properties`, r.properties);
  }
  assert.deepEqual(bad, [], `source text in the graph of ${g.runList} on ${g.platform}`);
}

/** What every graph satisfies: no source text, no error, no runaway evaluation. */
function assertSoundGraph(pattern: string, g: Graph) {
  assertNoSourceText(g);
  assert.deepEqual(errorsOf(pattern, g.diagnostics), [], `errors in the graph of ${g.runList} on ${g.platform}`);
  assertUsableDiagnostics(pattern, g.diagnostics);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Actions made by code

test('actions made by code in a custom resource (loop_actions)', async (t) => {
  const P = 'loop_actions';
  const diags = check(P);

  await t.test('check: only the deliberate mistakes, named by the DSL name', () => {
    assertFindings(P, diags, [
      'pt_daemon/recipes/mistakes.rb:4 unknown-action', // :strat on pt_svc
      'pt_daemon/recipes/mistakes.rb:10 unknown-action', // :purge is package's, not pt_daemon_packages'
      'pt_daemon/recipes/mistakes.rb:16 unknown-action', // notifies :relaod
    ]);
    const strat = diagAt(P, diags, 'pt_daemon/recipes/mistakes.rb', 4, 'unknown-action');
    assert.match(strat.message, /\bpt_svc\b/);
    assert.doesNotMatch(strat.message, /pt_daemon_svc/);
    assert.match(strat.message, /strat/);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: the default action is the first one the loop declares, and it runs', () => {
    const g = graph(P, 'pt_daemon::default');
    assertSoundGraph(P, g);

    assertActions(byId(g, 'pt_daemon_packages[pt-daemon]'), ['install']);
    assertChildren(g, 'pt_daemon_packages[pt-daemon]', [['package[pt-daemon, pt-daemon-tools]', ['install']]]);

    assertActions(byId(g, 'pt_svc[pt-daemon]'), ['start']);
    assertChildren(g, 'pt_svc[pt-daemon]', [['service[pt-daemon]', ['start']]]);

    // Two actions, each compiled in a collection of its own: the service is declared once per action.
    assertActions(byId(g, 'pt_svc[pt-daemon-worker]'), ['enable', 'start']);
    assertChildren(g, 'pt_svc[pt-daemon-worker]', [
      ['service[pt-daemon-worker]', ['enable']],
      ['service[pt-daemon-worker]', ['start']],
    ]);

    const tpl = byId(g, 'template[/etc/pt-daemon/daemon.conf]');
    const n = tpl.notifies.filter((x) => x.kind === 'notifies');
    assert.deepEqual(n.map((x) => [x.action, x.resolved, x.timing]), [['restart', 'pt_svc[pt-daemon]', 'delayed']], `notifications of ${tpl.id}`);
    assert.ok(g.edges.some((e) => e.kind === 'notifies' && e.from === tpl.id && e.to === 'pt_svc[pt-daemon]' && e.action === 'restart'), `notifies edge: ${JSON.stringify(g.edges)}`);
  });

  await t.test('graph on almalinux-9: the lazy default service name follows the platform', () => {
    const g = graph(P, 'pt_daemon::default', 'almalinux-9');
    assertSoundGraph(P, g);
    assertChildren(g, 'pt_svc[pt-daemon]', [['service[ptdaemon]', ['start']]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 2. Properties made by code

test('properties made by code (properties_from_code)', async (t) => {
  const P = 'properties_from_code';
  const diags = check(P);

  await t.test('check: code-made properties are properties; misuse of them is still caught', () => {
    assertFindings(P, diags, [
      'pt_logconf/recipes/mistakes.rb:5 unknown-property', // rotat
      'pt_logconf/recipes/mistakes.rb:7 invalid-property-value', // maxsize ['10M']
    ]);
    const rotat = diagAt(P, diags, 'pt_logconf/recipes/mistakes.rb', 5, 'unknown-property');
    assert.ok(rotat.data?.suggestions?.includes('rotate'), `did you mean rotate: ${JSON.stringify(rotat.data)}`);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: values after coerce, and the file the action renders from them', () => {
    const g = graph(P, 'pt_logconf::default');
    assertSoundGraph(P, g);

    const app = byId(g, 'pt_logconf_app[pt-web]');
    assertActions(app, ['enable']);
    assertProps(app, {
      path: '/var/log/pt-web/access.log /var/log/pt-web/error.log', // Array(p).sort.join(' ')
      frequency: 'daily',
      options: ['missingok', 'compress', 'delaycompress'], // coerce keeps only OPTIONS (sharedscripts is not one)
      rotate: 14,
      maxsize: '100M',
      postrotate: 'systemctl reload pt-web\n    touch /run/pt-web.rotated',
    });

    const conf = child(g, 'pt_logconf_app[pt-web]', 'file[/etc/logrotate.d/pt-web]');
    assertActions(conf, ['create']);
    assertProps(conf, {
      mode: '0644',
      content: [
        '/var/log/pt-web/access.log /var/log/pt-web/error.log {',
        '  daily',
        '  missingok',
        '  compress',
        '  delaycompress',
        '  rotate 14',
        '  maxsize 100M',
        '  create 0640 www-data root',
        '  postrotate',
        '    systemctl reload pt-web',
        '    touch /run/pt-web.rotated',
        '  endscript',
        '}',
        '',
      ].join('\n'),
    });

    assertActions(byId(g, 'pt_logconf_app[pt-old]'), ['disable']);
    assertChildren(g, 'pt_logconf_app[pt-old]', [['file[/etc/logrotate.d/pt-old]', ['delete']]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Property forms

test('property forms: partial, alias_method, public method, coerce, required (property_forms)', async (t) => {
  const P = 'property_forms';
  const diags = check(P);

  await t.test('check: required only where Chef requires it; aliases and methods are settable', () => {
    assertFindings(P, diags, [
      'pt_box/recipes/mistakes.rb:3 missing-required-property', // repo, required for :run (the default action)
      'pt_box/recipes/mistakes.rb:8 missing-required-property', // port, required: true
      'pt_box/recipes/mistakes.rb:13 unknown-property', // tls_verfy
    ]);
    const noRepo = diagAt(P, diags, 'pt_box/recipes/mistakes.rb', 3, 'missing-required-property');
    assert.equal(noRepo.severity, 'error');
    assert.match(noRepo.message, /\brepo\b/);
    assert.match(diagAt(P, diags, 'pt_box/recipes/mistakes.rb', 8, 'missing-required-property').message, /\bport\b/);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: coerced values reach the sub-resources', () => {
    const g = graph(P, 'pt_box::default');
    assertSoundGraph(P, g);

    const web = byId(g, 'pt_box_container[web]');
    assertActions(web, ['run']);
    assertProps(web, {
      container_name: 'web', // name_property
      repo: 'nginx',
      tag: '1.27',
      host_port: 8080, // set by publish '8080:80', coerced
      port: 80,
      api_host: 'tcp://127.0.0.1:2376', // through the partial's alias `host`
      command: ['nginx', '-g', 'daemon-off'], // through alias `cmd`, coerced by split
      api_timeout: 30,
      tls_verify: false,
      network_mode: 'bridge', // required: true with a default: not an error, the default
      log_driver: 'journald', // required: true with a lazy default
    });
    for (const alias of ['host', 'cmd', 'tlsverify', 'publish']) assert.ok(!(alias in web.properties), `${alias} is not a property of pt_box_container`);

    assertChildren(g, 'pt_box_container[web]', [['pt_box_port[web-80]', ['open']], ['execute[run web]', ['run']]]);
    const port = child(g, 'pt_box_container[web]', 'pt_box_port[web-80]');
    assertProps(port, { port: 80, protocol: 'tcp' });
    assert.strictEqual(port.properties.port, 80, 'the coerced Integer, not the String "80"');
    assertProps(child(g, 'pt_box_port[web-80]', 'execute[open tcp 80]'), { command: 'ptbox-fw allow 80/tcp' });
    assertProps(child(g, 'pt_box_container[web]', 'execute[run web]'), {
      command: 'ptbox -H tcp://127.0.0.1:2376 run --name web --network bridge --log-driver journald -p 8080:80 nginx:1.27 nginx -g daemon-off',
      timeout: 30,
    });

    const api = byId(g, 'pt_box_container[api]');
    assertProps(api, { port: 9000, host_port: 19000, api_timeout: 45, tls_verify: true, tag: 'latest', api_host: 'unix:///run/pt-box.sock' });
    assert.strictEqual(child(g, 'pt_box_container[api]', 'pt_box_port[api-9000]').properties.port, 9000);
    assertProps(child(g, 'pt_box_container[api]', 'execute[run api]'), {
      command: 'ptbox -H unix:///run/pt-box.sock run --name api --network bridge --log-driver journald -p 19000:9000 pt/api:latest',
      timeout: 45,
    });

    assertActions(byId(g, 'pt_box_container[old-cache]'), ['remove']);
    assertChildren(g, 'pt_box_container[old-cache]', [['execute[remove old-cache]', ['run']]]);
  });

  await t.test('graph on almalinux-9: the lazy default follows the platform', () => {
    const g = graph(P, 'pt_box::default', 'almalinux-9');
    assertSoundGraph(P, g);
    assertProps(byId(g, 'pt_box_container[web]'), { log_driver: 'json-file' });
    assert.match(String(child(g, 'pt_box_container[web]', 'execute[run web]').properties.command), / --log-driver json-file /);
  });
});

test('LWRP attributes, set_or_return and providers/ (lwrp_forms)', async (t) => {
  const P = 'lwrp_forms';
  const diags = check(P);

  await t.test('check: set_or_return properties exist and validate kind_of', () => {
    assertFindings(P, diags, [
      'pt_legacy/recipes/mistakes.rb:4 invalid-property-value', // port '8080' for kind_of: Integer
      'pt_legacy/recipes/mistakes.rb:6 unknown-property', // server_nam
      'pt_legacy/recipes/mistakes.rb:8 unknown-action', // :disable
    ]);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: default_action, attribute defaults, the provider actions', () => {
    const g = graph(P, 'pt_legacy::default');
    assertSoundGraph(P, g);

    const shop = byId(g, 'pt_legacy_site[shop]');
    assertActions(shop, ['create']);
    assertProps(shop, { site_name: 'shop', docroot: '/srv/shop', template_source: 'site.conf.erb', server_aliases: ['www.shop.example'], enabled: true });
    assertChildren(g, 'pt_legacy_site[shop]', [
      ['directory[/srv/shop]', ['create']],
      ['template[/etc/pt-legacy/sites-available/shop.conf]', ['create']],
      ['link[/etc/pt-legacy/sites-enabled/shop.conf]', ['create']],
    ]);
    assertProps(child(g, 'pt_legacy_site[shop]', 'template[/etc/pt-legacy/sites-available/shop.conf]'), {
      source: 'site.conf.erb',
      variables: { server_name: 'shop', docroot: '/srv/shop', port: 8080, aliases: ['www.shop.example'] },
    });

    assertActions(byId(g, 'pt_legacy_site[blog]'), ['create']);
    assertProps(child(g, 'pt_legacy_site[blog]', 'template[/etc/pt-legacy/sites-available/blog.conf]'), {
      variables: { server_name: 'blog', docroot: '/var/www/html', port: 80, aliases: [] }, // port unset: nil || 80
    });
    assertActions(child(g, 'pt_legacy_site[blog]', 'link[/etc/pt-legacy/sites-enabled/blog.conf]'), ['delete']);

    assertActions(byId(g, 'pt_legacy_site[retired]'), ['delete']);
    assertChildren(g, 'pt_legacy_site[retired]', [['file[/etc/pt-legacy/sites-available/retired.conf]', ['delete']]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 4. Resources as library classes

test('resources and providers as library classes, helper mixins (library_classes)', async (t) => {
  const P = 'library_classes';
  const diags = check(P);

  await t.test('check: the classes are resources with their actions and attributes', () => {
    assertFindings(P, diags, [
      'pt_lib/recipes/mistakes.rb:4 unknown-action', // :purge on the initialize-style pt_old
      'pt_lib/recipes/mistakes.rb:9 unknown-property', // colour on pt_thing
      'pt_lib/libraries/name_only.rb:6 resource-name-without-provides', // once, where the class says it (not at every use)
    ]);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: each class form declares its sub-resources', () => {
    const g = graph(P, 'pt_lib::default');
    assertSoundGraph(P, g);

    assertHas(g, 'directory[/etc/pt-lib]', true, 'Chef::DSL::Recipe.include helper in a recipe');
    assertProps(byId(g, 'directory[/var/lib/pt-lib]'), { owner: 'ptlib' }); // Chef::Recipe.send(:include) + Chef::Resource.include

    const alpha = byId(g, 'pt_thing[alpha]');
    assertActions(alpha, ['create']);
    assertProps(alpha, { owner: 'ptlib', size: 'large' });
    assertChildren(g, 'pt_thing[alpha]', [
      ['directory[/etc/pt-lib/alpha]', ['create']],
      ['file[/etc/pt-lib/alpha/size]', ['create']],
    ]);
    assertProps(child(g, 'pt_thing[alpha]', 'directory[/etc/pt-lib/alpha]'), { owner: 'ptlib', mode: '0750' });
    assertProps(child(g, 'pt_thing[alpha]', 'file[/etc/pt-lib/alpha/size]'), { content: 'large\n', owner: 'ptlib' });

    assertActions(byId(g, 'pt_thing[beta]'), ['destroy']);
    assertChildren(g, 'pt_thing[beta]', [['directory[/etc/pt-lib/beta]', ['delete']]]);

    assertActions(byId(g, 'pt_gadget[pt-gadget]'), ['install']);
    assertProps(child(g, 'pt_gadget[pt-gadget]', 'package[pt-gadget]'), { version: '2.1.0' });

    assertActions(byId(g, 'pt_site[shop]'), ['create']);
    assertProps(child(g, 'pt_site[shop]', 'template[/etc/pt-lib/sites/shop.conf]'), { owner: 'ptlib', variables: { port: 8080 } });

    assertActions(byId(g, 'pt_old[/etc/pt-lib/old.marker]'), ['create']);
    assertProps(child(g, 'pt_old[/etc/pt-lib/old.marker]', 'file[/etc/pt-lib/old.marker]'), { content: 'managed by pt_old\n', mode: '0644' });
    assertActions(byId(g, 'pt_old[/etc/pt-lib/stale.marker]'), ['remove']);
    assertChildren(g, 'pt_old[/etc/pt-lib/stale.marker]', [['file[/etc/pt-lib/stale.marker]', ['delete']]]);
  });

  await t.test('graph on almalinux-9: the mixed-in helper sees the platform, in recipes and providers', () => {
    const g = graph(P, 'pt_lib::default', 'almalinux-9');
    assertSoundGraph(P, g);
    assertHas(g, 'directory[/etc/ptlib]');
    assert.ok(childrenOf(g, 'pt_thing[alpha]').some((r) => r.id === 'directory[/etc/ptlib/alpha]'), JSON.stringify(childSummary(g, 'pt_thing[alpha]')));
    assert.ok(childrenOf(g, 'pt_site[shop]').some((r) => r.id === 'template[/etc/ptlib/sites/shop.conf]'), JSON.stringify(childSummary(g, 'pt_site[shop]')));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Naming and selection

test('resource naming and per-platform selection (naming_selection)', async (t) => {
  const P = 'naming_selection';

  await t.test('check on debian-12: resources/default.rb is the cookbook name', () => {
    const diags = check(P);
    assertFindings(P, diags, ['pt_multi/recipes/mistakes.rb:3 unknown-resource']); // pt_fs_default
    assertUsableDiagnostics(P, diags);
  });

  await t.test('check on debian-11: the provides block refuses platform_version 11', () => {
    const diags = check(P, 'debian-11');
    assertFindings(P, diags, [
      'pt_multi/recipes/default.rb:12 resource-not-on-platform', // pt_x: node['platform_version'].to_i >= 12
      'pt_multi/recipes/mistakes.rb:3 unknown-resource',
    ]);
  });

  await t.test('graph on debian-12: the debian implementation, pt_x available', () => {
    const g = graph(P, 'pt_multi::default');
    assertSoundGraph(P, g);

    assertActions(byId(g, 'pt_fs[data]'), ['create']);
    assertChildren(g, 'pt_fs[data]', [
      ['execute[mkfs data]', ['run']],
      ['directory[/srv/data]', ['create']],
      ['mount[/srv/data]', ['mount', 'enable']],
    ]);
    assertProps(child(g, 'pt_fs[data]', 'execute[mkfs data]'), { command: 'mkfs -t ext4 -L data /dev/vdb1' });
    assertProps(child(g, 'pt_fs[data]', 'mount[/srv/data]'), { device: '/dev/vdb1', fstype: 'ext4' });
    assert.deepEqual(g.resources.filter((r) => r.type === 'device').map((r) => r.id), [], 'device is a property of pt_fs, not a resource');

    assertActions(byId(g, 'pt_web[main]'), ['create']);
    assertProps(child(g, 'pt_web[main]', 'file[/etc/pt-web/port]'), { content: '8088\n' });

    assertActions(byId(g, 'pt_pkg[pt-tools]'), ['install']);
    assertChildren(g, 'pt_pkg[pt-tools]', [['apt_repository[pt-tools]', ['add']], ['package[pt-tools]', ['install']]]);

    assertActions(byId(g, 'pt_x[tuning]'), ['apply']);
    assertProps(child(g, 'pt_x[tuning]', 'file[/etc/pt-x/tuning]'), { content: 'on\n' });
  });

  await t.test('graph on almalinux-9: the rhel implementation', () => {
    const g = graph(P, 'pt_multi::default', 'almalinux-9');
    assertSoundGraph(P, g);
    assertChildren(g, 'pt_pkg[pt-tools]', [['yum_repository[pt-tools]', ['create']], ['package[pt-tools]', ['install']]]);
    assertProps(child(g, 'pt_pkg[pt-tools]', 'yum_repository[pt-tools]'), { baseurl: 'https://packages.example.invalid/rpm/stable/$releasever' });
    assert.ok(!g.resources.some((r) => r.type === 'apt_repository'), 'no apt_repository on almalinux');
    assertHas(g, 'pt_x[tuning]', false, 'pt_x is only declared on debian (platform_family? guard)');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 6. Inside actions

test('inside actions and action_class helpers (action_internals)', async (t) => {
  const P = 'action_internals';
  const diags = check(P);

  await t.test('check: no false findings from action internals, edits or lookups', () => {
    assertFindings(P, diags, [
      'pt_app/recipes/mistakes.rb:4 invalid-property-value', // log_level 'verbose'
      'pt_app/recipes/mistakes.rb:9 unknown-action', // :deny
    ]);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: what each action declares, with values read inside the action', () => {
    const g = graph(P, 'pt_app::default');
    assertSoundGraph(P, g);

    const main = 'pt_app_instance[main]';
    assertActions(byId(g, main), ['create']);
    const mainIds = childrenOf(g, main).map((r) => r.id);
    for (const id of [
      'package[apache2]', // lazy default: platform_family?('debian')
      'directory[/etc/pt-app/main]', // lazy default from another property
      'template[/etc/pt-app/main/app.conf]', // declare_resource
      'file[/etc/pt-app/main/env]',
      'file[/etc/pt-app/main/PREVIOUS]',
      'execute[install pt-app 2.4.1]', // converge_if_changed
      'service[pt-app-main]',
      'log[pt-app main: create done]', // `action` is the action being run
    ]) assert.ok(mainIds.includes(id), `${id} under ${main}; children: ${mainIds.join(', ')}`);

    assertProps(child(g, main, 'directory[/etc/pt-app/main]'), { owner: 'ptapp' }); // action_class helper reading node
    assertProps(child(g, main, 'template[/etc/pt-app/main/app.conf]'), {
      source: 'app.conf.erb',
      owner: 'ptapp', // action_class helper called inside the nested block (forwarded to the provider)
      backup: 10, // new_resource.keep_backups = 10 (was 30), then read
      variables: { port: 8081, log_level: 'debug', workers: 4 },
    });
    assertProps(child(g, main, 'file[/etc/pt-app/main/env]'), {
      content: 'PT_PORT=8081\nPT_CONFIG_DIR=/etc/pt-app/main\nPT_PROXY=http://proxy.example.invalid:3128\n',
    });
    assertUnknown(child(g, main, 'file[/etc/pt-app/main/PREVIOUS]').properties.content, 'content built from current_resource');
    const install = child(g, main, 'execute[install pt-app 2.4.1]');
    assert.ok(typeof install.conditional === 'string' && install.conditional.length > 0, 'converge_if_changed: declared only if the machine differs');
    assertProps(install, { command: 'pt-app-install --version 2.4.1 --prefix /etc/pt-app/main' });

    // edit_resource found the service the action declared: one resource, edited.
    assert.equal(allById(g, 'service[pt-app-main]').length, 1);
    const svc = child(g, main, 'service[pt-app-main]');
    assertActions(svc, ['enable', 'start']);
    assert.ok(
      svc.notifies.some((n) => n.kind === 'subscribes' && n.action === 'restart' && n.target === 'template[/etc/pt-app/main/app.conf]'),
      `find_resource(...).subscribes: ${JSON.stringify(svc.notifies)}`,
    );

    const admin = 'pt_app_instance[admin]';
    assertProps(child(g, admin, 'template[/etc/pt-app/admin/app.conf]'), { backup: 3, variables: { port: 8082, log_level: 'info', workers: 4 } });
    assertProps(child(g, admin, 'file[/etc/pt-app/admin/env]'), { content: 'PT_PORT=8082\nPT_CONFIG_DIR=/etc/pt-app/admin\n' }); // property_is_set?(:proxy_url) false
    assert.ok(childrenOf(g, admin).some((r) => r.id === 'execute[install pt-app 2.4.0]'), JSON.stringify(childSummary(g, admin)));
    assert.ok(childrenOf(g, admin).some((r) => r.id === 'package[apache2]'), JSON.stringify(childSummary(g, admin)));

    assertChildren(g, 'pt_app_instance[legacy]', [
      ['directory[/etc/pt-app/legacy]', ['delete']],
      ['log[pt-app legacy: delete done]', ['write']],
    ]);

    // with_run_context :root + find_resource with a block: created by the first instance, found by the second.
    assertProps(byId(g, 'directory[/var/log/pt-app]'), { owner: 'ptapp', mode: '0750' });

    // The accumulator: two pt_app_access instances edit one root template.
    const access = byId(g, 'template[/etc/pt-app/access.allow]');
    assertActions(access, ['nothing']);
    assertProps(access, { mode: '0640', variables: { users: ['alice', 'bob'] } });
    assertActions(byId(g, 'pt_app_access[alice]'), ['allow']);
  });

  await t.test('graph on almalinux-9: lazy defaults see the run node', () => {
    const g = graph(P, 'pt_app::default', 'almalinux-9');
    assertSoundGraph(P, g);
    assert.ok(childrenOf(g, 'pt_app_instance[main]').some((r) => r.id === 'package[httpd]'), JSON.stringify(childSummary(g, 'pt_app_instance[main]')));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 7. The Ruby cookbooks lean on

test('Ruby in library helpers deciding what a recipe declares (ruby_helpers)', async (t) => {
  const P = 'ruby_helpers';

  await t.test('check on debian-12 and ubuntu-22.04: the supported branch, no raise', () => {
    for (const platform of ['debian-12', 'ubuntu-22.04']) {
      const diags = check(P, platform);
      assertFindings(P, diags, ['pt_ruby/recipes/helper_scope.rb:9 helper-not-in-resource', 'pt_ruby/recipes/mistakes.rb:3 recipe-raises']); // a helper outside its scope; Integer('eight')
      assertUsableDiagnostics(P, diags);
    }
  });

  await t.test('check on debian-11: the version check raises, reported on the recipe call', () => {
    const diags = check(P, 'debian-11');
    assertFindings(P, diags, ['pt_ruby/recipes/default.rb:1 recipe-raises', 'pt_ruby/recipes/helper_scope.rb:9 helper-not-in-resource', 'pt_ruby/recipes/mistakes.rb:3 recipe-raises']);
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: values computed by the helpers, unknowns where the node decides', () => {
    const g = graph(P, 'pt_ruby::default');
    assertSoundGraph(P, g);

    assertHas(g, 'package[pt-ruby-runtime]');
    assertHas(g, 'directory[/var/log/pt-ruby]', true, 'Hash#merge/dig');
    assertHas(g, 'remote_file[/var/chef/cache/pt-ruby-2.3.1.tar.gz]', true, 'Chef::Config[:file_cache_path] and ::File.join/basename');
    assertProps(byId(g, 'file[/etc/pt-ruby/env]'), { content: 'PT_WORKERS=4\n' }); // each_with_object + format, Integer('4')
    assertProps(byId(g, 'file[/etc/pt-ruby/listen]'), { content: '0.0.0.0:8080,0.0.0.0:8081' }); // Array(), Integer(), String#%, join
    assertProps(byId(g, 'file[/etc/pt-ruby/archive]'), { content: 'pt-ruby-2.3.1.tar (.gz) log=warn\n' }); // extname, basename(f, ext), fetch

    assertHas(g, 'sysctl[vm.swappiness]', true, 'respond_to?(:sysctl) is true on Chef 18/19');
    assertHas(g, 'execute[sysctl -w vm.swappiness=10]', false);
    assertHas(g, 'file[/etc/pt-ruby/chef-17-plus]', true, 'Chef::VERSION satisfies >= 17');
    assertHas(g, 'file[/etc/pt-ruby/chef-legacy]', false);

    const env = byId(g, 'execute[pt-ruby migrate]').properties.environment;
    // ENV['PATH'] is the platform profile's (root's PATH on Debian, as Chef's client sees it), never this machine's.
    assert.deepEqual(plain(env), { PATH: '/opt/pt-ruby/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' }, `ENV['PATH'] is the platform's: ${JSON.stringify(env)}`);
    if (process.env.PATH && process.env.PATH !== '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin') assert.ok(!JSON.stringify(env).includes(process.env.PATH), "not this machine's PATH");

    assertUnknown(byId(g, 'log[pt-ruby version]').properties.message, 'message from shell_out');
    assertUnknown(byId(g, 'file[/etc/pt-ruby/slots]').properties.content, 'content from a recursion over an unknown count');
    assertProps(byId(g, 'file[/etc/pt-ruby/mirror]'), { content: 'artifacts.example.invalid' }); // URI.parse(...).host
    assertUnknown(byId(g, 'log[pt-ruby kernel]').properties.message, 'message from Mixlib::ShellOut');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 8. Collections

test('collections: each action of each instance compiles apart (collections)', async (t) => {
  const P = 'collections';
  const diags = check(P);

  await t.test('check: only the duplicate within one recipe', () => {
    assertFindings(P, diags, ['pt_coll/recipes/mistakes.rb:7 duplicate-resource']);
    assert.equal(diagAt(P, diags, 'pt_coll/recipes/mistakes.rb', 7, 'duplicate-resource').severity, 'warning');
    assertUsableDiagnostics(P, diags);
  });

  await t.test('graph: the same sub-resource in several collections', () => {
    const g = graph(P, 'pt_coll::default');
    assertSoundGraph(P, g);
    assert.deepEqual(g.diagnostics.filter((d) => d.code === 'duplicate-resource').map((d) => d.message), [], 'duplicate-resource in the graph diagnostics');

    assert.deepEqual(allById(g, 'package[pt-common]').map((r) => r.parent ?? null), [null, 'pt_coll_instance[alpha]', 'pt_coll_instance[beta]'], 'package[pt-common]: the recipe\'s, then one per instance');
    for (const name of ['alpha', 'beta']) {
      assertActions(byId(g, `pt_coll_instance[${name}]`), ['install', 'configure']);
      assertChildren(g, `pt_coll_instance[${name}]`, [
        ['package[pt-common]', ['install']],
        ['directory[/var/lib/pt-coll]', ['create']], // from :install
        ['directory[/var/lib/pt-coll]', ['create']], // from :configure, another collection
        [`template[/etc/pt-coll/${name}.conf]`, ['create']],
      ]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 9. Never invent or lose a resource

test('never invent or lose a resource (no_invented_resources)', async (t) => {
  const P = 'no_invented_resources';
  const diags = check(P);

  await t.test('check: helpers named like resources are calls; blocks of unknown types hold properties', () => {
    assertFindings(P, diags, ['pt_inv/recipes/mistakes.rb:4 missing-template'], ['pt_inv/recipes/names.rb']);
    assert.deepEqual(diags.filter((d) => /shop\.conf\.erb/.test(d.message)).map((d) => d.message), [], 'nothing about the property template "shop.conf.erb"');
    assertUsableDiagnostics(P, diags);
  });

  await t.test('check: a resource whose name cannot be known has a finding', () => {
    assert.ok(diagsAt(P, diags, 'pt_inv/recipes/names.rb', 3).length > 0, `a finding for directory node['pt_inv']['missing_dir']:\n${listing(P, diags)}`);
    assert.ok(diagsAt(P, diags, 'pt_inv/recipes/names.rb', 10).length > 0, `a finding for user <shell_out>:\n${listing(P, diags)}`);
  });

  await t.test('graph: exactly the declared resources', () => {
    const g = graph(P, 'pt_inv::default');
    assertSoundGraph(P, g);

    for (const c of ['web', 'worker']) {
      const dir = byId(g, `directory[/etc/pt-inv/${c}]`);
      assert.equal(dir.repeated, undefined, 'a loop over a known attribute');
      assertProps(byId(g, `template[/etc/pt-inv/${c}/${c}.conf]`), { source: `${c}.conf.erb` });
      assertActions(byId(g, `service[pt-inv-${c}]`), ['enable']);
    }
    assertHas(g, 'pt_absent_site[shop]', true, 'a resource of a cookbook outside the workspace stays');
    assert.deepEqual(g.resources.filter((r) => r.type === 'template').map((r) => r.id), ['template[/etc/pt-inv/web/web.conf]', 'template[/etc/pt-inv/worker/worker.conf]'], 'template resources');
    assert.deepEqual(g.resources.filter((r) => r.type === 'directory').map((r) => r.id), ['directory[/etc/pt-inv/web]', 'directory[/etc/pt-inv/worker]'], 'directory resources');
    assert.deepEqual(g.resources.filter((r) => r.type === 'service').map((r) => r.id), ['service[pt-inv-web]', 'service[pt-inv-worker]', 'service[pt-inv-agent]'], 'service resources');
    assert.ok(!g.resources.some((r) => r.type === 'service_name_for'), 'service_name_for is a helper');

    const agent = byId(g, 'service[pt-inv-agent]');
    assert.equal(agent.actions.length, 2);
    assert.equal(agent.actions[0], 'enable');
    assertUnknown(agent.actions[1], 'an action from a data bag');
  });

  await t.test('graph: resources with unknown names stay, named { $unknown }', () => {
    const g = graph(P, 'pt_inv::names');
    assertSoundGraph(P, g);
    const at = (type: string, line: number) => {
      const found = g.resources.filter((r) => r.type === type && relTo(P, r.location.file) === 'pt_inv/recipes/names.rb' && r.location.line === line);
      assert.equal(found.length, 1, `one ${type} declared at names.rb:${line}; resources: ${JSON.stringify(g.resources.map((r) => [r.id, r.location.line]))}`);
      return found[0];
    };
    assertUnknown(at('directory', 3).name, 'the directory name from an unset attribute');
    assertUnknown(at('directory', 3).properties.path, 'the path (name property) of a directory whose name is unknown');
    const user = at('user', 10);
    assertUnknown(user.name, 'the user name from shell_out');
    assertUnknown(user.properties.username, 'the username (name property) of a user whose name is unknown');
    assertProps(user, { shell: '/bin/bash' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 10. Messages a user can act on

test('messages a user can act on (messages)', async (t) => {
  const P = 'messages';
  const diags = check(P);

  await t.test('check: the findings, where the user wrote the code', () => {
    assertFindings(P, diags, [
      'pt_msg/recipes/mistakes.rb:4 unknown-property', // docrot
      'pt_msg/recipes/mistakes.rb:6 unknown-property', // servce: a property call in a pt_web block, not a resource
      'pt_msg/recipes/mistakes.rb:8 unknown-action', // :creat
      'pt_msg/recipes/mistakes.rb:12 missing-recipe',
      'pt_msg/recipes/bad_mode.rb:5 recipe-raises', // the call, not the raise in libraries/checks.rb
    ]);
  });

  await t.test('findings on a resource name the DSL name written in the recipe', () => {
    for (const [line, code] of [[4, 'unknown-property'], [6, 'unknown-property'], [8, 'unknown-action']] as const) {
      const d = diagAt(P, diags, 'pt_msg/recipes/mistakes.rb', line, code);
      assert.match(d.message, /\bpt_web\b/, d.message);
      assert.doesNotMatch(d.message, /pt_msg_site/, d.message);
    }
  });

  await t.test('did-you-mean for a property offers properties only', () => {
    const docrot = diagAt(P, diags, 'pt_msg/recipes/mistakes.rb', 4, 'unknown-property');
    assert.ok(docrot.data?.suggestions?.includes('docroot'), JSON.stringify(docrot.data));
    const servce = diagAt(P, diags, 'pt_msg/recipes/mistakes.rb', 6, 'unknown-property');
    const types = ['service', 'template', 'directory', 'file', 'package', 'link', 'execute', 'user', 'group'];
    assert.deepEqual((servce.data?.suggestions ?? []).filter((s) => types.includes(s)), [], JSON.stringify(servce.data));
    assert.doesNotMatch(servce.message, /'service'|resource type/, servce.message);
  });

  await t.test('no absolute paths in messages', () => {
    assertUsableDiagnostics(P, diags);
    assert.match(diagAt(P, diags, 'pt_msg/recipes/mistakes.rb', 12, 'missing-recipe').message, /pt_msg::nope/);
  });

  await t.test('a raise in a library helper: at the recipe call, the raise as related information', () => {
    const d = diagAt(P, diags, 'pt_msg/recipes/bad_mode.rb', 5, 'recipe-raises');
    assert.match(d.message, /Unknown pt_msg mode 'clustr' \(expected one of standalone, cluster\)/, d.message);
    assert.ok(
      (d.related ?? []).some((r) => relTo(P, r.location.file) === 'pt_msg/libraries/checks.rb' && r.location.line === 8),
      `related points at libraries/checks.rb:8: ${JSON.stringify(d.related)}`,
    );
  });

  await t.test('graph: the clean recipe', () => {
    const g = graph(P, 'pt_msg::default');
    assertSoundGraph(P, g);
    assertActions(byId(g, 'pt_web[shop.example]'), ['create']);
    assertProps(child(g, 'pt_web[shop.example]', 'file[/etc/pt-web/shop.example.conf]'), { content: 'server shop.example 8080 /srv/shop\n' });
    assertProps(byId(g, 'file[/etc/pt-web/mode]'), { content: 'standalone\n' });
  });
});
