/**
 * The container views in a real VS Code: recipe tests in the Test Explorer (kitchen.yml suites ×
 * platforms, run = converge + idempotence), the Containers view (a kept container: shell, reset,
 * destroy), and Workspace Trust (an untrusted folder gets the static features and runs nothing).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clocheContainers, CodeServerSession, containersSince, missingPart, ROOT, waitFor } from './codeServer';

const skip = missingPart();
const EXAMPLE = path.join(ROOT, 'examples/webserver');

/** Containers kept with --keep (reset keeps the label): the ones this file makes. */
const keptContainers = () => clocheContainers('cloche.keep');

describe('Test Explorer and Containers view in code-server', { skip, timeout: 900_000 }, () => {
  let s: CodeServerSession;
  let kept: string | undefined;
  before(async () => {
    s = await CodeServerSession.start({ workspace: EXAMPLE, prefix: 'views', settings: { 'cloche.container.runtime': 'docker' } });
  });
  after(async () => {
    if (kept) spawnSync('docker', ['rm', '-f', kept]);
    if (s) await s.close();
  });
  afterEach(async () => {
    if (s) await s.screenshot('after-step');
  });

  it('lists kitchen suites × platforms as tests; running one converges and passes the idempotence check', async () => {
    const before = clocheContainers();
    await s.openSideBar('Testing');
    const rows = s.page.locator('.test-explorer .monaco-list-row');
    const cookbook = rows.filter({ hasText: 'webserver' }).first();
    await cookbook.waitFor({ timeout: 30_000 });
    await cookbook.locator('.monaco-tl-twistie').click();
    const suite = rows.filter({ hasText: 'default · debian-12' }).first();
    await suite.waitFor({ timeout: 30_000 });
    assert.match(await suite.innerText(), /recipe\[webserver::default\]/);
    await s.command('Test: Run All Tests');
    await suite.locator('.codicon-testing-passed-icon, .codicon-testing-failed-icon, .codicon-testing-error-icon').first().waitFor({ timeout: 600_000 });
    await s.screenshot('test-explorer');
    assert.equal(await suite.locator('.codicon-testing-passed-icon').count(), 1, 'the suite passed');
    assert.deepEqual(containersSince(before), [], 'cloche test destroyed its container');
  });

  it('Containers view: a kept container gets a shell, a reset and a destroy', async () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'converge', path.join(s.workspace, 'recipes/packages.rb'), '--keep', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    kept = (JSON.parse(r.stdout) as { target: { container: string } }).target.container;
    await s.openSideBar('Cloche');
    await s.command('Cloche: Refresh Containers');
    const rows = s.viewRows('Containers');
    const row = rows.filter({ hasText: 'cloche/debian:12' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /running/);

    await row.hover();
    await row.locator('.action-label[aria-label="Open a Shell in Container"]').click();
    const terminal = s.page.locator('.terminal-wrapper .xterm-rows, .terminal-wrapper .xterm-screen').first();
    await terminal.waitFor({ timeout: 30_000 });
    await s.page.waitForTimeout(1500);
    await s.page.keyboard.type('echo answer-$((6*7)) > /tmp/shell-was-here; cat /tmp/shell-was-here\n', { delay: 10 });
    await waitFor(() => spawnSync('docker', ['exec', kept!, 'cat', '/tmp/shell-was-here'], { encoding: 'utf8' }).stdout.trim() === 'answer-42', 20_000,
      () => 'the command typed into the terminal did not run inside the container');
    await s.screenshot('container-shell');

    await row.hover();
    await row.locator('.action-label[aria-label="Reset Container"]').click();
    await waitFor(() => { const ids = keptContainers(); return ids.length === 1 && ids[0] !== kept; }, 60_000, () => `reset did not replace ${kept}: ${keptContainers().join(', ')}`);
    const fresh = keptContainers()[0];
    spawnSync('docker', ['rm', '-f', kept]);
    kept = fresh;
    assert.notEqual(spawnSync('docker', ['exec', fresh, 'test', '-e', '/tmp/shell-was-here']).status, 0, 'the reset container is fresh');

    // The view refreshes after the reset: wait for the row of the new container before acting on it.
    const freshName = spawnSync('docker', ['inspect', '-f', '{{.Name}}', fresh], { encoding: 'utf8' }).stdout.trim().replace(/^\//, '');
    const again = rows.filter({ hasText: freshName }).first();
    await again.waitFor({ timeout: 30_000 });
    await again.hover();
    await again.locator('.action-label[aria-label="Destroy Container"]').click();
    await s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Destroy' }).click();
    await waitFor(() => keptContainers().length === 0, 60_000, () => `destroy left ${keptContainers().join(', ')}`);
    await rows.filter({ hasText: 'cloche/debian:12' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await s.screenshot('containers-destroyed');
    kept = undefined;
  });
});

describe('an untrusted workspace in code-server', { skip, timeout: 300_000 }, () => {
  let s: CodeServerSession;
  before(async () => {
    s = await CodeServerSession.start({ workspace: EXAMPLE, prefix: 'untrusted', workspaceTrust: true, settings: { 'cloche.container.runtime': 'docker' } });
  });
  after(async () => {
    if (s) await s.close();
  });
  afterEach(async () => {
    if (s) await s.screenshot('after-step');
  });

  it('keeps the static features and refuses everything that runs', async () => {
    const before = clocheContainers();
    await s.openFile('recipes/default.rb');
    // Static: a bad property is still a problem.
    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type("\nfile '/tmp/x' do\n  colour 'blue'\nend\n", { delay: 10 });
    await s.command('View: Focus Problems');
    await s.page.locator('.markers-panel .monaco-list-row', { hasText: 'colour' }).first().waitFor({ timeout: 60_000 });
    // Nothing that runs is offered, and the Plan view says why.
    await s.page.keyboard.press('F1');
    await s.page.locator('.quick-input-widget input').fill('>Cloche: Dry Run');
    await s.page.waitForTimeout(1000);
    assert.equal(await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dry Run in Container' }).count(), 0);
    await s.page.keyboard.press('Escape');
    await s.openSideBar('Cloche');
    await s.page.locator('.pane-body', { hasText: 'off in an untrusted workspace' }).first().waitFor({ timeout: 20_000 });
    await s.screenshot('untrusted');
    assert.deepEqual(containersSince(before), [], 'no container was started');
  });
});
