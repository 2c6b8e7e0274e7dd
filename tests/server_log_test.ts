import { deepEqual, equal } from "node:assert/strict";
import { painter } from "../lib/output.ts";
import { formatServerEvent, type LogOptions } from "../lib/server_log.ts";

// Local time, as the log shows it.
const now = () => new Date(2026, 11, 3, 16, 2, 11, 532);
const text: LogOptions = {
  format: "text",
  quiet: false,
  paint: painter(false),
  now,
};

Deno.test("formatServerEvent writes text lines with the time, peer and request count", async (t) => {
  const cases: [Parameters<typeof formatServerEvent>[0], string][] = [
    [
      {
        type: "listening",
        address: { transport: "tcp", hostname: "0.0.0.0", port: 5050 },
      },
      "16:02:11.532 listening on TCP 0.0.0.0:5050",
    ],
    [
      { type: "open", peer: "127.0.0.1:4000", connections: 1 },
      "16:02:11.532 open   127.0.0.1:4000 (1 connected)",
    ],
    [
      {
        type: "close",
        peer: "127.0.0.1:4000",
        requests: 1,
        reason: "client closed",
      },
      "16:02:11.532 close  127.0.0.1:4000 (1 request, client closed)",
    ],
    [
      { type: "stopped", unfinished: 2 },
      "16:02:11.532 stopped; 2 connections closed at the shutdown timeout",
    ],
  ];
  for (const [event, line] of cases) {
    await t.step(event.type, () => equal(formatServerEvent(event, text), line));
  }
});

Deno.test("formatServerEvent hides connections opening and closing when quiet, but not errors", () => {
  const quiet = { ...text, quiet: true };
  equal(
    formatServerEvent({ type: "open", peer: "p", connections: 1 }, quiet),
    undefined,
  );
  equal(
    formatServerEvent({ type: "error", message: "accept failed: x" }, quiet),
    "16:02:11.532 error  accept failed: x",
  );
});

Deno.test("formatServerEvent writes one JSON object per line in json format", () => {
  const line = formatServerEvent(
    {
      type: "close",
      peer: "127.0.0.1:4000",
      requests: 3,
      reason: "idle timeout",
    },
    { ...text, format: "json" },
  );
  deepEqual(JSON.parse(line!), {
    time: now().toISOString(),
    event: "close",
    peer: "127.0.0.1:4000",
    requests: 3,
    reason: "idle timeout",
  });
});
