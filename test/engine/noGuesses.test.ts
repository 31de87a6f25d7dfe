/**
 * Never act on a guess, against a REAL container: every engine fixture is converged with a driver
 * that records each script and file it sends into the container, and none may carry an unknown
 * marker or Ruby source text. The unknowns fixture reproduces what real cookbooks do (names from
 * a data bag or a helper, an action from the machine, a lazy property, an unevaluable guard,
 * ruby_block …): those steps are "not applied", the verdict is incomplete, and the guard made of
 * file tests is answered by the container.
 * Run: node --import tsx --test test/engine/noGuesses.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerDriver, type ExecOptions, type ExecResult } from '../../server/src/containers/driver';
import { converge } from '../../server/src/engine/converge';
import { loadInput, readFacts } from '../../server/src/engine/session';
import type { ConvergeReport } from '../../server/src/protocol';
import { connectDocker, IMAGE, usable, webserverInput } from './helpers';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');
const UNKNOWNS = join(FIXTURES, 'unknowns_fx');

/** What must never be sent into a container: the evaluator's markers and Ruby that was not evaluated. */
const GUESS = /\$unknown|«unknown|«nil»|«any instance»|\bnew_resource\b|\bcurrent_resource\b|\bnode\[|#\{|\blazy\s*\{|::File\.|shell_out|run_state|data_bag/;

/** A docker driver that keeps every script and stdin it sends. */
class RecordingDriver extends ContainerDriver {
  readonly sent: string[] = [];
  override async exec(id: string, script: string, opts: ExecOptions): Promise<ExecResult> {
    this.sent.push(script, opts.stdin === undefined ? '' : opts.stdin.toString());
    return super.exec(id, script, opts);
  }
}

function guesses(sent: string[]): string[] {
  return sent.flatMap((text) => text.split('\n').filter((l) => GUESS.test(l))).slice(0, 5);
}

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nothing Cloche does not know reaches the container', () => {
  let docker: ContainerDriver | string | undefined;
  let driver: RecordingDriver;
  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    driver = new RecordingDriver(docker.runtime);
    driver.cleanupOnExit();
  });
  after(async () => { if (driver) await driver.sweep({ session: driver.sessionId }); });

  /** Converges a fixture cookbook (or the webserver input) in a fresh container, recording what is sent. */
  const convergeFixture = async (dir: string | undefined): Promise<{ report: ConvergeReport; sent: string[] }> => {
    const id = await driver.create({ image: IMAGE, network: 'bridge', labels: { 'cloche.test': 'engine-no-guesses' } });
    const start = driver.sent.length;
    try {
      const facts = await readFacts(driver, id);
      const input = dir ? loadInput(dir, facts).input : webserverInput();
      const report = await converge({ driver, container: id, input, target: { runtime: 'docker', image: IMAGE, container: id, platform: 'debian-12' } });
      return { report, sent: driver.sent.slice(start) };
    } finally {
      await driver.destroy(id);
    }
  };

  test('the unknowns fixture: its unknown steps are not applied, the rest is, and the verdict is incomplete', async (t) => {
    if (!usable(t, docker)) return;
    const { report, sent } = await convergeFixture(UNKNOWNS);
    assert.deepEqual(guesses(sent), []);
    assert.equal(report.verdict, 'incomplete');
    assert.deepEqual(report.result, { ok: true });
    const done = Object.fromEntries(report.steps.map((s) => [`${s.resource} :${s.action}`, s.done]));
    assert.equal(done['file[/etc/unknowns_fx.known] :create'], 'applied');
    // The guard made of a file test was asked of the container, which has no exim4: skipped, not stopped.
    assert.equal(done['service[exim4] :stop'], 'skipped');
    for (const step of ['user[«unknown»] :create', 'package[«unknown»] :install', 'file[/etc/unknowns_fx.repo] :«unknown»', 'user[«unknown»] :remove',
      'directory[«unknown»] :create', 'execute[reindex] :run', 'execute[from-machine] :run', 'template[/etc/unknowns_fx.conf] :create',
      'ruby_block[patch in memory] :run', 'systemd_unit[unknowns-fx-main.service] :create', 'unknowns_fx_instance[main] :create']) {
      assert.equal(done[step], 'not-applied', `${step}: ${done[step]}`);
    }
    const counted = report.steps.filter((s) => s.resource !== 'unknowns_fx_instance[main]');
    assert.equal(report.summary.total, counted.length);
    assert.equal(report.summary.notApplied, counted.filter((s) => s.done === 'not-applied').length);
    assert.equal(report.notApplied.length, report.summary.notApplied);
    assert.ok(report.notApplied.every((s) => s.reason.length > 10), JSON.stringify(report.notApplied));
  });

  test('the CLI says incomplete (exit 1), for converge and for test, never converged or idempotent', (t) => {
    if (!usable(t, docker)) return;
    const c = cli(['converge', UNKNOWNS, '--runtime', 'docker', '--format', 'json']);
    assert.equal(c.code, 1, c.stderr);
    assert.equal((JSON.parse(c.stdout) as ConvergeReport).verdict, 'incomplete');
    const text = cli(['test', UNKNOWNS, '--runtime', 'docker']);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /Converge INCOMPLETE: .*not applied/);
    assert.match(text.stdout, /NOT APPLIED \(unknown\)/);
    assert.match(text.stdout, /verdict: incomplete/);
    assert.doesNotMatch(text.stdout, /^Converged:|verdict: passed/m);
  });

  test('a cookbook file or template that is a symlink leading outside the cookbook is never read into a plan or a container', async (t) => {
    if (!usable(t, docker)) return;
    const dir = mkdtempSync(join(tmpdir(), 'cloche-symlink-'));
    const secret = join(dir, 'host-secret.txt');
    writeFileSync(secret, 'TOP-SECRET-HOST-TOKEN\n');
    const cb = join(dir, 'leaky');
    mkdirSync(join(cb, 'recipes'), { recursive: true });
    mkdirSync(join(cb, 'files', 'default'), { recursive: true });
    mkdirSync(join(cb, 'templates'), { recursive: true });
    writeFileSync(join(cb, 'metadata.rb'), "name 'leaky'\nversion '0.1.0'\n");
    writeFileSync(join(cb, 'files', 'default', 'inside.txt'), 'fine\n');
    symlinkSync(secret, join(cb, 'files', 'default', 'token.txt'));
    symlinkSync(secret, join(cb, 'templates', 'token.erb'));
    writeFileSync(join(cb, 'recipes', 'default.rb'), [
      "cookbook_file '/etc/token' do\n  source 'token.txt'\nend",
      "template '/etc/token2' do\n  source 'token.erb'\nend",
      "cookbook_file '/etc/inside' do\n  source 'inside.txt'\nend",
    ].join('\n'));
    const plan = cli(['plan', cb, '--runtime', 'docker', '--with-content', '--format', 'json']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.doesNotMatch(plan.stdout, /TOP-SECRET/);
    const steps = (JSON.parse(plan.stdout) as { steps: { resource: string; status: string; reason?: string }[] }).steps;
    for (const id of ['cookbook_file[/etc/token]', 'template[/etc/token2]']) {
      const s = steps.find((x) => x.resource === id)!;
      assert.equal(s.status, 'unknown', id);
      assert.match(s.reason ?? '', /is a symlink to .*host-secret.txt, outside the cookbook: Cloche never reads such a file/);
    }
    assert.equal(steps.find((x) => x.resource === 'cookbook_file[/etc/inside]')?.status, 'change');
    const graph = cli(['graph', cb, '--with-content', '--format', 'json']);
    assert.doesNotMatch(graph.stdout, /TOP-SECRET/);
    const { report, sent } = await convergeFixture(cb);
    assert.equal(report.verdict, 'incomplete');
    assert.ok(!sent.some((x) => x.includes('TOP-SECRET')), 'the secret never reached the container');
  });

  const cookbooks = readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'metadata.rb')));
  for (const name of [...cookbooks, 'webserver.json']) {
    test(`engine fixture ${name}: no command or file carries an unknown marker or Ruby source`, async (t) => {
      if (!usable(t, docker)) return;
      const { report, sent } = await convergeFixture(name === 'webserver.json' ? undefined : join(FIXTURES, name));
      assert.ok(sent.length > 0);
      assert.deepEqual(guesses(sent), [], `${name}: ${report.verdict}`);
    });
  }
});
