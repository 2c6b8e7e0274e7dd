/**
 * One server of `sockcalc-server --workers N`, running in a Web Worker: its
 * own thread and event loop, listening on the same port as the others with
 * `SO_REUSEPORT`, so Linux spreads connections over all of them and each
 * uses a core. It reports its events to the main thread, which logs them,
 * and stops when the main thread says so.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { warmUpEvaluator } from "./evaluator_warm_up.ts";
import { painter, writeLine } from "./output.ts";
import { serve, type ServeOptions, type ServerEvent } from "./server.ts";
import { Tracer } from "./trace.ts";

/** What the main thread sends a worker. */
export type ToWorker =
  | {
    type: "start";
    options: Omit<ServeOptions, "signal" | "onEvent" | "trace" | "reusePort">;
    trace: boolean;
    color: boolean;
  }
  | { type: "stop" };

/** What a worker sends the main thread. */
export type FromWorker =
  | { type: "event"; event: ServerEvent }
  | { type: "failed"; message: string }
  | { type: "stopped" };

const controller = new AbortController();

self.onmessage = async (message: MessageEvent<ToWorker>) => {
  if (message.data.type === "stop") {
    controller.abort();
    return;
  }
  const { options, trace, color } = message.data;
  const post = (reply: FromWorker) => self.postMessage(reply);
  try {
    const server = serve({
      ...options,
      reusePort: true,
      signal: controller.signal,
      onEvent: (event) => post({ type: "event", event }),
      trace: trace
        ? new Tracer(
          "server",
          (line) => writeLine(Deno.stderr, line),
          painter(color),
        )
        : undefined,
    });
    warmUpEvaluator();
    await server.finished;
    post({ type: "stopped" });
  } catch (error) {
    post({
      type: "failed",
      message: error instanceof Error ? error.message : String(error),
    });
  }
  self.close();
};
