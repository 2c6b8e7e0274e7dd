import { equal, ok } from "node:assert/strict";
import { painter } from "../lib/output.ts";
import type { Frame } from "../lib/protocol.ts";
import { CalcService } from "../lib/service.ts";
import { Tracer } from "../lib/trace.ts";

const request = (text: string, terminated = true): Frame => ({
  kind: "request",
  text,
  terminated,
});

/** The reply a service gives, as text. */
function reply(service: CalcService, frame: Frame): string {
  return new TextDecoder().decode(service.answer(frame, "peer"));
}

/** A service whose trace lines are collected, to see which replies were remembered. */
function tracedService(replyCacheSize: number) {
  const lines: string[] = [];
  const tracer = new Tracer(
    "server",
    (line) => lines.push(line),
    painter(false),
  );
  const service = new CalcService({ replyCacheSize, tracer });
  const remembered = () =>
    lines.filter((line) => line.includes("(remembered")).length;
  return { service, remembered, lines };
}

Deno.test("CalcService traces a long request and reply cut short, in full on the wire", () => {
  const { service, lines } = tracedService(16);
  const sum = Array(2000).fill("1").join("+");
  equal(reply(service, request(sum)), "2000\n");
  equal(reply(service, request("7**4000")).length, 3382);
  for (const line of lines) ok(line.length < 300, line);
  ok(lines.some((line) => /decode .*\(\+3,901 more characters\)/.test(line)));
  ok(
    lines.some((line) => /evaluate .*\(\+3,281 more characters\)/.test(line)),
  );
});

Deno.test("CalcService answers a repeated expression from memory, with the same reply", () => {
  const { service, remembered } = tracedService(16);
  equal(reply(service, request("2**100")), "1267650600228229401496703205376\n");
  equal(remembered(), 0);
  equal(reply(service, request("2**100")), "1267650600228229401496703205376\n");
  equal(remembered(), 1);
});

Deno.test("CalcService keeps the line ending of each request, remembered or not", () => {
  const service = new CalcService();
  equal(
    reply(service, request("1/0")),
    "ERR ZeroDivisionError: division by zero\n",
  );
  equal(
    reply(service, request("1/0", false)),
    "ERR ZeroDivisionError: division by zero",
  );
  equal(
    reply(service, request("1/0")),
    "ERR ZeroDivisionError: division by zero\n",
  );
});

Deno.test("CalcService encodes replies that are not ASCII as UTF-8", () => {
  const service = new CalcService();
  equal(
    reply(service, request("\u03c0")),
    "ERR NameError: name '\u03c0' is not defined\n",
  );
});

Deno.test("CalcService forgets the oldest reply when full, and remembers nothing at size 0", () => {
  const { service, remembered } = tracedService(2);
  for (const text of ["1+1", "2+2", "3+3", "1+1", "3+3"]) {
    service.answer(request(text), "peer");
  }
  equal(
    remembered(),
    1,
    "1+1 was forgotten to make room for 3+3; 3+3 was remembered",
  );
  const none = tracedService(0);
  for (const text of ["1+1", "1+1"]) none.service.answer(request(text), "peer");
  equal(none.remembered(), 0);
});

Deno.test("CalcService passes protocol errors through without evaluating them", () => {
  const service = new CalcService();
  equal(
    reply(service, {
      kind: "invalid",
      reply: "ERR RequestTooLong: too long",
      terminated: false,
    }),
    "ERR RequestTooLong: too long",
  );
});
