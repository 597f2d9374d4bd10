import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../../src/core/rng';
import { mean, std } from '../../src/core/stats';

const draws = (seed: number | string, n = 20) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.uniform());
};

describe('createRng', () => {
  it('repeats the stream for the same seed and changes it for another', () => {
    expect(draws(42)).toEqual(draws(42));
    expect(draws('42')).toEqual(draws(42)); // the seed is used as text
    expect(draws(43)).not.toEqual(draws(42));
    expect(draws('a')).not.toEqual(draws('b'));
    expect(createRng(7).seed).toBe('7');
  });

  it('rejects seeds that are not finite numbers or strings', () => {
    expect(() => createRng(NaN)).toThrow("createRng: 'seed' must be a finite number or a string, got NaN");
    expect(() => createRng({} as never)).toThrow("createRng: 'seed' must be a number or a string, got {}");
  });
});

describe('child streams', () => {
  it('do not depend on how much the parent has drawn, and are deterministic', () => {
    const fresh = createRng(1).child('mutation');
    const used = createRng(1);
    for (let i = 0; i < 17; i++) used.uniform();
    const late = used.child('mutation');
    const a = Array.from({ length: 10 }, () => fresh.uniform());
    const b = Array.from({ length: 10 }, () => late.uniform());
    expect(a).toEqual(b);
    expect(late.seed).toBe('1/mutation');
  });

  it('do not consume the parent stream', () => {
    const parent = createRng(5);
    parent.child('x').uniform();
    expect(parent.uniform()).toBe(createRng(5).uniform());
  });

  it('differ from the parent and from each other', () => {
    const rng = createRng(3);
    const take = (r: ReturnType<typeof createRng>) => Array.from({ length: 8 }, () => r.uniform());
    const x = take(rng.child('x'));
    expect(x).not.toEqual(take(createRng(3)));
    expect(x).not.toEqual(take(rng.child('y')));
    expect(take(rng.child('x').child(2))).toEqual(take(createRng(3).child('x').child(2)));
  });

  it('reject invalid keys', () => {
    expect(() => createRng(1).child(Infinity)).toThrow("Rng.child: 'key' must be a finite number or a string, got Infinity");
  });
});

describe('draws', () => {
  it('int stays in [lo, hi) and reaches both ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 50 }), fc.integer(), (lo, width, seed) => {
        const rng = createRng(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 40 * width; i++) {
          const v = rng.int(lo, lo + width);
          if (!Number.isInteger(v) || v < lo || v >= lo + width) return false;
          seen.add(v);
        }
        return seen.has(lo) && seen.has(lo + width - 1);
      }),
      { seed: 1, numRuns: 50 },
    );
    const rng = createRng(0);
    for (let i = 0; i < 20; i++) expect(rng.int(5, 6)).toBe(5);
  });

  it('uniform stays in [lo, hi); uint32 is an unsigned 32-bit integer', () => {
    const rng = createRng(8);
    for (let i = 0; i < 1000; i++) {
      const u = rng.uniform(-2, 3);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(3);
      const w = rng.uint32();
      expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    }
  });

  it('shuffle returns a permutation and leaves its input unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 40 }), fc.integer(), (xs, seed) => {
        const before = xs.slice();
        const out = createRng(seed).shuffle(xs);
        const sort = (a: number[]) => a.slice().sort((p, q) => p - q);
        return out.length === xs.length && JSON.stringify(sort(out)) === JSON.stringify(sort(xs)) && JSON.stringify(xs) === JSON.stringify(before);
      }),
      { seed: 2 },
    );
  });

  it('shuffle reaches every ordering of three items about equally often', () => {
    const rng = createRng(10);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = rng.shuffle(['a', 'b', 'c']).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Each count is Binomial(6000, 1/6): mean 1000, sd ≈ 29; 5 sd either side.
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(145);
  });

  it('sample draws k distinct items; choice draws a member', () => {
    const rng = createRng(4);
    const items = ['a', 'b', 'c', 'd', 'e'];
    for (let i = 0; i < 50; i++) {
      const s = rng.sample(items, 3);
      expect(new Set(s).size).toBe(3);
      s.forEach((x) => expect(items).toContain(x));
      expect(items).toContain(rng.choice(items));
    }
    expect(rng.sample(items, 0)).toEqual([]);
  });

  it('normal draws have the requested mean and std (20000 draws)', () => {
    const rng = createRng(123);
    const xs = Array.from({ length: 20000 }, () => rng.normal(3, 2));
    // Standard errors: mean 2 / sqrt(20000) ≈ 0.014, std ≈ 2 / sqrt(40000) = 0.01; bounds are 4 of them.
    expect(Math.abs(mean(xs) - 3)).toBeLessThan(0.057);
    expect(Math.abs(std(xs) - 2)).toBeLessThan(0.04);
    // About 95.45% within two standard deviations.
    const inside = xs.filter((x) => Math.abs(x - 3) < 4).length / xs.length;
    expect(Math.abs(inside - 0.9545)).toBeLessThan(0.006);
  });

  it('validate their arguments with named errors', () => {
    const rng = createRng(0);
    expect(() => rng.int(3, 3)).toThrow("Rng.int: 'hi' must be an integer >= 4, got 3");
    expect(() => rng.int(0.5, 3)).toThrow("Rng.int: 'lo' must be an integer, got 0.5");
    expect(() => rng.uniform(2, 1)).toThrow("Rng.uniform: 'hi' must be a number >= 2, got 1");
    expect(() => rng.choice([])).toThrow("Rng.choice: 'items' must have at least 1 item, got an empty array");
    expect(() => rng.sample([1, 2], 3)).toThrow("Rng.sample: 'k' must be an integer >= 0 and <= 2, got 3");
    expect(() => rng.normal(0, -1)).toThrow("Rng.normal: 'std' must be a number >= 0, got -1");
    expect(() => rng.shuffle('abc' as never)).toThrow("Rng.shuffle: 'items' must be an array, got \"abc\"");
  });
});

describe('checkRng', () => {
  it('accepts an Rng and names the argument otherwise', async () => {
    const { checkRng } = await import('../../src/core/rng');
    const rng = createRng(1);
    expect(checkRng('rng', rng, 'train')).toBe(rng);
    expect(() => checkRng('rng', { seed: 1 }, 'prepareDigits')).toThrow(/^prepareDigits: 'rng' must be an Rng \(from createRng\(seed\)\), got \{"seed":1\}$/);
    expect(() => checkRng('rng', undefined)).toThrow(/'rng' must be an Rng/);
  });
});
