/**
 * The graph webview showing a run comparison (`runDiff`) in headless Chromium: marks on nodes by status
 * (a repeated id by its occurrence), rolled up on collapsed custom resources and recipes, "Changed only",
 * the baseline's removed resources apart (a click reveals them), and `diff: null` clearing it all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Graph } from '../../server/src/protocol';
import type { GraphRunDiff, GraphSource, GraphViewState } from '../../client/webview/messages';
import { chromiumAvailable, loadFixture, WebviewBrowser, type WebviewPage } from './harness';

const source: GraphSource = { kind: 'cookbook', cookbook: 'webserver', label: 'webserver::default' };
const platforms = ['debian-12'];

const PKG = 'package[cron]';
const TEMPLATE = 'template[/etc/nginx/conf.d/webserver.conf]';
const INDEX = 'file[/srv/webserver/htdocs/index.html]';
const EXECUTE = 'execute[record install time]';
const SITE = 'webserver_site[default]';
const SITE_TEMPLATE = 'template[/etc/nginx/conf.d/site-default.conf]';
const SITE_FILE = 'file[/srv/webserver/sites/default/index.html]';

/** The webserver graph with `execute[record install time]` declared twice (the second one is the added one). */
function graphWithRepeat(): Graph {
  const graph: Graph = loadFixture('webserver');
  const first = graph.resources.find((r) => r.id === EXECUTE)!;
  graph.resources.push({ ...first, location: { ...first.location, line: 99, endLine: 102 } });
  return graph;
}

const removedLocation = { file: 'examples/webserver/recipes/default.rb', line: 100, column: 1, endLine: 103, endColumn: 4 };
const diff: GraphRunDiff = {
  label: 'HEAD → working tree (debian-12)',
  marks: [
    { resource: PKG, status: 'added', summary: 'added' },
    { resource: EXECUTE, occurrence: 1, status: 'added', summary: 'added' },
    { resource: TEMPLATE, status: 'changed', summary: 'mode "0644" → "0600"' },
    { resource: SITE_TEMPLATE, status: 'changed', summary: 'content changed' },
    { resource: INDEX, status: 'may-change', summary: 'content may change (calls `node`)' },
    { resource: SITE_FILE, status: 'may-change', summary: 'owner may change (unknown)' },
  ],
  removed: [
    { resource: 'service[apache2]', type: 'service', location: removedLocation },
    { resource: 'package[apache2]', type: 'package', location: { ...removedLocation, line: 8, endLine: 8 } },
  ],
};

const node = (w: WebviewPage, key: string) => w.page.locator(`g.node[data-key="${key}"]`);
const classOf = async (w: WebviewPage, key: string) => (await node(w, key).getAttribute('class')) ?? '';

describe('graph webview: run comparison', { skip: !chromiumAvailable() && 'Chromium missing' }, () => {
  let browser: WebviewBrowser;
  before(async () => { browser = await WebviewBrowser.launch(); });
  after(async () => { await browser?.close(); });

  async function show(graph: Graph, state?: GraphViewState): Promise<WebviewPage> {
    const w = await browser.open(undefined, state);
    await w.send({ type: 'graph', seq: 1, graph, source, platforms });
    await w.waitFor('rendered');
    return w;
  }

  /** Sends the diff and waits for the drawing it causes (removed entries change the layout). */
  async function sendDiff(w: WebviewPage, d: GraphRunDiff | null): Promise<void> {
    const n = (await w.posted()).length;
    await w.send({ type: 'runDiff', diff: d });
    await w.waitFor('rendered', n);
  }

  it('marks added, changed and may-change resources (a repeated id by its occurrence), beside plan statuses, and says the counts', async () => {
    const graph = graphWithRepeat();
    const w = await show(graph);
    assert.equal(await w.page.locator('.toolbar .changed-only').isVisible(), false, 'no switch without a comparison');
    await sendDiff(w, diff);
    assert.match(await classOf(w, PKG), /\bdiff diff-added\b/);
    assert.match(await classOf(w, TEMPLATE), /\bdiff diff-changed\b/);
    assert.match(await classOf(w, INDEX), /\bdiff diff-may-change\b/);
    // Only the second execute[record install time] is the added one.
    assert.match(await classOf(w, `${EXECUTE}#2`), /\bdiff-added\b/);
    assert.doesNotMatch(await classOf(w, EXECUTE), /\bdiff\b/);
    assert.doesNotMatch(await classOf(w, 'apt_update[webserver]'), /\bdiff\b/);
    assert.equal(await w.page.locator('g.node.diff').count(), 5, 'four marked nodes and the custom resource holding two more');
    assert.equal(await node(w, PKG).locator('.diff-outline').count(), 1);
    assert.match(await node(w, PKG).locator('.diff-badge').textContent() ?? '', /added/);
    assert.match(await node(w, TEMPLATE).locator('.diff-badge').textContent() ?? '', /changed/);
    assert.match(await node(w, INDEX).locator('.diff-badge').textContent() ?? '', /may change/);
    assert.match(await node(w, TEMPLATE).locator(':scope > title').textContent() ?? '', /Compared with the baseline: changed — mode "0644" → "0600"/);
    assert.equal(await w.page.locator('.toolbar .diff-summary').innerText(), 'HEAD → working tree (debian-12): 2 added, 2 removed, 2 changed, 2 may change');
    assert.equal(await w.page.locator('.toolbar .changed-only').isVisible(), true);

    // A plan status on the same node shows too: both marks at once.
    await w.send({ type: 'planStatus', statuses: [{ resource: TEMPLATE, status: 'change', summary: 'would update mode' }] });
    await w.page.waitForSelector(`g.node.status-change.diff-changed[data-key="${TEMPLATE}"]`);
    assert.match(await node(w, TEMPLATE).locator('.status-badge').textContent() ?? '', /change/);
    assert.match(await node(w, TEMPLATE).locator('.diff-badge').textContent() ?? '', /changed/);
    await w.screenshot('diff-01-marks');

    // The details pane says the mark's summary.
    await node(w, TEMPLATE).click();
    assert.match(await w.page.locator('.details p.diff.diff-changed').innerText(), /changed — mode "0644" → "0600"/);
    assert.deepEqual(await w.cspViolations(), []);
  });

  it('rolls marks up on a collapsed custom resource and a collapsed recipe, and spreads them again when expanded', async () => {
    const graph = graphWithRepeat();
    const w = await show(graph);
    await sendDiff(w, diff);
    const cls = await classOf(w, SITE);
    assert.match(cls, /\bdiff-changed\b/, 'the most telling status inside');
    assert.match(cls, /\bdiff-inside\b/);
    // Said short on the box (±1 ≈1 inside) when the words do not fit, in words in the tooltip.
    assert.match(await node(w, SITE).locator('.diff-badge').textContent() ?? '', /^(1 changed, 1 may change|±1 ≈1) inside$/);
    assert.match(await node(w, SITE).locator(':scope > title').textContent() ?? '', /1 changed, 1 may change inside/);
    await w.screenshot('diff-02-rolled-up-custom-resource');

    let n = (await w.posted()).length;
    await node(w, SITE).locator('.toggle').click();
    await w.waitFor('rendered', n);
    assert.doesNotMatch(await classOf(w, SITE), /\bdiff\b/, 'expanded, its children carry their own marks');
    assert.match(await classOf(w, SITE_TEMPLATE), /\bdiff-changed\b/);
    assert.match(await classOf(w, SITE_FILE), /\bdiff-may-change\b/);

    // A collapsed recipe stands for its marks too.
    n = (await w.posted()).length;
    // By keyboard: focus brings the header into view (expanding the custom resource moved the drawing).
    await w.page.locator('.group-header', { hasText: 'include_recipe webserver::packages' }).focus();
    await w.page.keyboard.press('Enter');
    await w.waitFor('rendered', n);
    const packages = w.page.locator('g.recipe-group.collapsed', { hasText: 'include_recipe webserver::packages' });
    assert.match(await packages.getAttribute('class') ?? '', /\bdiff-added\b.*\bdiff-inside\b/);
    assert.equal(await packages.locator('.diff-badge').textContent(), '1 added inside');
    await w.screenshot('diff-03-rolled-up-recipe');
  });

  /** The repeat graph with the comparison sent and "Changed only" turned on; `all`: the nodes drawn before. */
  async function showChangedOnly() {
    const graph = graphWithRepeat();
    const w = await show(graph);
    const all = await w.page.locator('g.node').count();
    await sendDiff(w, diff);
    const n = (await w.posted()).length;
    await w.page.locator('.toolbar .changed-only input').check();
    await w.waitFor('rendered', n);
    return { graph, w, all };
  }

  it('"Changed only" draws only the marked resources and their holders, survives a reload, and shows everything again', async () => {
    const { graph, w, all } = await showChangedOnly();
    let n: number;
    const drawn = await w.page.locator('g.node').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
    assert.deepEqual(drawn.sort(), [PKG, TEMPLATE, INDEX, SITE, `${EXECUTE}#2`].sort());
    assert.equal(await w.page.locator('g.node:not(.diff)').count(), 0);
    assert.equal(await w.page.locator('.segment-label', { hasText: 'include_recipe webserver::packages' }).count(), 1, 'the recipe holding package[cron] stays');
    const state = await w.page.evaluate(() => (window as unknown as { __state: GraphViewState }).__state);
    assert.equal(state.changedOnly, true);
    await w.screenshot('diff-04-changed-only');

    // Expanding the custom resource held for its marked children shows only those.
    n = (await w.posted()).length;
    await node(w, SITE).locator('.toggle').click();
    await w.waitFor('rendered', n);
    assert.equal(await w.page.locator(`g.node[data-key="directory[/srv/webserver/sites/default]"]`).count(), 0);
    assert.equal(await node(w, SITE_TEMPLATE).count(), 1);
    assert.equal(await node(w, SITE_FILE).count(), 1);

    // A reload keeps the switch on: the marks arrive after the graph, as the extension sends them.
    const again = await show(graph, { ...state, expanded: [] });
    await sendDiff(again, diff);
    assert.equal(await again.page.locator('.toolbar .changed-only input').isChecked(), true);
    assert.equal(await again.page.locator('g.node').count(), 5);

    n = (await again.posted()).length;
    await again.page.locator('.toolbar .changed-only input').uncheck();
    await again.waitFor('rendered', n);
    assert.equal(await again.page.locator('g.node').count(), all);
    assert.equal(await again.page.evaluate(() => (window as unknown as { __state: GraphViewState }).__state.changedOnly), undefined);
  });

  it('lists the removed resources apart, struck through; a click reveals the baseline location', async () => {
    const graph = graphWithRepeat();
    const w = await show(graph);
    await sendDiff(w, diff);
    assert.equal(await w.page.locator('g.removed-group .segment-label').textContent(), 'Removed (2)');
    const entries = w.page.locator('g.removed-entry');
    assert.equal(await entries.count(), 2);
    assert.deepEqual(await entries.locator('.title').allTextContents(), ['service[apache2]', 'package[apache2]']);
    assert.equal(await entries.first().locator('.title').evaluate((e) => getComputedStyle(e).textDecorationLine), 'line-through');
    assert.equal(await w.page.locator('g.node[data-key^="removed:"]').count(), 0, 'not drawn as resources of the run');
    // Below everything the run draws.
    const runBottom = await w.page.locator('g.recipe-group').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
    assert.ok((await w.page.locator('g.removed-group').boundingBox())!.y >= runBottom);
    // Focus brings it into view (the drawing pans; it does not scroll).
    await entries.first().focus();
    await w.screenshot('diff-05-removed');

    const n = (await w.posted()).length;
    await entries.first().click();
    const reveal = await w.waitFor('reveal', n);
    assert.equal(reveal.resourceId, 'service[apache2]');
    assert.deepEqual(reveal.location, removedLocation);
    // Keyboard: Enter on the focused entry.
    const m = (await w.posted()).length;
    await entries.nth(1).focus();
    await w.page.keyboard.press('Enter');
    const second = await w.waitFor('reveal', m);
    assert.equal(second.resourceId, 'package[apache2]');
    assert.equal(second.location.line, 8);
  });

  it('diff: null clears marks, removed entries, the line and the switch (turning "Changed only" off)', async () => {
    const { w, all } = await showChangedOnly();
    assert.ok(await w.page.locator('g.node').count() < all);

    await sendDiff(w, null);
    assert.equal(await w.page.locator('g.node').count(), all);
    assert.equal(await w.page.locator('g.node.diff, g.recipe-group.diff').count(), 0);
    assert.equal(await w.page.locator('.diff-outline, .diff-badge').count(), 0);
    assert.equal(await w.page.locator('g.removed-group, g.removed-entry').count(), 0);
    assert.equal(await w.page.locator('.toolbar .changed-only').isVisible(), false);
    assert.equal(await w.page.locator('.toolbar .diff-summary').isVisible(), false);
    assert.doesNotMatch(await node(w, TEMPLATE).locator(':scope > title').textContent() ?? '', /Compared/);
    assert.equal(await w.page.evaluate(() => (window as unknown as { __state: GraphViewState }).__state.changedOnly), undefined);
    // The titles got their whole width back.
    assert.equal(await node(w, PKG).locator('.title').textContent(), PKG);
    await w.screenshot('diff-06-cleared');

    // A later comparison starts with the switch off.
    await sendDiff(w, diff);
    assert.equal(await w.page.locator('.toolbar .changed-only input').isChecked(), false);
    assert.equal(await w.page.locator('g.node').count(), all);
    assert.deepEqual(await w.cspViolations(), []);
  });
});
