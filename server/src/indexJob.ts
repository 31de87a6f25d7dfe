/**
 * The scan of the whole workspace as a background job (the language server): its folders are read
 * in slices of a few milliseconds, each followed by a turn of the event loop, so requests, edits
 * and cancellations are handled between them; then every cookbook's resolution is made the same
 * way, so the first request after the job does not resolve thousands of cookbooks at once. Until
 * the job ends, the analysis answers from the cookbooks looked up for the files asked about
 * (`chef/cookbookLookup.ts`).
 *
 * A small workspace is not answered early: while the scan has found fewer than
 * {@link SMALL_INDEX} cookbooks (in fewer than {@link SMALL_INDEX_FOLDERS} folders), requests wait
 * for the whole index, as they would for a single slice. The limit is counted, not timed, so what a
 * request sees never depends on the machine's speed.
 */
import { Workspace } from './chef/workspace';
import { ModelSet } from './chef/modelSet';

/** Cookbooks a scan finds before requests are answered from the early index. */
export const SMALL_INDEX = 100;
/** Folders a scan reads before requests are answered from the early index (cookbooks may be sparse). */
export const SMALL_INDEX_FOLDERS = 1_000;
/** How long a slice of the job runs before it lets the event loop turn. */
const SLICE_MS = 8;

export interface IndexJobOptions {
  readable?: (file: string, cookbookDir: string | undefined) => boolean;
  /** Awaited before the job ends (tests hold the index open to see the early answers). */
  hold?: () => Promise<void>;
}

export class IndexJob {
  readonly ws: Workspace;
  readonly models: ModelSet;
  readonly started = performance.now();
  /** Resolves true when the job ended, false when it was cancelled. */
  readonly done: Promise<boolean>;
  /** Resolves once requests may be answered: the workspace is past a small one, or the job ended or was cancelled. */
  readonly serving: Promise<void>;
  private cancelled = false;
  private serve!: () => void;

  constructor(roots: string[], overlays: ReadonlyMap<string, string>, private readonly opts: IndexJobOptions = {}) {
    this.ws = new Workspace(roots, false, opts.readable);
    for (const [file, text] of overlays) this.ws.setOverlay(file, text);
    this.models = new ModelSet(this.ws);
    this.serving = new Promise((resolve) => { this.serve = resolve; });
    this.done = this.run().finally(() => this.serve());
  }

  /** Stops the job at its next slice (the roots changed, cookbooks appeared or went). */
  cancel(): void {
    this.cancelled = true;
    this.serve();
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  private async run(): Promise<boolean> {
    await turn(); // the analysis that started the job answers its first messages first
    let folders = 0;
    let slice = performance.now();
    for (const _ of this.ws.scanSteps()) {
      if (++folders >= SMALL_INDEX_FOLDERS || this.ws.all.length >= SMALL_INDEX) this.serve();
      if (performance.now() - slice < SLICE_MS) continue;
      await turn();
      if (this.cancelled) return false;
      slice = performance.now();
    }
    for (const cb of this.ws.all) {
      this.models.resolution(cb);
      if (performance.now() - slice < SLICE_MS) continue;
      await turn();
      if (this.cancelled) return false;
      slice = performance.now();
    }
    await this.opts.hold?.();
    return !this.cancelled;
  }
}

/** One turn of the event loop (messages that arrived are handled). */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
