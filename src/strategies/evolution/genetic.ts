/**
 * A generational genetic algorithm as an ask/tell strategy: a population of P evaluated genomes;
 * the next generation keeps the E fittest unchanged (elitism) and fills the rest with children:
 * two parents by tournament, one-point crossover (with probability `crossoverRate`), mutation.
 *
 * Evaluations are the scarce resource, so a child whose genome was already evaluated joins the
 * next generation with its recorded score instead of being asked again. What the score means is
 * the caller's: pass F_λ = A − λS (see `penalizedFitness`) to trade accuracy for size.
 */
import { checkInt, checkProbability, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { SeenArchs, checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { Sampleable, WithGenes } from '../../spaces/types';
import { mutateGenes, onePointCrossover, tournamentSelect, type Scored } from './operators';

/** Options of {@link GeneticAlgorithm}. */
export interface GeneticAlgorithmOptions<A> {
  space: Sampleable<A> & WithGenes<A>;
  /** Population size P >= 2 (default 20). */
  population?: number;
  /** Tournament size, 1..P (default 3). */
  tournament?: number;
  /** Probability that two parents are crossed over rather than copied (default 0.9). */
  crossoverRate?: number;
  /** Per-gene mutation probability (default 1 / number of genes). */
  mutationRate?: number;
  /** Members carried unchanged into the next generation, 0..P−1 (default 1). */
  elites?: number;
}

/**
 * @example const ga = new GeneticAlgorithm({ space: widthSpace(), population: 12, tournament: 3 });
 */
export class GeneticAlgorithm<A> implements Strategy<A> {
  readonly populationSize: number;
  readonly tournamentSize: number;
  readonly crossoverRate: number;
  readonly mutationRate: number;
  readonly elites: number;
  private readonly space: Sampleable<A> & WithGenes<A>;
  private readonly cardinalities: number[];
  private readonly seen: SeenArchs<A>;
  private readonly scores = new Map<string, number>();
  /** The last complete generation (empty until the first P are told). */
  private current: Scored<A>[] = [];
  /** The generation being filled. */
  private next: Scored<A>[] = [];
  private generationNumber = 0;

  /**
   * @param opts `{ space, population = 20, tournament = 3, crossoverRate = 0.9, mutationRate = 1/d, elites = 1 }`
   * @throws TypeError/RangeError for a space without genes, population < 2, a tournament larger
   *   than the population, rates outside [0, 1], or elites outside 0..population−1
   */
  constructor(opts: GeneticAlgorithmOptions<A>) {
    const caller = 'GeneticAlgorithm';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, population, ... }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller, ['genes']) as Sampleable<A> & WithGenes<A>;
    this.cardinalities = this.space.cardinalities().slice();
    this.populationSize = checkInt('population', opts.population ?? 20, { min: 2 }, caller);
    const t = opts.tournament ?? 3;
    if (typeof t === 'number' && Number.isSafeInteger(t) && t > this.populationSize) {
      throw new RangeError(`${caller}: 'tournament' must be at most 'population' = ${this.populationSize}, got ${t}`);
    }
    this.tournamentSize = checkInt('tournament', t, { min: 1, max: this.populationSize }, caller);
    this.crossoverRate = checkProbability('crossoverRate', opts.crossoverRate ?? 0.9, caller);
    this.mutationRate = checkProbability('mutationRate', opts.mutationRate ?? 1 / this.cardinalities.length, caller);
    this.elites = checkInt('elites', opts.elites ?? 1, { min: 0, max: this.populationSize - 1 }, caller);
    this.seen = new SeenArchs(this.space);
  }

  /** Completed generations (0 while the first population is being evaluated). */
  get generation(): number {
    return this.generationNumber;
  }

  ask(rng: Rng): A {
    const caller = 'GeneticAlgorithm.ask';
    checkRng(rng, caller);
    if (this.current.length > 0) {
      // A converged population breeds mostly known genomes; they fill generations for free, so
      // bound the loop and fall back to a fresh random genome.
      for (let tries = 0; tries < 50 * this.populationSize; tries++) {
        const child = this.breed(rng);
        if (this.space.contains !== undefined && !this.space.contains(child)) continue;
        const key = this.space.key(child);
        const known = this.scores.get(key);
        if (known !== undefined) this.admit({ arch: child, score: known });
        else if (!this.seen.has(child)) {
          this.seen.add(child);
          return child;
        }
      }
    }
    const fresh = this.seen.sampleUnseen(rng, caller);
    this.seen.add(fresh);
    return fresh;
  }

  tell(arch: A, score: number): void {
    checkScore(score, 'GeneticAlgorithm.tell');
    this.seen.record(arch, score);
    this.scores.set(this.space.key(arch), score);
    this.admit({ arch, score });
  }

  best(): { arch: A; score: number } | null {
    return this.seen.best();
  }

  /** The last complete generation, fittest first (copies). */
  population(): Scored<A>[] {
    return this.current.map((m) => ({ ...m }));
  }

  private breed(rng: Rng): A {
    const a = this.space.encode(tournamentSelect(this.current, this.tournamentSize, rng).arch);
    const b = this.space.encode(tournamentSelect(this.current, this.tournamentSize, rng).arch);
    const [child] = rng.uniform() < this.crossoverRate ? onePointCrossover(a, b, rng) : [a];
    return this.space.decode(mutateGenes(child, this.cardinalities, this.mutationRate, rng));
  }

  /** Adds a member to the generation being filled; a full generation replaces the current one. */
  private admit(member: Scored<A>): void {
    this.next.push(member);
    if (this.next.length < this.populationSize) return;
    this.current = this.next.sort((x, y) => y.score - x.score);
    this.next = this.current.slice(0, this.elites);
    this.generationNumber++;
  }
}
