/**
 * The special functions and distributions the statistics need, written out so nasbook has no
 * numeric dependency: log-gamma, the regularized incomplete gamma and beta functions, and from
 * them the normal and Student-t distributions (density, CDF, quantile).
 *
 * Accuracy: log-gamma uses the Lanczos approximation (g = 7, 9 terms), good to about 1e-15
 * relative; the incomplete functions use the classic series / continued-fraction pair
 * (modified Lentz), good to a few 1e-15; quantiles are found by safeguarded Newton/Halley steps
 * on the exact CDF, so they are as accurate as the CDF (about 1e-14 relative in the tests, which
 * compare against scipy).
 */
import { checkNumber } from './checks';

const EPS = 1e-16;
// Smallest magnitude the Lentz recursions let a denominator take before clamping it.
const TINY = 1e-300;
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

function lanczosLogGamma(x: number): number {
  if (x < 0.5) {
    // Reflection Γ(x)Γ(1-x) = π / sin(πx) keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lanczosLogGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The natural logarithm of the gamma function, ln Γ(x), for x > 0.
 * @param x a positive number
 * @throws RangeError if x is not a finite positive number
 * @example logGamma(5) // ln 24 ≈ 3.17805383034794
 */
export function logGamma(x: number): number {
  checkNumber('x', x, { min: 0, exclusiveMin: true }, 'logGamma');
  return lanczosLogGamma(x);
}

/** Series for the lower regularized gamma P(a, x); converges fast for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 100000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - lanczosLogGamma(a));
}

/** Continued fraction for the upper regularized gamma Q(a, x); converges fast for x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - lanczosLogGamma(a)) * h;
}

/** erfc(u) for any real u via Q(1/2, u²), accurate in the far tail where 1 - erf(u) would round to 0. */
function erfc(u: number): number {
  if (u < 0) return 2 - erfc(-u);
  if (u === 0) return 1;
  const x = u * u;
  return x < 1.5 ? 1 - gammaSeries(0.5, x) : gammaContinuedFraction(0.5, x);
}

/**
 * The standard normal density φ(z).
 * @param z any finite number
 * @throws TypeError if z is not a finite number
 * @example normalPdf(0) // 0.3989422804014327
 */
export function normalPdf(z: number): number {
  checkNumber('z', z, {}, 'normalPdf');
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/**
 * The standard normal CDF Φ(z) = P(Z <= z), accurate in relative terms far into the lower tail.
 * @param z any finite number
 * @throws TypeError if z is not a finite number
 * @example normalCdf(1.959963984540054) // 0.975
 */
export function normalCdf(z: number): number {
  checkNumber('z', z, {}, 'normalCdf');
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The standard normal quantile Φ⁻¹(p): a start from Abramowitz & Stegun 26.2.23 (error < 4.5e-4)
 * polished by Halley steps on the exact CDF.
 * @param p a probability strictly between 0 and 1
 * @throws RangeError if p is not in (0, 1)
 * @example normalQuantile(0.975) // ≈ 1.95996398454005
 */
export function normalQuantile(p: number): number {
  checkNumber('p', p, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, 'normalQuantile');
  if (p === 0.5) return 0;
  // Work in the lower tail, where the CDF keeps full relative precision; 1 - p is exact for p > 0.5.
  const q = p < 0.5 ? p : 1 - p;
  const t = Math.sqrt(-2 * Math.log(q));
  let z = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (let i = 0; i < 6; i++) {
    const u = (0.5 * erfc(-z / Math.SQRT2) - q) / Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    const step = u / (1 + (z * u) / 2);
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(z)) break;
  }
  return p < 0.5 ? z : -z;
}

/** The Lentz continued fraction of the incomplete beta function (the part after the prefactor). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  // Near the switch point the fraction needs O(sqrt(max(a, b))) terms; allow that many and more.
  const maxTerms = 1000 + Math.ceil(50 * Math.sqrt(Math.max(a, b)));
  for (let m = 1; m <= maxTerms; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  throw new Error(`regularizedIncompleteBeta: the continued fraction did not converge for a = ${a}, b = ${b}, x = ${x}`);
}

/** Stirling's series remainder: ln Γ(x) - [(x - 1/2) ln x - x + ln √(2π)], for x >= 10. */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / x;
}

/**
 * ln B(a, b). When one shape is large, ln Γ(a + b) - ln Γ(a) cancels two huge numbers (for the t
 * distribution with df = 10^7 they are near 8e7 and the difference is near 8), so that difference
 * is taken analytically from Stirling's series instead, with log1p keeping the small ratio exact.
 */
function logBeta(a: number, b: number): number {
  const big = Math.max(a, b);
  const small = Math.min(a, b);
  if (big < 100) return lanczosLogGamma(a) + lanczosLogGamma(b) - lanczosLogGamma(a + b);
  const sum = big + small;
  const logGammaBigMinusSum =
    -(big - 0.5) * Math.log1p(small / big) - small * Math.log(sum) + small + stirlingCorrection(big) - stirlingCorrection(sum);
  return lanczosLogGamma(small) + logGammaBigMinusSum;
}

/**
 * I_x(a, b) given x and y = 1 - x separately, so callers that know 1 - x exactly (the t CDF) do not
 * lose it to rounding.
 */
function betaRegularized(x: number, y: number, a: number, b: number, logX = Math.log(x), logY = Math.log(y)): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  // With a near 10^7, a·ln(x) amplifies the rounding of x itself; callers that can pass exact logs do.
  const logFront = a * logX + b * logY - logBeta(a, b);
  const front = Math.exp(logFront);
  // The fraction converges fast only on one side of the mean; use the symmetry I_x(a,b) = 1 - I_y(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).
 * @param x a number in [0, 1]
 * @param a a positive shape
 * @param b a positive shape
 * @throws RangeError if x is outside [0, 1] or a shape is not positive
 * @example regularizedIncompleteBeta(0.5, 2, 3) // 0.6875
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  const caller = 'regularizedIncompleteBeta';
  checkNumber('x', x, { min: 0, max: 1 }, caller);
  checkNumber('a', a, { min: 0, exclusiveMin: true }, caller);
  checkNumber('b', b, { min: 0, exclusiveMin: true }, caller);
  return betaRegularized(x, 1 - x, a, b);
}

function checkDf(df: unknown, caller: string): number {
  if (df === Infinity) return Infinity;
  return checkNumber('df', df, { min: 0, exclusiveMin: true }, caller);
}

/**
 * From this many degrees of freedom on, the Cornish-Fisher series is used instead of the incomplete
 * beta function: there the continued fraction needs thousands of terms and loses digits (1e-11 at
 * df = 1e6), while the series' first omitted term, of order z¹¹/df⁵, is below 1e-20 relative for
 * p >= 1e-12 (checked against mpmath at 30 digits).
 */
const LARGE_DF = 1e5;

/** P(T <= t) for t <= 0, computed directly so it keeps relative precision in the lower tail. */
function studentLowerTail(t: number, df: number): number {
  if (t === 0) return 0.5;
  if (df >= LARGE_DF) return largeDfLowerTail(t, df);
  const r = (t * t) / df;
  if (!Number.isFinite(r)) return 0;
  // x = df / (df + t²) and y = t² / (df + t²), written so neither overflows for huge |t|, with
  // their logarithms from log1p so that (df/2)·ln(x) stays exact when df is huge.
  const logX = -Math.log1p(r);
  return 0.5 * betaRegularized(1 / (1 + r), r / (1 + r), df / 2, 0.5, logX, Math.log(r) + logX);
}

function studentPdfUnchecked(t: number, df: number): number {
  // Γ((ν+1)/2) / (Γ(ν/2) √(νπ)) = 1 / (B(ν/2, 1/2) √ν), since Γ(1/2) = √π.
  const logNorm = -logBeta(df / 2, 0.5) - 0.5 * Math.log(df);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The Student-t density with `df` degrees of freedom (df = Infinity gives the normal density).
 * @param t any finite number
 * @param df degrees of freedom, > 0 (need not be an integer), or Infinity
 * @throws RangeError if df is not positive
 * @example studentTPdf(0, 1) // 1/π ≈ 0.318309886183791
 */
export function studentTPdf(t: number, df: number): number {
  checkNumber('t', t, {}, 'studentTPdf');
  const nu = checkDf(df, 'studentTPdf');
  return nu === Infinity ? normalPdf(t) : studentPdfUnchecked(t, nu);
}

/**
 * The Student-t CDF P(T <= t), from the identity P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2).
 * @param t any finite number
 * @param df degrees of freedom, > 0 (need not be an integer), or Infinity
 * @throws RangeError if df is not positive
 * @example studentTCdf(2.776445105197793, 4) // ≈ 0.975
 */
export function studentTCdf(t: number, df: number): number {
  checkNumber('t', t, {}, 'studentTCdf');
  const nu = checkDf(df, 'studentTCdf');
  if (nu === Infinity) return normalCdf(t);
  return t <= 0 ? studentLowerTail(t, nu) : 1 - studentLowerTail(-t, nu);
}

/** Cornish-Fisher expansion of the t quantile around the normal one (Abramowitz & Stegun 26.7.5). */
function cornishFisher(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

function cornishFisherSlope(z: number, df: number): number {
  const z2 = z * z;
  const d1 = (3 * z2 + 1) / 4;
  const d2 = ((25 * z2 + 48) * z2 + 3) / 96;
  const d3 = (((21 * z2 + 95) * z2 + 51) * z2 - 15) / 384;
  const d4 = ((((711 * z2 + 5432) * z2 + 7410) * z2 - 5760) * z2 - 945) / 92160;
  return 1 + d1 / df + d2 / df ** 2 + d3 / df ** 3 + d4 / df ** 4;
}

/** For df >= LARGE_DF: P(T <= t) = Φ(z) where z solves cornishFisher(z, df) = t (Newton; the map is increasing). */
function largeDfLowerTail(t: number, df: number): number {
  // Below t = -40 the tail is under 1e-340 for every df >= 1e5: zero in double precision.
  if (t < -40) return 0;
  let z = t;
  for (let i = 0; i < 30; i++) {
    const step = (cornishFisher(z, df) - t) / cornishFisherSlope(z, df);
    z -= step;
    if (Math.abs(step) <= 1e-16 * Math.abs(z)) break;
  }
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * The Student-t quantile: the t with P(T <= t) = p. Closed forms for df = 1 and 2; otherwise a
 * Cornish-Fisher start polished by Newton steps on the exact CDF, kept inside a bracket (bisection
 * when a step would leave it), so it converges for every df.
 * @param p a probability strictly between 0 and 1
 * @param df degrees of freedom, > 0 (need not be an integer), or Infinity for the normal quantile
 * @throws RangeError if p is not in (0, 1) or df is not positive
 * @example studentTQuantile(0.975, 4) // ≈ 2.77644510519779
 */
export function studentTQuantile(p: number, df: number): number {
  const caller = 'studentTQuantile';
  checkNumber('p', p, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, caller);
  const nu = checkDf(df, caller);
  if (nu === Infinity) return normalQuantile(p);
  if (p === 0.5) return 0;
  const q = p < 0.5 ? p : 1 - p;
  const lower = lowerTailQuantile(q, nu);
  return p < 0.5 ? lower : -lower;
}

/** The t <= 0 with P(T <= t) = q, for q in (0, 0.5). */
function lowerTailQuantile(q: number, df: number): number {
  if (df === 1) return -1 / Math.tan(Math.PI * q);
  if (df === 2) return (2 * q - 1) / Math.sqrt(2 * q * (1 - q));
  if (df >= LARGE_DF) return cornishFisher(normalQuantile(q), df);
  let t = Math.min(cornishFisher(normalQuantile(q), df), -Number.MIN_VALUE);
  // Bracket [lo, hi] with tail(lo) < q <= tail(hi); hi = 0 has tail 0.5.
  let hi = 0;
  let lo = Math.min(t, -1);
  for (let i = 0; studentLowerTail(lo, df) >= q; i++) {
    if (i > 2100) throw new Error(`studentTQuantile: could not bracket the quantile for p = ${q}, df = ${df}`);
    hi = lo;
    lo *= 2;
  }
  if (!(t > lo && t < hi)) t = (lo + hi) / 2;
  for (let i = 0; i < 3000; i++) {
    const f = studentLowerTail(t, df) - q;
    if (f === 0) return t;
    if (f < 0) lo = t;
    else hi = t;
    let next = t - f / studentPdfUnchecked(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 2e-16 * Math.abs(t) || lo === hi) return next;
    t = next;
  }
  return t;
}
