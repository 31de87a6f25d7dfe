/**
 * A run comparison in the graph's view model, pure (client/webview/graph/diffMarks.ts, model.ts,
 * layout.ts): a mark finds its node by id and occurrence, rolls up onto the collapsed box standing for
 * it, "Changed only" keeps the marked nodes with what holds them, and removed resources are laid out
 * after the run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Graph } from '../../server/src/protocol';
import type { GraphRunDiff } from '../../client/webview/messages';
import { diffBadges, diffDecorations, diffLine, marksByKey } from '../../client/webview/graph/diffMarks';
import { layoutGraph, metricsFor } from '../../client/webview/graph/layout';
import { buildViewModel, nodeKey, REMOVED_GROUP_KEY, type ViewOptions } from '../../client/webview/graph/model';

const webserver = (): Graph => JSON.parse(readFileSync(path.join(__dirname, '../webview/fixtures/webserver.graph.json'), 'utf8'));
const none = new Set<string>();
const build = (graph: Graph, o: Partial<ViewOptions> = {}) => buildViewModel(graph, { expanded: none, collapsed: none, hiddenEdgeKinds: none, ...o });

const SITE = 'webserver_site[default]';
const SITE_TEMPLATE = 'template[/etc/nginx/conf.d/site-default.conf]';
const SITE_FILE = 'file[/srv/webserver/sites/default/index.html]';

describe('graph view: run comparison marks', () => {
  it('finds the nth resource with a repeated id by its 0-based occurrence, as the model keys it', () => {
    const graph = webserver();
    const repeated = graph.resources.find((r) => r.id === 'service[nginx]')!;
    graph.resources.push({ ...repeated }, { ...repeated });
    const model = build(graph);
    assert.equal(nodeKey('service[nginx]'), 'service[nginx]');
    assert.equal(nodeKey('service[nginx]', 2), 'service[nginx]#3');
    assert.ok(model.nodes.has(nodeKey('service[nginx]', 1)) && model.nodes.has(nodeKey('service[nginx]', 2)));
    const marks = marksByKey({ label: 'x', removed: [], marks: [{ resource: 'service[nginx]', occurrence: 2, status: 'changed' }] });
    assert.deepEqual([...diffDecorations(model, marks).keys()], ['service[nginx]#3']);
  });

  it('rolls marks up on a collapsed custom resource (most telling status) and spreads them when expanded', () => {
    const diff: GraphRunDiff = { label: 'HEAD → working tree (debian-12)', removed: [], marks: [
      { resource: SITE_TEMPLATE, status: 'may-change' }, { resource: SITE_FILE, status: 'changed' }, { resource: 'package[cron]', status: 'added', summary: 'added' },
    ] };
    const marks = marksByKey(diff);
    const collapsed = diffDecorations(build(webserver()), marks);
    const site = collapsed.get(SITE)!;
    assert.equal(site.own, undefined);
    assert.equal(site.status, 'changed');
    assert.deepEqual(site.inside, { added: 0, changed: 1, 'may-change': 1 });
    assert.deepEqual(diffBadges(site), ['1 changed, 1 may change inside', '±1 ≈1 inside']);
    assert.equal(collapsed.get('package[cron]')!.own?.status, 'added');
    const expanded = diffDecorations(build(webserver(), { expanded: new Set([SITE]) }), marks);
    assert.equal(expanded.has(SITE), false);
    assert.equal(expanded.get(SITE_FILE)!.status, 'changed');
    // A collapsed recipe stands for what it holds.
    const recipe = diffDecorations(build(webserver(), { collapsed: new Set(['recipe:webserver::packages']) }), marks);
    assert.deepEqual(recipe.get('recipe:webserver::packages')!.inside, { added: 1, changed: 0, 'may-change': 0 });
    assert.equal(diffLine(diff), 'HEAD → working tree (debian-12): 1 added, 0 removed, 1 changed, 1 may change');
  });

  it('"Changed only" keeps the marked nodes, the custom resources and recipes holding them, and the edges between them', () => {
    const graph = webserver();
    const only = new Set(['package[cron]', SITE_FILE]);
    const model = build(graph, { only, expanded: new Set([SITE]) });
    assert.deepEqual(model.visible, ['package[cron]', SITE, SITE_FILE]);
    assert.deepEqual(model.visibleGroups, ['recipe:webserver::default', 'recipe:webserver::packages']);
    assert.deepEqual(model.groups.get('recipe:webserver::packages')!.shownItems, ['package[cron]']);
    assert.equal(model.groups.get('recipe:webserver::packages')!.items.length, 3, 'the whole recipe is still counted');
    assert.equal(model.shownAs.has('apt_update[webserver]'), false);
    for (const e of model.edges) assert.ok(model.visible.includes(e.from) || model.visibleGroups.includes(e.from), `${e.from} is drawn`);
    const layout = layoutGraph(model, metricsFor(14), 1200);
    assert.equal(layout.boxes.has('apt_update[webserver]'), false);
    assert.ok(layout.boxes.has(SITE_FILE));
  });

  it('lays the removed resources out in a block after the run', () => {
    const location = { file: 'recipes/default.rb', line: 3, column: 1 };
    const model = build(webserver(), { removed: [{ resource: 'service[apache2]', type: 'service', location }, { resource: 'package[apache2]', type: 'package', location }] });
    assert.deepEqual(model.removed.map((r) => r.key), ['removed:0', 'removed:1']);
    const layout = layoutGraph(model, metricsFor(14), 1200);
    const block = layout.boxes.get(REMOVED_GROUP_KEY)!;
    const run = layout.boxes.get('recipe:webserver::default')!;
    assert.ok(block.y >= run.y + run.height);
    for (const r of model.removed) {
      const b = layout.boxes.get(r.key)!;
      assert.ok(b.y >= block.y && b.y + b.height <= block.y + block.height && b.x >= block.x);
    }
    assert.equal(layout.height, block.y + block.height);
  });
});
