import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/core/rng';
import { init } from '../../src/tensor/backend';
import { registerWasmKernels } from '../../src/tensor/kernels';
import { dataTensors, prepareDigits, type PreparedData } from '../../src/tensor/data';
import { crossEntropy, disposeStep, evaluate, GroupOptimizer, modelForward, trainStep, type Forward, type OptimizerConfig } from '../../src/tensor/step';
import { buildModel } from '../../src/tensor/models';

let data: PreparedData;

beforeAll(async () => {
  await init({ prefer: 'wasm', quiet: true });
  registerWasmKernels();
  data = prepareDigits(createRng(0), { train: 0.2, validation: 0.1, test: 0.1 });
}, 60_000);

/** Variables of assorted shapes with seeded values, and a loss that gives each a different gradient. */
function problem(seed: number): { vars: tf.Variable[]; loss: () => tf.Scalar } {
  const shapes = [[3, 3, 2, 4], [4], [7, 5], [5], [1]];
  const vars = shapes.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', seed * 10 + i), true));
  const targets = shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', seed * 10 + 5 + i));
  const loss = () => tf.tidy(() => tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[i])), tf.scalar(i + 1)))) as tf.Tensor[]).asScalar());
  return { vars, loss };
}

const values = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));

describe('GroupOptimizer', () => {
  const cases: [OptimizerConfig, () => tf.Optimizer][] = [
    [{ kind: 'adam', learningRate: 0.05 }, () => tf.train.adam(0.05)],
    [{ kind: 'sgd', learningRate: 0.02, momentum: 0.9 }, () => tf.train.momentum(0.02, 0.9)],
    [{ kind: 'sgd', learningRate: 0.02 }, () => tf.train.sgd(0.02)],
  ];
  for (const [config, reference] of cases) {
    it(`updates to the same bits as tfjs's own optimiser (${config.kind}, momentum ${config.momentum ?? 0})`, () => {
      const ours = problem(1);
      const theirs = problem(1);
      const opt = new GroupOptimizer({ name: 'w', variables: ours.vars }, config);
      const ref = reference();
      for (let step = 0; step < 6; step++) {
        // A changing step size, as a schedule would set it.
        const lr = config.learningRate * (1 - step / 10);
        opt.learningRate = lr;
        (ref as unknown as { learningRate: number }).learningRate = lr;
        (ref as unknown as { setLearningRate?: (r: number) => void }).setLearningRate?.(lr);
        tf.tidy(() => {
          const { grads } = tf.variableGrads(ours.loss, ours.vars);
          opt.apply(ours.vars.map((v) => grads[v.name]));
        });
        ref.minimize(theirs.loss, false, theirs.vars);
      }
      expect(values(ours.vars)).toEqual(values(theirs.vars));
      expect(opt.iterations).toBe(6);
      opt.dispose();
      ref.dispose();
    });
  }

  it('leaves a variable without a gradient, and its state, as they were; its first update is a first Adam step', () => {
    const { vars, loss } = problem(2);
    const opt = new GroupOptimizer({ name: 'w', variables: vars }, { kind: 'adam', learningRate: 0.1 });
    const before = values(vars);
    // Three steps with gradients for variables 0..3 only.
    for (let s = 0; s < 3; s++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(loss, vars);
        opt.apply(vars.map((v, i) => (i === 4 ? undefined : grads[v.name])));
      });
    }
    const after = values(vars);
    expect(after[4]).toEqual(before[4]);
    for (let i = 0; i < 4; i++) expect(after[i]).not.toEqual(before[i]);
    // Now variable 4 gets its first gradient: Adam's first step moves it by lr·g/(|g| + eps) ≈ lr·sign(g).
    const g = tf.tidy(() => tf.variableGrads(loss, [vars[4]]).grads[vars[4].name].dataSync()[0]);
    tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, vars);
      opt.apply(vars.map((v) => grads[v.name]));
    });
    expect(vars[4].dataSync()[0] - before[4][0]).toBeCloseTo(-0.1 * Math.sign(g), 5);
    opt.dispose();
  });

  it('costs a fixed number of kernel calls per step, not ten per variable as tf.train.adam does', async () => {
    const { vars, loss } = problem(3);
    const many = Array.from({ length: 40 }, (_, i) => tf.variable(tf.randomNormal([3, 3], 0, 1, 'float32', 100 + i), true));
    const all = [...vars, ...many];
    const grads = tf.tidy(() => all.map((v) => tf.keep(tf.onesLike(v))));
    const ours = new GroupOptimizer({ name: 'w', variables: all }, { kind: 'adam', learningRate: 0.01 });
    const theirs = tf.train.adam(0.01);
    // Reshapes are free (a new view of the same buffer), so they are not counted.
    const kernels = async (f: () => void) => (await tf.profile(f)).kernels.filter((k) => k.name !== 'Reshape').length;
    const oursCount = await kernels(() => ours.apply(grads));
    const theirsCount = await kernels(() => theirs.applyGradients(Object.fromEntries(all.map((v, i) => [v.name, grads[i]]))));
    // 45 variables: tfjs makes 10+ calls per variable; ours about 15 on the flat vector plus one slice per variable.
    expect(theirsCount).toBeGreaterThan(10 * all.length);
    expect(oursCount).toBeLessThan(25 + all.length);
    void loss;
    ours.dispose();
    theirs.dispose();
    grads.forEach((g) => g.dispose());
  });

  it('names what is wrong', () => {
    const v = tf.variable(tf.zeros([2]), true, 'bad_case_v');
    const group = { name: 'w', variables: [v] };
    const bad: [unknown, unknown, string][] = [
      [{ name: 'w', variables: [] }, { kind: 'adam', learningRate: 0.1 }, "GroupOptimizer: 'group.variables' must have at least 1 item, got an empty array"],
      [{ name: 'w', variables: [tf.zeros([2])] }, { kind: 'adam', learningRate: 0.1 }, "GroupOptimizer: 'group.variables[0]' must be a trainable tf.Variable"],
      [group, { kind: 'rmsprop', learningRate: 0.1 }, `GroupOptimizer: 'config.kind' must be one of "adam", "sgd", got "rmsprop"`],
      [group, { kind: 'adam', learningRate: 0 }, "GroupOptimizer: 'config.learningRate' must be a number > 0, got 0"],
      [group, { kind: 'adam', learningRate: 0.1, momentum: 0.9 }, "GroupOptimizer: 'config.momentum' applies to kind 'sgd' only"],
      [group, { kind: 'sgd', learningRate: 0.1, momentum: 1 }, "GroupOptimizer: 'config.momentum' must be a number >= 0 and < 1, got 1"],
    ];
    for (const [g, c, message] of bad) expect(() => new GroupOptimizer(g as never, c as never)).toThrow(message);
    const opt = new GroupOptimizer(group, { kind: 'adam', learningRate: 0.1 });
    expect(() => opt.apply([])).toThrow("GroupOptimizer.apply: 'grads' must hold one gradient per variable of group 'w' (1), got 0");
    expect(() => opt.apply([tf.zeros([3])])).toThrow("GroupOptimizer.apply: gradient 0 of group 'w' must have shape [2], got [3]");
    const x = tf.zeros([2, 3]);
    expect(() => trainStep((t) => t, opt, { x, y: tf.zeros([3, 3]) })).toThrow("trainStep: 'batch.x' and 'batch.y' must have the same number of rows, got 2 and 3");
    expect(() => trainStep((t) => t, opt, { x } as never)).toThrow("trainStep: 'batch' must be { x: tf.Tensor, y: tf.Tensor (one-hot) }");
    expect(() => trainStep((t) => t, {} as never, { x, y: x })).toThrow("trainStep: 'optimizer' must be a GroupOptimizer");
    opt.dispose();
    v.dispose();
  });
});

describe('trainStep and evaluate', () => {
  it('evaluate gives the mean cross-entropy and accuracy of the forward pass', async () => {
    const model = buildModel({ kind: 'mlp', widths: [16] }, { inputShape: data.imageShape, numClasses: 10, rng: createRng(1) });
    const val = dataTensors(data, 'validation', { layout: 'flat' });
    const r = await evaluate(modelForward(model), val.x, val.y);
    const probs = model.predict(val.x) as tf.Tensor;
    expect(r.loss).toBeCloseTo(crossEntropy(probs, val.y).dataSync()[0], 5);
    const predicted = probs.argMax(-1).dataSync();
    expect(r.accuracy).toBeCloseTo(data.validation.y.filter((y, i) => y === predicted[i]).length / data.validation.size, 10);
    probs.dispose();
    val.x.dispose();
    val.y.dispose();
    model.dispose();
  });

  it('DARTS-style alternation in a few lines: weights on the training split, α on the validation split', async () => {
    const rng = createRng('alternation');
    const [tr, va] = [dataTensors(data, 'train', { layout: 'flat' }), dataTensors(data, 'validation', { layout: 'flat' })];
    // One mixed edge from scratch: two candidate linear classifiers, mixed by softmax(α).
    const w = [0, 1].map((i) => tf.variable(tf.randomNormal([64, 10], 0, 0.1, 'float32', rng.uint32()), true, `alt_w${i}`));
    const alpha = tf.variable(tf.zeros([2]), true, 'alt_alpha');
    const forward: Forward = (x) => tf.tidy(() => {
      const beta = tf.softmax(alpha);
      const mixed = tf.add(tf.mul(tf.matMul(x, w[0]), beta.slice(0, 1)), tf.mul(tf.relu(tf.matMul(x, w[1])), beta.slice(1, 1)));
      return tf.softmax(mixed);
    });
    const before = { w: values(w), alpha: Array.from(alpha.dataSync()), loss: (await evaluate(forward, va.x, va.y)).loss };

    // --- the user's loop ---
    const weights = new GroupOptimizer({ name: 'weights', variables: w }, { kind: 'sgd', learningRate: 0.1, momentum: 0.9 });
    const arch = new GroupOptimizer({ name: 'alpha', variables: [alpha] }, { kind: 'adam', learningRate: 0.05 });
    const batch = (t: { x: tf.Tensor; y: tf.Tensor }, i: number) => ({ x: t.x.slice(i * 32, 32), y: t.y.slice(i * 32, 32) });
    for (let i = 0; i < 4; i++) {
      disposeStep(trainStep(forward, weights, batch(tr, i)));
      disposeStep(trainStep(forward, arch, batch(va, i % 2)));
    }
    // ---

    expect(Array.from(alpha.dataSync())).not.toEqual(before.alpha);
    values(w).forEach((wi, i) => expect(wi).not.toEqual(before.w[i]));
    expect([weights.iterations, arch.iterations]).toEqual([4, 4]);
    // An α step changes α only; a weight step changes the weights only.
    const snapshot = { w: values(w), alpha: Array.from(alpha.dataSync()) };
    disposeStep(trainStep(forward, arch, batch(va, 0)));
    expect(values(w)).toEqual(snapshot.w);
    disposeStep(trainStep(forward, weights, batch(tr, 0)));
    expect(Array.from(alpha.dataSync())).not.toEqual(snapshot.alpha);
    const afterWeights = Array.from(alpha.dataSync());
    disposeStep(trainStep(forward, weights, batch(tr, 1)));
    expect(Array.from(alpha.dataSync())).toEqual(afterWeights);
    const val = await evaluate(forward, va.x, va.y);
    expect(val.loss).toBeLessThan(before.loss);
    weights.dispose();
    arch.dispose();
    [...w, alpha, tr.x, tr.y, va.x, va.y].forEach((t) => t.dispose());
  });
});
