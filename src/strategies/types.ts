/**
 * The one interface every single-objective search strategy implements, and the one loop that
 * drives every strategy, with one objective or several.
 *
 * A strategy proposes (`ask`) and learns (`tell`); the caller owns the loop, so the costly
 * evaluation stays in plain view. Strategies hold plain data (told architectures and scores), and
 * `runSearch` returns plain, JSON-safe history. A single score is maximised; with several
 * objectives (./objectives.ts) each carries its own direction.
 */
import { checkRng as checkRngArgument } from '../core/rng';
import { checkFunction, checkInt, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import { SPACE_CAPABILITIES, missingCapabilities, type Enumerable, type Sampleable, type SpaceCapability } from '../spaces/types';
import { dominates } from '../pareto/dominance';
import { checkObjectives, checkScores, isMultiObjective, type Direction, type MultiObjectiveStrategy, type Scores } from './objectives';

/** A search strategy over architectures of type A, maximising the score. */
export interface Strategy<A> {
  /** The next architecture to evaluate. */
  ask(rng: Rng): A;
  /** Reports the score an architecture obtained. */
  tell(arch: A, score: number): void;
  /** The best architecture told so far, or null before the first `tell`. */
  best(): { arch: A; score: number } | null;
}

/** One trial of a single-objective search. */
export interface Trial<A> {
  /** 0-based trial number. */
  trial: number;
  arch: A;
  score: number;
  /** The best score up to and including this trial. */
  bestScore: number;
}

/** One trial of a search with several objectives. */
export interface MultiObjectiveTrial<A> {
  /** 0-based trial number. */
  trial: number;
  arch: A;
  /** Every objective's value. */
  scores: Scores;
  /** Whether no trial up to and including this one dominates it (it was on the front when told). */
  nonDominated: boolean;
}

/** Options of {@link runSearch}. */
export interface RunSearchOptions {
  /** Number of evaluations. */
  trials: number;
  /** The random stream handed to every `ask`. */
  rng: Rng;
}

/**
 * Runs a strategy for a number of trials (ask, evaluate, tell) and returns the history. A
 * single-objective {@link Strategy} takes a score per architecture; a
 * {@link MultiObjectiveStrategy} takes every objective's value (a single-objective strategy runs
 * there through `scalarized`).
 * @param strategy any strategy
 * @param objective the score of an architecture (maximised), e.g. a table look-up; or, for a
 *   multi-objective strategy, the record of every objective's value
 * @param opts `{ trials, rng }`
 * @throws TypeError/RangeError if trials is not an integer >= 1, rng is not an Rng, or the objective returns a non-finite number (or a record missing an objective)
 * @example runSearch(new RandomSearch({ space: nb201Space() }), (c) => bench.query(c, { dataset: 'cifar10', split: 'val' }), { trials: 100, rng: createRng(1) })
 * @example runSearch(new Nsga2({ space, objectives }), (c) => ({ accuracy: acc(c), params: size(c) }), { trials: 100, rng: createRng(1) })
 */
export function runSearch<A>(strategy: Strategy<A>, objective: (arch: A) => number, opts: RunSearchOptions): Trial<A>[];
export function runSearch<A>(strategy: MultiObjectiveStrategy<A>, evaluate: (arch: A) => Scores, opts: RunSearchOptions): MultiObjectiveTrial<A>[];
export function runSearch<A>(strategy: Strategy<A> | MultiObjectiveStrategy<A>, objective: (arch: A) => number | Scores, opts: RunSearchOptions): Trial<A>[] | MultiObjectiveTrial<A>[] {
  const run = startRun(strategy, objective, opts, 'runSearch');
  for (let t = 0; t < run.trials; t++) {
    const arch = run.ask();
    run.record(arch, objective(arch));
  }
  return run.history;
}

/**
 * {@link runSearch} for an objective that returns a promise (a network trained for real): the
 * same loop, one evaluation at a time.
 * @example await runSearchAsync(new GeneticAlgorithm({ space: widthSpace() }), async (g) => (await evaluate(g)).accuracy, { trials: 40, rng: createRng(1) })
 */
export async function runSearchAsync<A>(strategy: Strategy<A>, objective: (arch: A) => number | Promise<number>, opts: RunSearchOptions): Promise<Trial<A>[]>;
export async function runSearchAsync<A>(strategy: MultiObjectiveStrategy<A>, evaluate: (arch: A) => Scores | Promise<Scores>, opts: RunSearchOptions): Promise<MultiObjectiveTrial<A>[]>;
export async function runSearchAsync<A>(
  strategy: Strategy<A> | MultiObjectiveStrategy<A>,
  objective: (arch: A) => number | Scores | Promise<number | Scores>,
  opts: RunSearchOptions,
): Promise<Trial<A>[] | MultiObjectiveTrial<A>[]> {
  const run = startRun(strategy, objective, opts, 'runSearchAsync');
  for (let t = 0; t < run.trials; t++) {
    const arch = run.ask();
    run.record(arch, await objective(arch));
  }
  return run.history;
}

/** The checked arguments and the bookkeeping both loops share, for either kind of strategy. */
function startRun<A>(strategy: Strategy<A> | MultiObjectiveStrategy<A>, objective: unknown, opts: RunSearchOptions, caller: string) {
  const multi = isMultiObjective<A>(strategy);
  if (!multi) checkStrategy(strategy, caller);
  checkFunction('objective', objective, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { trials, rng }, got ${describe(opts)}`);
  const trials = checkInt('opts.trials', opts.trials, { min: 1 }, caller);
  const rng = checkRng(opts.rng, caller);
  const history: (Trial<A> | MultiObjectiveTrial<A>)[] = [];
  let record: (arch: A, value: unknown) => void;
  if (multi) {
    const objectives = checkObjectives(strategy.objectives, `${caller}: strategy.objectives`);
    const front = new RunningFront(objectives.map((o) => o.direction));
    record = (arch, scores) => {
      const where = `${caller} (trial ${history.length})`;
      const values = checkScores(scores, objectives, where);
      strategy.tell(arch, scores as Scores);
      history.push({ trial: history.length, arch, scores: { ...(scores as Scores) }, nonDominated: front.add(values) });
    };
  } else {
    let bestScore = -Infinity;
    record = (arch, score) => {
      const t = history.length;
      if (typeof score !== 'number' || !Number.isFinite(score)) {
        throw new TypeError(`${caller}: 'objective' must return a finite number, got ${describe(score)} at trial ${t}`);
      }
      strategy.tell(arch, score);
      bestScore = Math.max(bestScore, score);
      history.push({ trial: t, arch, score, bestScore });
    };
  }
  return { trials, history: history as Trial<A>[] & MultiObjectiveTrial<A>[], ask: (): A => strategy.ask(rng), record };
}

/** The non-dominated points seen so far; `add` says whether a new point joins them. */
class RunningFront {
  private points: number[][] = [];
  constructor(private readonly directions: Direction[]) {}
  add(values: number[]): boolean {
    const opts = { directions: this.directions };
    if (this.points.some((p) => dominates(p, values, opts))) return false;
    this.points = [...this.points.filter((p) => !dominates(values, p, opts)), values];
    return true;
  }
}

/**
 * The number of evaluations a search needed to reach a score (1-based), or null if it never did.
 * @param history the output of {@link runSearch}
 * @param threshold the score to reach (>=)
 * @example evaluationsToReach([{ trial: 0, arch: 'a', score: 1, bestScore: 1 }, { trial: 1, arch: 'b', score: 3, bestScore: 3 }], 2) // 2
 */
export function evaluationsToReach<A>(history: readonly Trial<A>[], threshold: number): number | null {
  const i = history.findIndex((t) => t.score >= threshold);
  return i < 0 ? null : i + 1;
}

/** @internal */
export function checkRng(rng: unknown, caller: string): Rng {
  return checkRngArgument('rng', rng, caller);
}

function checkStrategy(s: unknown, caller: string): void {
  const o = s as Record<string, unknown>;
  if (typeof s !== 'object' || s === null || typeof o.ask !== 'function' || typeof o.tell !== 'function' || typeof o.best !== 'function') {
    throw new TypeError(`${caller}: 'strategy' must have ask, tell and best methods, got ${describe(s)}`);
  }
}

/**
 * Checks that a space offers the capabilities a strategy needs (sampling always, plus `needs`),
 * and names the missing one otherwise.
 * @internal
 */
export function checkSpace<A>(space: unknown, caller: string, needs: readonly SpaceCapability[] = []): Sampleable<A> {
  if (typeof space !== 'object' || space === null) throw new TypeError(`${caller}: 'space' must be a search space object, got ${describe(space)}`);
  const wanted: SpaceCapability[] = ['sample', ...needs];
  const missing = missingCapabilities(space, wanted);
  if (missing.length > 0) {
    const has = Object.keys(space).filter((k) => typeof (space as Record<string, unknown>)[k] === 'function');
    const what = missing.map((c) => `'${c}' (${SPACE_CAPABILITIES[c].join(', ')})`).join(' and ');
    throw new TypeError(`${caller}: 'space' lacks the ${what} capabilit${missing.length > 1 ? 'ies' : 'y'} this strategy needs; it has ${has.length > 0 ? has.join(', ') : 'no methods'}`);
  }
  return space as Sampleable<A>;
}

/** @internal */
export function checkScore(score: unknown, caller: string): number {
  if (typeof score !== 'number' || !Number.isFinite(score)) throw new TypeError(`${caller}: 'score' must be a finite number, got ${describe(score)}`);
  return score;
}

/**
 * Bookkeeping shared by the strategies: the keys already proposed or told, and the best told.
 * @internal
 */
export class SeenArchs<A> {
  private readonly keys = new Set<string>();
  private top: { arch: A; score: number } | null = null;
  constructor(private readonly space: Sampleable<A>) {}
  has(arch: A): boolean {
    return this.keys.has(this.space.key(arch));
  }
  add(arch: A): void {
    this.keys.add(this.space.key(arch));
  }
  get size(): number {
    return this.keys.size;
  }
  record(arch: A, score: number): void {
    this.add(arch);
    if (this.top === null || score > this.top.score) this.top = { arch, score };
  }
  best(): { arch: A; score: number } | null {
    return this.top === null ? null : { arch: this.top.arch, score: this.top.score };
  }
  /**
   * A random architecture not seen yet: rejection sampling, then (for a space that can list its
   * points) a uniform pick among the unseen ones, so a nearly exhausted space still terminates.
   */
  sampleUnseen(rng: Rng, caller: string): A {
    for (let tries = 0; tries < 1000; tries++) {
      const a = this.space.sample(rng);
      if (!this.has(a)) return a;
    }
    const all = (this.space as Partial<Enumerable<A>>).candidates?.();
    const unseen = all?.filter((a) => !this.has(a)) ?? [];
    if (unseen.length === 0) throw new Error(`${caller}: no unseen architecture left (found none in 1000 draws; ${this.keys.size} seen)`);
    return rng.choice(unseen);
  }
}
