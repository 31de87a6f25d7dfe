/**
 * Runs a job per key (a document) after a quiet time: scheduling again cancels the key's pending
 * or running job (its signal aborts), the next one starts only once the previous one has ended (at
 * most one running per key), and at most `maxParallel` run at once over all keys (opening twenty
 * files does not start twenty linters on a small machine). No processes here: jobs get a signal.
 */
export class DebouncedRuns {
  private readonly jobs = new Map<string, { controller: AbortController; timer?: NodeJS.Timeout; done: Promise<void> }>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  constructor(private readonly maxParallel = 2) {}

  /** Runs `job` for `key` after `delayMs`, replacing the key's earlier job; resolves when it has run or was replaced. */
  schedule(key: string, delayMs: number, job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const previous = this.jobs.get(key);
    this.cancel(key);
    const controller = new AbortController();
    const entry: { controller: AbortController; timer?: NodeJS.Timeout; done: Promise<void> } = { controller, done: Promise.resolve() };
    entry.done = new Promise<void>((resolve) => {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        void (async () => {
          await previous?.done;
          if (controller.signal.aborted) return;
          await this.slot();
          try {
            if (!controller.signal.aborted) await job(controller.signal);
          } catch { /* a job reports its own failures */ } finally {
            this.release();
          }
        })().finally(() => {
          if (this.jobs.get(key) === entry) this.jobs.delete(key);
          resolve();
        });
      }, delayMs);
      // A job cancelled before its timer fired ends at once.
      controller.signal.addEventListener('abort', () => { if (entry.timer) { clearTimeout(entry.timer); entry.timer = undefined; if (this.jobs.get(key) === entry) this.jobs.delete(key); resolve(); } }, { once: true });
    });
    this.jobs.set(key, entry);
    return entry.done;
  }

  /** Cancels the key's pending or running job. */
  cancel(key: string): void {
    this.jobs.get(key)?.controller.abort();
  }

  /** Cancels every job. */
  cancelAll(): void {
    for (const key of [...this.jobs.keys()]) this.cancel(key);
  }

  /** Whether a job is pending or running for the key. */
  has(key: string): boolean {
    return this.jobs.has(key);
  }

  private async slot(): Promise<void> {
    if (this.active < this.maxParallel) { this.active++; return; }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); else this.active--;
  }
}
