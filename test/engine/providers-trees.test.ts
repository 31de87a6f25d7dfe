/**
 * File trees in a REAL container, from the fixture cookbook trees_fx through the model: a binary
 * cookbook_file (a tarball) reaches the container byte for byte and archive_file extracts it;
 * remote_directory copies a files/ tree with its modes, from the most specific folder as Chef
 * does, purges what else is there, and a re-plan is up to date; a file of the tree that is a
 * symlink leading outside the cookbook is never read or copied.
 * Run: node --import tsx --test test/engine/providers-trees.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerDriver } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { judgeIdempotence } from '../../server/src/engine/idempotence';
import { engineInputToJson } from '../../server/src/engine/input';
import { planInContainer } from '../../server/src/engine/plan';
import { prepareInput } from '../../server/src/engine/session';
import type { EngineInput } from '../../server/src/engine/types';
import { connectDocker, FACTS, IMAGE, shOk, stepOf, targetOf, usable } from './helpers';

const FIXTURE = join(__dirname, 'fixtures', 'trees_fx');
const load = (dir: string): EngineInput => prepareInput(dir)(FACTS).input;

describe('cookbook trees in a real container', () => {
  let docker: ContainerDriver | string | undefined;
  let id = '';
  const sh = (d: ContainerDriver, script: string) => shOk(d, id, script);
  const plan = (d: ContainerDriver, inp: EngineInput) => planInContainer({ driver: d, container: id, input: inp, target: targetOf(id) });

  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    docker.cleanupOnExit();
    id = await docker.create({ image: IMAGE, network: 'none', labels: { 'cloche.test': 'engine-trees' } });
  });
  after(async () => {
    if (typeof docker === 'object') await docker.sweep({ session: docker.sessionId });
  });

  test('plan, converge and re-plan: the tarball byte for byte, extracted; the trees with their modes, from the most specific folder', async (t) => {
    if (!usable(t, docker)) return;
    const inp = load(FIXTURE);
    const planned = (await plan(docker, inp)).steps;
    const tarball = stepOf(planned, 'cookbook_file[/srv/app.tar.gz]');
    assert.equal(tarball.status, 'change');
    assert.equal(tarball.diff, undefined, 'a binary file has no text diff');
    const extract = stepOf(planned, 'archive_file[/srv/app.tar.gz]');
    assert.equal(extract.status, 'change', JSON.stringify(extract));
    assert.deepEqual(extract.assumptions, ['the archive is created earlier by cookbook_file[/srv/app.tar.gz]; its format is taken from its name (gzip)']);
    const site = stepOf(planned, 'remote_directory[/srv/site]');
    assert.equal(site.status, 'change');
    assert.deepEqual(site.changes.map((c) => c.message), [
      'would create directory /srv/site', 'would set mode 0750', 'would create /srv/site/index.html (15 bytes)',
      'would create directory /srv/site/css', 'would create /srv/site/css/style.css (23 bytes)',
      'would create directory /srv/site/deep/a/b', 'would create /srv/site/deep/a/b/note.txt (10 bytes)',
    ]);
    assert.match(site.diff ?? '', /\+<h1>trees<\/h1>/);
    const conf = stepOf(planned, 'remote_directory[/etc/trees_fx]');
    assert.deepEqual(conf.changes.map((c) => c.message), ['would create directory /etc/trees_fx', 'would create /etc/trees_fx/debian.conf (12 bytes)']);

    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(report.verdict, 'converged', JSON.stringify(report.notApplied));
    const sha = createHash('sha256').update(readFileSync(join(FIXTURE, 'files', 'default', 'app.tar.gz'))).digest('hex');
    assert.match(await sh(docker, 'sha256sum /srv/app.tar.gz'), new RegExp(`^${sha} `));
    assert.match(await sh(docker, '/opt/app/bin/run; cat /opt/app/README'), /^run\nreadme\n$/);
    // Chef's ensure_directory_exists: the folder a file needs gets the directory's mode, the ones above it the defaults.
    const modes = await sh(docker, 'cd /srv/site && stat -c "%n %a" . css deep deep/a deep/a/b index.html css/style.css deep/a/b/note.txt; cat deep/a/b/note.txt; ls /etc/trees_fx');
    assert.equal(modes, '. 750\ncss 750\ndeep 755\ndeep/a 755\ndeep/a/b 750\nindex.html 640\ncss/style.css 640\ndeep/a/b/note.txt 640\ndeep note\ndebian.conf\n');

    const again = await plan(docker, inp);
    const verdict = judgeIdempotence(again, 0);
    assert.equal(verdict.idempotent, true, JSON.stringify(verdict.offenders));
    assert.match(stepOf(again.steps, 'remote_directory[/srv/site]').reason ?? '', /3 files in place/);
  });

  test('drift: a changed file and mode are put back, what is not in the tree is purged; then up to date', async (t) => {
    if (!usable(t, docker)) return;
    const inp = load(FIXTURE);
    await sh(docker, 'echo changed > /srv/site/index.html && chmod 600 /srv/site/css/style.css && echo x > /srv/site/extra.txt && mkdir -p /srv/site/old/sub && echo y > /srv/site/old/sub/f');
    const s = stepOf((await plan(docker, inp)).steps, 'remote_directory[/srv/site]');
    assert.ok(s.changes.some((c) => c.message === 'would update content of /srv/site/index.html'));
    assert.ok(s.changes.some((c) => c.message === 'would change mode of /srv/site/css/style.css 0600 → 0640'));
    assert.deepEqual(s.changes.filter((c) => /purge/.test(c.message ?? '')).map((c) => c.message), [
      'would delete /srv/site/old/sub/f (purge)', 'would delete directory /srv/site/old/sub (purge)', 'would delete directory /srv/site/old (purge)',
      'would delete /srv/site/extra.txt (purge)',
    ]);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.deepEqual(report.result, { ok: true }, JSON.stringify(report.result));
    assert.equal(await sh(docker, 'cd /srv/site && find . | sort | tr "\\n" " "; cat index.html; stat -c %a css/style.css'), '. ./css ./css/style.css ./deep ./deep/a ./deep/a/b ./deep/a/b/note.txt ./index.html <h1>trees</h1>\n640\n');
    assert.equal(judgeIdempotence(await plan(docker, inp), 0).idempotent, true);
  });

  test('a file of the tree that is a symlink leading outside the cookbook is never read or copied', async (t) => {
    if (!usable(t, docker)) return;
    const dir = mkdtempSync(join(tmpdir(), 'cloche-trees-'));
    const secret = join(dir, 'host-secret.txt');
    writeFileSync(secret, 'TOP-SECRET-HOST-TOKEN\n');
    const cb = join(dir, 'trees_fx');
    cpSync(FIXTURE, cb, { recursive: true });
    mkdirSync(join(cb, 'files', 'default', 'leaky'), { recursive: true });
    writeFileSync(join(cb, 'files', 'default', 'leaky', 'inside.txt'), 'fine\n');
    symlinkSync(secret, join(cb, 'files', 'default', 'leaky', 'token.txt'));
    appendFileSync(join(cb, 'recipes', 'default.rb'), "\nremote_directory '/srv/leaky' do\n  source 'leaky'\nend\n");
    const inp = load(cb);
    assert.doesNotMatch(JSON.stringify(engineInputToJson(inp)), /TOP-SECRET|VE9QLVNFQ1JFVC/);
    const s = stepOf((await plan(docker, inp)).steps, 'remote_directory[/srv/leaky]');
    assert.equal(s.status, 'unknown');
    assert.match(s.reason ?? '', /leaky\/token\.txt is a symlink to .*host-secret\.txt, outside the cookbook: Cloche never reads such a file/);
    const report = await converge({ driver: docker, container: id, input: inp, target: targetOf(id) });
    assert.equal(report.verdict, 'incomplete');
    assert.ok(report.notApplied.some((n) => n.resource === 'remote_directory[/srv/leaky]'));
    assert.equal(await sh(docker, 'test -e /srv/leaky && echo copied || echo absent'), 'absent\n');
  });
});
