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

export function subnetOutput(shared: Record<string, Record<string, number[][]>>, path: Record<string, string>, x: number[]): number[] {
  const edges = Object.keys(path).map((key) => key.split('->').map(Number));
  const last = Math.max(0, ...edges.map(([, j]) => j));
  const h: number[][] = [x];
  for (let j = 1; j <= last; j++) {
    h.push(x.map(() => 0));
    for (let i = 0; i < j; i++) {
      const key = `${i}->${j}`;
      const op = path[key] ?? 'none';
      if (op === 'none') continue;
      const out = op === 'skip' ? h[i] : shared[key][op].map((row) => Math.max(0, row.reduce((s, w, k) => s + w * h[i][k], 0)));
      h[j] = h[j].map((v, k) => v + out[k]);
    }
  }
  return h[last];
}
