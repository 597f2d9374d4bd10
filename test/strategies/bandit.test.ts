import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { EpsilonGreedy } from '../../src/strategies/bandit/epsilonGreedy';
import { UCB1 } from '../../src/strategies/bandit/ucb1';
import { nb201Space } from '../../src/spaces';
import { runSearch } from '../../src/strategies/types';
import type { SearchSpace } from '../../src/spaces/types';
import { describeStrategy, toyScore } from './describeStrategy';

describeStrategy('EpsilonGreedy', (dedupe) => new EpsilonGreedy({ space: nb201Space({ dedupe }), epsilon: 0.5 }), 30, true);
describeStrategy('UCB1', (dedupe) => new UCB1({ space: nb201Space({ dedupe }), arms: 10, scale: 10 }), 30, true);

/** Five arms 0..4 with Bernoulli rewards of means 0.1 .. 0.5: a classic bandit. */
const arms: SearchSpace<number> = { sample: (rng) => rng.int(0, 5), neighbours: () => [], key: String };
const bernoulli = (rng: ReturnType<typeof createRng>) => (a: number) => (rng.uniform() < 0.1 + 0.1 * a ? 1 : 0);

describe('EpsilonGreedy', () => {
  it('ε = 1 is pure exploration; ε = 0 pulls the best arm forever after the first', () => {
    const explore = runSearch(new EpsilonGreedy({ space: nb201Space(), epsilon: 1 }), toyScore, { trials: 40, rng: createRng(1) });
    expect(new Set(explore.map((t) => t.arch.ops.join())).size).toBeGreaterThan(35);
    const greedy = runSearch(new EpsilonGreedy({ space: nb201Space(), epsilon: 0 }), toyScore, { trials: 40, rng: createRng(1) });
    expect(new Set(greedy.map((t) => t.arch.ops.join())).size).toBe(1);
  });
  it('on a noisy 5-armed bandit it pulls the best arm most often', () => {
    const s = new EpsilonGreedy({ space: arms, epsilon: 0.1 });
    runSearch(s, bernoulli(createRng('rewards')), { trials: 3000, rng: createRng(2) });
    const most = s.armStats().reduce((a, b) => (b.pulls > a.pulls ? b : a));
    expect(most.arch).toBe(4);
    expect(most.pulls).toBeGreaterThan(1500);
  });
  it('rejects ε outside [0, 1], naming it', () => {
    expect(() => new EpsilonGreedy({ space: arms, epsilon: 1.5 })).toThrow("EpsilonGreedy: 'epsilon' must be a number >= 0 and <= 1, got 1.5");
    expect(() => new EpsilonGreedy({ space: arms, epsilon: -0.1 })).toThrow("EpsilonGreedy: 'epsilon' must be a number >= 0 and <= 1, got -0.1");
  });
});

describe('UCB1', () => {
  it('pulls every arm once first, then concentrates on the best (regret grows like log t)', () => {
    const s = new UCB1({ space: arms, arms: [0, 1, 2, 3, 4] });
    const h = runSearch(s, bernoulli(createRng('rewards')), { trials: 4000, rng: createRng(3) });
    expect(new Set(h.slice(0, 5).map((t) => t.arch)).size).toBe(5);
    const stats = new Map(s.armStats().map((a) => [a.arch, a.pulls]));
    expect(stats.get(4)).toBeGreaterThan(2000);
    // Each bad arm is pulled O(log T / gap²) times, far fewer than T/5.
    expect(stats.get(0)).toBeLessThan(200);
  });
  it('draws a pool of distinct arms from the space when given a number', () => {
    const s = new UCB1({ space: nb201Space(), arms: 7 });
    expect(s.armPool()).toEqual([]);
    runSearch(s, toyScore, { trials: 7, rng: createRng(4) });
    expect(new Set(s.armPool().map((c) => c.ops.join())).size).toBe(7);
  });
  it('rejects bad options, naming the argument', () => {
    expect(() => new UCB1({ space: arms, arms: 0 })).toThrow(/'arms' must be an integer >= 1/);
    expect(() => new UCB1({ space: arms, arms: [1, 1] })).toThrow("UCB1: 'arms' must be distinct architectures, got 1 repeated");
    expect(() => new UCB1({ space: arms, scale: 0 })).toThrow(/'scale' must be a number > 0/);
    expect(() => new UCB1({ space: arms, arms: 9 }).ask(createRng(0))).toThrow("UCB1.ask: the space has fewer than 'arms' = 9 distinct architectures (found 5)");
  });
});
