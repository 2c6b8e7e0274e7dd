/**
 * Extra servers for `--workers N`: each a Web Worker with its own event
 * loop, listening on the same port with `SO_REUSEPORT`, so that the kernel
 * spreads connections over them and every core serves. Linux only: other
 * systems accept `SO_REUSEPORT` but do not spread connections, or lack it.
 *
 * Deno loads a worker's modules only with read permission for them, so
 * `deno run` needs `--allow-read` for `lib/` (the start task gives it).
 *
 * @module
 */

import type { ServeOptions, ServerEvent } from "./server.ts";
import type { FromWorker, ToWorker } from "./server_worker.ts";

/** Whether `--workers` can spread connections on this platform. */
export function workersSupported(os: typeof Deno.build.os): boolean {
  return os === "linux";
}

/** Options shared by every worker's server. */
export interface WorkerOptions {
  serve: Omit<ServeOptions, "signal" | "onEvent" | "trace" | "reusePort">;
  trace: boolean;
  color: boolean;
  onEvent: (event: ServerEvent) => void;
}

/** Running workers; `stop` asks each to finish and waits for all. */
export interface WorkerPool {
  stop(): Promise<void>;
}

/**
 * Starts `count` workers on the port the main server already listens on
 * (with `reusePort`), and resolves once each is listening. Rejects, after
 * stopping the others, if one cannot listen.
 */
export async function startWorkers(
  count: number,
  options: WorkerOptions,
): Promise<WorkerPool> {
  const workers = Array.from({ length: count }, () => startWorker(options));
  const results = await Promise.allSettled(workers.map((w) => w.listening));
  const failed = results.find((r): r is PromiseRejectedResult =>
    r.status === "rejected"
  );
  const pool = {
    async stop() {
      for (const worker of workers) worker.send({ type: "stop" });
      await Promise.all(workers.map((w) => w.stopped));
    },
  };
  if (failed) {
    await pool.stop();
    throw failed.reason;
  }
  return pool;
}

interface RunningWorker {
  listening: Promise<void>;
  stopped: Promise<void>;
  send(message: ToWorker): void;
}

function startWorker(options: WorkerOptions): RunningWorker {
  const worker = new Worker(new URL("./server_worker.ts", import.meta.url), {
    type: "module",
  });
  const listening = Promise.withResolvers<void>();
  const stopped = Promise.withResolvers<void>();
  worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
    if (data.type === "event") {
      if (data.event.type === "listening") listening.resolve();
      options.onEvent(data.event);
    } else {
      if (data.type === "failed") listening.reject(new Error(data.message));
      worker.terminate();
      stopped.resolve();
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    listening.reject(new Error(event.message));
    worker.terminate();
    stopped.resolve();
  };
  worker.postMessage({
    type: "start",
    options: options.serve,
    trace: options.trace,
    color: options.color,
  });
  return {
    listening: listening.promise,
    stopped: stopped.promise,
    send: (m) => worker.postMessage(m),
  };
}
