// Cookbook resolution: Chef's version constraints, the repository's own cookbooks and path sources
// first, the highest satisfying version, clashes said once, constraints nothing satisfies, symlinks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConstraint, satisfies } from '../../server/src/chef/versionConstraint';
import { resolve, type ResolutionContext } from '../../server/src/chef/resolution';
import { repositoryRoot, pathSources } from '../../server/src/chef/repository';
import { ModelSet } from '../../server/src/chef/modelSet';
import { Workspace, type Cookbook } from '../../server/src/chef/workspace';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { loadInput, EnvironmentError } from '../../server/src/engine/session';

const WS = path.resolve(__dirname, '../fixtures/resolution/ws');
const facts = getPlatformProfile('debian-12')!;
const at = (...p: string[]) => path.join(WS, ...p);

function fixture(): { ws: Workspace; set: ModelSet; cb: (dir: string) => Cookbook } {
  const ws = new Workspace([WS]);
  ws.scan();
  const set = new ModelSet(ws);
  return { ws, set, cb: (dir) => { const c = ws.all.find((x) => x.dir === at(dir)); assert.ok(c, `no cookbook at ${dir}`); return c; } };
}

/** The chosen folders of a resolution, relative to the fixture workspace, by name. */
const chosen = (cookbooks: Map<string, Cookbook>) => Object.fromEntries([...cookbooks].map(([n, c]) => [n, path.relative(WS, c.dir)]).sort());

describe('version constraints as Chef reads them', () => {
  const ok = (version: string, constraint: string) => satisfies(version, parseConstraint(constraint)!);
  it('compares number by number, with missing parts 0', () => {
    assert.ok(ok('1.2.0', '>= 1.2'));
    assert.ok(ok('1.10.0', '> 1.9'));
    assert.ok(!ok('1.2.0', '< 1.2'));
    assert.ok(ok('1.2.3', '= 1.2.3'));
    assert.ok(ok('1.2.3', '1.2.3'), 'no operator means =');
    assert.ok(ok('2.0.0', '<= 2.0'));
  });
  it('~> bumps the part before the last one written', () => {
    assert.ok(ok('2.9.9', '~> 2.1'));
    assert.ok(!ok('3.0.0', '~> 2.1'));
    assert.ok(ok('2.1.9', '~> 2.1.3'));
    assert.ok(!ok('2.2.0', '~> 2.1.3'));
    assert.ok(!ok('2.1.2', '~> 2.1.3'));
    assert.ok(ok('2.5.0', '~> 2') && !ok('3.0.0', '~> 2'));
  });
  it('a cookbook without a version is 0.0.0; what Chef rejects does not parse', () => {
    assert.ok(satisfies(undefined, parseConstraint('>= 0.0.0')!));
    assert.ok(!satisfies(undefined, parseConstraint('>= 0.1')!));
    for (const bad of ['latest', '>= x', '~> 1.2.3.4', '>== 1', '']) assert.equal(parseConstraint(bad), undefined, bad);
  });
});

describe('the repository of a cookbook', () => {
  it('a fixture cookbook belongs to the cookbook that holds it; a kitchen file or Berksfile marks a root', () => {
    assert.equal(repositoryRoot(at('app_one/test/fixtures/cookbooks/test')), at('app_one'));
    assert.equal(repositoryRoot(at('app_two/test/cookbooks/test')), at('app_two'));
    assert.equal(repositoryRoot(at('app_two')), at('app_two'));
  });
  it('path sources come from the Berksfile, inside groups, relative to its folder', () => {
    const ws = new Workspace([WS]);
    const sources = pathSources(ws, at('app_one/Berksfile'));
    assert.deepEqual(sources.map((s) => [s.name, path.relative(WS, s.dir), s.line]), [
      ['test', 'app_one/test/fixtures/cookbooks/test', 6],
      ['helper_cb', 'helper_src/helper_cb', 7],
    ]);
  });
});

describe('each cookbook resolves its own dependencies', () => {
  it("two repositories' test cookbooks: each gets its own repository's cookbooks and the release its constraint asks for", () => {
    const { set, cb } = fixture();
    assert.deepEqual(chosen(set.resolution(cb('app_one/test/fixtures/cookbooks/test')).cookbooks), {
      app_one: 'app_one', helper_cb: 'helper_src/helper_cb', shared_lib: 'shared_lib-1.2.0', test: 'app_one/test/fixtures/cookbooks/test',
    });
    assert.deepEqual(chosen(set.resolution(cb('app_two/test/cookbooks/test')).cookbooks), {
      app_two: 'app_two', shared_lib: 'shared_lib', test: 'app_two/test/cookbooks/test',
    });
  });

  it('a Berksfile path source wins over a higher version elsewhere', () => {
    const { set, cb } = fixture();
    assert.equal(set.resolution(cb('app_one/test/fixtures/cookbooks/test')).cookbooks.get('helper_cb')?.version, '1.0.0');
    // Without a source, the highest version.
    assert.equal(set.resolution(cb('needs_newer')).cookbooks.get('helper_cb')?.version, '2.0.0');
  });

  it('the worlds hold what each entry resolved: the libraries and resources of the chosen cookbooks only', () => {
    const { set, cb } = fixture();
    const one = set.modelOf(cb('app_one'));
    const two = set.modelOf(cb('app_two'));
    assert.deepEqual([...one.customDefs.get('shared_lib_thing')!.schema.properties.keys()].filter((n) => n.endsWith('_opt')), ['old_opt']);
    assert.deepEqual([...two.customDefs.get('shared_lib_thing')!.schema.properties.keys()].filter((n) => n.endsWith('_opt')), ['new_opt']);
    assert.equal(one.cookbook('test')?.dir, at('app_one/test/fixtures/cookbooks/test'), "by name, a cookbook sees its own repository's test");
    assert.equal(two.cookbook('test')?.dir, at('app_two/test/cookbooks/test'));
  });

  it('a constraint nothing satisfies: an error on its depends line naming it and the versions found; the name is left out', () => {
    const { set, cb } = fixture();
    const res = set.resolution(cb('needs_newer'));
    assert.ok(res.unsatisfied.has('shared_lib'));
    assert.ok(!res.cookbooks.has('shared_lib'));
    const [unsat] = res.findings.filter((d) => d.code === 'dependency-unsatisfied');
    assert.equal(unsat.severity, 'error');
    assert.equal(path.relative(WS, unsat.file), 'needs_newer/metadata.rb');
    assert.equal(unsat.line, 3);
    assert.match(unsat.message, /'~> 9\.0'/);
    assert.match(unsat.message, /found 2\.1\.0 at ws\/shared_lib, 1\.2\.0 at ws\/shared_lib-1\.2\.0/);
    const [bad] = res.findings.filter((d) => d.code === 'invalid-version-constraint');
    assert.equal(bad.line, 4);
    assert.match(bad.message, /'latest'/);
  });

  it('what a left-out dependency would declare is unknown, never an error; the resolution error is said once', () => {
    const { set } = fixture();
    const found = checkPaths(set, [at('needs_newer')], facts);
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.line]), [['error', 'dependency-unsatisfied', 3], ['error', 'invalid-version-constraint', 4]]);
  });

  it('a clash (same name and version, only the cookbook path decides) is information once, with both folders', () => {
    const { set, cb } = fixture();
    const clashes = checkPaths(set, [WS], facts).filter((d) => d.code === 'cookbook-clash');
    assert.equal(clashes.length, 1);
    assert.equal(clashes[0].severity, 'info');
    assert.equal(path.relative(WS, clashes[0].file), 'uses_twin/metadata.rb');
    assert.equal(clashes[0].line, 3);
    assert.match(clashes[0].message, /ws\/twins\/a\/twin \(1\.0\.0, used: first in the cookbook path\) and ws\/twins\/b\/twin \(1\.0\.0\)/);
    assert.equal(set.resolution(cb('uses_twin')).cookbooks.get('twin')?.dir, at('twins/a/twin'));
  });

  it('different versions, or the own repository, are obvious choices: no clash', () => {
    const { set, cb } = fixture();
    for (const dir of ['app_one', 'app_two', 'app_one/test/fixtures/cookbooks/test', 'app_two/test/cookbooks/test']) {
      assert.deepEqual(set.resolution(cb(dir)).findings, [], dir);
    }
  });

  it('a workspace of several repositories: both test cookbooks are checked, each with its own findings', () => {
    const { set } = fixture();
    const found = checkPaths(set, [WS], facts);
    const hints = found.filter((d) => d.code === 'never-notified').map((d) => [path.relative(WS, d.file), d.message.match(/execute\[([^\]]+)\]/)?.[1]]);
    assert.deepEqual(hints, [
      ['app_one/test/fixtures/cookbooks/test/recipes/default.rb', 'only in repository one'],
      ['app_two/test/cookbooks/test/recipes/default.rb', 'only in repository two'],
    ]);
    assert.deepEqual(found.filter((d) => d.severity === 'error' && !d.file.includes('needs_newer')), [], 'no version mix-up errors');
  });

  it('a run list from the repository: its own test cookbook, with that cookbook\'s dependencies loaded', () => {
    const { set, cb } = fixture();
    const model = set.modelForRun(cb('app_two'), ['test::default']);
    const graph = model.graph(model.compile(['test::default'], facts), ['test::default']);
    const ids = graph.resources.map((r) => r.id);
    assert.ok(ids.includes('file[/tmp/only-in-repository-two]'), ids.join(' '));
    assert.ok(!ids.includes('file[/tmp/only-in-repository-one]'));
    assert.deepEqual(graph.diagnostics.filter((d) => d.severity === 'error'), []);
  });
});

describe('resolution is pure and re-chooses when a later constraint excludes an earlier choice', () => {
  const make = (name: string, version: string, dir: string, depends: Cookbook['depends'] = []): Cookbook => ({
    name, version, dir, depends, metadataFile: path.join(dir, 'metadata.rb'),
    files: { attributes: [], recipes: [], resources: [], providers: [], definitions: [], libraries: [], templates: [], files: [] }, found: { root: 0, depth: 1 },
  });
  it('picks the highest version, then drops it when a dependency asks for less', () => {
    const lib1 = make('lib', '1.5.0', '/w/lib-1'), lib2 = make('lib', '2.0.0', '/w/lib-2');
    const mid = make('mid', '1.0.0', '/w/mid', [{ name: 'lib', constraint: '< 2.0', line: 2 }]);
    const app = make('app', '1.0.0', '/w/app', [{ name: 'lib', line: 2 }, { name: 'mid', line: 3 }]);
    const all = [lib1, lib2, mid, app];
    const ctx: ResolutionContext = { named: (n) => all.filter((c) => c.name === n), cookbookAt: () => undefined, displayPath: (d) => d };
    const res = resolve([app], { root: '/w/app', sources: [] }, ctx);
    assert.equal(res.cookbooks.get('lib'), lib1);
    assert.deepEqual(res.findings, []);
  });
  it('constraints that exclude each other: one error, on the later line, naming both', () => {
    const lib1 = make('lib', '1.5.0', '/w/lib-1'), lib2 = make('lib', '2.0.0', '/w/lib-2');
    const mid = make('mid', '1.0.0', '/w/mid', [{ name: 'lib', constraint: '< 2.0', line: 2 }]);
    const app = make('app', '1.0.0', '/w/app', [{ name: 'lib', constraint: '>= 2.0', line: 2 }, { name: 'mid', line: 3 }]);
    const all = [lib1, lib2, mid, app];
    const ctx: ResolutionContext = { named: (n) => all.filter((c) => c.name === n), cookbookAt: () => undefined, displayPath: (d) => d };
    const res = resolve([app], { root: '/w/app', sources: [] }, ctx);
    assert.ok(res.unsatisfied.has('lib'));
    const errors = res.findings.filter((d) => d.code === 'dependency-unsatisfied');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /'< 2\.0'.*together with '>= 2\.0'|'>= 2\.0'.*together with '< 2\.0'/);
  });
});

describe('symlinked cookbook folders', () => {
  it('are followed: the cookbook behind the link is found and analysed', () => {
    const { set, cb } = fixture();
    const linked = cb('linked_cb');
    assert.equal(fs.lstatSync(linked.dir).isSymbolicLink(), true, 'the fixture reaches it through a symlink');
    const model = set.modelOf(linked);
    const c = model.compile(model.allRecipes(linked), facts);
    assert.deepEqual(c.resources.map((r) => r.id), ['linked_cb_gadget[g]', 'file[/tmp/gadget-g]']);
  });

  it('a symlink loop is searched once, not forever', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-loop-'));
    try {
      fs.mkdirSync(path.join(dir, 'cb/recipes'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'cb/metadata.rb'), "name 'cb'\n");
      fs.mkdirSync(path.join(dir, 'nest'));
      fs.symlinkSync('..', path.join(dir, 'nest/up'));
      fs.symlinkSync(path.join(dir, 'cb'), path.join(dir, 'cb_again'));
      const ws = new Workspace([dir]);
      ws.scan();
      assert.deepEqual(ws.all.map((c) => path.relative(dir, c.dir)), ['cb']);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('the engine resolves the run from the entry cookbook', () => {
  it("a suite's test::default is the repository's own test cookbook", () => {
    const { input } = loadInput(at('app_two'), facts, ['test::default']);
    const names = input.resources.map((r) => `${r.type}[${r.name}]`);
    assert.ok(names.includes('file[/tmp/only-in-repository-two]'), names.join(' '));
    const other = loadInput(at('app_one'), facts, ['test::default']).input.resources.map((r) => `${r.type}[${r.name}]`);
    assert.ok(other.includes('file[/tmp/only-in-repository-one]'), other.join(' '));
  });
  it('a dependency nothing satisfies stops the run with file:line (exit 2 in the CLI)', () => {
    assert.throws(() => loadInput(at('needs_newer'), facts), (e: unknown) => e instanceof EnvironmentError && /needs_newer\/metadata\.rb:3: .*'~> 9\.0'/.test((e as Error).message));
  });
});
