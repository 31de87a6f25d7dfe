/**
 * Exports of what the preview shows: SVG (the drawing itself, standalone with its own light stylesheet),
 * and Graphviz DOT and Mermaid from the core's formatters (the same text `cloche graph --format dot`
 * prints), with the edge kinds hidden in the preview left out.
 */
import type { Graph } from '../../../server/src/protocol';
import { toDot, toMermaid } from '../../../server/src/chef/graphFormats';
import type { ExportFormat } from '../messages';
import type { Layout } from './layout';

/** The export's own light stylesheet, at the font size the drawing was laid out for. */
const exportCss = (font: number) => `
text { font: ${font}px ui-sans-serif, system-ui, sans-serif; fill: #1f2328; }
.recipe-group > .group-box { fill: #f6f8fa; stroke: #d0d7de; }
.recipe-group.collapsed > .group-box { fill: #eaeef2; }
.recipe-group .header-hit { fill: none; }
.segment-label { font-weight: 600; }
.recipe-group .chevron, .recipe-group .group-count { fill: #57606a; }
.node .box { fill: #ffffff; stroke: #8c959f; }
.node.group > .box { fill: #f3f0ff; stroke: #9775fa; }
.node.custom .box { stroke: #9775fa; }
.node.conditional .box, .node.repeated .box { stroke-dasharray: 5 3; }
.node .title { font-weight: 600; }
.node .subtitle, .node .status-badge { fill: #57606a; }
.node .toggle { fill: #7048e8; font-weight: 600; }
.node.status-change .box { stroke: #d9480f; stroke-width: 2; }
.node.status-failed .box { stroke: #c92a2a; stroke-width: 2; }
.node.status-up-to-date .box { stroke: #2b8a3e; }
.edge { fill: none; stroke: #868e96; stroke-width: 1.2; }
.edge.kind-order { stroke: #ced4da; }
.edge.kind-include { stroke: #868e96; stroke-dasharray: 2 3; }
.edge.timing-immediately { stroke: #d9480f; stroke-width: 2; }
.edge.timing-delayed { stroke: #1c7ed6; stroke-dasharray: 6 4; }
.edge.timing-before { stroke: #ae3ec9; stroke-width: 2.4; }
.edge.kind-subscribes { stroke: #2b8a3e; stroke-dasharray: 2 3; }
.arrowhead { fill: #868e96; } .arrowhead.order { fill: #ced4da; } .arrowhead.notifies-immediately { fill: #d9480f; }
.arrowhead.notifies-delayed { fill: #1c7ed6; } .arrowhead.notifies-before { fill: #ae3ec9; } .arrowhead.subscribes { fill: #2b8a3e; }
.diff-outline { fill: none; stroke-width: 2.5; } .diff-added > .diff-outline { stroke: #2b8a3e; } .diff-changed > .diff-outline { stroke: #b35900; }
.diff-may-change > .diff-outline { stroke: #bf8803; stroke-dasharray: 4 3; } .diff-badge { font-weight: 600; }
.diff-added .diff-badge { fill: #2b8a3e; } .diff-changed .diff-badge { fill: #b35900; } .diff-may-change .diff-badge { fill: #bf8803; }
.removed-group > .group-box { fill: #fff5f5; stroke: #c92a2a; stroke-dasharray: 6 4; } .removed-group .group-count { fill: #57606a; }
.removed-entry .box { fill: #ffffff; stroke: #c92a2a; } .removed-entry .title { font-weight: 600; text-decoration: line-through; fill: #c92a2a; }
.removed-entry .subtitle { fill: #57606a; }
`;

/** The graph without the edge kinds the user hid. */
export function visibleGraph(graph: Graph, hiddenEdgeKinds: ReadonlySet<string>): Graph {
  return { ...graph, edges: graph.edges.filter((e) => !hiddenEdgeKinds.has(e.kind)) };
}

/** A standalone SVG document of the current drawing. */
export function exportSvg(svg: SVGSVGElement, viewport: SVGGElement, layout: Layout): string {
  const margin = 20;
  const out = svg.cloneNode(false) as SVGSVGElement;
  out.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  out.setAttribute('width', String(Math.ceil(layout.width + 2 * margin)));
  out.setAttribute('height', String(Math.ceil(layout.height + 2 * margin)));
  out.setAttribute('viewBox', `${-margin} ${-margin} ${Math.ceil(layout.width + 2 * margin)} ${Math.ceil(layout.height + 2 * margin)}`);
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = exportCss(layout.metrics.font);
  out.appendChild(style);
  const defs = svg.querySelector('defs');
  if (defs) out.appendChild(defs.cloneNode(true));
  const content = viewport.cloneNode(true) as SVGGElement;
  content.removeAttribute('transform');
  out.appendChild(content);
  return new XMLSerializer().serializeToString(out);
}

export function exportText(format: Exclude<ExportFormat, 'svg'>, graph: Graph, hiddenEdgeKinds: ReadonlySet<string>): string {
  const g = visibleGraph(graph, hiddenEdgeKinds);
  return format === 'dot' ? toDot(g) : toMermaid(g);
}

export function exportFileName(graph: Graph, format: ExportFormat): string {
  const base = (graph.runList[0] ?? 'graph').replace(/[^A-Za-z0-9_.-]+/g, '_');
  return `${base}.${graph.platform}.${format === 'mermaid' ? 'mmd' : format}`;
}
