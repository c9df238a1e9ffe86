/**
 * Socket timeouts (Python's `settimeout`): a wait that gives up after some
 * seconds. The clock is a runtime global, so it lives in `runtime/`.
 * @module
 */

/**
 * `work`, or the error `expired()` makes once `seconds` have passed (null:
 * wait for ever). The work itself goes on; `expired` may cancel it.
 */
export async function withTimeout<T>(work: Promise<T>, seconds: number | null, expired: () => Error): Promise<T> {
  if (seconds === null) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
