import { describe, expect, it } from 'vitest';
import { loadNasBench201 } from '../../src/benchmarks';
import { createRng } from '../../src/core/rng';
import { nb201Space } from '../../src/spaces';
import { nb201Index, type Nb201Cell } from '../../src/spaces/nb201';
import { topThreshold } from '../../src/strategies/compare';
import { RegularizedEvolution } from '../../src/strategies/evolution/regularized';
import { ProxyPrescreen, proxySearchComparison } from '../../src/strategies/prescreen';
import { RandomSearch } from '../../src/strategies/random';

const table = loadNasBench201();
const space = nb201Space();
const objective = (c: Nb201Cell): number => table.query(c, { dataset: 'cifar10', split: 'val' });
const { threshold } = topThreshold(space.candidates().map(objective), 0.01);

describe('ProxyPrescreen', () => {
  it("asks the pool's best in the proxy's order, tells the inner strategy everything, then lets it propose", () => {
    const inner = new RegularizedEvolution({ space, population: 4, sample: 2 });
    const proxy = (c: Nb201Cell): number | null => (nb201Index(c) % 7 === 0 ? null : -nb201Index(c)); // smallest index first, multiples of 7 last
    const s = new ProxyPrescreen({ space, inner, proxy, pool: 50, prescreened: 4 });
    expect(s.proxyEvaluations).toBe(0);
    const rng = createRng(1);
    const first = Array.from({ length: 4 }, () => s.ask(rng));
    expect(s.proxyEvaluations).toBe(50);
    const idx = first.map(nb201Index);
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
    expect(idx.every((i) => i % 7 !== 0)).toBe(true);
    first.forEach((c) => s.tell(c, objective(c)));
    expect(inner.population().map((m) => nb201Index(m.arch))).toEqual(idx); // the warm start is the initial population
    const child = s.ask(rng); // evolution now: a neighbour of a member
    expect(first.some((p) => space.neighbours(p).some((n) => nb201Index(n) === nb201Index(child)))).toBe(true);
    expect(s.best()?.score).toBe(Math.max(...first.map(objective)));
  });

  it('with the objective itself as proxy, reaches the top 1% on its first evaluation; with its opposite, never within 20', () => {
    const hits = (proxy: (c: Nb201Cell) => number) => {
      const s = new ProxyPrescreen({ space, inner: new RandomSearch({ space }), proxy, pool: 1000, prescreened: 1000 });
      const rng = createRng('x');
      for (let t = 1; t <= 20; t++) {
        const c = s.ask(rng);
        s.tell(c, objective(c));
        if (objective(c) >= threshold) return t;
      }
      return null;
    };
    expect(hits(objective)).toBe(1);
    expect(hits((c) => -objective(c))).toBeNull();
  });

  it('names bad options', () => {
    const inner = new RandomSearch({ space });
    expect(() => new ProxyPrescreen({ space, inner, proxy: objective, pool: 10, prescreened: 11 })).toThrow(/'prescreened'/);
    expect(() => new ProxyPrescreen({ space, inner, proxy: 3 as never, pool: 10, prescreened: 1 })).toThrow(/'proxy'/);
    expect(() => new ProxyPrescreen({ space, inner: {} as never, proxy: objective, pool: 10, prescreened: 1 })).toThrow(/'inner'/);
    const small = new ProxyPrescreen({ space: { sample: () => 'a', key: (a: string) => a }, inner: { ask: () => 'a', tell: () => undefined, best: () => null }, proxy: () => 1, pool: 2, prescreened: 1 });
    expect(() => small.ask(createRng(1))).toThrow(/could not draw 2 distinct/);
  });
});

describe('proxySearchComparison', () => {
  it('a proxy that is the objective beats the same strategies without it; the result lists every strategy', () => {
    const results = proxySearchComparison({ space, objective, proxies: { oracle: objective }, threshold, budget: 150, seeds: 10, pool: 300 });
    expect(results.map((r) => r.name)).toEqual(['random', 'regularized evolution', 'random, pre-screened by oracle', 'evolution warm-started by oracle']);
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['random, pre-screened by oracle'].hit.median).toBeLessThan(byName.random.hit.median);
    expect(byName['evolution warm-started by oracle'].hit.median).toBeLessThan(byName['regularized evolution'].hit.median);
    expect(byName['random, pre-screened by oracle'].proxyEvaluations).toBe(300);
    expect(byName.random.proxyEvaluations).toBe(0);
  }, 60_000);
});
