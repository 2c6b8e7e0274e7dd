/**
 * What a character of an expression's source is, for the tokenizer: digits,
 * the characters of names (with CPython's rules for non-ASCII identifiers),
 * string prefixes, and CPython's errors for characters that cannot stand in
 * source.
 *
 * @module
 */

import type { PyException } from "./py_value.ts";
import { syntaxError } from "./syntax_error.ts";

/** Whether `c` is an ASCII digit. */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Whether `c` can start a name: a letter, `_`, or a non-ASCII character. */
export function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f ||
    (c >= 0x80 && isUnicodeNameStart(c));
}

function isUnicodeNameStart(c: number): boolean {
  // Surrogates start astral characters, which may be letters.
  return (c >= 0xd800 && c <= 0xdbff) ||
    /[\p{XID_Start}\p{XID_Continue}]/u.test(String.fromCharCode(c));
}

/** Whether `c` can continue a name (ASCII only). */
export function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

/** Whether a string prefix (`r`, `b`, `f`, `u`, `rb`, ...) starts at `start`. */
export function isStringPrefix(src: string, start: number): boolean {
  const prefix = src.slice(start, start + 3).toLowerCase();
  for (const p of ["rb", "br", "fr", "rf", "r", "b", "f", "u"]) {
    if (prefix.startsWith(p) && !isNameCharAt(src, start + p.length)) {
      return true;
    }
  }
  return false;
}

function isNameCharAt(src: string, i: number): boolean {
  const c = src.charCodeAt(i);
  return c < 0x80 && isNameChar(c);
}

/**
 * Checks a non-ASCII identifier and returns its NFKC form, as CPython does,
 * raising CPython's `invalid character` error for the first bad character.
 */
export function checkIdentifier(text: string, line: number): string {
  const normalized = text.normalize("NFKC");
  if (/^[\p{XID_Start}_][\p{XID_Continue}]*$/u.test(normalized)) {
    return normalized;
  }
  let first = true;
  for (const ch of text) {
    const ok = first
      ? /[\p{XID_Start}_]/u.test(ch.normalize("NFKC").slice(0, 1))
      : /^\p{XID_Continue}+$/u.test(ch.normalize("NFKC"));
    if (!ok) throw invalidCharacter(ch, line);
    first = false;
  }
  throw invalidCharacter(text[0], line);
}

/** CPython's `SyntaxError` for a character that cannot stand in source. */
export function invalidCharacter(ch: string, line: number): PyException {
  const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u.test(ch)) {
    return syntaxError(`invalid non-printable character U+${code}`, line);
  }
  return syntaxError(`invalid character '${ch}' (U+${code})`, line);
}
