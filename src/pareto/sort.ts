/**
 * Non-dominated sorting: every point gets the index of its front (rank 0 = not dominated by
 * anything; rank k = dominated only by points of ranks < k).
 *
 * The fast sort visits points in lexicographic order, so every point that can dominate the current
 * one has already been placed. A point's front is the first front holding none of its dominators,
 * and because dominance is transitive a dominator in front k implies one in every front before k:
 * the front can be found by binary search (Jensen 2003 for two objectives; "ENS-BS", Zhang et al.
 * 2015, in general). What differs with the number of objectives is the question "does front k
 * hold a dominator of p?":
 *
 * - 2 objectives: the smallest second objective of front k answers it (O(1)); O(n log n) in all.
 * - 3 objectives: each front keeps its 2-D staircase of (f2, f3) sorted by f2; a binary search
 *   answers; O(n log n · log F) searches for F fronts, plus the staircase updates.
 * - 4 or more: each front's members are scanned (ENS-BS), O(M·n²) in the worst case but far less
 *   on typical sets.
 *
 * `naiveNonDominatedSort` is Deb et al.'s (2002) O(M·n²) "fast non-dominated sort", the reference
 * the tests and the bench compare with.
 */
import { flatDominates, flattenPoints, lexOrder, type FlatPoints, type ParetoOptions } from './points';
import { lastAtMost, lastBelow } from './order';

/**
 * The fronts of a set: fronts[0] holds the indices of the non-dominated points, fronts[1] those
 * dominated only by fronts[0], and so on; indices ascending within a front. Duplicate points share a front.
 * @param points one row per candidate, one column per objective
 * @param opts.directions per objective 'minimize' (default) or 'maximize'
 * @throws RangeError for an empty set or rows of different lengths; TypeError for NaN objectives
 * @example nonDominatedSort([[1, 5], [2, 2], [3, 3], [5, 1], [4, 4]]) // [[0, 1, 3], [2], [4]]
 */
export function nonDominatedSort(points: readonly (readonly number[])[], opts?: ParetoOptions): number[][] {
  return ranksToFronts(nonDominatedRanks(flattenPoints(points, opts, 'nonDominatedSort')));
}

/**
 * The front index of each point (0 = non-dominated), same order as `points`.
 * @throws as {@link nonDominatedSort}
 * @example paretoRanks([[1, 5], [2, 2], [3, 3]]) // [0, 0, 1]
 */
export function paretoRanks(points: readonly (readonly number[])[], opts?: ParetoOptions): number[] {
  return Array.from(nonDominatedRanks(flattenPoints(points, opts, 'paretoRanks')));
}

/**
 * Deb et al.'s (2002) sort: count each point's dominators, peel fronts. O(M·n²) time, O(n²) memory
 * in the worst case; kept as the plain reference for tests and the bench.
 * @throws as {@link nonDominatedSort}
 * @example naiveNonDominatedSort([[1, 5], [2, 2], [3, 3], [5, 1], [4, 4]]) // [[0, 1, 3], [2], [4]]
 */
export function naiveNonDominatedSort(points: readonly (readonly number[])[], opts?: ParetoOptions): number[][] {
  const { n, m, flat } = flattenPoints(points, opts, 'naiveNonDominatedSort');
  const dominated: number[][] = Array.from({ length: n }, () => []);
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (flatDominates(flat, m, i, j)) {
        dominated[i].push(j);
        count[j]++;
      } else if (flatDominates(flat, m, j, i)) {
        dominated[j].push(i);
        count[i]++;
      }
    }
  }
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (count[i] === 0) current.push(i);
  while (current.length > 0) {
    fronts.push(current);
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominated[i]) if (--count[j] === 0) next.push(j);
    }
    current = next.sort((a, b) => a - b);
  }
  return fronts;
}

/**
 * Front ranks of checked flat points.
 * @internal
 */
export function nonDominatedRanks(p: FlatPoints): Int32Array {
  const order = lexOrder(p);
  const { n, m, flat } = p;
  const ranks = new Int32Array(n);
  const fronts: FrontIndex = m <= 2 ? new SecondObjectiveMinima(flat, m) : m === 3 ? new Staircases(flat) : new MemberLists(flat, m);
  let prev = -1;
  for (let t = 0; t < n; t++) {
    const i = order[t];
    if (prev >= 0 && sameRow(flat, m, prev, i)) {
      ranks[i] = ranks[prev]; // an equal point neither dominates nor is dominated by its twin
      continue;
    }
    // Binary search for the first front with no dominator of i.
    let lo = 0;
    let hi = fronts.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fronts.hasDominatorOf(mid, i)) lo = mid + 1;
      else hi = mid;
    }
    fronts.add(lo, i);
    ranks[i] = lo;
    prev = i;
  }
  return ranks;
}

function sameRow(flat: Float64Array, m: number, a: number, b: number): boolean {
  for (let j = 0; j < m; j++) if (flat[a * m + j] !== flat[b * m + j]) return false;
  return true;
}

function ranksToFronts(ranks: Int32Array): number[][] {
  const fronts: number[][] = [];
  ranks.forEach((r, i) => {
    while (fronts.length <= r) fronts.push([]);
    fronts[r].push(i);
  });
  return fronts;
}

/**
 * What the sweep asks of the fronts built so far. Every point already added precedes the queried
 * one lexicographically and differs from it, so "weakly better in the remaining objectives" is
 * the same as "dominates".
 */
interface FrontIndex {
  readonly count: number;
  hasDominatorOf(front: number, i: number): boolean;
  add(front: number, i: number): void;
}

/** Two objectives (or one): a front holds a dominator of p iff its smallest f2 is <= p's f2. */
class SecondObjectiveMinima implements FrontIndex {
  private minima: number[] = [];
  constructor(
    private readonly flat: Float64Array,
    private readonly m: number,
  ) {}
  get count(): number {
    return this.minima.length;
  }
  private second(i: number): number {
    return this.m === 2 ? this.flat[2 * i + 1] : -Infinity;
  }
  hasDominatorOf(front: number, i: number): boolean {
    return this.minima[front] <= this.second(i);
  }
  add(front: number, i: number): void {
    const y = this.second(i);
    if (front === this.minima.length) this.minima.push(y);
    else this.minima[front] = Math.min(this.minima[front], y);
  }
}

/**
 * Three objectives: front k keeps the non-dominated (f2, f3) pairs of its members, sorted by f2
 * ascending (f3 then strictly descending). p has a dominator in front k iff the last pair with
 * f2 <= p.f2 has f3 <= p.f3.
 */
class Staircases implements FrontIndex {
  private xs: number[][] = [];
  private ys: number[][] = [];
  constructor(private readonly flat: Float64Array) {}
  get count(): number {
    return this.xs.length;
  }
  hasDominatorOf(front: number, i: number): boolean {
    const x = this.flat[3 * i + 1];
    const k = lastAtMost(this.xs[front], x);
    return k >= 0 && this.ys[front][k] <= this.flat[3 * i + 2];
  }
  add(front: number, i: number): void {
    const x = this.flat[3 * i + 1];
    const y = this.flat[3 * i + 2];
    if (front === this.xs.length) {
      this.xs.push([x]);
      this.ys.push([y]);
      return;
    }
    const xs = this.xs[front];
    const ys = this.ys[front];
    const k = lastAtMost(xs, x);
    if (k >= 0 && ys[k] <= y) return; // already covered in (f2, f3) by a front-mate
    // Drop the pairs the new one covers (f2 >= x and f3 >= y): contiguous from the first f2 >= x.
    const start = lastBelow(xs, x) + 1;
    let end = start;
    while (end < xs.length && ys[end] >= y) end++;
    xs.splice(start, end - start, x);
    ys.splice(start, end - start, y);
  }
}

/** Four or more objectives: scan each front's members (ENS-BS). */
class MemberLists implements FrontIndex {
  private members: number[][] = [];
  constructor(
    private readonly flat: Float64Array,
    private readonly m: number,
  ) {}
  get count(): number {
    return this.members.length;
  }
  hasDominatorOf(front: number, i: number): boolean {
    const list = this.members[front];
    // Scan newest first: a recent member is nearer in the order and likelier to dominate.
    for (let t = list.length - 1; t >= 0; t--) if (weaklyBetterAfterFirst(this.flat, this.m, list[t], i)) return true;
    return false;
  }
  add(front: number, i: number): void {
    if (front === this.members.length) this.members.push([i]);
    else this.members[front].push(i);
  }
}

function weaklyBetterAfterFirst(flat: Float64Array, m: number, a: number, b: number): boolean {
  for (let j = 1; j < m; j++) if (flat[a * m + j] > flat[b * m + j]) return false;
  return true;
}
