/** The graph webview in headless Chromium: real CLI graphs render, clicks reveal, statuses show, data never runs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Graph } from '../../server/src/protocol';
import type { GraphSource } from '../../client/webview/messages';
import { chromiumAvailable, loadFixture, WebviewBrowser, type WebviewPage } from './harness';

const source: GraphSource = { kind: 'cookbook', cookbook: 'webserver', label: 'webserver::default' };
const platforms = ['debian-12', 'ubuntu-24.04', 'almalinux-9'];

describe('graph webview', { skip: !chromiumAvailable() && 'Chromium missing' }, () => {
  let browser: WebviewBrowser;
  before(async () => { browser = await WebviewBrowser.launch(); });
  after(async () => { await browser?.close(); });

  async function show(graph: Graph, seq = 1): Promise<WebviewPage> {
    const w = await browser.open();
    await w.send({ type: 'graph', seq, graph, source, platforms });
    await w.waitFor('rendered');
    return w;
  }

  it('renders the webserver graph from the CLI: every resource a node, notifications as delayed edges', async () => {
    const graph: Graph = loadFixture('webserver');
    const w = await show(graph);
    const nodes = await w.page.locator('g.node').count();
    const children = graph.resources.filter((r) => r.parent).length;
    assert.equal(nodes, graph.resources.length - children, 'custom resources start collapsed');
    // A notification from inside the collapsed custom resource is drawn from the custom resource itself.
    assert.equal(await w.page.locator('path.edge.kind-notifies.timing-delayed').count(), graph.edges.filter((e) => e.kind === 'notifies' && e.timing === 'delayed').length);
    assert.ok(await w.page.locator('path.edge.kind-order').count() > 0, 'converge order is drawn');
    assert.equal(await w.page.locator('.segment-label', { hasText: 'include_recipe webserver::packages' }).count(), 1);
    assert.equal(await w.page.locator('.toolbar select').inputValue(), 'debian-12');
    await w.screenshot('01-webserver-rendered');

    // Expanding the custom resource draws its children inside it.
    const custom = graph.resources.find((r) => r.custom)!;
    const rendered = (await w.posted()).length;
    await w.page.locator(`g.node[data-key="${custom.id}"] .toggle`).click();
    await w.waitFor('rendered', rendered);
    assert.equal(await w.page.locator('g.node').count(), graph.resources.length);
    assert.equal(await w.page.locator('g.node.group').count(), 1);
    await w.screenshot('02-webserver-custom-expanded');
    assert.deepEqual(await w.cspViolations(), []);
  });

  it('posts a reveal message with the source location when a node is clicked', async () => {
    const graph: Graph = loadFixture('webserver');
    const w = await show(graph);
    const target = graph.resources.find((r) => r.type === 'template')!;
    await w.page.locator(`g.node[data-key="${target.id}"]`).click();
    const reveal = await w.waitFor('reveal');
    assert.equal(reveal.resourceId, target.id);
    assert.deepEqual(reveal.location, target.location);
    assert.match(await w.page.locator('.details h2').innerText(), /template\[/);
    // Keyboard: Enter on a focused node reveals too.
    const before = (await w.posted()).length;
    await w.page.locator(`g.node[data-key="${graph.resources[0].id}"]`).focus();
    await w.page.keyboard.press('Enter');
    assert.equal((await w.waitFor('reveal', before)).resourceId, graph.resources[0].id);
  });

  it('shows plan statuses on the nodes after a dry run, rolled up on collapsed custom resources', async () => {
    const graph: Graph = loadFixture('webserver');
    const w = await show(graph);
    const pkg = graph.resources.find((r) => r.type === 'package')!;
    const child = graph.resources.find((r) => r.parent)!;
    await w.send({ type: 'planStatus', statuses: [
      { resource: pkg.id, status: 'change', summary: 'would install nginx 1.22.1' },
      { resource: graph.resources[0].id, status: 'up-to-date' },
      { resource: child.id, status: 'failed', summary: 'permission denied' },
    ] });
    await w.page.waitForSelector(`g.node.status-change[data-key="${pkg.id}"]`);
    assert.match(await w.page.locator(`g.node[data-key="${pkg.id}"] .status-badge`).textContent() ?? '', /change/);
    assert.equal(await w.page.locator(`g.node.status-up-to-date[data-key="${graph.resources[0].id}"]`).count(), 1);
    assert.equal(await w.page.locator(`g.node.status-failed[data-key="${child.parent}"]`).count(), 1);
    await w.screenshot('03-plan-statuses');
    await w.send({ type: 'planStatus', statuses: [] });
    await w.page.waitForSelector('g.node.status', { state: 'detached' });
  });

  it('says unknown values are unknown (fx_custom: a port computed from a helper)', async () => {
    const graph: Graph = loadFixture('fx_custom');
    const w = await show(graph);
    const r = graph.resources.find((x) => JSON.stringify(x.properties).includes('$unknown') && !x.parent)!;
    const node = w.page.locator(`g.node[data-key="${r.id}"]`);
    assert.match(await node.getAttribute('class') ?? '', /\bunknown\b/);
    await node.click();
    assert.match(await w.page.locator('.details td.unknown').first().innerText(), /‹unknown: calls `node`/);
    await w.screenshot('04-unknown-values');
  });

  it('renders names containing HTML as text and runs no script from data', async () => {
    const graph: Graph = loadFixture('webserver');
    const evil = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', '"><svg onload="window.__pwned=3">'];
    const res = graph.resources.slice(0, evil.length).map((r, i) => ({ ...r, name: evil[i], id: `file[${evil[i]}]`, properties: { content: evil[i] } }));
    const hostile: Graph = { ...graph, recipes: graph.recipes.map((r) => ({ ...r, id: r.id })), resources: [...res, ...graph.resources.slice(evil.length)].map((r) => ({ ...r, origin: r === res[0] ? '<b>cook</b>::<i>book</i>' : r.origin })), edges: [] };
    const w = await show(hostile);
    for (const e of evil) {
      const node = w.page.locator('g.node').filter({ has: w.page.locator('title', { hasText: e }) });
      assert.equal(await node.count(), 1, `node for ${e}`);
    }
    await w.page.locator(`g.node[data-key="${res[0].id.replace(/"/g, '\\"')}"]`).click();
    assert.equal(await w.page.locator('.details h2').innerText(), res[0].id);
    assert.equal(await w.page.locator('.details td').first().innerText(), JSON.stringify(evil[0]));
    const before = (await w.posted()).length;
    await w.page.locator('button', { hasText: 'SVG' }).click();
    const svg = await w.waitFor('export', before);
    assert.ok(svg.content.includes('&lt;img src=x'), 'export escapes the name');
    assert.equal(await w.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await w.page.locator('img, script:not([nonce]), svg svg, b, i').count(), 0);
    assert.ok(await w.page.locator('.segment-label', { hasText: '<b>cook</b>::<i>book</i>' }).count() >= 1);
    await w.screenshot('05-html-in-names-as-text');
    assert.deepEqual(await w.cspViolations(), []);
  });

  it('searches, filters edge kinds, exports DOT and Mermaid, and asks for another platform', async () => {
    const graph: Graph = loadFixture('fx_wrapper');
    const w = await show(graph);
    await w.page.locator('.toolbar input[type=search]').fill('template');
    const templates = graph.resources.filter((r) => r.id.includes('template') || r.resolvedType.includes('template') || r.origin.includes('template')).length;
    assert.equal(await w.page.locator('.matches').innerText(), `${templates} matches`);
    assert.equal(await w.page.locator('g.node:not(.dim)').count(), templates);
    await w.page.locator('.toolbar input[type=search]').press('Enter');
    assert.match(await w.page.locator('.details h2').innerText(), /template/);
    await w.screenshot('06-search');

    const notifies = await w.page.locator('path.edge.kind-notifies').count();
    assert.ok(notifies > 0);
    let n = (await w.posted()).length;
    await w.page.locator('.filters input[data-kind=notifies]').uncheck();
    await w.waitFor('rendered', n);
    assert.equal(await w.page.locator('path.edge.kind-notifies').count(), 0);

    n = (await w.posted()).length;
    await w.page.locator('button', { hasText: 'DOT' }).click();
    const dot = await w.waitFor('export', n);
    assert.match(dot.content, /^digraph cloche \{/);
    assert.doesNotMatch(dot.content, /penwidth=2/, 'hidden notifies edges are not exported');
    n = (await w.posted()).length;
    await w.send({ type: 'requestExport', format: 'mermaid' });
    const mmd = await w.waitFor('export', n);
    assert.match(mmd.content, /^flowchart TD/);
    assert.equal(mmd.suggestedName, 'fx_wrapper_default.debian-12.mmd');

    n = (await w.posted()).length;
    await w.page.locator('.toolbar select').selectOption('almalinux-9');
    assert.equal((await w.waitFor('setPlatform', n)).platform, 'almalinux-9');
  });

  it('highlights the resources under the cursor and drops late graphs', async () => {
    const graph: Graph = loadFixture('fx_wrapper');
    const w = await show(graph, 5);
    const id = graph.resources[graph.resources.length - 1].id;
    await w.send({ type: 'highlight', resourceIds: [id] });
    await w.page.waitForSelector(`g.node.highlighted[data-key="${id}"]`);
    const n = (await w.posted()).length;
    await w.send({ type: 'graph', seq: 4, graph: { ...graph, resources: graph.resources.slice(0, 3), edges: [] }, source, platforms });
    await w.send({ type: 'graph', seq: 6, graph: { ...graph, resources: graph.resources.slice(0, 5), edges: [] }, source, platforms });
    const r = await w.waitFor('rendered', n);
    assert.equal(r.seq, 6);
    assert.equal(await w.page.locator('g.node').count(), 5);
  });
});
