/**
 * Comparing strategies honestly: many seeded runs of each, summarised per trial (mean best-so-far
 * with a confidence band) and by the evaluations needed to reach a target (the top 1% of a
 * table). Notebooks 03 and 04 and `npm run bench` all measure with these. With several
 * objectives the per-trial quantity is the hypervolume of everything evaluated so far
 * (`hypervolumeCurve`), and the target a fraction of the hypervolume box.
 */
import { checkInt, checkNumber, checkNumbers, checkFunction, describe } from '../core/checks';
import { createRng, type Rng } from '../core/rng';
import { meanCI, median, quantile } from '../core/stats';
import type { MultiObjectiveStrategy, Scores } from './objectives';
import { hypervolumeCurve, type HypervolumeBox } from './paretoSearch';
import { evaluationsToReach, runSearch, type Strategy, type Trial } from './types';

/** Options of {@link repeatSearch}. */
export interface RepeatSearchOptions {
  /** Number of runs; run s uses the stream createRng(`${seedPrefix}-${s}`). */
  seeds: number;
  /** Evaluations per run. */
  trials: number;
  /** Default 'run'. */
  seedPrefix?: string;
}

/**
 * Runs a fresh strategy once per seed and returns every history.
 * @param make a new strategy for a run (strategies keep state, so one per run)
 * @example repeatSearch(() => new RandomSearch({ space }), objective, { seeds: 20, trials: 100 })
 */
export function repeatSearch<A>(make: () => Strategy<A>, objective: (arch: A) => number, opts: RepeatSearchOptions): Trial<A>[][] {
  const caller = 'repeatSearch';
  checkFunction('make', make, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { seeds, trials }, got ${describe(opts)}`);
  const seeds = checkInt('opts.seeds', opts.seeds, { min: 1 }, caller);
  const trials = checkInt('opts.trials', opts.trials, { min: 1 }, caller);
  const prefix = opts.seedPrefix ?? 'run';
  return Array.from({ length: seeds }, (_, s) => runSearch(make(), objective, { trials, rng: createRng(`${prefix}-${s}`) }));
}

/** Mean of a per-trial quantity over runs, with a t confidence band. */
export interface CurveBand {
  /** 1-based evaluation counts. */
  evaluations: number[];
  mean: number[];
  lower: number[];
  upper: number[];
  level: number;
}

/**
 * The mean over runs of any per-evaluation curve (cumulative regret, reward, ...) with a t band.
 * @param curves one curve per run, all of one length (at least two curves)
 * @param level confidence level of the band (default 0.95)
 * @throws RangeError for fewer than two curves or curves of unequal length
 * @example curveBand([[1, 2], [3, 4]]).mean // [2, 3]
 */
export function curveBand(curves: readonly (readonly number[])[], level = 0.95): CurveBand {
  const caller = 'curveBand';
  if (!Array.isArray(curves) || curves.length < 2) throw new RangeError(`${caller}: 'curves' must hold at least two curves (a band needs a spread), got ${describe(curves)}`);
  const n = curves[0].length;
  curves.forEach((c, i) => {
    if (!Array.isArray(c) || c.length !== n) throw new RangeError(`${caller}: every curve must have ${n} points, curve ${i} has ${describe(c?.length)}`);
  });
  checkNumber('level', level, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, caller);
  const band: CurveBand = { evaluations: [], mean: [], lower: [], upper: [], level };
  for (let t = 0; t < n; t++) {
    const ci = meanCI(curves.map((c) => c[t]), level);
    band.evaluations.push(t + 1);
    band.mean.push(ci.estimate);
    band.lower.push(ci.lower);
    band.upper.push(ci.upper);
  }
  return band;
}

/**
 * The mean best-so-far over runs at every evaluation, with a t confidence band for that mean.
 * @param runs histories of equal length (at least two)
 * @param opts `level` (default 0.95); `value` maps the best-so-far score, e.g. to a regret `(b) => optimum - b`
 * @throws RangeError for fewer than two runs or runs of unequal length
 */
export function bestSoFarBand<A>(runs: readonly Trial<A>[][], opts: { level?: number; value?: (bestScore: number) => number } = {}): CurveBand {
  const caller = 'bestSoFarBand';
  if (!Array.isArray(runs) || runs.length < 2) throw new RangeError(`${caller}: 'runs' must hold at least two histories (a band needs a spread), got ${describe(runs)}`);
  const n = runs[0].length;
  runs.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== n) throw new RangeError(`${caller}: every run must have ${n} trials, run ${i} has ${describe(r?.length)}`);
  });
  const value = opts.value ?? ((b: number) => b);
  return curveBand(runs.map((r) => r.map((t: Trial<A>) => value(t.bestScore))), opts.level ?? 0.95);
}

/**
 * The score a cell must reach to be in the top `fraction` of a table: the ceil(fraction·N)-th best.
 * @throws RangeError for an empty list or a fraction outside (0, 1]
 * @example topThreshold([1, 5, 3, 4], 0.5) // { threshold: 4, count: 2 }
 */
export function topThreshold(scores: readonly number[], fraction: number): { threshold: number; count: number } {
  const caller = 'topThreshold';
  checkNumbers('scores', scores, { minLength: 1 }, caller);
  checkNumber('fraction', fraction, { min: 0, max: 1, exclusiveMin: true }, caller);
  const sorted = scores.slice().sort((a, b) => b - a);
  const count = Math.ceil(fraction * sorted.length);
  return { threshold: sorted[count - 1], count };
}

/**
 * The first evaluation from which `below`'s band lies entirely under `above`'s (upper < lower) at
 * every later evaluation, or null when it does not at the last one. For regret bands this answers
 * "from when on is one strategy better, beyond the noise of the seeds".
 * @throws RangeError if the bands have different lengths
 * @example bandSeparation({ ..., upper: [5, 2, 1] }, { ..., lower: [4, 3, 2] }) // 2
 */
export function bandSeparation(below: CurveBand, above: CurveBand): number | null {
  if (below.upper.length !== above.lower.length) {
    throw new RangeError(`bandSeparation: the bands must have the same length, got ${below.upper.length} and ${above.lower.length}`);
  }
  let t = below.upper.length;
  while (t > 0 && below.upper[t - 1] < above.lower[t - 1]) t--;
  return t < below.upper.length ? t + 1 : null;
}

/**
 * Evaluations until a run first scores at least `threshold`, stopping there: cheaper than a full
 * budget when only the hitting time matters. Returns null when the budget runs out first.
 */
export function runSearchUntil<A>(strategy: Strategy<A>, objective: (arch: A) => number, opts: { threshold: number; budget: number; rng: Rng }): number | null {
  const caller = 'runSearchUntil';
  const budget = checkInt('opts.budget', opts.budget, { min: 1 }, caller);
  const threshold = checkNumber('opts.threshold', opts.threshold, {}, caller);
  for (let t = 1; t <= budget; t++) {
    const a = strategy.ask(opts.rng);
    const score = objective(a);
    strategy.tell(a, score);
    if (score >= threshold) return t;
  }
  return null;
}

/** How many evaluations runs needed to reach a target. */
export interface HittingSummary {
  /** Per run; a run that missed counts as budget + 1 (so the median stays defined and conservative). */
  evaluations: number[];
  median: number;
  q25: number;
  q75: number;
  /** Runs that never reached the target within the budget. */
  missed: number;
  budget: number;
}

/**
 * Runs a fresh strategy per seed until it reaches `threshold` (at most `budget` evaluations) and
 * summarises the evaluations it took: the measure the NAS literature reports for tabular benchmarks.
 * @example evaluationsToTarget(() => new RandomSearch({ space }), objective, { threshold, budget: 300, seeds: 50 })
 */
export function evaluationsToTarget<A>(
  make: () => Strategy<A>,
  objective: (arch: A) => number,
  opts: { threshold: number; budget: number; seeds: number; seedPrefix?: string },
): HittingSummary {
  const caller = 'evaluationsToTarget';
  checkFunction('make', make, caller);
  const seeds = checkInt('opts.seeds', opts.seeds, { min: 1 }, caller);
  const budget = checkInt('opts.budget', opts.budget, { min: 1 }, caller);
  const prefix = opts.seedPrefix ?? 'run';
  const evaluations = Array.from({ length: seeds }, (_, s) => runSearchUntil(make(), objective, { threshold: opts.threshold, budget, rng: createRng(`${prefix}-${s}`) }) ?? budget + 1);
  return hittingSummary(evaluations, budget);
}

/** One strategy's outcome in {@link compareStrategies}. */
export interface StrategyComparison {
  name: string;
  /** Mean best-so-far (or `value` of it) per evaluation, with its band. */
  band: CurveBand;
  /** Evaluations to reach the threshold. */
  hit: HittingSummary;
}

/** Options of {@link compareStrategies}. */
export interface CompareStrategiesOptions {
  /** Runs per strategy. */
  seeds: number;
  /** Evaluations per run for the curves. */
  trials: number;
  /** The score to reach for the hitting summary, and the budget to reach it in. */
  threshold: number;
  budget: number;
  /** Seed prefix of the runs: one string for all strategies (the same streams), or one per strategy name. */
  seedPrefix?: string | ((name: string) => string);
  /** Maps the best-so-far score, e.g. to a regret (see {@link bestSoFarBand}). */
  value?: (bestScore: number) => number;
}

/** Options of {@link compareStrategies} for multi-objective strategies. */
export interface CompareMultiObjectiveOptions extends Omit<CompareStrategiesOptions, 'value'> {
  /** The box hypervolume is measured in; `threshold` is then a fraction of it (e.g. 0.9). */
  box: HypervolumeBox;
}

/**
 * Each named strategy run over the same seeds: its best-so-far band and its evaluations to a
 * target. Multi-objective strategies (given with `opts.box`) are compared the same way on the
 * hypervolume of everything evaluated so far, as a fraction of the box: its band per evaluation,
 * and the evaluations until it reaches `threshold`.
 * @param strategies [name, make a fresh strategy] pairs
 * @param objective the score of an architecture, or every objective's value for multi-objective strategies
 * @throws TypeError/RangeError for bad options
 * @example compareStrategies([['random', () => new RandomSearch({ space })]], objective, { seeds: 20, trials: 100, threshold, budget: 300 })
 * @example compareStrategies([['NSGA-II', () => new Nsga2({ space, objectives })]], evaluate, { seeds: 20, trials: 100, threshold: 0.9, budget: 300, box })
 */
export function compareStrategies<A>(strategies: readonly (readonly [string, () => Strategy<A>])[], objective: (arch: A) => number, opts: CompareStrategiesOptions): StrategyComparison[];
export function compareStrategies<A>(strategies: readonly (readonly [string, () => MultiObjectiveStrategy<A>])[], evaluate: (arch: A) => Scores, opts: CompareMultiObjectiveOptions): StrategyComparison[];
export function compareStrategies<A>(
  strategies: readonly (readonly [string, () => Strategy<A> | MultiObjectiveStrategy<A>])[],
  objective: (arch: A) => number | Scores,
  opts: CompareStrategiesOptions | CompareMultiObjectiveOptions,
): StrategyComparison[] {
  if (typeof opts === 'object' && opts !== null && 'box' in opts && opts.box !== undefined) {
    return compareOnHypervolume(strategies as readonly (readonly [string, () => MultiObjectiveStrategy<A>])[], objective as (arch: A) => Scores, opts);
  }
  return compareOnBestScore(strategies as readonly (readonly [string, () => Strategy<A>])[], objective as (arch: A) => number, opts as CompareStrategiesOptions);
}

function compareOnBestScore<A>(strategies: readonly (readonly [string, () => Strategy<A>])[], objective: (arch: A) => number, opts: CompareStrategiesOptions): StrategyComparison[] {
  const caller = 'compareStrategies';
  const seeds = checkInt('opts.seeds', opts.seeds, { min: 1 }, caller);
  const trials = checkInt('opts.trials', opts.trials, { min: 1 }, caller);
  const budget = checkInt('opts.budget', opts.budget, { min: 1 }, caller);
  const threshold = checkNumber('opts.threshold', opts.threshold, {}, caller);
  const prefix = (name: string) => (typeof opts.seedPrefix === 'function' ? opts.seedPrefix(name) : (opts.seedPrefix ?? 'run'));
  return strategies.map(([name, make]) => {
    checkFunction(`strategies['${name}']`, make, caller);
    // One run per seed serves both measures: it goes on until it has `trials` evaluations for the
    // curve AND has hit the threshold (or spent the budget). The same seeded stream would replay
    // the same first evaluations, so this gives the numbers of two separate runs at the cost of one.
    const runs = Array.from({ length: seeds }, (_, s) => runUntilBoth(make(), objective, { trials, threshold, budget, rng: createRng(`${prefix(name)}-${s}`) }));
    const band = bestSoFarBand(runs.map((r) => r.slice(0, trials)), { value: opts.value });
    const evaluations = runs.map((r) => evaluationsToReach(r.slice(0, budget), threshold) ?? budget + 1);
    return { name, band, hit: hittingSummary(evaluations, budget) };
  });
}


/**
 * The multi-objective comparison: one run of max(trials, budget) per seed gives the hypervolume
 * band over the first `trials` evaluations and the evaluations until it reaches `threshold`.
 */
function compareOnHypervolume<A>(strategies: readonly (readonly [string, () => MultiObjectiveStrategy<A>])[], evaluate: (arch: A) => Scores, opts: CompareMultiObjectiveOptions): StrategyComparison[] {
  const caller = 'compareStrategies';
  const seeds = checkInt('opts.seeds', opts.seeds, { min: 2 }, caller);
  const trials = checkInt('opts.trials', opts.trials, { min: 1 }, caller);
  const budget = checkInt('opts.budget', opts.budget, { min: 1 }, caller);
  const threshold = checkNumber('opts.threshold', opts.threshold, { min: 0, max: 1, exclusiveMin: true }, caller);
  const prefix = (name: string) => (typeof opts.seedPrefix === 'function' ? opts.seedPrefix(name) : (opts.seedPrefix ?? 'run'));
  const length = Math.max(trials, budget);
  return strategies.map(([name, make]) => {
    checkFunction(`strategies['${name}']`, make, caller);
    const curves = Array.from({ length: seeds }, (_, s) => hypervolumeCurve(runSearch(make(), evaluate, { trials: length, rng: createRng(`${prefix(name)}-${s}`) }), opts.box));
    const hits = curves.map((c) => {
      const i = c.slice(0, budget).findIndex((v) => v >= threshold);
      return i < 0 ? budget + 1 : i + 1;
    });
    return { name, band: curveBand(curves.map((c) => c.slice(0, trials))), hit: hittingSummary(hits, budget) };
  });
}

/** Runs until both `trials` evaluations are done and the threshold is hit (at most max(trials, budget)). */
function runUntilBoth<A>(strategy: Strategy<A>, objective: (arch: A) => number, opts: { trials: number; threshold: number; budget: number; rng: Rng }): Trial<A>[] {
  const run: Trial<A>[] = [];
  const limit = Math.max(opts.trials, opts.budget);
  let hit = false;
  let best = -Infinity;
  for (let t = 1; t <= limit && (t <= opts.trials || !hit); t++) {
    const arch = strategy.ask(opts.rng);
    const score = objective(arch);
    if (typeof score !== 'number' || !Number.isFinite(score)) throw new TypeError(`compareStrategies: 'objective' must return a finite number, got ${describe(score)}`);
    strategy.tell(arch, score);
    best = Math.max(best, score);
    run.push({ trial: t - 1, arch, score, bestScore: best });
    if (score >= opts.threshold) hit = true;
  }
  return run;
}

/**
 * Summary of evaluations-to-target over runs; a run that missed counts as budget + 1.
 * @example hittingSummary([3, 5, 401], 400) // { median: 5, missed: 1, ... }
 */
export function hittingSummary(evaluations: readonly number[], budget: number): HittingSummary {
  checkNumbers('evaluations', evaluations, { minLength: 1 }, 'hittingSummary');
  checkInt('budget', budget, { min: 1 }, 'hittingSummary');
  return {
    evaluations: evaluations.slice(),
    median: median(evaluations),
    q25: quantile(evaluations, 0.25),
    q75: quantile(evaluations, 0.75),
    missed: evaluations.filter((e) => e > budget).length,
    budget,
  };
}

/**
 * One table row per strategy of a comparison: the curve's mean at chosen evaluations with the band
 * at the last of them, and the evaluations to the target (median, quartiles, misses).
 * @param results the output of {@link compareStrategies}
 * @param at 1-based evaluations to report the curve at (within the curve)
 * @throws RangeError for an evaluation outside the curves
 * @example comparisonRows(results, [25, 100])[0] // { strategy: 'random', 'mean @ 25': ..., 'mean @ 100': ..., ... }
 */
export function comparisonRows(results: readonly StrategyComparison[], at: readonly number[]): Record<string, string | number>[] {
  const caller = 'comparisonRows';
  checkNumbers('at', at, { minLength: 1 }, caller);
  const last = at[at.length - 1];
  return results.map(({ name, band, hit }) => {
    at.forEach((t) => checkInt('at[]', t, { min: 1, max: band.mean.length }, caller));
    return {
      strategy: name,
      ...Object.fromEntries(at.map((t) => [`mean @ ${t}`, band.mean[t - 1]])),
      [`${Math.round(band.level * 100)}% low @ ${last}`]: band.lower[last - 1],
      [`${Math.round(band.level * 100)}% high @ ${last}`]: band.upper[last - 1],
      'evaluations to target: median': hit.median,
      q25: hit.q25,
      q75: hit.q75,
      missed: `${hit.missed} of ${hit.evaluations.length}`,
    };
  });
}

/**
 * Evaluations random search without repeats needs to hit one of K targets among N candidates,
 * exactly: the first t draws all miss with probability ∏_{i<t} (N−K−i)/(N−i); the median is the
 * first t where that falls to 1/2 or below, and the mean is (N+1)/(K+1).
 * @param N candidates (>= 1)
 * @param K targets among them (1..N)
 * @throws RangeError for K outside 1..N
 * @example exactRandomHitting(100, 1) // { median: 50, mean: 50.5 }
 */
export function exactRandomHitting(N: number, K: number): { median: number; mean: number } {
  const caller = 'exactRandomHitting';
  checkInt('N', N, { min: 1 }, caller);
  checkInt('K', K, { min: 1, max: N }, caller);
  let miss = 1;
  let t = 0;
  while (miss > 0.5) {
    miss *= (N - K - t) / (N - t);
    t++;
  }
  return { median: t, mean: (N + 1) / (K + 1) };
}
