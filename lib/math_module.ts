/**
 * Python's `math` module for the calculator: every public name of CPython
 * 3.11's `math`, with its argument handling, special values and errors.
 *
 * Integer functions are exact on unbounded ints, within the limits of
 * `math_int.ts`. `fsum`, `hypot`, `dist`, `prod`, `frexp`, `ldexp`, `fmod`,
 * `remainder`, `nextafter`, `ulp`, `copysign`, `modf` and `sqrt` are exact
 * or correctly rounded, as in CPython.
 *
 * The other float functions reply as CPython does on x86-64 Linux, whose
 * C library is glibc:
 *
 * - `exp`, `exp2`, `expm1`, `log1p`, `pow`, `cbrt`, `sin`, `cos`, `asin`,
 *   `acos`, `sinh`, `cosh`, `erf` and `erfc` follow glibc's own methods operation
 *   for operation, fused multiply-adds included (`float_like_glibc_*.ts`,
 *   `float_erf.ts`), and `asinh`, `acosh` and `atanh` glibc's formulas on
 *   those;
 * - `log`, `log2`, `tan`, `atan` and `atan2` are correctly rounded
 *   (`float_exact_*.ts`), and `log10` is glibc's formula on that `log`.
 *   glibc's own are correctly rounded but in rare cases near a tie (0.01 %
 *   to 0.15 % of random inputs), where our replies differ from CPython's
 *   by one unit in the last place;
 * - `gamma` and `lgamma` are CPython's own method on those;
 * - `tanh` is JavaScript's `Math.tanh`, which agrees with glibc's on every
 *   input compared (docs/float_accuracy.md has the figures of each).
 *
 * @example
 * ```ts
 * import { MATH_MODULE } from "./math_module.ts";
 * import { PyFunction } from "./py_value.ts";
 *
 * const factorial = MATH_MODULE.attributes.get("factorial") as PyFunction;
 * factorial.call([5n], new Map()); // 120n
 * ```
 *
 * @module
 */

import {
  binary,
  bindArguments,
  checkCount,
  rejectKeywords,
  unary,
  variadic,
} from "./math_args.ts";
import { copysign, nextafter, ulp } from "./math_bits.ts";
import {
  applyChecked,
  checkBinaryResult,
  fmodChecked,
  frexpTuple,
  isclose,
  ldexpChecked,
  log10,
  log2,
  logWithBase,
  modfTuple,
  pow,
  remainderChecked,
  roundToInt,
  trunc,
} from "./math_float.ts";
import { comb, factorial, gcd, isqrt, lcm, perm } from "./math_int.ts";
import { gamma, lgamma } from "./math_special.ts";
import { erf, erfc } from "./float_erf.ts";
import { acosLikeGlibc, asinLikeGlibc } from "./float_like_glibc_asin.ts";
import { exactAtan, exactAtan2 } from "./float_exact_atan.ts";
import { exp2LikeGlibc, expLikeGlibc } from "./float_like_glibc_exp.ts";
import { cbrtLikeGlibc } from "./float_like_glibc_cbrt.ts";
import {
  coshLikeGlibc,
  expm1LikeGlibc,
  sinhLikeGlibc,
} from "./float_like_glibc_expm1.ts";
import { log1pLikeGlibc } from "./float_like_glibc_log.ts";
import {
  acoshLikeGlibc,
  asinhLikeGlibc,
  atanhLikeGlibc,
} from "./float_exact_inverse_hyperbolic.ts";
import { exactTan } from "./float_exact_trig.ts";
import { cosLikeGlibc, sinLikeGlibc } from "./float_like_glibc_sin.ts";
import { dist, fsum, hypot, prod } from "./math_sum.ts";
import { toFloat } from "./py_convert.ts";
import { PyFunction, PyModule, type PyValue } from "./py_value.ts";

/**
 * One-argument float functions: the JavaScript function and whether an
 * infinite result from a finite argument is an overflow (else a pole).
 */
const CHECKED_FUNCTIONS: [string, (x: number) => number, boolean][] = [
  ["acos", acosLikeGlibc, false],
  ["acosh", acoshLikeGlibc, false],
  ["asin", asinLikeGlibc, false],
  ["asinh", asinhLikeGlibc, false],
  ["atan", exactAtan, false],
  ["atanh", atanhLikeGlibc, false],
  ["cbrt", cbrtLikeGlibc, false],
  ["cos", cosLikeGlibc, false],
  ["cosh", coshLikeGlibc, true],
  ["exp", expLikeGlibc, true],
  ["exp2", exp2LikeGlibc, true],
  ["expm1", expm1LikeGlibc, true],
  ["fabs", Math.abs, false],
  ["log1p", log1pLikeGlibc, false],
  ["sin", sinLikeGlibc, false],
  ["sinh", sinhLikeGlibc, true],
  ["sqrt", Math.sqrt, false],
  ["tan", exactTan, false],
  ["tanh", Math.tanh, false],
];

const RADIANS_PER_DEGREE = Math.PI / 180;
const DEGREES_PER_RADIAN = 180 / Math.PI;

/** Functions of one float whose errors their own code raises. */
const PLAIN_FUNCTIONS: [string, (x: number) => PyValue][] = [
  ["degrees", (x) => x * DEGREES_PER_RADIAN],
  ["erf", erf],
  ["erfc", erfc],
  ["gamma", gamma],
  ["isfinite", Number.isFinite],
  ["isinf", (x) => x === Infinity || x === -Infinity],
  ["isnan", Number.isNaN],
  ["lgamma", lgamma],
  ["radians", (x) => x * RADIANS_PER_DEGREE],
  ["ulp", ulp],
];

/** Functions of two floats, with CPython's checks of the result. */
const BINARY_FUNCTIONS: [string, (x: number, y: number) => number][] = [
  ["atan2", exactAtan2],
  ["copysign", copysign],
];

const ISCLOSE_SIGNATURE = {
  name: "isclose",
  names: ["a", "b", "rel_tol", "abs_tol"],
  positionalOnly: 0,
  maxPositional: 2,
  required: 2,
};

const PROD_SIGNATURE = {
  name: "prod",
  names: ["iterable", "start"],
  positionalOnly: 1,
  maxPositional: 1,
  required: 1,
};

function buildFunctions(): PyFunction[] {
  return [
    ...CHECKED_FUNCTIONS.map(([name, fn, canOverflow]) =>
      unary(name, (x) => applyChecked(fn, x, canOverflow))
    ),
    ...PLAIN_FUNCTIONS.map(([name, fn]) => unary(name, (x) => fn(toFloat(x)))),
    ...BINARY_FUNCTIONS.map(([name, fn]) =>
      binary(name, (xValue, yValue) => {
        const x = toFloat(xValue);
        const y = toFloat(yValue);
        return checkBinaryResult(x, y, fn(x, y));
      })
    ),
    unary("ceil", (x) => roundToInt(x, Math.ceil)),
    unary("floor", (x) => roundToInt(x, Math.floor)),
    unary("trunc", trunc),
    unary("frexp", frexpTuple),
    unary("modf", modfTuple),
    unary("log2", log2),
    unary("log10", log10),
    unary("fsum", fsum),
    unary("factorial", factorial),
    unary("isqrt", isqrt),
    binary("fmod", fmodChecked),
    binary("remainder", remainderChecked),
    binary("pow", pow),
    binary("ldexp", ldexpChecked),
    binary("nextafter", (x, y) => nextafter(toFloat(x), toFloat(y))),
    binary("comb", comb),
    binary("dist", dist),
    variadic("gcd", gcd),
    variadic("lcm", lcm),
    variadic("hypot", hypot),
    new PyFunction("log", (args, keywords) => {
      rejectKeywords("log", keywords);
      return logWithBase(args);
    }),
    new PyFunction("perm", (args, keywords) => {
      rejectKeywords("math.perm", keywords);
      checkCount("perm", args, 1, 2);
      const k = args[1];
      return k === undefined ? factorial(args[0]) : perm(args[0], k);
    }),
    new PyFunction("isclose", (args, keywords) => {
      const [a, b, relTol, absTol] = bindArguments(
        ISCLOSE_SIGNATURE,
        args,
        keywords,
      ).map((v) => v === undefined ? undefined : toFloat(v));
      return isclose(a!, b!, relTol ?? 1e-9, absTol ?? 0);
    }),
    new PyFunction("prod", (args, keywords) => {
      const [iterable, start] = bindArguments(PROD_SIGNATURE, args, keywords);
      return prod(iterable!, start ?? 1n);
    }),
  ];
}

/** The `math` module: every public name of CPython 3.11's `math`. */
export const MATH_MODULE: PyModule = new PyModule(
  "math",
  new Map<string, PyValue>([
    ["e", Math.E],
    ["inf", Infinity],
    ["nan", NaN],
    ["pi", Math.PI],
    ["tau", 2 * Math.PI],
    ...buildFunctions().map((f): [string, PyValue] => [f.name, f]),
  ]),
);
