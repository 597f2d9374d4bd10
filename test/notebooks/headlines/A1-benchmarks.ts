/**
 * Appendix A1's headline results, asserted on the numbers the executed notebook printed: none of
 * the 24 validity rules reproduces the circulating counts; NAS-Bench-Digits is complete; and a
 * second digits seed agrees with the first better than the digits table agrees with CIFAR-10.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

export function headlines(text: string): void {
  expect(numbers(text, /rules: (\d+); with V_free = 392: (\d+); with V_acyc = 288: (\d+)/)).toEqual([24, 0, 0]);
  expect(numbers(text, /NAS-Bench-Digits: (\d+) cells .*?, (\d+) training runs, (\d+) missing/)[2]).toBe(0);
  const [seeds] = numbers(text, /Spearman between the two seeds: ([\d.]+) \[/);
  const [finalRho, , finalHi] = numbers(text, /digits \(final\) vs CIFAR-10 validation: Spearman (-?[\d.]+) \[(-?[\d.]+), (-?[\d.]+)\]/);
  expect(finalRho, 'the digits ranking agrees positively with CIFAR-10').toBeGreaterThan(0);
  expect(seeds, 'two digits seeds agree better than digits and CIFAR-10').toBeGreaterThan(finalHi);
}
