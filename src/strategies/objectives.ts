/**
 * Several objectives at once: each has a name and a direction (accuracy is maximised, latency
 * minimised), a trial's scores are a plain record from objective name to value, and a
 * multi-objective strategy reports the non-dominated trials it was told (its Pareto front).
 *
 * Single-objective strategies (`Strategy` in ./types) stay as they are; {@link scalarized} runs
 * one on several objectives through a scalarisation stated by the caller (by default the
 * weighted sum of {@link weightedScalarization}), so it fits the same multi-objective loop.
 */
import { checkArray, checkNumbers, checkString, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import { nonDominated } from '../pareto/dominance';
import type { Strategy } from './types';

/** Whether larger or smaller values of an objective are better. */
export type Direction = 'maximize' | 'minimize';

/** One objective of a search: its name (the key in {@link Scores}) and its direction. */
export interface Objective {
  name: string;
  direction: Direction;
}

/** The value of every objective for one architecture: objective name -> value. */
export type Scores = Readonly<Record<string, number>>;

/**
 * A search strategy over architectures of type A with several objectives.
 * @example
 * const s: MultiObjectiveStrategy<Nb201Cell> = new Nsga2({ space, objectives });
 * const a = s.ask(rng);
 * s.tell(a, { accuracy: 91.2, latencyMs: 3.4 });
 */
export interface MultiObjectiveStrategy<A> {
  /** The objectives, in the order the strategy reports them. */
  readonly objectives: readonly Objective[];
  /** The next architecture to evaluate. */
  ask(rng: Rng): A;
  /** Reports the value of every objective for an architecture. */
  tell(arch: A, scores: Scores): void;
  /** The non-dominated trials told so far. */
  front(): { arch: A; scores: Scores }[];
}

/** Turns a trial's scores into the one number a single-objective strategy maximises. */
export type Scalarization = (scores: Scores) => number;

/**
 * Checks a list of objectives: at least `min` of them, each with a non-empty name and a
 * direction, names distinct. Returns clean copies.
 * @param objectives the list to check
 * @param caller who is asking, for the message
 * @param min the fewest allowed (default 1)
 * @throws TypeError/RangeError naming the objective at fault, e.g. one with no direction
 * @example checkObjectives([{ name: 'accuracy', direction: 'maximize' }], 'demo') // [{ name: 'accuracy', direction: 'maximize' }]
 */
export function checkObjectives(objectives: unknown, caller: string, min = 1): Objective[] {
  const list = checkArray<unknown>('objectives', objectives, { minLength: min }, caller);
  const names = new Set<string>();
  return list.map((o, i) => {
    if (typeof o !== 'object' || o === null) throw new TypeError(`${caller}: 'objectives[${i}]' must be { name, direction }, got ${describe(o)}`);
    const { name, direction } = o as Partial<Objective>;
    checkString(`objectives[${i}].name`, name, caller);
    if (direction !== 'maximize' && direction !== 'minimize') {
      throw new RangeError(`${caller}: 'objectives[${i}].direction' must be 'maximize' or 'minimize', got ${describe(direction)}`);
    }
    if (names.has(name!)) throw new RangeError(`${caller}: 'objectives' must have distinct names, ${describe(name)} appears twice`);
    names.add(name!);
    return { name: name!, direction };
  });
}

/**
 * The scores of a trial as a vector in the objectives' order; each must be a finite number.
 * @throws TypeError naming the objective whose value is missing or not finite
 * @example checkScores({ accuracy: 90, params: 1.2 }, objectives, 'demo') // [90, 1.2]
 */
export function checkScores(scores: unknown, objectives: readonly Objective[], caller: string): number[] {
  if (typeof scores !== 'object' || scores === null) throw new TypeError(`${caller}: 'scores' must be a record { ${objectives.map((o) => o.name).join(', ')} }, got ${describe(scores)}`);
  return objectives.map((o) => {
    const v = (scores as Record<string, unknown>)[o.name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${caller}: 'scores.${o.name}' must be a finite number, got ${describe(v)}`);
    return v;
  });
}

/**
 * The weighted sum Σ_j w_j·s_j·f_j with s_j = +1 for a maximised objective and −1 for a minimised
 * one, as a {@link Scalarization} (larger is better). Values are used as given: put objectives on
 * comparable scales first, or choose the weights to do it (pareto's `weightedSumStrategy`
 * normalises by a table's range).
 * @param objectives the objectives
 * @param weights one non-negative weight per objective (default: 1 for a single objective)
 * @throws RangeError for a weight count that differs from the objectives, or a negative weight
 * @example weightedScalarization([{ name: 'acc', direction: 'maximize' }, { name: 'ms', direction: 'minimize' }], [1, 0.5])({ acc: 90, ms: 4 }) // 88
 */
export function weightedScalarization(objectives: readonly Objective[], weights?: readonly number[]): Scalarization {
  const caller = 'weightedScalarization';
  const objs = checkObjectives(objectives, caller);
  if (weights === undefined && objs.length > 1) throw new RangeError(`${caller}: 'weights' must be given for ${objs.length} objectives (which trade-off is meant is the caller's choice)`);
  const w = checkNumbers('weights', weights ?? [1], {}, caller);
  if (w.length !== objs.length) throw new RangeError(`${caller}: 'weights' must have one entry per objective (${objs.length}), got ${w.length}`);
  w.forEach((x, j) => {
    if (x < 0) throw new RangeError(`${caller}: 'weights[${j}]' must be >= 0, got ${x}`);
  });
  const signs = objs.map((o) => (o.direction === 'maximize' ? 1 : -1));
  return (scores) => checkScores(scores, objs, 'scalarization').reduce((sum, v, j) => sum + w[j] * signs[j] * v, 0);
}

/** Options of {@link scalarized}. */
export interface ScalarizedOptions {
  objectives: readonly Objective[];
  /** How scores become the inner strategy's score (default: the single objective, signed by its direction). */
  scalarize?: Scalarization;
}

/**
 * A single-objective strategy run on several objectives: it is told the scalarisation of each
 * trial's scores and is otherwise unchanged (same asks for the same told numbers), while `front()`
 * reports the non-dominated trials among everything told.
 * @param inner a fresh single-objective strategy
 * @param opts `{ objectives, scalarize = weightedScalarization(objectives) }`
 * @throws TypeError/RangeError for a strategy without ask/tell, bad objectives, or several objectives and no scalarisation
 * @example scalarized(new RegularizedEvolution({ space }), { objectives, scalarize: weightedScalarization(objectives, [1, 0.2]) })
 */
export function scalarized<A>(inner: Strategy<A>, opts: ScalarizedOptions): MultiObjectiveStrategy<A> & { readonly inner: Strategy<A> } {
  const caller = 'scalarized';
  if (typeof inner !== 'object' || inner === null || typeof inner.ask !== 'function' || typeof inner.tell !== 'function') {
    throw new TypeError(`${caller}: 'inner' must be a strategy with ask and tell, got ${describe(inner)}`);
  }
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { objectives, scalarize }, got ${describe(opts)}`);
  const objectives = checkObjectives(opts.objectives, caller);
  if (opts.scalarize !== undefined && typeof opts.scalarize !== 'function') throw new TypeError(`${caller}: 'scalarize' must be a function (scores) => number, got ${describe(opts.scalarize)}`);
  if (opts.scalarize === undefined && objectives.length > 1) {
    throw new RangeError(`${caller}: 'scalarize' must be given for ${objectives.length} objectives, e.g. weightedScalarization(objectives, weights)`);
  }
  const scalarize = opts.scalarize ?? weightedScalarization(objectives);
  const told: { arch: A; scores: Scores; values: number[] }[] = [];
  const directions = objectives.map((o) => o.direction);
  return {
    objectives,
    inner,
    ask: (rng) => inner.ask(rng),
    tell(arch, scores) {
      const values = checkScores(scores, objectives, `${caller}.tell`);
      const score = scalarize(scores);
      if (typeof score !== 'number' || !Number.isFinite(score)) throw new TypeError(`${caller}.tell: 'scalarize' must return a finite number, got ${describe(score)}`);
      told.push({ arch, scores: { ...scores }, values });
      inner.tell(arch, score);
    },
    front() {
      if (told.length === 0) return [];
      return nonDominated(told.map((t) => t.values), { directions }).map((i) => ({ arch: told[i].arch, scores: { ...told[i].scores } }));
    },
  };
}

/**
 * Whether a value is a multi-objective strategy (it names its objectives and reports a front)
 * rather than a single-objective one.
 */
export function isMultiObjective<A>(s: unknown): s is MultiObjectiveStrategy<A> {
  const o = s as Record<string, unknown>;
  return typeof s === 'object' && s !== null && Array.isArray(o.objectives) && typeof o.front === 'function';
}
