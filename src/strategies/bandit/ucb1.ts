/**
 * UCB1 (Auer, Cesa-Bianchi and Fischer 2002): pull every arm once, then the arm maximising
 *
 *   mean + c · scale · sqrt(2 ln t / n),
 *
 * t the pulls so far, n the arm's pulls, scale the width of the reward range (UCB1's bound assumes
 * rewards in [0, 1]; accuracies in percent need scale 100). With thousands of arms the first
 * phase alone is random search over all of them, so UCB1 is run on a pool of arms drawn up front.
 */
import { checkArray, checkInt, checkNumber, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { Sampleable } from '../../spaces/types';
import { ArmTable, type ArmStats } from './arms';

/** Options of {@link UCB1}. */
export interface UCB1Options<A> {
  space: Sampleable<A>;
  /** The arms: a list, or a number K of distinct arms drawn from the space at the first ask (default 100). */
  arms?: A[] | number;
  /** c: weight of the exploration bonus (default 1, UCB1's own). */
  exploration?: number;
  /** Width of the reward range (default 1: rewards in [0, 1]). */
  scale?: number;
}

/**
 * UCB1 over a pool of arms, as an ask/tell strategy (maximising).
 * @example const s = new UCB1({ space: nb201Space(), arms: 50, scale: 100 });
 */
export class UCB1<A> implements Strategy<A> {
  readonly exploration: number;
  readonly scale: number;
  private readonly space: Sampleable<A>;
  private readonly armCount: number;
  private pool: A[] | null;
  private readonly arms: ArmTable<A>;

  /**
   * @param opts `{ space, arms = 100, exploration = 1, scale = 1 }`
   * @throws TypeError/RangeError for a bad space, an empty arm list, arms < 1, or a negative exploration or non-positive scale
   */
  constructor(opts: UCB1Options<A>) {
    const caller = 'UCB1';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, arms, exploration, scale }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller);
    const arms = opts.arms ?? 100;
    if (Array.isArray(arms)) {
      const list = checkArray<A>('arms', arms, { minLength: 1 }, caller);
      const keys = new Set(list.map((a) => this.space.key(a)));
      if (keys.size !== list.length) throw new RangeError(`${caller}: 'arms' must be distinct architectures, got ${list.length - keys.size} repeated`);
      this.pool = list.slice();
      this.armCount = list.length;
    } else {
      this.armCount = checkInt('arms', arms, { min: 1 }, caller);
      this.pool = null;
    }
    this.exploration = checkNumber('exploration', opts.exploration ?? 1, { min: 0 }, caller);
    this.scale = checkNumber('scale', opts.scale ?? 1, { min: 0, exclusiveMin: true }, caller);
    this.arms = new ArmTable((a) => this.space.key(a));
  }

  ask(rng: Rng): A {
    checkRng(rng, 'UCB1.ask');
    const pool = this.drawPool(rng);
    const unpulled = pool.filter((a) => this.arms.pullsOf(a) === 0);
    if (unpulled.length > 0) return rng.choice(unpulled);
    const logT = Math.log(this.arms.pulls);
    const top = this.arms.argmax((a) => a.mean + this.exploration * this.scale * Math.sqrt((2 * logT) / a.pulls), rng);
    return (top as ArmStats<A>).arch;
  }

  tell(arch: A, score: number): void {
    this.arms.record(arch, checkScore(score, 'UCB1.tell'));
  }

  best(): { arch: A; score: number } | null {
    const top = this.arms.argmax((a) => a.mean, null);
    return top === null ? null : { arch: top.arch, score: top.mean };
  }

  /** The arm pool (drawn at the first ask when given as a number; empty before). */
  armPool(): A[] {
    return this.pool === null ? [] : this.pool.slice();
  }

  armStats(): ArmStats<A>[] {
    return this.arms.stats();
  }

  private drawPool(rng: Rng): A[] {
    if (this.pool !== null) return this.pool;
    // A stream of its own, so the pool does not shift the draws of the asks that follow.
    const draw = rng.child('arms');
    const keys = new Set<string>();
    const pool: A[] = [];
    for (let tries = 0; pool.length < this.armCount; tries++) {
      if (tries > 1000 * this.armCount) throw new RangeError(`UCB1.ask: the space has fewer than 'arms' = ${this.armCount} distinct architectures (found ${pool.length})`);
      const a = this.space.sample(draw);
      const k = this.space.key(a);
      if (!keys.has(k)) {
        keys.add(k);
        pool.push(a);
      }
    }
    this.pool = pool;
    return pool;
  }
}
