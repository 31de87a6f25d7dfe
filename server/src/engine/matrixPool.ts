/**
 * Runs jobs with at most N at once, in the order given: a slot that frees starts the next job.
 * A job that throws is that job's result (its error), never the others' end; once `signal` aborts,
 * no job starts, and the pool waits for the running ones (which hear the same signal) to end.
 */

/** How one job ended: its value, its error, or never started (aborted first). */
export type JobOutcome<R> = { status: 'done'; value: R } | { status: 'threw'; error: unknown } | { status: 'not-started' };

/** Runs `job` over `items`, `concurrency` at a time; resolves when every started job has ended. */
export async function runPool<T, R>(items: readonly T[], concurrency: number, job: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<JobOutcome<R>[]> {
  const width = Math.max(1, Math.floor(concurrency));
  const outcomes: JobOutcome<R>[] = items.map(() => ({ status: 'not-started' }));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const i = next++;
      try {
        outcomes[i] = { status: 'done', value: await job(items[i], i) };
      } catch (error) {
        outcomes[i] = { status: 'threw', error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return outcomes;
}
