/**
 * Benchmark of nasbook's own training engine (not a test: it measures and prints, it asserts nothing).
 * Run alone: `node dist-bench/bench/index.js engine` after `npm run bench` (or `npx tsc -p bench`).
 *
 * 1. The reference run of bench/kernels.ts (2-conv net on the digits, 10 epochs, batch 64, Adam
 *    1e-3, no shuffling) three ways on the same data and batches: nasbook's loop (the step train()
 *    takes: the tape-free step of src/tensor/engine when the kernel pack is on, else trainStep with
 *    a GroupOptimizer), LayersModel.fit, and PyTorch on one thread (when a python3 can import
 *    torch), alternating run by run so all see the same machine load. Prints
 *    `ratio nasbook loop/PyTorch: X`, then the tape-free step's breakdown by node, the tape path's
 *    breakdown and the kernel calls of one optimiser update (GroupOptimizer against tf.train.adam).
 * 2. One supernet step: the NAS-Bench-Digits skeleton (8 channels, 2 stages, one cell per stage),
 *    every edge a mixed edge over the five operations, batch 64; a weight step (SGD, momentum 0.9)
 *    and an α step (Adam), against the same supernet in bench/torch_reference.py, with the
 *    breakdown (forward, forward + backward, optimiser update).
 * 3. One NAS-Bench-Digits cell trained by train() under the table's protocol: pack off (the tape
 *    path, how the table is built) against pack on (the tape-free step), alternating.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/core/rng';
import { withCandidates, CELL_OPS } from '../src/tensor/arch';
import { GroupOptimizer, crossEntropy, disposeStep, modelForward, trainStep, trainableGroup, type Batch } from '../src/tensor/step';
import { TapeFreeStep } from '../src/tensor/engine';
import { describeConvNet, describeNetwork } from '../src/tensor/network';
import { buildModel } from '../src/tensor/models';
import { DEFAULT_DIGITS_PROTOCOL } from '../src/benchmarks/digits/protocol';
import { buildSupernet } from '../src/tensor/supernet';
import { nb201CellArch, parseNb201Cell } from '../src/spaces/nb201';
import { kernelPackEnabled } from '../src/tensor/pack';
import {
  BATCH, DIGITS_BENCH_CELL, EPOCHS, LR, REPEATS, benchDigitsCell, digitTensors, findTorchPython, fmt, loadDigits, median, printTable, referenceModel, startTorch, timeMs, trainTfjs,
  useWasmBackend, type DigitTensors, type RunResult, type TorchReference,
} from './kernels';

/** The reference network as a description: what the tape-free step compiles (the same layers as referenceModel). */
function referenceNetwork() {
  return describeConvNet({ inputShape: [8, 8, 1], numClasses: 10, filters: [16, 16] });
}

/**
 * One epoch of the reference run as train() steps: the tape-free step when it compiles (kernel pack
 * on and loaded), else trainStep with a GroupOptimizer. Returns the last batch's loss.
 */
function loopEpoch(t: { xs: tf.Tensor; ys: tf.Tensor }, model: tf.LayersModel, step: TapeFreeStep | string, optimizer: GroupOptimizer): number {
  const n = t.xs.shape[0];
  let last = 0;
  for (let start = 0; start < n; start += BATCH) {
    const size = Math.min(BATCH, n - start);
    if (typeof step !== 'string') {
      last = step.step(t.xs, t.ys, start, size).loss;
      continue;
    }
    const batch = { x: t.xs.slice(start, size), y: t.ys.slice(start, size) };
    const r = trainStep(modelForward(model), optimizer, batch);
    if (start + BATCH >= n) last = r.loss.dataSync()[0];
    disposeStep(r);
    tf.dispose([batch.x, batch.y]);
  }
  return last;
}

/** The reference run through nasbook's loop: the same model and initial weights as trainTfjs, the same batches; only the loop is timed. */
function trainNasbookLoop(t: DigitTensors, seed: string, epochs: number): RunResult & { step: string } {
  const model = referenceModel(createRng(seed));
  const config = { kind: 'adam' as const, learningRate: LR, epsilon: 1e-7 };
  const optimizer = new GroupOptimizer(trainableGroup(model), config);
  // train() holds float32 one-hot labels (dataTensors); the bench's are int32.
  const data = { xs: t.xs, ys: t.ys.toFloat() };
  const t0 = performance.now();
  const step = TapeFreeStep.compile(referenceNetwork(), model, config, BATCH);
  for (let e = 0; e < epochs; e++) {
    if (!Number.isFinite(loopEpoch(data, model, step, optimizer))) throw new Error('bench: the nasbook loop diverged');
  }
  if (typeof step !== 'string') step.syncToModel();
  const seconds = (performance.now() - t0) / 1000;
  const pred = tf.tidy(() => Array.from((model.predict(t.vx) as tf.Tensor).argMax(1).dataSync()));
  const valAccuracy = pred.reduce((a: number, p: number, i: number) => a + (p === t.valY[i] ? 1 : 0), 0) / t.valY.length;
  if (typeof step !== 'string') step.dispose();
  data.ys.dispose();
  optimizer.dispose();
  model.dispose();
  return { seconds, valAccuracy, step: typeof step === 'string' ? `trainStep + GroupOptimizer (tape: ${step})` : 'tape-free step' };
}

async function startTorchOrSay(d: ReturnType<typeof loadDigits>): Promise<{ torch: TorchReference | null; note: string }> {
  const py = findTorchPython();
  if (py === null) return { torch: null, note: 'PyTorch baseline skipped: no python3 here can import torch' };
  try {
    const torch = await startTorch(py, d);
    return { torch, note: `PyTorch ${torch.version} via ${py}` };
  } catch (error) {
    return { torch: null, note: `PyTorch baseline skipped: ${(error as Error).message}` };
  }
}

/** Median ms of a reference-net step's parts: forward, forward + gradients, the optimiser update. */
function referenceStepBreakdown(t: DigitTensors): void {
  const model = referenceModel(createRng('breakdown'));
  const group = trainableGroup(model);
  const ours = new GroupOptimizer(group, { kind: 'adam', learningRate: LR, epsilon: 1e-7 });
  const theirs = tf.train.adam(LR, 0.9, 0.999, 1e-7);
  const batch: Batch = { x: t.xs.slice(0, BATCH), y: t.ys.slice(0, BATCH) };
  const vars = group.variables as tf.Variable[];
  const grads = tf.tidy(() => {
    const g = tf.variableGrads(() => crossEntropy(model.apply(batch.x, { training: true }) as tf.Tensor, batch.y), vars).grads;
    return vars.map((v) => tf.keep(g[v.name]));
  });
  const repeats = 20 * REPEATS;
  const forward = timeMs(() => tf.tidy(() => void (model.apply(batch.x, { training: true }) as tf.Tensor).dataSync()), repeats);
  const backward = timeMs(() => tf.tidy(() => {
    const g = tf.variableGrads(() => crossEntropy(model.apply(batch.x, { training: true }) as tf.Tensor, batch.y), vars).grads;
    void g[vars[0].name].dataSync();
  }), repeats);
  const update = timeMs(() => { ours.apply(grads); void vars[0].dataSync(); }, repeats);
  const updateTf = timeMs(() => { theirs.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]])) as never); void vars[0].dataSync(); }, repeats);
  const step = timeMs(() => disposeStep(trainStep(modelForward(model), ours, batch)), repeats);
  console.log(`\ntape path (trainStep + GroupOptimizer, what train() runs with the pack off), one step of the reference net (batch ${BATCH}, median of ${repeats}): ` +
    `forward ${fmt(forward, 2)} ms, forward + gradients ${fmt(backward, 2)} ms, update ${fmt(update, 2)} ms ` +
    `(tf.train.adam ${fmt(updateTf, 2)} ms), whole step ${fmt(step, 2)} ms`);
  tf.dispose([...grads, batch.x, batch.y]);
  ours.dispose();
  theirs.dispose();
  model.dispose();
}

/** Median ms of the tape-free step of the reference net, whole and by part (each node's forward and backward, loss, update). */
function tapeFreeBreakdown(t: DigitTensors): void {
  const model = referenceModel(createRng('breakdown'));
  const step = TapeFreeStep.compile(referenceNetwork(), model, { kind: 'adam', learningRate: LR, epsilon: 1e-7 }, BATCH);
  if (typeof step === 'string') {
    console.log(`tape-free step: none (${step})`);
    model.dispose();
    return;
  }
  const repeats = 20 * REPEATS;
  const ys = t.ys.toFloat();
  const whole = timeMs(() => step.step(t.xs, ys, 0, BATCH), repeats);
  const gradients = timeMs(() => step.computeGradients(t.xs, ys, 0, BATCH), repeats);
  const parts = step.profile(t.xs, ys, repeats);
  ys.dispose();
  const total = parts.reduce((a, p) => a + p.ms, 0);
  console.log(`\ntape-free step of the reference net (batch ${BATCH}, median of ${repeats}): whole step ${fmt(whole, 3)} ms, ` +
    `forward + loss + backward ${fmt(gradients, 3)} ms; by part (medians, sum ${fmt(total, 3)} ms):`);
  for (const p of parts) console.log(`  ${p.part.padEnd(44)} ${fmt(p.ms, 3)} ms (${fmt((100 * p.ms) / total, 0)}%)`);
  step.dispose();
  model.dispose();
}

/** The tape-free step of the NAS-Bench-Digits bench cell (the table's network, batch 64), by kind of node and pass. */
function digitsCellBreakdown(t: DigitTensors): void {
  const { network } = DEFAULT_DIGITS_PROTOCOL;
  const net = describeNetwork(nb201CellArch(parseNb201Cell(DIGITS_BENCH_CELL)), { inputShape: [8, 8, 1], numClasses: 10, ...network });
  const model = buildModel(net, { rng: createRng('breakdown') });
  const step = TapeFreeStep.compile(net, model, { kind: 'adam', learningRate: 1e-3 }, BATCH);
  if (typeof step === 'string') {
    console.log(`NAS-Bench-Digits cell, tape-free step: none (${step})`);
    model.dispose();
    return;
  }
  const ys = t.ys.toFloat();
  const repeats = 10 * REPEATS;
  const whole = timeMs(() => step.step(t.xs, ys, 0, BATCH), repeats);
  const byKind = new Map<string, number>();
  for (const p of step.profile(t.xs, ys, repeats)) {
    const kind = p.part.replace(/^\d+: (\w+) \[[^\]]*\]/, '$1');
    byKind.set(kind, (byKind.get(kind) ?? 0) + p.ms);
  }
  const total = [...byKind.values()].reduce((a, b) => a + b, 0);
  console.log(`\nNAS-Bench-Digits cell ${DIGITS_BENCH_CELL} (${network.channels} channels, ${network.stages} stages), tape-free step, batch ${BATCH}: ` +
    `whole step ${fmt(whole, 2)} ms (median of ${repeats}); by kind of node (sums of medians, ${fmt(total, 2)} ms): ` +
    [...byKind].sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${fmt(ms, 2)}`).join(', '));
  ys.dispose();
  step.dispose();
  model.dispose();
}

/** Kernel calls of one optimiser update on a cell network's weights: GroupOptimizer against tf.train.adam. */
async function optimizerKernelCalls(): Promise<void> {
  const cell = nb201CellArch(parseNb201Cell('|conv3x3~0|+|conv1x1~0|conv3x3~1|+|skip~0|conv1x1~1|conv3x3~2|'));
  const model = buildModel(cell, { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2, rng: createRng(0) });
  const group = trainableGroup(model);
  const grads = group.variables.map((v) => tf.onesLike(v));
  const ours = new GroupOptimizer(group, { kind: 'adam', learningRate: 1e-3 });
  const theirs = tf.train.adam(1e-3);
  const count = async (f: () => void) => (await tf.profile(f)).kernels.filter((k) => k.name !== 'Reshape').length;
  const a = await count(() => ours.apply(grads));
  const b = await count(() => theirs.applyGradients(Object.fromEntries(group.variables.map((v, i) => [v.name, grads[i]])) as never));
  const msOurs = timeMs(() => { ours.apply(grads); void group.variables[0].dataSync(); }, 20 * REPEATS);
  const msTheirs = timeMs(() => { theirs.applyGradients(Object.fromEntries(group.variables.map((v, i) => [v.name, grads[i]])) as never); void group.variables[0].dataSync(); }, 20 * REPEATS);
  console.log(`one Adam update of a NAS-Bench-Digits cell network (${group.variables.length} weight tensors): ` +
    `GroupOptimizer ${a} kernel calls, ${fmt(msOurs, 2)} ms; tf.train.adam ${b} kernel calls, ${fmt(msTheirs, 2)} ms (${fmt(msTheirs / msOurs, 1)}x)`);
  tf.dispose(grads);
  ours.dispose();
  theirs.dispose();
  model.dispose();
}

async function benchLoops(t: DigitTensors, torch: TorchReference | null, torchNote: string, d: ReturnType<typeof loadDigits>): Promise<void> {
  trainNasbookLoop(t, 'warm-up', 1);
  await trainTfjs(t, 'warm-up', 1);
  if (torch) await torch.run('warmup');
  const loop: Array<RunResult & { step: string }> = [];
  const fit: RunResult[] = [];
  const theirs: RunResult[] = [];
  for (let i = 0; i < REPEATS; i++) {
    loop.push(trainNasbookLoop(t, `run-${i}`, EPOCHS));
    fit.push(await trainTfjs(t, `run-${i}`, EPOCHS));
    if (torch) theirs.push(await torch.run('run'));
  }
  const row = (engine: string, runs: RunResult[]) => ({
    engine,
    'median s': fmt(median(runs.map((r) => r.seconds)), 2),
    runs: runs.map((r) => fmt(r.seconds, 2)).join(' '),
    'val accuracy': runs.map((r) => fmt(r.valAccuracy, 3)).join(' '),
  });
  const rows = [row(`nasbook loop (train()'s step: ${loop[0].step}), tfjs ${tf.version.tfjs} wasm`, loop), row('LayersModel.fit, same engine', fit)];
  if (theirs.length > 0) rows.push(row(torchNote, theirs));
  printTable(`Reference run: 2-conv net on digits (${d.trainY.length} train / ${d.valY.length} validation), ${EPOCHS} epochs, ` +
    `batch ${BATCH}, Adam ${LR}, no shuffling; ${REPEATS} runs each after a warm-up, alternating`, rows);
  const m = (runs: RunResult[]) => median(runs.map((r) => r.seconds));
  console.log(`ratio LayersModel.fit/nasbook loop: ${fmt(m(fit) / m(loop), 2)}`);
  if (theirs.length > 0) {
    console.log(`ratio nasbook loop/PyTorch: ${fmt(m(loop) / m(theirs), 2)}`);
    console.log(`ratio LayersModel.fit/PyTorch: ${fmt(m(fit) / m(theirs), 2)}`);
    console.log(`per alternating triple, loop/PyTorch: ${loop.map((r, i) => fmt(r.seconds / theirs[i].seconds, 2)).join(' ')}`);
  } else {
    console.log(torchNote);
  }
}

/** One step of the NAS-Bench-Digits supernet (every edge mixed), with its breakdown, against PyTorch's. */
async function benchSupernetStep(t: DigitTensors, torch: TorchReference | null, torchNote: string): Promise<void> {
  const cell = withCandidates(nb201CellArch(parseNb201Cell('|skip~0|+|skip~0|skip~1|+|skip~0|skip~1|skip~2|')), CELL_OPS);
  const sn = buildSupernet(cell, { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2, cellsPerStage: 1, rng: createRng('bench-supernet') });
  const w = new GroupOptimizer(sn.weights, { kind: 'sgd', learningRate: 0.025, momentum: 0.9 });
  const a = new GroupOptimizer(sn.alpha, { kind: 'adam', learningRate: 3e-4, epsilon: 1e-7 });
  const batch: Batch = { x: t.xs.slice(0, BATCH), y: t.ys.slice(0, BATCH) };
  const vars = sn.weights.variables as tf.Variable[];
  const repeats = 6 * REPEATS;
  const sync = (r: { loss: tf.Scalar; correct: tf.Scalar }) => { void r.loss.dataSync(); disposeStep(r); };
  const weightStep = timeMs(() => sync(trainStep(sn.forward, w, batch)), repeats);
  const alphaStep = timeMs(() => sync(trainStep(sn.forward, a, batch)), repeats);
  const forward = timeMs(() => tf.tidy(() => void crossEntropy(sn.forward(batch.x, true), batch.y).dataSync()), repeats);
  const grads = tf.tidy(() => {
    const g = tf.variableGrads(() => crossEntropy(sn.forward(batch.x, true), batch.y), vars).grads;
    return vars.map((v) => tf.keep(g[v.name]));
  });
  const backward = timeMs(() => tf.tidy(() => void tf.variableGrads(() => crossEntropy(sn.forward(batch.x, true), batch.y), vars).value.dataSync()), repeats);
  const update = timeMs(() => { w.apply(grads); void vars[0].dataSync(); }, repeats);
  const kernels = (await tf.profile(() => sync(trainStep(sn.forward, w, batch)))).kernels.filter((k) => k.name !== 'Reshape').length;
  const ours = { weight_step_ms: weightStep, alpha_step_ms: alphaStep, forward_ms: forward, forward_backward_ms: backward, optimizer_ms: update };
  const theirs = torch ? await torch.supernet() : null;
  const parts: Array<[string, keyof typeof ours]> = [
    ['weight step (SGD, momentum 0.9)', 'weight_step_ms'],
    ['α step (Adam)', 'alpha_step_ms'],
    ['  forward + loss', 'forward_ms'],
    ['  forward + gradients', 'forward_backward_ms'],
    ['  weight update', 'optimizer_ms'],
  ];
  printTable(`One supernet step: NAS-Bench-Digits skeleton (8 channels, 2 stages, 1 cell each), all 6 edges mixed over ` +
    `${CELL_OPS.join(', ')}; batch ${BATCH}; median ms of ${repeats} (PyTorch: of 30); ${sn.weightNames().length} weight tensors, ` +
    `${kernels} kernel calls per weight step (reshapes not counted)`,
  parts.map(([label, key]) => ({
    part: label,
    'nasbook ms': fmt(ours[key], 2),
    'PyTorch ms': theirs ? fmt(theirs[key], 2) : '-',
    ratio: theirs ? fmt(ours[key] / theirs[key], 2) : '-',
  })));
  if (theirs) console.log(`ratio nasbook supernet step/PyTorch: ${fmt(weightStep / theirs.weight_step_ms, 2)}`);
  else console.log(torchNote);
  tf.dispose([...grads, batch.x, batch.y]);
  w.dispose();
  a.dispose();
  sn.dispose();
}

/** The engine section: the reference run with nasbook's loop, fit and PyTorch; one supernet step against PyTorch. */
export async function benchEngine(): Promise<void> {
  await useWasmBackend();
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
  console.log(`\n== Engine: tfjs ${tf.version.tfjs}, backend ${tf.getBackend()} (kernel pack ${kernelPackEnabled() ? 'on' : 'off'}), node ${process.version}, ` +
    `${os.cpus().length} cpus, load average ${load}, ${new Date().toISOString()}`);
  const d = loadDigits(createRng('bench-digits'));
  const t = digitTensors(d);
  const { torch, note } = await startTorchOrSay(d);
  try {
    await benchLoops(t, torch, note, d);
    tapeFreeBreakdown(t);
    referenceStepBreakdown(t);
    await optimizerKernelCalls();
    await benchSupernetStep(t, torch, note);
    digitsCellBreakdown(t);
    await benchDigitsCell();
  } finally {
    torch?.close();
    t.dispose();
  }
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}
