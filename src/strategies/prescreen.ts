/**
 * Zero-cost proxies inside a search (Abdelfattah et al., ICLR 2021, §5): a proxy costs one
 * forward/backward pass, a real evaluation costs a training run, so score a large pool of
 * architectures with the proxy and spend evaluations on its best ones first. Two uses, one wrapper:
 *
 * - pre-screened random search: evaluate the pool's architectures in the proxy's order (inner
 *   strategy: random search, reached only when the pre-screened ones are used up);
 * - warm start ("warmup" in the paper): regularized evolution whose initial population is the
 *   proxy's top P of the pool instead of P random architectures; the evolution then runs unchanged.
 *
 * The wrapper hands the first `prescreened` asks to the pool's best by proxy, and every tell to the
 * inner strategy, which takes over from there knowing everything evaluated. Evaluations are counted
 * as usual; the proxy's cost is `pool` proxy scores per run, reported apart (`proxyEvaluations`).
 */
import { checkFunction, checkInt, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import type { SearchSpace, Sampleable } from '../spaces/types';
import { evaluationsToTarget, type HittingSummary } from './compare';
import { RegularizedEvolution } from './evolution/regularized';
import { RandomSearch } from './random';
import { checkRng, checkSpace, type Strategy } from './types';

/** Options of {@link ProxyPrescreen}. */
export interface ProxyPrescreenOptions<A> {
  /** Where the pool is drawn from (uniformly, without repeats by key). */
  space: Sampleable<A>;
  /** The strategy that proposes once the pre-screened architectures are used up; it is told every evaluation. */
  inner: Strategy<A>;
  /** The zero-cost score of an architecture, larger is better; null (or −∞, NaN) where undefined, ranked last. */
  proxy: (arch: A) => number | null;
  /** How many architectures the proxy scores (at most the space's size). */
  pool: number;
  /** How many of the pool's best are evaluated first, in the proxy's order (1..pool). */
  prescreened: number;
}

/**
 * A strategy whose first asks are a proxy's best picks from a random pool, then an inner strategy's.
 * @example new ProxyPrescreen({ space, inner: new RegularizedEvolution({ space, population: 10 }), proxy: synflowOf, pool: 3000, prescreened: 10 }) // warm-started evolution
 * @example new ProxyPrescreen({ space, inner: new RandomSearch({ space }), proxy: synflowOf, pool: 3000, prescreened: 3000 }) // pre-screened random search
 */
export class ProxyPrescreen<A> implements Strategy<A> {
  readonly pool: number;
  readonly prescreened: number;
  private readonly space: Sampleable<A>;
  private readonly inner: Strategy<A>;
  private readonly proxy: (arch: A) => number | null;
  private ranked: A[] | null = null;
  private asked = 0;

  /**
   * @param opts `{ space, inner, proxy, pool, prescreened }`
   * @throws TypeError/RangeError for a space that cannot sample, an inner object that is not a strategy, a proxy that is not a function, pool < 1, or prescreened outside 1..pool
   */
  constructor(opts: ProxyPrescreenOptions<A>) {
    const caller = 'ProxyPrescreen';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, inner, proxy, pool, prescreened }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller);
    const inner = opts.inner as unknown as Record<string, unknown>;
    if (typeof inner !== 'object' || inner === null || typeof inner.ask !== 'function' || typeof inner.tell !== 'function' || typeof inner.best !== 'function') {
      throw new TypeError(`${caller}: 'inner' must be a strategy (ask, tell, best), got ${describe(opts.inner)}`);
    }
    this.inner = opts.inner;
    this.proxy = checkFunction('proxy', opts.proxy, caller) as (arch: A) => number | null;
    this.pool = checkInt('pool', opts.pool, { min: 1 }, caller);
    this.prescreened = checkInt('prescreened', opts.prescreened, { min: 1, max: this.pool }, caller);
  }

  /** Proxy scores spent so far: the whole pool once the first ask has drawn it, else 0. */
  get proxyEvaluations(): number {
    return this.ranked === null ? 0 : this.pool;
  }

  ask(rng: Rng): A {
    checkRng(rng, 'ProxyPrescreen.ask');
    if (this.asked >= this.prescreened) return this.inner.ask(rng);
    this.ranked ??= this.rankPool(rng);
    return this.ranked[this.asked++];
  }

  tell(arch: A, score: number): void {
    this.inner.tell(arch, score);
  }

  best(): { arch: A; score: number } | null {
    return this.inner.best();
  }

  /** Draws the pool without repeats and orders it by the proxy, best first (draw order breaks ties). */
  private rankPool(rng: Rng): A[] {
    const keys = new Set<string>();
    const pool: { arch: A; score: number }[] = [];
    let tries = 0;
    while (pool.length < this.pool) {
      if (++tries > 1000 * this.pool) throw new RangeError(`ProxyPrescreen.ask: could not draw ${this.pool} distinct architectures (got ${pool.length}); is 'pool' larger than the space?`);
      const arch = this.space.sample(rng);
      const key = this.space.key(arch);
      if (keys.has(key)) continue;
      keys.add(key);
      const s = this.proxy(arch);
      pool.push({ arch, score: typeof s === 'number' && !Number.isNaN(s) ? s : -Infinity });
    }
    const order = pool.map((_, i) => i).sort((a, b) => pool[b].score - pool[a].score || a - b);
    const ranked = order.map((i) => pool[i].arch);
    ranked.length = this.prescreened;
    return ranked;
  }
}

/** Options of {@link proxySearchComparison}. */
export interface ProxySearchComparisonOptions<A> {
  /** A space that samples and offers neighbours (regularized evolution mutates). */
  space: SearchSpace<A>;
  /** The evaluation: a table look-up, maximised. */
  objective: (arch: A) => number;
  /** Named zero-cost proxies, e.g. { synflow, params }. */
  proxies: Readonly<Record<string, (arch: A) => number | null>>;
  /** The score a run must reach (e.g. the top 1% threshold), within `budget` evaluations, over `seeds` runs. */
  threshold: number;
  budget: number;
  seeds: number;
  /** Architectures each run scores with the proxy (default 1000). */
  pool?: number;
  /** Regularized evolution's P and S (default 10 and 3). */
  population?: number;
  sample?: number;
  /** Default 'prescreen'. */
  seedPrefix?: string;
}

/** One strategy of {@link proxySearchComparison}: evaluations to the target, and proxy scores spent per run. */
export interface ProxySearchResult {
  name: string;
  /** 'none' for the strategies without a proxy. */
  proxy: string;
  hit: HittingSummary;
  proxyEvaluations: number;
}

/**
 * Random search and regularized evolution (Real et al. 2019), each without a proxy and with each
 * proxy (pre-screened random search: the pool evaluated in the proxy's order; warm-started
 * evolution: the proxy's top P as the initial population), over the same seeds: evaluations until
 * the target is reached.
 * @throws TypeError/RangeError for bad options (as evaluationsToTarget, ProxyPrescreen and RegularizedEvolution)
 * @example proxySearchComparison({ space: nb201Space(), objective, proxies: { synflow }, threshold, budget: 300, seeds: 50, pool: 1000 })
 */
export function proxySearchComparison<A>(opts: ProxySearchComparisonOptions<A>): ProxySearchResult[] {
  const caller = 'proxySearchComparison';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, objective, proxies, threshold, budget, seeds }, got ${describe(opts)}`);
  const { space, objective } = opts;
  if (typeof opts.proxies !== 'object' || opts.proxies === null) throw new TypeError(`${caller}: 'opts.proxies' must map names to proxy functions, got ${describe(opts.proxies)}`);
  const pool = checkInt('opts.pool', opts.pool ?? 1000, { min: 1 }, caller);
  const population = opts.population ?? 10;
  const sample = opts.sample ?? 3;
  const evolution = (): Strategy<A> => new RegularizedEvolution<A>({ space, population, sample });
  const makers: [string, string, () => Strategy<A>][] = [
    ['random', 'none', () => new RandomSearch({ space })],
    ['regularized evolution', 'none', evolution],
  ];
  for (const [p, proxy] of Object.entries(opts.proxies)) {
    makers.push([`random, pre-screened by ${p}`, p, () => new ProxyPrescreen({ space, inner: new RandomSearch({ space }), proxy, pool, prescreened: pool })]);
    makers.push([`evolution warm-started by ${p}`, p, () => new ProxyPrescreen({ space, inner: evolution(), proxy, pool, prescreened: population })]);
  }
  const target = { threshold: opts.threshold, budget: opts.budget, seeds: opts.seeds, seedPrefix: opts.seedPrefix ?? 'prescreen' };
  return makers.map(([name, proxy, make]) => ({ name, proxy, hit: evaluationsToTarget(make, objective, target), proxyEvaluations: proxy === 'none' ? 0 : pool }));
}
