/**
 * Messages that fit and what can run, in a real VS Code (code-server) with the VSIX installed, on a
 * cookbook like users have (test/e2e/fixtures/messages_fx): notification target completion (this
 * run's resources first), the rendered header for the run's node (a placeholder, or the name the
 * settings choose; never the container's id), a dry run whose loop is one lens opening its steps,
 * an unknown step in words the user can act on, the Plan view's inline buttons, the Containers view
 * (this workspace's first, no other tool's), and the Test Explorer (platforms that cannot run here
 * said so, not runnable). Screenshots go to test-artifacts/e2e/messages-*.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CodeServerSession, missingPart, ROOT, waitFor } from './codeServer';

const skip = missingPart();
const FIXTURE = path.join(ROOT, 'test/e2e/fixtures/messages_fx');
const CLI = path.join(ROOT, 'dist/cli.js');

function lineOf(s: CodeServerSession, file: string, text: string): number {
  const i = readFileSync(path.join(s.workspace, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} is in ${file}`);
  return i + 1;
}

describe('messages that fit, and what can run, in code-server on messages_fx', { skip, timeout: 1_200_000 }, () => {
  let s: CodeServerSession;
  const containers: string[] = [];
  before(async () => {
    s = await CodeServerSession.start({ workspace: FIXTURE, prefix: 'messages', settings: { 'cloche.container.runtime': 'docker' } });
  });
  after(async () => {
    if (containers.length) spawnSync('docker', ['rm', '-f', ...containers]);
    if (s) await s.close();
  });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  /** The text of the editor showing the tab `name` (Monaco renders spaces as no-break spaces). */
  async function editorText(name: string): Promise<string> {
    const active = s.page.locator(`.tab.active .label-name:text-is("${name}")`);
    await active.first().waitFor({ timeout: 60_000 });
    const group = s.page.locator('.editor-group-container', { has: active }).first();
    const lines = group.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: 30_000 });
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** The rendered preview of the template declared in recipes/default.rb, asked until the server answers. */
  async function previewMotd(expect: RegExp): Promise<string> {
    let text = '';
    for (let attempt = 0; attempt < 15 && !expect.test(text); attempt++) {
      await s.openFile('recipes/default.rb');
      await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "template '/etc/motd' do"));
      await s.command('Cloche: Preview Rendered File');
      text = await editorText('motd').catch(() => '');
      if (!expect.test(text)) await s.page.waitForTimeout(1000);
    }
    return text;
  }

  it("completes a notification target with this run's resources first, nearest first", async (t) => {
    // The recipe goes back to what is on disk whatever the outcome: the dry run comes next.
    t.after(async () => { await s.page.keyboard.press('Escape'); await s.command('File: Revert File'); });
    await s.openFile('recipes/default.rb');
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "  source 'motd.erb'"));
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type("notifies :run, '", { delay: 30 });
    const rows = s.page.locator('.suggest-widget .monaco-list-row');
    let labels: string[] = [];
    // Until the server has indexed the workspace, VS Code offers only words of the file: ask again.
    for (let attempt = 0; attempt < 20 && !labels.some((l) => l.includes('service[messages-app]')); attempt++) {
      await s.page.keyboard.press('Escape');
      await s.page.keyboard.press('Control+Space');
      await rows.first().waitFor({ timeout: 20_000 });
      await s.page.waitForTimeout(500);
      labels = await rows.allTextContents();
    }
    await s.screenshot('target-completion');
    const at = (label: string) => labels.findIndex((l) => l.includes(label));
    const first = labels.slice(0, 2).map((l) => /^\S+\[[^\]]*\]/.exec(l)?.[0]).sort();
    assert.deepEqual(first, ['file[/etc/messages-banner]', 'template[/etc/messages.conf]'], `the resources nearest the cursor first: ${labels.join(' | ')}`);
    assert.ok(at('service[messages-app]') >= 0 && at('file[/aaa-other]') > at('service[messages-app]'),
      `this run's service before another recipe's file: ${labels.join(' | ')}`);
    assert.equal(at('template[/etc/motd]'), -1, 'the resource being written is not offered to itself');
  });

  it('previews the template header for the placeholder node, never unknown', async () => {
    const text = await previewMotd(/Generated by Chef for/);
    await s.screenshot('preview-placeholder-node');
    assert.match(text, /# Generated by Chef for cloche-node\.local \(node cloche-node\.local\)/);
  });

  it('dry run: a resource declared in a loop is one lens that opens its steps', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Dry Run in Container');
    const rows = s.viewRows('Plan');
    await rows.filter({ hasText: 'template[/etc/motd] :create' }).first().waitFor({ timeout: 300_000 });
    await s.openFile('recipes/default.rb');
    const loop = s.page.locator('.monaco-editor .codelens-decoration', { hasText: 'steps:' }).first();
    await loop.waitFor({ timeout: 30_000 });
    await s.screenshot('loop-lens');
    assert.match((await loop.innerText()).replace(/\u00a0/g, ' ').trim(), /(^|\s)4 steps: 2 change, 2 up to date$/);
    assert.equal(await loop.locator('a').count(), 1, 'one lens, not a chain of four');
    await loop.locator('a').click();
    const picks = s.page.locator('.quick-input-list .monaco-list-row');
    await picks.first().waitFor({ timeout: 20_000 });
    assert.equal(await picks.count(), 4);
    await s.screenshot('loop-steps-pick');
    await picks.filter({ hasText: 'directory[/opt/messages-a]' }).first().click();
    await rows.filter({ hasText: 'directory[/opt/messages-a] :create' }).and(s.page.locator('.selected')).waitFor({ timeout: 20_000 });
  });

  it('dry run: an unknown step says what the user can do, the precise reason in its details', async () => {
    await s.openFile('recipes/default.rb');
    const lens = s.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Cloche cannot compute the content before the run' }).first();
    await lens.waitFor({ timeout: 30_000 });
    const text = await lens.innerText();
    assert.match(text, /constant Acme is defined outside the workspace\) — add its cookbook to cloche\.cookbookPaths$/);
    assert.doesNotMatch(text, /not known statically/);
    const row = s.viewRows('Plan').filter({ hasText: 'file[/etc/messages-banner] :create' }).first();
    const detail = s.viewRows('Plan').filter({ hasText: 'content unknown: constant Acme is not known statically' }).first();
    // Expand the step (its details): a key pressed before the tree has focus is lost, so again until it opens.
    await waitFor(async () => {
      if (await detail.isVisible()) return true;
      await row.click();
      await s.page.keyboard.press('ArrowRight');
      return detail.isVisible();
    }, 20_000, () => 'the unknown step\'s details did not open in the Plan view');
    await s.screenshot('unknown-step');
  });

  it("the Plan view's inline buttons: Show Content Change opens the diff, Why Would This Run? explains", async () => {
    const rows = s.viewRows('Plan');
    const template = rows.filter({ hasText: 'template[/etc/messages.conf] :create' }).first();
    await template.hover();
    await template.locator('.action-label[aria-label="Show Content Change"]').click();
    const right = s.page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'messages = on' }).first();
    await right.waitFor({ timeout: 20_000 });
    await s.screenshot('inline-diff');
    assert.match(await s.page.locator('.tab.active').first().innerText(), /messages\.conf/);
    const restart = rows.filter({ hasText: 'service[messages-app] :restart' }).first();
    await restart.hover();
    await restart.locator('.action-label[aria-label="Why Would This Run?"]').click();
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    const why = await dialog.innerText();
    await s.screenshot('inline-why');
    assert.match(why, /Why would service\[messages-app\] restart\?/);
    assert.match(why, /template\[\/etc\/motd\] :create/);
    assert.doesNotMatch(why, /undefined/);
    await s.page.keyboard.press('Escape');
  });

  it('dry run: the template header names the placeholder node, not the container id', async () => {
    await s.openFile('recipes/default.rb');
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "template '/etc/motd' do"));
    await s.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'would update content of /etc/motd' }).first().click();
    const right = s.page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'Generated by Chef' }).first();
    await right.waitFor({ timeout: 20_000 });
    const after = (await right.innerText()).replace(/\u00a0/g, ' ');
    await s.screenshot('dry-run-node-name');
    assert.match(after, /# Generated by Chef for cloche-node\.local \(node cloche-node\.local\)/);
  });

  it('the node name the settings choose: the preview renders for it', async () => {
    mkdirSync(path.join(s.workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(s.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'cloche.run.nodeName': 'web1.example.com' }));
    const text = await previewMotd(/web1\.example\.com/);
    await s.screenshot('preview-chosen-node');
    assert.match(text, /# Generated by Chef for web1\.example\.com \(node web1\.example\.com\)/);
  });

  it("Containers view: this workspace's containers first, Cloche's others grouped, no other tool's", async () => {
    const r = spawnSync(process.execPath, [CLI, 'converge', path.join(s.workspace, 'recipes/other.rb'), '--runtime', 'docker', '--network', 'none', '--keep', '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const mine = (JSON.parse(r.stdout) as { target: { container: string } }).target.container;
    containers.push(mine);
    const run = (labels: string[], name: string) => {
      const p = spawnSync('docker', ['run', '-d', '--name', name, ...labels.flatMap((l) => ['--label', l]), '--entrypoint', '/bin/sh', 'cloche/debian:12', '-c', 'sleep 900'], { encoding: 'utf8' });
      assert.equal(p.status, 0, p.stderr);
      containers.push(p.stdout.trim());
    };
    const stamp = Date.now().toString(36);
    // Made after the kept one, so a list by creation time would show them first.
    run(['cloche.managed=true', 'cloche.session=e2e-other', `cloche.created=${new Date().toISOString()}`, 'cloche.workspace=/srv/another-workspace'], `cloche-other-ws-${stamp}`);
    run([], `not-cloche-${stamp}`);
    const mineName = spawnSync('docker', ['inspect', '-f', '{{.Name}}', mine], { encoding: 'utf8' }).stdout.trim().replace(/^\//, '');
    await s.openSideBar('Cloche');
    await s.command('Cloche: Refresh Containers');
    const rows = s.viewRows('Containers');
    const others = rows.filter({ hasText: /Other Cloche containers \(\d+\)/ }).first();
    await others.waitFor({ timeout: 60_000 });
    await waitFor(async () => (await rows.first().innerText()).includes(mineName), 30_000, () => `${mineName} is not the first row`);
    await others.click();
    await rows.filter({ hasText: `cloche-other-ws-${stamp}` }).first().waitFor({ timeout: 20_000 });
    await s.screenshot('containers-view');
    const texts = (await rows.allInnerTexts()).join('\n');
    assert.ok(texts.indexOf(mineName) < texts.indexOf('Other Cloche containers'), texts);
    assert.doesNotMatch(texts, new RegExp(`not-cloche-${stamp}`), 'a container of another tool is not listed');
  });

  it('Test Explorer: platforms whose image cannot be had here are said so and cannot be run', async () => {
    await s.openSideBar('Testing');
    const rows = s.page.locator('.test-explorer .monaco-list-row');
    const cookbook = rows.filter({ hasText: 'messages_fx' }).first();
    await cookbook.waitFor({ timeout: 60_000 });
    await cookbook.locator('.monaco-tl-twistie').click();
    const row = (platform: string) => rows.filter({ hasText: `default · ${platform}` }).first();
    await row('freebsd-13').waitFor({ timeout: 60_000 });
    await s.screenshot('test-explorer');
    assert.match(await row('debian-12').innerText(), /recipe\[messages_fx::default\]/);
    assert.match(await row('freebsd-13').innerText(), /image not available — freebsd-13 is FreeBSD, and Cloche runs tests in Linux containers only/);
    // Cloche's image of the same release stands in for an absent dokken image, and the row says so.
    assert.match(await row('dokken-debian-12').innerText(), /runs on cloche\/debian:12 \(dokken\/debian-12 is not here\)/);
    await row('debian-12').hover();
    assert.equal(await row('debian-12').locator('.action-label[aria-label="Run Test"]').count(), 1, 'a runnable test has its Run button');
    await row('freebsd-13').hover();
    assert.equal(await row('freebsd-13').locator('.action-label[aria-label="Run Test"]').count(), 0, 'an unavailable one has none');
    const texts = await rows.allInnerTexts();
    const index = (p: string) => texts.findIndex((t) => t.includes(`default · ${p}`));
    assert.ok(index('debian-12') < index('freebsd-13') && index('dokken-debian-12') < index('freebsd-13'), 'what can run comes first');
    const systemdImageHere = spawnSync('docker', ['image', 'inspect', 'cloche/debian:11-systemd'], { stdio: 'ignore' }).status === 0;
    if (!systemdImageHere) {
      // Buildable: said so, and running it says what to do instead of failing in the CLI.
      const buildable = row('debian-11-systemd');
      assert.match(await buildable.innerText(), /image cloche\/debian:11-systemd not built — run Build the Local Base Image/);
      await buildable.hover();
      await buildable.locator('.action-label[aria-label="Run Test"]').click();
      await buildable.locator('.codicon-testing-error-icon').first().waitFor({ timeout: 120_000 });
      const toast = s.page.locator('.notifications-toasts .notification-list-item', { hasText: 'needs an image that is not built yet' }).first();
      await toast.waitFor({ timeout: 30_000 });
      const said = await toast.innerText();
      assert.match(said, /cloche image build --platform debian-11 --init systemd/);
      assert.match(said, /Build Base Image/, 'the action that helps');
      await s.screenshot('test-buildable');
    }
  });
});
