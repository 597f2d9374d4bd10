/**
 * Chapter 03's headline results, asserted on the numbers the executed notebook printed: the
 * ten-line evolution beats random cells; tournaments and mutation behave as their formulas say;
 * a price on size shrinks the winners (and the exact optimum never grows with λ); aging keeps
 * exactly the last P children; and regularized evolution reaches NAS-Bench-201's top 1% sooner
 * than random search, whose measured median agrees with the exact one.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const N = '(-?[\\d.]+)';
const band = `${N} \\[${N}, ${N}\\]`;

export function headlines(text: string): void {
  const [, evoLo, , , , rndHi] = numbers(text, new RegExp(`ten-line evolution ${band}%, random cells ${band}%`));
  expect(evoLo, 'the ten-line evolution finds better cells than random ones in 150 evaluations (intervals over 50 seeds)').toBeGreaterThan(rndHi);

  // 20000 tournaments per size: every win frequency within about 4 standard errors of the exact formula.
  expect(numbers(text, /largest gap between observed and exact win frequency: ([\d.]+)/)[0]).toBeLessThan(0.015);
  // Mutation with p = 1/d changes one gene on average.
  expect(numbers(text, /genes changed per mutation over 10000 draws: mean ([\d.]+)/)[0]).toBeCloseTo(1, 1);

  // The λ sweep: winners shrink, and the exact optimum's complexity never grows with λ.
  const [s0, s1] = numbers(text, /winner complexity: ([\d.]+)k parameters at λ = 0, ([\d.]+)k at λ = 0\.1/);
  expect(s1 * 1.5, 'winners at λ = 0.1 are clearly smaller than at λ = 0').toBeLessThan(s0);
  const optimum = numbers(text, /exact optimum's S\* by λ: ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+)/);
  expect(optimum.length).toBe(7);
  for (let i = 1; i < optimum.length; i++) expect(optimum[i]).toBeLessThanOrEqual(optimum[i - 1]);
  expect(optimum[6]).toBeLessThan(optimum[0]);

  // Aging: after 100 evaluations with P = 10 the living are exactly the last ten children.
  expect(text).toMatch(/evaluation at which each living member was born \(oldest first\): 91, 92, 93, 94, 95, 96, 97, 98, 99, 100/);

  // Random search's measured median agrees with the exact one; evolution needs fewer evaluations.
  expect(text).toMatch(/random search, exact: median \d+ evaluations, mean [\d.]+; inside the measured median's 95% interval: true/);
  const [rsMedian, , , reaMedian] = numbers(text, new RegExp(`median evaluations to the top 1%: random ${band}, regularized evolution ${band}`));
  expect(reaMedian, 'regularized evolution reaches the top 1% of NAS-Bench-201 in fewer evaluations').toBeLessThan(rsMedian);
}
