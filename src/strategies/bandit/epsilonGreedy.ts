/**
 * The ε-greedy bandit: every architecture is an arm, the reward is its score. With probability ε
 * it explores (pulls an arm drawn uniformly from the space), otherwise it exploits (pulls the arm
 * with the highest mean reward so far).
 *
 * It maximises the CUMULATIVE reward, which is not what NAS asks for: on a noise-free table,
 * pulling the best arm again returns the same number and teaches nothing, so only the ε share of
 * the budget looks for something better. Chapter 04 measures exactly that.
 */
import { checkProbability, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { Sampleable } from '../../spaces/types';
import { ArmTable, type ArmStats } from './arms';

/** Options of {@link EpsilonGreedy}. */
export interface EpsilonGreedyOptions<A> {
  space: Sampleable<A>;
  /** Probability of exploring, in [0, 1] (default 0.1). */
  epsilon?: number;
}

/**
 * ε-greedy over the arms of a space, as an ask/tell strategy (maximising). The first ask explores.
 * @example const s = new EpsilonGreedy({ space: nb201Space(), epsilon: 0.2 });
 */
export class EpsilonGreedy<A> implements Strategy<A> {
  readonly epsilon: number;
  private readonly space: Sampleable<A>;
  private readonly arms: ArmTable<A>;

  /**
   * @param opts `{ space, epsilon = 0.1 }`
   * @throws TypeError/RangeError if the space cannot sample (sample, key) or epsilon is outside [0, 1]
   */
  constructor(opts: EpsilonGreedyOptions<A>) {
    const caller = 'EpsilonGreedy';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, epsilon }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller);
    this.epsilon = checkProbability('epsilon', opts.epsilon ?? 0.1, caller);
    this.arms = new ArmTable((a) => this.space.key(a));
  }

  ask(rng: Rng): A {
    checkRng(rng, 'EpsilonGreedy.ask');
    // Draw the coin first, so the stream a run consumes does not depend on how many arms exist.
    const explore = rng.uniform() < this.epsilon;
    const greedy = explore ? null : this.arms.argmax((a) => a.mean, rng);
    return greedy === null ? this.space.sample(rng) : greedy.arch;
  }

  tell(arch: A, score: number): void {
    this.arms.record(arch, checkScore(score, 'EpsilonGreedy.tell'));
  }

  /** The arm with the highest mean reward (on a noise-free objective: the best score seen). */
  best(): { arch: A; score: number } | null {
    const top = this.arms.argmax((a) => a.mean, null);
    return top === null ? null : { arch: top.arch, score: top.mean };
  }

  /** Every arm pulled so far with its pulls and mean reward. */
  armStats(): ArmStats<A>[] {
    return this.arms.stats();
  }
}
