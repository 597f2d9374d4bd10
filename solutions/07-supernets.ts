/**
 * Chapter 07, weight sharing: the reference solution.
 */
import { spearman } from 'nasbook';

export function mixingWeight(epochs: number, lambda: number): number {
  return epochs / (epochs + lambda);
}

export function supernetPrediction(s: number[], q: number[], epochs: number, lambda: number): number[] {
  const alpha = mixingWeight(epochs, lambda);
  return s.map((si, i) => alpha * si + (1 - alpha) * q[i]);
}

export function rankCorrelation(s: number[], q: number[], epochs: number, lambda: number): number {
  const p = supernetPrediction(s, q, epochs, lambda);
  if (p.every((x) => x === p[0])) return 0;
  return spearman(p, s);
}

export function rankCorrelationCurve(s: number[], q: number[], epochs: number[], lambda: number): number[] {
  return epochs.map((e) => rankCorrelation(s, q, e, lambda));
}
