/**
 * Chapter 05's headline results, asserted on what the executed notebook printed: the relaxation's
 * gradient matches the chain-rule formula, the live search recorded α after every step with rows
 * on the simplex and moved it off uniform, and every derived cell is a valid cell looked up in
 * both tables with ranks in range; the repair meets ℓ_min. Second order's gradient departs from
 * first order's. The shipped collapse runs: at least 5 seeds for each first-order setting and 3 for
 * second order, shares and ranks in range, the verdict lines agree with the numbers, and what the
 * digits show (measured, deterministic given the shipped runs): at the default α step size the
 * weight on skip falls below uniform and operations without weights take most final argmaxes.
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
  // Second order: the same start, a different gradient (the unrolled step and the Hessian term).
  const [cosine, relGap] = numbers(text, /first against second order on one batch: cosine (-?[\d.]+), ‖g₂ − g₁‖\/‖g₁‖ = ([\d.]+)/);
  expect(cosine).toBeLessThanOrEqual(1.0005);
  expect(relGap).toBeGreaterThan(1e-3);
  // The collapse table: each setting's seeds, shares in range.
  const settings = [...text.matchAll(/collapse \((\d)\w\w order, α lr ([\d.]+), (\d+) epochs, (\d+) seeds?, last epoch\): skip argmax on (\d+)% of edges, an operation without weights on (\d+)%; mean weight on skip ([\d.]+), on the convolutions ([\d.]+)/g)]
    .map((m) => ({ key: `o${m[1]}/lr${m[2]}/e${m[3]}`, seeds: Number(m[4]), skip: Number(m[5]), noWeight: Number(m[6]), skipWeight: Number(m[7]), convWeight: Number(m[8]) }));
  const byKey = new Map(settings.map((x) => [x.key, x]));
  for (const key of ['o1/lr0.003/e4', 'o1/lr0.003/e10', 'o1/lr0.003/e30', 'o1/lr0.03/e10']) expect(byKey.get(key)?.seeds, key).toBeGreaterThanOrEqual(5);
  expect(byKey.get('o2/lr0.003/e10')?.seeds).toBe(3);
  for (const x of settings) {
    for (const share of [x.skip, x.noWeight]) expect(share).toBeGreaterThanOrEqual(0), expect(share).toBeLessThanOrEqual(100);
    expect(x.noWeight).toBeGreaterThanOrEqual(x.skip);
  }
  const base = byKey.get('o1/lr0.003/e10')!;
  expect(base.skipWeight).toBeLessThan(0.2);
  expect(base.noWeight).toBeGreaterThanOrEqual(50);
  // Ranks over seeds within range, best <= median <= worst.
  const ranks = [...text.matchAll(/ranks \(.*?, (\d+) seeds?\): NAS-Bench-Digits median rank ([\d.]+) of 4930 \(best (\d+), worst (\d+)\).*NAS-Bench-201 median rank ([\d.]+) of 15625 \(best (\d+), worst (\d+)\)/g)];
  expect(ranks.length).toBe(3 * settings.length);
  for (const m of ranks) {
    const [dm, db, dw, nm, nbest, nw] = [2, 3, 4, 5, 6, 7].map((i) => Number(m[i]));
    expect(db).toBeGreaterThanOrEqual(1);
    expect(dw).toBeLessThanOrEqual(4930);
    expect(nw).toBeLessThanOrEqual(15625);
    expect(db <= dm && dm <= dw && nbest <= nm && nm <= nw).toBe(true);
  }
  // The verdict follows the numbers: collapse onto skip is claimed only when skip holds half the edges.
  const verdict = /(no collapse onto skip connections at this scale|collapse onto skip): skip is the final argmax on (\d+)% of (\d+) edges over (\d+) runs/.exec(text);
  expect(verdict).not.toBeNull();
  expect(verdict![1] === 'collapse onto skip').toBe(Number(verdict![2]) >= 50);
  const [, , topCount, edgeCount, noWeightAll] = /the most frequent final argmax is (\w+) \((\d+) of (\d+) edges\); operations without weights take (\d+)%/.exec(text)!.map((x) => x) as string[];
  expect(Number(topCount)).toBeLessThanOrEqual(Number(edgeCount));
  expect(text.includes('the search drifts to parameter-free operations')).toBe(Number(noWeightAll) > 50);
  const [nbAcc, repAcc] = numbers(text, /DARTS's own collapsed cells score 54.30%.*score ([\d.]+)% there on average, their ℓ_min repairs ([\d.]+)%/);
  for (const a of [nbAcc, repAcc]) expect(a).toBeGreaterThan(0), expect(a).toBeLessThanOrEqual(100);
}
