/**
 * Chapter 02's headline results, asserted on the numbers the executed notebook printed: the
 * counting formulas and the enumerations agree (from scratch and in the library), the valid share
 * of the free grammar is |I|/(|I|+K) = 2/5 while every acyclic cell is valid, rejection sampling
 * measures R within its noise, cut-off NAS-Bench-201 cells score at chance, and the ranking of
 * cells carries over from CIFAR-10 to CIFAR-100 better than to ImageNet16-120.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

export function headlines(text: string): void {
  expect(numbers(text, /N_free = .*= (\d+)\s+\(enumerated: (\d+)\)/)).toEqual([3375, 3375]);
  expect(numbers(text, /N_acyc = .*= (\d+)\s+\(enumerated: (\d+)\)/)).toEqual([648, 648]);
  expect(numbers(text, /enumerated from scratch: (\d+) free cells, (\d+) acyclic cells/)).toEqual([3375, 648]);

  // Valid cells: 2/(2+3) of the free grammar, all of the acyclic one; R = 1 + K/|I| = 2.5.
  expect(numbers(text, /V_free = (\d+) of 3375\s+p_free = ([\d.]+)/)).toEqual([1350, 0.4]);
  expect(numbers(text, /V_acyc = (\d+) of 648\s+p_acyc = ([\d.]+)/)).toEqual([648, 1]);
  expect(numbers(text, /R = p_acyc \/ p_free = ([\d.]+)/)[0]).toBeCloseTo(2.5, 10);
  expect(numbers(text, /valid from scratch: (\d+) free, (\d+) acyclic/)).toEqual([1350, 648]);
  expect(text).toMatch(/same verdict as the library on every cell: true/);

  // Rejection sampling: the measured ratio of mean draws is within 25% of the exact R.
  const [measured, exact] = numbers(text, /measured R \(mean draws free \/ acyclic\):\s+([\d.]+)\s+exact ([\d.]+)/);
  expect(exact).toBeCloseTo(2.5, 3);
  expect(Math.abs(measured - exact) / exact).toBeLessThan(0.25);

  // Cut-off cells of NAS-Bench-201 score at chance (10% on CIFAR-10), far below the best cell.
  const cut = text.match(/cut-off cells: \d+, (?:all score ([\d.]+)%|score from ([\d.]+)% to ([\d.]+)%)/);
  expect(cut, 'the notebook prints what cut-off cells scored').not.toBeNull();
  const highest = Number(cut![1] ?? cut![3]);
  expect(highest).toBeLessThan(11);
  expect(numbers(text, /; best cell ([\d.]+)%/)[0]).toBeGreaterThan(80);

  // Rankings transfer: CIFAR-10 vs CIFAR-100 high, and higher than vs ImageNet16-120.
  const [c100] = numbers(text, /CIFAR-10 vs CIFAR-100: Spearman ([\d.]+) \[/);
  const [inet] = numbers(text, /CIFAR-10 vs ImageNet16-120: Spearman ([\d.]+) \[/);
  expect(c100).toBeGreaterThan(0.9);
  expect(inet).toBeLessThan(c100);
}
