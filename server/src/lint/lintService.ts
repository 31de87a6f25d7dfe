/**
 * When the cookbook author's linter runs on the editor's documents, and what becomes of its results:
 * on open and save (and as you type with `onType`), debounced, one run per document, an older run
 * cancelled by a newer text (debouncedRuns.ts); Format Document and per-cop corrections through the
 * same queue. Off in an untrusted workspace (RuboCop loads the `.rubocop.yml`'s `require:` plugins,
 * which are Ruby code) and when `cloche.lint.run` is `off`. A missing linter, a timeout or a failure
 * is a status (said once per change of state) and a log line, never an error per file; Cloche's own
 * diagnostics never depend on it. No LSP here: the adapter (features/lint.ts) gives it a host.
 */
import type { LintSettings } from '../settings';
import { correctText, findLinter, lintText, type Linter, type LintRun } from './cookstyle';
import { DebouncedRuns } from './debouncedRuns';
import type { LintOffence, LintTool } from './rubocopReport';

/** How the linter stands, for the client's status item (`cloche/lintStatus`). */
export interface LintStatus {
  state: 'ready' | 'missing' | 'off' | 'untrusted' | 'timeout' | 'failed';
  tool?: LintTool;
  version?: string;
  /** One sentence for people: what happened and what helps. */
  message: string;
}

/** A document as the service sees it: a key (its URI), its path and its text. */
export interface LintDocument { key: string; file: string; text: string }

/** What the service needs from the language server. */
export interface LintHost {
  settings(): LintSettings;
  trusted(): boolean;
  /** The folder a file's run starts in (its cookbook's). */
  cwdFor(file: string): string;
  /** The Ruby documents open in the editor. */
  documents(): LintDocument[];
  /** A document's offences (empty: clear them). */
  publish(key: string, tool: LintTool | undefined, offences: LintOffence[]): void;
  status(status: LintStatus): void;
  log(message: string): void;
}

/** A correction's text, or why there is none (`unavailable`: lint is off, untrusted or not installed). */
export type Correction = LintRun<string> | { ok: false; why: 'unavailable'; message: string };

/** Quiet time after a keystroke before a run (onType), and after open or save. */
const TYPING_DELAY_MS = 500;
const SAVE_DELAY_MS = 50;

export class LintService {
  private readonly runs = new DebouncedRuns(2);
  private readonly latest = new Map<string, { tool: LintTool; offences: LintOffence[] }>();
  /** A text a format or correction is about to give a document: linted when it arrives, even in onSave mode. */
  private readonly expected = new Map<string, string>();
  private lastStatus = '';
  /** RuboCop's version, from the last report. */
  private version: string | undefined;

  constructor(private readonly host: LintHost) {}

  /** A document was opened, changed or saved. */
  documentEvent(doc: LintDocument, event: 'open' | 'change' | 'save'): void {
    const followUp = event === 'change' && this.expected.get(doc.key) === doc.text;
    if (event === 'change') this.expected.delete(doc.key);
    const linter = this.linter();
    if (!linter) return;
    if (event === 'change' && !followUp && this.host.settings().run !== 'onType') return;
    const delay = event === 'change' && !followUp ? TYPING_DELAY_MS : SAVE_DELAY_MS;
    void this.runs.schedule(doc.key, delay, (signal) => this.lint(linter, doc, signal));
  }

  /** A document was closed: its run stops and its offences go. */
  close(key: string): void {
    this.runs.cancel(key);
    this.expected.delete(key);
    if (this.latest.delete(key)) this.host.publish(key, undefined, []);
  }

  /** The last offences published for a document. */
  offences(key: string): LintOffence[] {
    return this.latest.get(key)?.offences ?? [];
  }

  /** Settings or trust changed, or a `.rubocop.yml`: every open document is linted again, or cleared when lint is now off. */
  refresh(): void {
    this.runs.cancelAll();
    const on = this.host.settings().run !== 'off' && this.host.trusted();
    for (const doc of this.host.documents()) {
      if (on) this.documentEvent(doc, 'open');
      else if (this.latest.delete(doc.key)) this.host.publish(doc.key, undefined, []);
    }
    if (!on) this.linter();
  }

  /**
   * The document's text after the linter's autocorrect (Format Document, or one cop's correction
   * with `only`), or why there is none. The caller turns it into edits; the text that results is
   * linted when it arrives.
   */
  async correct(doc: LintDocument, opts: { only?: string; signal?: AbortSignal } = {}): Promise<Correction> {
    const available = this.available();
    if ('state' in available) { this.setStatus(available); return { ok: false, why: 'unavailable', message: available.message }; }
    const linter = available;
    const settings = this.host.settings();
    let result: Correction = { ok: false, why: 'cancelled', message: 'replaced by a newer run' };
    await this.runs.schedule(doc.key, 0, async (signal) => {
      const both = opts.signal ? AbortSignal.any([signal, opts.signal]) : signal;
      result = await correctText(linter, doc.file, doc.text, { cwd: this.host.cwdFor(doc.file), timeoutMs: settings.timeoutSeconds * 1000, signal: both, unsafe: settings.autocorrect === 'all', ...(opts.only ? { only: opts.only } : {}) });
    });
    this.report(linter, result, doc.file);
    return result;
  }

  /** The text the document will have after an edit Cloche hands the editor (its lint follows the edit). */
  expect(key: string, text: string): void {
    this.expected.set(key, text);
  }

  private async lint(linter: Linter, doc: LintDocument, signal: AbortSignal): Promise<void> {
    const r = await lintText(linter, doc.file, doc.text, { cwd: this.host.cwdFor(doc.file), timeoutMs: this.host.settings().timeoutSeconds * 1000, signal });
    if (signal.aborted) return;
    if (r.ok && r.value.version) this.version = r.value.version;
    this.report(linter, r, doc.file);
    if (!r.ok) return;
    this.latest.set(doc.key, { tool: linter.tool, offences: r.value.offences });
    this.host.publish(doc.key, linter.tool, r.value.offences);
  }

  /** The status after a run: ready, or the timeout or failure with a log line (a cancelled run says nothing). */
  private report(linter: Linter, r: LintRun<unknown> | Correction, file: string): void {
    if (r.ok) {
      const when = this.host.settings().run === 'onType' ? 'as you type' : 'on open and save';
      this.setStatus({ state: 'ready', tool: linter.tool, ...(this.version ? { version: this.version } : {}), message: `${linter.tool}${this.version ? ` (RuboCop ${this.version})` : ''} lints ${when}: ${linter.command}` });
      return;
    }
    if (r.why === 'cancelled' || r.why === 'unavailable') return;
    this.host.log(`lint: ${file}: ${r.message}`);
    this.setStatus(r.why === 'timeout'
      ? { state: 'timeout', tool: linter.tool, message: `${r.message} (cloche.lint.timeoutSeconds)` }
      : { state: 'failed', tool: linter.tool, message: r.message });
  }

  /** The linter to run now, or undefined with the status saying why (off, untrusted, missing). */
  private linter(): Linter | undefined {
    const available = this.available();
    if ('state' in available) { this.setStatus(available); return undefined; }
    return available;
  }

  /** The linter, or the status that says why none runs. */
  private available(): Linter | LintStatus {
    const settings = this.host.settings();
    if (settings.run === 'off') return { state: 'off', message: 'Lint and Format Document are off (cloche.lint.run)' };
    if (!this.host.trusted()) return { state: 'untrusted', message: "Lint is off in an untrusted workspace: RuboCop would load the workspace's .rubocop.yml plugins, which are Ruby code" };
    const found = findLinter(settings.command || undefined);
    if (typeof found === 'string') return { state: 'missing', message: `No lint or Format Document for Ruby files: ${found}` };
    return found;
  }

  /** Sends a status when it differs from the last one sent (so "not installed" is said once, not per file). */
  private setStatus(status: LintStatus): void {
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.host.status(status);
    if (status.state === 'missing' || status.state === 'untrusted') this.host.log(`lint: ${status.message}`);
  }
}
