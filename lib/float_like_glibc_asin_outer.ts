/**
 * `asin` and `acos` as glibc 2.36 computes them on x86-64 outside its
 * table range: for |x| < 1/8 and for 0.96875 <= |x| < 1.
 *
 * Below 1/8 glibc sums x + x³ P(x²), where P is its degree-5 polynomial
 * f1..f6; acos subtracts that from pi/2 in two parts. From 0.96875 it
 * uses asin(x) = pi/2 - 2 asin(sqrt(z)), z = (1 - |x|)/2, with sqrt(z)
 * as a 24-bit head y plus a tail cc from a table guess of 1/sqrt(z), a
 * cubic correction and one Newton step; then asin(sqrt(z)) is
 * (y + cc)(1 + z P(z)). Its results are not always correctly rounded, so
 * matching CPython means doing the same steps. The FMA build fuses each
 * product with the sum that follows it, except in the last step of acos
 * near ±1: measured against CPython, those fused and unfused choices are
 * the ones that give its replies, so they are made here.
 *
 * @module
 */

import { fmaInRange } from "./float_fma.ts";
import { highWord } from "./float_like_glibc_words.ts";

// glibc's polynomial for asin(s)/s - 1 in s², f1..f6 (uasncs.h).
const F1 = 1.66666666666664110590506577996662e-1;
const F2 = 7.50000000026122686814431784722623e-2;
const F3 = 4.4642856142105975097851735000694e-2;
const F4 = 3.03821268582119319911193410625235e-2;
const F5 = 2.23551211026525610742786300334557e-2;
const F6 = 1.81382903404565056280372531963613e-2;
// glibc's cubic in r = 1 - t² z for the guess t of 1/sqrt(z), rt0..rt3.
const RT0 = 9.99999999859990725855365213134618e-1;
const RT1 = 4.99999999495955425917856814202739e-1;
const RT2 = 3.7501750086734518258145302613085e-1;
const RT3 = 3.12523626554518656309172508769531e-1;
// pi/2 split as glibc's hp0 + hp1.
const HALF_PI_HI = 1.5707963267948966;
const HALF_PI_LO = 6.123233995736766e-17;
// Adding and taking back 2^24 cuts sqrt(z) to a head whose square is exact.
const ASIN_HEAD = 2 ** 24;
// acos cuts it to 26 bits instead, with 2^27 c + c - 2^27 c.
const ACOS_HEAD = 2 ** 27;

// glibc's guesses of 1/sqrt(m) for m in [1/2, 2): 64 cells of width 1/128
// over [1/2, 1), then 64 of width 1/64 over [1, 2); each is the value at
// the cell's midpoint rounded to 14 decimals, as glibc's table prints it.
// Computed with python3's decimal module.
// deno-fmt-ignore
const INVERSE_ROOTS = [
  1.40872145012100, 1.39792649065766, 1.38737595123859, 1.37706074531819,
  1.36697225234682, 1.35710228748795, 1.34744307370643, 1.33798721601135,
  1.32872767765984, 1.31965775814772, 1.31077107283046, 1.30206153403386,
  1.29352333352711, 1.28515092624400, 1.27693901514820, 1.26888253714903,
  1.26097664998256, 1.25321671998073, 1.24559831065844, 1.23811717205462,
  1.23076923076923, 1.22355058064300, 1.21645747403153, 1.20948631362953,
  1.20263364480453, 1.19589614840310, 1.18927063399547, 1.18275403352732,
  1.17634339535009, 1.17003587860341, 1.16382874792529, 1.15771936846787,
  1.15170520119791, 1.14578379846309, 1.13995279980655, 1.13420992801334,
  1.12855298537376, 1.12297985014975, 1.11748847323133, 1.11207687497107,
  1.10674314218572, 1.10148542531442, 1.09630193572405, 1.09119094315276,
  1.08615077328341, 1.08117980543918, 1.07627647039410, 1.07143924829188,
  1.06666666666667, 1.06195729855996, 1.05730976072814, 1.05272271193563,
  1.04819485132867, 1.04372491688551, 1.03931168393861, 1.03495396376504,
  1.03065060224133, 1.02640047855933, 1.02220250399990, 1.01805562076124,
  1.01395880083916, 1.00991104495649, 1.00591138153909, 1.00195886573624,
  0.99611649018350, 0.98848330114434, 0.98102294317595, 0.97372899112030,
  0.96659534932828, 0.95961623024651, 0.95278613468066, 0.94609983358253,
  0.93955235122353, 0.93313894963169, 0.92685511418159, 0.92069654023750,
  0.91465912076005, 0.90873893479530, 0.90293223677296, 0.89723544654727,
  0.89164514012056, 0.88615804099474, 0.88077101210109, 0.87548104826333,
  0.87028526915267, 0.86518091269740, 0.86016532891275, 0.85523597411976,
  0.85039040552437, 0.84562627613070, 0.84094132996422, 0.83633339758291,
  0.83180039185606, 0.82734030399203, 0.82295119979782, 0.81863121615464,
  0.81437855769486, 0.81019149366693, 0.80606835497581, 0.80200753138734,
  0.79800746888611, 0.79406666717674, 0.79018367731967, 0.78635709949278,
  0.78258558087123, 0.77886781361798, 0.77520253297841, 0.77158851547266,
  0.76802457717971, 0.76450957210799, 0.76104239064719, 0.75762195809661,
  0.75424723326565, 0.75091720714229, 0.74763090162560, 0.74438736831878,
  0.74118568737933, 0.73802496642311, 0.73490433947940, 0.73182296599416,
  0.72878002987884, 0.72577473860242, 0.72280632232420, 0.71987403306536,
  0.71697714391715, 0.71411494828392, 0.71128675915902, 0.70849190843208,
];

/** P(s) = f1 + s (f2 + ... + s f6), each step fused. */
function polynomial(s: number): number {
  let p = fmaInRange(F6, s, F5);
  p = fmaInRange(p, s, F4);
  p = fmaInRange(p, s, F3);
  p = fmaInRange(p, s, F2);
  return fmaInRange(p, s, F1);
}

/** asin(x) for 2^-26 <= |x| < 1/8, as glibc. */
export function asinSmall(x: number): number {
  const x2 = x * x;
  return fmaInRange(polynomial(x2), x2 * x, x);
}

/** acos(x) for 2^-55 <= |x| < 1/8, as glibc. */
export function acosSmall(x: number): number {
  const x2 = x * x;
  const r = HALF_PI_HI - x;
  // The rounding error of r, plus pi/2's low part, less x³ P(x²).
  const low = ((HALF_PI_HI - r) - x) + HALF_PI_LO;
  return r + fmaInRange(-polynomial(x2), x2 * x, low);
}

/**
 * [c, t] where c is about sqrt(z) and t about sqrt(z) too, from glibc's
 * table guess of 1/sqrt(z), its cubic correction and a Newton step.
 */
function roughRoot(z: number): [number, number] {
  const high = highWord(z);
  // The cell from the exponent's lowest bit and the top 6 mantissa bits;
  // the power of two from the rest of the exponent.
  const guess = INVERSE_ROOTS[(high & 0x1fffff) >>> 14] *
    2 ** (511 - (high >>> 21));
  const r = fmaInRange(-(guess * guess), z, 1);
  const s = guess *
    fmaInRange(r, fmaInRange(r, fmaInRange(r, RT3, RT2), RT1), RT0);
  const c = s * z;
  return [c, c * fmaInRange(-0.5 * s, c, 1.5)];
}

/** The tail cc of sqrt(z) = y + cc, given the head y and t near sqrt(z). */
function rootTail(z: number, y: number, t: number): number {
  return (z - y * y) / (t + y);
}

/** asin(|x|) for 0.96875 <= |x| < 1, as glibc. */
export function asinNearOne(ax: number): number {
  const z = 0.5 * (1 - ax);
  const [c, t] = roughRoot(z);
  const y = (c + ASIN_HEAD) - ASIN_HEAD;
  const cc = rootTail(z, y, t);
  const p = polynomial(z) * z;
  const cor = fmaInRange(-2 * (y + cc), p, HALF_PI_LO - 2 * cc);
  return (HALF_PI_HI - 2 * y) + cor;
}

/** acos(x) for 0.96875 <= |x| < 1, as glibc. */
export function acosNearOne(x: number): number {
  const z = 0.5 * (x > 0 ? 1 - x : 1 + x);
  const [c, t] = roughRoot(z);
  const y = (ACOS_HEAD * c + c) - ACOS_HEAD * c;
  const cc = rootTail(z, y, t);
  const p = polynomial(z) * z;
  const res = x > 0
    ? y + (cc + p * (y + cc))
    : (HALF_PI_HI - y) + ((HALF_PI_LO - cc) - (y + cc) * p);
  return res + res;
}
