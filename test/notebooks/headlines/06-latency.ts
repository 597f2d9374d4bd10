/**
 * Chapter 06's headline results, asserted on what the executed notebook printed (from the shipped
 * survey, so the numbers are the same on every run; the live re-measurement prints timings only).
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

const metrics = (text: string, batch: number, name: string) => {
  const [pearson, , , spearman, , , mape, within, lower, upper, n] = numbers(
    text,
    new RegExp(`batch ${batch}, ${name}: Pearson (-?[\\d.]+) \\[(-?[\\d.]+), (-?[\\d.]+)\\], Spearman (-?[\\d.]+) \\[(-?[\\d.]+), (-?[\\d.]+)\\], MAPE ([\\d.]+)%, within ±10%: ([\\d.]+)% \\[([\\d.]+)%, ([\\d.]+)%\\] of (\\d+)`),
  );
  return { pearson, spearman, mape, within, lower, upper, n };
};

export function headlines(text: string): void {
  // At least 300 networks at two batch sizes, and the operations the model is fitted to.
  const [ops, nets, cells] = numbers(text, /survey: (\d+) operation timings, (\d+) network timings \((\d+) cells/);
  expect(cells).toBeGreaterThanOrEqual(300);
  expect(nets).toBe(2 * cells);
  expect(ops).toBeGreaterThan(100);
  for (const batch of [1, 64]) {
    const ours = metrics(text, batch, 'sum model');
    const macs = metrics(text, batch, 'MACs only');
    expect(ours.n).toBe(cells);
    // The per-operation model, fitted to single operations only, ranks whole networks better than the MACs-only line fitted to networks.
    expect(ours.spearman).toBeGreaterThan(macs.spearman);
    expect(ours.spearman).toBeGreaterThan(0.6);
    expect(ours.within).toBeGreaterThanOrEqual(ours.lower);
    expect(ours.within).toBeLessThanOrEqual(ours.upper);
  }
  // At batch 1 most networks are predicted within ±10%, more than by MACs alone.
  expect(metrics(text, 1, 'sum model').within).toBeGreaterThan(50);
  expect(metrics(text, 1, 'sum model').within).toBeGreaterThan(metrics(text, 1, 'MACs only').within);
  // The parallel model never exceeds the sequential one.
  expect(text).toMatch(/never above the sum: true/);
  const [ratio] = numbers(text, /depth-max \/ sum over \d+ networks: median ([\d.]+)/);
  expect(ratio).toBeLessThan(1);
  // The model's ordering carries over to the NAS-Bench-Digits build's own timings.
  for (const batch of [1, 64]) {
    const [spearman] = numbers(text, new RegExp(`NAS-Bench-Digits build timings, batch ${batch}: \\d+ cells, Pearson [-\\d.]+ \\[[-\\d.]+, [-\\d.]+\\], Spearman ([-\\d.]+)`));
    expect(spearman).toBeGreaterThan(0.5);
  }
}
