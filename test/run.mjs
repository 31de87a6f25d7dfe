// Runs every test file of the suite (or of the tiers given: unit, lsp, adversarial, engine, webview, e2e)
// with Node's test runner. Node 20 does not expand globs or pick up .ts files by itself, so we list them.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const TIERS = ['unit', 'lsp', 'adversarial', 'engine', 'webview', 'e2e'];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : TIERS;
for (const t of wanted) if (!TIERS.includes(t)) { console.error(`unknown test tier '${t}' (known: ${TIERS.join(', ')})`); process.exit(2); }

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'fixtures' && name !== 'node_modules') walk(p); } else if (/\.test\.(ts|mjs)$/.test(name)) files.push(p);
  }
};
for (const t of wanted) if (existsSync(path.join('test', t))) walk(path.join('test', t));
if (!files.length) { console.error('no test files found'); process.exit(1); }

// One file at a time: container and browser tests share one machine with two cores.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
