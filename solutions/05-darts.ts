/**
 * Chapter 05, differentiable architecture search: the reference solution.
 */

/** S_λ(x) = sign(x) · max(|x| − λ, 0). */
export function softThreshold(x: number, lambda: number): number {
  if (x > lambda) return x - lambda;
  if (x < -lambda) return x + lambda;
  return 0;
}

const thresholdedSum = (c: number[], lambda: number, mu: number): number => c.reduce((s, ci) => s + softThreshold(ci - mu, lambda), 0);

/** The root of Σ S_λ(cᵢ − μ) = 1: find the two breakpoints around it, then solve the linear piece. */
export function projectionMultiplier(c: number[], lambda: number): number {
  const breakpoints = c.flatMap((ci) => [ci - lambda, ci + lambda]).sort((a, b) => a - b);
  let inside = breakpoints[0] - 1; // below every breakpoint when the root is there
  for (let k = 0; k + 1 < breakpoints.length; k++) {
    if (thresholdedSum(c, lambda, breakpoints[k]) >= 1 && thresholdedSum(c, lambda, breakpoints[k + 1]) < 1) {
      inside = (breakpoints[k] + breakpoints[k + 1]) / 2;
    }
  }
  let total = -1;
  let active = 0;
  for (const ci of c) {
    if (ci - inside > lambda) {
      total += ci - lambda;
      active++;
    } else if (ci - inside < -lambda) {
      total += ci + lambda;
      active++;
    }
  }
  return total / active;
}

/** β* = S_λ(c − μ). */
export function sparseProjection(c: number[], lambda: number): number[] {
  const mu = projectionMultiplier(c, lambda);
  return c.map((ci) => softThreshold(ci - mu, lambda));
}

/** DP over (node, counted so far capped at lMin); nodes in increasing order are a topological order. */
export function constrainedPathLogWeight(
  nodes: number,
  edges: { from: number; to: number; weights: Record<string, number> }[],
  lMin: number,
): number {
  const best = Array.from({ length: nodes }, () => new Array<number>(lMin + 1).fill(-Infinity));
  best[0][0] = 0;
  const sorted = [...edges].sort((a, b) => a.from - b.from);
  for (const e of sorted) {
    for (let k = 0; k <= lMin; k++) {
      if (best[e.from][k] === -Infinity) continue;
      for (const [op, w] of Object.entries(e.weights)) {
        if (op === 'none' || !(w > 0)) continue;
        const next = op === 'skip' ? k : Math.min(k + 1, lMin);
        best[e.to][next] = Math.max(best[e.to][next], best[e.from][k] + Math.log(w));
      }
    }
  }
  return best[nodes - 1][lMin];
}
