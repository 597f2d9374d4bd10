/**
 * Sorting row indices without the engine's comparator sort: V8's `Array.prototype.sort` and
 * `TypedArray.prototype.sort` with a comparator cost tens of milliseconds for 10,000 indices here
 * (measured, bench/README.md), more than the whole non-dominated sort around them. A bottom-up
 * merge sort on typed arrays, with insertion sort for short runs, is stable and 10–50x faster.
 */

/**
 * The indices 0..n−1 ordered by `compare` (negative: a first), stably.
 * @internal
 */
export function sortedIndices(n: number, compare: (a: number, b: number) => number): Uint32Array {
  let src = new Uint32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  const RUN = 16;
  // Insertion sort inside each run of RUN indices.
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const x = src[i];
      let j = i - 1;
      while (j >= lo && compare(src[j], x) > 0) {
        src[j + 1] = src[j];
        j--;
      }
      src[j + 1] = x;
    }
  }
  // Merge runs of doubling width, alternating between two buffers.
  let dst = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = compare(src[j], src[i]) < 0 ? src[j++] : src[i++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
    }
    [src, dst] = [dst, src];
  }
  return src;
}

// Binary searches over ascending arrays, shared by the sweeps of the non-dominated sort and the
// hypervolume.

/**
 * Index of the last element <= x in an ascending array, or -1.
 * @internal
 */
export function lastAtMost(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/**
 * Index of the last element < x in an ascending array, or -1.
 * @internal
 */
export function lastBelow(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
