// Mutated fixtures (lines dropped, characters cut, tokens swapped) through the whole model: nothing
// may throw or hang, whatever the input. Seeded, so a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../server/src/chef/model';
import { checkPaths } from '../../server/src/chef/check';
import { getPlatformProfile } from '../../server/src/chef/platforms';

const SRC = path.resolve(__dirname, '../fixtures/cookbooks');
const TOKENS = ['do', 'end', '{', '}', '(', ')', '[', ']', '"', "'", '#{', '|', ',', 'if', 'else', 'node', ':', '%w(', '<<~EOS', '=>', '..', '.each', '&&'];

function rng(seed: number): () => number {
  return () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
}

function mutate(text: string, rand: () => number): string {
  const lines = text.split('\n');
  for (let i = 0; i < 3; i++) {
    const at = Math.floor(rand() * lines.length);
    const kind = Math.floor(rand() * 4);
    if (kind === 0) lines.splice(at, 1);
    else if (kind === 1) lines[at] = lines[at].slice(0, Math.floor(rand() * lines[at].length));
    else if (kind === 2) lines[at] += ' ' + TOKENS[Math.floor(rand() * TOKENS.length)];
    else lines.splice(at, 0, lines[Math.floor(rand() * lines.length)]);
  }
  return lines.join('\n');
}

test('mutated cookbooks never crash or hang the model', () => {
  const rand = rng(20261125);
  const facts = getPlatformProfile('debian-12')!;
  for (let round = 0; round < 12; round++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloche-fuzz-'));
    fs.cpSync(SRC, dir, { recursive: true });
    const rubyFiles: string[] = [];
    const walk = (d: string) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/\.(rb|erb|yml)$/.test(e.name)) rubyFiles.push(p); } };
    walk(dir);
    for (const f of rubyFiles) if (rand() < 0.5) fs.writeFileSync(f, mutate(fs.readFileSync(f, 'utf8'), rand));
    const t0 = Date.now();
    const model = new Model([dir]);
    const diags = checkPaths(model, [dir], facts);
    assert.ok(Array.isArray(diags));
    assert.ok(Date.now() - t0 < 20_000, `round ${round} took ${Date.now() - t0} ms`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
