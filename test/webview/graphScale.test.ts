/**
 * The graph webview on real-sized runs (100, 500 and 2,000 generated resources in a tree of included
 * recipes with custom resources inside): readable at first sight at the editor's font size, grouped by
 * recipe (collapsible, nested includes), custom resource internals behind a count, an overview with the
 * viewport, the details pane only for a selection, and the cursor's resource kept in view.
 * Screenshots land in test-artifacts/webview/scale-<size>-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GraphSource } from '../../client/webview/messages';
import { cookbookGraph, type CookbookGraph } from './fixtures/cookbookGraph';
import { chromiumAvailable, WebviewBrowser, type WebviewPage } from './harness';

const source: GraphSource = { kind: 'cookbook', cookbook: 'shop', label: 'shop::default' };
/** Not VS Code's default (14), so a hard-coded size cannot pass. */
const EDITOR_FONT_SIZE = 15;
const VIEWPORT = { width: 1000, height: 760 };

interface Label { text: string; size: number }

/** The text of the drawing that is on screen, with its size as painted (font size × zoom). */
async function visibleLabels(w: WebviewPage): Promise<Label[]> {
  return w.page.evaluate(() => {
    const svg = document.querySelector('svg.graph')!;
    const view = svg.getBoundingClientRect();
    const out: { text: string; size: number }[] = [];
    for (const t of Array.from(svg.querySelectorAll('text'))) {
      const text = t.textContent?.trim();
      if (!text) continue;
      const r = t.getBoundingClientRect();
      if (!r.width || r.right <= view.left || r.left >= view.right || r.bottom <= view.top || r.top >= view.bottom) continue;
      out.push({ text, size: parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0) });
    }
    return out;
  });
}

/** The on-screen box of an element, and whether it lies wholly inside the drawing's viewport. */
async function inView(w: WebviewPage, selector: string): Promise<boolean> {
  return w.page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return false;
    const view = document.querySelector('svg.graph')!.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.left >= view.left && r.right <= view.right && r.top >= view.top && r.bottom <= view.bottom;
  }, selector);
}

const nodeSel = (id: string) => `g.node[data-key="${id.replace(/"/g, '\\"')}"]`;

/** All resources a recipe group stands for: its own, its nested includes', and their custom resources' internals. */
function resourcesUnder(graph: CookbookGraph, recipe: string): number {
  const within = new Set<string>();
  const walk = (id: string) => { within.add(id); for (const inc of graph.recipes.find((r) => r.id === id)?.includes ?? []) walk(inc); };
  walk(recipe);
  return graph.resources.filter((r) => within.has(r.origin)).length;
}

for (const size of [100, 500, 2000]) {
  describe(`graph webview at ${size} resources`, { skip: !chromiumAvailable() && 'Chromium missing' }, () => {
    let browser: WebviewBrowser;
    const graph = cookbookGraph(size);
    before(async () => { browser = await WebviewBrowser.launch(); });
    after(async () => { await browser?.close(); });

    async function show(): Promise<WebviewPage> {
      const w = await browser.open(VIEWPORT, undefined, { editorFontSize: EDITOR_FONT_SIZE });
      await w.send({ type: 'graph', seq: 1, graph, source, platforms: ['debian-12'] });
      await w.waitFor('rendered');
      return w;
    }

    it('first view: every label on screen at least the editor font size, grouped by recipe, an overview of the rest', async () => {
      const w = await show();
      const labels = await visibleLabels(w);
      await w.screenshot(`scale-${size}-first-view`);
      assert.ok(labels.length >= 10, `labels on screen: ${labels.length}`);
      const small = labels.filter((l) => l.size < EDITOR_FONT_SIZE - 0.01);
      assert.deepEqual(small, [], `labels below ${EDITOR_FONT_SIZE}px`);
      assert.ok(labels.some((l) => l.text.startsWith('package[') || l.text.startsWith('directory[')), 'resource titles are on screen');
      // The run-list recipe is a box holding its includes, each titled with the recipe.
      const root = w.page.locator('g.recipe-group[data-group="recipe:shop::default"]');
      assert.equal(await root.count(), 1);
      const firstInclude = graph.recipes[0].includes[0];
      const nested = w.page.locator(`g.recipe-group[data-group="recipe:${firstInclude}"]`);
      assert.equal(await nested.locator('.segment-label', { hasText: `include_recipe ${firstInclude}` }).count(), 1);
      const [outer, inner] = [await root.locator('rect').first().boundingBox(), await nested.locator('rect').first().boundingBox()];
      assert.ok(outer && inner && inner.x > outer.x && inner.y > outer.y && inner.x + inner.width < outer.x + outer.width + 0.5, 'the include is drawn inside its includer');
      // The overview shows the whole graph with the part on screen as a rectangle inside it.
      const overview = await w.page.locator('.overview').boundingBox();
      const rect = await w.page.locator('.overview .overview-viewport').boundingBox();
      assert.ok(overview && overview.width > 20 && overview.height > 20, 'overview shown');
      assert.ok(rect && rect.width > 2 && rect.height > 2, 'viewport rectangle shown');
      assert.ok(rect.x >= overview.x - 1 && rect.y >= overview.y - 1 && rect.x + rect.width <= overview.x + overview.width + 1 && rect.y + rect.height <= overview.y + overview.height + 1, 'viewport rectangle inside the overview');
      assert.ok(rect.height < overview.height - 2, 'the graph is larger than the view: the rectangle is a part of it');
      assert.equal(await w.page.locator('.details').isVisible(), false, 'no details pane before a selection');
      if (size === 2000) {
        // Collapsed groups make the first drawing smaller than the graph.
        assert.ok(await w.page.locator('g.recipe-group.collapsed').count() > 0, 'some recipes start collapsed');
        assert.ok(await w.page.locator('g.node').count() < size / 4, `nodes drawn at first: ${await w.page.locator('g.node').count()}`);
      }
      assert.deepEqual(await w.cspViolations(), []);
    });

    it('recipe groups collapse and expand with their count; custom resource internals sit behind "+ N inside"', async () => {
      const w = await show();
      // An expanded included recipe: collapsing it hides its resources behind a count, expanding brings them back.
      const recipe = graph.recipes[0].includes[0];
      const group = w.page.locator(`g.recipe-group[data-group="recipe:${recipe}"]`);
      const own = graph.resources.find((r) => r.origin === recipe && !r.parent)!;
      assert.equal(await w.page.locator(nodeSel(own.id)).count(), 1, 'its resources are drawn');
      let n = (await w.posted()).length;
      await group.locator('[data-toggle]').first().click();
      await w.waitFor('rendered', n);
      assert.match(await group.getAttribute('class') ?? '', /\bcollapsed\b/);
      assert.equal(await w.page.locator(nodeSel(own.id)).count(), 0, 'collapsed: its resources are not drawn');
      assert.match(await group.textContent() ?? '', new RegExp(`\\b${resourcesUnder(graph, recipe)} resources\\b`));
      await w.screenshot(`scale-${size}-recipe-collapsed`);
      n = (await w.posted()).length;
      await group.locator('[data-toggle]').first().click();
      await w.waitFor('rendered', n);
      assert.doesNotMatch(await group.getAttribute('class') ?? '', /\bcollapsed\b/);
      assert.equal(await w.page.locator(nodeSel(own.id)).count(), 1);

      // A custom resource: its internals (a nested custom resource's too) behind a count, drawn inside it on click.
      const site = graph.resources.find((r) => r.type === 'shop_site')!;
      const inside = graph.resources.filter((r) => r.parent === site.id);
      const nestedService = inside.find((r) => r.custom)!;
      const all = inside.length + graph.resources.filter((r) => r.parent === nestedService.id).length;
      const node = w.page.locator(nodeSel(site.id));
      assert.equal(await node.locator('.toggle').textContent(), `+ ${all} inside`);
      assert.equal(await w.page.locator(nodeSel(inside[0].id)).count(), 0, 'internals start collapsed');
      const top = (await node.boundingBox())!.y;
      n = (await w.posted()).length;
      await node.locator('.toggle').click();
      await w.waitFor('rendered', n);
      assert.match(await node.getAttribute('class') ?? '', /\bgroup\b/);
      // It opens where it was: the same height on screen, and on screen.
      assert.ok(Math.abs((await node.boundingBox())!.y - top) < 2, 'the view did not jump');
      assert.ok(await inView(w, `${nodeSel(inside[0].id)}`), 'its first internal is on screen');
      assert.equal(await w.page.locator(nodeSel(inside[0].id)).count(), 1, 'expanded: its internals are drawn');
      assert.equal(await w.page.locator(`${nodeSel(nestedService.id)} .toggle`).textContent(), `+ ${all - inside.length} inside`);
      await w.screenshot(`scale-${size}-custom-expanded`);
    });

    it('the details pane appears for a selected resource and closes', async () => {
      const w = await show();
      assert.equal(await w.page.locator('.details').isVisible(), false);
      const r = graph.resources.find((x) => x.type === 'template' && !x.parent)!;
      await w.page.locator(nodeSel(r.id)).click();
      const details = w.page.locator('.details');
      await details.waitFor({ state: 'visible' });
      assert.equal(await details.locator('h2').innerText(), r.id);
      // The selected resource is not left under the pane.
      const [node, pane] = [await w.page.locator(nodeSel(r.id)).boundingBox(), await details.boundingBox()];
      assert.ok(node && pane && node.x + node.width <= pane.x + 0.5, `${JSON.stringify(node)} left of the pane at ${pane?.x}`);
      await w.screenshot(`scale-${size}-details`);
      await details.getByRole('button', { name: 'Close details' }).click();
      await details.waitFor({ state: 'hidden' });
      await w.page.locator(nodeSel(r.id)).click();
      await details.waitFor({ state: 'visible' });
      await w.page.keyboard.press('Escape');
      await details.waitFor({ state: 'hidden' });
    });

    it('keeps the cursor\'s resource in view: one sent with the graph, then another far from it', async () => {
      const w = await browser.open(VIEWPORT, undefined, { editorFontSize: EDITOR_FONT_SIZE });
      // As the extension does on opening: the graph, then at once the resource under the cursor.
      const late = graph.resources.filter((r) => !r.parent)[Math.floor(graph.resources.filter((r) => !r.parent).length * 0.8)];
      await w.send({ type: 'graph', seq: 1, graph, source, platforms: ['debian-12'] });
      await w.send({ type: 'highlight', resourceIds: [late.id] });
      await w.waitFor('rendered');
      await w.page.waitForSelector(`${nodeSel(late.id)}.highlighted`, { timeout: 20_000 });
      await waitUntil(() => inView(w, nodeSel(late.id)), `${late.id} scrolled into view`);
      const titleSize = await w.page.evaluate((sel) => {
        const t = document.querySelector<SVGTextElement>(sel)!;
        return parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0);
      }, `${nodeSel(late.id)} text.title`);
      assert.ok(titleSize >= EDITOR_FONT_SIZE - 0.01, `its label is readable: ${titleSize}px`);
      await w.screenshot(`scale-${size}-cursor`);
      // The cursor moves into a custom resource's action far up the run: its instance comes into view.
      const child = graph.resources.find((r) => r.parent && r.parentAction)!;
      await w.send({ type: 'highlight', resourceIds: [child.id] });
      await w.page.waitForSelector(`${nodeSel(child.parent!)}.highlighted`, { timeout: 20_000 });
      await waitUntil(() => inView(w, nodeSel(child.parent!)), `${child.parent} scrolled into view`);
      assert.equal(await inView(w, nodeSel(late.id)), false, 'the view moved');
    });

    it('the overview moves the view: a click shows that part of the graph', async () => {
      const w = await show();
      const overview = (await w.page.locator('.overview').boundingBox())!;
      const before = (await w.page.locator('.overview-viewport').boundingBox())!;
      const transform = await w.page.locator('svg.graph g.viewport').getAttribute('transform');
      await w.page.mouse.click(overview.x + overview.width / 2, overview.y + overview.height - 3);
      await waitUntil(async () => ((await w.page.locator('.overview-viewport').boundingBox())?.y ?? 0) > before.y + 2, 'the rectangle moved down');
      assert.notEqual(await w.page.locator('svg.graph g.viewport').getAttribute('transform'), transform);
      // The end of the run is now on screen.
      const last = graph.resources.filter((r) => !r.parent).at(-1)!;
      await waitUntil(() => inView(w, nodeSel(last.id)), `${last.id} on screen after the click`);
      // Dragging the rectangle moves the view back up.
      const rect = (await w.page.locator('.overview-viewport').boundingBox())!;
      await w.page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
      await w.page.mouse.down();
      await w.page.mouse.move(rect.x + rect.width / 2, overview.y + 2, { steps: 5 });
      await w.page.mouse.up();
      await waitUntil(async () => ((await w.page.locator('.overview-viewport').boundingBox())?.y ?? Infinity) < rect.y - 2, 'the rectangle moved up');
      await w.screenshot(`scale-${size}-overview-moved`);
    });
  });
}

/** Polls a condition (layout may take more than one pass); a generous hang guard, not a timing threshold. */
async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`not within ${timeoutMs / 1000} s: ${what}`);
}
