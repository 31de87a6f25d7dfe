/**
 * Graph preview figures in headless Chromium: first render of a 2,000-resource graph (message in →
 * laid out, drawn and painted) as it opens (recipes past the first view's budget collapsed), the same
 * with every recipe expanded (a view restored with nothing collapsed: every top-level box drawn), and
 * updates after an edit: a property change (no structural change) and a resource added to one recipe.
 * Prints figures; asserts nothing about speed (design.md).
 * Run: npm run build && node --import tsx test/bench/graph.bench.ts [resources]
 */
import type { FromWebview, GraphSource, GraphViewState } from '../../client/webview/messages';
import type { Graph } from '../../server/src/protocol';
import { chromiumAvailable, WebviewBrowser, type WebviewPage } from '../webview/harness';
import { syntheticGraph } from '../webview/fixtures/syntheticGraph';

const size = Number(process.argv[2] ?? 2000);
const source: GraphSource = { kind: 'runList', runList: ['big::r0'], label: 'big::r0' };

/** Posts a graph and waits for the webview's `rendered` report; wall time is measured inside the page. */
type Rendered = Extract<FromWebview, { type: 'rendered' }>;

/** `wallMs`: until the first drawing is painted; `completeMs`: until nothing is left to lay out. */
async function timeRender(w: WebviewPage, graph: Graph, seq: number): Promise<{ wallMs: number; completeMs: number; report: Rendered }> {
  const before = (await w.posted()).length;
  const message: unknown = { type: 'graph', seq, graph, source, platforms: ['debian-12'] };
  const [wallMs, completeMs] = await w.page.evaluate(([msg, after]: [unknown, number]) => new Promise<number[]>((resolve) => {
    const posted = (window as unknown as { __posted: { type: string; complete?: boolean }[] }).__posted;
    const t0 = performance.now();
    let first = 0;
    window.postMessage(msg, '*');
    const poll = () => {
      const rendered = posted.slice(after).filter((m) => m.type === 'rendered');
      if (rendered.length && !first) first = performance.now() - t0;
      if (rendered.some((m) => m.complete)) resolve([first, performance.now() - t0]);
      else setTimeout(poll, 1);
    };
    poll();
  }), [message, before] as [unknown, number]);
  return { wallMs, completeMs, report: await w.waitFor('rendered', before) };
}

const figures = (r: { wallMs: number; completeMs: number; report: Rendered }) =>
  `${r.wallMs.toFixed(0)} ms (layout ${r.report.layoutMs.toFixed(0)}, draw ${r.report.renderMs.toFixed(0)}; ${r.report.nodes} nodes, ${r.report.edges} edges), complete ${r.completeMs.toFixed(0)} ms`;

async function main(): Promise<void> {
  if (!chromiumAvailable()) return;
  const browser = await WebviewBrowser.launch();
  try {
    const rows: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const graph = syntheticGraph(size);
      const w = await browser.open({ width: 1400, height: 900 });
      const first = await timeRender(w, graph, 1);
      const edited = structuredClone(graph);
      edited.resources[size / 2].properties.mode = '0600';
      const prop = await timeRender(w, edited, 2);
      const added = structuredClone(edited);
      const at = added.resources.findIndex((r, i) => i > size / 2 && !r.parent && r.type === 'file');
      added.resources.splice(at + 1, 0, { ...added.resources[at], id: 'file[/etc/new.conf]', name: '/etc/new.conf' });
      const struct = await timeRender(w, added, 3);
      await w.page.close();
      // A view restored with no recipe collapsed: the whole run drawn at once.
      const state: GraphViewState = { source, search: '', hiddenEdgeKinds: [], expanded: [], collapsed: [] };
      const x = await browser.open({ width: 1400, height: 900 }, state);
      const expanded = await timeRender(x, graph, 1);
      await x.page.close();
      rows.push(`run ${run}: first render ${figures(first)} · every recipe expanded ${figures(expanded)} · ` +
        `edit a property ${prop.wallMs.toFixed(0)} ms · add a resource ${struct.wallMs.toFixed(0)} ms (layout ${struct.report.layoutMs.toFixed(0)})`);
    }
    console.log(`graph preview, ${size} resources, headless Chromium (new page per run):\n  ${rows.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

void main();
