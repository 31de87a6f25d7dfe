// The inputs of a run: node JSON, --attribute, roles, environments and Policyfiles, at Chef's precedence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { setUpRun, type RunRequest } from '../../server/src/chef/inputs/runSetup';
import { parseJsonDocument, InputError } from '../../server/src/chef/inputs/inputFile';
import { nodeJsonInputs, attributeFlagLayer } from '../../server/src/chef/inputs/nodeAttributes';
import { readPolicyfile, policyRunList } from '../../server/src/chef/inputs/policyfile';
import { readRole } from '../../server/src/chef/inputs/roles';
import { readEnvironment } from '../../server/src/chef/inputs/environments';
import { chooseKitchen, readKitchen } from '../../server/src/engine/kitchen';
import { toJson } from '../../server/src/ruby/values';

const FIX = path.resolve(__dirname, '../fixtures/runs');
const REPO = path.join(FIX, 'chef_repo');
const WEB = path.join(REPO, 'cookbooks/rk_web');
const APP = path.join(FIX, 'policy_app');
const debian = getPlatformProfile('debian-12')!;

/** The graph of a run set up from a request: resource ids, and a property of one. */
function run(model: Model, req: RunRequest, fallback: string[] = ['rk_web::default']) {
  const setup = setUpRun(req);
  const runList = setup.recipes ?? fallback;
  const c = model.compile(runList, debian, setup.inputs);
  const ids = c.resources.map((r) => r.id);
  const prop = (id: string, name: string) => {
    const r = c.resources.find((x) => x.id === id);
    assert.ok(r, `${id} is declared; resources: ${ids.join(', ')}`);
    const p = r.props.find((x) => x.name === name);
    return p ? toJson(p.value) : undefined;
  };
  return { setup, c, ids, prop };
}

test('a node JSON with a role run list and an environment: roles expand, levels merge as Chef merges them', () => {
  const model = new Model([path.join(REPO, 'cookbooks')]);
  const { setup, ids, prop, c } = run(model, { attributesFile: path.join(REPO, 'node.json'), searchFrom: WEB });
  assert.deepEqual(setup.errors, []);
  assert.deepEqual(setup.recipes, ['rk_base::default', 'rk_web::default', 'rk_web::tls'], 'production uses env_run_lists of role web');
  assert.deepEqual(setup.inputs.roles, ['web', 'base']);
  assert.equal(setup.inputs.environment, 'production');
  assert.ok(ids.includes('file[/etc/rk_web/port-8080]'), `role_default (8080) beats env_default (9090) and the cookbook's default (80): ${ids}`);
  assert.equal(prop('file[/etc/rk_web/banner]', 'content'), 'env', 'env_override beats role_override and the cookbook override');
  assert.ok(ids.includes('file[/etc/rk_web/workers-4]'), 'normal attributes of the node JSON');
  assert.ok(ids.includes('directory[/srv/a]') && ids.includes('directory[/srv/b]') && !ids.includes('directory[/srv/default]'), `roles deep-merge arrays: ${ids}`);
  assert.ok(ids.includes('file[/etc/rk_web/role-web]'), 'node.role?(web) is true');
  assert.ok(ids.includes('file[/etc/rk_web/env-production]'), 'node.chef_environment');
  assert.ok(ids.includes('package[rk-base-tools]') && ids.includes('file[/etc/rk_web/tls]'));
  // Hover and go-to-definition: who set the winning value, and where.
  const why = c.store.explain(['rk_web', 'port']);
  assert.equal(why.winner?.level, 'role_default');
  assert.equal(why.winner?.source, 'role web');
  assert.equal(why.winner?.loc?.file, path.join(REPO, 'roles/web.rb'));
  assert.deepEqual(why.origins.map((o) => o.level).sort(), ['default', 'env_default', 'role_default']);
  assert.equal(c.store.explain(['rk_web', 'banner']).winner?.loc?.line, 7, 'the line of "banner" in environments/production.json');
});

test('without inputs the same recipe sees the cookbook attributes, and what the run decides stays unknown', () => {
  const model = new Model([path.join(REPO, 'cookbooks')]);
  const { ids, prop, c } = run(model, {});
  assert.ok(ids.includes('file[/etc/rk_web/port-80]'));
  assert.equal(prop('file[/etc/rk_web/banner]', 'content'), 'cookbook');
  assert.ok(!ids.includes('file[/etc/rk_web/role-web]') || c.resources.find((r) => r.id === 'file[/etc/rk_web/role-web]')?.conditional, 'role? is undecided, not false');
  assert.ok(c.resources.some((r) => r.nameUnknown && r.type === 'file'), 'the env-… file has an unknown name (the environment is not known)');
});

test('a Ruby environment and --attribute flags (normal by default, a level when asked)', () => {
  const model = new Model([path.join(REPO, 'cookbooks')]);
  const staging = run(model, { runList: { items: ['role[web]'], origin: { label: '--run-list' } }, environment: 'staging', searchFrom: WEB, attributeFlags: ['rk_web.port=7000'] });
  assert.deepEqual(staging.setup.errors, []);
  assert.deepEqual(staging.setup.recipes, ['rk_base::default', 'rk_web::default'], 'no env_run_lists for staging: the role run list');
  assert.equal(staging.prop('file[/etc/rk_web/banner]', 'content'), 'staging-2');
  assert.ok(staging.ids.includes('file[/etc/rk_web/workers-3]'), 'env_default beats the cookbook default');
  assert.ok(staging.ids.includes('file[/etc/rk_web/port-7000]'), '--attribute is normal: above every default');
  const flagged = run(model, { attributeFlags: ['override:rk_web.banner="flag"', 'rk_web.sites=["x"]'] });
  assert.equal(flagged.prop('file[/etc/rk_web/banner]', 'content'), 'flag', 'override: lands at role_override, above the cookbook override');
  assert.ok(flagged.ids.includes('directory[/srv/x]'));
  assert.deepEqual(toJson(attributeFlagLayer('a\\.b.c=true').values), { 'a.b': { c: true } });
  assert.throws(() => attributeFlagLayer('nonsense'), /expected PATH=VALUE/);
  assert.throws(() => attributeFlagLayer('weird:a=1'), /unknown level 'weird'/);
});

test('node JSON by precedence level: default and override sit where a role\'s would', () => {
  const doc = parseJsonDocument('/x/levels.json', '{ "default": { "rk_web": { "port": 1234 } },\n  "override": { "rk_web": { "banner": "mine" } } }');
  const inputs = nodeJsonInputs(doc);
  assert.deepEqual(inputs.layers.map((l) => l.level), ['role_default', 'role_override']);
  assert.equal(inputs.layers[1].lineOf?.(['rk_web']), 2);
  const model = new Model([path.join(REPO, 'cookbooks')]);
  const c = model.compile(['rk_web::default'], debian, inputs);
  assert.ok(c.resources.some((r) => r.id === 'file[/etc/rk_web/port-1234]'));
  // A JSON whose keys are not all levels is the plain -j form: attributes named default stay attributes.
  assert.deepEqual(nodeJsonInputs(parseJsonDocument('/x/n.json', '{ "default": { "a": 1 }, "other": 2 }')).layers.map((l) => l.level), ['normal']);
});

test('bad inputs: the file and line of the problem, and what could be set up still is', () => {
  const broken = setUpRun({ attributesFile: path.join(REPO, 'broken.json') });
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0].line, 3);
  assert.match(broken.errors[0].where(), /broken\.json:3:\d+: not valid JSON/);
  const missing = setUpRun({ runList: { items: ['role[missing]', 'recipe[rk_web::tls]'], origin: { label: '--run-list' } }, searchFrom: WEB });
  assert.equal(missing.errors.length, 1);
  assert.match(missing.errors[0].message, /role\[nowhere\] \(in role\[missing\]\) does not exist; roles: base, missing, web/);
  assert.equal(missing.errors[0].file, path.join(REPO, 'roles/missing.json'));
  assert.deepEqual(missing.recipes, ['rk_base::default', 'rk_web::default', 'rk_web::tls'], 'the rest of the run list expands');
  const env = setUpRun({ environment: 'qa', searchFrom: WEB });
  assert.match(env.errors[0].message, /environment 'qa' does not exist in .*environments/);
  assert.match(setUpRun({ runList: { items: ['not a recipe!'], origin: { label: '--run-list' } } }).errors[0].message, /is not a run list item/);
  assert.throws(() => parseJsonDocument('/x/a.json', '[1, 2'), (e: unknown) => e instanceof InputError && e.line === 1);
  assert.throws(() => nodeJsonInputs(parseJsonDocument('/x/a.json', '[1]')), /must be a JSON object/);
  assert.throws(() => nodeJsonInputs(parseJsonDocument('/x/a.json', '{"run_list": "a", "recipes": "b"}')), /'run_list' only/);
});

test('roles and environments in JSON and Ruby', () => {
  const web = readRole(path.join(REPO, 'roles/web.rb'));
  assert.deepEqual(web.runList, ['role[base]', 'recipe[rk_web]']);
  assert.deepEqual(web.envRunLists.get('production'), ['role[base]', 'recipe[rk_web]', 'recipe[rk_web::tls]']);
  assert.deepEqual(toJson(web.defaults), { rk_web: { port: 8080, sites: ['b'] } });
  assert.equal(web.lineOf('default', ['rk_web', 'port']), 5);
  const prod = readEnvironment(path.join(REPO, 'environments/production.json'));
  assert.equal(prod.cookbookVersions.get('rk_web'), '>= 1.0.0');
  const staging = readEnvironment(path.join(REPO, 'environments/staging.rb'));
  assert.equal(staging.cookbookVersions.get('rk_web'), '~> 1.0');
  assert.deepEqual(toJson(staging.overrides), { rk_web: { banner: 'staging-2' } });
});

test('a Policyfile: run list, named run lists (made with Dir.children), attributes at role levels, cookbook sources', () => {
  const policy = readPolicyfile(path.join(APP, 'Policyfile.rb'));
  assert.equal(policy.name, 'policy_app');
  assert.deepEqual(policy.runList, ['policy_app::default']);
  assert.deepEqual([...policy.namedRunLists.keys()], ['tls', 'only_default', 'only_tls']);
  assert.deepEqual(policyRunList(policy, 'tls'), ['policy_app::default', 'recipe[policy_app::tls]']);
  assert.throws(() => policyRunList(policy, 'nope'), /no named run list 'nope' \(it has: tls, only_default, only_tls\)/);
  assert.deepEqual(policy.cookbooks.map((c) => [c.name, c.path]), [['policy_app', APP]]);
  assert.equal(policy.lineOf('default', ['policy_app', 'port']), 11);

  const model = new Model([FIX]);
  const { setup, ids, prop } = run(model, { policyfile: path.join(APP, 'Policyfile.rb'), namedRunList: 'tls' });
  assert.deepEqual(setup.errors, []);
  assert.deepEqual(setup.recipes, ['policy_app::default', 'policy_app::tls']);
  assert.ok(ids.includes('file[/etc/policy_app/port-8443]'), `the policy's default beats the cookbook's: ${ids}`);
  assert.equal(prop('file[/etc/policy_app/mode]', 'content'), 'policy');
  assert.ok(ids.includes('file[/etc/policy_app/policy-policy_app]'), 'node.policy_name');
  assert.ok(ids.includes('file[/etc/policy_app/tls]'));
});

test('a Policyfile that does not parse or raises: its file and line', () => {
  assert.throws(() => readPolicyfile(path.join(FIX, 'no-such', 'Policyfile.rb')), /no such file/);
  const bad = setUpRun({ policyfile: path.join(REPO, 'environments/staging.rb') });
  assert.equal(bad.errors.length, 0, 'a Ruby file with unknown DSL calls is not an error by itself');
});

test('kitchen suites without run lists use the Policyfile beside the kitchen file, with their named run list and attributes', () => {
  const kitchen = readKitchen(APP, 'cloche/debian:12')!;
  assert.equal(kitchen.provisioner?.policyfile, path.join(APP, 'Policyfile.rb'));
  const tls = chooseKitchen(kitchen, { suite: 'tls' });
  assert.equal(tls.provisioner?.namedRunList, 'tls');
  assert.deepEqual(tls.attributes, { policy_app: { workers: 3 } });
  const model = new Model([FIX]);
  const { setup, ids } = run(model, {
    policyfile: tls.provisioner?.policyfile, namedRunList: tls.provisioner?.namedRunList,
    kitchenAttributes: { values: tls.attributes!, label: 'suite tls attributes' },
  });
  assert.deepEqual(setup.recipes, ['policy_app::default', 'policy_app::tls']);
  assert.ok(ids.includes('file[/etc/policy_app/workers-3]'), 'suite attributes are normal attributes');
  assert.deepEqual(chooseKitchen(kitchen, { suite: 'default' }).runList, []);
});
