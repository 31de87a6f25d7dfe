/**
 * The graph preview's view model and layout (client/webview/graph/model.ts, layout.ts), pure: recipe
 * groups nest as the converge entered them (a recipe without resources of its own on the way too),
 * collapsed groups and custom resources stand for what is inside them, the first view stays within its
 * budget, and the layout fills rows of the given width without overlaps, in converge order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Graph } from '../../server/src/protocol';
import { layoutGraph, metricsFor, type Box } from '../../client/webview/graph/layout';
import { buildViewModel, firstViewCollapsed, groupsAround, isGroupKey, type ViewModel } from '../../client/webview/graph/model';
import { cookbookGraph } from '../webview/fixtures/cookbookGraph';

const fixture = (name: string): Graph => JSON.parse(readFileSync(path.join(__dirname, '../webview/fixtures', `${name}.graph.json`), 'utf8'));
const none = new Set<string>();
const build = (graph: Graph, o: { expanded?: Set<string>; collapsed?: Set<string> } = {}) =>
  buildViewModel(graph, { expanded: o.expanded ?? none, collapsed: o.collapsed ?? none, hiddenEdgeKinds: none });

describe('graph view model: recipe groups', () => {
  it('nests included recipes where the include happened, with a resource-less includer as a group of its own', () => {
    const model = build(fixture('fx_wrapper'));
    assert.deepEqual(model.roots, ['recipe:fx_wrapper::default']);
    const root = model.groups.get('recipe:fx_wrapper::default')!;
    // fx_wrapper::default includes fx_base::default (which declares nothing itself) before its own two resources.
    assert.deepEqual(root.items, ['recipe:fx_base::default', 'template[/etc/apache2/conf-available/fx-status.conf]', 'execute[a2enconf fx-status]']);
    const base = model.groups.get('recipe:fx_base::default')!;
    assert.deepEqual(base.items, ['recipe:fx_base::packages', 'recipe:fx_base::yaml_recipe', 'recipe:fx_base::config', 'recipe:fx_base::service']);
    assert.equal(base.entry, 'include');
    assert.equal(model.groups.get('recipe:fx_base::config')!.depth, 2);
    assert.equal(root.resourceCount, fixture('fx_wrapper').resources.length);
    assert.deepEqual(groupsAround(model, 'group[fx]'), ['recipe:fx_wrapper::default', 'recipe:fx_base::default', 'recipe:fx_base::config']);
  });

  it('an includer that resumes after its include stays one group, the include inside it', () => {
    const model = build(fixture('webserver'));
    const root = model.groups.get('recipe:webserver::default')!;
    assert.equal(root.items[0], 'recipe:webserver::packages');
    assert.ok(root.items.includes('service[nginx]'));
    assert.equal(model.groups.size, 2);
    // Entering the include is an include edge; the includer's next resource follows in converge order.
    assert.ok(model.edges.some((e) => e.kind === 'order' && e.from === 'recipe:webserver::packages' && e.to === 'group[webserver]'));
  });

  it('a collapsed recipe stands for everything inside it: nodes, nested includes, notifications', () => {
    const graph = fixture('fx_wrapper');
    const model = build(graph, { collapsed: new Set(['recipe:fx_base::default']) });
    assert.equal(model.shownAs.get('cookbook_file[/opt/fx/bin/fx-agent]'), 'recipe:fx_base::default');
    assert.ok(!model.visible.includes('service[fx-agent]'));
    assert.ok(!model.visibleGroups.includes('recipe:fx_base::config'), 'its nested includes are not drawn');
    assert.ok(model.visibleGroups.includes('recipe:fx_base::default'), 'the collapsed group is drawn, as a bar');
    // Notifications inside it vanish; one leaving it starts at the group.
    assert.ok(!model.edges.some((e) => e.kind === 'notifies' && e.from === e.to));
    assert.ok(!model.edges.some((e) => e.kind === 'notifies' && (e.from === 'template[/etc/fx/fx.conf]')));
    assert.equal(model.edges.filter((e) => e.kind === 'notifies' && e.from === 'template[/etc/apache2/conf-available/fx-status.conf]').length, 1);
  });

  it('custom resource internals sit behind their instance with a count of every level', () => {
    const model = build(fixture('fx_custom'));
    const app = model.nodes.get('fx_custom_app[reports]')!;
    assert.equal(app.childKeys.length, 3);
    assert.equal(app.inside, 5, 'its nested fx_custom_service and that one\'s two resources');
    assert.equal(model.shownAs.get('systemd_unit[fx-app-reports.service]'), 'fx_custom_app[reports]');
    const open = build(fixture('fx_custom'), { expanded: new Set(['fx_custom_app[reports]']) });
    assert.equal(open.shownAs.get('systemd_unit[fx-app-reports.service]'), 'fx_custom_service[fx-app-reports]');
    assert.equal(open.nodes.get('template[/opt/fx_custom/reports/app.conf]')!.group, 'recipe:fx_custom::default');
  });
});

describe('graph view model: the first view', () => {
  it('opens a small run whole', () => {
    assert.equal(firstViewCollapsed(build(cookbookGraph(100)), 150).size, 0);
  });

  it('opens a 2,000-resource run as its first recipes within the budget, the rest as bars', () => {
    const graph = cookbookGraph(2000);
    const all = build(graph);
    const collapsed = firstViewCollapsed(all, 150);
    const model = build(graph, { collapsed });
    const drawn = model.visible.length + model.visibleGroups.filter((g) => !model.groups.get(g)!.expanded).length;
    assert.ok(drawn <= 150, `boxes drawn: ${drawn}`);
    assert.ok(collapsed.size > 0 && model.visible.length > 50, `${model.visible.length} resources drawn, ${collapsed.size} recipes collapsed`);
    assert.ok(!collapsed.has('recipe:shop::default') && !collapsed.has(`recipe:${graph.recipes[0].includes[0]}`), 'the run starts open');
  });
});

/** Whether two boxes overlap (touching edges do not). */
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, outer: Box) => a.x >= outer.x && a.y >= outer.y && a.x + a.width <= outer.x + outer.width && a.y + a.height <= outer.y + outer.height;

function siblings(model: ViewModel): string[][] {
  const out: string[][] = [model.roots];
  for (const key of model.visibleGroups) if (model.groups.get(key)!.expanded) out.push(model.groups.get(key)!.items);
  for (const key of model.visible) if (model.nodes.get(key)!.expanded) out.push(model.nodes.get(key)!.childKeys);
  return out;
}

describe('graph layout', () => {
  const graph = cookbookGraph(500);
  const model = build(graph, { expanded: new Set(graph.resources.filter((r) => r.custom).map((r) => r.id)) });
  const m = metricsFor(15);
  const width = 1000;
  const layout = layoutGraph(model, m, width);

  it('sizes everything from the font size', () => {
    assert.ok(m.nodeHeight >= 3 * 15 && m.nodeWidth >= 15 * 15);
    assert.ok(metricsFor(20).nodeWidth > m.nodeWidth);
  });

  it('places every drawn box within the width, siblings apart, members inside their group', () => {
    for (const key of [...model.visible, ...model.visibleGroups]) {
      const b = layout.boxes.get(key);
      assert.ok(b, `box for ${key}`);
      assert.ok(b.x >= 0 && b.x + b.width <= width + 0.5, `${key} within the width`);
    }
    for (const list of siblings(model)) {
      const boxes = list.map((k) => layout.boxes.get(k)!);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!overlaps(boxes[i], boxes[j]), `${list[i]} and ${list[j]} overlap`);
    }
    for (const key of model.visible) {
      const n = model.nodes.get(key)!;
      const holder = n.parentKey ?? n.group;
      assert.ok(inside(layout.boxes.get(key)!, layout.boxes.get(holder)!), `${key} inside ${holder}`);
    }
    for (const key of model.visibleGroups) {
      const parent = model.groups.get(key)!.parentGroup;
      if (parent) assert.ok(inside(layout.boxes.get(key)!, layout.boxes.get(parent)!), `${key} inside ${parent}`);
    }
  });

  it('reads in converge order: left to right, then the next row; rows use the width', () => {
    for (const list of siblings(model)) {
      for (let i = 1; i < list.length; i++) {
        const a = layout.boxes.get(list[i - 1])!, b = layout.boxes.get(list[i])!;
        assert.ok(b.y > a.y || (b.y === a.y && b.x > a.x), `${list[i]} after ${list[i - 1]}`);
      }
    }
    const rowOf = new Map<number, number>();
    for (const key of model.groups.get('recipe:shop::default')!.items.filter((k) => !isGroupKey(k))) {
      const y = layout.boxes.get(key)!.y;
      rowOf.set(y, (rowOf.get(y) ?? 0) + 1);
    }
    assert.ok(Math.max(...rowOf.values()) >= 3, 'three columns in 1,000 px at 15 px');
  });

  it('routes every edge between drawn boxes, from the source box to the target box', () => {
    assert.equal(layout.edges.length, model.edges.length);
    for (const { edge, points } of layout.edges) {
      const a = layout.boxes.get(edge.from)!, b = layout.boxes.get(edge.to)!;
      const near = (p: { x: number; y: number }, box: Box) => p.x >= box.x - 1 && p.x <= box.x + box.width + 1 && p.y >= box.y - 1 && p.y <= box.y + box.height + 1;
      assert.ok(near(points[0], a) && near(points[points.length - 1], b), `${edge.key} ends on its boxes`);
    }
  });
});
