/**
 * Runs jobs on hosts, each host with its own number of slots: a freed slot of a host starts the
 * next job, in the order given, that the host can run (a cell runs only where its image is).
 * The first jobs go to the hosts in the order given (one slot of each host in turn), so a matrix
 * over two hosts starts on both. A job that throws is that job's result, never the others' end.
 *
 * A host can be lost mid-run. After a job that did not pass (`check`), and every `heartbeatMs`
 * while a host runs jobs, the host is asked whether it answers (`alive`): a host that does not
 * answer after a job that did not pass, or at two heartbeats in a row, is lost. Its running jobs
 * are aborted (their own signal) and end as `hostLost`, the jobs it had not started go to the
 * other hosts that can run them, and a job no host left can run ends `not-run`, with the hosts it
 * was waiting for. Once `signal` aborts, no job starts, and the pool waits for the running ones
 * (which hear the same signal) to end.
 */

/** How one job ended: its value (`hostLost`: why its host was lost while it ran), its error, never started (aborted first), or not run (every host that could run it was lost). */
export type JobOutcome<R> =
  | { status: 'done'; value: R; host: number; hostLost?: string }
  | { status: 'threw'; error: unknown; host: number; hostLost?: string }
  | { status: 'not-started' }
  | { status: 'not-run'; lostHosts: number[] };

/** A job's place on the hosts: the hosts (indexes) that can run it. */
export interface HostJob { hosts: readonly number[] }

/** Options of {@link runOnHosts}. */
export interface HostPoolOptions<R> {
  /** Aborts every job and starts none (Ctrl+C). */
  signal?: AbortSignal;
  /** Whether a job's value asks for its host to be checked (a cell that did not pass: its host may be why). */
  check?: (value: R) => boolean;
  /** Undefined when the host answers, else why not. Without it hosts are never lost. */
  alive?: (host: number) => Promise<string | undefined>;
  /** Time between checks of a host that runs jobs (0 or absent: none). */
  heartbeatMs?: number;
  /** Told once when a host is lost, and why. */
  onHostLost?: (host: number, why: string) => void;
  /** Told each job's outcome as it is known (not-run ones at the end). */
  onOutcome?: (index: number, outcome: JobOutcome<R>) => void;
}

/** Heartbeats in a row a host may miss before it is lost (one miss may be a daemon busy for a moment). */
const MISSED_HEARTBEATS = 2;

/**
 * Runs `job(item, index, host, signal)` over `items` on hosts of `slots[h]` slots each; resolves
 * when every started job has ended, with each job's outcome in the items' order.
 */
export async function runOnHosts<T extends HostJob, R>(items: readonly T[], slots: readonly number[],
  job: (item: T, index: number, host: number, signal: AbortSignal) => Promise<R>, opts: HostPoolOptions<R> = {}): Promise<JobOutcome<R>[]> {
  const outcomes: JobOutcome<R>[] = items.map(() => ({ status: 'not-started' }));
  const queued = items.map((_, i) => i);
  const lost = new Map<number, string>();
  const running = slots.map(() => new Set<AbortController>());
  const missed = slots.map(() => 0);
  const asking = new Map<number, Promise<string | undefined>>();

  const loseHost = (h: number, why: string): void => {
    if (lost.has(h)) return;
    lost.set(h, why);
    for (const c of running[h]) c.abort();
    opts.onHostLost?.(h, why);
  };
  /** Asks host h once at a time; a lost host stays lost. */
  const ask = (h: number): Promise<string | undefined> => {
    if (lost.has(h)) return Promise.resolve(lost.get(h));
    if (!opts.alive) return Promise.resolve(undefined);
    let p = asking.get(h);
    if (!p) {
      p = opts.alive(h).catch((e: unknown) => (e as Error).message || 'it could not be asked').finally(() => asking.delete(h));
      asking.set(h, p);
    }
    return p;
  };
  const settle = (i: number, o: JobOutcome<R>): void => { outcomes[i] = o; opts.onOutcome?.(i, o); };

  const lane = async (h: number): Promise<void> => {
    while (!opts.signal?.aborted && !lost.has(h)) {
      const at = queued.findIndex((i) => items[i].hosts.includes(h));
      if (at < 0) return;
      const [i] = queued.splice(at, 1);
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      running[h].add(controller);
      let outcome: JobOutcome<R>;
      try {
        outcome = { status: 'done', value: await job(items[i], i, h, controller.signal), host: h };
      } catch (error) {
        outcome = { status: 'threw', error, host: h };
      }
      running[h].delete(controller);
      opts.signal?.removeEventListener('abort', onAbort);
      const suspect = outcome.status === 'threw' || (opts.check?.(outcome.value) ?? false);
      if (suspect && !opts.signal?.aborted) {
        const why = await ask(h);
        if (why !== undefined) loseHost(h, why);
      }
      if (suspect && lost.has(h)) outcome = { ...outcome, hostLost: lost.get(h)! };
      if (!opts.signal?.aborted) settle(i, outcome);
      else outcomes[i] = outcome;
    }
  };

  let beat: NodeJS.Timeout | undefined;
  if (opts.heartbeatMs && opts.alive) {
    beat = setInterval(() => {
      slots.forEach((_, h) => {
        if (lost.has(h) || running[h].size === 0 || asking.has(h)) return;
        void ask(h).then((why) => {
          if (why === undefined) { missed[h] = 0; return; }
          if (++missed[h] >= MISSED_HEARTBEATS) loseHost(h, why);
        });
      });
    }, opts.heartbeatMs);
    beat.unref();
  }
  // One slot of each host in turn, so the first jobs spread over the hosts.
  const lanes: Promise<void>[] = [];
  for (let k = 0; k < Math.max(0, ...slots); k++) slots.forEach((n, h) => { if (k < n) lanes.push(lane(h)); });
  try {
    await Promise.all(lanes);
  } finally {
    clearInterval(beat);
  }
  if (!opts.signal?.aborted) {
    for (const i of queued) settle(i, { status: 'not-run', lostHosts: items[i].hosts.filter((h) => lost.has(h)) });
  }
  return outcomes;
}

/** Runs `job` over `items`, `concurrency` at a time on one host, in order; resolves when every started job has ended. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, job: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<JobOutcome<R>[]> {
  const onOne = items.map((item) => ({ item, hosts: [0] }));
  return runOnHosts(onOne, [Math.max(1, Math.floor(concurrency))], (x, i) => job(x.item, i), { signal });
}
