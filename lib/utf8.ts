/**
 * UTF-8 for the protocol: the quick decoding of a burst of ASCII lines, and
 * where exactly a request stops being valid UTF-8, for its error reply.
 *
 * @module
 */

const LF = 0x0a;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes the complete lines of a chunk (up to its last LF) in one go when
 * they are all ASCII, which a pipelining client's burst almost always is;
 * returns "" otherwise, and the lines are then decoded one by one.
 */
export function decodeAsciiLines(chunk: Uint8Array): string {
  const lastLf = chunk.lastIndexOf(LF);
  if (lastLf < 1) return "";
  const lines = chunk.subarray(0, lastLf + 1);
  if (lines.length <= SHORT_ASCII_BYTES) return decodeShortAscii(lines);
  let text: string;
  try {
    text = STRICT_UTF8.decode(lines);
  } catch {
    return "";
  }
  // Longer in bytes than in characters: some character is not ASCII.
  return text.length === lines.length ? text : "";
}

/**
 * Up to this many bytes, checking for ASCII and building the string in
 * JavaScript is several times cheaper than a call to TextDecoder, whose
 * fixed cost dominates a single short request.
 */
const SHORT_ASCII_BYTES = 256;

function decodeShortAscii(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return "";
  }
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/**
 * Returns the offset of the first byte that breaks UTF-8 in `bytes`, or
 * `bytes.length` when they are valid.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return i;
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when it is invalid. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i];
  if (lead < 0x80) return 1;
  let length: number, min: number, max: number;
  if (lead >= 0xc2 && lead <= 0xdf) [length, min, max] = [2, 0x80, 0xbf];
  else if (lead === 0xe0) [length, min, max] = [3, 0xa0, 0xbf];
  else if (lead === 0xed) [length, min, max] = [3, 0x80, 0x9f]; // no surrogates
  else if (lead >= 0xe1 && lead <= 0xef) [length, min, max] = [3, 0x80, 0xbf];
  else if (lead === 0xf0) [length, min, max] = [4, 0x90, 0xbf];
  else if (lead >= 0xf1 && lead <= 0xf3) [length, min, max] = [4, 0x80, 0xbf];
  else if (lead === 0xf4) [length, min, max] = [4, 0x80, 0x8f]; // up to U+10FFFF
  else return 0;
  if (i + length > bytes.length) return 0;
  if (bytes[i + 1] < min || bytes[i + 1] > max) return 0;
  for (let k = 2; k < length; k++) {
    if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return 0;
  }
  return length;
}
