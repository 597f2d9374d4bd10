/**
 * What a SPOS run (run.ts) measured, against NAS-Bench-Digits: how well inherited-weight accuracy
 * ranks the cells after each budget (Spearman, Kendall τ, top-10% overlap, each with an interval
 * over supernet seeds and cells; the overlap is zerocost's topFractionPrecision), what that cost against training the same cells stand-alone, and
 * where the ranking goes wrong (accuracy by number of convolutions).
 */
import { countAbove } from '../../core/descending';
import { checkArray, checkInt, checkOneOf } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { kendallTauB, mean, median, quantile, spearman, type ConfidenceInterval } from '../../core/stats';
import type { DigitsBench } from '../../benchmarks/digits/table';
import { digitsCellKey } from '../../benchmarks/digits/shard';
import { formatNb201Cell, parseNb201Cell, type Nb201Cell } from '../../spaces/nb201';
import { nb201Space } from '../../spaces/nb201Space';
import { RegularizedEvolution } from '../../strategies/evolution/regularized';
import { runSearch } from '../../strategies/types';
import { topFractionPrecision } from '../zerocost/ranking';
import type { SposBudgetRecord, SposRun } from './run';

/** Which inherited-weight evaluation: the supernet's moving batch-norm statistics, or recalibrated ones. */
export type InheritedMode = 'moving' | 'recalibrated';
export const INHERITED_MODES: readonly InheritedMode[] = ['moving', 'recalibrated'];

/** A rank statistic that is 0, not undefined, when either side is constant (an untrained supernet can score every cell alike). */
function guarded(stat: (x: number[], y: number[]) => number): (x: number[], y: number[]) => number {
  return (x, y) => (x.every((v) => v === x[0]) || y.every((v) => v === y[0]) ? 0 : stat(x, y));
}

/** The statistics reported per budget. */
export const RANK_STATISTICS = {
  spearman: guarded(spearman),
  kendall: guarded(kendallTauB),
  top10: (x: number[], y: number[]) => topFractionPrecision(x, y, 0.1),
} as const;
export type RankStatisticName = keyof typeof RANK_STATISTICS;

/** One budget's ranking quality over the supernet seeds. */
export interface SposBudgetStats {
  epochs: number;
  /** Supernet seeds that reached this budget. */
  seeds: number[];
  /** Each statistic: its mean over seeds with a 95% two-level bootstrap interval, and the value of every seed. */
  stats: Record<RankStatisticName, ConfidenceInterval & { perSeed: number[] }>;
  /**
   * The supernet's cost at this budget (seconds): its training so far (mean over seeds) plus one
   * evaluation of every cell, taken as the median over all budgets and seeds of the mode's evaluation
   * time (the work of an evaluation is the same at every budget; its time mostly tracks the
   * machine's load at that moment).
   */
  supernetSeconds: number;
}

/**
 * The stand-alone accuracies of a run's cells (final validation accuracy, primary seed) and their
 * stand-alone training time (the table's trainSeconds).
 * @throws RangeError if a cell is not in the table
 */
export function sposStandAlone(run: SposRun, bench: DigitsBench): { accuracy: number[]; trainSeconds: number[] } {
  const rows = run.header.cells.map((c) => {
    const r = bench.record(c);
    if (!r) throw new RangeError(`sposStandAlone: cell ${c} of the run is not in the table`);
    return r;
  });
  return { accuracy: rows.map((r) => r.validationAccuracy[r.validationAccuracy.length - 1]), trainSeconds: rows.map((r) => r.trainSeconds) };
}

/**
 * Seeds that completed every budget of the run (a seed cut short by a deadline is left out, so every
 * budget averages the same supernets).
 */
export function completeSposSeeds(run: SposRun): number[] {
  const seeds = [...new Set(run.budgets.map((b) => b.seed))];
  return seeds.filter((s) => run.header.budgets.every((e) => run.budgets.some((b) => b.seed === s && b.epochs === e))).sort((a, b) => a - b);
}

/**
 * Ranking quality after every budget: each statistic's mean over the complete seeds, with a 95%
 * percentile interval from a two-level bootstrap (resample the seeds, then the cells, and take the
 * mean over the resampled seeds of the statistic on the resampled cells), so the interval carries
 * both the supernet's seed noise and the finite sample of cells.
 * @param run a loaded SPOS run
 * @param bench NAS-Bench-Digits (the stand-alone accuracies)
 * @param opts mode ('moving' or 'recalibrated'), rng for the bootstrap, resamples (default 1000)
 * @throws RangeError/TypeError for an unknown mode or a missing rng; Error if no seed is complete
 * @example sposRankStats(loadSposRun(files), loadBench(), { mode: 'recalibrated', rng: createRng(0) })[3].stats.spearman
 */
export function sposRankStats(run: SposRun, bench: DigitsBench, opts: { mode: InheritedMode; rng: Rng; resamples?: number }): SposBudgetStats[] {
  const caller = 'sposRankStats';
  const mode = checkOneOf('opts.mode', opts?.mode, INHERITED_MODES, caller);
  const rng = checkRng('opts.rng', opts.rng, caller);
  const resamples = opts.resamples ?? 1000;
  const seeds = completeSposSeeds(run);
  if (seeds.length === 0) throw new Error(`${caller}: no supernet seed of the run completed every budget`);
  const s = sposStandAlone(run, bench).accuracy;
  const evalSeconds = median(run.budgets.filter((b) => seeds.includes(b.seed)).map((b) => b.evalSeconds[mode]));
  return run.header.budgets.map((epochs) => {
    const recs = seeds.map((seed) => run.budgets.find((b) => b.seed === seed && b.epochs === epochs) as SposBudgetRecord);
    const preds = recs.map((r) => r[mode]);
    const stats = {} as SposBudgetStats['stats'];
    for (const name of Object.keys(RANK_STATISTICS) as RankStatisticName[]) {
      const f = RANK_STATISTICS[name];
      const perSeed = preds.map((p) => f(p, s));
      const boot = twoLevelBootstrap(preds, s, f, rng.child(`${epochs}/${name}`), resamples);
      stats[name] = { estimate: mean(perSeed), lower: boot.lower, upper: boot.upper, level: 0.95, perSeed };
    }
    const supernetSeconds = mean(recs.map((r) => r.trainSeconds)) + evalSeconds;
    return { epochs, seeds, stats, supernetSeconds };
  });
}

/** Percentile interval of mean-over-seeds statistic under resampling of seeds and of cells. */
function twoLevelBootstrap(preds: number[][], s: number[], f: (x: number[], y: number[]) => number, rng: Rng, resamples: number): { lower: number; upper: number } {
  const n = s.length;
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const idx = Array.from({ length: n }, () => rng.int(0, n));
    const ss = idx.map((i) => s[i]);
    let sum = 0;
    for (let k = 0; k < preds.length; k++) {
      const p = preds[rng.int(0, preds.length)];
      sum += f(idx.map((i) => p[i]), ss);
    }
    values.push(sum / preds.length);
  }
  return { lower: quantile(values, 0.025), upper: quantile(values, 0.975) };
}

/** Convolutions (1x1 or 3x3) among a cell's six edges. */
export function convolutionCount(cell: string): number {
  return parseNb201Cell(cell).ops.filter((op) => op === 'conv1x1' || op === 'conv3x3').length;
}

/** Mean accuracies of the cells with a given number of convolutions. */
export interface ConvolutionGroup {
  convolutions: number;
  cells: number;
  /** Mean stand-alone accuracy. */
  standAlone: number;
  /** Mean inherited accuracy (over cells and seeds). */
  inherited: number;
}

/**
 * Stand-alone against inherited accuracy grouped by number of convolutions, at one budget: where a
 * supernet's bias lies (operations without weights need no training, so they are ready early).
 * @param run a loaded SPOS run; @param bench the table
 * @param opts epochs (a budget of the run), mode
 * @throws RangeError for a budget the run lacks or an unknown mode
 */
export function inheritedByConvolutions(run: SposRun, bench: DigitsBench, opts: { epochs: number; mode: InheritedMode }): ConvolutionGroup[] {
  const caller = 'inheritedByConvolutions';
  const mode = checkOneOf('opts.mode', opts?.mode, INHERITED_MODES, caller);
  const epochs = checkOneOf('opts.epochs', opts.epochs, run.header.budgets, caller);
  const seeds = completeSposSeeds(run);
  const recs = run.budgets.filter((b) => b.epochs === epochs && seeds.includes(b.seed));
  const s = sposStandAlone(run, bench).accuracy;
  const groups = new Map<number, number[]>();
  run.header.cells.forEach((c, i) => {
    const k = convolutionCount(c);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([convolutions, idx]) => ({
      convolutions,
      cells: idx.length,
      standAlone: mean(idx.map((i) => s[i])),
      inherited: mean(recs.flatMap((r) => idx.map((i) => r[mode][i]))),
    }));
}

/** The cell a supernet search returns: the trial with the highest inherited accuracy (first on a tie). */
export function sposSearchBest(trials: readonly { cell: string; score: number }[]): { cell: string; score: number } {
  checkArray('trials', trials, { minLength: 1 }, 'sposSearchBest');
  return trials.reduce((best, t) => (t.score > best.score ? t : best), trials[0]);
}

/** A cell a search returned, looked up in the table. */
export interface FoundCell {
  /** 'supernet': regularized evolution scored by inherited weights; 'table': the same search scored by table queries. */
  source: 'supernet' | 'table';
  /** Supernet seed (supernet searches) or search seed (table searches). */
  seed: number;
  run: number;
  cell: string;
  /** What the search saw for the cell (inherited accuracy, or the table's). */
  score: number;
  /** Its stand-alone validation accuracy in the table. */
  standAlone: number;
  /** Its rank in the table by stand-alone validation accuracy (1 = best; ties share the best rank). */
  rank: number;
  /** Cells in the table. */
  of: number;
}

/**
 * A cell's rank in NAS-Bench-Digits by final validation accuracy (1 = best; tied cells share the best rank).
 * @param bench the table
 * @returns a look-up; it throws for a cell not in the table
 * @example tableRank(loadBench())('|conv3x3~0|+|conv3x3~0|conv3x3~1|+|conv3x3~0|conv3x3~1|conv3x3~2|') // { rank, of: 4930, accuracy }
 */
export function tableRank(bench: DigitsBench): (cell: string) => { rank: number; of: number; accuracy: number } {
  const sorted = bench.cells().map((c) => bench.query(c)).sort((a, b) => b - a);
  return (cell) => {
    const accuracy = bench.query(cell);
    return { rank: countAbove(sorted, accuracy) + 1, of: sorted.length, accuracy };
  };
}

/**
 * The supernet searches of a run against the same search with the same number of table queries:
 * each search's returned cell (its best-scored trial) with its stand-alone accuracy and table rank.
 * The table searches use the run's population, tournament size and trials over the canonical cells.
 * @param run a loaded SPOS run (complete seeds only are used)
 * @param bench the table
 * @param opts tableRuns: how many seeded table searches (default 20); rng seeds them
 * @throws RangeError/TypeError for a bad tableRuns or rng
 */
export function sposSearchComparison(run: SposRun, bench: DigitsBench, opts: { tableRuns?: number; rng: Rng }): FoundCell[] {
  const caller = 'sposSearchComparison';
  const rng = checkRng('opts.rng', opts?.rng, caller);
  const tableRuns = checkInt('opts.tableRuns', opts.tableRuns ?? 20, { min: 1 }, caller);
  const rank = tableRank(bench);
  const found = (source: FoundCell['source'], seed: number, runNo: number, best: { cell: string; score: number }): FoundCell => {
    const r = rank(best.cell);
    return { source, seed, run: runNo, cell: digitsCellKey(best.cell), score: best.score, standAlone: r.accuracy, rank: r.rank, of: r.of };
  };
  const seeds = completeSposSeeds(run);
  const out = run.searches.filter((s) => seeds.includes(s.seed)).map((s) => found('supernet', s.seed, s.run, sposSearchBest(s.trials)));
  const { trials, population, sample } = run.header.search;
  for (let k = 0; k < tableRuns; k++) {
    const strategy = new RegularizedEvolution<Nb201Cell>({ space: nb201Space({ dedupe: 'canonical' }), population, sample });
    const history = runSearch(strategy, (c) => bench.query(c), { trials, rng: rng.child(k) });
    const best = history.reduce((b, t) => (t.score > b.score ? t : b), history[0]);
    out.push(found('table', k, 0, { cell: formatNb201Cell(best.arch), score: best.score }));
  }
  return out;
}
