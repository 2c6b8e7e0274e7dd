/**
 * Graceful-stop signals, chosen for the platform: Windows delivers only
 * SIGINT (Ctrl-C) and SIGBREAK (Ctrl-Break), and `Deno.addSignalListener`
 * throws there for SIGTERM.
 *
 * @module
 */

/** The signals that ask a program to stop on the given platform. */
export function stopSignalsFor(os: typeof Deno.build.os): Deno.Signal[] {
  return os === "windows" ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM"];
}

/**
 * Calls `onStop` the first time a stop signal arrives, and `onForce` (if
 * given) on any signal after it: someone who presses Ctrl-C again does not
 * want to wait. Disposing the result removes the listeners again.
 */
export function stopSignals(
  onStop: () => void,
  os: typeof Deno.build.os = Deno.build.os,
  onForce?: () => void,
): Disposable {
  const signals = stopSignalsFor(os);
  let stopped = false;
  const listener = () => {
    if (stopped) {
      onForce?.();
      return;
    }
    stopped = true;
    onStop();
  };
  for (const signal of signals) Deno.addSignalListener(signal, listener);
  return {
    [Symbol.dispose]() {
      for (const signal of signals) Deno.removeSignalListener(signal, listener);
    },
  };
}
