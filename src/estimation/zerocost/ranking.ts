/**
 * How well a proxy ranks a table: the numbers chapter 08 prints for each proxy on each table, from
 * one place. Spearman's ρ and Kendall's τ-b with bootstrap intervals (core/stats `rankAgreement`)
 * and top-k precision: of the cells the proxy puts in its top fraction, the share that are in the
 * top fraction by accuracy (Abdelfattah et al. 2021 report the top 10%).
 */
import { checkArray, checkNumber, checkNumbers, checkSameLength, describe } from '../../core/checks';
import { rankAgreement, type BootstrapOptions, type RankAgreement } from '../../core/stats';

/**
 * Of the `fraction` of items with the largest `scores`, the share also among the `fraction` with
 * the largest `outcomes` (k = round(fraction·n) items each; ties broken by position).
 * @param scores finite numbers
 * @param outcomes as many finite numbers
 * @param fraction in (0, 1], default 0.1
 * @throws RangeError/TypeError for mismatched lengths, non-finite values, or k = 0
 * @example topFractionPrecision([4, 3, 2, 1], [1, 3, 2, 4], 0.5) // 0.5: top-2 by score {0, 1}, by outcome {3, 1}
 */
export function topFractionPrecision(scores: readonly number[], outcomes: readonly number[], fraction = 0.1): number {
  const caller = 'topFractionPrecision';
  checkNumbers('scores', scores, { minLength: 1 }, caller);
  checkNumbers('outcomes', outcomes, {}, caller);
  checkSameLength('scores', scores, 'outcomes', outcomes, caller);
  checkNumber('fraction', fraction, { min: 0, max: 1, exclusiveMin: true }, caller);
  const k = Math.round(scores.length * fraction);
  if (k === 0) throw new RangeError(`${caller}: 'fraction' × n must round to at least 1, got ${fraction} × ${scores.length}`);
  const top = (v: readonly number[]) => new Set(v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b).slice(0, k));
  const byOutcome = top(outcomes);
  return [...top(scores)].filter((i) => byOutcome.has(i)).length / k;
}

/** A proxy against a table's accuracies. */
export interface ProxyRanking extends RankAgreement {
  /** Cells left out because the proxy is undefined there (null, −∞, NaN). */
  undefinedCells: number;
  /** topFractionPrecision at `topFraction`. */
  topPrecision: number;
  topFraction: number;
}

/**
 * A proxy's ranking of a table: ρ and τ with bootstrap intervals and top-fraction precision, on
 * the cells where the proxy is defined (a network no signal crosses has SynFlow log 0 = −∞, stored
 * as null; those are counted and left out).
 * @param scores one proxy value per cell, null where undefined
 * @param accuracies one accuracy per cell, same order
 * @param opts rng, resamples (default 2000), level (0.95), topFraction (0.1)
 * @throws RangeError/TypeError for mismatched lengths, non-finite accuracies, or fewer than two defined cells
 * @example proxyRanking(byTableCell(survey, 'synflow'), nb201Accuracies, { rng: createRng('nb201:synflow'), resamples: 200 })
 */
export function proxyRanking(scores: readonly (number | null)[], accuracies: readonly number[], opts: BootstrapOptions & { topFraction?: number }): ProxyRanking {
  const caller = 'proxyRanking';
  checkArray('scores', scores, {}, caller);
  checkNumbers('accuracies', accuracies, {}, caller);
  checkSameLength('scores', scores, 'accuracies', accuracies, caller);
  scores.forEach((s, i) => {
    if (s !== null && typeof s !== 'number') throw new TypeError(`${caller}: 'scores[${i}]' must be a number or null, got ${describe(s)}`);
  });
  const kept = scores.flatMap((s, i) => (s !== null && Number.isFinite(s) ? [i] : []));
  const x = kept.map((i) => scores[i] as number);
  const y = kept.map((i) => accuracies[i]);
  const topFraction = opts?.topFraction ?? 0.1;
  return { ...rankAgreement(x, y, opts), undefinedCells: scores.length - kept.length, topPrecision: topFractionPrecision(x, y, topFraction), topFraction };
}
