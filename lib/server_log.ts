/**
 * Turns server events into log lines for people (`text`) or for programs
 * (`json`, one object a line).
 *
 * @module
 */

import { formatAddress } from "./network.ts";
import type { Painter } from "./output.ts";
import type { ServerEvent } from "./server.ts";

/** The log formats the server offers. */
export const LOG_FORMATS = ["text", "json"] as const;

/** One of {@linkcode LOG_FORMATS}. */
export type LogFormat = typeof LOG_FORMATS[number];

/** Options of {@linkcode formatServerEvent}. */
export interface LogOptions {
  format: LogFormat;
  /** Hides connections opening and closing. */
  quiet: boolean;
  paint: Painter;
  /** The clock, replaceable in tests. */
  now?: () => Date;
}

const CHATTY: ReadonlySet<ServerEvent["type"]> = new Set(["open", "close"]);

/** Formats one event as a log line, or returns `undefined` to hide it. */
export function formatServerEvent(
  event: ServerEvent,
  options: LogOptions,
): string | undefined {
  if (options.quiet && CHATTY.has(event.type)) return undefined;
  const time = (options.now ?? (() => new Date()))();
  if (options.format === "json") {
    const { type, ...fields } = event;
    return JSON.stringify({ time: time.toISOString(), event: type, ...fields });
  }
  const stamp = options.paint("detail", formatLocalTime(time));
  return `${stamp} ${describe(event, options.paint)}`;
}

function describe(event: ServerEvent, paint: Painter): string {
  switch (event.type) {
    case "listening":
      return paint(
        "ok",
        `listening on ${event.address.transport.toUpperCase()} ${
          formatAddress(event.address)
        }`,
      );
    case "open":
      return `open   ${event.peer} ${
        paint("detail", `(${event.connections} connected)`)
      }`;
    case "close":
      return `close  ${event.peer} ${
        paint(
          "detail",
          `(${plural(event.requests, "request")}, ${event.reason})`,
        )
      }`;
    case "refused":
      return paint(
        "warning",
        `refused ${event.peer}: limit of ${event.limit} connections reached`,
      );
    case "error":
      return paint(
        "error",
        `error  ${event.peer ? `${event.peer}: ` : ""}${event.message}`,
      );
    case "stopping":
      return `stopping: answering requests already received on ${
        plural(event.connections, "connection")
      }${event.connections > 0 ? "; a second Ctrl-C stops at once" : ""}`;
    case "forced":
      return paint(
        "warning",
        "stopped at once by a second signal; unsent replies are lost",
      );
    case "stopped":
      return event.unfinished === 0 ? paint("ok", "stopped") : paint(
        "warning",
        `stopped; ${
          plural(event.unfinished, "connection")
        } closed at the shutdown timeout`,
      );
  }
}

/** `HH:MM:SS.mmm` in the machine's time zone, as people read clocks. */
function formatLocalTime(time: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const milliseconds = String(time.getMilliseconds()).padStart(3, "0");
  return `${two(time.getHours())}:${two(time.getMinutes())}:${
    two(time.getSeconds())
  }.${milliseconds}`;
}

/** `1 connection`, `2 connections`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
