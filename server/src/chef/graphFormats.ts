/** The Graph in other notations: Graphviz DOT, Mermaid, and a plain text outline. */
import type { Graph, GraphEdge } from '../protocol';
import { actionLabel, renderedTextForPeople } from '../protocol';

const EDGE_STYLE: Record<string, string> = {
  'notifies:immediately': 'color="#d9480f", penwidth=2',
  'notifies:delayed': 'color="#1c7ed6", style=dashed',
  'notifies:before': 'color="#ae3ec9", style=bold',
  subscribes: 'color="#2b8a3e", style=dotted',
  include: 'color="#868e96"',
  contains: 'color="#adb5bd", arrowhead=none',
};

const q = (s: string) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

function edgeKey(e: GraphEdge): string {
  return e.kind === 'notifies' ? `notifies:${e.timing ?? 'delayed'}` : e.kind;
}

export function toDot(g: Graph): string {
  const lines = ['digraph cloche {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica", fontsize=10];'];
  g.resources.forEach((r, i) => {
    const style = r.conditional || r.repeated ? ', style=dashed' : '';
    lines.push(`  ${q(r.id)} [label=${q(`${i + 1}. ${r.id}\\n${r.actions.map(actionLabel).join(', ')}`)}${style}];`);
  });
  for (let i = 1; i < g.resources.length; i++) lines.push(`  ${q(g.resources[i - 1].id)} -> ${q(g.resources[i].id)} [style=invis];`);
  for (const e of g.edges) {
    if (e.kind === 'include') continue;
    const label = e.action ? `, label=${q(`${e.action}${e.timing ? ' (' + e.timing + ')' : ''}`)}` : '';
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [${EDGE_STYLE[edgeKey(e)] ?? ''}${label}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toMermaid(g: Graph): string {
  const ids = new Map<string, string>();
  const idOf = (s: string) => { if (!ids.has(s)) ids.set(s, `n${ids.size}`); return ids.get(s)!; };
  const esc = (s: string) => s.replace(/"/g, '#quot;').replace(/[[\]]/g, (c) => (c === '[' ? '#91;' : '#93;'));
  const lines = ['flowchart TD'];
  g.resources.forEach((r, i) => lines.push(`  ${idOf(r.id)}["${i + 1}. ${esc(r.id)}<br/>${esc(r.actions.map(actionLabel).join(', '))}"]`));
  for (const e of g.edges) {
    if (e.kind === 'include') continue;
    const arrow = e.kind === 'contains' ? '---' : e.timing === 'immediately' ? '==>' : '-.->';
    const label = e.action ? `|${esc(`${e.kind} ${e.action}${e.timing ? ' ' + e.timing : ''}`)}|` : '';
    lines.push(`  ${idOf(e.from)} ${arrow}${label} ${idOf(e.to)}`);
  }
  return lines.join('\n') + '\n';
}

export function toText(g: Graph): string {
  const lines = [`Run list: ${g.runList.join(', ')} on ${g.platform}`, ''];
  g.resources.forEach((r, i) => {
    const indent = r.parent ? '    ' : '';
    const marks = [r.conditional ? `conditional: ${r.conditional}` : '', r.repeated ? `repeated: ${r.repeated}` : '', r.compileTime ? 'compile time' : ''].filter(Boolean);
    lines.push(`${indent}${String(i + 1).padStart(3)}. ${r.id}  ${r.actions.map(actionLabel).join(', ')}${r.type !== r.resolvedType ? `  (${r.resolvedType})` : ''}  ${r.origin}${marks.length ? '  [' + marks.join('; ') + ']' : ''}`);
    for (const n of r.notifies) lines.push(`${indent}       ${n.kind} :${n.action} → ${n.resolved ?? n.target + ' (unresolved)'} (${n.timing})`);
    for (const gd of r.guards) lines.push(`${indent}       ${gd.kind} ${gd.command ?? gd.source}${gd.value !== undefined ? ` → ${gd.value}` : gd.unknownReason ? ' → unknown' : ''}`);
    if (r.content) {
      lines.push(`${indent}       content${r.content.source ? ` (${r.content.source})` : ''}:`);
      for (const l of renderedTextForPeople(r.content.text).replace(/\n$/, '').split('\n')) lines.push(`${indent}       | ${l}`);
    }
  });
  return lines.join('\n') + '\n';
}
