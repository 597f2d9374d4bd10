/**
 * Random search without repeats: the baseline every other strategy must beat.
 */
import { describe } from '../core/checks';
import type { Rng } from '../core/rng';
import { SeenArchs, checkRng, checkScore, checkSpace, type Strategy } from './types';
import type { Sampleable } from '../spaces/types';

/** Options of {@link RandomSearch}. */
export interface RandomSearchOptions<A> {
  /** Any space that can sample (and, to finish an exhausted space, list its candidates). */
  space: Sampleable<A>;
}

/**
 * Random search: each ask draws from the space, skipping architectures already asked or told (by key).
 * @example const s = new RandomSearch({ space: nb201Space() }); s.tell(s.ask(createRng(1)), 90);
 */
export class RandomSearch<A> implements Strategy<A> {
  private readonly seen: SeenArchs<A>;
  /**
   * @param opts `{ space }`
   * @throws TypeError if the space cannot sample (sample, key)
   */
  constructor(opts: RandomSearchOptions<A>) {
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`RandomSearch: 'opts' must be { space }, got ${describe(opts)}`);
    this.seen = new SeenArchs(checkSpace<A>(opts.space, 'RandomSearch'));
  }
  ask(rng: Rng): A {
    const a = this.seen.sampleUnseen(checkRng(rng, 'RandomSearch.ask'), 'RandomSearch.ask');
    this.seen.add(a);
    return a;
  }
  tell(arch: A, score: number): void {
    this.seen.record(arch, checkScore(score, 'RandomSearch.tell'));
  }
  best(): { arch: A; score: number } | null {
    return this.seen.best();
  }
}
