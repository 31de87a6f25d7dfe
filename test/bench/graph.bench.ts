/**
 * Graph preview figures in headless Chromium: first render of a 2,000-resource graph (message in →
 * laid out, drawn and painted), then updates after an edit: a property change (no structural change) and
 * a resource added to one recipe. Prints figures; asserts nothing about speed (design.md).
 * Run: npm run build && node --import tsx test/bench/graph.bench.ts [resources]
 */
import type { FromWebview } from '../../client/webview/messages';
import type { Graph } from '../../server/src/protocol';
import { chromiumAvailable, WebviewBrowser, type WebviewPage } from '../webview/harness';
import { syntheticGraph } from '../webview/fixtures/syntheticGraph';

const size = Number(process.argv[2] ?? 2000);
const source = { kind: 'runList', runList: ['big::r0'], label: 'big::r0' } as const;

/** Posts a graph and waits for the webview's `rendered` report; wall time is measured inside the page. */
type Rendered = Extract<FromWebview, { type: 'rendered' }>;

/** `wallMs`: until the first drawing is painted; `completeMs`: until every segment is laid out by ELK. */
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

async function main(): Promise<void> {
  if (!chromiumAvailable()) return;
  const browser = await WebviewBrowser.launch();
  try {
    const rows: string[] = [];
    for (let run = 1; run <= 3; run++) {
      const w = await browser.open({ width: 1400, height: 900 });
      const graph = syntheticGraph(size);
      const first = await timeRender(w, graph, 1);
      const edited = structuredClone(graph);
      edited.resources[size / 2].properties.mode = '0600';
      const prop = await timeRender(w, edited, 2);
      const added = structuredClone(edited);
      const at = added.resources.findIndex((r, i) => i > size / 2 && !r.parent && r.type === 'file');
      added.resources.splice(at + 1, 0, { ...added.resources[at], id: 'file[/etc/new.conf]', name: '/etc/new.conf' });
      const struct = await timeRender(w, added, 3);
      rows.push(`run ${run}: first render ${first.wallMs.toFixed(0)} ms (layout ${first.report.layoutMs.toFixed(0)}, draw ${first.report.renderMs.toFixed(0)}; ${first.report.nodes} nodes, ${first.report.edges} edges), all segments by ELK ${first.completeMs.toFixed(0)} ms · ` +
        `edit a property ${prop.wallMs.toFixed(0)} ms · add a resource ${struct.wallMs.toFixed(0)} ms (layout ${struct.report.layoutMs.toFixed(0)})`);
      await w.page.close();
    }
    console.log(`graph preview, ${size} resources, headless Chromium (new page per run):\n  ${rows.join('\n  ')}`);
  } finally {
    await browser.close();
  }
}

void main();
