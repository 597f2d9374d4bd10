/**
 * Bayesian optimisation over a finite categorical space: a Hamming-kernel GP fitted to everything
 * told so far, and the acquisition maximised over EVERY unevaluated point of the space.
 *
 * Speed: the Hamming distance of every candidate to every observation is kept in a byte matrix
 * that grows by one column per `tell`, so a step costs the GP fit (a few Cholesky factorisations
 * of n×n) plus one triangular solve per candidate, with no kernel re-evaluation.
 */
import { checkInt, checkNumber, checkOneOf, describe } from '../../core/checks';
import type { Rng } from '../../core/rng';
import { SeenArchs, checkRng, checkScore, checkSpace, type Strategy } from '../types';
import type { CategoricalSpace } from '../../spaces/types';
import { eiUnchecked } from './acquisition';
import { GaussianProcess, hammingDistance, type GaussianProcessFit, type GpKernel } from './gp';

/** Options of {@link BayesOpt}. */
export interface BayesOptOptions<A> {
  space: CategoricalSpace<A>;
  /** Random evaluations before the GP takes over (default 5, at least 1). */
  initial?: number;
  /** 'ei' (default): Expected Improvement; 'ucb': the confidence bound μ + κs. */
  acquisition?: 'ei' | 'ucb';
  /** ξ of Expected Improvement (default 0). */
  xi?: number;
  /** κ of the confidence bound (default 2). */
  kappa?: number;
  /** The GP's kernel: 'hamming' (default) or 'onehot' (Matérn 5/2 on the one-hot encoding). */
  kernel?: GpKernel;
  /** Grids handed to the GP's marginal-likelihood fit. */
  lengthscales?: number[];
  noiseRatios?: number[];
}

/**
 * GP-based Bayesian optimisation as an ask/tell strategy (maximising).
 * @example const s = new BayesOpt({ space: nb201Space(), initial: 5 });
 */
export class BayesOpt<A> implements Strategy<A> {
  readonly initial: number;
  readonly acquisition: 'ei' | 'ucb';
  readonly xi: number;
  readonly kappa: number;
  private readonly space: CategoricalSpace<A>;
  private readonly seen: SeenArchs<A>;
  private readonly gpOptions: { kernelType?: GpKernel; lengthscales?: number[]; noiseRatios?: number[] };
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
   * @param opts `{ space, initial = 5, acquisition = 'ei', xi = 0, kappa = 2, kernel = 'hamming', lengthscales?, noiseRatios? }`
   * @throws TypeError/RangeError for a space without candidates/encode, initial < 1, an unknown acquisition, negative xi or kappa, or codes above 255
   */
  constructor(opts: BayesOptOptions<A>) {
    const caller = 'BayesOpt';
    if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { space, ... }, got ${describe(opts)}`);
    this.space = checkSpace<A>(opts.space, caller, true) as CategoricalSpace<A>;
    this.initial = checkInt('initial', opts.initial ?? 5, { min: 1 }, caller);
    this.acquisition = checkOneOf('acquisition', opts.acquisition ?? 'ei', ['ei', 'ucb'] as const, caller);
    this.xi = checkNumber('xi', opts.xi ?? 0, { min: 0 }, caller);
    this.kappa = checkNumber('kappa', opts.kappa ?? 2, { min: 0 }, caller);
    this.gpOptions = { kernelType: opts.kernel, lengthscales: opts.lengthscales, noiseRatios: opts.noiseRatios };
    new GaussianProcess(this.gpOptions); // validates the grids now rather than at the first ask
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
    const n = this.y.length;
    const D = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) D[i * n + j] = D[j * n + i] = hammingDistance(this.X[i], this.X[j]);
    const gp = new GaussianProcess(this.gpOptions);
    gp.fitDistances(this.X, this.dims, D, this.y);
    this.lastFit = gp.fitted();
    const N = this.candidates.length;
    // Two exact ways to the posterior: a triangular solve per candidate (N·n²/2), or Kronecker
    // products over the whole product grid (about 3·d·G·n); take the cheaper.
    const useGrid = gp.kernelType === 'hamming' && 3 * this.dims * this.gridSize < (N * n) / 2 && this.gridSize <= 4_000_000;
    let mean: Float64Array;
    let std: Float64Array;
    if (useGrid) {
      const onGrid = gp.predictGrid(this.radix);
      mean = new Float64Array(N);
      std = new Float64Array(N);
      for (let c = 0; c < N; c++) {
        mean[c] = onGrid.mean[this.gridIndex[c]];
        std[c] = onGrid.std[this.gridIndex[c]];
      }
    } else {
      ({ mean, std } = gp.predictDistances(this.dist, N, this.capacity, this.taken));
    }
    const incumbent = Math.max(...this.y);
    let bestC = -1;
    let bestValue = -Infinity;
    for (let c = 0; c < N; c++) {
      if (this.taken[c] === 1) continue;
      // The unchecked forms: inputs come from the GP (finite, std >= 0) and this loop runs over every candidate.
      const value = this.acquisition === 'ei' ? eiUnchecked(mean[c], std[c], incumbent, this.xi) : mean[c] + this.kappa * std[c];
      if (value > bestValue) {
        bestValue = value;
        bestC = c;
      }
    }
    if (bestC < 0) throw new Error(`${caller}: every candidate of the space has been evaluated (${N})`);
    return bestC;
  }
}
