/**
 * Exact rational numbers on BigInt. Enumeration results such as "the learner is right on
 * 3072 of 6144 off-training-set predictions" are fractions, and the No Free Lunch statement
 * ("exactly 1/|Y|") is an equality between fractions, which floating point cannot check.
 *
 * A `Fraction` is immutable and always reduced, with a positive denominator, so two equal
 * rationals have equal numerators and denominators.
 */
import { describe } from './checks';

/** An integer accepted by `fraction`: a safe-integer number or a bigint. */
export type IntegerLike = number | bigint;

function toBigInt(name: string, value: unknown, caller: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new TypeError(`${caller}: '${name}' must be a safe integer or a bigint, got ${describe(value)}`);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = abs(a);
  let y = abs(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : abs(x).toString(2).length;
}

/** An exact rational number p/q in lowest terms (q > 0). Build one with `fraction(p, q)`. */
export class Fraction {
  /** Numerator, carries the sign. */
  readonly num: bigint;
  /** Denominator, always positive. */
  readonly den: bigint;

  /** Use `fraction(p, q)`; the constructor assumes its arguments are already checked. */
  private constructor(num: bigint, den: bigint) {
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num, den);
    // gcd(0, den) = den, so zero is stored as 0/1.
    this.num = num / g;
    this.den = den / g;
  }

  /** @internal Builds a reduced fraction from checked bigints. */
  static of(num: bigint, den: bigint): Fraction {
    if (den === 0n) throw new RangeError(`fraction: 'denominator' must not be 0, got 0`);
    return new Fraction(num, den);
  }

  /** The sum this + other. */
  add(other: Fraction): Fraction {
    return Fraction.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  /** The difference this - other. */
  sub(other: Fraction): Fraction {
    return Fraction.of(this.num * other.den - other.num * this.den, this.den * other.den);
  }

  /** The product this * other. */
  mul(other: Fraction): Fraction {
    return Fraction.of(this.num * other.num, this.den * other.den);
  }

  /**
   * The quotient this / other.
   * @throws RangeError if other is zero
   */
  div(other: Fraction): Fraction {
    if (other.num === 0n) throw new RangeError(`Fraction.div: 'other' must not be 0, got 0`);
    return Fraction.of(this.num * other.den, this.den * other.num);
  }

  /** True when both are the same rational (fractions are kept reduced, so this compares parts). */
  equals(other: Fraction): boolean {
    return this.num === other.num && this.den === other.den;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than other. */
  compare(other: Fraction): -1 | 0 | 1 {
    const d = this.num * other.den - other.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }

  /**
   * The nearest double (to within one rounding), also when numerator and denominator are far
   * beyond 2^53, where `Number(num) / Number(den)` would lose digits or give NaN.
   */
  toNumber(): number {
    const limit = BigInt(Number.MAX_SAFE_INTEGER);
    if (abs(this.num) <= limit && this.den <= limit) return Number(this.num) / Number(this.den);
    // Scale so the integer quotient carries about 64 significant bits, then undo the scale.
    const shift = 64 - (bitLength(this.num) - bitLength(this.den));
    const q = shift >= 0 ? (this.num << BigInt(shift)) / this.den : this.num / (this.den << BigInt(-shift));
    return Number(q) * 2 ** -shift;
  }

  /** "p/q", or just "p" when the denominator is 1: `fraction(2, 6).toString() // "1/3"`. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /** JSON has no bigint: a fraction serialises as its string, "1/3". */
  toJSON(): string {
    return this.toString();
  }
}

/**
 * The exact rational numerator/denominator, reduced to lowest terms.
 * @param numerator a safe integer or a bigint
 * @param denominator a non-zero safe integer or bigint (default 1)
 * @throws TypeError if either part is not an integer; RangeError if the denominator is 0
 * @example fraction(6, 12).toString() // "1/2"
 * @example fraction(1, 3).add(fraction(1, 6)).equals(fraction(1, 2)) // true
 */
export function fraction(numerator: IntegerLike, denominator: IntegerLike = 1): Fraction {
  const p = toBigInt('numerator', numerator, 'fraction');
  const q = toBigInt('denominator', denominator, 'fraction');
  return Fraction.of(p, q);
}
