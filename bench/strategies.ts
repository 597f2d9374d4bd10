/**
 * Benchmark of the search strategies on NAS-Bench-201 (not a test: it measures and prints).
 * Objective: CIFAR-10 validation accuracy (12-epoch table). For random search, regularized
 * evolution (P = 10, S = 3), GP+Hamming+EI BO (and, without published references, BO with the
 * one-hot Matérn kernel, the genetic algorithm and ε-greedy), the median number of evaluations until a cell
 * of the top 1% of all 15625 cells is evaluated, over many seeds, next to the published reference
 * figures; then the time of one BO step with 200 observations over the whole space.
 *
 * Environment: STRATEGY_SEEDS (default 50), STRATEGY_BUDGET (default 300 evaluations per run).
 */
import { median } from '../src/core/stats';
import { createRng } from '../src/core/rng';
import { loadNasBench201 } from '../src/benchmarks/nasbench201';
import type { Nb201Cell } from '../src/spaces/nb201';
import { nb201Space } from '../src/spaces';
import { RandomSearch } from '../src/strategies/random';
import { RegularizedEvolution } from '../src/strategies/evolution/regularized';
import { BayesOpt } from '../src/strategies/bayesopt/bayesopt';
import { GeneticAlgorithm } from '../src/strategies/evolution/genetic';
import { EpsilonGreedy } from '../src/strategies/bandit/epsilonGreedy';
import { runSearch, type Strategy } from '../src/strategies/types';
import { evaluationsToTarget, topThreshold } from '../src/strategies/compare';

const REFERENCE: Record<string, string> = { random: '~72', 'regularized evolution': '~32', 'TPE (Optuna)': '~22.5', 'BO (GP+Hamming+EI)': '~26' };

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined ? fallback : Number.parseInt(v, 10);
}

export async function benchStrategies(): Promise<void> {
  const seeds = envInt('STRATEGY_SEEDS', 50);
  const budget = envInt('STRATEGY_BUDGET', 300);
  const table = loadNasBench201();
  const space = nb201Space();
  const all = space.candidates();
  const scoreOf = new Float64Array(all.length);
  all.forEach((c, i) => (scoreOf[i] = table.query(c, { dataset: 'cifar10', split: 'val' })));
  const { threshold, count: topCount } = topThreshold(Array.from(scoreOf), 0.01);
  console.log(`NAS-Bench-201 CIFAR-10 val: top 1% = ${topCount} best of ${all.length} cells, threshold ${threshold.toFixed(2)}% (max ${Math.max(...scoreOf).toFixed(2)}%)`);
  console.log(`${seeds} seeds, budget ${budget} evaluations per run`);
  const objective = (c: Nb201Cell): number => table.query(c, { dataset: 'cifar10', split: 'val' });

  const makers: Array<[string, () => Strategy<Nb201Cell>]> = [
    ['random', () => new RandomSearch({ space })],
    ['regularized evolution', () => new RegularizedEvolution({ space, population: 10, sample: 3 })],
    ['BO (GP+Hamming+EI)', () => new BayesOpt({ space, initial: 5 })],
    ['BO (GP+one-hot Matérn+EI)', () => new BayesOpt({ space, initial: 5, kernel: 'onehot' })],
    ['genetic algorithm (P = 10, k = 3)', () => new GeneticAlgorithm({ space, population: 10, tournament: 3 })],
    ['ε-greedy (ε = 0.1)', () => new EpsilonGreedy({ space, epsilon: 0.1 })],
  ];
  const rows: string[] = [];
  for (const [name, make] of makers) {
    const t0 = Date.now();
    const hit = evaluationsToTarget(make, objective, { threshold, budget, seeds, seedPrefix: 'strategies' });
    rows.push(
      `${name.padEnd(28)} median ${hit.median.toFixed(1).padStart(6)}  IQR [${hit.q25.toFixed(1)}, ${hit.q75.toFixed(1)}]` +
        `  missed ${hit.missed}/${seeds}  reference ${REFERENCE[name] ?? '-'}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(rows[rows.length - 1]);
  }
  console.log(`${'TPE (Optuna)'.padEnd(28)} not implemented here      reference ${REFERENCE['TPE (Optuna)']}`);
  benchBoStep(objective);
}

function benchBoStep(objective: (c: Nb201Cell) => number): void {
  for (const dedupe of ['none', 'canonical'] as const) {
    const space = nb201Space({ dedupe });
    const bo = new BayesOpt({ space, initial: 1000 });
    const rng = createRng('bo-step');
    // 200 random observations (initial > 200 keeps the asks random), then time model-based asks.
    const warm = runSearch(bo, objective, { trials: 200, rng });
    const times: number[] = [];
    for (let r = 0; r < 7; r++) {
      const timed = new BayesOpt({ space, initial: 1 });
      for (const t of warm) timed.tell(t.arch, t.score);
      const t0 = process.hrtime.bigint();
      timed.ask(rng);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(`one BO step, 200 observations, ${space.candidates().length} candidates (dedupe '${dedupe}'): median ${median(times).toFixed(1)} ms over ${times.length} repeats (min ${Math.min(...times).toFixed(1)})`);
  }
}
