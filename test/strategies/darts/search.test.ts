import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../../src/core/rng';
import { init } from '../../../src/tensor/backend';
import { dataTensors, prepareDigits } from '../../../src/tensor/data';
import { checkNb201Cell, NB201_EDGES, NB201_OPS, nb201Cell } from '../../../src/spaces/nb201';
import { DartsSearch, dartsEpochBatches, disposeDartsBatches } from '../../../src/strategies/darts/search';
import { cellRanker } from '../../../src/strategies/darts/lookup';
import { projectEdgeWeights } from '../../../src/strategies/darts/projection';
import { loadBench } from '../../../src/benchmarks/digits/table';
import { loadNasBench201 } from '../../../src/benchmarks/nasbench201';
import { crossEntropy, type Batch } from '../../../src/tensor/step';

/** Tiny: 4 channels, 1 stage, batches of 16, a few steps. */
const TINY = { network: { channels: 4, stages: 1, cellsPerStage: 1 } };
let tr: Batch;
let va: Batch;

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  const data = prepareDigits(createRng(0), { train: 0.1, validation: 0.05, test: 0.05 });
  tr = dataTensors(data, 'train');
  va = dataTensors(data, 'validation');
}, 60_000);

afterAll(() => tf.dispose([tr.x, tr.y, va.x, va.y]));

/** A search of `steps` steps on the first batches of one seeded epoch; returns its α history. */
function run(seed: number, steps: number, extra: Record<string, unknown> = {}) {
  const darts = new DartsSearch({ rng: createRng(seed), steps, ...TINY, ...extra });
  const batches = dartsEpochBatches(tr, va, 16, createRng(`order-${seed}`));
  try {
    for (const b of batches.slice(0, steps)) darts.step(b);
    return { history: darts.history.map((h) => h.alpha), cells: darts.derivedCells(), derived: darts.derive(), weights: darts.architectureWeights() };
  } finally {
    disposeDartsBatches(batches);
    darts.dispose();
  }
}

describe('DartsSearch', () => {
  it('gives the same α with the same seed, and moves α away from its initial values', () => {
    const a = run(1, 3);
    const b = run(1, 3);
    expect(a.history).toEqual(b.history);
    expect(a.history).toHaveLength(3);
    for (const rows of a.history) {
      expect(rows).toHaveLength(NB201_EDGES.length);
      for (const r of rows) expect(r).toHaveLength(NB201_OPS.length);
    }
    // α starts within ~3e-3 of 0 (std 1e-3); Adam at 3e-3 moves each entry by about 3e-3 a step.
    const moved = Math.max(...a.history[2].flat().map((x, i) => Math.abs(x - a.history[0].flat()[i])));
    expect(moved).toBeGreaterThan(1e-3);
    const c = run(2, 3);
    expect(c.history[2]).not.toEqual(a.history[2]);
  }, 120_000);

  it('derives valid cells: argmax with and without none, and the ℓ_min repair with ℓ_min parametric ops on a path', () => {
    const { cells, derived, weights } = run(3, 2);
    for (const cell of [cells.withNone, cells.withoutNone, cells.repaired]) checkNb201Cell(cell, 'test');
    expect(cells.withoutNone.ops).not.toContain('none');
    expect(derived.edges.map((e) => e.op)).toEqual(cells.withoutNone.ops);
    expect(cells.repaired.ops.filter((op) => op === 'conv1x1' || op === 'conv3x3').length).toBeGreaterThanOrEqual(cells.lMin);
    for (const w of Object.values(weights)) expect(w.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
  }, 120_000);

  it('with a projection keeps every edge\'s α on Σα = 1 at a fixed point of the projection, and changes the search', () => {
    const projected = run(4, 2, { projectionLambda: 0.05 });
    const plain = run(4, 2);
    for (const row of projected.history[1]) {
      expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
      projectEdgeWeights([row], 0.05)[0].forEach((b, i) => expect(b).toBeCloseTo(row[i], 5));
    }
    expect(projected.history[1]).not.toEqual(plain.history[1]);
  }, 120_000);

  it('second order: same seed same α, differs from first order, names itself', () => {
    // No tensor is left behind by a step of either order, or with the projection (second order's unrolled and perturbed weights are temporaries).
    for (const [order, projectionLambda] of [[1, undefined], [2, undefined], [1, 0.05]] as const) {
      const darts = new DartsSearch({ rng: createRng(5), steps: 3, order, projectionLambda, ...TINY });
      const batches = dartsEpochBatches(tr, va, 16, createRng('leak'));
      darts.step(batches[0]);
      const before = tf.memory().numTensors;
      darts.step(batches[1]);
      darts.alphaGradient(batches[2]);
      expect(tf.memory().numTensors, `order ${order}, λ ${projectionLambda}`).toBe(before);
      disposeDartsBatches(batches);
      darts.dispose();
    }
    const a = run(5, 3, { order: 2 });
    const b = run(5, 3, { order: 2 });
    const first = run(5, 3);
    expect(a.history).toEqual(b.history);
    expect(a.history[2]).not.toEqual(first.history[2]);
    expect(new DartsSearch({ rng: createRng(0), steps: 1, order: 2, ...TINY }).name).toBe('DARTS (2nd order)');
  }, 180_000);

  it('second order: the gradient matches central differences of the unrolled validation loss, better than first order does', () => {
    // A large ξ (weight step size 0.5, constant) makes the Hessian term large enough to see; a batch
    // of 128 smooths the loss enough for float32 central differences (about 10% noise, measured).
    const xi = 0.5;
    const opts = { steps: 10, weightLearningRate: xi, weightLearningRateMin: xi, weightDecay: 1e-3, ...TINY };
    const second = new DartsSearch({ rng: createRng(6), order: 2, ...opts });
    const first = new DartsSearch({ rng: createRng(6), order: 1, ...opts });
    const [b] = dartsEpochBatches(tr, va, 128, createRng('fd'));
    try {
      const alpha = second.supernet.alpha.variables as tf.Variable[];
      const before = alpha.map((v) => Array.from(v.dataSync()));
      const g2 = second.alphaGradient(b).flat();
      const g1 = first.alphaGradient(b).flat();
      expect(alpha.map((v) => Array.from(v.dataSync()))).toEqual(before);
      const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0);
      const unit = (u: number[]) => u.map((x) => x / Math.sqrt(dot(u, u)));
      const h = 0.01;
      const slope = (f: (shift: number[]) => number, d: number[]) => (f(d.map((x) => h * x)) - f(d.map((x) => -h * x))) / (2 * h);
      // ξ = 0 is the plain validation loss: first order is its exact gradient (checks the harness).
      const plain = slope((shift) => unrolledValidationLoss(second, b, 0, 1e-3, shift), unit(g1));
      expect(Math.abs(plain - dot(g1, unit(g1)))).toBeLessThan(0.2 * Math.abs(plain));
      // Along the gradient and along the second-order correction (g2 − g1), where the orders disagree most.
      for (const d of [unit(g2), unit(g2.map((x, i) => x - g1[i]))]) {
        const numeric = slope((shift) => unrolledValidationLoss(second, b, xi, 1e-3, shift), d);
        expect(Math.abs(numeric - dot(g2, d))).toBeLessThan(0.2 * Math.abs(numeric));
        expect(Math.abs(numeric - dot(g1, d))).toBeGreaterThan(Math.abs(numeric - dot(g2, d)));
      }
    } finally {
      disposeDartsBatches([b]);
      second.dispose();
      first.dispose();
    }
  }, 180_000);

  it('rejects bad input with errors naming the argument', () => {
    expect(() => new DartsSearch({ rng: 5 as never, steps: 3 })).toThrow(/opts\.rng/);
    expect(() => new DartsSearch({ rng: createRng(0), steps: 0 })).toThrow(/opts\.steps/);
    expect(() => new DartsSearch({ rng: createRng(0), steps: 3, alphaLearningRate: -1 })).toThrow(/opts\.alphaLearningRate/);
    expect(() => new DartsSearch({ rng: createRng(0), steps: 3, projectionLambda: Number.NaN })).toThrow(/opts\.projectionLambda/);
    expect(() => new DartsSearch({ rng: createRng(0), steps: 3, order: 3 as never })).toThrow(/opts\.order/);
    expect(() => new DartsSearch({ rng: createRng(0), steps: 3, projectionLambda: -0.1 })).toThrow("DartsSearch: 'opts.projectionLambda' must be a number >= 0, got -0.1");
    const darts = new DartsSearch({ rng: createRng(0), steps: 3, ...TINY });
    try {
      expect(() => darts.step({ train: { x: tr.x, y: tr.y } })).toThrow(/batches\.validation/);
      expect(() => darts.step({ train: { x: tr.x, y: va.y }, validation: va })).toThrow(/batches\.train/);
      expect(() => darts.derivedCells(4)).toThrow(/ℓ_min|lMin/);
      expect(() => darts.alphaGradient({ train: tr })).toThrow(/batches\.validation/);
    } finally {
      darts.dispose();
    }
    expect(() => dartsEpochBatches(tr, va, 0, createRng(0))).toThrow(/batchSize/);
  }, 60_000);
});

/**
 * L_val(w − ξ(∇w L_train(w, α + shift) + decay·w), α + shift), written out independently of
 * DartsSearch: the function whose α gradient second-order DARTS approximates. Restores w and α.
 */
function unrolledValidationLoss(darts: DartsSearch, b: { train: Batch; validation: Batch }, xi: number, decay: number, shift: number[]): number {
  const sn = darts.supernet;
  const w = sn.weights.variables as tf.Variable[];
  const alpha = sn.alpha.variables as tf.Variable[];
  const savedW = w.map((v) => tf.keep(v.clone()));
  const savedA = alpha.map((v) => tf.keep(v.clone()));
  const loss = (batch: Batch) => crossEntropy(sn.forwardBatchStats(batch.x), batch.y);
  try {
    let k = 0;
    for (const v of alpha) {
      const n = v.size;
      v.assign(tf.tidy(() => tf.add(v, tf.tensor1d(shift.slice(k, k + n)))));
      k += n;
    }
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => loss(b.train), w);
      w.forEach((v) => v.assign(tf.sub(v, tf.mul(tf.add(grads[v.name], tf.mul(v, decay)), xi))));
    });
    return tf.tidy(() => loss(b.validation).dataSync()[0]);
  } finally {
    w.forEach((v, i) => v.assign(savedW[i]));
    alpha.forEach((v, i) => v.assign(savedA[i]));
    tf.dispose([...savedW, ...savedA]);
  }
}

describe('cellRanker', () => {
  it('ranks cells in both tables: the best NAS-Bench-201 cell first, all-none last-ish, ranks within range', () => {
    const rank = cellRanker(loadBench(), loadNasBench201());
    const best = rank(nb201Cell(['conv3x3', 'conv3x3', 'conv3x3', 'skip', 'conv3x3', 'conv3x3']));
    expect(best.nb201.of).toBe(15625);
    expect(best.digits.of).toBe(4930);
    expect(best.nb201.rank).toBeLessThan(100);
    const none = rank(nb201Cell(['none', 'none', 'none', 'none', 'none', 'none']));
    expect(none.nb201.rank).toBeGreaterThan(15000);
    expect(none.digits.percentile).toBeLessThan(5);
    for (const s of [best.digits, best.nb201, none.digits, none.nb201]) {
      expect(s.rank).toBeGreaterThanOrEqual(1);
      expect(s.rank).toBeLessThanOrEqual(s.of);
      expect(s.percentile).toBeGreaterThanOrEqual(0);
      expect(s.percentile).toBeLessThan(100);
    }
    expect(() => rank({ kind: 'nb201', ops: ['x'] } as never)).toThrow(/cell/);
    expect(() => cellRanker({} as never, loadNasBench201())).toThrow(/digits/);
  }, 120_000);
});
