/**
 * Chapter 05's headline results, asserted on what the executed notebook printed: the relaxation's
 * gradient matches the chain-rule formula, the live search recorded α after every step with rows
 * on the simplex and moved it off uniform, and every derived cell is a valid cell looked up in
 * both tables with ranks in range; the repair meets ℓ_min.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const CELL = String.raw`((?:\|[a-z0-9]+~\d)+\|\+(?:\|[a-z0-9]+~\d)+\|\+(?:\|[a-z0-9]+~\d)+\|)`;

export function headlines(text: string): void {
  // The from-scratch gradient of one mixed edge equals β_i(⟨g, o_i⟩ − Σ_j β_j⟨g, o_j⟩).
  const [gap] = numbers(text, /one edge: max \|autodiff − formula\| = ([\d.e+-]+)/);
  expect(gap).toBeLessThan(1e-5);
  // α recorded after every step: steps × 6 edges × 5 operations, each softmax row summing to 1.
  const [steps, edges, ops, sumGap] = numbers(text, /α recorded: (\d+) steps × (\d+) edges × (\d+) operations; max \|Σ softmax\(α\) − 1\| = ([\d.e+-]+)/);
  expect(steps).toBeGreaterThanOrEqual(9);
  expect([edges, ops]).toEqual([6, 5]);
  expect(sumGap).toBeLessThan(1e-5);
  const spreads = numbers(text, /exceeds the smallest by ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+)/);
  expect(Math.max(...spreads)).toBeGreaterThan(0.005);
  // Each derived cell is a NAS-Bench-201 cell with both tables' accuracy and a rank in range.
  for (const rule of ['withNone', 'withoutNone', 'repaired']) {
    const cell = new RegExp(`derived \\(${rule}\\): ${CELL}`).exec(text);
    expect(cell, `derived cell ${rule}`).not.toBeNull();
    if (rule === 'withoutNone') expect(cell![1]).not.toMatch(/none/);
    const [dAcc, dRank, dOf, dPct, nAcc, nRank, nOf, nPct] = numbers(
      text,
      new RegExp(`derived \\(${rule}\\): .*\\n  NAS-Bench-Digits test ([\\d.]+)%, rank (\\d+) of (\\d+) \\(percentile ([\\d.]+)\\); NAS-Bench-201 CIFAR-10 test ([\\d.]+)%, rank (\\d+) of (\\d+) \\(percentile ([\\d.]+)\\)`),
    );
    expect([dOf, nOf]).toEqual([4930, 15625]);
    for (const [acc, rank, of, pct] of [[dAcc, dRank, dOf, dPct], [nAcc, nRank, nOf, nPct]]) {
      expect(acc).toBeGreaterThan(0);
      expect(acc).toBeLessThanOrEqual(100);
      expect(rank).toBeGreaterThanOrEqual(1);
      expect(rank).toBeLessThanOrEqual(of);
      expect(pct).toBeLessThan(100);
    }
  }
  // The repair keeps at least ℓ_min operations other than skip and none, for ℓ_min = 1, 2, 3.
  for (const lMin of [1, 2, 3]) {
    const [parametric, rank] = numbers(text, new RegExp(`ℓ_min = ${lMin}: \\S+ \\((\\d+) parametric operations.*NAS-Bench-201 CIFAR-10 [\\d.]+%, rank (\\d+) of 15625`));
    expect(parametric).toBeGreaterThanOrEqual(lMin);
    expect(rank).toBeGreaterThanOrEqual(1);
  }
  // The projection: every β* sums to 1; the largest λ leaves exact zeros, λ = 0 none; simplex points are fixed.
  const sums = [...text.matchAll(/Σβ\* = ([\d.]+), exact zeros (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  expect(sums).toHaveLength(7);
  for (const [s] of sums) expect(s).toBeCloseTo(1, 5);
  expect(sums[0][1]).toBe(0);
  expect(sums[sums.length - 1][1]).toBeGreaterThan(0);
  const [fixed] = numbers(text, /changes them by at most ([\d.e+-]+)/);
  expect(fixed).toBeLessThan(1e-6);
}
