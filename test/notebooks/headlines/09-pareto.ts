/**
 * Chapter 09's headline results, asserted on what the executed notebook printed.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const NUM = '(−?[\\d.]+)';

export function headlines(text: string): void {
  // Dominance by hand and by the library agree.
  expect(text).toMatch(/library, not dominated: networks [\d, ]+ \(same as by hand\)/);
  // Each λ of the course text names a network on the front; λ = (1, 0, 0) takes the table's best accuracy,
  // λ = (0, 1, 0) its lowest latency.
  const [, accMax, latMin] = numbers(text, new RegExp(`accuracy ${NUM}–${NUM}, latency ${NUM}–${NUM} ms`));
  for (const l of ['1, 0, 0', '0, 1, 0', '0.7, 0.2, 0.1']) expect(text).toMatch(new RegExp(`λ = \\(${l}\\) chooses \\S+: accuracy [\\d.]+, latency [\\d.]+ ms, energy [\\d.]+ µJ, on the front: yes`));
  expect(numbers(text, new RegExp(`λ = \\(1, 0, 0\\) chooses \\S+: accuracy ${NUM}`))[0]).toBeCloseTo(accMax, 3);
  expect(numbers(text, new RegExp(`λ = \\(0, 1, 0\\) chooses \\S+: accuracy [\\d.]+, latency ${NUM}`))[0]).toBeCloseTo(latMin, 3);
  // Weighted sums reach only the convex hull: every swept choice is supported, no unsupported cell is ever chosen.
  const [front, hull, concave] = numbers(text, /front (\d+) cells: (\d+) on the convex hull, (\d+) in concave parts/);
  expect(hull + concave).toBe(front);
  expect(concave).toBeGreaterThan(0);
  expect(text).toMatch(/all on the hull: yes; unsupported cells ever chosen: 0/);
  // NSGA-II ends with more hypervolume than random search on both tables: its interval lies above random's mean.
  for (const table of ['NAS-Bench-Digits', 'NAS-Bench-201']) {
    const [nsga, nsgaLow] = numbers(text, new RegExp(`${table} final hypervolume, NSGA-II: ${NUM} \\(95% CI ${NUM}–`));
    const [random] = numbers(text, new RegExp(`${table} final hypervolume, random search: ${NUM}`));
    expect(nsga).toBeGreaterThan(random);
    expect(nsgaLow).toBeGreaterThan(random);
  }
}
