/**
 * Whether text built from hostile recipes stays inert where it lands: Markdown (hovers), DOT and
 * Mermaid (graph exports). Each check returns what it found wrong, empty when the output is safe.
 */

/** Removes code spans and fences (their text is shown literally), so what is left is what Markdown interprets. */
export function outsideCode(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] === '\\') { out += markdown.slice(i, i + 2); i += 2; continue; }
    if (markdown[i] !== '`') { out += markdown[i++]; continue; }
    let run = 0;
    while (markdown[i + run] === '`') run++;
    const fence = '`'.repeat(run);
    let close = markdown.indexOf(fence, i + run);
    while (close >= 0 && markdown[close + run] === '`') close = markdown.indexOf(fence, close + run + 1);
    if (close < 0) { out += fence; i += run; continue; }
    out += ' ';
    i = close + run;
  }
  return out;
}

/** Links, images and HTML that Markdown would make live out of the payloads above (Cloche's own links are not theirs). */
export function liveMarkup(markdown: string): string[] {
  const text = outsideCode(markdown).replace(/\\./g, ' ');
  const found: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]\n]*\]\([^)]*\)|<(?:img|a|script|iframe)\b[^>]*>/gi)) {
    if (/attacker\.invalid|workbench\.action|cloche\.converge|onerror|^<a\b/i.test(m[0])) found.push(m[0]);
  }
  return found;
}

/** DOT: every quoted string closed on its line of text, no HTML-like labels (`label=<…>`) around recipe text. */
export function dotProblems(dot: string): string[] {
  const problems: string[] = [];
  let inString = false;
  for (let i = 0; i < dot.length; i++) {
    const c = dot[i];
    if (inString) {
      if (c === '\\') { i++; continue; }
      if (c === '"') inString = false;
      else if (c === '\n') problems.push(`raw newline inside a quoted string at offset ${i}`);
    } else if (c === '"') inString = true;
    else if (c === '<') problems.push(`HTML-like label at offset ${i}: ${dot.slice(i, i + 30)}`);
  }
  if (inString) problems.push('a quoted string is never closed');
  return problems;
}

/** Mermaid: labels quoted with no raw quote, angle bracket (besides Cloche's own `<br/>`) or statement inside. */
export function mermaidProblems(mermaid: string): string[] {
  const problems: string[] = [];
  const lines = mermaid.split('\n');
  lines.forEach((line, n) => {
    const quotes = (line.match(/"/g) ?? []).length;
    if (quotes % 2) problems.push(`line ${n + 1}: unbalanced quotes: ${line}`);
    if (/[<>]/.test(line.replace(/<br\/>/g, '').replace(/[-=.]+>/g, ''))) problems.push(`line ${n + 1}: raw angle bracket: ${line}`);
    if (n > 0 && !/^\s+(n\d+|subgraph\b|end\b|classDef\b|class\b|style\b|linkStyle\b)/.test(line) && line.trim()) problems.push(`line ${n + 1}: not a node or edge statement: ${line}`);
  });
  return problems;
}
