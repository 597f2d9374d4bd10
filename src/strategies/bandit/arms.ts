/**
 * Bookkeeping shared by the bandits: each architecture is an arm, identified by the space's key;
 * an arm keeps how often it was pulled and its mean reward.
 */
import type { Rng } from '../../core/rng';

/** One arm's statistics. */
export interface ArmStats<A> {
  arch: A;
  pulls: number;
  /** Mean reward over the pulls. */
  mean: number;
}

/** @internal */
export class ArmTable<A> {
  private readonly arms = new Map<string, { arch: A; pulls: number; mean: number }>();
  private total = 0;
  constructor(private readonly key: (a: A) => string) {}

  get pulls(): number {
    return this.total;
  }
  get size(): number {
    return this.arms.size;
  }
  pullsOf(arch: A): number {
    return this.arms.get(this.key(arch))?.pulls ?? 0;
  }
  record(arch: A, reward: number): void {
    const k = this.key(arch);
    const arm = this.arms.get(k) ?? { arch, pulls: 0, mean: 0 };
    arm.pulls++;
    // The running-mean update keeps an arm that always pays r at exactly r (sum / n would not).
    arm.mean += (reward - arm.mean) / arm.pulls;
    this.arms.set(k, arm);
    this.total++;
  }
  stats(): ArmStats<A>[] {
    return [...this.arms.values()].map((a) => ({ arch: a.arch, pulls: a.pulls, mean: a.mean }));
  }
  /** The arm maximising `index` (ties broken at random so no arm is favoured by insertion order). */
  argmax(index: (a: ArmStats<A>) => number, rng: Rng | null): ArmStats<A> | null {
    // Walks the arms in place: ε-greedy calls this on every exploiting ask.
    let best: ArmStats<A>[] = [];
    let value = -Infinity;
    for (const a of this.arms.values()) {
      const v = index(a);
      if (v > value) {
        value = v;
        best = [a];
      } else if (v === value) best.push(a);
    }
    if (best.length === 0) return null;
    const top = rng === null || best.length === 1 ? best[0] : rng.choice(best);
    return { arch: top.arch, pulls: top.pulls, mean: top.mean };
  }
}
