/**
 * Recipe text in Markdown stays text: the escape functions (server/src/lang/markdown.ts), hovers of a
 * cookbook whose names, property values and attribute values are Markdown payloads, and the Plan
 * view's tooltip. Markdown is rendered with marked (VS Code's renderer): the HTML must hold no link
 * but Cloche's preview command, no image and no tag the text brought.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { marked } from 'marked';
import { mdCode, mdCodeBlock, mdCommandLink, mdTableCell, mdText } from '../../server/src/lang/markdown';
import { hover } from '../../server/src/lang/hover';
import { complete } from '../../server/src/lang/completion';
import type { FileView } from '../../server/src/lang/types';
import { Analysis } from '../../server/src/analysis';
import { PREVIEW_RENDERED_FILE_COMMAND } from '../../server/src/customMethods';
import { stepTooltip } from '../../client/src/plan/stepText';
import type { PlanStep } from '../../server/src/protocol';

/** Markdown payloads: a command link, a remote image, raw HTML, backticks that would close a code span or fence, a table pipe. */
const PAYLOADS = [
  '[x](command:workbench.action.terminal.new)',
  '![t](http://x/y.png)',
  '<img src=x onerror=alert(1)>',
  '`` ` ```',
  'a|b',
  '<http://x/auto>',
  'http://x/plain',
  '*em* _em_ **b** ~~s~~',
  '&lt;img src=x&gt;',
  '`[x](command:workbench.action.terminal.new)`',
  'line\n\n# heading\n\n[y](http://x/z)',
];
const HOSTILE = PAYLOADS.join(' ');

/** Tags marked may make from our own Markdown; anything else came from the text. */
const OUR_TAGS = new Set(['p', 'strong', 'em', 'code', 'pre', 'hr', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'a']);

/** What the rendered HTML shows live: links (with their targets), images, and tags not ours. */
function liveIn(markdown: string): string[] {
  const html = marked.parse(markdown, { async: false, gfm: true });
  const found: string[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const tag = m[1].toLowerCase();
    if (!OUR_TAGS.has(tag)) found.push(m[0]);
    else if (tag === 'a') {
      const href = /href="([^"]*)"/.exec(m[2])?.[1] ?? '';
      if (!href.startsWith(`command:${PREVIEW_RENDERED_FILE_COMMAND}?`)) found.push(m[0]);
    }
  }
  return found;
}

/** The text marked shows for Markdown (tags dropped, entities decoded). */
function shown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
}

describe('the escape functions', () => {
  it('mdText: every payload is shown as it is written, with nothing live', () => {
    for (const p of PAYLOADS) {
      assert.deepEqual(liveIn(mdText(p)), [], p);
      assert.equal(shown(mdText(p)), p.replace(/\n/g, ' '), p);
    }
    assert.ok(!mdText('a\nb\r\nc').includes('\n'), 'no line break: a blank line would end the paragraph');
  });

  it('mdCode: a fence longer than any backtick run of the text, verbatim content, no line break', () => {
    for (const p of [...PAYLOADS, '`', '``', '` x `', ' lead', 'trail ', '']) {
      const md = mdCode(p);
      const fence = /^`+/.exec(md)![0];
      const runs = [...p.matchAll(/`+/g)].map((m) => m[0].length);
      assert.ok(runs.every((r) => r < fence.length), `${JSON.stringify(p)}: the fence ${fence} is no longer than a run of the text`);
      assert.ok(!md.includes('\n'));
      assert.deepEqual(liveIn(md), [], p);
      assert.equal(shown(`x ${md}`), `x ${p.replace(/\n/g, ' ') || ' '}`.trim(), JSON.stringify(p));
    }
  });

  it('mdCode in a table cell: the pipe stays in its cell', () => {
    const md = `| a | b |\n|---|---|\n| ${mdTableCell(mdCode('x|y\\|z'))} | ${mdTableCell(mdText('p|q'))} |`;
    const html = marked.parse(md, { async: false, gfm: true });
    assert.equal((html.match(/<td>/g) ?? []).length, 2, html);
    assert.deepEqual(liveIn(md), []);
  });

  it('mdCodeBlock: no line of the text closes the fence', () => {
    for (const p of ['```\n[x](command:workbench.action.terminal.new)\n```', '````', '~~~\n<img src=x>', HOSTILE]) {
      const md = `${mdCodeBlock(p, 'ruby')}\n\nafter [x](command:workbench.action.terminal.new)`;
      const html = marked.parse(md, { async: false, gfm: true });
      // The block holds the whole text; only the line after the fence is Markdown.
      assert.equal((html.match(/<pre>/g) ?? []).length, 1, html);
      assert.ok(html.includes('<a href="command:workbench'), 'the fence closed where ours does');
      assert.deepEqual(liveIn(mdCodeBlock(p)), [], p);
    }
  });

  it('mdCommandLink: a path with parentheses and brackets cannot end the link or add one', () => {
    const file = '/w/a)b](command:workbench.action.terminal.new) ![t](http://x/y.png).rb';
    const md = mdCommandLink('Preview rendered file', PREVIEW_RENDERED_FILE_COMMAND, [{ file, line: 1, character: 0 }]);
    const html = marked.parse(md, { async: false, gfm: true });
    assert.equal((html.match(/<a /g) ?? []).length, 1, html);
    assert.deepEqual(liveIn(md), []);
    const href = /href="command:[^?]+\?([^"]*)"/.exec(html)![1];
    assert.deepEqual(JSON.parse(decodeURIComponent(href)), [{ file, line: 1, character: 0 }], 'the arguments arrive whole');
  });
});

describe('hovers of a hostile cookbook', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-markdown-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const q = (s: string) => JSON.stringify(s);
  const files: Record<string, string> = {
    'evil/metadata.rb': "name 'evil'\nversion '1.0.0'\n",
    'evil/attributes/default.rb': `default['evil']['k'] = ${q(HOSTILE)}\ndefault['evil'][${q(PAYLOADS[0])}] = 1\n`,
    'evil/resources/thing.rb': `property :hostile, String, default: ${q(PAYLOADS[9])}, equal_to: [${q(PAYLOADS[2])}, ${q(PAYLOADS[9])}]\naction :create do\nend\n`,
    'evil/templates/default/t.erb': '```\n[z](http://x/z) <%= @v %>\n````\n',
    'evil/recipes/default.rb': [
      `file ${q(PAYLOADS[0])} do`,
      `  content ${q(HOSTILE)}`,
      `  notifies :run, ${q(`execute[${PAYLOADS[2]}]`)}, :delayed`,
      'end',
      `execute ${q(PAYLOADS[2])} do`,
      `  command ${q(PAYLOADS[1])}`,
      '  action :nothing',
      'end',
      "log node['evil']['k']",
      `log node['evil'][${q(PAYLOADS[0])}].to_s`,
      `template ${q(`/etc/${PAYLOADS[3]}${PAYLOADS[0]}`)} do`,
      "  source 't.erb'",
      `  variables(v: ${q(HOSTILE)})`,
      'end',
      `evil_thing ${q(PAYLOADS[1])} do`,
      `  hostile ${q(PAYLOADS[2])}`,
      'end',
      `ruby_block ${q(PAYLOADS[5])} do`,
      `  block { x = ${q(HOSTILE)} }`,
      `  only_if { File.exist?(${q(PAYLOADS[1])}) }`,
      'end',
      '',
    ].join('\n'),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const analysis = new Analysis([root]);
  const viewOf = (file: string): FileView => {
    const abs = path.join(root, file);
    return { file: abs, text: analysis.ws.readFile(abs)!, parsed: abs.endsWith('.rb') ? analysis.ws.parse(abs) : undefined, analysis: analysis.forFile(abs), model: analysis.modelFor(abs), facts: analysis.factsFor(abs) };
  };

  /** Every hover of a file, one per position where the answer changes. */
  function hoversOf(file: string): string[] {
    const view = viewOf(file);
    const out = new Set<string>();
    view.text.split('\n').forEach((line, n) => {
      for (let c = 0; c <= line.length; c++) { const h = hover(view, { line: n, character: c }); if (h) out.add(h.markdown); }
    });
    return [...out];
  }

  it('no hover makes the recipe text a link, an image or HTML, and the text is still shown', () => {
    const hovers = [...hoversOf('evil/recipes/default.rb'), ...hoversOf('evil/templates/default/t.erb')];
    assert.ok(hovers.length > 10, `${hovers.length} hovers`);
    const problems = hovers.flatMap((md) => liveIn(md).map((l) => `${l} in ${JSON.stringify(md.slice(0, 300))}`));
    assert.deepEqual(problems, []);
    const all = hovers.map(shown).join('\n');
    // The payloads are there to read: the resource names, the property value's reason, the attribute's value.
    for (const p of [PAYLOADS[0], PAYLOADS[1], PAYLOADS[2], `execute[${PAYLOADS[2]}]`]) assert.ok(all.includes(p), `${p} is shown`);
  });

  it('the preview link of a template\'s source is the only link, and runs with the recipe\'s own place', () => {
    const view = viewOf('evil/recipes/default.rb');
    const line = view.text.split('\n').findIndex((l) => l.includes("source 't.erb'"));
    const md = hover(view, { line, character: 3 })!.markdown;
    const html = marked.parse(md, { async: false, gfm: true });
    assert.equal((html.match(/<a /g) ?? []).length, 1, md);
    const args = JSON.parse(decodeURIComponent(/href="command:[^?]+\?([^"]*)"/.exec(html)![1]));
    assert.equal(args[0].file, view.file);
    assert.deepEqual(liveIn(md), []);
    assert.match(shown(md), /\[z\]\(http:\/\/x\/z\)/, 'the template text is shown verbatim in the block');
  });

  it('completion documentation of the hostile custom resource and attributes is inert too', () => {
    const view = viewOf('evil/recipes/default.rb');
    const lines = view.text.split('\n');
    const docs = new Set<string>();
    lines.forEach((l, n) => { for (const c of [2, l.length]) for (const e of complete(view, { line: n, character: c })) if (e.documentation) docs.add(e.documentation); });
    assert.ok(docs.size > 0);
    assert.deepEqual([...docs].flatMap(liveIn), []);
  });
});

describe('the Plan view tooltip', () => {
  it('shows hostile resource names, actions and reasons as text', () => {
    const s: PlanStep = {
      resource: `file[${PAYLOADS[0]}]`, type: 'file', action: `create ${PAYLOADS[1]}`, status: 'unknown', reason: HOSTILE, changes: [],
      notifications: [], location: { file: '/w/r.rb', line: 1, column: 1 }, notifiedBy: [{ resource: `execute[${PAYLOADS[2]}]`, timing: 'delayed' }],
    };
    const md = stepTooltip(s);
    assert.deepEqual(liveIn(md), []);
    const text = shown(md);
    for (const p of [s.resource, `:${s.action}`, PAYLOADS[2], PAYLOADS[5]]) assert.ok(text.includes(p), `${p} in ${text}`);
  });
});
