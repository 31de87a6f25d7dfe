/**
 * Cloche in a real VS Code (code-server), installed from its VSIX, driven through Chromium like a
 * person: completion while typing, a bad property in the Problems panel, the resource graph webview, a
 * dry run (Plan view, line annotations, diff editor, why-would-this-run), and a converge with its
 * idempotence verdict. Each step leaves a screenshot in test-artifacts/e2e/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { clocheContainers, CodeServerSession, containersSince, missingPart, ROOT } from './codeServer';

const skip = missingPart();
const EXAMPLE = path.join(ROOT, 'examples/webserver');

/** 1-based number of the first line of a workspace file that contains `text`. */
function lineOf(s: CodeServerSession, file: string, text: string): number {
  const i = readFileSync(path.join(s.workspace, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} is in ${file}`);
  return i + 1;
}

describe('the extension in code-server on examples/webserver', { skip, timeout: 900_000 }, () => {
  let s: CodeServerSession;
  before(async () => {
    s = await CodeServerSession.start({ workspace: EXAMPLE, prefix: 'webserver', settings: { 'cloche.container.runtime': 'docker' } });
  });
  after(async () => {
    if (s) await s.close();
  });
  // The state of the window after each step, failed or not: what a person would have seen.
  afterEach(async () => {
    if (s) await s.screenshot('after-step');
  });

  it('completes the properties of the resource being typed', async () => {
    await s.openFile('recipes/default.rb');
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "  mode '0644'"));
    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type('back', { delay: 30 });
    // Until the server has indexed the workspace, VS Code offers only words of the file: ask again.
    const rows = s.page.locator('.suggest-widget .monaco-list-row');
    let labels: string[] = [];
    for (let attempt = 0; attempt < 20 && !labels.some((l) => l.includes('backup')); attempt++) {
      await s.page.keyboard.press('Escape');
      await s.page.keyboard.press('Control+Space');
      await rows.first().waitFor({ timeout: 20_000 });
      await s.page.waitForTimeout(500);
      labels = await rows.allTextContents();
    }
    await s.screenshot('completion');
    assert.ok(labels.some((l) => l.includes('backup')), `backup is offered: ${labels.join(' | ')}`);
    await s.page.keyboard.press('Escape');
  });

  it('lists a bad property in the Problems panel, and drops it when fixed', async () => {
    // Replace the typed word on the new line with a property templates do not have.
    await s.page.keyboard.press('Home');
    await s.page.keyboard.press('Shift+End');
    await s.page.keyboard.type("colour 'blue'", { delay: 20 });
    await s.command('View: Focus Problems');
    const problem = s.page.locator('.markers-panel .monaco-list-row', { hasText: 'colour' });
    await problem.first().waitFor({ timeout: 30_000 });
    await s.screenshot('problems');
    assert.match(await problem.first().innerText(), /colour/);
    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "  mode '0644'") + 1);
    await s.page.keyboard.press('Control+Shift+K');
    await problem.first().waitFor({ state: 'detached', timeout: 30_000 });
    await s.page.keyboard.press('Control+S');
  });

  it('opens the resource graph beside the recipe, with nodes and notification edges', async () => {
    await s.command('Cloche: Open Resource Graph');
    const graph = s.webview();
    await graph.locator('g.node').first().waitFor({ timeout: 30_000 });
    const nodes = await graph.locator('g.node').count();
    const notifies = await graph.locator('path.edge.kind-notifies').count();
    await s.screenshot('graph');
    assert.ok(nodes >= 15, `nodes drawn: ${nodes}`);
    assert.ok(notifies >= 1, `notification edges drawn: ${notifies}`);
    assert.equal(await graph.locator('g.node[data-key="service[nginx]"]').count(), 1);
  });

  it('the graph follows typing, and choosing a node reveals its source line', async () => {
    const graph = s.webview();
    await s.page.locator('.monaco-editor .view-lines').first().click();
    await s.page.keyboard.press('Control+End');
    await s.page.keyboard.type("\nlog 'typed in the editor' do\n  message 'hello'\nend\n", { delay: 10 });
    const added = graph.locator('g.node[data-key="log[typed in the editor]"]');
    await added.waitFor({ timeout: 30_000 });
    await s.screenshot('graph-live');
    // Below the fold of the panel: focus it and press Enter, as a keyboard user does.
    await graph.locator('g.node[data-key="link[/var/log/webserver]"]').press('Enter');
    const line = lineOf(s, 'recipes/default.rb', "link '/var/log/webserver' do");
    await s.page.locator('.statusbar-item', { hasText: `Ln ${line},` }).first().waitFor({ timeout: 20_000 });
    // Back to the file on disk: the node goes away again.
    await s.command('File: Revert File');
    await added.waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('dry run: the Plan view and the source lines show what would change', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Dry Run in Container');
    const rows = s.viewRows('Plan');
    // The tree draws only the rows in view: the first steps are the packages.
    await rows.filter({ hasText: 'package[nginx, curl]' }).first().waitFor({ timeout: 180_000 });
    const text = (await rows.allInnerTexts()).join('\n');
    assert.match(text, /package\[nginx, curl\] :install\s*would install nginx/);
    assert.match(text, /apt_update\[webserver\] :periodic/);
    const lenses = s.page.locator('.monaco-editor .codelens-decoration');
    await lenses.first().waitFor({ state: 'attached', timeout: 30_000 });
    const lensText = (await lenses.allInnerTexts()).join('\n');
    await s.screenshot('dry-run');
    assert.match(lensText, /would /, lensText);
    // A plain step's annotation selects its row in the Plan view.
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', 'group web_group do'));
    await s.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'would create system group webserver' }).click();
    await rows.filter({ hasText: 'group[webserver] :create' }).and(s.page.locator('.selected')).waitFor({ timeout: 20_000 });
    // The graph's nodes carry the plan statuses.
    assert.ok(await s.webview().locator('g.node.status-change').count() > 0, 'graph nodes show plan statuses');
  });

  it('dry run: a template change opens in the diff editor, and the restart is explained', async () => {
    const line = lineOf(s, 'recipes/default.rb', "template '/etc/nginx/conf.d/webserver.conf'");
    await s.gotoLineEnd(line);
    const lens = s.page.locator('.monaco-editor .codelens-decoration a', { hasText: 'would create template /etc/nginx/conf.d/webserver.conf' });
    await lens.click();
    const right = s.page.locator('.monaco-diff-editor .editor.modified .view-lines', { hasText: 'listen' });
    await right.first().waitFor({ timeout: 20_000 });
    await s.screenshot('diff');
    assert.match(await s.page.locator('.tab.active').first().innerText(), /webserver\.conf/);
    await s.openFile('recipes/default.rb');
    await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', "service 'nginx' do"));
    await s.command('Cloche: Why Would This Run?');
    const dialog = s.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 20_000 });
    const why = await dialog.innerText();
    await s.screenshot('why');
    assert.match(why, /template\[\/etc\/nginx\/conf\.d\/webserver\.conf\]/);
    assert.match(why, /notifies \(delayed\): would fire/);
    await s.page.keyboard.press('Escape');
  });

  it('converge in a throwaway container ends with the idempotence verdict', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Converge in Throwaway Container');
    const toast = s.page.locator('.notifications-toasts .notification-list-item-message', { hasText: /idempotent|failed/ });
    await toast.first().waitFor({ timeout: 600_000 });
    const verdict = await toast.first().innerText();
    await s.screenshot('converge');
    assert.match(verdict, /converged \(\d+ applied\), idempotent/);
  });

  it('a converge cancelled from its notification stops and leaves no container behind', async () => {
    const before = clocheContainers();
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Converge in Throwaway Container');
    // Cancel once a resource is being converged, so there is a container to clean up.
    const progress = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'converging webserver::default' }).filter({ hasText: /\w+\[[^\]]+\] :\w+/ });
    await progress.first().waitFor({ timeout: 60_000 });
    assert.equal(containersSince(before).length, 1, 'the converge has its container');
    await progress.locator('.monaco-button, .action-label', { hasText: 'Cancel' }).first().click({ timeout: 30_000 });
    await s.page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'cancelled; its container was removed' }).first().waitFor({ timeout: 60_000 });
    await s.screenshot('converge-cancelled');
    assert.deepEqual(containersSince(before), [], 'no Cloche container is left');
  });

  it('the language status shows the server, the platform and the runtime; choosing a platform there switches it', async () => {
    await s.openFile('recipes/default.rb');
    const status = s.page.locator('[id="status.languageStatus"]').first();
    const hover = s.page.locator('.monaco-hover', { hasText: 'Cloche: ' }).first();
    await status.hover();
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    assert.match(text, /Cloche: auto/, 'the default platform: each cookbook\'s own (a picked kitchen platform, its supports)');
    assert.match(text, /Cloche run: every recipe · debian-12/);
    assert.match(text, /ready, 1 cookbook/);
    assert.match(text, /docker found/);
    await hover.locator('a, .monaco-link', { hasText: 'Platform…' }).first().click();
    await s.page.locator('.quick-input-widget input').fill('almalinux-9');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'almalinux-9' }).first().click();
    await s.page.mouse.move(0, 0);
    await s.page.waitForTimeout(500);
    await status.hover();
    await s.page.locator('.monaco-hover', { hasText: 'Cloche: almalinux-9' }).first().waitFor({ timeout: 20_000 });
    await s.screenshot('platform-switched');
    // The graph follows: on an rpm platform the apt_update of packages.rb is not declared.
    await s.command('Cloche: Open Resource Graph');
    await s.webview().locator('g.node[data-key="service[nginx]"]').waitFor({ timeout: 30_000 });
    assert.equal(await s.webview().locator('g.node[data-key="apt_update[webserver]"]').count(), 0);
  });
});
