/**
 * Counting by binary search in a descending array (accuracies sorted best first): how many
 * entries are above a value, and how many at least it. A cell's rank in a table is the count
 * above its accuracy plus one (tied cells share the best rank).
 */

/**
 * The number of entries of a descending array strictly greater than x.
 * @example countAbove([0.9, 0.8, 0.8, 0.5], 0.8) // 1
 */
export function countAbove(descending: ArrayLike<number>, x: number): number {
  return firstIndex(descending, (v) => v > x);
}

/**
 * The number of entries of a descending array greater than or equal to x.
 * @example countAtLeast([0.9, 0.8, 0.8, 0.5], 0.8) // 3
 */
export function countAtLeast(descending: ArrayLike<number>, x: number): number {
  return firstIndex(descending, (v) => v >= x);
}

/** The first index whose entry fails `holds` (which holds on a prefix of the array). */
function firstIndex(xs: ArrayLike<number>, holds: (v: number) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(xs[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
