/**
 * Regularized (aging) evolution, Real et al. 2019: a population of P; each child is a random
 * neighbour (one mutation) of the best of S members sampled at random; the OLDEST member dies,
 * not the worst, so a lucky score cannot dominate forever.
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
 * Regularized evolution as an ask/tell strategy. The first P asks are random; afterwards each ask
 * mutates a tournament winner, choosing among its neighbours not yet evaluated (a random new
 * architecture if all were), so no architecture is evaluated twice.
 * @example const s = new RegularizedEvolution({ space: nb201Space(), population: 10, sample: 3 });
 */
export class RegularizedEvolution<A> implements Strategy<A> {
  readonly populationSize: number;
  readonly sampleSize: number;
  private readonly space: SearchSpace<A>;
  private readonly seen: SeenArchs<A>;
  /** The living population, oldest first. */
  private readonly members: { arch: A; score: number }[] = [];
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
    const caller = 'RegularizedEvolution.ask';
    checkRng(rng, caller);
    let child: A;
    if (this.told < this.populationSize || this.members.length === 0) {
      child = this.seen.sampleUnseen(rng, caller);
    } else {
      const contestants = rng.sample(this.members, Math.min(this.sampleSize, this.members.length));
      const parent = contestants.reduce((a, b) => (b.score > a.score ? b : a));
      const fresh = this.space.neighbours(parent.arch).filter((n) => !this.seen.has(n));
      child = fresh.length > 0 ? rng.choice(fresh) : this.seen.sampleUnseen(rng, caller);
    }
    this.seen.add(child);
    return child;
  }

  tell(arch: A, score: number): void {
    this.seen.record(arch, checkScore(score, 'RegularizedEvolution.tell'));
    this.members.push({ arch, score });
    this.told++;
    if (this.members.length > this.populationSize) this.members.shift();
  }

  best(): { arch: A; score: number } | null {
    return this.seen.best();
  }

  /** The living population, oldest first (copies). */
  population(): { arch: A; score: number }[] {
    return this.members.map((m) => ({ ...m }));
  }
}
