/**
 * Chapter 07's headline results, asserted on what the executed notebook printed: the rank model's
 * two derived facts (ρ(0) = Spearman(q, s); only E/λ matters), the live SPOS epoch reproducing the
 * shipped record (to a digit or two of float rounding), the real supernet's ρ at every budget with an interval that holds it (over at
 * least three seeds), the fitted λ, and the supernet search's found cells with their table ranks.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

/** Supernet seeds the shipped run must have completed. */
const MIN_SEEDS = 3;
const NUM = '(-?[\\d.]+)';
const CELL = String.raw`((?:\|[a-z0-9]+~\d)+\|\+(?:\|[a-z0-9]+~\d)+\|\+(?:\|[a-z0-9]+~\d)+\|)`;

export function headlines(text: string): void {
  // The model: the untrained supernet ranks as its bias does, and the ranking depends on E/λ only.
  const [rho0, qs] = numbers(text, new RegExp(`toy: ρ\\(0\\) = ${NUM}, Spearman\\(q, s\\) = ${NUM}`));
  expect(rho0).toBe(qs);
  expect(rho0).toBeLessThan(0);
  const [a, b] = numbers(text, new RegExp(`toy: ρ at \\(E, λ\\) = \\(2, 1\\) is ${NUM}, at \\(8, 4\\) is ${NUM}`));
  expect(a).toBe(b);
  const [r0, rq] = numbers(text, new RegExp(`r = -0.5: ρ\\(0\\) = ${NUM} = Spearman\\(q, s\\) = ${NUM}`));
  expect(r0).toBe(rq);
  expect(r0).toBeLessThan(0);
  const [, , ratio] = numbers(text, new RegExp(`ρ turns positive at E = ${NUM} with λ = 2 and at E = ${NUM} with λ = 16 \\(ratio ${NUM}`));
  expect(ratio).toBeGreaterThan(8 / 2 ** 0.25 - 1e-9); // 8 up to one step of the log-spaced grid
  expect(ratio).toBeLessThan(8 * 2 ** 0.25 + 1e-9);

  // The shipped run: at least three complete seeds; the live epoch reproduces seed 0 exactly.
  const budgets = (/budgets E = ([\d, ]+), (\d+) supernet seeds complete/.exec(text) ?? [])[1]?.split(', ').map(Number) ?? [];
  expect(budgets.length).toBeGreaterThanOrEqual(5);
  const [seeds] = numbers(text, /(\d+) supernet seeds complete/);
  expect(seeds).toBeGreaterThanOrEqual(MIN_SEEDS);
  // Up to float32 rounding: a kernel summing in another order may flip a nearly tied digit or two.
  const [, digits] = numbers(text, /live E = 1, seed 0, 10 cells: largest difference from the shipped record ([\d.]+) \((\d+) of 360 validation digits\)/);
  expect(digits).toBeLessThanOrEqual(2);

  // ρ at every budget with an interval that holds it; training helps: the last budget ranks better than the first epoch.
  const rho = new Map<number, number>();
  for (const mode of ['recalibrated', 'moving']) {
    for (const E of budgets) {
      const [r, lo, hi, t, tlo, thi, o, olo, ohi] = numbers(
        text,
        new RegExp(`${mode} E = ${E}: Spearman ${NUM} \\(95% CI ${NUM} to ${NUM}\\), Kendall ${NUM} \\(${NUM} to ${NUM}\\), top-10% overlap ${NUM} \\(${NUM} to ${NUM}\\)`),
      );
      for (const [est, low, high] of [[r, lo, hi], [t, tlo, thi], [o, olo, ohi]]) {
        expect(Math.abs(est)).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(est + 1e-3);
        expect(high).toBeGreaterThanOrEqual(est - 1e-3);
      }
      if (mode === 'recalibrated') rho.set(E, r);
    }
  }
  expect(rho.get(budgets[budgets.length - 1])).toBeGreaterThan(rho.get(1) as number);

  // The fitted model: λ > 0 inside the interval of equally good λ, a bias correlation in [−1, 1].
  const [lambda, lo, hi, r] = numbers(text, new RegExp(`fitted model: λ = ${NUM} epochs \\(equally good from ${NUM} to ${NUM}\\), bias correlation ${NUM}`));
  expect(lambda).toBeGreaterThan(0);
  expect(lambda).toBeGreaterThanOrEqual(lo - 0.01);
  expect(lambda).toBeLessThanOrEqual(hi + 0.01);
  expect(Math.abs(r)).toBeLessThanOrEqual(1);

  // The bias towards parameter-free operations: at some budget the number of convolutions predicts
  // inherited accuracy less than it predicts stand-alone accuracy.
  const [, lowest, standAlone] = numbers(text, new RegExp(`lowest: E = (\\d+) \\(${NUM}, against ${NUM} stand-alone\\)`));
  expect(lowest).toBeLessThan(standAlone);

  // The supernet search: every search's cell, looked up in the table with a rank in range.
  const found = [...text.matchAll(new RegExp(`supernet seed \\d+ search \\d+: found ${CELL}, inherited ${NUM}, stand-alone ${NUM}, table rank (\\d+) of (\\d+)`, 'g'))];
  expect(found.length).toBe(3 * seeds);
  for (const m of found) {
    expect(Number(m[5])).toBe(4930);
    expect(Number(m[4])).toBeGreaterThanOrEqual(1);
    expect(Number(m[4])).toBeLessThanOrEqual(4930);
  }
  const [medSupernet, , , medTable] = numbers(text, /median table rank of the found cell: supernet search ([\d.]+) \((\d+) searches, best (\d+), worst \d+\), table search ([\d.]+)/);
  expect(medSupernet).toBeGreaterThanOrEqual(1);
  expect(medTable).toBeGreaterThanOrEqual(1);
}
