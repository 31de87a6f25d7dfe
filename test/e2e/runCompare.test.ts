/**
 * Reviewing a change in a real VS Code (code-server): "Compare Run with HEAD" on examples/webserver
 * made a git repository by the test, following typing (an attribute edited and not saved changes a
 * template's rendered content, shown in the diff editor), the Resource Graph marking what differs,
 * "Compare Run with…" another platform (resources added and removed, the removed one's line opened),
 * and "Stop Comparing Run". Screenshots go to test-artifacts/e2e/compare-*.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CodeServerSession, missingPart, ROOT, waitFor } from './codeServer';

const skip = missingPart();
const EXAMPLE = path.join(ROOT, 'examples/webserver');

describe('comparing runs in code-server on examples/webserver', { skip, timeout: 900_000 }, () => {
  let s: CodeServerSession;
  before(async () => {
    s = await CodeServerSession.start({ workspace: EXAMPLE, prefix: 'compare' });
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: s.workspace, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'the example as it is');
  });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  const rows = () => s.viewRows('Run Changes');
  const viewMessage = (text: RegExp) => s.page.locator('.pane', { has: s.page.locator('.pane-header', { hasText: 'Run Changes' }) }).getByText(text).first();

  it('Compare Run with HEAD: nothing differs, then an unsaved attribute edit changes a template\'s content, shown in the diff editor', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Compare Run with HEAD');
    await viewMessage(/HEAD → working tree \(debian-12\): 0 added, 0 removed, 0 changed, 0 may change/).waitFor({ timeout: 120_000 });
    assert.equal(await rows().count(), 0);
    await s.screenshot('nothing-differs');
    // Typed, not saved: the comparison follows the editor.
    await s.openFile('attributes/default.rb');
    await s.gotoLineEnd(2);
    await s.page.keyboard.type('0', { delay: 30 });
    const template = rows().filter({ hasText: 'template[/etc/nginx/conf.d/webserver.conf]' }).first();
    await template.waitFor({ timeout: 60_000 });
    assert.match(await template.innerText(), /changed/);
    assert.doesNotMatch(readFileSync(path.join(s.workspace, 'attributes/default.rb'), 'utf8'), /80800/, 'the edit is not saved');
    const content = rows().filter({ hasText: 'content' }).filter({ hasText: 'open the diff' }).first();
    await content.waitFor({ timeout: 30_000 });
    await content.click();
    const diffTab = s.page.locator('.tab', { hasText: '↔' }).first();
    await diffTab.waitFor({ timeout: 30_000 });
    const diffText = async () => (await s.page.locator('.monaco-diff-editor').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
    await waitFor(async () => /listen 80800;/.test(await diffText()), 30_000, () => 'the diff editor does not show the typed port');
    assert.match(await diffText(), /listen 8080;/, 'the old side renders HEAD\'s port');
    await s.screenshot('content-diff');
  });

  it('the Resource Graph marks the changed resource while the comparison runs', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Open Resource Graph');
    const graph = s.webview();
    await graph.locator('g.node').first().waitFor({ timeout: 60_000 });
    await graph.locator('g.node.diff-changed[data-key="template[/etc/nginx/conf.d/webserver.conf]"]').waitFor({ timeout: 60_000 });
    assert.equal(await graph.locator('g.node.diff-added').count(), 0, 'nothing was added');
    assert.equal(await graph.locator('g.node.diff-changed[data-key="package[nginx, curl]"]').count(), 0, 'an unchanged resource is not marked');
    await graph.getByText(/HEAD → working tree \(debian-12\)/).first().waitFor({ timeout: 30_000 });
    await s.screenshot('graph-marks');
  });

  it('Compare Run with… another platform: resources added and removed, the removed one\'s line opened; Stop Comparing Run clears the view', async () => {
    await s.openFile('recipes/packages.rb');
    await s.command('Cloche: Compare Run with…');
    const pick = (text: string) => s.page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await pick('Another Platform').waitFor({ timeout: 15_000 });
    await pick('Another Platform').click();
    await s.page.locator('.quick-input-widget input').fill('rockylinux-9');
    await pick('rockylinux-9').waitFor({ timeout: 15_000 });
    await s.page.keyboard.press('Enter');
    await viewMessage(/working tree, platform rockylinux-9 → working tree \(debian-12\)/).waitFor({ timeout: 120_000 });
    const removed = rows().filter({ hasText: 'package[cronie]' }).first();
    await removed.waitFor({ timeout: 30_000 });
    assert.match(await removed.innerText(), /removed/);
    assert.equal(await rows().filter({ hasText: 'apt_update[webserver]' }).count(), 1, 'apt_update is only on Debian: added');
    await s.screenshot('platform-compare');
    await removed.click();
    await waitFor(async () => /packages\.rb/.test(await s.page.locator('.tab.active').first().innerText().catch(() => '')), 30_000, () => 'the removed resource\'s recipe did not open');
    await s.command('Cloche: Stop Comparing Run');
    await waitFor(async () => (await rows().count()) === 0, 30_000, () => 'the Run Changes rows stayed after Stop Comparing Run');
  });
});
