/**
 * A model of how a weight-sharing supernet ranks architectures as it trains. With s the
 * stand-alone accuracies of n architectures and q the supernet's bias before training (what it
 * would predict at E = 0), its prediction after E epochs is modelled as the mixture
 *
 *   p(E) = α(E)·s + (1 − α(E))·q,   α(E) = E / (E + λ),
 *
 * and its quality as an estimator by the rank correlation ρ(E) = Spearman(p(E), s).
 *
 * Three facts follow and are tested:
 * - ρ(0) = Spearman(q, s): the untrained supernet ranks as its bias does, so ρ starts negative
 *   exactly when q is anti-correlated with s in rank;
 * - the ranking of p(E) depends on E/λ only: p(E) is a positive multiple of (E/λ)·s + q, so λ is
 *   the number of epochs at which s and q weigh the same;
 * - as E/λ grows, p(E) ranks like s and ρ → 1 (for E/λ → 0 it stays at ρ(0)).
 *
 * Only λ together with q's spread is identifiable from rankings: scaling q by k is the same as
 * scaling λ by k. The fit below therefore gives q the spread (standard deviation) of s.
 */
import { checkInt, checkNumber, checkNumbers, checkSameLength, describe } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { mean, rankAverage, spearman, std } from '../../core/stats';

/**
 * The mixing weight α(E) = E / (E + λ): 0 before training, 1/2 at E = λ, → 1 as E grows.
 * @param epochs E >= 0
 * @param lambda λ > 0
 * @throws TypeError if E or λ is not finite; RangeError if E < 0 or λ <= 0
 * @example mixingWeight(10, 10) // 0.5
 */
export function mixingWeight(epochs: number, lambda: number): number {
  checkNumber('epochs', epochs, { min: 0 }, 'mixingWeight');
  checkNumber('lambda', lambda, { min: 0, exclusiveMin: true }, 'mixingWeight');
  return epochs / (epochs + lambda);
}

function checkScores(s: unknown, q: unknown, caller: string): { s: number[]; q: number[] } {
  const ss = checkNumbers('s', s, { minLength: 2 }, caller);
  const qs = checkNumbers('q', q, { minLength: 2 }, caller);
  checkSameLength('s', ss, 'q', qs, caller);
  return { s: ss, q: qs };
}

/**
 * The modelled supernet prediction p(E) = α(E)·s + (1 − α(E))·q, one value per architecture.
 * @param s stand-alone accuracies (at least two)
 * @param q the bias at initialisation, as many values as s
 * @param epochs E >= 0
 * @param lambda λ > 0
 * @throws RangeError if s and q differ in length, E < 0 or λ <= 0; TypeError for a non-finite value
 * @example supernetPrediction([90, 80], [70, 95], 5, 5) // [80, 87.5]
 */
export function supernetPrediction(s: readonly number[], q: readonly number[], epochs: number, lambda: number): number[] {
  const caller = 'supernetPrediction';
  const v = checkScores(s, q, caller);
  checkNumber('epochs', epochs, { min: 0 }, caller);
  checkNumber('lambda', lambda, { min: 0, exclusiveMin: true }, caller);
  const a = epochs / (epochs + lambda);
  return v.s.map((si, i) => a * si + (1 - a) * v.q[i]);
}

/** Spearman(p, s) on checked input; a prediction that ties every architecture ranks nothing: 0. */
function rankCorrelationOf(p: readonly number[], s: readonly number[]): number {
  if (p.every((x) => x === p[0])) return 0;
  return spearman(p, s);
}

/**
 * The modelled rank correlation ρ(E) = Spearman(p(E), s). Where p(E) ties every architecture (for
 * example q = −s at E = λ) it ranks nothing, and ρ is 0 by convention rather than undefined.
 * @param s stand-alone accuracies (at least two, not all equal)
 * @param q the bias at initialisation, as many values as s
 * @param epochs E >= 0
 * @param lambda λ > 0
 * @throws RangeError if s and q differ in length, s is constant, E < 0 or λ <= 0
 * @example rankCorrelation([1, 2, 3], [3, 2, 1], 0, 1) // -1: ρ(0) = Spearman(q, s)
 * @example rankCorrelation([1, 2, 3], [3, 2, 1], 3, 1) // 1: past E = λ, s outweighs q
 */
export function rankCorrelation(s: readonly number[], q: readonly number[], epochs: number, lambda: number): number {
  return rankCorrelationOf(supernetPrediction(s, q, epochs, lambda), s);
}

/**
 * ρ(E) at each budget in `epochs`: the curve a supernet's ranking quality follows in the model.
 * @param s stand-alone accuracies (at least two, not all equal)
 * @param q the bias at initialisation, as many values as s
 * @param epochs the budgets E (each >= 0)
 * @param lambda λ > 0
 * @throws as rankCorrelation, naming the bad budget
 * @example rankCorrelationCurve([1, 2, 3], [3, 1, 2], [0, 10], 1) // [-0.5, 1]
 */
export function rankCorrelationCurve(s: readonly number[], q: readonly number[], epochs: readonly number[], lambda: number): number[] {
  const caller = 'rankCorrelationCurve';
  const v = checkScores(s, q, caller);
  checkNumbers('epochs', epochs, { minLength: 1 }, caller).forEach((e, i) => checkNumber(`epochs[${i}]`, e, { min: 0 }, caller));
  checkNumber('lambda', lambda, { min: 0, exclusiveMin: true }, caller);
  return epochs.map((e) => curvePoint(v.s, v.q, e / lambda));
}

/** ρ at the ratio E/λ (the only thing the ranking depends on), on checked input. */
function curvePoint(s: readonly number[], q: readonly number[], ratio: number): number {
  return rankCorrelationOf(s.map((si, i) => ratio * si + q[i]), s);
}

/**
 * Spearman against a fixed s, many times: s's ranks are centred once, and each call ranks only p
 * (the same average-rank Spearman as core/stats, without re-ranking s on every grid point).
 */
class RankAgainst {
  private readonly centred: number[];
  private readonly norm: number;
  constructor(private readonly s: readonly number[]) {
    const ranks = rankAverage(s);
    const m = (s.length + 1) / 2;
    this.centred = ranks.map((r) => r - m);
    this.norm = Math.sqrt(this.centred.reduce((a, x) => a + x * x, 0));
  }
  /** ρ of the model at the ratio E/λ for the bias q. */
  at(q: readonly number[], ratio: number): number {
    const p = this.s.map((si, i) => ratio * si + q[i]);
    if (p.every((x) => x === p[0])) return 0;
    const ranks = rankAverage(p);
    const m = (p.length + 1) / 2;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < ranks.length; i++) {
      const d = ranks[i] - m;
      sxy += d * this.centred[i];
      syy += d * d;
    }
    return Math.max(-1, Math.min(1, sxy / Math.sqrt(syy) / this.norm));
  }
}

/** A measured ρ(E) curve: the budgets and the rank correlation measured after each. */
export interface MeasuredRankCurve {
  /** Budgets E (each >= 0). */
  epochs: readonly number[];
  /** The measured ρ after each budget (each in [−1, 1]). */
  rho: readonly number[];
  /** Stand-alone accuracies of the ranked architectures (not all equal). */
  s: readonly number[];
}

/** A fitted rank model. */
export interface RankModelFit {
  /** The least-squares λ (the middle, on a log scale, of the grid points that reach the least error). */
  lambda: number;
  /** Every λ on the grid with the same least error: ρ(E) is a step function of λ, so the minimum is an interval. */
  lambdaRange: [number, number];
  /** Spearman(q, s) of the bias used (given, or fitted). */
  biasCorrelation: number;
  /** The bias q used. */
  q: number[];
  /** The model's ρ at each measured budget. */
  fitted: number[];
  /** Σ (ρ_measured − ρ_model)². */
  sse: number;
}

function checkCurve(curve: unknown, caller: string): { epochs: number[]; rho: number[]; s: number[] } {
  if (typeof curve !== 'object' || curve === null) throw new TypeError(`${caller}: 'curve' must be { epochs, rho, s }, got ${describe(curve)}`);
  const c = curve as Record<string, unknown>;
  const epochs = checkNumbers('curve.epochs', c.epochs, { minLength: 1 }, caller);
  epochs.forEach((e, i) => checkNumber(`curve.epochs[${i}]`, e, { min: 0 }, caller));
  const rho = checkNumbers('curve.rho', c.rho, { minLength: 1 }, caller);
  rho.forEach((r, i) => checkNumber(`curve.rho[${i}]`, r, { min: -1, max: 1 }, caller));
  checkSameLength('curve.epochs', epochs, 'curve.rho', rho, caller);
  const s = checkNumbers('curve.s', c.s, { minLength: 2 }, caller);
  if (s.every((x) => x === s[0])) throw new RangeError(`${caller}: 'curve.s' must not be constant (all ${s.length} values are ${s[0]})`);
  return { epochs, rho, s };
}

/** `points` log-spaced values from lo to hi (both > 0). */
function logSpaced(lo: number, hi: number, points: number): number[] {
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: points }, (_, i) => Math.exp(a + ((b - a) * i) / (points - 1)));
}

/** Coarse λ candidates: from 1/1000 of the smallest positive budget to 1000 times the largest. */
function lambdaGrid(epochs: readonly number[], points: number): number[] {
  const positive = epochs.filter((e) => e > 0);
  const lo = positive.length ? Math.min(...positive) : 1;
  const hi = positive.length ? Math.max(...positive) : 1;
  return logSpaced(lo / 1000, hi * 1000, points);
}

/** Every grid λ with the least squared error (within rounding), and that error. */
function bestOnGrid(sseAt: (lambda: number) => number, grid: readonly number[]): { best: number[]; sse: number } {
  let sse = Infinity;
  let best: number[] = [];
  for (const lambda of grid) {
    const value = sseAt(lambda);
    if (value < sse - 1e-12) {
      sse = value;
      best = [lambda];
    } else if (Math.abs(value - sse) <= 1e-12) best.push(lambda);
  }
  return { best, sse };
}

/**
 * The least-squares λ for a fixed q: a coarse log-spaced grid, then a fine one (40 points) between
 * the coarse neighbours of the best coarse points.
 */
function fitLambdaFor(
  curve: { epochs: readonly number[]; rho: readonly number[] },
  ranker: RankAgainst,
  q: readonly number[],
  grid: readonly number[],
  refine = true,
): Omit<RankModelFit, 'biasCorrelation' | 'q'> {
  const { epochs, rho } = curve;
  const sseAt = (lambda: number): number => epochs.reduce((acc, e, k) => acc + (rho[k] - ranker.at(q, e / lambda)) ** 2, 0);
  const coarse = bestOnGrid(sseAt, grid);
  if (!refine) return finishFit(coarse, epochs, ranker, q);
  const step = grid[1] / grid[0];
  const fine = bestOnGrid(sseAt, logSpaced(coarse.best[0] / step, coarse.best[coarse.best.length - 1] * step, 40));
  return finishFit(fine.sse <= coarse.sse ? fine : coarse, epochs, ranker, q);
}

function finishFit(found: { best: number[]; sse: number }, epochs: readonly number[], ranker: RankAgainst, q: readonly number[]): Omit<RankModelFit, 'biasCorrelation' | 'q'> {
  const { best, sse } = found;
  const lambda = Math.sqrt(best[0] * best[best.length - 1]);
  return { lambda, lambdaRange: [best[0], best[best.length - 1]], fitted: epochs.map((e) => ranker.at(q, e / lambda)), sse };
}

/**
 * Fits λ to a measured ρ(E) curve for a known bias q: least squares by a 1-D grid search, 100
 * log-spaced λ from 1/1000 of the smallest positive budget to 1000 times the largest, then 40
 * between the neighbours of the best. ρ is a step function of λ (ranks change in jumps), so the
 * least error is reached on an interval, reported as `lambdaRange`; a derivative-based method
 * would have nothing to follow.
 * @param curve the budgets, the measured ρ after each, and the stand-alone accuracies s
 * @param q the bias at initialisation (as many values as s)
 * @throws RangeError/TypeError for mismatched lengths, ρ outside [−1, 1], a negative budget, constant s
 * @example fitRankModelLambda({ epochs: [0, 1, 4], rho: [-1, -1, 1], s: [1, 2, 3] }, [3, 2, 1]).lambdaRange
 * // inside (1, 4): with q = 4 − s, ρ flips from −1 to 1 when E passes λ
 */
export function fitRankModelLambda(curve: MeasuredRankCurve, q: readonly number[]): RankModelFit {
  const caller = 'fitRankModelLambda';
  const { epochs, rho, s } = checkCurve(curve, caller);
  const qs = checkNumbers('q', q, { minLength: 2 }, caller);
  checkSameLength('curve.s', s, 'q', qs, caller);
  const fit = fitLambdaFor({ epochs, rho }, new RankAgainst(s), qs, lambdaGrid(epochs, 100));
  return { ...fit, biasCorrelation: rankCorrelationOf(qs, s), q: qs.slice() };
}

/** Options of {@link fitRankModel}. */
export interface FitRankModelOptions {
  /** Draws the part of q independent of s (required: the fit is then repeatable). */
  rng: Rng;
  /** Candidate correlations r between q and s: this many evenly spaced over [−1, 1], then as many again around the best (default 15). */
  biasGrid?: number;
  /** Coarse λ candidates, log-spaced as in fitRankModelLambda (default 50). */
  lambdaGrid?: number;
}

/**
 * The bias q(r) = mean(s) + sd(s)·(r·z + √(1 − r²)·z⊥) for a correlation r with s, where z is s
 * standardised and z⊥ a seeded normal draw made orthogonal to z and standardised: a bias whose
 * (Pearson) correlation with s is exactly r, with s's spread.
 * @param s stand-alone accuracies (at least three, not all equal)
 * @param r the correlation with s, in [−1, 1]
 * @param rng draws z⊥
 * @throws RangeError if s has fewer than three values, is constant, or r is outside [−1, 1]
 * @example correlatedBias([1, 2, 3, 4], 1, createRng(0)) // [1, 2, 3, 4] up to rounding
 */
export function correlatedBias(s: readonly number[], r: number, rng: Rng): number[] {
  const caller = 'correlatedBias';
  const ss = checkNumbers('s', s, { minLength: 3 }, caller);
  checkNumber('r', r, { min: -1, max: 1 }, caller);
  checkRng('rng', rng, caller);
  return biasFromDirections(ss, r, independentDirection(ss, rng));
}

function standardise(xs: readonly number[]): number[] {
  const m = mean(xs);
  const sd = std(xs);
  return xs.map((x) => (x - m) / sd);
}

/** A standardised normal draw with its component along standardised s removed. */
function independentDirection(s: readonly number[], rng: Rng): number[] {
  if (s.every((x) => x === s[0])) throw new RangeError(`correlatedBias: 's' must not be constant (all ${s.length} values are ${s[0]})`);
  const z = standardise(s);
  const raw = standardise(s.map(() => rng.normal()));
  const along = raw.reduce((a, x, i) => a + x * z[i], 0) / z.reduce((a, x) => a + x * x, 0);
  return standardise(raw.map((x, i) => x - along * z[i]));
}

function biasFromDirections(s: readonly number[], r: number, zPerp: readonly number[]): number[] {
  const m = mean(s);
  const sd = std(s);
  const z = standardise(s);
  const k = Math.sqrt(Math.max(0, 1 - r * r));
  return z.map((zi, i) => m + sd * (r * zi + k * zPerp[i]));
}

/**
 * Fits the rank model to a measured ρ(E) curve when q is unknown: q is modelled as
 * {@link correlatedBias}(s, r) and (r, λ) minimise Σ(ρ_measured − ρ_model)² by a grid over r
 * (evenly spaced in [−1, 1], then refined around the best) and, for each r, the λ grid search of
 * fitRankModelLambda. One seeded
 * z⊥ serves every r, so the fit is repeatable.
 * @param curve the budgets, the measured ρ after each, and the stand-alone accuracies s (at least 3)
 * @param opts the rng for z⊥ and the grid sizes
 * @throws RangeError/TypeError as fitRankModelLambda, or for grid sizes below 3
 * @example fitRankModel({ epochs: [0, 1, 4, 16], rho: [-0.4, -0.1, 0.5, 0.8], s: standAlone }, { rng: createRng(0) })
 * // { lambda, biasCorrelation, fitted, ... }: the λ and bias whose ρ(E) comes closest to the measured curve
 */
export function fitRankModel(curve: MeasuredRankCurve, opts: FitRankModelOptions): RankModelFit {
  const caller = 'fitRankModel';
  const { epochs, rho, s } = checkCurve(curve, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { rng, biasGrid?, lambdaGrid? }, got ${describe(opts)}`);
  const rng = checkRng('opts.rng', opts.rng, caller) as Rng;
  const rPoints = checkInt('opts.biasGrid', opts.biasGrid ?? 15, { min: 3 }, caller);
  const grid = lambdaGrid(epochs, checkInt('opts.lambdaGrid', opts.lambdaGrid ?? 50, { min: 3 }, caller));
  if (s.length < 3) throw new RangeError(`${caller}: 'curve.s' must have at least 3 items, got length ${s.length}`);
  const zPerp = independentDirection(s, rng);
  const ranker = new RankAgainst(s);
  let best: RankModelFit | null = null;
  let bestR = 0;
  const tryBias = (r: number): void => {
    const q = biasFromDirections(s, Math.max(-1, Math.min(1, r)), zPerp);
    const fit = fitLambdaFor({ epochs, rho }, ranker, q, grid, false);
    if (best === null || fit.sse < best.sse - 1e-12) {
      best = { ...fit, q, biasCorrelation: rankCorrelationOf(q, s) };
      bestR = r;
    }
  };
  // A coarse grid over r, then a grid as fine again around the best r.
  const width = 2 / (rPoints - 1);
  for (let i = 0; i < rPoints; i++) tryBias(-1 + i * width);
  const centre = bestR;
  for (let i = 0; i < rPoints; i++) tryBias(centre - width + (2 * width * i) / (rPoints - 1));
  // Only the winning bias gets the fine λ search.
  const won = best as unknown as RankModelFit;
  return { ...fitLambdaFor({ epochs, rho }, ranker, won.q, grid), q: won.q, biasCorrelation: won.biasCorrelation };
}

