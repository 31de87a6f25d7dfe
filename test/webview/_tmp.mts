import { syntheticGraph } from './fixtures/syntheticGraph';
const opts = JSON.parse(process.argv[2] || '{}');
(globalThis as any).__ELK_OPTS = opts;
const { buildViewModel } = await import('../../client/webview/graph/model');
const { GraphLayouter } = await import('../../client/webview/graph/layout');
const g = syntheticGraph(2000);
const res = [];
for (let k = 0; k < 3; k++) {
  const m = buildViewModel(g, { expanded: new Set(), hiddenEdgeKinds: new Set() });
  const t1 = performance.now();
  const lay = await new GraphLayouter().layout(m);
  res.push(Math.round(performance.now() - t1));
  if (k == 2) console.log(JSON.stringify(opts), res, lay.width, lay.height);
}
