/**
 * Seeded random numbers. Everything in nasbook that draws takes an `Rng`; there is no fallback to
 * Math.random, so a run is repeated exactly by repeating its seed.
 *
 * Built on seedrandom's ARC4 generator. `child(key)` derives an independent stream from the seed
 * and a key, without consuming the parent's numbers: code that adds a draw in one place does not
 * shift the numbers another place sees.
 */
import seedrandom from 'seedrandom';
import { checkArray, checkInt, checkNumber, describe } from './checks';

export type Seed = number | string;

export interface Rng {
  /** The seed (or derived key path) this stream was made from. */
  readonly seed: string;
  /** A float uniform in [0, 1), or in [lo, hi) when bounds are given. */
  uniform(lo?: number, hi?: number): number;
  /** An integer uniform in [lo, hi) (hi exclusive, like Python's range). */
  int(lo: number, hi: number): number;
  /** One item chosen uniformly. */
  choice<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher-Yates); the input is left unchanged. */
  shuffle<T>(items: readonly T[]): T[];
  /** `k` distinct items in random order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** A normal draw (Box-Muller). */
  normal(mean?: number, std?: number): number;
  /** A 32-bit unsigned integer, for seeding other generators (tfjs initialisers). */
  uint32(): number;
  /** An independent stream derived from this seed and `key`; does not consume this stream. */
  child(key: Seed): Rng;
}

function checkSeed(name: string, seed: unknown, caller: string): string {
  if (typeof seed === 'number') {
    if (!Number.isFinite(seed)) throw new TypeError(`${caller}: '${name}' must be a finite number or a string, got ${describe(seed)}`);
    return String(seed);
  }
  if (typeof seed === 'string') return seed;
  throw new TypeError(`${caller}: '${name}' must be a number or a string, got ${describe(seed)}`);
}

class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;
  private spareNormal: number | null = null;

  constructor(readonly seed: string) {
    this.prng = seedrandom(seed);
  }

  uniform(lo = 0, hi = 1): number {
    checkNumber('lo', lo, {}, 'Rng.uniform');
    checkNumber('hi', hi, { min: lo }, 'Rng.uniform');
    return lo + (hi - lo) * this.prng.double();
  }

  int(lo: number, hi: number): number {
    checkInt('lo', lo, {}, 'Rng.int');
    checkInt('hi', hi, { min: lo + 1 }, 'Rng.int');
    return lo + Math.floor(this.prng.double() * (hi - lo));
  }

  choice<T>(items: readonly T[]): T {
    checkArray('items', items, { minLength: 1 }, 'Rng.choice');
    return items[Math.floor(this.prng.double() * items.length)];
  }

  shuffle<T>(items: readonly T[]): T[] {
    checkArray('items', items, {}, 'Rng.shuffle');
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng.double() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  sample<T>(items: readonly T[], k: number): T[] {
    checkArray('items', items, {}, 'Rng.sample');
    checkInt('k', k, { min: 0, max: items.length }, 'Rng.sample');
    // Partial Fisher-Yates: only the first k positions are drawn.
    const out = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.prng.double() * (out.length - i));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out.slice(0, k);
  }

  normal(mean = 0, std = 1): number {
    checkNumber('mean', mean, {}, 'Rng.normal');
    checkNumber('std', std, { min: 0 }, 'Rng.normal');
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const u = 1 - this.prng.double();
    const v = this.prng.double();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  uint32(): number {
    return this.prng.int32() >>> 0;
  }

  child(key: Seed): Rng {
    return new SeededRng(`${this.seed}/${checkSeed('key', key, 'Rng.child')}`);
  }
}

/**
 * A seeded random stream.
 * @param seed any number or string; equal seeds give equal streams
 * @throws TypeError if the seed is not a finite number or a string
 * @example createRng(42).int(0, 10) // the same integer in [0, 10) on every run
 */
export function createRng(seed: Seed): Rng {
  return new SeededRng(checkSeed('seed', seed, 'createRng'));
}

/**
 * An `Rng` (from `createRng`), checked at a public boundary.
 * @throws TypeError naming the argument when `value` is not one
 * @example checkRng('rng', createRng(1), 'train') // the Rng itself
 */
export function checkRng(name: string, value: unknown, caller?: string): Rng {
  const r = value as Partial<Rng> | null;
  if (typeof r !== 'object' || r === null || typeof r.uniform !== 'function' || typeof r.int !== 'function' || typeof r.shuffle !== 'function' || typeof r.uint32 !== 'function') {
    throw new TypeError(`${caller ? `${caller}: ` : ''}'${name}' must be an Rng (from createRng(seed)), got ${describe(value)}`);
  }
  return value as Rng;
}
