/**
 * Benchmark of the zero-cost proxies (not a test: it measures and prints): cells scored per second
 * (CPU time of this process, so the machine's load counts less) on a fixed seeded sample of
 * NAS-Bench-201 cells.
 *
 * - digits size (NAS-Bench-Digits' network, 8x8x1): every proxy as the digits survey computes them
 *   (one batch of 64 digits, jacob_cov on 32), and SynFlow alone;
 * - NAS-Bench-201 size (C = 16, N = 5, 32x32x3): SynFlow by the fast path the nb201 survey uses
 *   (`synflowCellScore`) against the general path (`zeroCostScores`, a variable-backed network with
 *   tfjs's initialisers), and against PyTorch's SynFlow on NAS-Bench-201's own network as
 *   zero-cost-nas computes it (float64, one thread; bench/zerocost_reference.py, a child process,
 *   skipped with a line when torch is absent).
 *
 * Environment: ZEROCOST_BENCH_CELLS (default 20 cells), NASBOOK_BENCH_REPEATS (default 2 passes).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_DIGITS_PROTOCOL } from '../src/benchmarks/digits/protocol';
import { digitsBenchData } from '../src/benchmarks/digits/cell';
import { createRng } from '../src/core/rng';
import { median } from '../src/core/stats';
import { zeroCostScores, type ZeroCostProxy } from '../src/estimation/zerocost/proxies';
import { synflowCellScore } from '../src/estimation/zerocost/synflowNet';
import { nb201CellArch, sampleNb201Cell, isNb201Disconnected, type Nb201Cell } from '../src/spaces/nb201';
import { init } from '../src/tensor/backend';
import { dataTensors } from '../src/tensor/data';
import type { CellArch } from '../src/tensor/arch';

const CELLS = Number.parseInt(process.env.ZEROCOST_BENCH_CELLS ?? '20', 10);
const REPEATS = Number.parseInt(process.env.NASBOOK_BENCH_REPEATS ?? '2', 10);
const NB201 = { inputShape: [32, 32, 3], numClasses: 10, channels: 16, cellsPerStage: 5, stages: 3 };
const DIGITS = { inputShape: [8, 8, 1], numClasses: 10, ...DEFAULT_DIGITS_PROTOCOL.network };

/** CPU seconds of this process for f on every cell, per pass (median over passes) -> cells per second. */
function cellsPerSecond(cells: readonly CellArch[], f: (cell: CellArch, i: number) => void): number {
  const passes: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    cells.forEach(f);
    const c = process.cpuUsage(c0);
    passes.push((c.user + c.system) / 1e6);
  }
  return cells.length / median(passes);
}

export async function benchZeroCost(): Promise<void> {
  const info = await init({ quiet: true });
  const rng = createRng('bench-zerocost');
  const sample: Nb201Cell[] = [];
  while (sample.length < CELLS) {
    const c = sampleNb201Cell(rng);
    if (!isNb201Disconnected(c)) sample.push(c);
  }
  const cells = sample.map(nb201CellArch);
  console.log(`zero-cost proxies on ${CELLS} seeded NAS-Bench-201 cells (connected), ${info.backend}, CPU time, median of ${REPEATS} passes`);

  const data = digitsBenchData(DEFAULT_DIGITS_PROTOCOL);
  const t = dataTensors(data, 'train', { layout: 'nhwc' });
  const full = { x: t.x.slice(0, 64), y: t.y.slice(0, 64) };
  const jacobian = { x: t.x.slice(0, 32), y: t.y.slice(0, 32) };
  const seed = (i: number) => createRng(`bench-zerocost:${i}`);
  const others: ZeroCostProxy[] = ['synflow', 'jacobian_norm', 'grad_norm', 'params', 'macs'];
  const allDigits = cellsPerSecond(cells, (c, i) => {
    zeroCostScores(c, { ...DIGITS, rng: seed(i), batch: full, proxies: others });
    zeroCostScores(c, { ...DIGITS, rng: seed(i), batch: jacobian, proxies: ['jacob_cov'] });
  });
  const synflowDigits = cellsPerSecond(cells, (c, i) => void synflowCellScore(c, { ...DIGITS, rng: seed(i) }));
  console.log(`digits size: every proxy (as the survey) ${allDigits.toFixed(1)} cells/s; SynFlow alone (fast path) ${synflowDigits.toFixed(1)} cells/s`);
  tf.dispose([t.x, t.y, full.x, full.y, jacobian.x, jacobian.y]);

  const fast = cellsPerSecond(cells, (c, i) => void synflowCellScore(c, { ...NB201, rng: seed(i) }));
  const general = cellsPerSecond(cells, (c, i) => void zeroCostScores(c, { ...NB201, rng: seed(i), proxies: ['synflow'] }));
  console.log(`NAS-Bench-201 size, SynFlow: fast path ${fast.toFixed(2)} cells/s; general path (zeroCostScores) ${general.toFixed(2)} cells/s; ratio fast/general ${(fast / general).toFixed(2)}`);
  const torch = torchSynflow(sample);
  if (typeof torch === 'string') console.log(`PyTorch baseline skipped: ${torch}`);
  else {
    const perSecond = sample.length / torch.seconds;
    console.log(`PyTorch ${torch.version} SynFlow (float64, 1 thread, NAS-Bench-201's network, every edge): ${perSecond.toFixed(2)} cells/s (build+init ${(1000 * torch.build / sample.length).toFixed(0)} ms, score ${(1000 * torch.score / sample.length).toFixed(0)} ms a cell); ratio nasbook fast/PyTorch ${(fast / perSecond).toFixed(2)}`);
  }
}

/** PyTorch's SynFlow on the same cells, CPU seconds per pass (median over passes), in a child process. */
function torchSynflow(cells: readonly Nb201Cell[]): { version: string; seconds: number; build: number; score: number } | string {
  const script = path.join(__dirname, '..', '..', 'bench', 'zerocost_reference.py');
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status !== 0) continue;
    const r = spawnSync(py, [script], { input: JSON.stringify({ cells: cells.map((c) => c.ops), repeats: REPEATS }), encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) return `${script} failed: ${r.stderr.slice(-500)}`;
    const out = JSON.parse(r.stdout) as { torch: string; rows: { build: number; score: number }[] };
    const passes = Array.from({ length: REPEATS }, (_, p) => out.rows.slice(p * cells.length, (p + 1) * cells.length));
    const build = median(passes.map((rows) => rows.reduce((s, x) => s + x.build, 0)));
    const score = median(passes.map((rows) => rows.reduce((s, x) => s + x.score, 0)));
    return { version: out.torch, seconds: build + score, build, score };
  }
  return 'no python3 here can import torch (Debian: python3-torch)';
}
