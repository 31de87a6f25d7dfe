// Bundles the webviews as browser scripts (dist/webview/<name>.js + .css): IIFE, no Node, no vscode.
import { build } from 'esbuild';

await build({
  entryPoints: { graph: 'client/webview/graph/main.ts' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
