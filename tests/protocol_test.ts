import { deepEqual, equal, throws } from "node:assert/strict";
import {
  encodeReply,
  encodeRequest,
  type Frame,
  parseReply,
  ReplyDecoder,
  RequestDecoder,
} from "../lib/protocol.ts";
import { CalcService } from "../lib/service.ts";
import { firstInvalidUtf8Offset } from "../lib/utf8.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds every chunk to a decoder and collects the frames, flushing at the end if asked. */
function decode(
  chunks: Uint8Array[],
  options: { flush?: boolean; max?: number } = {},
): Frame[] {
  const decoder = new RequestDecoder({ maxRequestBytes: options.max });
  const frames: Frame[] = [];
  for (const chunk of chunks) {
    decoder.push(chunk);
    for (let frame = decoder.next(); frame; frame = decoder.next()) {
      frames.push(frame);
    }
  }
  const last = options.flush ? decoder.flush() : undefined;
  if (last) frames.push(last);
  return frames;
}

const request = (text: string, terminated = true): Frame => ({
  kind: "request",
  text,
  terminated,
});

Deno.test("RequestDecoder gives the same requests whatever byte the stream is split at", () => {
  const stream = bytes("3+8+5\r\n2**10\n\nmath.pi \u00b7 2\n7//2");
  const expected = [
    request("3+8+5"),
    request("2**10"),
    request(""),
    request("math.pi \u00b7 2"),
    request("7//2", false),
  ];
  for (let split = 0; split <= stream.length; split++) {
    const chunks = [stream.slice(0, split), stream.slice(split)];
    deepEqual(
      decode(chunks, { flush: true }),
      expected,
      `split at byte ${split}`,
    );
  }
});

Deno.test("RequestDecoder.nextOrRemembered answers as next() would, whatever byte the stream is split at", () => {
  const service = new CalcService();
  for (const warm of ["3+8+5", "2**10", "", "7//2"]) {
    service.answer(request(warm), "peer");
  }
  const cache = service.replyCache!;
  const stream = bytes("3+8+5\r\n2**10\n\n\u03c0\n1+1\n3+8+5\n7//2");
  const expected =
    "16\n1024\nERR SyntaxError: invalid syntax (<string>, line 0)\n" +
    "ERR NameError: name '\u03c0' is not defined\n2\n16\n3";
  for (let split = 0; split <= stream.length; split++) {
    const decoder = new RequestDecoder();
    let replies = "";
    const answer = (next: Uint8Array | Frame) =>
      new TextDecoder().decode(
        next instanceof Uint8Array ? next : service.answer(next, "peer"),
      );
    for (const chunk of [stream.slice(0, split), stream.slice(split)]) {
      decoder.push(chunk);
      for (
        let next = decoder.nextOrRemembered(cache);
        next;
        next = decoder.nextOrRemembered(cache)
      ) {
        replies += answer(next);
      }
    }
    replies += answer(decoder.flush()!);
    equal(replies, expected, `split at byte ${split}`);
  }
});

Deno.test("RequestDecoder gives the same requests when every byte arrives alone", () => {
  const stream = bytes("1+1\n\u03c0\r\n2");
  const chunks = [...stream].map((b) => Uint8Array.of(b));
  deepEqual(decode(chunks, { flush: true }), [
    request("1+1"),
    request("\u03c0"),
    request("2", false),
  ]);
});

Deno.test("RequestDecoder drops only a CR that comes right before LF", async (t) => {
  const cases: [string, string[]][] = [
    ["1+1\r\n", ["1+1"]],
    ["1\r2\n", ["1\r2"]],
    ["\r\n", [""]],
    ["1\r\r\n", ["1\r"]],
  ];
  for (const [input, texts] of cases) {
    await t.step(JSON.stringify(input), () => {
      deepEqual(decode([bytes(input)]), texts.map((text) => request(text)));
    });
  }
});

Deno.test("RequestDecoder splits a pipelined burst into every request, in order", () => {
  const lines = Array.from({ length: 5_000 }, (_, i) => `${i}*2`);
  const frames = decode([bytes(lines.join("\n") + "\n")]);
  deepEqual(frames, lines.map((text) => request(text)));
});

Deno.test("RequestDecoder keeps bytes without LF until more arrive or the sender pauses", () => {
  const decoder = new RequestDecoder();
  decoder.push(bytes("3+8"));
  equal(decoder.next(), undefined);
  equal(decoder.hasPartialRequest, true);
  decoder.push(bytes("+5"));
  equal(decoder.next(), undefined);
  deepEqual(decoder.flush(), request("3+8+5", false));
  equal(decoder.hasPartialRequest, false);
  equal(decoder.flush(), undefined);
});

Deno.test("RequestDecoder says whether an unfinished request follows complete ones in its read", () => {
  const decoder = new RequestDecoder();
  decoder.push(bytes("4"));
  equal(decoder.next(), undefined);
  equal(decoder.partialFollowsRequests, false, "alone in its read");
  decoder.push(bytes("2\n1+1\n2+"));
  deepEqual(decoder.next(), request("42"));
  deepEqual(decoder.next(), request("1+1"));
  equal(decoder.next(), undefined);
  equal(decoder.partialFollowsRequests, true, "after 42 and 1+1");
  decoder.push(bytes("3"));
  equal(decoder.next(), undefined);
  equal(decoder.partialFollowsRequests, true, "still the burst's last");
  deepEqual(decoder.flush(), request("2+3", false));
  equal(decoder.partialFollowsRequests, false, "once it is finished");
});

Deno.test("RequestDecoder keeps a CR at the end of an unterminated request", () => {
  deepEqual(decode([bytes("1+1\r")], { flush: true }), [
    request("1+1\r", false),
  ]);
});

Deno.test("RequestDecoder answers an over-long line once, then carries on", async (t) => {
  const tooLong = (length: number, terminated = true): Frame => ({
    kind: "invalid",
    reply:
      `ERR RequestTooLong: request of ${length} bytes exceeds the limit of 8 bytes`,
    terminated,
  });
  await t.step("in one chunk", () => {
    deepEqual(decode([bytes("123456789\n1+1\n")], { max: 8 }), [
      tooLong(9),
      request("1+1"),
    ]);
  });
  await t.step("exactly at the limit is accepted", () => {
    deepEqual(decode([bytes("12345678\n")], { max: 8 }), [request("12345678")]);
  });
  await t.step("the CR of CRLF does not count", () => {
    deepEqual(decode([bytes("12345678\r\n")], { max: 8 }), [
      request("12345678"),
    ]);
  });
  await t.step(
    "the CR of CRLF does not count when LF comes in the next read",
    () => {
      deepEqual(decode([bytes("12345678\r"), bytes("\n")], { max: 8 }), [
        request("12345678"),
      ]);
    },
  );
  await t.step("a CR that no LF follows counts", () => {
    deepEqual(decode([bytes("12345678\r")], { max: 8, flush: true }), [
      tooLong(9, false),
    ]);
  });
  await t.step("spread over chunks, without keeping the excess", () => {
    const chunks = ["12345", "6789012", "345", "67\n2*3\n"].map(bytes);
    deepEqual(decode(chunks, { max: 8 }), [tooLong(17), request("2*3")]);
  });
  await t.step("ended by a pause instead of LF", () => {
    deepEqual(decode([bytes("1234567890")], { max: 8, flush: true }), [
      tooLong(10, false),
    ]);
  });
  await t.step("split at every byte boundary", () => {
    const stream = bytes("1234567890123\n4\n");
    for (let split = 0; split <= stream.length; split++) {
      const frames = decode([stream.slice(0, split), stream.slice(split)], {
        max: 8,
      });
      deepEqual(frames, [tooLong(13), request("4")], `split at byte ${split}`);
    }
  });
});

Deno.test("RequestDecoder answers invalid UTF-8 with an error naming the byte", async (t) => {
  const cases: [number[], string][] = [
    [[0xff, 0x31], "byte 0xff at offset 0"],
    [[0x31, 0x2b, 0xc0, 0x80], "byte 0xc0 at offset 2"], // overlong NUL
    [[0xed, 0xa0, 0x80], "byte 0xed at offset 0"], // a UTF-16 surrogate
    [[0x31, 0xe2, 0x82], "byte 0xe2 at offset 1"], // cut short
    [[0xf4, 0x90, 0x80, 0x80], "byte 0xf4 at offset 0"], // beyond U+10FFFF
  ];
  for (const [input, detail] of cases) {
    await t.step(input.map((b) => b.toString(16)).join(" "), () => {
      const frames = decode([Uint8Array.from([...input, 0x0a, 0x32, 0x0a])]);
      deepEqual(frames, [
        {
          kind: "invalid",
          reply: `ERR InvalidUtf8: request is not valid UTF-8 text: ${detail}`,
          terminated: true,
        },
        request("2"),
      ]);
    });
  }
});

Deno.test("firstInvalidUtf8Offset agrees with a strict TextDecoder on random bytes", () => {
  const strict = new TextDecoder("utf-8", { fatal: true });
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
  for (let round = 0; round < 20_000; round++) {
    // Mostly high bytes, so that multi-byte sequences of every kind appear.
    const sample = Uint8Array.from(
      { length: 1 + (round % 6) },
      () => random() | (round % 3 ? 0x80 : 0),
    );
    let valid = true;
    try {
      strict.decode(sample);
    } catch {
      valid = false;
    }
    equal(
      firstInvalidUtf8Offset(sample) === sample.length,
      valid,
      `bytes ${sample.join(",")}`,
    );
  }
});

Deno.test("RequestDecoder refuses a new chunk before the previous one is consumed", () => {
  const decoder = new RequestDecoder();
  decoder.push(bytes("1\n2\n"));
  decoder.next();
  throws(() => decoder.push(bytes("3\n")), /previous one is not consumed/);
});

Deno.test("encodeReply ends a reply with LF exactly when its request had one", () => {
  equal(encodeReply("16", true), "16\n");
  equal(encodeReply("16", false), "16");
  equal(encodeRequest("3+8+5"), "3+8+5\n");
});

Deno.test("parseReply tells values from errors", async (t) => {
  const cases: [string, ReturnType<typeof parseReply>][] = [
    ["16", { ok: true, value: "16" }],
    ["(3, 1)", { ok: true, value: "(3, 1)" }],
    ["ERR ZeroDivisionError: division by zero", {
      ok: false,
      type: "ZeroDivisionError",
      message: "division by zero",
    }],
    ["ERR SyntaxError: invalid syntax (<string>, line 1)", {
      ok: false,
      type: "SyntaxError",
      message: "invalid syntax (<string>, line 1)",
    }],
    ["ERR Odd", { ok: false, type: "Odd", message: "" }],
  ];
  for (const [line, expected] of cases) {
    await t.step(line, () => deepEqual(parseReply(line), expected));
  }
});

Deno.test("ReplyDecoder splits replies at LF across chunks and keeps the unterminated rest", () => {
  const decoder = new ReplyDecoder();
  deepEqual(decoder.push(bytes("16\n3.")), ["16"]);
  deepEqual(decoder.push(bytes("5\nTr")), ["3.5"]);
  deepEqual(decoder.push(Uint8Array.of(0xcf)), []); // half of a two-byte character
  deepEqual(decoder.push(Uint8Array.of(0x80, 0x0a)), ["Tr\u03c0"]);
  deepEqual(decoder.push(bytes("42")), []);
  equal(decoder.finish(), "42");
  equal(decoder.finish(), undefined);
});
