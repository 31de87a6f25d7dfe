/**
 * Loads a webview bundle in headless Chromium inside the very page the extension builds (same CSP and
 * nonce rules), served over local HTTP, with `acquireVsCodeApi` stubbed to record what the webview posts.
 * Messages go in exactly as VS Code delivers them: `window.postMessage`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FromWebview, ToWebview } from '../../client/webview/messages';
import { webviewHtml } from '../../client/src/webviewHtml';

export const ROOT = path.resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'webview');
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether Chromium can run; in CI a missing browser fails, elsewhere the caller skips with a loud warning. */
export function chromiumAvailable(t?: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  const msg = `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`;
  if (process.env.CI) throw new Error(msg);
  console.warn(`\n!!!!! WEBVIEW TESTS SKIPPED — ${msg}\n`);
  t?.skip(msg);
  return false;
}

export function ensureBundle(): void {
  if (!existsSync(path.join(ROOT, 'dist/webview/graph.js'))) throw new Error('dist/webview/graph.js is missing: run `npm run build` first.');
}

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted so far. */
  posted(): Promise<FromWebview[]>;
  /** Sends a message the way VS Code does. */
  send(m: ToWebview): Promise<void>;
  /** Waits until the webview posts a message matching the predicate (by type, and optionally more). */
  waitFor<T extends FromWebview['type']>(type: T, after?: number): Promise<Extract<FromWebview, { type: T }>>;
  cspViolations(): Promise<string[]>;
  screenshot(name: string): Promise<void>;
}

export class WebviewBrowser {
  private constructor(private readonly browser: Browser, private readonly server: Server, private readonly origin: string) {}

  static async launch(): Promise<WebviewBrowser> {
    ensureBundle();
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/index.html') {
        res.setHeader('content-type', 'text/html');
        const origin = `http://${req.headers.host}`;
        res.end(webviewHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview/graph.js`, styleUri: `${origin}/dist/webview/graph.css`, title: 'Resource Graph' }));
        return;
      }
      const file = path.join(ROOT, path.normalize(url.pathname));
      if (!file.startsWith(path.join(ROOT, 'dist', 'webview')) || !existsSync(file)) { res.statusCode = 404; res.end(); return; }
      res.setHeader('content-type', file.endsWith('.css') ? 'text/css' : 'text/javascript');
      res.end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    return new WebviewBrowser(browser, server, origin);
  }

  /**
   * Opens the page. `editorFontSize` is set as VS Code sets its theme variables, on the root element's
   * style (`--vscode-editor-font-size`), before the bundle runs.
   */
  async open(viewport = { width: 1280, height: 800 }, state?: unknown, options: { editorFontSize?: number } = {}): Promise<WebviewPage> {
    const page = await this.browser.newPage({ viewport });
    if (options.editorFontSize) {
      // The root element may not exist yet when init scripts run: set it as soon as it does.
      await page.addInitScript(`(() => {
        const set = () => document.documentElement.style.setProperty('--vscode-editor-font-size', '${Number(options.editorFontSize)}px');
        if (document.documentElement) set();
        else new MutationObserver((_, o) => { if (document.documentElement) { set(); o.disconnect(); } }).observe(document, { childList: true });
      })();`);
    }
    // A string, not a function: tsx's transpiled functions reference helpers that do not exist in the page.
    await page.addInitScript(`
      window.__name = (f) => f;
      window.__posted = [];
      window.__csp = [];
      window.__state = ${JSON.stringify(state ?? null)};
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ': ' + e.blockedURI));
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
        getState: () => window.__state,
        setState: (s) => { window.__state = s; },
      });`);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${this.origin}/index.html`);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
    const posted = () => page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
    return {
      page,
      posted,
      send: async (m) => { await page.evaluate((msg: unknown) => window.postMessage(msg, '*'), m as unknown); },
      waitFor: async (type, after = 0) => {
        const handle = await page.waitForFunction(([t, a]) => {
          const list = (window as unknown as { __posted: { type: string }[] }).__posted;
          return list.slice(a as number).find((m) => m.type === t);
        }, [type, after] as const, { timeout: 20_000 });
        return (await handle.jsonValue()) as never;
      },
      cspViolations: async () => [...errors.map((e) => `pageerror: ${e}`), ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))],
      screenshot: async (name) => {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
      },
    };
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function loadFixture(name: string) {
  return JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.graph.json`), 'utf8'));
}
