import { deepEqual, equal, throws } from "node:assert/strict";
import {
  parseCount,
  parseDuration,
  parseHost,
  parsePort,
  parsePositiveDuration,
  parseServerAddress,
  toUsageError,
  UsageError,
} from "../lib/cli.ts";

Deno.test("parseDuration reads milliseconds, seconds, minutes and hours", async (t) => {
  const cases: [string, number][] = [
    ["500ms", 500],
    ["5s", 5_000],
    ["1.5s", 1_500],
    [".25s", 250],
    ["2m", 120_000],
    ["2min", 120_000],
    ["1h", 3_600_000],
    ["3", 3_000],
  ];
  for (const [text, ms] of cases) {
    await t.step(text, () => equal(parseDuration(text, "--timeout"), ms));
  }
});

Deno.test("parseDuration rejects what is not a duration, naming the option", async (t) => {
  for (const text of ["", "soon", "5 sec", "-1s", "1e3ms", "5d"]) {
    await t.step(JSON.stringify(text), () => {
      throws(
        () => parseDuration(text, "--timeout"),
        (error) =>
          error instanceof UsageError &&
          error.message.startsWith(`Invalid duration for --timeout: "${text}"`),
      );
    });
  }
});

Deno.test("parsePort accepts 1 to 65535, and 0 only where a free port may be picked", () => {
  equal(parsePort("5050", "--port"), 5050);
  equal(parsePort("65535", "--port"), 65535);
  equal(parsePort("0", "--port", true), 0);
  throws(() => parsePort("0", "--port"), /from 1 to 65535/);
  throws(
    () => parsePort("65536", "--port"),
    /Invalid port for --port: "65536"/,
  );
  throws(() => parsePort("50a", "--port"), UsageError);
  throws(() => parsePort("-1", "--port", true), UsageError);
});

Deno.test("parseCount refuses more than its maximum, naming the range", () => {
  equal(parseCount("1000000", "--cache-size", 0, 1_000_000), 1_000_000);
  throws(
    () => parseCount("1000001", "--cache-size", 0, 1_000_000),
    /"1000001" \(use a whole number from 0 to 1,000,000\)/,
  );
});

Deno.test("parseCount accepts whole numbers from its minimum", () => {
  equal(parseCount("10000", "--max-connections"), 10_000);
  throws(() => parseCount("0", "--max-connections"), /at least 1/);
  throws(() => parseCount("1.5", "--max-connections"), UsageError);
});

Deno.test("parseHost takes an IPv6 address with or without brackets", () => {
  equal(parseHost("[::1]"), "::1");
  equal(parseHost("::1"), "::1");
  equal(parseHost("[fe80::1%eth0]"), "fe80::1%eth0");
  equal(parseHost("localhost"), "localhost");
  equal(parseHost("192.168.0.10"), "192.168.0.10");
  throws(
    () => parseHost("[::1"),
    /Invalid host "\[::1": give the address alone/,
  );
  throws(() => parseHost("[::1]:5050"), /and the port with --port/);
});

Deno.test("parsePositiveDuration refuses zero", () => {
  equal(parsePositiveDuration("1ms", "--timeout"), 1);
  throws(
    () => parsePositiveDuration("0s", "--timeout"),
    /Invalid duration for --timeout: "0s" \(use more than 0\)/,
  );
});

Deno.test("parseServerAddress reads HOST:PORT and [IPv6]:PORT, and leaves expressions alone", () => {
  deepEqual(parseServerAddress("192.168.0.10:5050"), {
    hostname: "192.168.0.10",
    port: 5050,
  });
  deepEqual(parseServerAddress("localhost:6000"), {
    hostname: "localhost",
    port: 6000,
  });
  deepEqual(parseServerAddress("[::1]:5050"), { hostname: "::1", port: 5050 });
  equal(parseServerAddress("3+8+5"), undefined);
  equal(parseServerAddress("lambda x: 1"), undefined);
  throws(
    () => parseServerAddress("fe80::1:5050"),
    /Invalid server "fe80::1:5050": write an IPv6 address in brackets, as \[fe80::1\]:5050/,
  );
  throws(() => parseServerAddress("host:99999"), /Invalid port for HOST:PORT/);
});

Deno.test("toUsageError shortens parseArgs errors to name the option", () => {
  equal(
    toUsageError(
      new TypeError(
        "Unknown option '--frobnicate'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--frobnicate\"",
      ),
    ).message,
    "Unknown option --frobnicate",
  );
});
