// Bundles exactly what ships: the extension, the language server, the CLI, and prism's WASM next to them.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', legalComments: 'none',
  // prism.ts falls back to node_modules only when run from sources; the bundle finds prism.wasm beside it.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // jsonc-parser's main build is UMD, whose dynamic requires a bundle cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' } };
mkdirSync('dist', { recursive: true });
copyFileSync(path.join(path.dirname(require.resolve('@ruby/prism/package.json')), 'src', 'prism.wasm'), 'dist/prism.wasm');

const entries = [
  // dist/cli.js and dist/server.js are small launchers that run the bundles through a V8 code cache (launch/codeCache.ts).
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cloche-cli.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/cloche-server.js' },
  { entryPoints: ['server/src/launch/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/launch/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The graph webview: a browser bundle (its CSS lands beside it as dist/webview/graph.css); never imports vscode.
  { entryPoints: ['client/webview/graph/main.ts'], outfile: 'dist/webview/graph.js', platform: 'browser', format: 'iife', target: 'chrome120', minify: true },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => build({ ...common, ...e })));
if (watch) console.log('watch mode is not supported; run npm run build again');
