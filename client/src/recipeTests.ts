/**
 * Recipe tests in the Test Explorer: for each cookbook, its kitchen.yml suites × platforms (read by
 * `cloche kitchen --format json`), or each recipe when there is no kitchen.yml. Running a test runs
 * `cloche test` (create, converge, idempotence, destroy) with its progress in the test output; a failed
 * converge or a non-idempotent resource fails the test with messages on the source lines.
 * A platform whose image cannot be had here (the CLI's `availability`: FreeBSD, a dokken image no
 * registry serves, a system the kitchen file names no image for) is listed as such and cannot be run
 * (the run profile takes only tests tagged runnable); one whose image `cloche image build` makes says
 * so, and running it offers the build instead of failing in the CLI.
 * A run of two or more kitchen tests of a cookbook runs them as one `cloche test --matrix` process (in
 * parallel, `cloche.test.concurrency` at once, over `cloche.test.hosts`), each cell's events going to
 * its own item as they come (testMatrix.ts maps them); a single test runs `cloche test` alone.
 * Created only in trusted workspaces.
 */
import * as vscode from 'vscode';
import path from 'node:path';
import type { KitchenInfo } from '../../server/src/engine/kitchen';
import type { PlatformAvailability } from '../../server/src/engine/kitchenAvailability';
import { kitchenFile } from '../../server/src/engine/kitchenFile';
import type { ConvergeReport } from '../../server/src/protocol';
import { lastLines } from './engineCli';
import { abortOn, type EngineDeps } from './engineUi';
import { containerFlags, runtimeFlags, targetFlags } from './engineTarget';
import { COMMANDS } from './commands';
import { convergeProblems, parseProgressLine, progressText, verdictOf } from './convergeStream';
import type { MatrixCell, MatrixSummary } from '../../server/src/engine/matrix';
import { batchTests, cellKey, cellStep, coveringSet, matrixArgs, parseMatrixLine, summaryText, type CellOutcome } from './testMatrix';


/** What one test item runs, and whether its image is there (kitchen platforms). */
interface TestSpec { cookbookDir: string; args: string[]; runList?: string; availability?: PlatformAvailability; cell?: MatrixCell }

const KITCHEN_TIMEOUT_MS = 30_000;
/** Tests the run profile runs: every test but those of a platform that cannot run here. */
const RUNNABLE = new vscode.TestTag('cloche.runnable');

/** The description of a kitchen test item: its run list, or why it cannot run yet. */
export function availabilityDescription(runList: string, a: PlatformAvailability | undefined): string {
  if (a?.status === 'present' && a.standsInFor) return `${runList} · runs on ${a.image} (${a.standsInFor} is not here)`;
  if (!a || a.status === 'present' || a.status === 'unknown') return runList;
  if (a.status === 'buildable') return `image ${a.image} not built — run ${COMMANDS.buildBaseImage.title}`;
  return `image not available — ${a.reason}`;
}

export class RecipeTests implements vscode.Disposable {
  private readonly controller: vscode.TestController;
  private readonly specs = new WeakMap<vscode.TestItem, TestSpec>();
  private readonly watcher: vscode.FileSystemWatcher;

  constructor(private readonly deps: EngineDeps & { onRunEnd: () => void }) {
    this.controller = vscode.tests.createTestController('cloche.recipeTests', 'Cloche recipe tests');
    this.controller.resolveHandler = (item) => (item ? this.resolveCookbook(item) : this.discover());
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile('Converge + idempotence', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true, RUNNABLE);
    this.watcher = vscode.workspace.createFileSystemWatcher('**/{metadata.rb,kitchen.yml,.kitchen.yml,kitchen.yaml,recipes/*.rb}');
    const again = () => void this.discover();
    this.watcher.onDidCreate(again); this.watcher.onDidDelete(again); this.watcher.onDidChange((u) => { if (/kitchen\.ya?ml$/.test(u.path)) again(); });
  }

  /** One item per cookbook in the workspace; their tests are listed when expanded (or run). */
  async discover(): Promise<void> {
    const metadata = await vscode.workspace.findFiles('**/metadata.rb', '**/node_modules/**', 500);
    const items = metadata.map((m) => {
      const dir = path.dirname(m.fsPath);
      // Its location is metadata.rb: a folder would send a click on the item to the Explorer.
      const item = this.controller.createTestItem(dir, path.basename(dir), m);
      item.canResolveChildren = true;
      item.tags = [RUNNABLE];
      return item;
    });
    this.controller.items.replace(items);
  }

  private async resolveCookbook(item: vscode.TestItem): Promise<void> {
    const dir = item.id;
    item.busy = true;
    try {
      const kitchen = await this.kitchen(dir);
      const children: vscode.TestItem[] = [];
      if (kitchen && kitchen.suites.length) {
        for (const suite of kitchen.suites) {
          for (const platform of kitchen.platforms.length ? kitchen.platforms : [undefined]) {
            const label = platform ? `${suite.name} · ${platform.name}` : suite.name;
            const child = this.controller.createTestItem(`${dir}#${label}`, label, vscode.Uri.file(kitchen.file));
            const availability = platform?.availability;
            child.description = availabilityDescription(suite.runList.join(', '), availability);
            // What cannot run here is listed after what can, and the run profile leaves it out.
            const runnable = availability?.status !== 'unavailable';
            child.tags = runnable ? [RUNNABLE] : [];
            child.sortText = `${runnable ? 0 : 1}${String(children.length).padStart(4, '0')}`;
            const args = ['test', dir, '--suite', suite.name, ...(platform ? ['--kitchen-platform', platform.name] : [])];
            this.specs.set(child, { cookbookDir: dir, args, runList: suite.runList.join(', '), availability, ...(platform ? { cell: { suite: suite.name, platform: platform.name } } : {}) });
            children.push(child);
          }
        }
      } else {
        const recipes = await vscode.workspace.findFiles(new vscode.RelativePattern(dir, 'recipes/*.{rb,yml,yaml}'));
        for (const r of recipes.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
          const name = path.basename(r.fsPath).replace(/\.(rb|ya?ml)$/, '');
          const child = this.controller.createTestItem(r.fsPath, `${path.basename(dir)}::${name}`, r);
          child.tags = [RUNNABLE];
          this.specs.set(child, { cookbookDir: dir, args: ['test', r.fsPath] });
          children.push(child);
        }
      }
      item.children.replace(children);
      item.error = undefined;
    } catch (e) {
      item.error = e instanceof Error ? e.message : String(e);
    } finally {
      item.busy = false;
    }
  }

  private async kitchen(dir: string): Promise<KitchenInfo | undefined> {
    if (!kitchenFile(dir)) return undefined;
    const { value } = await this.deps.cli.json<KitchenInfo>({ args: ['kitchen', dir, '--format', 'json', ...runtimeFlags(this.deps.settings())], timeoutMs: KITCHEN_TIMEOUT_MS });
    return value;
  }

  private async run(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(req);
    const queue: vscode.TestItem[] = [];
    const collect = async (item: vscode.TestItem) => {
      if (req.exclude?.includes(item)) return;
      const spec = this.specs.get(item);
      if (spec) { if (spec.availability?.status !== 'unavailable') queue.push(item); return; }
      if (item.canResolveChildren && item.children.size === 0) await this.resolveCookbook(item);
      for (const [, child] of item.children) await collect(child);
    };
    if (req.include) for (const i of req.include) await collect(i);
    else { if (this.controller.items.size === 0) await this.discover(); for (const [, i] of this.controller.items) await collect(i); }
    for (const item of queue) run.enqueued(item);
    const signal = abortOn(token);
    const toBuild = new Map<string, string[]>();
    const kitchens = new Map<string, Promise<KitchenInfo | undefined>>();
    const ready: vscode.TestItem[] = [];
    for (const item of queue) {
      const a = await this.availabilityNow(item, kitchens);
      if (a?.status === 'buildable' && a.build) {
        // The CLI would stop at once (exit 2): say what to do instead, and offer it once per run.
        run.errored(item, new vscode.TestMessage(`Image ${a.image} is not built yet: run "${COMMANDS.buildBaseImage.title}" (${a.build.command}), then run the test again.`));
        toBuild.set(a.build.command, a.build.args);
        continue;
      }
      ready.push(item);
    }
    for (const batch of batchTests(ready, (item) => this.specs.get(item)!)) {
      const items = batch.kind === 'one' ? [batch.test] : batch.tests;
      if (token.isCancellationRequested) { for (const item of items) run.skipped(item); continue; }
      if (batch.kind === 'one') await this.runOne(run, batch.test, signal);
      else await this.runMatrix(run, batch.cookbookDir, batch.tests, signal);
    }
    run.end();
    this.deps.onRunEnd();
    for (const [command, args] of toBuild) {
      const choice = await vscode.window.showWarningMessage(`Cloche: a test needs an image that is not built yet (${command}).`, 'Build Base Image');
      if (choice) await vscode.commands.executeCommand(COMMANDS.buildBaseImage.id, args);
    }
  }

  /**
   * A kitchen test's availability, asked again (once per cookbook and run) when it was not present:
   * the image may have been built since it was listed.
   */
  private async availabilityNow(item: vscode.TestItem, kitchens: Map<string, Promise<KitchenInfo | undefined>>): Promise<PlatformAvailability | undefined> {
    const spec = this.specs.get(item)!;
    if (!spec.availability || spec.availability.status === 'present') return spec.availability;
    const platform = spec.args[spec.args.indexOf('--kitchen-platform') + 1];
    if (!kitchens.has(spec.cookbookDir)) kitchens.set(spec.cookbookDir, this.kitchen(spec.cookbookDir).catch(() => undefined));
    const fresh = (await kitchens.get(spec.cookbookDir))?.platforms.find((p) => p.name === platform)?.availability;
    if (fresh) spec.availability = fresh;
    item.description = availabilityDescription(spec.runList ?? '', spec.availability);
    return spec.availability;
  }

  private async runOne(run: vscode.TestRun, item: vscode.TestItem, signal: AbortSignal): Promise<void> {
    const spec = this.specs.get(item)!;
    const settings = this.deps.settings();
    // A kitchen platform names its own image; the settings' image would override it.
    const flags = spec.args.includes('--kitchen-platform') ? containerFlags(settings) : targetFlags(settings);
    const args = [...spec.args, '--format', 'jsonl', '--network', settings.converge.network, ...flags];
    run.started(item);
    run.appendOutput(`$ cloche ${args.join(' ')}\r\n`, undefined, item);
    const started = Date.now();
    let report: ConvergeReport | undefined;
    const r = await this.deps.cli.run({
      args, cwd: spec.cookbookDir, timeoutMs: settings.timeouts.convergeSeconds * 1000, signal,
      onLine: (line) => {
        const p = parseProgressLine(line);
        if (p?.kind === 'report') report = p.report;
        run.appendOutput(crlf(p ? progressText(p) : `${line}\n`), undefined, item);
      },
      onStderr: (chunk) => run.appendOutput(crlf(chunk), undefined, item),
    });
    const ms = Date.now() - started;
    if (r.cancelled) { run.skipped(item); return; }
    if (!report) {
      run.errored(item, new vscode.TestMessage(r.timedOut ? `stopped after ${settings.timeouts.convergeSeconds} s` : lastLines(r.stderr) || `cloche test exited with code ${r.code}`), ms);
      return;
    }
    const verdict = verdictOf(report);
    if (verdict.ok) { run.passed(item, ms); return; }
    const messages = convergeProblems(report).map((p) => testMessage(p.message, p.location));
    const all = [new vscode.TestMessage(verdict.text), ...messages];
    // Incomplete is not a failure of the cookbook: Cloche could not check all of it (the test errored).
    if (verdict.verdict === 'incomplete') run.errored(item, all, ms);
    else run.failed(item, all, ms);
  }

  /**
   * Kitchen cells of one cookbook as one `cloche test --matrix` process: each cell's events go to its
   * item as they come; a cell the matrix ended without a result for (cancelled, or the CLI stopped
   * before it) is skipped when cancelled, else errored with what the CLI said.
   */
  private async runMatrix(run: vscode.TestRun, cookbookDir: string, items: vscode.TestItem[], signal: AbortSignal): Promise<void> {
    const settings = this.deps.settings();
    const byCell = new Map(items.map((item) => [cellKey(this.specs.get(item)!.cell!), item]));
    const cells = items.map((item) => this.specs.get(item)!.cell!);
    const args = matrixArgs(cookbookDir, cells, {
      concurrency: settings.test.concurrency, hosts: settings.test.hosts, network: settings.converge.network, flags: containerFlags(settings),
    });
    const command = `$ cloche ${args.join(' ')}`;
    this.deps.log.info(`Test Explorer: ${command.slice(2)}`);
    const extra = coveringSet(cells).extra;
    if (extra.length) {
      // The CLI takes suites × platforms: the cells of that product not asked for run too, and are not reported.
      run.appendOutput(crlf(`${command}
also runs, not reported: ${extra.map((c) => `${c.suite} · ${c.platform}`).join(', ')} (the matrix takes suites × platforms)
`));
    }
    const reports = new Map<string, ConvergeReport>();
    const ended = new Set<string>();
    const end = (item: vscode.TestItem, o: CellOutcome) => {
      if (o.state === 'passed') run.passed(item, o.durationMs);
      else if (o.state === 'skipped') run.skipped(item);
      else {
        const messages = o.messages.map(({ message, problem }) => testMessage(message, problem?.location));
        if (o.state === 'failed') run.failed(item, messages, o.durationMs);
        else run.errored(item, messages, o.durationMs);
      }
    };
    let stderr = '';
    let summary: MatrixSummary | undefined;
    const r = await this.deps.cli.run({
      args, cwd: cookbookDir, timeoutMs: settings.timeouts.convergeSeconds * 1000 * cells.length, signal,
      onLine: (line) => {
        const l = parseMatrixLine(line);
        if (l && 'summary' in l) summary = l.summary;
        if (!l || !('cell' in l)) return;
        const key = cellKey(l.cell);
        const item = byCell.get(key);
        if (!item || ended.has(key)) return;
        const step = cellStep(l.event, reports.get(key));
        switch (step.kind) {
          case 'enqueued': run.enqueued(item); break;
          case 'started':
            run.started(item);
            run.appendOutput(crlf(`${command}
cell ${l.cell.suite} · ${l.cell.platform} of this matrix, on ${step.image}
`), undefined, item);
            break;
          case 'output':
            if (step.report) reports.set(key, step.report);
            run.appendOutput(crlf(step.text), undefined, item);
            break;
          case 'end':
            ended.add(key);
            end(item, step.outcome);
            break;
        }
      },
      onStderr: (chunk) => { stderr += chunk; run.appendOutput(crlf(chunk)); },
    });
    this.deps.log.info(`Test Explorer: the matrix of ${path.basename(cookbookDir)} ended (exit ${r.code}): ${r.cancelled ? 'cancelled' : summary ? summaryText(summary) : lastLines(stderr) || 'no summary'}`);
    for (const [key, item] of byCell) {
      if (ended.has(key)) continue;
      if (r.cancelled) { run.skipped(item); continue; }
      if (summary && !summary.cells.some((c) => cellKey(c) === key)) {
        // The matrix ran, without this pair: the suite's includes/excludes leave the platform out, as Test Kitchen would.
        const { suite, platform } = this.specs.get(item)!.cell!;
        run.appendOutput(crlf(`not run: suite ${suite} does not run on ${platform} (its includes/excludes in the kitchen file)\n`), undefined, item);
        run.skipped(item);
        continue;
      }
      const why = r.timedOut ? `stopped after ${settings.timeouts.convergeSeconds * cells.length} s` : lastLines(stderr) || `cloche test --matrix exited with code ${r.code}`;
      run.errored(item, new vscode.TestMessage(`the matrix gave no result for this cell: ${why}`));
    }
  }

  dispose(): void { this.watcher.dispose(); this.controller.dispose(); }
}


/** A test message, at its source line when it has one. */
function testMessage(text: string, at: { file: string; line: number; column: number } | undefined): vscode.TestMessage {
  const m = new vscode.TestMessage(text);
  if (at) m.location = new vscode.Location(vscode.Uri.file(at.file), new vscode.Position(at.line - 1, Math.max(0, at.column - 1)));
  return m;
}

/** Test output is a terminal: lines end with CRLF. */
function crlf(s: string): string { return s.replace(/\r?\n/g, '\r\n'); }
