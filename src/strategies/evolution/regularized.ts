/**
 * Regularized (aging) evolution (Real, Aggarwal, Huang and Le, "Regularized evolution for image
 * classifier architecture search", AAAI 2019, Algorithm 1): a population of P, first filled with
 * random architectures; then each child is one mutation (a uniformly random neighbour) of the best
 * of S members drawn at random with replacement, and the OLDEST member dies, not the worst, so a
 * lucky score cannot dominate forever. As in the paper a child may repeat an architecture already
 * evaluated; on a table that costs an evaluation and returns the same score.
 *
 * `RegularizedEvolutionNoRepeat` is a variant (nasbook's earlier default): children are drawn only
 * among neighbours never evaluated, and a random unseen architecture when there are none, so no
 * evaluation is spent twice. `npm run bench` compares the two.
 */
import { checkInt, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { SeenArchs, checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { SearchSpace } from '../../spaces/types';

/** Options of {@link RegularizedEvolution}. */
export interface RegularizedEvolutionOptions<A> {
  space: SearchSpace<A>;
  /** Population size P (default 10). */
  population?: number;
  /** Tournament (sample) size S, 1 <= S <= P (default 3). */
  sample?: number;
}

/**
 * Regularized evolution as an ask/tell strategy, as Real et al. (2019) define it. The first P asks
 * are random; afterwards each ask is a random neighbour of a tournament winner.
 * @example const s = new RegularizedEvolution({ space: nb201Space(), population: 10, sample: 3 });
 */
export class RegularizedEvolution<A> implements Strategy<A> {
  readonly populationSize: number;
  readonly sampleSize: number;
  protected readonly space: SearchSpace<A>;
  protected readonly seen: SeenArchs<A>;
  /** The living population, oldest first; `born` is the 1-based count of tells at its own. */
  private readonly members: { arch: A; score: number; born: number }[] = [];
  private told = 0;

  /**
   * @param opts `{ space, population = 10, sample = 3 }`
   * @throws TypeError/RangeError if population is not an integer >= 2, or sample is not in 1..population
   */
  constructor(opts: RegularizedEvolutionOptions<A>) {
    const caller = 'RegularizedEvolution';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, population, sample }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller, ['neighbours']) as SearchSpace<A>;
    this.populationSize = checkInt('population', opts.population ?? 10, { min: 2 }, caller);
    const s = opts.sample ?? 3;
    if (typeof s === 'number' && Number.isSafeInteger(s) && s > this.populationSize) {
      throw new RangeError(`${caller}: 'sample' (the tournament size) must be at most 'population' = ${this.populationSize}, got ${s}`);
    }
    this.sampleSize = checkInt('sample', s, { min: 1, max: this.populationSize }, caller);
    this.seen = new SeenArchs(this.space);
  }

  ask(rng: Rng): A {
    const caller = `${this.constructor.name}.ask`;
    checkRng(rng, caller);
    const child = this.told < this.populationSize || this.members.length === 0 ? this.randomArch(rng, caller) : this.mutate(this.tournamentWinner(rng), rng, caller);
    this.seen.add(child);
    return child;
  }

  /** The living population, for the variant's tournament. */
  protected get living(): readonly { arch: A; score: number }[] {
    return this.members;
  }

  /** The best of S members drawn uniformly with replacement (Real et al.'s sample; first drawn wins a tie). */
  protected tournamentWinner(rng: Rng): A {
    let winner = rng.choice(this.members);
    for (let k = 1; k < this.sampleSize; k++) {
      const m = rng.choice(this.members);
      if (m.score > winner.score) winner = m;
    }
    return winner.arch;
  }

  /** One of the first P architectures: drawn from the space. */
  protected randomArch(rng: Rng, caller: string): A {
    void caller;
    return this.space.sample(rng);
  }

  /** The child of a parent: one mutation, a uniformly random neighbour. */
  protected mutate(parent: A, rng: Rng, caller: string): A {
    const moves = this.space.neighbours(parent);
    if (moves.length === 0) throw new Error(`${caller}: the space offers no neighbour of ${this.space.key(parent)} to mutate to`);
    return rng.choice(moves);
  }

  tell(arch: A, score: number): void {
    this.seen.record(arch, checkScore(score, `${this.constructor.name}.tell`));
    this.told++;
    this.members.push({ arch, score, born: this.told });
    if (this.members.length > this.populationSize) this.members.shift();
  }

  best(): { arch: A; score: number } | null {
    return this.seen.best();
  }

  /** The living population, oldest first (copies); `born` is the evaluation (1-based) that told it. */
  population(): { arch: A; score: number; born: number }[] {
    return this.members.map((m) => ({ ...m }));
  }
}

/**
 * Regularized evolution that never spends an evaluation twice: the first P asks are random
 * architectures not yet evaluated, and each child is a random neighbour of the tournament winner
 * among those never evaluated (a random unseen architecture when there are none), and its S contestants are distinct members. A variant of
 * Real et al. (2019), nasbook's default before; compared with it in `npm run bench`.
 * @example const s = new RegularizedEvolutionNoRepeat({ space: nb201Space(), population: 10, sample: 3 });
 */
export class RegularizedEvolutionNoRepeat<A> extends RegularizedEvolution<A> {
  protected override tournamentWinner(rng: Rng): A {
    const contestants = rng.sample(this.living, Math.min(this.sampleSize, this.living.length));
    return contestants.reduce((a, b) => (b.score > a.score ? b : a)).arch;
  }

  protected override randomArch(rng: Rng, caller: string): A {
    return this.seen.sampleUnseen(rng, caller);
  }

  protected override mutate(parent: A, rng: Rng, caller: string): A {
    const fresh = this.space.neighbours(parent).filter((n) => !this.seen.has(n));
    return fresh.length > 0 ? rng.choice(fresh) : this.seen.sampleUnseen(rng, caller);
  }
}
