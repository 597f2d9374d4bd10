/**
 * Chapter 06, hardware-aware NAS: the reference solution.
 */

export function sequentialLatency(ops: { inputs: number[]; time: number }[]): number {
  return ops.reduce((total, op) => total + op.time, 0);
}

export function depthMaxLatency(ops: { inputs: number[]; time: number }[]): number {
  const depth = new Map<number, number>();
  const depthOf = (i: number): number => {
    if (i === -1) return 0;
    const known = depth.get(i);
    if (known !== undefined) return known;
    const d = 1 + Math.max(...ops[i].inputs.map(depthOf));
    depth.set(i, d);
    return d;
  };
  const slowest = new Map<number, number>();
  ops.forEach((op, i) => slowest.set(depthOf(i), Math.max(slowest.get(depthOf(i)) ?? 0, op.time)));
  return [...slowest.values()].reduce((a, b) => a + b, 0);
}

/** Normal equations XᵀX β = Xᵀy, rows [M, S, 1], solved by Cramer's rule. */
export function fitLatency(samples: { macs: number; outputSize: number; ms: number }[]): { a: number; b: number; c: number } {
  const rows = samples.map((s) => [s.macs, s.outputSize, 1]);
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((t, r) => t + r[i] * r[j], 0)));
  const v = [0, 1, 2].map((i) => rows.reduce((t, r, k) => t + r[i] * samples[k].ms, 0));
  const det = (m: number[][]): number =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const d = det(A);
  const coef = [0, 1, 2].map((col) => det(A.map((row, i) => row.map((x, j) => (j === col ? v[i] : x)))) / d);
  return { a: coef[0], b: coef[1], c: coef[2] };
}
