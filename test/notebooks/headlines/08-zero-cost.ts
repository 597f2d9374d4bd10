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
  // Every correlation is a correlation, and its bootstrap interval contains it (Spearman and Kendall, both tables).
  const CI = `${NUM} \\(95% CI ${NUM} to ${NUM}\\)`;
  const checkRanking = (prefix: string, p: string): number[] => {
    const [rho, rlo, rhi, tau, tlo, thi, prec] = numbers(text, new RegExp(`${prefix}${p}: Spearman ${CI}, Kendall ${CI}, top-10% precision ${NUM}`));
    for (const v of [rho, rlo, rhi, tau, tlo, thi]) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    expect(rlo).toBeLessThanOrEqual(rho);
    expect(rhi).toBeGreaterThanOrEqual(rho);
    expect(tlo).toBeLessThanOrEqual(tau);
    expect(thi).toBeGreaterThanOrEqual(tau);
    expect(Math.abs(tau)).toBeLessThanOrEqual(Math.abs(rho) + 1e-9); // |τ| ≤ |ρ| for these positively related rankings
    expect(prec).toBeGreaterThanOrEqual(0);
    expect(prec).toBeLessThanOrEqual(1);
    return [rho, rlo, rhi, tau, tlo, thi, prec];
  };
  for (const p of ['synflow', 'jacob_cov', 'jacobian_norm', 'grad_norm', 'params', 'macs']) checkRanking('', p);

  // NAS-Bench-201, full size: SynFlow covers every cell but the classes no signal crosses, and falls
  // well below the 200-epoch anchor (0.737) against 12-epoch accuracies.
  const [finite, cells] = numbers(text, /covering (\d+) of (\d+) cells with a finite SynFlow/);
  expect(cells).toBe(15625);
  expect(finite).toBeGreaterThan(15000);
  // The live full-size sample reproduces the shipped NAS-Bench-201 survey exactly.
  expect(text).toMatch(/live NAS-Bench-201 sample: 4 cells, log SynFlow .*; largest difference from the shipped survey 0\n/);
  const synflow = checkRanking('NAS-Bench-201 ', 'synflow');
  const params = checkRanking('NAS-Bench-201 ', 'params');
  checkRanking('NAS-Bench-201 ', 'macs');
  expect(synflow[0]).toBeGreaterThan(0.3);
  expect(synflow[0]).toBeLessThan(0.737 - 0.2);
  // The chapter's contrast: params correlates better over the whole table, SynFlow is more precise at the top.
  expect(params[1]).toBeGreaterThan(synflow[2]); // params' interval lies above SynFlow's
  expect(synflow[6]).toBeGreaterThan(params[6]);

  // Proxies in search, 50 seeds on each table: a SynFlow pre-screen at least halves the median
  // evaluations to the top 1% for random search and for regularized evolution, and never misses.
  for (const table of ['NAS-Bench-Digits', 'NAS-Bench-201']) {
    const median = (name: string): number[] => numbers(text, new RegExp(`search on ${table}: ${name}: median ${NUM} evaluations \\(IQR ${NUM} to ${NUM}\\), missed (\\d+)/50`));
    const [random] = median('random');
    const [evolution] = median('regularized evolution');
    const [pre, , , preMissed] = median('random, pre-screened by synflow');
    const [warm, , , warmMissed] = median('evolution warm-started by synflow');
    expect(pre).toBeLessThan(random / 2);
    expect(warm).toBeLessThan(evolution / 2);
    expect(preMissed).toBe(0);
    expect(warmMissed).toBe(0);
  }
  const [, s201, , , p201] = numbers(text, new RegExp(`NAS-Bench-201: pre-screening with SynFlow takes the median from ${NUM} to ${NUM} evaluations \\(random search\\) and from ${NUM} to ${NUM} \\(evolution\\); pre-screening with params: ${NUM};`));
  expect(s201).toBeLessThan(p201); // on NAS-Bench-201, SynFlow pre-screens better than the parameter count
}
