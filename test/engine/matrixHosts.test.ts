/**
 * `cloche test --matrix --host A --host B` for real: A is this machine's Docker daemon, B a second
 * dockerd the test starts (test/engine/secondDaemon.ts: its own socket, data root and exec root, no
 * bridge, no iptables) with cloche/debian:12 loaded into it, and an image only B has
 * (`cloche-test/only-b:1`, a tag of it). Cells land on both hosts, each only where its image is
 * (the daemons' own events say which created the containers); a platform no host has is skipped
 * naming the hosts; SIGTERM removes every cell's container on both; and when B is killed mid-run
 * (SIGKILL to its dockerd and containerd), its running cell ends as an error naming it, the cell
 * that was queued runs on A, and the cell only B could run is not run, with why.
 * The cells run with `--network none` (B has no bridge; the fixture's converge needs no network).
 * B and its folders are removed at the end whatever happens; on A only the containers of this
 * test's cookbook are looked at.
 * Run: npm run build && CI=true node --import tsx --test --test-reporter=spec test/engine/matrixHosts.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { ContainerDriver } from '../../server/src/containers/driver';
import type { CellResult, MatrixEvent, MatrixStreamLine, MatrixSummary } from '../../server/src/engine/matrix';
import { connectDocker, usable } from './helpers';
import { startSecondDaemon, type SecondDaemon } from './secondDaemon';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURE = join(__dirname, 'fixtures', 'matrix_fx');
const A = 'unix:///var/run/docker.sock';
const ONLY_B = 'cloche-test/only-b:1';

/** The fixture cookbook with this kitchen file, in a folder of its own (its containers' workspace label). */
function cookbook(kitchen: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cloche-hosts-')), 'matrix_fx');
  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'kitchen.yml'), kitchen);
  return dir;
}

/** Platforms: debian-12 (both hosts have its image), only-b (B only), nowhere (no host). */
const PLATFORMS = ['platforms:', '  - name: debian-12', '  - name: only-b', '    driver:', `      image: ${ONLY_B}`, '  - name: nowhere', '    driver:', '      image: cloche-test/nowhere:1'];
const suite = (name: string, extra: string[] = []) => [`  - name: ${name}`, "    run_list: ['recipe[matrix_fx::default]']", ...extra];

/** The main daemon's bridge interface (`docker0`) as `index: name`, or undefined: the second daemon must leave it alone. */
const mainBridge = (): string | undefined => spawnSync('ip', ['-o', 'link', 'show', 'docker0'], { encoding: 'utf8' }).stdout.split(':').slice(0, 2).join(':') || undefined;

/** Cloche containers of this cookbook on a host (running or not). */
const containersOf = (host: string, dir: string): string[] =>
  spawnSync('docker', ['-H', host, 'ps', '-a', '-q', '--filter', 'label=cloche.managed=true', '--filter', `label=cloche.workspace=${dir}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

/** The workspace labels of the Cloche containers a host created since `since` (its own event log: where the cells really ran). */
function createdOn(host: string, since: number, dir: string): number {
  const r = spawnSync('docker', ['-H', host, 'events', '--since', String(Math.floor(since / 1000) - 1), '--until', String(Math.ceil(Date.now() / 1000) + 1),
    '--filter', 'type=container', '--filter', 'event=create', '--filter', 'label=cloche.managed=true', '--format', '{{index .Actor.Attributes "cloche.workspace"}}'], { encoding: 'utf8', timeout: 30_000 });
  return r.stdout.split('\n').filter((w) => w === dir).length;
}

/** A running `cloche test --matrix`, its stdout lines parsed as they come (bounded: a hang fails the test). */
function matrix(args: string[]): { lines: () => MatrixStreamLine[]; stderr: () => string; exited: Promise<number | null>; kill: (sig: NodeJS.Signals) => void; waitFor: (what: string, ok: (l: MatrixStreamLine[]) => boolean) => Promise<void> } {
  assert.ok(existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [CLI, 'test', ...args, '--matrix', '--format', 'jsonl', '--network', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: (() => void)[] = [];
  child.stdout.on('data', (d) => { stdout += String(d); for (const w of waiting) w(); });
  child.stderr.on('data', (d) => { stderr += String(d); });
  const guard = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { clearTimeout(guard); resolve(code); }));
  const lines = () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as MatrixStreamLine);
  return {
    lines, exited, stderr: () => stderr, kill: (sig) => child.kill(sig),
    waitFor: (what, ok) => new Promise<void>((resolve, reject) => {
      const check = () => { if (ok(lines())) resolve(); };
      waiting.push(check);
      check();
      void exited.then((code) => reject(new Error(`the matrix ended (exit ${code}) before ${what}\n${stderr}`)));
    }),
  };
}

const key = (c: { suite: string; platform: string }) => `${c.suite}-${c.platform}`;
const eventsOf = (lines: MatrixStreamLine[], cell: string): MatrixEvent[] => lines.flatMap((l) => ('cell' in l && key(l.cell) === cell ? [l.event] : []));
const startedOn = (lines: MatrixStreamLine[], cell: string): string | undefined =>
  eventsOf(lines, cell).flatMap((e) => (e.kind === 'started' ? [e.host] : []))[0];
const settling = (lines: MatrixStreamLine[], cell: string): boolean => eventsOf(lines, cell).some((e) =>
  e.kind === 'converge' && 'event' in e.line && e.line.event.kind === 'step-start' && JSON.stringify(e.line.event).includes('execute[settle]'));
const summaryOf = (lines: MatrixStreamLine[]): MatrixSummary => {
  const last = lines[lines.length - 1];
  assert.ok(last && 'summary' in last, 'the summary is the last line');
  return last.summary;
};
const resultOf = (s: MatrixSummary, cell: string): CellResult => s.cells.find((c) => key(c) === cell)!;

describe('cloche test --matrix --host: two Docker daemons (this machine\'s and a second one the test starts)', () => {
  let docker: ContainerDriver | string | undefined;
  let b: SecondDaemon | string | undefined;
  let bridgeBefore: string | undefined;
  before(async () => {
    docker = await connectDocker();
    if (typeof docker === 'string') return;
    bridgeBefore = mainBridge();
    b = startSecondDaemon(['cloche/debian:12']);
    if (typeof b === 'string') {
      if (process.env.CI) throw new Error(`CI is set but a second Docker daemon could not be started: ${b}`);
      return;
    }
    assert.equal(spawnSync('docker', ['-H', b.host, 'tag', 'cloche/debian:12', ONLY_B]).status, 0, 'tag the image only B has');
  });
  after(() => { if (b && typeof b !== 'string') b.stop(); });

  const ready = (t: { skip: (why: string) => void }): SecondDaemon | undefined => {
    if (!usable(t as never, docker)) return undefined;
    if (typeof b === 'string' || !b) { t.skip(`no second daemon: ${b}`); return undefined; }
    return b;
  };

  test('cells land on both hosts, each where its image is; a platform no host has is skipped naming them; hosts in jsonl and JUnit', { timeout: 180_000 }, async (t) => {
    const B = ready(t);
    if (!B) return;
    const dir = cookbook(['driver:', '  name: dokken', ...PLATFORMS, 'suites:', ...suite('one'), ...suite('two', ['    includes: [only-b]']), ''].join('\n'));
    const junit = join(dir, '..', 'results.xml');
    const since = Date.now();
    const m = matrix([dir, '--host', A, '--host', B.host, '--concurrency', '2', '--junit', junit]);
    assert.equal(await m.exited, 0, m.stderr());
    const lines = m.lines();
    const s = summaryOf(lines);
    assert.deepEqual(s.cells.map((c) => [key(c), c.verdict, c.host]), [
      ['one-debian-12', 'passed', A], ['one-only-b', 'passed', B.host], ['one-nowhere', 'skipped', undefined], ['two-only-b', 'passed', B.host]]);
    assert.equal(startedOn(lines, 'one-debian-12'), A, 'the first cell goes to the first host');
    assert.equal(startedOn(lines, 'one-only-b'), B.host);
    assert.equal(startedOn(lines, 'two-only-b'), B.host, 'A was free first, but only B has the image');
    assert.match(resultOf(s, 'one-nowhere').reason!, new RegExp(`^on none of the hosts \\(${A}, ${B.host}\\): cloche-test/nowhere:1 is not present`));
    assert.deepEqual(s.hosts?.map((h) => [h.name, h.state, h.slots, h.cells]), [[A, 'up', 1, 1], [B.host, 'up', 1, 2]]);
    assert.ok(s.hosts!.every((h) => h.cpus! >= 1 && h.memoryBytes! > 0 && h.runningContainers! >= 0), 'each host\'s docker info');
    // The daemons themselves say where the containers were created.
    assert.equal(createdOn(B.host, since, dir), 2, 'B created the containers of its two cells');
    assert.equal(createdOn(A, since, dir), 1, 'A created one');
    assert.match(m.stderr(), /warning: 1 cell skipped, no image on any host: one on nowhere/);

    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(readFileSync(junit, 'utf8'));
    const hostOf = Object.fromEntries(doc.testsuites.testsuite.testcase.map((c: { name: string; properties?: { property: { name: string; value: string } } }) => [c.name, c.properties?.property.value]));
    assert.deepEqual(hostOf, { 'one-debian-12': A, 'one-only-b': B.host, 'one-nowhere': undefined, 'two-only-b': B.host });
    assert.deepEqual([...containersOf(A, dir), ...containersOf(B.host, dir)], [], 'no container left on either host');
  });

  test('SIGTERM with a cell running on each host: both stop, their containers are removed on both hosts', { timeout: 120_000 }, async (t) => {
    const B = ready(t);
    if (!B) return;
    const dir = cookbook(['driver:', '  name: dokken', ...PLATFORMS, 'suites:', ...suite('one', ['    excludes: [nowhere]']), ''].join('\n'));
    const m = matrix([dir, '--host', A, '--host', B.host, '--concurrency', '2', '--attribute', 'matrix_fx.sleep=300']);
    await m.waitFor('both cells were settling', (l) => settling(l, 'one-debian-12') && settling(l, 'one-only-b'));
    assert.deepEqual([containersOf(A, dir).length, containersOf(B.host, dir).length], [1, 1], 'one container on each host');
    m.kill('SIGTERM');
    assert.equal(await m.exited, 143, m.stderr());
    assert.match(m.stderr(), /interrupted \(SIGTERM\); 2 running cells stopped, their containers removed/);
    assert.deepEqual([...containersOf(A, dir), ...containersOf(B.host, dir)], [], 'no container left on either host');
  });

  test('B dies mid-run: its running cell is an error naming it, the queued cell runs on A, the cell only B could run is not run', { timeout: 180_000 }, async (t) => {
    const B = ready(t);
    if (!B) return;
    // first (A, 8 s) keeps A busy while slow (B, 300 s) is cut short; later-debian-12 is still queued then.
    const dir = cookbook(['driver:', '  name: dokken', ...PLATFORMS.slice(0, 5), 'suites:',
      ...suite('first', ['    excludes: [only-b]', '    attributes:', '      matrix_fx:', '        sleep: 8']),
      ...suite('slow', ['    excludes: [only-b]', '    attributes:', '      matrix_fx:', '        sleep: 300']),
      ...suite('later'), ''].join('\n'));
    const m = matrix([dir, '--host', A, '--host', B.host, '--concurrency', '2']);
    await m.waitFor('slow was settling on B', (l) => settling(l, 'slow-debian-12'));
    const atKill = m.lines().length;
    assert.equal(startedOn(m.lines(), 'slow-debian-12'), B.host);
    assert.equal(startedOn(m.lines(), 'later-debian-12'), undefined, 'later-debian-12 is queued when B dies');
    B.kill();
    assert.equal(await m.exited, 1, m.stderr());
    const lines = m.lines();
    const s = summaryOf(lines);
    const slow = resultOf(s, 'slow-debian-12');
    assert.equal(slow.verdict, 'error');
    assert.equal(slow.host, B.host);
    assert.match(slow.reason!, new RegExp(`^host ${B.host} died while this cell ran \\(Cannot connect to the Docker daemon`));
    assert.deepEqual([resultOf(s, 'first-debian-12').verdict, resultOf(s, 'first-debian-12').host], ['passed', A]);
    const later = resultOf(s, 'later-debian-12');
    assert.deepEqual([later.verdict, later.host], ['passed', A], 'the queued cell went to A');
    assert.ok(lines.findIndex((l) => 'cell' in l && key(l.cell) === 'later-debian-12' && l.event.kind === 'started') >= atKill, 'it started after B died');
    const onlyB = resultOf(s, 'later-only-b');
    assert.deepEqual([onlyB.verdict, onlyB.notRun, onlyB.host], ['skipped', true, undefined]);
    assert.equal(onlyB.reason, `the only host with its image, ${B.host}, died`);
    assert.deepEqual(s.hosts?.map((h) => [h.name, h.state]), [[A, 'up'], [B.host, 'lost']]);
    assert.match(s.hosts![1].reason!, /Cannot connect to the Docker daemon/);
    assert.match(m.stderr(), new RegExp(`warning: host ${B.host} stopped answering .*the cells it had not started go to the other hosts`));
    assert.match(m.stderr(), /error: 1 cell not run, no host left to run them: later on only-b/);
    assert.deepEqual(containersOf(A, dir), [], 'no container left on A');
  });

  test('removed, the second daemon leaves nothing behind and the main daemon\'s docker0 bridge is the same interface', { timeout: 150_000 }, (t) => {
    const B = ready(t);
    if (!B) return;
    B.stop();
    assert.equal(existsSync(B.dir), false, 'its folder is gone');
    assert.equal(readFileSync('/proc/mounts', 'utf8').includes(B.dir), false, 'nothing of it is mounted');
    if (!bridgeBefore) { t.skip('the main daemon has no docker0 here'); return; }
    assert.equal(mainBridge(), bridgeBefore);
  });
});
