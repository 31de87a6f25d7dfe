/**
 * Language server figures, measured by driving dist/server.js over stdio as an editor does:
 * cold start to first diagnostics, diagnostics after a keystroke in a 1,000-line recipe inside a
 * 50-cookbook workspace, completion and hover latency, and resident memory with 100 cookbooks
 * analysed. Prints the figures; asserts nothing (design.md: speed is measured, not asserted).
 * Run: npm run build && node --import tsx test/bench/lsp.bench.ts [DIR FILE]
 * With DIR FILE the figures are of that workspace and that file (typed into the name of a resource
 * added in its middle, and for one figure into a comment line above it; completion and hover on its
 * first words); the 100-cookbook memory figure is skipped.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Position } from 'vscode-languageserver';
import { TestClient, uri, cursorIn } from '../lsp/client';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 60);
/** Keystrokes measured again once the first ITERATIONS have warmed V8 up (steady-state typing). */
const WARM_ITERATIONS = Number(process.env.BENCH_WARM_ITERATIONS ?? 240);

/** Writes a cookbook with attributes, a custom resource, templates and recipes. */
function writeCookbook(root: string, name: string, deps: string[], bigRecipeLines = 0): void {
  const dir = path.join(root, name);
  const w = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
  w('metadata.rb', `name '${name}'\nversion '1.0.0'\n${deps.map((d) => `depends '${d}'\n`).join('')}`);
  w('attributes/default.rb', Array.from({ length: 40 }, (_, i) => `default['${name}']['key${i}'] = ${i % 3 === 0 ? `'value${i}'` : i}\n`).join('') +
    `default['${name}']['packages'] = %w(curl git vim)\nif platform_family?('rhel')\n  default['${name}']['service'] = 'svc-rhel'\nelse\n  default['${name}']['service'] = 'svc-${name}'\nend\n`);
  w('templates/app.conf.erb', `port=<%= @port %>\nname=<%= node['${name}']['key0'] %>\n`);
  w('files/script.sh', '#!/bin/sh\necho hi\n');
  w('resources/site.rb', `property :site_name, String, name_property: true\nproperty :port, Integer, default: 80\nproperty :mode, String, equal_to: %w(a b), default: 'a'\n\naction :create do\n  directory "/srv/#{new_resource.site_name}"\nend\n`);
  w('libraries/helpers.rb', `module ${name.replace(/(^|_)(\w)/g, (_m, _u, c) => c.toUpperCase())}\n  module Helpers\n    def ${name}_path\n      '/opt/${name}'\n    end\n  end\nend\nChef::DSL::Recipe.include(${name.replace(/(^|_)(\w)/g, (_m, _u, c) => c.toUpperCase())}::Helpers)\n`);
  w('recipes/default.rb', `include_recipe '${name}::app'\n${deps.map((d) => `include_recipe '${d}'\n`).join('')}`);
  w('recipes/app.rb', recipeBody(name, bigRecipeLines || 120));
}

/** A recipe of about `lines` lines with the usual mix of resources, guards, notifications and attribute reads. */
function recipeBody(name: string, lines: number): string {
  const out: string[] = [`conf = node['${name}']`, `service conf['service'] do`, '  action %i(enable start)', 'end', ''];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 6) {
      case 0: out.push(`package 'pkg-${i}' do`, `  version '1.${i}'`, '  action :install', 'end', ''); break;
      case 1: out.push(`template '/etc/${name}/conf-${i}.conf' do`, "  source 'app.conf.erb'", "  mode '0644'", `  variables(port: conf['key${i % 40}'])`, `  notifies :restart, "service[#{conf['service']}]", :delayed`, 'end', ''); break;
      case 2: out.push(`directory '/var/lib/${name}/d${i}' do`, "  owner 'root'", '  recursive true', 'end', ''); break;
      case 3: out.push(`execute 'step-${i}' do`, `  command "echo #{conf['key${i % 40}']}"`, `  not_if 'test -f /tmp/done-${i}'`, 'end', ''); break;
      case 4: out.push(`${name}_site 'site-${i}' do`, `  port ${8000 + i}`, 'end', ''); break;
      default: out.push(`conf['packages'].each do |p|`, `  file "/etc/marker-${i}-#{p}" do`, `    content "installed #{p} at #{${name}_path}"`, '  end', 'end', '');
    }
  }
  return out.join('\n') + '\n';
}

/** A generated workspace of `count` cookbooks; cb7 holds the 1,000-line recipe. */
export function workspace(count: number): { root: string; big: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cloche-bench-${count}-`));
  for (let i = 0; i < count; i++) writeCookbook(root, `cb${i}`, i > 0 && i % 5 ? [`cb${i - 1}`] : [], i === 7 ? 1000 : 0);
  return { root, big: path.join(root, 'cb7', 'recipes', 'app.rb') };
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

/**
 * Types `count` characters at `at` in a document, one change each, pulling the file's diagnostics
 * after each (as an editor does); the time of each, and the text typed into.
 */
async function typeAndPull(client: TestClient, file: string, text: string, at: number, count: number, char: string): Promise<{ times: number[]; text: string }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    text = text.slice(0, at) + char + text.slice(at);
    const [ms] = await timed(async () => { await client.change(file, text); return client.diagnostics(file); });
    times.push(ms);
  }
  return { times, text };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/**
 * A workspace and file given on the command line: two lines added in the file's middle, a comment
 * and a resource; keystrokes go into the resource's name (code) and, for one figure, into the comment.
 */
function given(dir: string, file: string): { root: string; big: string; text: string; anchor: number; commentAnchor: number; positions: Position[] } {
  const big = path.resolve(file);
  const lines = fs.readFileSync(big, 'utf8').split('\n');
  const middle = Math.floor(lines.length / 2);
  lines.splice(middle, 0, '# bench: ', "log 'bench: '");
  const text = lines.join('\n');
  // The keystroke loops type at anchor + 16: right after '# bench: ', and inside the log's name.
  const commentAnchor = lines.slice(0, middle).reduce((n, l) => n + l.length + 1, 0) + '# bench: '.length - 16;
  const anchor = lines.slice(0, middle + 1).reduce((n, l) => n + l.length + 1, 0) + "log 'bench: ".length - 16;
  // Completion and hover on the first three words at the start of a line.
  const positions: Position[] = [];
  for (const m of text.matchAll(/^[ \t]*([a-z_]{3,})/gm)) {
    if (positions.length === 3) break;
    positions.push(positionAt(text, m.index! + m[0].length - 1));
  }
  return { root: path.resolve(dir), big, text, anchor, commentAnchor, positions };
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function main(): Promise<void> {
  const [dirArg, fileArg] = process.argv.slice(2);
  if (dirArg && !fileArg) throw new Error('usage: lsp.bench.ts [DIR FILE]');
  const custom = dirArg ? given(dirArg, fileArg) : undefined;
  const ws50 = custom ?? workspace(50);
  const text = custom?.text ?? fs.readFileSync(ws50.big, 'utf8');
  console.log(`workspace: ${custom ? ws50.root : '50 cookbooks'}, ${text.split('\n').length}-line recipe (${ws50.big})`);

  const t0 = performance.now();
  const client = await TestClient.start({ roots: [ws50.root] });
  await client.open(ws50.big, text);
  const first = await client.diagnostics(ws50.big);
  console.log(`cold start to first diagnostics: ${(performance.now() - t0).toFixed(0)} ms (${first.length} diagnostics)`);

  // Keystrokes: type characters into a string in the middle of the recipe, pulling diagnostics after each.
  const anchor = custom?.anchor ?? text.indexOf("  command \"echo #{conf['key3']}\"");
  const typed = await typeAndPull(client, ws50.big, text, anchor + 16, ITERATIONS, 'x');
  const keystroke = typed.times;
  let current = typed.text;
  console.log(`diagnostics after a keystroke: ${stats(keystroke)}`);
  // The slowest of those are the first keystrokes after opening, while V8 still optimises the analysis.
  console.log(`  the first 10 after opening: ${stats(keystroke.slice(0, 10))}`);
  const warmed = await typeAndPull(client, ws50.big, current, anchor + 16, WARM_ITERATIONS, 'x');
  const warm = warmed.times;
  current = warmed.text;
  if (warm.length) console.log(`diagnostics after a keystroke, warmed up (the next ${warm.length}): ${stats(warm)}`);

  const u = uri(ws50.big);
  const positions = custom?.positions ?? [
    cursorIn(current, "directory '/var/lib/cb7/d2' do\n  ow|ner 'root'"), cursorIn(current, "conf = node['c|b7']"), cursorIn(current, "service conf['service'] do\n  action %i(ena|ble"),
  ];
  const completion: number[] = [];
  const afterKeystroke: number[] = [];
  const hover: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const position = positions[i % positions.length];
    completion.push((await timed(() => client.request('textDocument/completion', { textDocument: { uri: u }, position })))[0]);
    hover.push((await timed(() => client.request('textDocument/hover', { textDocument: { uri: u }, position })))[0]);
  }
  for (let i = 0; i < ITERATIONS / 2; i++) {
    current = current.slice(0, anchor + 16) + 'y' + current.slice(anchor + 16);
    await client.change(ws50.big, current);
    afterKeystroke.push((await timed(() => client.request('textDocument/completion', { textDocument: { uri: u }, position: positions[0] })))[0]);
    await client.diagnostics(ws50.big);
  }
  console.log(`completion: ${stats(completion)}`);
  console.log(`completion right after a keystroke: ${stats(afterKeystroke)}`);
  console.log(`hover: ${stats(hover)}`);
  if (custom) {
    // Typing in a comment changes nothing a compilation reads: the analysis is kept (ruby/commentEdit.ts).
    const inComment = await typeAndPull(client, ws50.big, current, custom.commentAnchor + 16, ITERATIONS, 'c');
    console.log(`diagnostics after a keystroke in a comment: ${stats(inComment.times)}`);
  }
  console.log(`resident memory, ${custom ? "the workspace" : "50 cookbooks"}, one analysed: ${rssMb(client.proc.pid!).toFixed(0)} MB`);
  await client.stop();

  // As in VS Code: the language client pulls the workspace's diagnostics right after start (the server
  // advertises workspaceDiagnostics), which also analyses the cookbooks around the open recipe.
  const vscodeLike = await TestClient.start({ roots: [ws50.root] });
  await vscodeLike.open(ws50.big, text);
  await vscodeLike.diagnostics(ws50.big);
  await vscodeLike.request('workspace/diagnostic', { previousResultIds: [] });
  const withPull = (await typeAndPull(vscodeLike, ws50.big, text, anchor + 16, ITERATIONS, 'x')).times;
  console.log(`diagnostics after a keystroke, after the workspace pull VS Code makes at start: ${stats(withPull)}`);
  console.log(`  the first 10: ${stats(withPull.slice(0, 10))}`);
  await vscodeLike.stop();
  if (custom) return;

  const ws100 = workspace(100);
  const big = await TestClient.start({ roots: [ws100.root] });
  const [ms] = await timed(async () => {
    for (let i = 0; i < 100; i++) {
      const f = path.join(ws100.root, `cb${i}`, 'recipes', 'app.rb');
      await big.open(f);
      await big.diagnostics(f);
    }
  });
  console.log(`resident memory, 100 cookbooks, every one analysed: ${rssMb(big.proc.pid!).toFixed(0)} MB (analysing all took ${ms.toFixed(0)} ms)`);
  await big.stop();
  fs.rmSync(ws50.root, { recursive: true, force: true });
  fs.rmSync(ws100.root, { recursive: true, force: true });
}

if (process.argv[1]?.endsWith("lsp.bench.ts")) void main().catch((e) => { console.error(e); process.exit(1); });
