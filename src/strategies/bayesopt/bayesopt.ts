/**
 * Bayesian optimisation over a finite categorical space: a Hamming-kernel GP fitted to everything
 * told so far, and the acquisition maximised over EVERY unevaluated point of the space.
 *
 * Speed: the Hamming distance of every candidate to every observation is kept in a byte matrix
 * that grows by one column per `tell`, so a step costs the GP fit (a few Cholesky factorisations
 * of n×n) plus one triangular solve per candidate, with no kernel re-evaluation.
 */
import { checkInt, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { SeenArchs, checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { Enumerable, Sampleable } from '../../spaces/types';
import { eiAcquisition, ucbAcquisition, type Acquisition } from './acquisition';
import { gpSettings } from './gp';
import { gridPosterior } from './gridPosterior';
import { pairwiseHamming, type GpKernel } from './kernels';
import { fitPosterior, posteriorAtDistances, type GaussianProcessFit, type GpSettings } from './posterior';

/** Options of {@link BayesOpt}. */
export interface BayesOptOptions<A> {
  space: Sampleable<A> & Enumerable<A>;
  /** Random evaluations before the GP takes over (default 5, at least 1). */
  initial?: number;
  /**
   * What a candidate is worth, from its posterior mean, standard deviation and the best score so
   * far (default `eiAcquisition()`, Expected Improvement). 'ei' and 'ucb' are short for
   * `eiAcquisition()` and `ucbAcquisition()` (κ = 2).
   */
  acquisition?: Acquisition | 'ei' | 'ucb';
  /** The GP's kernel: 'hamming' (default) or 'onehot' (Matérn 5/2 on the one-hot encoding). */
  kernel?: GpKernel;
  /** Bounds handed to the GP's marginal-likelihood fit (see GaussianProcessOptions). */
  lengthscaleBounds?: [number, number];
  noiseRatioBounds?: [number, number];
}

/**
 * GP-based Bayesian optimisation as an ask/tell strategy (maximising).
 * @example const s = new BayesOpt({ space: nb201Space(), initial: 5 });
 */
export class BayesOpt<A> implements Strategy<A> {
  readonly initial: number;
  readonly acquisition: Acquisition;
  private readonly space: Sampleable<A> & Enumerable<A>;
  private readonly seen: SeenArchs<A>;
  private readonly gp: GpSettings;
  private readonly candidates: A[];
  private readonly indexOfKey = new Map<string, number>();
  private readonly dims: number;
  private readonly codes: Uint8Array;
  /** 1 for a candidate already asked or told. */
  private readonly taken: Uint8Array;
  /** dist[c·capacity + i]: Hamming distance of candidate c to observation i. */
  private dist: Uint8Array;
  private capacity = 16;
  private readonly X: number[][] = [];
  private readonly y: number[] = [];
  private lastFit: GaussianProcessFit | null = null;
  /** Categories per coordinate, and each candidate's position on that product grid. */
  private readonly radix: number[];
  private readonly gridSize: number;
  private readonly gridIndex: Int32Array;

  /**
   * @param opts `{ space, initial = 5, acquisition = eiAcquisition(), kernel = 'hamming', lengthscaleBounds?, noiseRatioBounds? }`
   * @throws TypeError/RangeError for a space without candidates/encode, initial < 1, an acquisition that is not a function (or 'ei'/'ucb'), bad GP bounds, or codes above 255
   */
  constructor(opts: BayesOptOptions<A>) {
    const caller = 'BayesOpt';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, ... }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller, ['candidates']) as Sampleable<A> & Enumerable<A>;
    this.initial = checkInt('initial', opts.initial ?? 5, { min: 1 }, caller);
    this.acquisition = checkAcquisition(opts.acquisition ?? 'ei', caller);
    this.gp = gpSettings({ kernelType: opts.kernel, lengthscaleBounds: opts.lengthscaleBounds, noiseRatioBounds: opts.noiseRatioBounds }, caller);
    this.seen = new SeenArchs(this.space);
    this.candidates = this.space.candidates();
    if (this.candidates.length === 0) throw new RangeError(`${caller}: 'space' must have at least one candidate`);
    this.dims = this.space.encode(this.candidates[0]).length;
    this.codes = new Uint8Array(this.candidates.length * this.dims);
    this.candidates.forEach((a, c) => {
      this.indexOfKey.set(this.space.key(a), c);
      this.space.encode(a).forEach((v, e) => {
        if (!Number.isInteger(v) || v < 0 || v > 255) throw new RangeError(`${caller}: space.encode must give integers in 0..255, got ${describe(v)}`);
        this.codes[c * this.dims + e] = v;
      });
    });
    this.taken = new Uint8Array(this.candidates.length);
    this.radix = new Array<number>(this.dims).fill(1);
    for (let i = 0; i < this.codes.length; i++) this.radix[i % this.dims] = Math.max(this.radix[i % this.dims], this.codes[i] + 1);
    this.gridSize = this.radix.reduce((a, b) => a * b, 1);
    this.gridIndex = new Int32Array(this.candidates.length);
    for (let c = 0; c < this.candidates.length; c++) {
      let g = 0;
      for (let e = 0; e < this.dims; e++) g = g * this.radix[e] + this.codes[c * this.dims + e];
      this.gridIndex[c] = g;
    }
    this.dist = new Uint8Array(this.candidates.length * this.capacity);
  }

  ask(rng: Rng): A {
    const caller = 'BayesOpt.ask';
    checkRng(rng, caller);
    const a = this.y.length < this.initial ? this.seen.sampleUnseen(rng, caller) : this.candidates[this.argmaxAcquisition(caller)];
    this.markTaken(a);
    return a;
  }

  tell(arch: A, score: number): void {
    checkScore(score, 'BayesOpt.tell');
    this.seen.record(arch, score);
    this.markTaken(arch);
    const x = this.space.encode(arch);
    const n = this.y.length;
    if (n === this.capacity) this.grow();
    const N = this.candidates.length;
    const d = this.dims;
    for (let c = 0; c < N; c++) {
      let h = 0;
      for (let e = 0; e < d; e++) if (this.codes[c * d + e] !== x[e]) h++;
      this.dist[c * this.capacity + n] = h;
    }
    this.X.push(x);
    this.y.push(score);
  }

  best(): { arch: A; score: number } | null {
    return this.seen.best();
  }

  /** The GP hyper-parameters chosen at the last model-based ask (null before). */
  lastModel(): GaussianProcessFit | null {
    return this.lastFit === null ? null : { ...this.lastFit };
  }

  private markTaken(a: A): void {
    this.seen.add(a);
    const c = this.indexOfKey.get(this.space.key(a));
    if (c !== undefined) this.taken[c] = 1;
  }

  private grow(): void {
    const N = this.candidates.length;
    const wider = new Uint8Array(N * this.capacity * 2);
    for (let c = 0; c < N; c++) wider.set(this.dist.subarray(c * this.capacity, (c + 1) * this.capacity), c * this.capacity * 2);
    this.dist = wider;
    this.capacity *= 2;
  }

  private argmaxAcquisition(caller: string): number {
    // Each refit starts from the last one: one more observation moves the optimum only a little.
    const start = this.lastFit === null ? undefined : { lengthscale: this.lastFit.lengthscale, noiseRatio: this.lastFit.noise / this.lastFit.variance };
    const post = fitPosterior(this.X, this.dims, pairwiseHamming(this.X), this.y, { ...this.gp, start });
    this.lastFit = { ...post.fit };
    const N = this.candidates.length;
    const n = this.y.length;
    // Two exact ways to the posterior: a triangular solve per candidate (N·n²/2), or Kronecker
    // products over the whole product grid (about 3·d·G·n); take the cheaper.
    const useGrid = post.kernelType === 'hamming' && 3 * this.dims * this.gridSize < (N * n) / 2 && this.gridSize <= 4_000_000;
    let mean: Float64Array;
    let std: Float64Array;
    if (useGrid) {
      const onGrid = gridPosterior(post, this.radix);
      mean = new Float64Array(N);
      std = new Float64Array(N);
      for (let c = 0; c < N; c++) {
        mean[c] = onGrid.mean[this.gridIndex[c]];
        std[c] = onGrid.std[this.gridIndex[c]];
      }
    } else {
      ({ mean, std } = posteriorAtDistances(post, this.dist, N, this.capacity, this.taken));
    }
    const incumbent = Math.max(...this.y);
    let bestC = -1;
    let bestValue = -Infinity;
    for (let c = 0; c < N; c++) {
      if (this.taken[c] === 1) continue;
      const value = this.acquisition(mean[c], std[c], incumbent);
      if (Number.isNaN(value)) throw new TypeError(`${caller}: 'acquisition' returned NaN for mean ${mean[c]}, std ${std[c]}, best ${incumbent}`);
      if (value > bestValue) {
        bestValue = value;
        bestC = c;
      }
    }
    if (bestC < 0) throw new Error(`${caller}: every candidate of the space has been evaluated (${N})`);
    return bestC;
  }
}

function checkAcquisition(a: unknown, caller: string): Acquisition {
  if (a === 'ei') return eiAcquisition();
  if (a === 'ucb') return ucbAcquisition();
  if (typeof a !== 'function') throw new TypeError(`${caller}: 'acquisition' must be a function (mean, std, best) => number, or 'ei' or 'ucb', got ${describe(a)}`);
  return a as Acquisition;
}
