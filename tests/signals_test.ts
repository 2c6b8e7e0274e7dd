import { deepEqual } from "node:assert/strict";
import { stopSignalsFor } from "../lib/signals.ts";

Deno.test("stopSignalsFor listens for SIGINT and SIGBREAK on Windows, which has no SIGTERM", () => {
  deepEqual(stopSignalsFor("windows"), ["SIGINT", "SIGBREAK"]);
});

Deno.test("stopSignalsFor listens for SIGINT and SIGTERM on Linux and macOS", () => {
  deepEqual(stopSignalsFor("linux"), ["SIGINT", "SIGTERM"]);
  deepEqual(stopSignalsFor("darwin"), ["SIGINT", "SIGTERM"]);
});
