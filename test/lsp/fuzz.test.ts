/**
 * No input can crash or hang the server: mutated fixture texts (deleted, duplicated and inserted
 * spans, stray tokens, truncation) go through every request; each must answer, and the server must
 * still answer afterwards. Seeded, so a failure reproduces.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestClient, FIXTURES, uri, positionAt } from './client';

const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 12);
const TOKENS = [' do', '\nend', 'end\n', '"', "'", '[', ']', '#{', '}', 'node[', "node['fx_base'][", '|x|', '=>', ':', "notifies :restart, '", '<<~EOS\n', '\u{1D11E}', 'é', '(', ')', '%w[', "include_recipe '", 'lazy {', 'if ', 'case x\nwhen 1', '\0', '\t', '\r\n'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

function mutate(text: string, rand: () => number): string {
  let t = text;
  for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
    const a = Math.floor(rand() * (t.length + 1));
    const b = Math.min(t.length, a + Math.floor(rand() * 40));
    switch (Math.floor(rand() * 4)) {
      case 0: t = t.slice(0, a) + t.slice(b); break;
      case 1: t = t.slice(0, b) + t.slice(a, b) + t.slice(b); break;
      case 2: t = t.slice(0, a) + TOKENS[Math.floor(rand() * TOKENS.length)] + t.slice(a); break;
      default: t = t.slice(0, a);
    }
  }
  return t;
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms))]);

let client: TestClient;
before(async () => { client = await TestClient.start(); });
after(async () => { await client.stop(); });

const FILES = ['fx_base/recipes/config.rb', 'fx_base/recipes/service.rb', 'fx_custom/recipes/default.rb', 'fx_custom/resources/app_config.rb', 'fx_custom/resources/service_debian.rb', 'fx_custom/providers/legacy.rb', 'fx_community/recipes/server.rb', 'fx_base/attributes/default.rb', 'fx_base/templates/default/fx-agent.service.erb', 'fx_errors/recipes/non_ascii.rb']
  .map((f) => path.join(FIXTURES, f)).filter((f) => fs.existsSync(f));

test('mutated fixtures never crash or hang the server', async () => {
  const rand = rng(SEED);
  for (const file of FILES) {
    const original = fs.readFileSync(file, 'utf8');
    await client.open(file, original);
    const td = { textDocument: { uri: uri(file) } };
    for (let round = 0; round < ROUNDS; round++) {
      const text = mutate(original, rand);
      await client.change(file, text);
      const position = positionAt(text, Math.floor(rand() * (text.length + 1)));
      const what = `${path.basename(file)} seed ${SEED} round ${round}`;
      await within(client.diagnostics(file), 10_000, `diagnostics (${what})`);
      await within(client.request('workspace/diagnostic', { previousResultIds: [] }), 10_000, `workspace diagnostics (${what})`);
      for (const method of ['textDocument/completion', 'textDocument/hover', 'textDocument/definition', 'textDocument/references']) {
        await within(client.request(method, { ...td, position, context: { includeDeclaration: true } }), 10_000, `${method} (${what})`);
      }
      for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/documentLink']) await within(client.request(method, td), 10_000, `${method} (${what})`);
    }
    await client.change(file, original);
  }
  assert.ok((await client.diagnostics(path.join(FIXTURES, 'fx_errors/recipes/unknown_resource.rb'))).length > 0, 'the server still answers');
  assert.equal(client.proc.exitCode, null);
  const failures = client.logs.filter((l) => / failed: /.test(l));
  assert.deepEqual(failures.slice(0, 3), [], 'handlers logged exceptions');
});
