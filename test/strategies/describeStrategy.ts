/**
 * The suite every strategy must pass: reproducible for a seed, different across seeds, never
 * evaluating the same architecture twice, and `best` agreeing with the history.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import type { Nb201Cell } from '../../src/spaces/nb201';
import { nb201Space } from '../../src/spaces';
import { runSearch, type Strategy } from '../../src/strategies/types';

/** A deterministic, structured objective: conv3x3 edges score, 'none' edges cost, plus a per-cell wobble. */
export function toyScore(cell: Nb201Cell): number {
  let s = 0;
  cell.ops.forEach((op, e) => {
    if (op === 'conv3x3') s += 2 + e * 0.1;
    if (op === 'none') s -= 1;
  });
  return s + (cell.ops.join('').length % 7) * 0.01;
}

/**
 * @param repeats whether the strategy may evaluate an architecture again (a bandit re-pulls its
 *   best arm by design); every other strategy must not
 */
export function describeStrategy(name: string, make: (dedupe: 'none' | 'canonical') => Strategy<Nb201Cell>, trials = 30, repeats = false): void {
  describe(`${name} (shared strategy suite)`, () => {
    const keys = (h: { arch: Nb201Cell }[]) => h.map((t) => t.arch.ops.join(','));
    it('same seed, same run; another seed, another run', () => {
      const a = runSearch(make('none'), toyScore, { trials, rng: createRng(7) });
      const b = runSearch(make('none'), toyScore, { trials, rng: createRng(7) });
      const c = runSearch(make('none'), toyScore, { trials, rng: createRng(8) });
      expect(keys(a)).toEqual(keys(b));
      expect(keys(a)).not.toEqual(keys(c));
    });
    it.skipIf(repeats)('never evaluates an architecture twice (by the space key)', () => {
      for (const dedupe of ['none', 'canonical'] as const) {
        const space = nb201Space({ dedupe });
        const h = runSearch(make(dedupe), toyScore, { trials, rng: createRng(3) });
        expect(new Set(h.map((t) => space.key(t.arch))).size).toBe(trials);
      }
    });
    it('best() is the best told, and bestScore is the running maximum', () => {
      const s = make('none');
      expect(s.best()).toBeNull();
      const h = runSearch(s, toyScore, { trials, rng: createRng(11) });
      const top = Math.max(...h.map((t) => t.score));
      // On a noise-free objective the best arm's mean reward is its score, so bandits agree too.
      expect(s.best()?.score).toBe(top);
      expect(toyScore(s.best()!.arch)).toBe(top);
      let running = -Infinity;
      for (const t of h) {
        running = Math.max(running, t.score);
        expect(t.bestScore).toBe(running);
      }
    });
  });
}
