/**
 * git, ohai, gem_package and chef_gem in a REAL container (docker, bridge network for Debian's
 * mirror): without git or RubyGems the steps are unknown, naming the package; with an earlier
 * package step they are assumptions, then converge for real (a local repository made in the run is
 * cloned, synced when it moves, exported; a gem built in the run is installed and removed); the
 * re-plan is up to date where Chef's would be, unknown where only the network can tell; the probe
 * of all of them leaves no trace (docker diff).
 * Run: node --import tsx --test test/engine/providers-tools.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { run } from '../../server/src/containers/process';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { planInContainer } from '../../server/src/engine/plan';
import { reloadedFacts } from '../../server/src/engine/providers/ohai';
import type { EngineInput, EngineResource } from '../../server/src/engine/types';
import { connectDocker, IMAGE, input, res, shOk, stepOf, targetOf, usable } from './helpers';

/** A bare repository with one commit on main, made in the container by the run itself (needs git). */
const MAKE_REPO = [
  'set -e', 'git init -q --bare -b main /srv/repo.git', 'git init -q -b main /tmp/work', 'cd /tmp/work',
  'git config user.email fx@example.invalid', 'git config user.name fx', 'echo one > file.txt', 'git add file.txt', 'git commit -q -m one',
  'git tag v1', 'git remote add origin /srv/repo.git', 'git push -q origin main --tags',
].join('\n');
/** A gem built in the run from a gemspec (no network). */
const MAKE_GEM = [
  'set -e', 'mkdir -p /tmp/fxgem/lib', 'cd /tmp/fxgem', 'echo "module ClocheFx; end" > lib/cloche_fx.rb',
  `printf '%s\\n' "Gem::Specification.new do |s|" "  s.name = 'cloche_fx'" "  s.version = '0.1.0'" "  s.summary = 'Cloche test gem'" "  s.authors = ['Cloche']" "  s.license = 'MIT'" "  s.files = ['lib/cloche_fx.rb']" "end" > cloche_fx.gemspec`,
  'gem build -q cloche_fx.gemspec >/dev/null 2>&1',
].join('\n');

describe('git, ohai and gems in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  const sh = (d: ContainerDriver, script: string) => shOk(d, id, script);
  const plan = (d: ContainerDriver, inp: EngineInput) => planInContainer({ driver: d, container: id, input: inp, target: targetOf(id) });
  const tools = (): EngineResource[] => [
    res('apt_update', 'lists', {}, { actions: ['periodic'] }),
    res('package', 'git, ruby', { package_name: ['git', 'ruby'] }, { actions: ['install'] }),
    res('execute', 'make repository', { command: MAKE_REPO, creates: '/srv/repo.git' }, { actions: ['run'] }),
    res('execute', 'make gem', { command: MAKE_GEM, creates: '/tmp/fxgem/cloche_fx-0.1.0.gem' }, { actions: ['run'] }),
  ];

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-tools' } });
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('without git or RubyGems: unknown, naming the package; chef_gem is always unknown; a remote branch as revision fails as in Chef', async (t) => {
    if (!usable(t, docker)) return;
    const steps = (await plan(docker, input([
      res('git', '/opt/app', { repository: 'https://example.invalid/app.git' }, { actions: ['sync'] }),
      res('git', '/opt/remote-branch', { repository: 'https://example.invalid/app.git', revision: 'origin/main' }, { actions: ['sync'] }),
      res('gem_package', 'rake', {}, { actions: ['install'] }),
      res('chef_gem', 'rake', {}, { actions: ['install'] }),
    ]))).steps;
    const git = stepOf(steps, 'git[/opt/app]');
    assert.equal(git.status, 'unknown');
    assert.match(git.reason ?? '', /the git resource runs git in the container: git is not installed in the container \(install package 'git' earlier in the run, or use an image that has it\)/);
    assert.equal(stepOf(steps, 'git[/opt/remote-branch]').status, 'failed');
    assert.match(stepOf(steps, 'git[/opt/remote-branch]').reason ?? '', /Deploying remote branches is not supported.*'main' rather than 'origin\/main'/);
    assert.match(stepOf(steps, 'gem_package[rake]').reason ?? '', /gem_package needs RubyGems in the container: gem is not installed in the container \(install package 'ruby'/);
    assert.equal(stepOf(steps, 'chef_gem[rake]').status, 'unknown');
    assert.match(stepOf(steps, 'chef_gem[rake]').reason ?? '', /chef_gem installs into the Ruby of Chef itself, which Cloche's container has not/);
  });

  test('git and a gem after the run installs their tools: assumptions, then cloned and installed for real; the re-plan is up to date', async (t) => {
    if (!usable(t, docker)) return;
    const inp = input([
      ...tools(),
      res('git', '/opt/checkout', { repository: '/srv/repo.git', revision: 'main' }, { actions: ['sync'] }),
      res('git', '/opt/tagged', { repository: 'file:///srv/repo.git', revision: 'v1', depth: 1 }, { actions: ['checkout'] }),
      res('gem_package', 'cloche_fx', { source: '/tmp/fxgem/cloche_fx-0.1.0.gem', version: '0.1.0' }, { actions: ['install'] }),
      res('ohai', 'reload', {}, { actions: ['reload'] }),
    ]);
    const planned = (await plan(docker, inp)).steps;
    const git = stepOf(planned, 'git[/opt/checkout]');
    assert.equal(git.status, 'change', JSON.stringify(git));
    assert.deepEqual(git.changes.map((c) => c.message), ['would clone /srv/repo.git into /opt/checkout',
      'would check out main (its commit is known only when fetched: git is not installed yet)']);
    assert.ok(git.assumptions?.some((a) => /git is installed by package\[git, ruby\] earlier in this run \(package git\)/.test(a)), JSON.stringify(git.assumptions));
    const gem = stepOf(planned, 'gem_package[cloche_fx]');
    assert.equal(gem.status, 'unknown');
    assert.match(gem.reason ?? '', /whether gem cloche_fx is installed is known only once RubyGems is there \(gem is installed by package\[git, ruby\]/);
    assert.equal(stepOf(planned, 'ohai[reload]').changes[0].message, "would reload the node's facts");

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.verdict, 'converged', JSON.stringify(report.notApplied));
    const out = await sh(docker, [
      'git -C /opt/checkout rev-parse --abbrev-ref HEAD', 'git -C /opt/checkout rev-parse --abbrev-ref main@{upstream}', 'cat /opt/checkout/file.txt',
      'git -C /opt/tagged rev-parse HEAD; git -C /srv/repo.git rev-parse v1', 'gem list --local --exact cloche_fx',
    ].join('\n'));
    const lines = out.trim().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['main', 'origin/main', 'one']);
    assert.equal(lines[3], lines[4], 'the tag is checked out (detached)');
    assert.equal(lines[5], 'cloche_fx (0.1.0)');
    const ohai = report.steps.find((s) => s.resource === 'ohai[reload]')!;
    assert.equal(reloadedFacts(ohai.output ?? '')?.platform, 'debian', 'the facts were read again in the container');

    const again = await plan(docker, inp);
    const verdict = judgeIdempotence(again, 0);
    assert.equal(verdict.idempotent, true, JSON.stringify(verdict.offenders));
    assert.ok(verdict.exempt.includes('ohai[reload] :reload'));
    assert.match(stepOf(again.steps, 'git[/opt/checkout]').reason ?? '', /^\/opt\/checkout is at main \([0-9a-f]{12}\)$/);
    assert.match(stepOf(again.steps, 'gem_package[cloche_fx]').reason ?? '', /cloche_fx 0\.1\.0 installed/);
  });

  test('the probe of git, gem, archive and tree queries leaves no trace', async (t) => {
    if (!usable(t, docker)) return;
    const d = docker;
    const diff = async () => (await run(d.runtime.command, ['diff', id], { timeoutMs: 30_000 })).stdout.split('\n').sort().join('\n');
    const before = await diff();
    await plan(docker, input([
      res('git', '/opt/checkout', { repository: '/srv/repo.git', revision: 'main' }, { actions: ['sync'] }),
      res('gem_package', 'cloche_fx', {}, { actions: ['remove'] }),
      res('archive_file', '/tmp/fxgem/cloche_fx-0.1.0.gem', { destination: '/opt', overwrite: ':auto' }, { actions: ['extract'] }),
      res('remote_directory', '/opt/checkout', { source: 'x', purge: true }, { actions: ['create'] }),
    ]));
    assert.equal(await diff(), before);
  });

  test('a checkout whose repository moved is synced; a network repository is unknown, never up to date; export removes .git on every run', async (t) => {
    if (!usable(t, docker)) return;
    await sh(docker, 'cd /tmp/work && echo two > file.txt && git commit -q -am two && git push -q origin main && git clone -q /srv/repo.git /opt/net');
    const inp = input([
      res('git', '/opt/checkout', { repository: '/srv/repo.git', revision: 'main' }, { actions: ['sync'] }),
      res('git', '/opt/net', { repository: 'https://example.invalid/repo.git', revision: 'main' }, { actions: ['sync'] }),
      res('git', '/opt/export', { repository: '/srv/repo.git' }, { actions: ['export'] }),
      res('gem_package', 'cloche_fx', {}, { actions: ['remove'] }),
    ]);
    const planned = (await plan(docker, inp)).steps;
    assert.match(stepOf(planned, 'git[/opt/checkout]').changes[0].message ?? '', /^would fetch origin and move \/opt\/checkout from [0-9a-f]{12} to main \([0-9a-f]{12}\)$/);
    const net = stepOf(planned, 'git[/opt/net]');
    assert.equal(net.status, 'unknown');
    assert.match(net.reason ?? '', /^\/opt\/net is at [0-9a-f]{12}; whether main of https:\/\/example\.invalid\/repo\.git moved is known only when fetched \(plans run without network\)$/);
    assert.match(stepOf(planned, 'gem_package[cloche_fx]').changes[0].message ?? '', /would uninstall gem cloche_fx \(0\.1\.0\)/);

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.verdict, 'incomplete', 'the network checkout is not applied');
    assert.deepEqual(report.notApplied.map((n) => n.resource), ['git[/opt/net]']);
    assert.equal(await sh(docker, 'cat /opt/checkout/file.txt /opt/export/file.txt; test -e /opt/export/.git && echo git || echo exported; gem list --local --exact cloche_fx | grep -c cloche_fx || true'), 'two\ntwo\nexported\n0\n');
    const again = (await plan(docker, inp)).steps;
    assert.equal(stepOf(again, 'git[/opt/checkout]').status, 'up-to-date');
    assert.deepEqual(stepOf(again, 'git[/opt/export]').changes.map((c) => c.message), ['would remove /opt/export/.git (the export; Chef does it on every run)']);
    assert.equal(stepOf(again, 'gem_package[cloche_fx]').status, 'up-to-date');
  });
});
