/**
 * The graph exports (server/src/chef/graphFormats.ts, also the graph view's DOT and Mermaid export)
 * with resource names, actions and guards that carry each notation's syntax: quotes, backslashes,
 * line breaks, `<>`, `\N`, `;`, `-->`, a Mermaid `click` line. The check is structural (every
 * statement one line of the expected shape, every label a closed quoted string that unescapes to
 * exactly the cookbook's text); where Graphviz's `dot` is installed, it also parses the DOT.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Model } from '../../server/src/chef/model';
import { getPlatformProfile } from '../../server/src/chef/platforms';
import { toDot, toMermaid, toText } from '../../server/src/chef/graphFormats';
import { actionLabel, type Graph } from '../../server/src/protocol';

/** Resource names as the cookbook means them. */
const NAMES = [
  'a"b\\"c',
  'back\\slash \\N \\G \\l end\\',
  'two\nlines\r\nthird',
  '<img src=x onerror=alert(1)> <b>bold</b>',
  'x"];\n  click n0 call alert(1)\n  n9["y',
  'arrow --> n1 ==> n2 -.-> |lbl| #quot; #35; &amp; ; %% comment',
];
/** A Ruby double-quoted literal of a string. */
const ruby = (s: string) => `"${s.replace(/[\\"#]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-graph-formats-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
write('g/metadata.rb', "name 'g'\nversion '1.0.0'\n");
write('g/recipes/default.rb', [
  ...NAMES.map((n, i) => `execute ${ruby(n)} do\n  command 'true'\n  action :nothing\n${i ? `  subscribes :run, ${ruby(`execute[${NAMES[0]}]`)}, :immediately\n` : ''}  not_if ${ruby(`test -f '${n}'`)}\nend`),
  `log 'x' do\n  notifies :run, ${ruby(`execute[${NAMES[0]}]`)}, :delayed\nend`,
  '',
].join('\n'));
const facts = getPlatformProfile('debian-12')!;
const model = new Model([root]);
const graph: Graph = model.graph(model.compile(['g::default'], facts), ['g::default']);
const ids = graph.resources.map((r) => r.id);

describe('graph exports with hostile names', () => {
  it('the graph holds the names as the cookbook wrote them (line breaks, quotes, backslashes)', () => {
    for (const n of NAMES) assert.ok(ids.includes(`execute[${n}]`), `${JSON.stringify(n)} in ${JSON.stringify(ids)}`);
    assert.ok(graph.edges.some((e) => e.kind !== 'include' && e.kind !== 'contains'), 'some notification edges');
  });

  it('DOT: every statement one line, every ID and label a closed quoted string that unescapes to the text', () => {
    const dot = toDot(graph);
    const lines = dot.trimEnd().split('\n');
    assert.equal(lines[0], 'digraph cloche {');
    assert.equal(lines.at(-1), '}');
    const QUOTED = String.raw`"(?:[^"\\\n]|\\[^\n])*"`;
    const ATTR = String.raw`\w+=(?:${QUOTED}|[\w.#-]+)`;
    const statement = new RegExp(String.raw`^  (?:${QUOTED}(?: -> ${QUOTED})? \[(?:${ATTR}(?:, ${ATTR})*)?\]|rankdir=TB|node \[(?:${ATTR}(?:, ${ATTR})*)\]);$`);
    for (const line of lines.slice(1, -1)) assert.match(line, statement, `not one DOT statement: ${JSON.stringify(line)}`);
    assert.ok(!/label=</.test(dot), 'no HTML-like label');
    // A label's escapes: \" and \\ as the parser reads them, \n as a line break (no \N, \G or \l left to expand), &amp; as Graphviz decodes it.
    const unescape = (q: string) => q.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)).replace(/&amp;/g, '&');
    const labels = [...dot.matchAll(new RegExp(String.raw`^  (${QUOTED}) \[label=(${QUOTED})`, 'gm'))];
    assert.equal(labels.length, graph.resources.length);
    graph.resources.forEach((r, i) => {
      // The DOT parser keeps `\\` in IDs (and edges name the same ID), so IDs compare escaped.
      assert.equal(labels[i][1], `"${r.id.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n')}"`);
      assert.equal(unescape(labels[i][2]), `${i + 1}. ${r.id.replace(/\r\n|\r/g, '\n')}\n${r.actions.map(actionLabel).join(', ')}`);
    });
  });

  const dot = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  it('DOT: Graphviz reads one node per resource, each labelled with its text', { skip: dot.status === 0 || process.env.CI ? false : 'SKIPPED: Graphviz (dot) is not installed here; CI installs it' }, () => {
    const plain = spawnSync('dot', ['-Tplain'], { input: toDot(graph), encoding: 'utf8' });
    assert.equal(plain.status, 0, plain.stderr);
    const nodes = plain.stdout.split('\n').filter((l) => l.startsWith('node '));
    assert.equal(nodes.length, graph.resources.length, plain.stdout);
    // -Tplain writes labels as DOT strings again: the same escapes, so the same text comes back.
    for (const [i, r] of graph.resources.entries()) {
      const label = `${i + 1}. ${r.id.replace(/\r\n|\r/g, '\n')}\n${r.actions.map(actionLabel).join(', ')}`;
      assert.ok(nodes.some((n) => n.includes(`"${label.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)), `${JSON.stringify(label)} in ${plain.stdout}`);
    }
  });

  it('Mermaid: labels quoted, no raw quote, angle bracket, line break or statement from the text, entities decode to the text', () => {
    const mermaid = toMermaid(graph);
    const lines = mermaid.trimEnd().split('\n');
    assert.equal(lines[0], 'flowchart TD');
    const LABEL = '"[^"<>\\n]*(?:<br/>[^"<>\\n]*)*"';
    const node = new RegExp(`^  n\\d+\\[${LABEL}\\]$`);
    const edge = new RegExp(`^  n\\d+ (?:---|==>|-\\.->)(?:\\|${LABEL}\\|)? n\\d+$`);
    for (const line of lines.slice(1)) assert.ok(node.test(line) || edge.test(line), `not one Mermaid node or edge: ${JSON.stringify(line)}`);
    assert.ok(!lines.some((l) => /^\s*click\b/.test(l)), 'no click statement');
    const decode = (s: string) => s.replace(/#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
    const labels = lines.slice(1).filter((l) => node.test(l)).map((l) => /\["(.*)"\]$/.exec(l)![1]);
    graph.resources.forEach((r, i) => {
      // Line breaks of the name are Mermaid's `<br/>`, as is the one before the actions.
      const parts = labels[i].split('<br/>');
      const actions = parts.pop()!;
      assert.equal(decode(parts.join('\n')), `${i + 1}. ${r.id.split(/\r\n|\r|\n/).join('\n')}`);
      assert.equal(decode(actions), r.actions.map(actionLabel).join(', '));
    });
  });

  it('text: one outline line per resource and guard, line breaks and control characters shown as escapes', () => {
    const text = toText(graph);
    assert.ok(!/[\x00-\x08\x0b-\x1f\x7f]/.test(text), 'no control character but line breaks');
    const numbered = text.split('\n').filter((l) => /^\s*\d+\. /.test(l));
    assert.equal(numbered.length, graph.resources.length, 'a name cannot add outline lines');
    assert.ok(text.includes(String.raw`two\nlines\r\nthird`));
    const guards = text.split('\n').filter((l) => /^\s+not_if /.test(l));
    assert.equal(guards.length, NAMES.length);
  });
});
