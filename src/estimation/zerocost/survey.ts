/**
 * Zero-cost proxies over a whole table, precomputed once and shipped in data/ (they take minutes to
 * hours; the chapter re-scores a small sample live). Two surveys:
 *
 * - 'digits': every proxy on all 4930 distinct cells at the NAS-Bench-Digits network (its protocol's
 *   skeleton, 8x8x1 inputs, 10 classes), with one seeded batch of 64 training digits of the
 *   protocol's own split; jacob_cov uses the batch's first 32 examples, because 64 Jacobian rows of
 *   64 pixels, centred, span at most 63 dimensions, so a batch of 64 would always add a zero
 *   eigenvalue (a term of 1/k = 1e5) whose rounding would swamp the differences between cells;
 * - 'nb201': SynFlow, which needs no data, on the full-size NAS-Bench-201 network (C = 16, N = 5,
 *   32x32x3 inputs, 10 classes), with the fast SynFlow-only network (synflowNet.ts: |θ| drawn
 *   straight from tfjs's initialiser distributions, not tfjs's own draws), once per duplicate
 *   class: the 15,625 table cells compute 4930 distinct functions (`digitsBenchUniverse`, the cells
 *   NAS-Bench-Digits trains), and cells of one class have the same network after dead edges are
 *   dropped up to isomorphism, hence the same SynFlow distribution. `byTableCell` gives every
 *   table cell its class's score (one draw per class, so duplicates share it rather than each
 *   having its own).
 *
 * Each cell's weights are seeded by the survey's seed and the cell, so a record is a deterministic
 * function of the header and the cell on a given engine. Results go to a resumable, shardable
 * JSON-lines file (core/jsonlStore); −∞ (a network no signal crosses) is stored as null.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkOneOf, describe } from '../../core/checks';
import { openJsonlStore, readJsonl, runPending } from '../../core/jsonlStore';
import { createRng } from '../../core/rng';
import type { ShardSpec } from '../../core/shard';
import { digitsBenchData } from '../../benchmarks/digits/cell';
import { DEFAULT_DIGITS_PROTOCOL } from '../../benchmarks/digits/protocol';
import { digitsBenchUniverse, digitsCellKey } from '../../benchmarks/digits/shard';
import { nb201CellArch, nb201FromIndex, parseNb201Cell } from '../../spaces/nb201';
import * as tf from '@tensorflow/tfjs';
import { dataTensors } from '../../tensor/data';
import type { ResolvedNetworkOptions } from '../../tensor/arch';
import { zeroCostScores, type ZeroCostProxy } from './proxies';
import { synflowCellScore } from './synflowNet';

/** The tables a survey covers. */
export const ZERO_COST_SURVEYS = ['digits', 'nb201'] as const;
export type ZeroCostSurveyName = (typeof ZERO_COST_SURVEYS)[number];

/** What a survey computes: everything that fixes its numbers. */
export interface ZeroCostSurveyHeader {
  version: 1;
  survey: ZeroCostSurveyName;
  inputShape: number[];
  numClasses: number;
  network: ResolvedNetworkOptions;
  proxies: ZeroCostProxy[];
  /** The data batch (digits only): its size, the seed that draws it from the training split, and the rows jacob_cov uses. */
  batch: { size: number; seed: string; jacobianRows: number } | null;
  /** Seeds each cell's weights, with the cell. */
  seed: string;
  /** The tfjs version and backend that computed it. */
  engine: { tfjs: string; backend: string };
  /** nb201 only: which cells ('distinct': one representative per duplicate class) and how SynFlow's weights are drawn. */
  cells?: 'distinct';
  synflowWeights?: 'synflowKernels: sfc32, |He-normal| truncated at 2σ, |Glorot-uniform| classifier';
}

/** One cell's scores (synflow as its natural log; null for −∞). */
export interface ZeroCostRecord {
  cell: string;
  scores: Partial<Record<ZeroCostProxy, number | null>>;
  /** Wall time of scoring this cell (not reproducible). */
  seconds: number;
}

/**
 * The header of a survey on the active backend.
 * @example zeroCostSurveyHeader('digits', 'wasm').proxies // ['synflow', 'jacob_cov', ...]
 */
export function zeroCostSurveyHeader(survey: ZeroCostSurveyName, backend: string): ZeroCostSurveyHeader {
  checkOneOf('survey', survey, ZERO_COST_SURVEYS, 'zeroCostSurveyHeader');
  const engine = { tfjs: tf.version.tfjs, backend };
  if (survey === 'digits') {
    return { version: 1, survey, inputShape: [8, 8, 1], numClasses: 10, network: { ...DEFAULT_DIGITS_PROTOCOL.network }, proxies: ['synflow', 'jacob_cov', 'jacobian_norm', 'grad_norm', 'params', 'macs'], batch: { size: 64, seed: 'zerocost-batch', jacobianRows: 32 }, seed: 'zerocost', engine };
  }
  return {
    version: 1, survey, inputShape: [32, 32, 3], numClasses: 10, network: { channels: 16, cellsPerStage: 5, stages: 3 }, proxies: ['synflow', 'params', 'macs'], batch: null, seed: 'zerocost', engine,
    cells: 'distinct', synflowWeights: 'synflowKernels: sfc32, |He-normal| truncated at 2σ, |Glorot-uniform| classifier',
  };
}

/** The cells a survey scores, as canonical NAS-Bench-201 strings in a fixed order: one per duplicate class (4930). */
export function zeroCostSurveyCells(survey: ZeroCostSurveyName): string[] {
  checkOneOf('survey', survey, ZERO_COST_SURVEYS, 'zeroCostSurveyCells');
  return digitsBenchUniverse();
}

/** Options of runZeroCostSurvey. */
export interface RunZeroCostSurveyOptions {
  header: ZeroCostSurveyHeader;
  /** The results file (created, or resumed when it exists with the same header). */
  out: string;
  shard: ShardSpec;
  /** Stop after this many new cells (default: all). */
  limit?: number;
  progress?: (done: number, total: number) => void;
}

/**
 * Scores (or resumes scoring) one shard of a survey's cells, appending each cell's record.
 * @returns how many cells the shard has, how many were done before, and how many ran now
 * @throws Error when the file exists under another header
 */
export function runZeroCostSurvey(opts: RunZeroCostSurveyOptions): { total: number; before: number; ran: number } {
  const { header } = opts;
  const store = openJsonlStore<ZeroCostSurveyHeader, ZeroCostRecord>(opts.out, header, (r) => r.cell);
  const batch = header.batch ? surveyBatch(header.batch) : undefined;
  const shape = { inputShape: header.inputShape, numClasses: header.numClasses, ...header.network };
  const score = (cell: string): ZeroCostRecord => {
    const t0 = performance.now();
    const arch = nb201CellArch(parseNb201Cell(cell));
    const rng = createRng(`${header.seed}:${cell}`);
    const data = header.proxies.filter((p) => p !== 'jacob_cov' && !(header.synflowWeights && p === 'synflow'));
    const scores = zeroCostScores(arch, { ...shape, rng, batch: batch?.full, proxies: data });
    if (header.synflowWeights) scores.synflow = synflowCellScore(arch, { ...shape, rng });
    if (batch && header.proxies.includes('jacob_cov')) Object.assign(scores, zeroCostScores(arch, { ...shape, rng: createRng(`${header.seed}:${cell}`), batch: batch.jacobian, proxies: ['jacob_cov'] }));
    const stored = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
    return { cell, scores: stored, seconds: (performance.now() - t0) / 1000 };
  };
  try {
    return runPending(store, zeroCostSurveyCells(header.survey), (c) => c, score, opts);
  } finally {
    if (batch) tf.dispose([batch.full.x, batch.full.y, batch.jacobian.x, batch.jacobian.y]);
  }
}

/** The survey's seeded batch of training digits, and its first rows for jacob_cov. */
function surveyBatch(spec: NonNullable<ZeroCostSurveyHeader['batch']>) {
  const data = digitsBenchData(DEFAULT_DIGITS_PROTOCOL);
  const rows = createRng(spec.seed).shuffle(Array.from({ length: data.train.size }, (_, i) => i)).slice(0, spec.size);
  return tf.tidy(() => {
    const t = dataTensors(data, 'train', { layout: 'nhwc' });
    const idx = tf.tensor1d(rows, 'int32');
    const full = { x: tf.gather(t.x, idx), y: tf.gather(t.y, idx) };
    const jacobian = { x: full.x.slice(0, spec.jacobianRows), y: full.y.slice(0, spec.jacobianRows) };
    return { full, jacobian };
  });
}

/** A survey read back: its header and every cell's record, from all its shard files. */
export interface ZeroCostSurvey {
  header: ZeroCostSurveyHeader;
  records: ZeroCostRecord[];
}

/**
 * Reads a survey's shard files (`<survey>-*.jsonl` in a folder, or a list of files); the shards must share their header.
 * @throws Error when there is no shard or two shards disagree
 * @example loadZeroCostSurvey(dataPath('zerocost'), 'digits').records.length // 4930 when complete
 */
export function loadZeroCostSurvey(source: string | readonly string[], survey: ZeroCostSurveyName): ZeroCostSurvey {
  const caller = 'loadZeroCostSurvey';
  checkOneOf('survey', survey, ZERO_COST_SURVEYS, caller);
  const files = typeof source === 'string'
    ? fs.readdirSync(source).filter((f) => f.startsWith(`${survey}-`) && f.endsWith('.jsonl')).sort().map((f) => path.join(source, f))
    : [...source];
  if (files.length === 0) throw new Error(`${caller}: no ${survey}-*.jsonl shard in ${describe(source)}`);
  const shards = files.map((f) => readJsonl<ZeroCostSurveyHeader, ZeroCostRecord>(f));
  const header = shards[0].header;
  shards.forEach((s, i) => {
    if (JSON.stringify(s.header) !== JSON.stringify(header)) throw new Error(`${caller}: ${files[i]} was computed under another header than ${files[0]}`);
  });
  return { header, records: shards.flatMap((s) => s.records) };
}

/**
 * One proxy's score for every cell of the NAS-Bench-201 table (15,625 in index order), each taking
 * its duplicate class's record (a survey scores one representative per class): null where the
 * class is missing from a partial survey or scored −∞.
 * @param survey a loaded survey
 * @param proxy one of its proxies
 * @throws RangeError for a proxy the survey did not compute
 * @example const s = byTableCell(loadZeroCostSurvey(dataPath('zerocost'), 'nb201'), 'synflow'); s.length // 15625
 */
export function byTableCell(survey: ZeroCostSurvey, proxy: ZeroCostProxy): (number | null)[] {
  checkOneOf('proxy', proxy, survey.header.proxies, 'byTableCell');
  const byClass = new Map(survey.records.map((r) => [r.cell, r.scores[proxy] ?? null]));
  return Array.from({ length: 15625 }, (_, i) => byClass.get(digitsCellKey(nb201FromIndex(i))) ?? null);
}
