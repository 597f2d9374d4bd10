/**
 * The per-operation latency model ℓ = a·M + b·S + c: M the operation's multiply-accumulates
 * (compute), S its output size in values (memory traffic), c a fixed cost per call (dispatch,
 * kernel launch). Fitted by ordinary least squares to measured operations, once over all of them
 * (the global model) and once per operation type, each reported with its residuals; a network's
 * latency then follows from its description by summing (or depth-maxing) the predicted ops.
 *
 * Some columns are not identifiable for some operations: a skip has M = 0 always, and a 3x3
 * average pool has M = 9·S exactly. The solver orthogonalises the columns in the order
 * [1, S, M] (modified Gram-Schmidt on columns scaled to unit length) and drops a column that
 * adds nothing new, giving it the coefficient 0 and listing it in `dropped`: the average pool's
 * compute is then carried by b.
 */
import { checkArray, checkNumber, checkString, describe } from '../../core/checks';

/** One measured operation. */
export interface LatencySample {
  /** Its type ('conv3x3', 'stem', ...): per-type models are fitted by this key. */
  op: string;
  /** Multiply-accumulates per example, times the batch the time was measured at if you prefer per-batch counts. */
  macs: number;
  /** Output values per example. */
  outputSize: number;
  /** Measured time (milliseconds). */
  ms: number;
}

/** ℓ = a·M + b·S + c, with how well it fits its samples. */
export interface LinearLatencyModel {
  /** Milliseconds per multiply-accumulate. */
  a: number;
  /** Milliseconds per output value. */
  b: number;
  /** Milliseconds per call. */
  c: number;
  /** Columns the samples could not identify (coefficient fixed at 0). */
  dropped: ('macs' | 'outputSize')[];
  /** Samples fitted. */
  n: number;
  /** measured − predicted, in the samples' order. */
  residuals: number[];
  /** Root mean squared residual. */
  rmse: number;
  /** 1 − SS_res/SS_tot (1 when the times are all equal and fitted exactly). */
  r2: number;
}

/** A fitted latency model: one global fit and one per operation type. */
export interface LatencyModel {
  global: LinearLatencyModel;
  perOp: Record<string, LinearLatencyModel>;
}

const UNKNOWNS = 3;

function checkSamples(samples: unknown, caller: string): LatencySample[] {
  const list = checkArray<Record<string, unknown>>('samples', samples, {}, caller);
  list.forEach((s, i) => {
    if (typeof s !== 'object' || s === null) throw new TypeError(`${caller}: 'samples[${i}]' must be { op, macs, outputSize, ms }, got ${describe(s)}`);
    checkString(`samples[${i}].op`, s.op, caller);
    checkNumber(`samples[${i}].macs`, s.macs, { min: 0 }, caller);
    checkNumber(`samples[${i}].outputSize`, s.outputSize, { min: 0 }, caller);
    checkNumber(`samples[${i}].ms`, s.ms, { min: 0 }, caller);
  });
  return list as unknown as LatencySample[];
}

function checkEnough(n: number, what: string, caller: string): void {
  if (n < UNKNOWNS) {
    throw new RangeError(`${caller}: ${what} must hold at least ${UNKNOWNS} measurements to fit the ${UNKNOWNS} unknowns a, b, c, got ${n}`);
  }
}

/**
 * Fits ℓ = a·M + b·S + c to measured operations by least squares.
 * @param samples at least 3 measurements { op, macs, outputSize, ms } (macs, outputSize, ms >= 0)
 * @throws RangeError with fewer measurements than unknowns (3); TypeError/RangeError naming a bad field
 * @example fitLinearLatency([{ op: 'x', macs: 0, outputSize: 1, ms: 1 }, { op: 'x', macs: 10, outputSize: 1, ms: 2 }, { op: 'x', macs: 0, outputSize: 3, ms: 2 }])
 * // { a: 0.1, b: 0.5, c: 0.5, ... } up to rounding
 */
export function fitLinearLatency(samples: readonly LatencySample[]): LinearLatencyModel {
  const caller = 'fitLinearLatency';
  const list = checkSamples(samples, caller);
  checkEnough(list.length, "'samples'", caller);
  return leastSquares(list);
}

/**
 * Fits the global model over every sample and one model per operation type.
 * @param samples measurements of several operation types, at least 3 of each type
 * @throws RangeError when a type has fewer measurements than unknowns (3), naming the type
 * @example fitLatencyModel(samples).perOp.conv3x3.a // milliseconds per MAC of a 3x3 convolution
 */
export function fitLatencyModel(samples: readonly LatencySample[]): LatencyModel {
  const caller = 'fitLatencyModel';
  const list = checkSamples(samples, caller);
  checkEnough(list.length, "'samples'", caller);
  const byOp = new Map<string, LatencySample[]>();
  for (const s of list) byOp.set(s.op, [...(byOp.get(s.op) ?? []), s]);
  const perOp: Record<string, LinearLatencyModel> = {};
  for (const [op, group] of [...byOp.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    checkEnough(group.length, `'samples' of op '${op}'`, caller);
    perOp[op] = leastSquares(group);
  }
  return { global: leastSquares(list), perOp };
}

/**
 * A model's prediction for one operation: ℓ = a·M + b·S + c.
 * @param model a fitted model (or any { a, b, c })
 * @param op the operation's multiply-accumulates and output size
 * @throws TypeError/RangeError for a non-finite or negative count
 * @example predictOpLatency({ a: 0.1, b: 0.5, c: 0.5 }, { macs: 10, outputSize: 2 }) // 2.5
 */
export function predictOpLatency(model: Pick<LinearLatencyModel, 'a' | 'b' | 'c'>, op: { macs: number; outputSize: number }): number {
  const caller = 'predictOpLatency';
  if (typeof model !== 'object' || model === null) throw new TypeError(`${caller}: 'model' must be { a, b, c }, got ${describe(model)}`);
  const macs = checkNumber('op.macs', op?.macs, { min: 0 }, caller);
  const size = checkNumber('op.outputSize', op?.outputSize, { min: 0 }, caller);
  return model.a * macs + model.b * size + model.c;
}

/** Least squares on the columns [1, S, M] with rank-deficient columns dropped (see the file header). */
function leastSquares(samples: readonly LatencySample[]): LinearLatencyModel {
  const y = samples.map((s) => s.ms);
  const columns = [samples.map(() => 1), samples.map((s) => s.outputSize), samples.map((s) => s.macs)];
  const names = ['c', 'outputSize', 'macs'] as const;
  const dot = (u: readonly number[], v: readonly number[]): number => u.reduce((a, x, i) => a + x * v[i], 0);
  // Scale each column to unit length so that MACs (millions) and the intercept (1) compare.
  const scales = columns.map((col) => Math.sqrt(dot(col, col)));
  const q: number[][] = [];
  const r: number[][] = [];
  const kept: number[] = [];
  columns.forEach((col, j) => {
    if (scales[j] === 0) return;
    let v = col.map((x) => x / scales[j]);
    const coeffs = q.map((qk) => {
      const proj = dot(qk, v);
      v = v.map((x, i) => x - proj * qk[i]);
      return proj;
    });
    const norm = Math.sqrt(dot(v, v));
    if (norm < 1e-9) return; // a combination of the columns before it
    q.push(v.map((x) => x / norm));
    r.push([...coeffs, norm]);
    kept.push(j);
  });
  // R·β = Qᵀy by back-substitution; R is upper triangular with r[k][m] the entry (m, k).
  const qty = q.map((qk) => dot(qk, y));
  const beta = new Array<number>(kept.length).fill(0);
  for (let k = kept.length - 1; k >= 0; k--) {
    let s = qty[k];
    for (let m = k + 1; m < kept.length; m++) s -= r[m][k] * beta[m];
    beta[k] = s / r[k][k];
  }
  const coef = [0, 0, 0];
  kept.forEach((j, k) => (coef[j] = beta[k] / scales[j]));
  const [c, b, a] = coef;
  const residuals = samples.map((s, i) => y[i] - (a * s.macs + b * s.outputSize + c));
  const meanY = y.reduce((t, x) => t + x, 0) / y.length;
  const ssRes = residuals.reduce((t, e) => t + e * e, 0);
  const ssTot = y.reduce((t, x) => t + (x - meanY) ** 2, 0);
  const dropped = ([1, 2] as const).filter((j) => !kept.includes(j)).map((j) => names[j] as 'macs' | 'outputSize');
  return { a, b, c, dropped, n: samples.length, residuals, rmse: Math.sqrt(ssRes / samples.length), r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot };
}
