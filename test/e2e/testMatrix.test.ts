/**
 * The Test Explorer's matrix in a real VS Code (code-server, the VSIX installed), on
 * test/e2e/fixtures/explorer_matrix_fx: 2 suites on debian-12 and a platform whose image only a
 * private registry has. Running the cookbook runs both debian-12 cells as ONE `cloche test --matrix`
 * process (seen in the process table: both cells' tests are its children, and it carries the
 * settings' `--concurrency`), both pass, the platform that cannot run here is not run; running one
 * test alone still runs one `cloche test` with no matrix. Screenshots: test-artifacts/e2e/matrix-*.png.
 * Converges run with no network (the recipes only write files), to keep it light.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clocheContainers, CodeServerSession, containersSince, missingPart, ROOT, waitFor } from './codeServer';

const skip = missingPart();
const FIXTURE = path.join(ROOT, 'test/e2e/fixtures/explorer_matrix_fx');

interface Proc { pid: number; ppid: number; args: string }

/** Records every `cloche test` process on the workspace copy while it runs (polling ps). */
class ProcessWatch {
  readonly seen = new Map<number, Proc>();
  private timer?: ReturnType<typeof setInterval>;
  private busy = false;
  constructor(private readonly workspace: string) {}
  start(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      execFile('ps', ['-eo', 'pid=,ppid=,args=', '-ww'], { maxBuffer: 16 * 1024 * 1024 }, (_e, out) => {
        this.busy = false;
        for (const line of String(out ?? '').split('\n')) {
          const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
          if (m && m[3].includes('cli.js test') && m[3].includes(this.workspace)) this.seen.set(Number(m[1]), { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] });
        }
      });
    }, 100);
  }
  /** The test processes seen; a child one forked shows its parent's command line until it execs, and is left out (not another test). */
  stop(): Proc[] {
    clearInterval(this.timer);
    const all = [...this.seen.values()];
    return all.filter((p) => !all.some((q) => q.pid === p.ppid && q.args === p.args));
  }
}

describe('the Test Explorer runs a cookbook\'s kitchen cells as one matrix, in code-server', { skip, timeout: 900_000 }, () => {
  let s: CodeServerSession;
  before(async () => {
    s = await CodeServerSession.start({
      workspace: FIXTURE, prefix: 'matrix',
      settings: { 'cloche.container.runtime': 'docker', 'cloche.converge.network': 'none', 'cloche.test.concurrency': 2, 'terminal.integrated.gpuAcceleration': 'off' },
    });
  });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  const rows = () => s.page.locator('.test-explorer .monaco-list-row');
  const row = (label: string) => rows().filter({ hasText: label }).first();
  const ICONS = '.codicon-testing-passed-icon, .codicon-testing-failed-icon, .codicon-testing-error-icon, .codicon-testing-skipped-icon';

  it('runs both debian-12 cells in one cloche test --matrix process; both pass; the platform with no image is not run', async () => {
    const containersBefore = clocheContainers();
    await s.openSideBar('Testing');
    const cookbook = row('explorer_matrix_fx');
    await cookbook.waitFor({ timeout: 60_000 });
    await cookbook.locator('.monaco-tl-twistie').click();
    await row('second · private-ubuntu').waitFor({ timeout: 60_000 });
    assert.match(await row('default · private-ubuntu').innerText(), /image not available — registry\.invalid\/team\/ubuntu:22\.04 is not present/);
    await s.screenshot('listed');

    const watch = new ProcessWatch(s.workspace);
    watch.start();
    await cookbook.hover();
    await cookbook.locator('.action-label[aria-label="Run Test"]').click();
    for (const suite of ['default', 'second']) await row(`${suite} · debian-12`).locator(ICONS).first().waitFor({ timeout: 300_000 });
    const procs = watch.stop();
    await s.screenshot('matrix-ran');

    for (const suite of ['default', 'second']) {
      assert.equal(await row(`${suite} · debian-12`).locator('.codicon-testing-passed-icon').count(), 1, `${suite} · debian-12 passed`);
      assert.equal(await row(`${suite} · private-ubuntu`).locator(ICONS).count(), 0, `${suite} · private-ubuntu was not run`);
    }
    const matrices = procs.filter((p) => p.args.includes('--matrix'));
    assert.equal(matrices.length, 1, `one matrix process: ${procs.map((p) => p.args).join('\n')}`);
    const matrix = matrices[0];
    assert.match(matrix.args, /--suite default --suite second --kitchen-platform debian-12 --format jsonl --concurrency 2 /);
    assert.doesNotMatch(matrix.args, /private-ubuntu|--host/, 'neither the unavailable platform nor a host (none set)');
    const cells = procs.filter((p) => !p.args.includes('--matrix'));
    for (const suite of ['default', 'second']) {
      const cell = cells.find((p) => p.args.includes(`--suite ${suite} --kitchen-platform debian-12`));
      assert.ok(cell, `the test of ${suite} · debian-12 was seen: ${procs.map((p) => p.args).join('\n')}`);
      assert.equal(cell.ppid, matrix.pid, `${suite} · debian-12 ran as a cell of the matrix`);
    }
    assert.ok(cells.every((p) => p.ppid === matrix.pid && !p.args.includes('private-ubuntu')), `no other test ran: ${procs.map((p) => `${p.pid}<${p.ppid} ${p.args}`).join('\n')}`);

    // What the user reads: the extension's log says which matrix it ran, and how it ended.
    await s.command('Cloche: Show Output');
    // The Output panel's editor; its long lines wrap, so the text is read with each run of white space as one space.
    const output = s.page.locator('.monaco-editor .view-lines', { hasText: 'Test Explorer:' }).first();
    const text = async () => (await output.innerText().catch(() => '')).replace(/[\s\u00a0]+/g, ' ');
    await waitFor(async () => /ended \(exit 0\): 2 passed/.test(await text()), 30_000, () => 'the log has the end of the matrix');
    const log = await text();
    assert.match(log, /Test Explorer: cloche test \S+explorer_matrix_fx --matrix --suite default --suite second --kitchen-platform debian-12/);
    await s.screenshot('matrix-log');

    // Each cell's converge is in its own item's output, under the matrix it ran in.
    await s.page.locator('.panel .composite-bar .action-item', { hasText: /test results/i }).first().click();
    await s.command('View: Toggle Maximized Panel');
    const result = s.page.locator('.panel .monaco-list-row', { hasText: 'default · debian-12' }).first();
    await result.click();
    const terminal = s.page.locator('.xterm-rows').first();
    const shown = async () => (await terminal.innerText().catch(() => '')).replace(/[\s\u00a0]+/g, ' ');
    // The panel shows the whole run's output until it follows the selection: wait for the cell's own.
    await waitFor(async () => { const t = await shown(); return /cell default · debian-12 of this matrix/.test(t) && /verdict: passed/.test(t) && !/second\.txt/.test(t); }, 30_000,
      () => 'the output of default · debian-12 alone, with its verdict');
    await s.screenshot('cell-output');
    const cellOutput = await shown();
    assert.match(cellOutput, /cell default · debian-12 of this matrix, on cloche\/debian:12/);
    assert.match(cellOutput, /file\[\/srv\/explorer\/default\.txt\] :create applied/);
    assert.doesNotMatch(cellOutput, /second\.txt/, 'nothing of the other cell');
    await s.command('View: Toggle Maximized Panel');
    assert.deepEqual(containersSince(containersBefore), [], 'every cell removed its container');
  });

  it('one test alone still runs one cloche test, with no matrix', async () => {
    await s.openSideBar('Testing');
    const watch = new ProcessWatch(s.workspace);
    watch.start();
    const one = row('second · debian-12');
    await one.hover();
    await one.locator('.action-label[aria-label="Run Test"]').click();
    // The previous run's icon stays until this run starts: wait for this run's process, then its end.
    await waitFor(() => watch.seen.size > 0, 120_000, () => 'the test started');
    await waitFor(async () => [...watch.seen.values()].length > 0 && (await one.locator('.codicon-testing-passed-icon, .codicon-testing-failed-icon, .codicon-testing-error-icon').count()) > 0
      && !(await one.locator('.codicon-loading, .codicon-testing-loading-icon, .codicon-testing-queued-icon').count()), 300_000, () => 'the test ended');
    await s.page.waitForTimeout(500);
    const procs = watch.stop();
    await s.screenshot('single-ran');
    assert.equal(await one.locator('.codicon-testing-passed-icon').count(), 1, 'it passed');
    assert.equal(procs.filter((p) => p.args.includes('--matrix')).length, 0, procs.map((p) => p.args).join('\n'));
    assert.ok(procs.some((p) => p.args.includes('--suite second --kitchen-platform debian-12 --format jsonl')), procs.map((p) => p.args).join('\n'));
  });
});
