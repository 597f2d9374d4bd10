/**
 * Chapter 04's headline results, asserted on the numbers the executed notebook printed: learning
 * bandits beat the uniform player on cumulative regret but lose to random search on simple regret;
 * the from-scratch GP interpolates and its EI matches both a Monte Carlo estimate and the library;
 * EI vanishes at evaluated cells; and BO beats random search and ε-greedy on both tables.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const N = '(-?[\\d.]+)';
const band = `${N} \\[${N}, ${N}\\]`;
const re = (s: string) => new RegExp(s);

export function headlines(text: string): void {
  // Bandits on Bernoulli arms: both learners end below the uniform player's band.
  const [eg, egLo, egHi, ucb, ucbLo, ucbHi, uni, uniLo] = numbers(text,
    re(`cumulative regret after 1000 pulls: ε-greedy, ε = 0\\.1 ${band}; UCB1 ${band}; uniform \\(ε = 1\\) ${band}`));
  expect(egLo).toBeLessThanOrEqual(eg);
  expect(ucbLo).toBeLessThanOrEqual(ucb);
  expect(egHi).toBeLessThan(uniLo);
  expect(ucbHi).toBeLessThan(uniLo);
  expect(uni).toBeGreaterThan(100); // the uniform player pays the mean gap (0.26) on each of 1000 pulls

  // The mismatch: ε-greedy earns more reward per pull than random search but finds worse cells.
  const [egReward, rsReward] = numbers(text, /ε = 0\.2: [\d.]+ distinct cells in 100 pulls, mean reward ([\d.]+)% vs random search ([\d.]+)%/);
  expect(egReward).toBeGreaterThan(rsReward);
  const [egRegret, , , rsRegret] = numbers(text, re(`simple regret after 100: ε-greedy \\(ε = 0\\.2\\) ${band} vs random search ${band} points`));
  expect(egRegret).toBeGreaterThan(rsRegret);

  // The GP from scratch interpolates its four evaluations and is unsure between them.
  const sds = numbers(text, /posterior sd at the four evaluations: ([\d.e+-]+), ([\d.e+-]+), ([\d.e+-]+), ([\d.e+-]+); largest sd on the grid ([\d.]+)/);
  for (const sd of sds.slice(0, 4)) expect(sd).toBeLessThan(1e-3);
  expect(sds[4]).toBeGreaterThan(0.5);
  // EI's closed form agrees with Monte Carlo (within four half-widths of its interval) and with the library.
  const [closed, mc, mcLo, mcHi] = numbers(text, re(`closed form ${N}, Monte Carlo \\(200000 draws\\) ${band}`));
  expect(Math.abs(closed - mc)).toBeLessThan(4 * Math.max((mcHi - mcLo) / 2, 1e-6));
  expect(numbers(text, /largest difference from the library's expectedImprovement on the grid: ([\d.e+-]+)/)[0]).toBeLessThan(1e-9);

  // Both kernels rank held-out networks well above chance.
  const [rhoHam, rhoOne] = numbers(text, /held-out Spearman ρ, mean over 20 seeds: Hamming (-?[\d.]+), one-hot (-?[\d.]+)/);
  expect(rhoHam).toBeGreaterThan(0.3);
  expect(rhoOne).toBeGreaterThan(0.3);
  // EI does not send BO back to a cell it has evaluated: the largest EI on the slice is at a new cell,
  // and the evaluated cells keep less of it (how much less depends on the noise the GP fit assumes).
  const [bestEi] = numbers(text, /largest EI .*?EI ([\d.]+),/);
  const [evaluatedEi] = numbers(text, /EI at the evaluated slice cells: max ([\d.e+-]+)/);
  expect(evaluatedEi).toBeLessThan(bestEi);
  expect(text).toMatch(/the cell of largest EI on the slice is an unevaluated one/);

  for (const [table, maxSeparation] of [['NAS-Bench-201', 30], ['NAS-Bench-Digits', 60]] as const) {
    // BO's regret after 100 evaluations lies below random search's and ε-greedy's, beyond the seed noise.
    const [bo, , boHi, , egLo2, , , rndLo] = numbers(text, re(`${table} regret after 100 evaluations: BO ${band}, ε-greedy ${band}, random ${band}`));
    expect(boHi, `${table}: BO's band must end below random search's`).toBeLessThan(rndLo);
    expect(boHi).toBeLessThan(egLo2);
    expect(bo).toBeLessThan(1);
    // BO reaches the top 1% in a fraction of random search's evaluations.
    const [boMedian] = numbers(text, re(`${table} median evaluations to the top 1%: BO ([\\d.]+)`));
    const [rndMedian] = numbers(text, re(`${table} median evaluations to the top 1%: .*random ([\\d.]+)`));
    expect(2 * boMedian, `${table}: BO needs fewer than half of random search's evaluations`).toBeLessThan(rndMedian);
    // And its band separates from random search's early and stays below it.
    const [from] = numbers(text, re(`${table} BO (?:\\(Hamming\\) )?band below random search's from evaluation (\\d+) on`));
    expect(from).toBeLessThanOrEqual(maxSeparation);
  }
}
