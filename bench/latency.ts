/**
 * Benchmark of the latency model (not a test: it measures and prints): fitting ℓ = a·M + b·S + c
 * per operation type to the shipped survey, and predicting 10,000 NAS-Bench-201 networks of the
 * NAS-Bench-Digits skeleton (describing each network, then summing its predicted operations).
 * Baseline, in the same run when installed: the same fit and the same predictions in numpy
 * (least squares per operation type, then a per-network sum), given the same per-operation
 * features, as a child process (bench/latency_reference.py).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataDir } from '../src/core/paths';
import { createRng } from '../src/core/rng';
import { median } from '../src/core/stats';
import { fitSurveyModel } from '../src/estimation/latency/analysis';
import { predictLatency } from '../src/estimation/latency/predict';
import { loadLatencySurvey, surveyNetwork } from '../src/estimation/latency/survey';
import { NB201_OPS, formatNb201Cell, type Nb201Cell } from '../src/spaces/nb201';
import type { NetworkDescription } from '../src/tensor/network';

const NETWORKS = 10_000;
const REPEATS = Number.parseInt(process.env.NASBOOK_BENCH_REPEATS ?? '5', 10);

function timeIt<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

function numpyPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return py;
  }
  return null;
}

export async function benchLatency(): Promise<void> {
  const survey = loadLatencySurvey(path.join(dataDir(), 'latency'));
  const rng = createRng('bench-latency');
  const cells: string[] = Array.from({ length: NETWORKS }, () => formatNb201Cell({ kind: 'nb201', ops: Array.from({ length: 6 }, () => rng.choice(NB201_OPS)) } as Nb201Cell));
  const fitMs: number[] = [];
  const describeMs: number[] = [];
  const predictMs: number[] = [];
  let nets: NetworkDescription[] = [];
  const fitted = fitSurveyModel(survey, 64, 'min');
  for (let r = 0; r < REPEATS; r++) {
    fitMs.push(timeIt(() => fitSurveyModel(survey, 64, 'min')).ms);
    const d = timeIt(() => cells.map((c) => surveyNetwork(survey.settings, c)));
    describeMs.push(d.ms);
    nets = d.value;
    predictMs.push(timeIt(() => nets.map((n) => predictLatency(n, fitted.model, { overheadMs: fitted.overheadMs }))).ms);
  }
  console.log(`latency model: fit to ${fitted.samples} operations (10 types, global + per type): median ${median(fitMs).toFixed(2)} ms over ${REPEATS} repeats`);
  console.log(`describe ${NETWORKS} networks: median ${median(describeMs).toFixed(0)} ms; predict them (sum aggregation, checked input): median ${median(predictMs).toFixed(0)} ms = ${((1000 * NETWORKS) / median(predictMs)).toFixed(0)} networks/s`);

  const py = numpyPython();
  if (!py) {
    console.log('numpy baseline skipped: no python3 here can import numpy');
    return;
  }
  const ops = survey.ops.filter((o) => o.batch === 64);
  const types = [...new Set(ops.map((o) => o.op.op))].sort();
  const spec = {
    repeats: REPEATS,
    types,
    samples: ops.map((o) => [types.indexOf(o.op.op), o.op.macs, o.op.outputSize, Math.max(0, o.timing.minMs - o.empty.minMs)]),
    // Per-operation features of every network: [network, type, macs, outputSize].
    network_ops: nets.flatMap((n, i) => n.ops.map((o) => [i, types.indexOf(o.op), o.macs, o.outputSize])),
    networks: NETWORKS,
    overhead: fitted.overheadMs,
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-bench-latency-')), 'spec.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  const r = spawnSync(py, [path.join(__dirname, '..', '..', 'bench', 'latency_reference.py'), file], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  if (r.status !== 0) {
    console.log(`numpy baseline failed: ${r.stderr.trim().split('\n').pop()}`);
    return;
  }
  const ref = JSON.parse(r.stdout) as { fit_ms: number; predict_ms: number; predictions: number[] };
  const ours = nets.map((n) => predictLatency(n, fitted.model, { overheadMs: fitted.overheadMs }));
  const maxDiff = Math.max(...ours.map((p, i) => Math.abs(p - ref.predictions[i]) / Math.max(p, 1e-9)));
  console.log(`numpy (one thread): fit median ${ref.fit_ms.toFixed(2)} ms; predict ${NETWORKS} networks from their per-op features median ${ref.predict_ms.toFixed(1)} ms`);
  console.log(`ratios nasbook / numpy: fit ${(median(fitMs) / ref.fit_ms).toFixed(1)}x, predict ${(median(predictMs) / ref.predict_ms).toFixed(1)}x (numpy starts from ready feature arrays; nasbook walks each description and checks it); largest relative difference of the predictions ${maxDiff.toExponential(1)}`);
}
