/**
 * Drawing cells from a grammar. A uniform draw picks every node's operation and source
 * independently, which is uniform over the grammar's N cells. Rejection sampling repeats uniform
 * draws until a valid one appears: the number of draws is geometric with success probability
 * p = V/N, so its mean is 1/p, and the ratio of two grammars' p is the factor of draws one saves.
 */
import { checkInt, checkNumber } from '../core/checks';
import { checkRng as checkRngArgument, createRng, Rng } from '../core/rng';
import { meanCI, std as sampleStd } from '../core/stats';
import { CellGrammar, GrammarCell, checkCellGrammar, sourcesOfNode } from './grammar';
import { CellValidityRule, analyzeCellUnchecked, checkCellValidityRule, countValidGrammarCells } from './grammarValidity';

function drawCell(grammar: CellGrammar, rng: Rng): GrammarCell {
  const nodes = [];
  for (let k = 0; k < grammar.nodes; k++) nodes.push({ op: rng.choice(grammar.ops), src: rng.choice(sourcesOfNode(grammar, k)) });
  return { nodes };
}

function checkRng(rng: unknown, caller: string): Rng {
  return checkRngArgument('rng', rng, caller);
}

/**
 * One cell drawn uniformly from all N cells of a grammar (each node draws its operation, then its
 * source, uniformly among those it may use).
 * @param grammar a cell grammar
 * @param rng the random stream
 * @throws TypeError/RangeError if the grammar is malformed or rng is not an Rng
 * @example sampleGrammarCell(free, createRng(0)) // { nodes: [{ op: ..., src: ... }, ...] }
 */
export function sampleGrammarCell(grammar: CellGrammar, rng: Rng): GrammarCell {
  checkCellGrammar(grammar, 'sampleGrammarCell');
  return drawCell(grammar, checkRng(rng, 'sampleGrammarCell'));
}

/** A valid cell and how many uniform draws it took to get it (the valid one included). */
export interface ValidCellSample {
  cell: GrammarCell;
  trials: number;
}

/**
 * Rejection sampling: draw cells uniformly until one is valid under `rule`; the result is uniform
 * over the valid cells and `trials` is geometric with mean 1/p.
 * @param grammar a cell grammar
 * @param rng the random stream
 * @param opts the validity rule (default {@link DEFAULT_CELL_VALIDITY_RULE}) and a cap on draws
 *   (default 1e6)
 * @throws RangeError if no valid cell turns up within `maxTrials` draws (a grammar with no valid
 *   cell would otherwise loop forever), or an argument is malformed
 * @example sampleValidCell(free, createRng(3)) // { cell: {...}, trials: 2 }, the same on every run
 */
export function sampleValidCell(
  grammar: CellGrammar,
  rng: Rng,
  opts: { rule?: Partial<CellValidityRule>; maxTrials?: number } = {},
): ValidCellSample {
  checkCellGrammar(grammar, 'sampleValidCell');
  checkRng(rng, 'sampleValidCell');
  const rule = checkCellValidityRule(opts.rule, 'sampleValidCell');
  const maxTrials = checkInt('opts.maxTrials', opts.maxTrials ?? 1_000_000, { min: 1 }, 'sampleValidCell');
  for (let trials = 1; trials <= maxTrials; trials++) {
    const cell = drawCell(grammar, rng);
    if (analyzeCellUnchecked(grammar, cell, rule).valid) return { cell, trials };
  }
  throw new RangeError(`sampleValidCell: no valid cell in ${maxTrials} draws (does the grammar have any under this rule?)`);
}

/**
 * P(T = t) for the number of draws T up to and including the first success, success probability p
 * per draw: (1-p)^(t-1)·p.
 * @param p success probability per draw, in (0, 1]
 * @param t a number of draws, an integer >= 1
 * @throws RangeError if p or t is out of range
 * @example trialsToFirstSuccessPmf(0.4, 2) // 0.24
 */
export function trialsToFirstSuccessPmf(p: number, t: number): number {
  checkNumber('p', p, { min: 0, max: 1, exclusiveMin: true }, 'trialsToFirstSuccessPmf');
  checkInt('t', t, { min: 1 }, 'trialsToFirstSuccessPmf');
  return (1 - p) ** (t - 1) * p;
}

/**
 * P(T <= t) for the number of draws up to and including the first success: 1 - (1-p)^t.
 * @param p success probability per draw, in (0, 1]
 * @param t a number of draws, an integer >= 0
 * @throws RangeError if p or t is out of range
 * @example trialsToFirstSuccessCdf(0.4, 2) // 0.64
 */
export function trialsToFirstSuccessCdf(p: number, t: number): number {
  checkNumber('p', p, { min: 0, max: 1, exclusiveMin: true }, 'trialsToFirstSuccessCdf');
  checkInt('t', t, { min: 0 }, 'trialsToFirstSuccessCdf');
  return 1 - (1 - p) ** t;
}

/** The result of running rejection sampling once per seed. */
export interface RejectionSamplingExperiment {
  /** Draws to the first valid cell, one entry per seed (seed s uses createRng(s)). */
  trials: number[];
  /** Mean and sample standard deviation of `trials`. */
  mean: number;
  std: number;
  /** Student-t confidence interval for the mean at `level`. */
  lower: number;
  upper: number;
  level: number;
  /** The exact acceptance probability p = V/N, by enumeration. */
  acceptance: number;
  /** 1/p, the mean the draws should have. */
  expected: number;
  /** Does the interval contain 1/p? */
  agrees: boolean;
  /** Observed fraction of seeds with t draws, and the geometric probability of t, for t = 1..max(trials). */
  histogram: { t: number[]; observed: number[]; geometric: number[] };
}

/**
 * Rejection-sample one valid cell per seed (seeds 0..seeds-1) and compare the mean number of draws
 * with 1/p, p computed exactly by enumeration ({@link countValidGrammarCells}).
 * @param grammar a cell grammar
 * @param opts number of seeds (>= 2), validity rule, confidence level (default 0.95)
 * @throws RangeError if an argument is malformed or the grammar has no valid cell
 * @example rejectionSamplingExperiment(free, { seeds: 200 }) // mean ≈ 2.5 = 1/0.4, agrees: true
 */
export function rejectionSamplingExperiment(
  grammar: CellGrammar,
  opts: { seeds: number; rule?: Partial<CellValidityRule>; level?: number },
): RejectionSamplingExperiment {
  checkCellGrammar(grammar, 'rejectionSamplingExperiment');
  const seeds = checkInt('opts.seeds', opts?.seeds, { min: 2 }, 'rejectionSamplingExperiment');
  const level = checkNumber('opts.level', opts.level ?? 0.95, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, 'rejectionSamplingExperiment');
  const rule = checkCellValidityRule(opts.rule, 'rejectionSamplingExperiment');
  const { acceptance } = countValidGrammarCells(grammar, rule);
  if (acceptance === 0) throw new RangeError(`rejectionSamplingExperiment: the grammar has no valid cell under this rule`);
  const trials = Array.from({ length: seeds }, (_, s) => sampleValidCell(grammar, createRng(s), { rule }).trials);
  const { estimate: mean, lower, upper } = meanCI(trials, level);
  const std = sampleStd(trials);
  const expected = 1 / acceptance;
  const maxT = Math.max(...trials);
  const t = Array.from({ length: maxT }, (_, i) => i + 1);
  const histogram = {
    t,
    observed: t.map((v) => trials.filter((x) => x === v).length / seeds),
    geometric: t.map((v) => trialsToFirstSuccessPmf(acceptance, v)),
  };
  return { trials, mean, std, lower, upper, level, acceptance, expected, agrees: lower <= expected && expected <= upper, histogram };
}
