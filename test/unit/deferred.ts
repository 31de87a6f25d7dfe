// Promises a test settles by hand, and one turn of the event loop: for schedulers driven by fake jobs.

/** A promise with its resolve and reject, for a job the test ends when it chooses. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** One turn of the event loop (what became ready runs). */
export const tick = () => new Promise((r) => setImmediate(r));
