/**
 * Obvious, slow definitions the fast routines are checked against: dominance straight from its
 * definition, fronts by repeated peeling, hypervolume by counting the cells of the grid that the
 * points' own coordinates span.
 */
export type Dir = 'minimize' | 'maximize';

export function bruteDominates(a: readonly number[], b: readonly number[], dirs: readonly Dir[]): boolean {
  let strictly = false;
  for (let j = 0; j < a.length; j++) {
    const x = dirs[j] === 'maximize' ? -a[j] : a[j];
    const y = dirs[j] === 'maximize' ? -b[j] : b[j];
    if (x > y) return false;
    if (x < y) strictly = true;
  }
  return strictly;
}

/** Fronts by peeling: the points no remaining point dominates, again and again. */
export function bruteFronts(points: readonly number[][], dirs: readonly Dir[]): number[][] {
  let left = points.map((_, i) => i);
  const fronts: number[][] = [];
  while (left.length > 0) {
    const front = left.filter((i) => !left.some((k) => bruteDominates(points[k], points[i], dirs)));
    fronts.push(front);
    left = left.filter((i) => !front.includes(i));
  }
  return fronts;
}

/** Hypervolume (all minimised) by summing the grid cells, spanned by every coordinate, that some point dominates. */
export function bruteHypervolume(points: readonly number[][], ref: readonly number[]): number {
  const m = ref.length;
  const axes = Array.from({ length: m }, (_, j) => [...new Set([...points.map((p) => p[j]), ref[j]])].sort((a, b) => a - b));
  let volume = 0;
  const idx = new Array<number>(m).fill(0);
  const walk = (j: number): void => {
    if (j === m) {
      const corner = idx.map((k, d) => axes[d][k]);
      if (points.some((p) => p.every((x, d) => x <= corner[d]))) {
        volume += idx.reduce((v, k, d) => v * (axes[d][k + 1] - axes[d][k]), 1);
      }
      return;
    }
    for (let k = 0; k + 1 < axes[j].length; k++) {
      idx[j] = k;
      walk(j + 1);
    }
  };
  walk(0);
  return volume;
}
