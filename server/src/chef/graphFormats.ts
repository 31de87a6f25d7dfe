/**
 * The Graph in other notations: Graphviz DOT, Mermaid, and a plain text outline. Resource names,
 * actions and guards are the cookbook's text: each notation gets them escaped for its own syntax, so
 * no name can end a string, start a statement (a Mermaid `click`), or become HTML or a line of its own.
 */
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

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * A DOT quoted ID: inside quotes the parser gives meaning to `\"`, `\\` and a backslash before a
 * line break, so every backslash is doubled, quotes escaped and line breaks written `\n`. Nothing
 * is ever HTML-like (`<…>`): every ID and label is quoted.
 */
export function dotId(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(LINE_BREAK, '\\n') + '"';
}

/**
 * A DOT label of plain text: as an ID (with every backslash doubled, no `\N`, `\G` or `\l` of the
 * text expands, and `\n` is a line break), and `&` as `&amp;`: Graphviz decodes entities in labels.
 */
export function dotLabel(s: string): string {
  return dotId(s.replace(/&/g, '&amp;'));
}

/** Characters kept as they are in a Mermaid label; any other ASCII one becomes an entity code (`#35;`). */
const MERMAID_PLAIN = /[A-Za-z0-9 _.,:/+=@'!?*~^$-]/;

/**
 * Mermaid label text (always written inside quotes): `"`, `#`, `<`, `>`, `&`, `|`, `;`, backticks,
 * brackets and every other ASCII punctuation or control character as Mermaid's `#code;` entities
 * (no HTML, no end of the string, no markdown string), line breaks as `<br/>` (ours, not the text's).
 */
export function mermaidText(s: string): string {
  return s.split(LINE_BREAK).map((line) => Array.from(line, (c) => {
    const code = c.codePointAt(0)!;
    if (code > 0x7f && code !== 0x85 && code !== 0x2028 && code !== 0x2029) return c;
    return MERMAID_PLAIN.test(c) ? c : `#${code};`;
  }).join('')).join('<br/>');
}

function edgeKey(e: GraphEdge): string {
  return e.kind === 'notifies' ? `notifies:${e.timing ?? 'delayed'}` : e.kind;
}

export function toDot(g: Graph): string {
  const lines = ['digraph cloche {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica", fontsize=10];'];
  g.resources.forEach((r, i) => {
    const style = r.conditional || r.repeated ? ', style=dashed' : '';
    lines.push(`  ${dotId(r.id)} [label=${dotLabel(`${i + 1}. ${r.id}\n${r.actions.map(actionLabel).join(', ')}`)}${style}];`);
  });
  for (let i = 1; i < g.resources.length; i++) lines.push(`  ${dotId(g.resources[i - 1].id)} -> ${dotId(g.resources[i].id)} [style=invis];`);
  for (const e of g.edges) {
    if (e.kind === 'include') continue;
    const label = e.action ? `, label=${dotLabel(`${e.action}${e.timing ? ' (' + e.timing + ')' : ''}`)}` : '';
    lines.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [${EDGE_STYLE[edgeKey(e)] ?? ''}${label}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toMermaid(g: Graph): string {
  const ids = new Map<string, string>();
  const idOf = (s: string) => { if (!ids.has(s)) ids.set(s, `n${ids.size}`); return ids.get(s)!; };
  const lines = ['flowchart TD'];
  g.resources.forEach((r, i) => lines.push(`  ${idOf(r.id)}["${mermaidText(`${i + 1}. ${r.id}`)}<br/>${mermaidText(r.actions.map(actionLabel).join(', '))}"]`));
  for (const e of g.edges) {
    if (e.kind === 'include') continue;
    const arrow = e.kind === 'contains' ? '---' : e.timing === 'immediately' ? '==>' : '-.->';
    const label = e.action ? `|"${mermaidText(`${e.kind} ${e.action}${e.timing ? ' ' + e.timing : ''}`)}"|` : '';
    lines.push(`  ${idOf(e.from)} ${arrow}${label} ${idOf(e.to)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A line of the text outline: line breaks and other control characters of the cookbook's text written
 * as escapes (`\n`, `\u{1b}`), so a name cannot forge outline lines or send a terminal escape sequence.
 */
export function visibleLine(s: string): string {
  return s.replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

export function toText(g: Graph): string {
  const lines = [`Run list: ${g.runList.join(', ')} on ${g.platform}`, ''];
  g.resources.forEach((r, i) => {
    const indent = r.parent ? '    ' : '';
    const marks = [r.conditional ? `conditional: ${r.conditional}` : '', r.repeated ? `repeated: ${r.repeated}` : '', r.compileTime ? 'compile time' : ''].filter(Boolean);
    lines.push(`${indent}${String(i + 1).padStart(3)}. ${r.id}  ${r.actions.map(actionLabel).join(', ')}${r.type !== r.resolvedType ? `  (${r.resolvedType})` : ''}  ${r.origin}${marks.length ? '  [' + marks.join('; ') + ']' : ''}`);
    for (const n of r.notifies) lines.push(`${indent}       ${n.kind} ${actionLabel(n.action)} → ${n.resolved ?? n.target + ' (unresolved)'} (${n.timing})`);
    for (const gd of r.guards) lines.push(`${indent}       ${gd.kind} ${gd.command ?? gd.source}${gd.value !== undefined ? ` → ${gd.value}` : gd.unknownReason ? ' → unknown' : ''}`);
    if (r.content) {
      lines.push(`${indent}       content${r.content.source ? ` (${r.content.source})` : ''}:`);
      for (const l of renderedTextForPeople(r.content.text).replace(/\n$/, '').split('\n')) lines.push(`${indent}       | ${l}`);
    }
  });
  return lines.map(visibleLine).join('\n') + '\n';
}
