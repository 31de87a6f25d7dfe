/**
 * `npm run bench:scale -- [COOKBOOKS|DIR]`: the language server on a very large workspace (default
 * 20,000 small cookbooks in chains of ten, generated; or a folder of yours): the first diagnostics of
 * the opened file (the last cookbook of the first chain, nine dependencies deep; in a folder of yours
 * its first recipe), median of BENCH_RUNS runs (default 5) of a fresh server, from its start and from
 * the file's opening; then, in one more run, how long a hover waits while the workspace is still being
 * indexed, when the index ends, the first partial result of the workspace pull VS Code makes at start
 * and its end, and how long a hover waits while that pull runs. Prints; asserts nothing.
 * CLOCHE_SERVER=path/to/server.js measures another build (before/after).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol';
import { TestClient, uri } from '../lsp/client';

/** `count` cookbooks of one recipe each; every tenth starts a chain the next nine depend along. */
function generate(count: number): string {
  const root = path.join(os.tmpdir(), `cloche-bench-scale-${count}`);
  if (fs.existsSync(path.join(root, `cb${count - 1}`, 'recipes', 'default.rb'))) return root;
  fs.rmSync(root, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `cb${i}`);
    fs.mkdirSync(path.join(dir, 'recipes'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'metadata.rb'), `name 'cb${i}'\nversion '1.0.0'\n${i % 10 ? `depends 'cb${i - 1}'\n` : ''}`);
    fs.writeFileSync(path.join(dir, 'recipes', 'default.rb'), `package 'p${i}'\nfile '/tmp/${i}' do\n  content 'x'\nend\n`);
  }
  return root;
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  const generated = !arg || /^\d+$/.test(arg);
  const root = generated ? generate(Number(arg ?? 20_000)) : path.resolve(arg);
  const recipe = generated ? path.join(root, 'cb9', 'recipes', 'default.rb') : findRecipe(root);
  console.log(`workspace: ${root}; open recipe ${recipe}`);

  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const fromStart: number[] = [], fromOpen: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const client = await TestClient.start({ roots: [root] });
    const opened = performance.now();
    await client.open(recipe);
    await client.diagnostics(recipe);
    fromStart.push(performance.now() - t0);
    fromOpen.push(performance.now() - opened);
    await client.stop();
  }
  console.log(`first diagnostics of the opened file (median of ${runs} runs): ${median(fromStart).toFixed(0)} ms from the server's start, ${median(fromOpen).toFixed(0)} ms from the file's opening (runs: ${fromStart.map((t) => t.toFixed(0)).join(', ')} ms)`);

  const t0 = performance.now();
  const client = await TestClient.start({ roots: [root] });
  await client.open(recipe);
  await client.diagnostics(recipe);
  const indexing = lastStatus(client) === 'indexing';
  const s0 = performance.now();
  await client.request('textDocument/hover', { textDocument: { uri: uri(recipe) }, position: { line: 0, character: 2 } });
  console.log(`hover after the first diagnostics answered in ${(performance.now() - s0).toFixed(0)} ms (${indexing ? 'while indexing' : 'already indexed'})`);
  await client.until(() => lastStatus(client) === 'ready', 600_000, 'the index to end');
  console.log(`index ended ${(performance.now() - t0).toFixed(0)} ms after the server's start`);

  const t1 = performance.now();
  let first = 0, streamed = 0;
  client.conn.onProgress(WorkspaceDiagnosticRequest.partialResult, 'bench', (p) => { if (!first) first = performance.now() - t1; streamed += p.items.length; });
  const pull = client.conn.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [], partialResultToken: 'bench' });
  // A hover on the open recipe while the pull goes through the workspace.
  await new Promise((r) => setTimeout(r, 200));
  const h0 = performance.now();
  await client.request('textDocument/hover', { textDocument: { uri: uri(recipe) }, position: { line: 0, character: 2 } });
  const hover = performance.now() - h0;
  const answer = await pull;
  console.log(`workspace pull: first partial result after ${first.toFixed(0)} ms, all ${(performance.now() - t1).toFixed(0)} ms (${streamed} reports streamed, ${answer.items.length} in the answer)`);
  console.log(`hover during the pull answered in ${hover.toFixed(0)} ms`);
  await client.stop();
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
}

/** The state of the last `cloche/status` the server sent. */
function lastStatus(client: TestClient): string | undefined {
  const line = [...client.logs].reverse().find((l) => l.startsWith('status: '));
  return line ? (JSON.parse(line.slice('status: '.length)) as { state: string }).state : undefined;
}

/** The first recipe of the workspace (in name order), the one the editor opens. */
function findRecipe(root: string): string {
  const walk = (dir: string, depth: number): string | undefined => {
    if (depth > 6) return undefined;
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (path.basename(dir) === 'recipes') { const rb = entries.find((e) => e.isFile() && e.name.endsWith('.rb')); if (rb) return path.join(dir, rb.name); }
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') { const f = walk(path.join(dir, e.name), depth + 1); if (f) return f; }
    return undefined;
  };
  const found = walk(root, 0);
  if (!found) throw new Error(`no recipe under ${root}`);
  return found;
}

void main();
