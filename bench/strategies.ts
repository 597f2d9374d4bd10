/**
 * Benchmark of the search strategies on NAS-Bench-201 (not a test: it measures and prints).
 * Objective: CIFAR-10 validation accuracy (12-epoch table). For random search, regularized
 * evolution as Real et al. (2019) define it and its no-repeat variant (P = 10, S = 3), BO (GP with
 * the Hamming or one-hot Matérn kernel, EI), the genetic algorithm and ε-greedy, and Optuna's TPE
 * run on the same table in a Python child process (skipped with a line when Optuna is absent): the
 * median number of evaluations until a cell of the top 1% of all 15625 cells is evaluated, over
 * the same seeds, beside random search's exact median; then the time of one BO step with 200
 * observations over the whole space.
 *
 * Environment: STRATEGY_SEEDS (default 50), STRATEGY_BUDGET (default 300 evaluations per run).
 */
import { median } from '../src/core/stats';
import { createRng } from '../src/core/rng';
import { loadNasBench201 } from '../src/benchmarks/nasbench201';
import type { Nb201Cell } from '../src/spaces/nb201';
import { nb201Space } from '../src/spaces';
import { RandomSearch } from '../src/strategies/random';
import { RegularizedEvolution, RegularizedEvolutionNoRepeat } from '../src/strategies/evolution/regularized';
import { BayesOpt } from '../src/strategies/bayesopt/bayesopt';
import { GeneticAlgorithm } from '../src/strategies/evolution/genetic';
import { EpsilonGreedy } from '../src/strategies/bandit/epsilonGreedy';
import { runSearch, type Strategy } from '../src/strategies/types';
import { evaluationsToTarget, exactRandomHitting, hittingSummary, topThreshold, type HittingSummary } from '../src/strategies/compare';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findPeerPython } from './paretoPeers';


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
    ['regularized evolution (Real et al.)', () => new RegularizedEvolution({ space, population: 10, sample: 3 })],
    ['reg. evolution, no repeats', () => new RegularizedEvolutionNoRepeat({ space, population: 10, sample: 3 })],
    ['BO (GP+Hamming+EI)', () => new BayesOpt({ space, initial: 5 })],
    ['BO (GP+one-hot Matérn+EI)', () => new BayesOpt({ space, initial: 5, kernel: 'onehot' })],
    ['genetic algorithm (P = 10, k = 3)', () => new GeneticAlgorithm({ space, population: 10, tournament: 3 })],
    ['ε-greedy (ε = 0.1)', () => new EpsilonGreedy({ space, epsilon: 0.1 })],
  ];
  const exact = exactRandomHitting(all.length, topCount);
  console.log(`random search without repeats, exact: median ${exact.median}, mean ${exact.mean.toFixed(1)} evaluations`);
  const line = (name: string, hit: HittingSummary, seconds: number) =>
    console.log(`${name.padEnd(36)} median ${hit.median.toFixed(1).padStart(6)}  IQR [${hit.q25.toFixed(1)}, ${hit.q75.toFixed(1)}]  missed ${hit.missed}/${hit.evaluations.length}  (${seconds.toFixed(1)} s)`);
  for (const [name, make] of makers) {
    const t0 = Date.now();
    line(name, evaluationsToTarget(make, objective, { threshold, budget, seeds, seedPrefix: 'strategies' }), (Date.now() - t0) / 1000);
  }
  const tpe = optunaTpe(Array.from(scoreOf), threshold, budget, seeds);
  if (typeof tpe === 'string') console.log(`${'TPE (Optuna)'.padEnd(36)} skipped: ${tpe}`);
  else line(`TPE (Optuna ${tpe.version}, Python)`, hittingSummary(tpe.evaluations, budget), tpe.seconds);
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

/** Optuna's TPE on the same table and target (bench/optuna_tpe.py in a child process), or why not. */
function optunaTpe(accuracies: number[], threshold: number, budget: number, seeds: number): { version: string; evaluations: number[]; seconds: number } | string {
  const py = findPeerPython();
  if (py === null || !py.optuna) return 'no python3 here imports optuna (Debian: apt-get install python3-optuna)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-tpe-'));
  try {
    const request = path.join(dir, 'request.json');
    fs.writeFileSync(request, JSON.stringify({ accuracies, threshold, budget, seeds }));
    const script = path.join(__dirname, '..', '..', 'bench', 'optuna_tpe.py');
    const r = spawnSync(py.python, [script, request], { encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status !== 0) return `optuna_tpe.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0]}`;
    return JSON.parse(r.stdout) as { version: string; evaluations: number[]; seconds: number };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
