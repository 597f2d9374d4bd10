/**
 * Chapter 08, zero-cost proxies: the reference solution.
 */
import { symmetricEigen } from 'nasbook';

/** Backward products of the absolute weights on an all-ones input: saliency = g_out ⊗ h_in ⊙ |W|. */
export function synflowSaliency(weights: number[][][]): number[][][] {
  const abs = weights.map((W) => W.map((row) => row.map(Math.abs)));
  const inputs: number[][] = [new Array(abs[0][0].length).fill(1)];
  for (const W of abs) inputs.push(W.map((row) => row.reduce((s, w, j) => s + w * inputs[inputs.length - 1][j], 0)));
  const out = new Array<number[][]>(abs.length);
  let grad: number[] = new Array(abs[abs.length - 1].length).fill(1);
  for (let l = abs.length - 1; l >= 0; l--) {
    const g = grad;
    out[l] = abs[l].map((row, i) => row.map((w, j) => g[i] * w * inputs[l][j]));
    grad = abs[l][0].map((_, j) => abs[l].reduce((s, row, i) => s + g[i] * row[j], 0));
  }
  return out;
}

/** Pearson correlations of the rows, eigenvalues clamped at 0, then −Σ[log(λ + k) + 1/(λ + k)]. */
export function jacobCovScore(jacobians: number[][]): number {
  const k = 1e-5;
  const centred = jacobians.map((row) => {
    const m = row.reduce((s, x) => s + x, 0) / row.length;
    const c = row.map((x) => x - m);
    const norm = Math.sqrt(c.reduce((s, x) => s + x * x, 0));
    return c.map((x) => x / norm);
  });
  const corr = centred.map((a, i) => centred.map((b, j) => (i === j ? 1 : a.reduce((s, x, t) => s + x * b[t], 0))));
  return -symmetricEigen(corr).values.reduce((s, v) => s + Math.log(Math.max(v, 0) + k) + 1 / (Math.max(v, 0) + k), 0);
}

function averageRanks(xs: number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const ranks = new Array<number>(xs.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && xs[order[end + 1]] === xs[order[start]]) end++;
    for (let t = start; t <= end; t++) ranks[order[t]] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's r on average ranks. */
export function spearman(x: number[], y: number[]): number {
  const [rx, ry] = [averageRanks(x), averageRanks(y)];
  const mean = (rx.length + 1) / 2;
  let [sxy, sxx, syy] = [0, 0, 0];
  rx.forEach((r, i) => {
    sxy += (r - mean) * (ry[i] - mean);
    sxx += (r - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
