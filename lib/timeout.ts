/**
 * Waiting with a time limit, without leaving timers behind.
 *
 * @module
 */

/** What {@linkcode withTimeout} resolves to when time runs out first. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * Waits for `promise`, but no longer than `ms` milliseconds. The timer is
 * always cleared, so nothing keeps the process alive afterwards.
 */
export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
