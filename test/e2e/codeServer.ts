/**
 * A real VS Code for the end-to-end tests: code-server (installed by scripts/install-code-server.sh into
 * a cache folder outside the repo), Cloche installed from the VSIX that `npm run package` makes, a copy of
 * a workspace folder, and headless Chromium driving the page like a person (Command Palette, typing,
 * reading panels and webviews). Screenshots go to test-artifacts/e2e/.
 * Outside CI a missing part skips loudly; with CI set it fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Why the e2e tier cannot run here, or undefined when it can. With CI set, a reason is an error. */
export function missingPart(): string | undefined {
  const why = (() => {
    if (!spawnSync(CHROMIUM, ['--version']).stdout?.length) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
    const r = spawnSync('bash', [path.join(ROOT, 'scripts/install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) return `code-server could not be installed (scripts/install-code-server.sh exited ${r.status})`;
    return undefined;
  })();
  if (why && process.env.CI) throw new Error(`CI is set but the end-to-end tests cannot run: ${why}`);
  if (why) console.warn(`\n!!!!! END-TO-END TESTS SKIPPED — ${why}\n`);
  return why;
}

function codeServerHome(): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/install-code-server.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`install-code-server.sh failed:\n${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

let vsix: string | undefined;

/** Builds the VSIX exactly as `npm run package` does (after `npm run build`), once per process. */
export function packageVsix(): string {
  if (vsix) return vsix;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'cloche-vsix-')), 'cloche.vsix');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  return (vsix = out);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const port = (s.address() as { port: number }).port; s.close(() => resolve(port)); });
  });
}

export interface SessionOptions {
  /** Folder copied as the workspace (the copy is edited, never the original). */
  workspace: string;
  /** User settings. */
  settings?: Record<string, unknown>;
  /** Leave Workspace Trust on (then the folder opens untrusted). */
  workspaceTrust?: boolean;
}

/** One code-server with Cloche installed, one Chromium page on a workspace copy. */
export class CodeServerSession {
  private shots = 0;
  private constructor(readonly page: Page, readonly workspace: string, private readonly server: ChildProcess, private readonly browser: Browser,
    private readonly tmp: string, readonly serverLog: () => string, private readonly prefix: string) {}

  static async start(o: SessionOptions & { prefix: string }): Promise<CodeServerSession> {
    const home = codeServerHome();
    for (const f of existsSync(ARTIFACTS) ? readdirSync(ARTIFACTS) : []) if (f.startsWith(`${o.prefix}-`)) rmSync(path.join(ARTIFACTS, f));
    const entry = path.join(home, 'node_modules/code-server/out/node/entry.js');
    const tmp = mkdtempSync(path.join(tmpdir(), 'cloche-e2e-'));
    const ext = path.join(tmp, 'extensions');
    const data = path.join(tmp, 'data');
    const install = spawnSync(process.execPath, [entry, '--install-extension', packageVsix(), '--extensions-dir', ext, '--user-data-dir', data], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing the VSIX failed:\n${install.stdout}\n${install.stderr}`);
    mkdirSync(path.join(data, 'User'), { recursive: true });
    writeFileSync(path.join(data, 'User', 'settings.json'), JSON.stringify({
      'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
      'extensions.ignoreRecommendations': true, 'workbench.enableExperiments': false, 'update.mode': 'none',
      'editor.codeLens': true, 'files.autoSave': 'off', 'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never', 'window.commandCenter': false, 'chat.commandCenter.enabled': false,
      // RuboCop is installed for the lint test: the other tests count Problems without its offences (and its CPU).
      'cloche.lint.run': 'off',
      ...o.settings,
    }, null, 2));
    const workspace = path.join(tmp, path.basename(o.workspace));
    cpSync(o.workspace, workspace, { recursive: true });
    const port = await freePort();
    const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--extensions-dir', ext, '--user-data-dir', data, ...(o.workspaceTrust ? [] : ['--disable-workspace-trust'])];
    let log = '';
    const server = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CS_DISABLE_GETTING_STARTED_OVERRIDE: '1' } });
    server.stdout!.on('data', (d) => { log += String(d); });
    server.stderr!.on('data', (d) => { log += String(d); });
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok).catch(() => false)), 60_000, () => `code-server did not answer:\n${log}`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view, .welcome-view, .pane-body').first().waitFor({ timeout: 60_000 });
    return new CodeServerSession(page, workspace, server, browser, tmp, () => log, o.prefix);
  }

  /** Saves a screenshot of the whole window as an artifact (numbered in order). */
  async screenshot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${this.prefix}-${String(++this.shots).padStart(2, '0')}-${name}.png`) });
  }

  /** Opens the quick input with `key` and types `text` into it. */
  private async quickInput(key: string, text: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press(key);
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(text);
  }

  /** Runs a command from the Command Palette by its title, as a person does. */
  async command(title: string): Promise<void> {
    const p = this.page;
    await this.quickInput('F1', `>${title}`);
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 15_000 });
    await p.keyboard.press('Enter');
  }

  /** Opens a workspace file through Quick Open (relative path). */
  async openFile(relative: string): Promise<void> {
    const p = this.page;
    await this.quickInput('Control+P', relative);
    // The list first shows recently opened editors; wait for the row of this very file.
    const dir = path.dirname(relative);
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relative) }).filter({ hasText: dir === '.' ? '' : dir }).first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await p.locator(`.tab.active[data-resource-name="${path.basename(relative)}"], .tab.active[aria-label*="${path.basename(relative)}"]`).first().waitFor({ timeout: 15_000 });
  }

  /** Moves the cursor to the end of a 1-based line of the active editor. */
  async gotoLineEnd(line: number): Promise<void> {
    const p = this.page;
    await p.locator('.monaco-editor .view-lines').first().click();
    await this.quickInput('Control+G', `:${line}`);
    await p.keyboard.press('Enter');
    await p.keyboard.press('End');
  }

  /** Shows a view container of the activity bar (Testing, Cloche, …) without toggling it closed. */
  async openSideBar(label: string): Promise<void> {
    const item = this.page.locator('.activitybar .action-item', { has: this.page.locator(`.action-label[aria-label^="${label}"]`) }).first();
    await item.waitFor({ timeout: 30_000 });
    if (!(await item.getAttribute('class'))?.includes('checked')) await item.click();
  }

  /** The graph webview's inner document. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  /** Rows of a view's tree (by the view's title in its pane header). */
  viewRows(paneTitle: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: paneTitle }) }).locator('.monaco-list-row');
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    if (this.server.exitCode === null) this.server.kill('SIGKILL');
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Ids of Cloche's containers (by label, plus `extraLabel` if given), straight from docker. */
export function clocheContainers(extraLabel?: string): string[] {
  const filters = ['--filter', 'label=cloche.managed=true', ...(extraLabel ? ['--filter', `label=${extraLabel}`] : [])];
  const r = spawnSync('docker', ['ps', '-a', '-q', '--no-trunc', ...filters], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Cloche containers that exist now and did not before; the engine tier's own containers (labelled
 * `cloche.test`) are left out, should it run at the same time.
 */
export function containersSince(before: string[]): string[] {
  const engineTests = clocheContainers('cloche.test');
  return clocheContainers().filter((id) => !before.includes(id) && !engineTests.includes(id));
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, message: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(message());
}
