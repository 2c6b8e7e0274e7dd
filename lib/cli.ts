/**
 * Pieces the two command-line programs share: the version, option values
 * such as durations and ports, and usage errors.
 *
 * @module
 */

import config from "../deno.json" with { type: "json" };

/** The version of sockcalc, from `deno.json`. */
export const VERSION: string = config.version;

/** Exit status for bad usage, as most command-line tools use. */
export const EXIT_USAGE = 2;

/** A mistake in the command line, reported with a hint and exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/**
 * Parses a duration such as `500ms`, `5s`, `1.5s` or `2m` into milliseconds;
 * a bare number means seconds.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./cli.ts";
 * console.assert(parseDuration("500ms", "--timeout") === 500);
 * ```
 */
export function parseDuration(text: string, option: string): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)$/.exec(text.trim());
  const unit = match ? (match[2] || "s") : "";
  if (!match || !(unit in DURATION_UNITS)) {
    throw new UsageError(
      `Invalid duration for ${option}: "${text}" (use a number with ms, s, m or h, such as 500ms or 5s)`,
    );
  }
  return Number(match[1]) * DURATION_UNITS[unit];
}

/**
 * Reads a `--host` value: a name or an address, an IPv6 one with or without
 * the brackets it takes in `[::1]:5050`.
 */
export function parseHost(text: string): string {
  const bracketed = /^\[([0-9A-Fa-f:.%\w]+)\]$/.exec(text);
  if (bracketed) return bracketed[1];
  if (text.startsWith("[") || text.endsWith("]")) {
    throw new UsageError(
      `Invalid host "${text}": give the address alone, as ::1 or [::1], ` +
        `and the port with --port`,
    );
  }
  return text;
}

/** Parses a duration that must be more than zero, such as a timeout. */
export function parsePositiveDuration(text: string, option: string): number {
  const ms = parseDuration(text, option);
  if (ms <= 0) {
    throw new UsageError(
      `Invalid duration for ${option}: "${text}" (use more than 0)`,
    );
  }
  return ms;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
// Two colons or more, nothing but what an IPv6 address holds, then a port.
const BARE_IPV6_AND_PORT = /^(?=(?:[^:]*:){2})[0-9A-Fa-f:.]*:\d{1,5}$/;

/**
 * Reads a server given as `HOST:PORT` (`[ADDRESS]:PORT` for IPv6), or
 * returns `undefined` when `text` is no server address at all (for the
 * client, an expression). An IPv6 address without brackets is a usage
 * error, since its last group cannot be told from a port.
 *
 * @example
 * ```ts
 * import { parseServerAddress } from "./cli.ts";
 * console.assert(parseServerAddress("[::1]:5050")?.hostname === "::1");
 * ```
 */
export function parseServerAddress(
  text: string,
): { hostname: string; port: number } | undefined {
  const target = HOST_PORT.exec(text);
  if (target) {
    return {
      hostname: parseHost(target[1]),
      port: parsePort(target[2], "HOST:PORT"),
    };
  }
  if (BARE_IPV6_AND_PORT.test(text)) {
    const split = text.lastIndexOf(":");
    throw new UsageError(
      `Invalid server "${text}": write an IPv6 address in brackets, as [${
        text.slice(0, split)
      }]${text.slice(split)}`,
    );
  }
  return undefined;
}

/** Parses a TCP port number; `allowZero` accepts 0, meaning any free port. */
export function parsePort(
  text: string,
  option: string,
  allowZero = false,
): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  const min = allowZero ? 0 : 1;
  if (!(port >= min && port <= 65535)) {
    throw new UsageError(
      `Invalid port for ${option}: "${text}" (use a whole number from ${min} to 65535)`,
    );
  }
  return port;
}

/** Parses a whole number of at least `min`, such as a connection limit. */
export function parseCount(
  text: string,
  option: string,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= min && count <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER
      ? `of at least ${min}`
      : `from ${min} to ${max.toLocaleString("en-US")}`;
    throw new UsageError(
      `Invalid value for ${option}: "${text}" (use a whole number ${range})`,
    );
  }
  return count;
}

/**
 * Turns an error thrown by `parseArgs` from `node:util` into a short
 * {@linkcode UsageError} that names the option.
 */
export function toUsageError(error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return new UsageError(`Unknown option ${unknown[1]}`);
  return new UsageError(message.split(/\.?\s+To specify/)[0]);
}
