/**
 * NSGA-II (Deb, Pratap, Agarwal and Meyarivan, "A fast and elitist multiobjective genetic
 * algorithm: NSGA-II", IEEE TEC 2002) as an ask/tell strategy over a gene space.
 *
 * A population of μ evaluated architectures breeds λ = μ children: two parents each by binary
 * tournament (lower front rank wins, then larger crowding distance), one-point crossover with
 * probability `crossoverRate`, per-gene mutation. When the λ children have been told, parents and
 * children compete together ((μ+λ) survival): whole fronts of the non-dominated sort are kept
 * while they fit, and the front that does not fit is cut by crowding distance, so the survivors
 * are both good and spread along the front. The first population is drawn at random.
 *
 * Evaluations are the scarce resource: a child already evaluated is bred again (and, after many
 * tries, replaced by a random unseen architecture), so no evaluation is spent twice.
 */
import { checkInt, checkProbability, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import { crowdingDistance } from '../pareto/crowding';
import { nonDominated } from '../pareto/dominance';
import { nonDominatedSort } from '../pareto/sort';
import type { GeneSpace } from '../spaces/types';
import { mutateGenes, onePointCrossover } from './evolution/operators';
import { checkObjectives, checkScores, type MultiObjectiveStrategy, type Objective, type Scores } from './objectives';
import { SeenArchs, checkRng, checkSpace } from './types';

/** Options of {@link Nsga2}. */
export interface Nsga2Options<A> {
  space: GeneSpace<A>;
  /** The objectives, each with its direction. */
  objectives: readonly Objective[];
  /** μ = λ, the population and the number of children per generation (default 20). */
  population?: number;
  /** Probability that two parents are crossed over rather than copied (default 0.9). */
  crossoverRate?: number;
  /** Per-gene mutation probability (default 1 / number of genes). */
  mutationRate?: number;
}

/** A told architecture with its scores, and what survival assigned it. */
interface Member<A> {
  arch: A;
  scores: Scores;
  values: number[];
  rank: number;
  crowding: number;
}

/**
 * @example
 * const s = new Nsga2({ space: nb201Space(), objectives: [{ name: 'accuracy', direction: 'maximize' }, { name: 'params', direction: 'minimize' }] });
 * const cell = s.ask(createRng(1)); s.tell(cell, { accuracy: 88.1, params: 0.4 });
 */
export class Nsga2<A> implements MultiObjectiveStrategy<A> {
  readonly objectives: readonly Objective[];
  readonly populationSize: number;
  readonly crossoverRate: number;
  readonly mutationRate: number;
  private readonly space: GeneSpace<A>;
  private readonly cardinalities: number[];
  private readonly seen: SeenArchs<A>;
  /** The survivors of the last generation (empty until the first μ are told). */
  private parents: Member<A>[] = [];
  /** Children told since the last survival (or the first population being filled). */
  private children: Member<A>[] = [];
  /** Every told trial, for `front()`. */
  private told: Member<A>[] = [];
  private generationNumber = 0;

  /**
   * @param opts `{ space, objectives, population = 20, crossoverRate = 0.9, mutationRate = 1/d }`
   * @throws TypeError/RangeError for a space without genes, fewer than two objectives, an objective
   *   without a name or direction, population < 2, or rates outside [0, 1]
   */
  constructor(opts: Nsga2Options<A>) {
    const caller = 'Nsga2';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, objectives, population, ... }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller, ['genes']) as GeneSpace<A>;
    this.objectives = checkObjectives(opts.objectives, caller, 2);
    this.cardinalities = this.space.cardinalities().slice();
    this.populationSize = checkInt('population', opts.population ?? 20, { min: 2 }, caller);
    this.crossoverRate = checkProbability('crossoverRate', opts.crossoverRate ?? 0.9, caller);
    this.mutationRate = checkProbability('mutationRate', opts.mutationRate ?? 1 / this.cardinalities.length, caller);
    this.seen = new SeenArchs(this.space);
  }

  /** Completed generations (0 while the first population is being evaluated). */
  get generation(): number {
    return this.generationNumber;
  }

  ask(rng: Rng): A {
    const caller = 'Nsga2.ask';
    checkRng(rng, caller);
    if (this.parents.length > 0) {
      for (let tries = 0; tries < 50 * this.populationSize; tries++) {
        const child = this.breed(rng);
        if (this.space.contains !== undefined && !this.space.contains(child)) continue;
        if (this.seen.has(child)) continue;
        this.seen.add(child);
        return child;
      }
    }
    const fresh = this.seen.sampleUnseen(rng, caller);
    this.seen.add(fresh);
    return fresh;
  }

  tell(arch: A, scores: Scores): void {
    const values = checkScores(scores, this.objectives, 'Nsga2.tell');
    this.seen.add(arch);
    const member: Member<A> = { arch, scores: { ...scores }, values, rank: 0, crowding: 0 };
    this.told.push(member);
    this.children.push(member);
    if (this.children.length < this.populationSize) return;
    this.parents = survive([...this.parents, ...this.children], this.populationSize, this.objectives);
    this.children = [];
    this.generationNumber++;
  }

  front(): { arch: A; scores: Scores }[] {
    if (this.told.length === 0) return [];
    const dirs = this.objectives.map((o) => o.direction);
    return nonDominated(this.told.map((m) => m.values), { directions: dirs }).map((i) => ({ arch: this.told[i].arch, scores: { ...this.told[i].scores } }));
  }

  /** The survivors of the last generation with their front rank and crowding distance (copies). */
  population(): { arch: A; scores: Scores; rank: number; crowding: number }[] {
    return this.parents.map((m) => ({ arch: m.arch, scores: { ...m.scores }, rank: m.rank, crowding: m.crowding }));
  }

  private breed(rng: Rng): A {
    const a = this.space.encode(binaryTournament(this.parents, rng).arch);
    const b = this.space.encode(binaryTournament(this.parents, rng).arch);
    const [child] = rng.uniform() < this.crossoverRate ? onePointCrossover(a, b, rng) : [a];
    return this.space.decode(mutateGenes(child, this.cardinalities, this.mutationRate, rng));
  }
}

/**
 * Deb's crowded comparison between two members drawn at random: the lower front rank wins, then
 * the larger crowding distance; a tie goes to the first drawn.
 */
function binaryTournament<A>(pool: readonly Member<A>[], rng: Rng): Member<A> {
  const [x, y] = pool.length >= 2 ? rng.sample(pool, 2) : [pool[0], pool[0]];
  if (y.rank < x.rank || (y.rank === x.rank && y.crowding > x.crowding)) return y;
  return x;
}

/**
 * (μ+λ) survival: fill with whole fronts, cut the last by crowding distance (largest first, ties
 * by position), and record each survivor's rank and crowding for the next tournaments.
 */
function survive<A>(pool: Member<A>[], size: number, objectives: readonly Objective[]): Member<A>[] {
  const dirs = objectives.map((o) => o.direction);
  const fronts = nonDominatedSort(pool.map((m) => m.values), { directions: dirs });
  const out: Member<A>[] = [];
  for (let r = 0; r < fronts.length && out.length < size; r++) {
    const front = fronts[r];
    const crowd = crowdingDistance(front.map((i) => pool[i].values), { directions: dirs });
    const members = front.map((i, t) => ({ ...pool[i], rank: r, crowding: crowd[t] }));
    if (out.length + members.length <= size) out.push(...members);
    else {
      const order = members.map((_, t) => t).sort((s, t) => members[t].crowding - members[s].crowding || s - t);
      out.push(...order.slice(0, size - out.length).map((t) => members[t]));
    }
  }
  return out;
}
