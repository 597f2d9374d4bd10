/**
 * Supernets: one network whose cell edges are mixed edges over candidate operations, with every
 * candidate's weights held once, as named tf.Variables, and a forward function that walks the
 * network description (network.ts) with the operation table (ops.ts). It serves both one-shot
 * update rules:
 *
 * - DARTS (Liu et al. 2019): `forward(x, training)` computes every mixed edge as
 *   O(x) = Σᵢ softmax(α)ᵢ · Opᵢ(x), with α one trainable vector per edge of the cell (shared by every
 *   cell of the network, as in NAS-Bench-201's DARTS), in the variable group `alpha`;
 * - single-path sampling (SPOS, Guo et al. 2020): `samplePath(rng)` draws one candidate per edge,
 *   uniformly, and `pathForward(path)` runs that plain cell with the supernet's weights. A candidate's
 *   weights are the same tf.Variable on every path that uses it, so what one step learns, the next
 *   path inherits.
 *
 * Any plain cell whose operations the supernet offers is a sub-network: `evaluateSubnet` measures
 * it with the inherited weights, optionally with batch-norm statistics recalibrated on a few
 * training batches (the supernet's moving statistics average over many paths, which can misfit
 * any single one). A sub-network is built exactly as `buildModel` builds the plain cell (its dead
 * edges dropped, see `liveCell`), only with the supernet's weights.
 *
 * Weights are named by where they sit: 'stem/conv0/kernel', 'stage1/cell1/edge2<-0/conv3x3/bn0/gamma',
 * 'classifier/dense0/bias'. Candidates keep their own batch norm (affine, as in plain networks).
 */
import type * as TF from '@tensorflow/tfjs';
import { checkArray, checkOneOf, describe } from '../core/checks';
import { lazyModule } from '../core/lazy';
import { checkRng, type Rng } from '../core/rng';
import { checkCellArch, checkSupernetCell, isMixedEdge, type CellArch, type CellOp, type SupernetCell } from './arch';
import { BN_EPSILON, BN_MOMENTUM, batchNormTraining, movingAverages } from './batchNorm';
import { describeChecked, NETWORK_INPUT, type ModelOptions, type NetOp, type NetworkDescription } from './network';
import { NETWORK_OPS, type Primitives } from './ops';
import { evaluate, type Batch, type Forward, type VariableGroup } from './step';

// tfjs when a supernet is built: the zero-cost proxies import this file, and loading them (as the
// grader's process for their chapter does) should not load tfjs (core/lazy.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = lazyModule((): typeof TF => require('@tensorflow/tfjs'));

/** Options of buildSupernet. */
export interface SupernetOptions extends ModelOptions {
  /** Seeds the weights (drawn in the description's order, as buildModel draws them) and, through rng.child('alpha'), α. */
  rng: Rng;
  /** Standard deviation of α's initial values around 0 (default 1e-3, as DARTS). */
  alphaStd?: number;
}

/** Batch-norm statistics by weight scope (e.g. 'stem/bn0'), replacing the moving ones at evaluation. */
export type BatchNormStats = Map<string, { mean: TF.Tensor; variance: TF.Tensor }>;

/** The key of a cell edge, as α and the derived architecture name it: '2<-0'. */
export function edgeKey(edge: { from: number; to: number }): string {
  return `${edge.to}<-${edge.from}`;
}

/** A variable holding `init`'s values; `init` itself is released (tf.variable keeps its own reference). */
function variableFrom(init: TF.Tensor, trainable: boolean): TF.Variable {
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

/** The trainable and non-trainable variables of a supernet, by name. */
interface SupernetVariables {
  weights: Map<string, TF.Variable>;
  /** Batch norm's moving statistics (not trained by gradients). */
  statistics: Map<string, TF.Variable>;
}

/**
 * Names weights by position: the walker sets the scope before each operation, and each primitive
 * numbers its own kind within the scope ('conv0', 'conv1', 'bn0', ...). The same walk gives the
 * same names whether it creates variables or reads them.
 */
class Scope {
  private base = '';
  private counters = new Map<string, number>();

  enter(scope: string): void {
    this.base = scope;
    this.counters = new Map();
  }

  /** Runs `f` inside a sub-scope (a candidate of a mixed edge), then restores the scope. */
  within<T>(sub: string, f: () => T): T {
    const [base, counters] = [this.base, this.counters];
    this.enter(`${base}/${sub}`);
    try {
      return f();
    } finally {
      this.base = base;
      this.counters = counters;
    }
  }

  next(kind: string): string {
    const i = this.counters.get(kind) ?? 0;
    this.counters.set(kind, i + 1);
    return `${this.base}/${kind}${i}`;
  }
}

/** The weight scope of an operation: its name, and for a cell edge also its operation (so each candidate has its own). */
function scopeOf(op: NetOp): string {
  return op.position?.from !== undefined && op.op !== 'mixed' ? `${op.name}/${op.op}` : op.name;
}

/** Creates every variable of a description with seeded initial values, walking it with shapes for tensors. */
class VariableFactory implements Primitives<number[]> {
  readonly scope = new Scope();
  readonly vars: SupernetVariables = { weights: new Map(), statistics: new Map() };

  constructor(private readonly rng: Rng) {}

  private weight(name: string, init: TF.Tensor): void {
    this.vars.weights.set(name, variableFrom(init, true));
  }

  conv([h, w, c]: number[], filters: number, k: number, s: number): number[] {
    const name = this.scope.next('conv');
    this.weight(`${name}/kernel`, tf.initializers.heNormal({ seed: this.rng.uint32() }).apply([k, k, c, filters]));
    return [Math.ceil(h / s), Math.ceil(w / s), filters];
  }

  bn(x: number[]): number[] {
    const name = this.scope.next('bn');
    const c = x[x.length - 1];
    this.weight(`${name}/gamma`, tf.ones([c]));
    this.weight(`${name}/beta`, tf.zeros([c]));
    this.vars.statistics.set(`${name}/mean`, variableFrom(tf.zeros([c]), false));
    this.vars.statistics.set(`${name}/variance`, variableFrom(tf.ones([c]), false));
    return x;
  }

  relu(x: number[]): number[] {
    return x;
  }

  avgPool([h, w, c]: number[], _size: number, s: number): number[] {
    return [Math.ceil(h / s), Math.ceil(w / s), c];
  }

  globalAvgPool(x: number[]): number[] {
    return [x[x.length - 1]];
  }

  sum(terms: number[][]): number[] {
    return terms[0];
  }

  dense(x: number[], units: number, activation: 'relu' | 'softmax'): number[] {
    const name = this.scope.next('dense');
    const n = x.reduce((a, b) => a * b, 1);
    const seed = this.rng.uint32();
    const init = activation === 'relu' ? tf.initializers.heNormal({ seed }) : tf.initializers.glorotUniform({ seed });
    this.weight(`${name}/kernel`, init.apply([n, units]));
    this.weight(`${name}/bias`, tf.zeros([units]));
    return [units];
  }

  zeroLike(x: number[]): number[] {
    return x;
  }

  mixed(candidates: readonly CellOp[], candidate: (op: CellOp) => number[]): number[] {
    let out: number[] = [];
    for (const c of candidates) out = this.scope.within(c, () => candidate(c));
    return out;
  }
}

/** How a forward pass treats batch norm: batch statistics (training), moving or given statistics, or collecting statistics. */
interface BatchNormMode {
  training: boolean;
  /** Batch norm left out (the identity), as SynFlow scores a network. */
  off?: boolean;
  /** Training-mode normalisation that leaves the moving statistics alone (scores taken at initialisation). */
  frozen?: boolean;
  /** The classifier returns its logits, not softmax probabilities. */
  logits?: boolean;
  /** Inference with these statistics instead of the moving ones (recalibrated). */
  stats?: BatchNormStats;
  /** Recalibration: normalise with batch statistics, add them here, leave the moving statistics alone. */
  collect?: Map<string, { mean: TF.Tensor; variance: TF.Tensor; batches: number }>;
}

/** The operation table's primitives on concrete tensors, reading a supernet's variables. */
class TensorPrimitives implements Primitives<TF.Tensor> {
  readonly scope = new Scope();
  /** The mixed edge being computed (set by the walker), for its α. */
  current: NetOp | null = null;

  constructor(
    private readonly vars: SupernetVariables,
    private readonly alpha: Map<string, TF.Variable>,
    private readonly mode: BatchNormMode,
  ) {}

  private get(name: string): TF.Variable {
    const v = this.vars.weights.get(name);
    if (!v) throw new Error(`Supernet: no weight '${name}' (the sub-network must be one the supernet was built for)`);
    return v;
  }

  conv(x: TF.Tensor, _filters: number, _k: number, s: number): TF.Tensor {
    return tf.conv2d(x as TF.Tensor4D, this.get(`${this.scope.next('conv')}/kernel`) as TF.Tensor4D, s, 'same');
  }

  bn(x: TF.Tensor): TF.Tensor {
    const name = this.scope.next('bn');
    if (this.mode.off) return x;
    const gamma = this.get(`${name}/gamma`);
    const beta = this.get(`${name}/beta`);
    const movingMean = this.vars.statistics.get(`${name}/mean`) as TF.Variable;
    const movingVariance = this.vars.statistics.get(`${name}/variance`) as TF.Variable;
    if (!this.mode.training && !this.mode.collect) {
      const given = this.mode.stats?.get(name);
      return tf.batchNorm(x, given?.mean ?? movingMean, given?.variance ?? movingVariance, beta, gamma, BN_EPSILON);
    }
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, BN_EPSILON);
    const n = x.size / (x.shape[x.shape.length - 1] as number);
    const unbiased = tf.tidy(() => (n > 1 ? tf.mul(variance, n / (n - 1)) : variance.clone()));
    if (this.mode.frozen) {
      // nothing to record
    } else if (this.mode.collect) {
      const seen = this.mode.collect.get(name);
      this.mode.collect.set(name, seen
        ? { mean: tf.keep(tf.add(seen.mean, mean)), variance: tf.keep(tf.add(seen.variance, unbiased)), batches: seen.batches + 1 }
        : { mean: tf.keep(mean.clone()), variance: tf.keep(unbiased.clone()), batches: 1 });
      if (seen) tf.dispose([seen.mean, seen.variance]);
    } else {
      tf.tidy(() => {
        const next = movingAverages(movingMean, movingVariance, mean, variance, n, BN_MOMENTUM);
        movingMean.assign(next.mean);
        movingVariance.assign(next.variance);
      });
    }
    tf.dispose([mean, variance, unbiased]);
    return y;
  }

  relu(x: TF.Tensor): TF.Tensor {
    return tf.relu(x);
  }

  avgPool(x: TF.Tensor, size: number, s: number): TF.Tensor {
    return tf.avgPool(x as TF.Tensor4D, size, s, 'same');
  }

  globalAvgPool(x: TF.Tensor): TF.Tensor {
    return tf.mean(x, [1, 2]);
  }

  sum(terms: TF.Tensor[]): TF.Tensor {
    return terms.slice(1).reduce((acc, t) => tf.add(acc, t), terms[0]);
  }

  dense(x: TF.Tensor, _units: number, activation: 'relu' | 'softmax'): TF.Tensor {
    const name = this.scope.next('dense');
    const z = tf.add(tf.matMul(x, this.get(`${name}/kernel`)), this.get(`${name}/bias`));
    if (activation === 'relu') return tf.relu(z);
    return this.mode.logits ? z : tf.softmax(z);
  }

  zeroLike(x: TF.Tensor): TF.Tensor {
    return tf.zerosLike(x);
  }

  mixed(candidates: readonly CellOp[], candidate: (op: CellOp) => TF.Tensor): TF.Tensor {
    const op = this.current as NetOp;
    const alpha = this.alpha.get(edgeKey(op.position as { from: number; to: number })) as TF.Variable;
    const beta = tf.unstack(tf.softmax(alpha));
    // 'none' adds zeros: its weight is in the softmax, its output is not computed.
    const terms = candidates.flatMap((c, i) => (c === 'none' ? [] : [tf.mul(this.scope.within(c, () => candidate(c)), beta[i])]));
    // An edge of 'none' alone is dead and never described; should one come, it outputs zeros.
    return terms.length === 0 ? candidate('none') : this.sum(terms);
  }
}

/** Walks a description with tensor primitives; returns the network's output. */
function walk(net: NetworkDescription, p: TensorPrimitives, x: TF.Tensor): TF.Tensor {
  const values: TF.Tensor[] = [];
  for (const op of net.ops) {
    p.scope.enter(scopeOf(op));
    p.current = op;
    const inputs = op.inputs.map((i) => (i === NETWORK_INPUT ? x : values[i]));
    values.push(NETWORK_OPS[op.op].build(p, inputs, op));
  }
  return values[values.length - 1];
}

/**
 * A supernet: the weights of every candidate of every mixed edge, α per edge, and forward passes
 * for the whole mixture or one path. Build it with `buildSupernet`; release it with `dispose()`.
 */
export class Supernet {
  /** The description with mixed edges (what `describeNetwork` gives for the supernet cell). */
  readonly description: NetworkDescription;
  /** The cell every stage stacks, with its mixed edges. */
  readonly cell: SupernetCell;
  /** Every trainable weight (convolutions, batch-norm scales and offsets, the classifier): the group a weight step updates. */
  readonly weights: VariableGroup;
  /** α, one variable per mixed edge of the cell in edge order (each of length = its candidates): the group an architecture step updates. */
  readonly alpha: VariableGroup;
  private readonly vars: SupernetVariables;
  private readonly alphaByEdge: Map<string, TF.Variable>;
  private readonly shape: ModelOptions;
  private readonly pathCache = new Map<string, NetworkDescription>();

  /** @internal use buildSupernet */
  constructor(description: NetworkDescription, vars: SupernetVariables, alphaByEdge: Map<string, TF.Variable>, shape: ModelOptions) {
    this.description = description;
    this.cell = description.cell as SupernetCell;
    this.vars = vars;
    this.alphaByEdge = alphaByEdge;
    this.shape = shape;
    this.weights = { name: 'weights', variables: [...vars.weights.values()] };
    this.alpha = { name: 'alpha', variables: [...alphaByEdge.values()] };
  }

  /**
   * The supernet's output for a batch with every mixed edge a softmax(α)-weighted sum of its
   * candidates (DARTS). Training mode normalises with batch statistics and updates the moving ones.
   */
  readonly forward: Forward = (x, training) => tf.tidy(() => walk(this.description, new TensorPrimitives(this.vars, this.alphaByEdge, { training }), x));

  /**
   * The mixture's output with batch norm normalising by each batch's own statistics (as in
   * training) while leaving the moving statistics alone: for passes at temporary weights, such as
   * second-order DARTS's unrolled and perturbed weights, which must not leave a trace.
   */
  readonly forwardBatchStats = (x: TF.Tensor): TF.Tensor => tf.tidy(() => walk(this.description, new TensorPrimitives(this.vars, this.alphaByEdge, { training: true, frozen: true }), x));

  /**
   * The forward function of one path (a plain cell) with the supernet's weights (SPOS's step, or an
   * inherited-weight evaluation).
   * @param path a plain cell whose every edge's operation the supernet offers on that edge
   * @param stats batch-norm statistics to use at inference instead of the moving ones (see recalibrate)
   * @throws TypeError/RangeError for an invalid cell, a different graph, or an operation the supernet lacks on that edge
   */
  pathForward(path: CellArch, stats?: BatchNormStats): Forward {
    const net = this.pathDescription(path, 'Supernet.pathForward');
    return (x, training) => tf.tidy(() => walk(net, new TensorPrimitives(this.vars, this.alphaByEdge, { training, stats }), x));
  }

  /**
   * The logits (pre-softmax outputs) of one path as a function of its input, for scores taken at
   * initialisation such as the zero-cost proxies: batch norm normalises with each batch's own
   * statistics and leaves the moving ones alone ('batch', PyTorch's training mode), or is left out
   * ('off', the identity, as SynFlow requires). Gradients flow to the input and to every weight.
   * @param path a plain cell the supernet offers
   * @param opts batchNorm: 'batch' or 'off'
   * @throws as pathForward, or RangeError for another batchNorm
   * @example const f = sn.pathLogits(cell, { batchNorm: 'off' }); f(tf.ones([1, 8, 8, 1])) // [1, classes]
   */
  pathLogits(path: CellArch, opts: { batchNorm: 'batch' | 'off' }): (x: TF.Tensor) => TF.Tensor {
    const caller = 'Supernet.pathLogits';
    const net = this.pathDescription(path, caller);
    const batchNorm = checkOneOf('opts.batchNorm', opts?.batchNorm, ['batch', 'off'] as const, caller);
    const mode: BatchNormMode = { training: true, frozen: true, off: batchNorm === 'off', logits: true };
    return (x) => tf.tidy(() => walk(net, new TensorPrimitives(this.vars, this.alphaByEdge, mode), x));
  }

  /**
   * A path drawn uniformly: one candidate per mixed edge (a plain edge keeps its operation).
   * @example sn.samplePath(createRng(0)) // { kind: 'cell', nodes: 4, edges: [{ from: 0, to: 1, op: 'conv3x3' }, ...] }
   */
  samplePath(rng: Rng): CellArch {
    checkRng('rng', rng, 'Supernet.samplePath');
    return { kind: 'cell', nodes: this.cell.nodes, edges: this.cell.edges.map((e) => ({ from: e.from, to: e.to, op: isMixedEdge(e) ? rng.choice(e.candidates) : e.op })) };
  }

  /**
   * The current architecture weights softmax(α) per mixed edge, keyed '2<-0', each listed with its candidates.
   * @example sn.architectureWeights()['1<-0'] // { candidates: ['none', 'skip', ...], weights: [0.2, 0.2, ...] }
   */
  architectureWeights(): Record<string, { candidates: CellOp[]; weights: number[] }> {
    const out: Record<string, { candidates: CellOp[]; weights: number[] }> = {};
    for (const e of this.cell.edges) {
      if (!isMixedEdge(e)) continue;
      const a = this.alphaByEdge.get(edgeKey(e)) as TF.Variable;
      const beta = tf.softmax(a);
      out[edgeKey(e)] = { candidates: [...e.candidates], weights: Array.from(beta.dataSync()) };
      beta.dispose();
    }
    return out;
  }

  /** The weight variable of that name ('stage1/cell1/edge1<-0/conv3x3/conv0/kernel'), or undefined. */
  weight(name: string): TF.Variable | undefined {
    return this.vars.weights.get(name);
  }

  /** Names of every trainable weight, in creation order. */
  weightNames(): string[] {
    return [...this.vars.weights.keys()];
  }

  /**
   * The weights one path reads, by name: the same tf.Variable objects as every other path that
   * uses the same candidate on the same edge.
   * @throws as pathForward
   */
  pathWeights(path: CellArch): Map<string, TF.Variable> {
    const net = this.pathDescription(path, 'Supernet.pathWeights');
    const names = new Map<string, TF.Variable>();
    const recorder = new VariableFactory({ uint32: () => 0 } as unknown as Rng);
    // Walk the path with shapes to list the names it creates, then look each up here.
    const shapes: number[][] = [];
    for (const op of net.ops) {
      recorder.scope.enter(scopeOf(op));
      const inputs = op.inputs.map((i) => (i === NETWORK_INPUT ? net.inputShape : shapes[i]));
      shapes.push(NETWORK_OPS[op.op].build(recorder, inputs, op));
    }
    for (const name of recorder.vars.weights.keys()) names.set(name, this.vars.weights.get(name) as TF.Variable);
    for (const v of [...recorder.vars.weights.values(), ...recorder.vars.statistics.values()]) v.dispose();
    return names;
  }

  /**
   * Batch-norm statistics of one path recomputed on a few training batches (the mean of the batch
   * means and of the unbiased batch variances, as PyTorch's cumulative average), leaving the
   * supernet's own moving statistics untouched. Pass them to pathForward or evaluateSubnet.
   * @param path a plain cell the supernet offers
   * @param batches training batches (inputs only are used)
   * @throws TypeError/RangeError for an invalid path or an empty batch list
   */
  recalibrate(path: CellArch, batches: readonly Batch[]): BatchNormStats {
    const caller = 'Supernet.recalibrate';
    const net = this.pathDescription(path, caller);
    checkArray('batches', batches, { minLength: 1 }, caller);
    const collect = new Map<string, { mean: TF.Tensor; variance: TF.Tensor; batches: number }>();
    for (const b of batches) tf.tidy(() => void walk(net, new TensorPrimitives(this.vars, this.alphaByEdge, { training: true, collect }), b.x));
    const stats: BatchNormStats = new Map();
    for (const [name, s] of collect) {
      stats.set(name, { mean: tf.keep(tf.div(s.mean, s.batches)), variance: tf.keep(tf.div(s.variance, s.batches)) });
      tf.dispose([s.mean, s.variance]);
    }
    return stats;
  }

  /**
   * Mean loss and accuracy of a sub-network with the supernet's (inherited) weights, in inference
   * mode, with the moving batch-norm statistics or, given `recalibrate`, statistics recomputed on those batches.
   * @param path a plain cell the supernet offers
   * @param x inputs; @param y one-hot labels
   * @param opts recalibrate: training batches for batch-norm recalibration
   * @throws as pathForward and recalibrate
   * @example await sn.evaluateSubnet(cell, val.x, val.y, { recalibrate: trainBatches.slice(0, 4) }) // { loss, accuracy }
   */
  async evaluateSubnet(path: CellArch, x: TF.Tensor, y: TF.Tensor, opts: { recalibrate?: readonly Batch[] } = {}): Promise<{ loss: number; accuracy: number }> {
    const stats = opts.recalibrate ? this.recalibrate(path, opts.recalibrate) : undefined;
    try {
      return await evaluate(this.pathForward(path, stats), x, y);
    } finally {
      if (stats) for (const s of stats.values()) tf.dispose([s.mean, s.variance]);
    }
  }

  /** Releases every variable. */
  dispose(): void {
    for (const v of [...this.vars.weights.values(), ...this.vars.statistics.values(), ...this.alphaByEdge.values()]) v.dispose();
  }

  /** The plain description of a path, after checking that the supernet offers it. */
  private pathDescription(path: CellArch, caller: string): NetworkDescription {
    checkCellArch(path, caller);
    const key = JSON.stringify(path.edges.map((e) => [e.from, e.to, e.op]).sort()) + path.nodes;
    const cached = this.pathCache.get(key);
    if (cached) return cached;
    checkPathInSupernet(this.cell, path, caller);
    const net = describeChecked(path, this.shape, caller);
    this.pathCache.set(key, net);
    return net;
  }
}

/** A path must have the supernet cell's nodes and edges, each with an operation that edge offers. */
function checkPathInSupernet(cell: SupernetCell, path: CellArch, caller: string): void {
  const offered = new Map(cell.edges.map((e) => [edgeKey(e), isMixedEdge(e) ? e.candidates : [e.op]]));
  if (path.nodes !== cell.nodes || path.edges.length !== cell.edges.length) {
    throw new RangeError(`${caller}: 'path' must have the supernet cell's ${cell.nodes} nodes and ${cell.edges.length} edges, got ${path.nodes} nodes and ${path.edges.length} edges`);
  }
  for (const e of path.edges) {
    const ops = offered.get(edgeKey(e));
    if (!ops) throw new RangeError(`${caller}: 'path' has edge ${edgeKey(e)}, which the supernet cell lacks`);
    if (!ops.includes(e.op)) {
      throw new RangeError(`${caller}: 'path' uses '${e.op}' on edge ${edgeKey(e)}, which the supernet lacks there (it offers ${ops.join(', ')})`);
    }
  }
}

/**
 * A supernet for a cell with mixed edges (see withCandidates) stacked as a network: the weights of
 * every candidate, seeded, and α per mixed edge, drawn from N(0, alphaStd²).
 * @param cell a supernet cell (plain edges allowed: they keep one operation)
 * @param opts inputShape, numClasses, the network options (channels, cellsPerStage, stages), rng, alphaStd (1e-3)
 * @throws TypeError/RangeError for an invalid cell (e.g. a mixed edge with no candidates, an unknown operation) or option
 * @example const sn = buildSupernet(withCandidates(cell), { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2, rng: createRng(0) });
 * trainStep(sn.forward, new GroupOptimizer(sn.alpha, { kind: 'adam', learningRate: 3e-4 }), validationBatch)
 */
export function buildSupernet(cell: SupernetCell, opts: SupernetOptions): Supernet {
  const caller = 'buildSupernet';
  checkSupernetCell(cell, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { inputShape, numClasses, rng, ... }, got ${describe(opts)}`);
  const description = describeChecked(cell, opts, caller);
  const rng = checkRng('opts.rng', opts.rng, caller);
  const alphaStd = opts.alphaStd ?? 1e-3;
  if (typeof alphaStd !== 'number' || !(alphaStd >= 0) || !Number.isFinite(alphaStd)) {
    throw new RangeError(`${caller}: 'opts.alphaStd' must be a finite number >= 0, got ${describe(alphaStd)}`);
  }
  const factory = new VariableFactory(rng);
  const shapes: number[][] = [];
  for (const op of description.ops) {
    factory.scope.enter(scopeOf(op));
    const inputs = op.inputs.map((i) => (i === NETWORK_INPUT ? description.inputShape : shapes[i]));
    shapes.push(NETWORK_OPS[op.op].build(factory, inputs, op));
  }
  const alphaRng = rng.child('alpha');
  const alpha = new Map<string, TF.Variable>();
  for (const e of cell.edges) {
    if (!isMixedEdge(e)) continue;
    alpha.set(edgeKey(e), variableFrom(tf.tensor1d(e.candidates.map(() => alphaRng.normal(0, alphaStd))), true));
  }
  const shape: ModelOptions = { inputShape: description.inputShape, numClasses: description.numClasses, ...(description.network ?? {}) };
  return new Supernet(description, factory.vars, alpha, shape);
}

/**
 * The plain cell a supernet's α points at: on each mixed edge the candidate of largest weight,
 * optionally never one of `exclude` (e.g. ['none'], the usual NAS-Bench-201 rule).
 * @param sn the supernet
 * @param opts exclude: operations never chosen (an edge offering only those keeps its best one)
 * @example argmaxCell(sn, { exclude: ['none'] }) // { kind: 'cell', nodes: 4, edges: [...] }
 */
export function argmaxCell(sn: Supernet, opts: { exclude?: readonly CellOp[] } = {}): CellArch {
  const exclude = new Set(opts.exclude ?? []);
  const weights = sn.architectureWeights();
  return {
    kind: 'cell',
    nodes: sn.cell.nodes,
    edges: sn.cell.edges.map((e) => {
      if (!isMixedEdge(e)) return { from: e.from, to: e.to, op: e.op };
      const { candidates, weights: w } = weights[edgeKey(e)];
      const allowed = candidates.map((c, i) => i).filter((i) => !exclude.has(candidates[i]));
      const pool = allowed.length > 0 ? allowed : candidates.map((_, i) => i);
      const best = pool.reduce((b, i) => (w[i] > w[b] ? i : b), pool[0]);
      return { from: e.from, to: e.to, op: candidates[best] };
    }),
  };
}
