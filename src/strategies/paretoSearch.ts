/**
 * Searching with several objectives, and judging such searches by hypervolume.
 *
 * - `runParetoSearch`: the ask / evaluate / tell loop for a multi-objective strategy, returning
 *   every trial's scores;
 * - `weightedSumStrategy`: any single-objective strategy run on the scalarisation
 *   J = Σ λ_j s_j f̃_j of the normalised objectives (s_j = −1 for a maximised one), so a fixed λ is
 *   a search in its own right, comparable with NSGA-II;
 * - `hypervolumeCurve` and `compareParetoStrategies`: the hypervolume of everything evaluated so
 *   far, after each evaluation, as a fraction of the box between the best and worst values of
 *   the table; mean and confidence band over seeds.
 */
import { checkInt, checkNumbers, describe } from '../core/checks';
import { createRng, type Rng } from '../core/rng';
import { meanCI, type ConfidenceInterval } from '../core/stats';
import { hypervolume } from '../pareto/hypervolume';
import { nonDominated } from '../pareto/dominance';
import { normalizeObjectives, type ObjectiveBounds } from '../pareto/normalize';
import { checkSimplex, weightedSum } from '../pareto/scalarize';
import type { CurveBand } from './compare';
import { checkObjectives, checkScores, scalarized, type MultiObjectiveStrategy, type Objective, type Scores } from './objectives';
import { runSearch, type Strategy } from './types';

/** One evaluation of a multi-objective search. */
export interface ParetoTrial<A> {
  /** 0-based trial number. */
  trial: number;
  arch: A;
  scores: Scores;
}

/**
 * Runs a multi-objective strategy for a number of trials (ask, evaluate, tell): `runSearch`'s
 * multi-objective form under the name this module has used.
 * @param strategy any {@link MultiObjectiveStrategy}
 * @param evaluate every objective's value for an architecture, e.g. table look-ups
 * @param opts `{ trials, rng }`
 * @throws TypeError/RangeError for trials < 1, a missing Rng, or scores missing an objective
 * @example runParetoSearch(new Nsga2({ space, objectives }), (c) => ({ accuracy: acc(c), params: size(c) }), { trials: 100, rng: createRng(1) })
 */
export function runParetoSearch<A>(strategy: MultiObjectiveStrategy<A>, evaluate: (arch: A) => Scores, opts: { trials: number; rng: Rng }): ParetoTrial<A>[] {
  return runSearch(strategy, evaluate, opts);
}

/** Options of {@link weightedSumStrategy}. */
export interface WeightedSumStrategyOptions {
  objectives: readonly Objective[];
  /** One weight per objective, on the simplex. */
  lambda: readonly number[];
  /** The scale each objective is normalised on, in the objectives' order (e.g. a table's range). */
  bounds: ObjectiveBounds;
}

/**
 * A single-objective strategy searching the weighted sum of normalised objectives: each trial's
 * scores are normalised on `bounds`, scalarised with λ and told to `inner` as −J (strategies
 * maximise); {@link scalarized} with that scalarisation. Random search wrapped this way ignores the scores: it is the multi-objective baseline.
 * @param inner a fresh single-objective strategy
 * @throws RangeError for λ off the simplex or bounds of the wrong length, and as the objectives check
 * @example weightedSumStrategy(new RegularizedEvolution({ space }), { objectives, lambda: [0.7, 0.2, 0.1], bounds })
 */
export function weightedSumStrategy<A>(inner: Strategy<A>, opts: WeightedSumStrategyOptions): MultiObjectiveStrategy<A> & { readonly lambda: readonly number[] } {
  const caller = 'weightedSumStrategy';
  if (typeof inner !== 'object' || inner === null || typeof inner.ask !== 'function' || typeof inner.tell !== 'function') {
    throw new TypeError(`${caller}: 'inner' must be a strategy with ask and tell, got ${describe(inner)}`);
  }
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { objectives, lambda, bounds }, got ${describe(opts)}`);
  const objectives = checkObjectives(opts.objectives, caller, 2);
  const lambda = checkSimplex('lambda', opts.lambda, objectives.length, caller);
  const directions = objectives.map((o) => o.direction);
  // Check the bounds once, on a row of their own lower values.
  normalizeObjectives([checkNumbers('bounds.lower', opts.bounds?.lower, {}, caller)], opts.bounds);
  const scalarize = (scores: Scores): number => {
    const [scaled] = normalizeObjectives([objectives.map((o) => scores[o.name])], opts.bounds);
    return -weightedSum(scaled, lambda, { directions });
  };
  return { ...scalarized(inner, { objectives, scalarize }), lambda };
}

/** The box hypervolume is measured in: the best and the worst value of every objective. */
export interface HypervolumeBox {
  objectives: readonly Objective[];
  /** The best value of each objective (a table's best, its ideal point), in the objectives' order. */
  ideal: readonly number[];
  /** The reference point: e.g. the worst value of each objective on a table's Pareto front (its nadir). */
  reference: readonly number[];
}

/**
 * The hypervolume of the trials evaluated so far, after each trial, as a fraction of the box
 * between `ideal` and `reference` (1 would mean one trial hit the ideal corner). A trial worse
 * than the reference in some objective encloses nothing and leaves the value unchanged, so the
 * reference may be a front's nadir rather than the worst of a whole table.
 * @throws RangeError for a box whose ideal is not better than its reference in every objective
 * @example hypervolumeCurve(history, { objectives, ideal: [100, 0], reference: [0, 10] })
 */
export function hypervolumeCurve<A>(history: readonly ParetoTrial<A>[], box: HypervolumeBox): number[] {
  const caller = 'hypervolumeCurve';
  const objectives = checkObjectives(box?.objectives, caller, 2);
  const directions = objectives.map((o) => o.direction);
  const ideal = checkNumbers('box.ideal', box.ideal, {}, caller);
  const reference = checkNumbers('box.reference', box.reference, {}, caller);
  const better = ideal.length === reference.length && ideal.every((v, j) => (directions[j] === 'maximize' ? v > reference[j] : v < reference[j]));
  if (!better) throw new RangeError(`${caller}: 'box' must have ideal better than reference in every objective, got ideal ${describe(ideal)} and reference ${describe(reference)}`);
  const volume = hypervolume([ideal], reference, { directions });
  let front: number[][] = [];
  let current = 0;
  const inside = (values: number[]) => values.every((v, j) => (directions[j] === 'maximize' ? v >= reference[j] : v <= reference[j]));
  return history.map((t, i) => {
    const values = checkScores(t.scores, objectives, `${caller} (trial ${i})`);
    if (!inside(values)) return current; // beyond the reference: it encloses nothing
    const next = [...front, values];
    const kept = nonDominated(next, { directions });
    if (kept.includes(next.length - 1)) {
      front = kept.map((k) => next[k]);
      current = hypervolume(front, reference, { directions }) / volume;
    }
    return current;
  });
}

/** One strategy's hypervolume over evaluations in {@link compareParetoStrategies}. */
export interface ParetoComparison {
  name: string;
  /** Mean hypervolume (fraction of the box) after each evaluation, with its band. */
  band: CurveBand;
  /** The final hypervolume of each run. */
  finals: number[];
  /** Mean final hypervolume with its confidence interval. */
  final: ConfidenceInterval;
}

/**
 * Runs each named multi-objective strategy over the same seeds and summarises its hypervolume
 * against evaluations (mean and t band per evaluation) and at the end.
 * @param strategies [name, make a fresh strategy] pairs
 * @param evaluate every objective's value for an architecture
 * @param opts `{ box, seeds (>= 2), trials, seedPrefix = 'pareto', level = 0.95 }`
 * @example compareParetoStrategies([['NSGA-II', () => new Nsga2({ space, objectives })]], evaluate, { box, seeds: 20, trials: 150 })
 */
export function compareParetoStrategies<A>(
  strategies: readonly (readonly [string, () => MultiObjectiveStrategy<A>])[],
  evaluate: (arch: A) => Scores,
  opts: { box: HypervolumeBox; seeds: number; trials: number; seedPrefix?: string; level?: number },
): ParetoComparison[] {
  const caller = 'compareParetoStrategies';
  if (!Array.isArray(strategies) || strategies.length === 0) throw new RangeError(`${caller}: 'strategies' must be a non-empty list of [name, make] pairs, got ${describe(strategies)}`);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { box, seeds, trials }, got ${describe(opts)}`);
  const seeds = checkInt('opts.seeds', opts.seeds, { min: 2 }, caller);
  const trials = checkInt('opts.trials', opts.trials, { min: 1 }, caller);
  const level = opts.level ?? 0.95;
  const prefix = opts.seedPrefix ?? 'pareto';
  return strategies.map(([name, make]) => {
    const curves = Array.from({ length: seeds }, (_, s) => hypervolumeCurve(runParetoSearch(make(), evaluate, { trials, rng: createRng(`${prefix}-${s}`) }), opts.box));
    const band: CurveBand = { evaluations: [], mean: [], lower: [], upper: [], level };
    for (let t = 0; t < trials; t++) {
      const ci = meanCI(curves.map((c) => c[t]), level);
      band.evaluations.push(t + 1);
      band.mean.push(ci.estimate);
      band.lower.push(ci.lower);
      band.upper.push(ci.upper);
    }
    const finals = curves.map((c) => c[trials - 1]);
    return { name, band, finals, final: meanCI(finals, level) };
  });
}
