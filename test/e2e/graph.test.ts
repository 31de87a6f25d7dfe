/**
 * The Resource Graph in a real VS Code (code-server) with an editor font size that is not the default:
 * the webview gets it from VS Code (`--vscode-editor-font-size`) and draws every label at least that
 * large at first sight, grouped by recipe (the include nested in its includer), without a details pane
 * until a resource is chosen; the resource under the cursor is highlighted and scrolled into view as the
 * cursor moves. Screenshots land in test-artifacts/e2e/graph-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { CodeServerSession, missingPart, ROOT, waitFor } from './codeServer';

const skip = missingPart();
const EXAMPLE = path.join(ROOT, 'examples/webserver');
const FONT_SIZE = 17;

function lineOf(s: CodeServerSession, file: string, text: string): number {
  const i = readFileSync(path.join(s.workspace, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} is in ${file}`);
  return i + 1;
}

/** Whether an element of the webview lies wholly inside the drawing's visible area. */
async function inView(svg: Locator, selector: string): Promise<boolean> {
  return svg.evaluate((el, sel) => {
    const node = el.querySelector(sel);
    if (!node) return false;
    const view = el.getBoundingClientRect(), r = node.getBoundingClientRect();
    return r.width > 0 && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
  }, selector);
}

describe('the resource graph in code-server with editor.fontSize 17', { skip, timeout: 600_000 }, () => {
  let s: CodeServerSession;
  before(async () => {
    s = await CodeServerSession.start({ workspace: EXAMPLE, prefix: 'graph', settings: { 'editor.fontSize': FONT_SIZE } });
  });
  after(async () => { if (s) await s.close(); });
  afterEach(async () => { if (s) await s.screenshot('after-step'); });

  it('first sight: labels at the editor font size, the recipe and its include as groups, no details pane', async () => {
    await s.openFile('recipes/default.rb');
    await s.command('Cloche: Open Resource Graph');
    const graph = s.webview();
    await graph.locator('g.node').first().waitFor({ timeout: 60_000 });
    const svg = graph.locator('svg.graph');
    // What VS Code handed the webview, and what the drawing does with it.
    const given = await svg.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-font-size'));
    assert.equal(parseFloat(given), FONT_SIZE, `--vscode-editor-font-size in the webview: ${given}`);
    const labels = await svg.evaluate((el) => {
      const view = el.getBoundingClientRect();
      return Array.from(el.querySelectorAll('text')).filter((t) => {
        const r = t.getBoundingClientRect();
        return t.textContent?.trim() && r.width > 0 && r.bottom > view.top && r.top < view.bottom && r.right > view.left && r.left < view.right;
      }).map((t) => ({ text: t.textContent!, size: parseFloat(getComputedStyle(t).fontSize) * ((t as SVGTextElement).getScreenCTM()?.a ?? 0) }));
    });
    await s.screenshot('first-sight');
    assert.ok(labels.length >= 6, `labels on screen: ${labels.length}`);
    assert.deepEqual(labels.filter((l) => l.size < FONT_SIZE - 0.01), [], 'labels smaller than the editor font');
    assert.equal(await graph.locator('g.recipe-group[data-group="recipe:webserver::default"]').count(), 1);
    assert.equal(await graph.locator('g.recipe-group[data-group="recipe:webserver::packages"] .segment-label', { hasText: 'include_recipe webserver::packages' }).count(), 1);
    assert.equal(await graph.locator('.details').isVisible(), false);
  });

  it('follows the cursor: the resource under it is highlighted and scrolled into view, still readable', async () => {
    const graph = s.webview();
    const svg = graph.locator('svg.graph');
    await s.openFile('recipes/default.rb');
    for (const [text, key] of [["service 'nginx'", 'service[nginx]'], ['group web_group do', 'group[webserver]']] as const) {
      await s.gotoLineEnd(lineOf(s, 'recipes/default.rb', text));
      const sel = `g.node.highlighted[data-key="${key}"]`;
      await graph.locator(sel).waitFor({ timeout: 30_000 });
      await waitFor(() => inView(svg, sel), 15_000, () => `${key} scrolled into view`);
      // In view and readable: not by shrinking the drawing.
      const size = await svg.evaluate((el, q) => {
        const t = el.querySelector<SVGTextElement>(q)!;
        return parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0);
      }, `${sel} text.title`);
      assert.ok(size >= FONT_SIZE - 0.01, `${key}'s label: ${size}px`);
    }
    await s.screenshot('cursor-followed');
  });

  it('shows the details pane for a chosen resource, and closes it', async () => {
    const graph = s.webview();
    await graph.locator('g.node[data-key="group[webserver]"]').click();
    const details = graph.locator('.details');
    await details.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await details.locator('h2').innerText(), 'group[webserver]');
    await s.screenshot('details');
    await details.getByRole('button', { name: 'Close details' }).click();
    await details.waitFor({ state: 'hidden', timeout: 15_000 });
  });
});
