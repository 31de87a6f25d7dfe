/**
 * Choosing a kitchen suite in a real VS Code (code-server) with the VSIX installed: the run status
 * item names the run, the suite picker lists the kitchen file's suites and platforms, and the
 * diagnostics and the resource graph follow the suite's attributes. Screenshots land in
 * test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { CodeServerSession, missingPart, ROOT } from './codeServer';

const skip = missingPart();
const FIXTURE = path.join(ROOT, 'test/fixtures/runs/suites_cb');

describe('choosing a kitchen suite in code-server on suites_cb', { skip, timeout: 600_000 }, () => {
  let s: CodeServerSession;
  before(async () => { s = await CodeServerSession.start({ workspace: FIXTURE, prefix: 'suites' }); });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  /** The hover of the language status, once it says `text`. */
  async function languageStatus(text: string): Promise<string> {
    const status = s.page.locator('[id="status.languageStatus"]').first();
    for (let attempt = 0; attempt < 20; attempt++) {
      await s.page.mouse.move(0, 0);
      await status.hover();
      const hover = s.page.locator('.monaco-hover', { hasText: 'Cloche run:' }).first();
      await hover.waitFor({ timeout: 20_000 });
      const t = await hover.innerText();
      if (t.includes(text)) return t;
      await s.page.waitForTimeout(500);
    }
    throw new Error(`the language status never said ${text}`);
  }

  const problems = () => s.page.locator('.markers-panel .monaco-list-row');

  it('with no suite: every recipe, no problem, the cookbook\'s own mode in the graph', async () => {
    await s.openFile('recipes/default.rb');
    await languageStatus('Cloche run: every recipe · debian-12');
    await s.command('View: Focus Problems');
    await s.page.waitForTimeout(1500);
    assert.equal(await problems().filter({ hasText: 'tuned.conf.erb' }).count(), 0);
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Open Resource Graph');
    await s.webview().locator('g.node[data-key="file[/etc/suites_cb/plain]"]').waitFor({ timeout: 60_000 });
    await s.screenshot('no-suite');
  });

  it('choosing suite tuned on almalinux-9: its missing template is a problem, the open graph shows its mode, the status says so', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Choose Kitchen Suite for This Cookbook');
    const suite = s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'tuned' }).first();
    await suite.waitFor({ timeout: 30_000 });
    await suite.click();
    // The second pick: the suite's kitchen platforms.
    await s.page.locator('.quick-input-title', { hasText: 'Kitchen platform for suite tuned' }).first().waitFor({ timeout: 30_000 });
    await s.page.locator('.quick-input-widget input').fill('almalinux-9');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'almalinux-9' }).first().waitFor({ timeout: 30_000 });
    await s.page.keyboard.press('Enter');
    await languageStatus('Cloche run: suite tuned on almalinux-9 · almalinux-9');
    await s.command('View: Focus Problems');
    const missing = problems().filter({ hasText: 'tuned.conf.erb' }).first();
    await missing.waitFor({ timeout: 60_000 });
    await s.screenshot('suite-tuned-problems');
    // The open graph follows the pick by itself.
    await s.webview().locator('g.node[data-key="file[/etc/suites_cb/tuned]"]').waitFor({ timeout: 60_000 });
    assert.equal(await s.webview().locator('g.node[data-key="file[/etc/suites_cb/plain]"]').count(), 0);
    await s.screenshot('suite-tuned-graph');
  });
});
