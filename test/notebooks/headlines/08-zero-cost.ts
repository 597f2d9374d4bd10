/**
 * Chapter 08's headline results, asserted on what the executed notebook printed.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const NUM = '(−?-?[\\d.]+(?:e[-+]?\\d+)?)';

export function headlines(text: string): void {
  // SynFlow by hand: each layer's saliencies sum to R (conservation), so the score is 2R.
  const [R] = numbers(text, new RegExp(`R = ${NUM}\\n`));
  const [l1, l2, total] = numbers(text, new RegExp(`layer 1 saliencies sum to ${NUM}, layer 2 to ${NUM}: SynFlow = ${NUM}`));
  expect(l1).toBeCloseTo(R, 9);
  expect(l2).toBeCloseTo(R, 9);
  expect(total).toBeCloseTo(2 * R, 9);
  // The live sample reproduces the shipped rows: same seed, same numbers.
  expect(text).toMatch(/live sample: 8 cells, all in the shipped survey: yes; largest difference 0\n/);
  // Coverage is printed, and the analysis runs on the covered cells.
  const [covered, all] = numbers(text, /the shipped survey covers (\d+) of (\d+) NAS-Bench-Digits cells/);
  expect(all).toBe(4930);
  expect(covered).toBeGreaterThan(1000);
  expect(covered).toBeLessThanOrEqual(all);
  // Every correlation is a correlation, and its bootstrap interval contains it.
  for (const p of ['synflow', 'jacob_cov', 'jacobian_norm', 'grad_norm', 'params', 'macs']) {
    const [rho, lo, hi, tau, prec] = numbers(text, new RegExp(`${p}: Spearman ${NUM} \\(95% CI ${NUM} to ${NUM}\\), Kendall ${NUM}, top-10% precision ${NUM}`));
    for (const v of [rho, lo, hi, tau]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    expect(lo).toBeLessThanOrEqual(rho);
    expect(hi).toBeGreaterThanOrEqual(rho);
    expect(prec).toBeGreaterThanOrEqual(0);
    expect(prec).toBeLessThanOrEqual(1);
  }
}
