/**
 * The latency survey behind chapter 06: single operations across shapes (the micro-benchmarks the
 * per-operation model is fitted to) and whole networks of the NAS-Bench-201 cell space (what the
 * model must predict), each at several batch sizes, timed on this machine with the harness of
 * measure.ts. Too slow for a notebook (minutes), so it runs once by a command and ships in data/.
 *
 * Resumable and shardable like the NAS-Bench-Digits build: task k of the list belongs to shard
 * (k mod n) + 1; a shard file is JSON lines, a header first (settings, machine, load), then one
 * record per finished task, appended as it finishes, so a killed run restarts where it stopped.
 * Tasks run in a seeded shuffled order, so a change of the machine's load during the run falls on
 * operations and networks alike instead of on whichever came last.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkArray, checkInt, checkString, describe } from '../../core/checks';
import { openJsonlStore, readJsonl, runPending } from '../../core/jsonlStore';
import { createRng } from '../../core/rng';
import type { ShardSpec } from '../../core/shard';
import { nb201CellArch, parseNb201Cell } from '../../spaces/nb201';
import { tf } from '../../tensor';
import { backendInfo } from '../../tensor/backend';
import { describeNetwork, type NetOp, type NetworkDescription } from '../../tensor/network';
import type { ResolvedNetworkOptions } from '../../tensor/arch';
import { measureNetwork, measureOperation, type Timing } from './measure';

/** What a survey measures and how. Plain JSON, recorded in every shard header. */
export interface LatencySurveySettings {
  version: 1;
  /** One example of the networks' input, and their classes. */
  inputShape: number[];
  numClasses: number;
  /** How the cells are stacked (the NAS-Bench-Digits skeleton). */
  network: ResolvedNetworkOptions;
  /** Canonical NAS-Bench-201 cell strings of the networks to time. */
  cells: string[];
  batches: number[];
  warmup: number;
  repeats: number;
  /** Seeds the task order, the weights and the inputs. */
  seed: string;
}

/** The machine a shard ran on, and how busy it was when it started. */
export interface SurveyMachine {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  tfjs: string;
  backend: string;
  /** os.loadavg() when the shard started: 1, 5 and 15 minutes. */
  loadAtStart: number[];
  started: string;
}

/** One operation to time alone. */
export interface OpTask {
  kind: 'op';
  key: string;
  batch: number;
  /** The operation as a description holds it (op, input shapes, channels, MACs, output size). */
  op: NetOp;
}

/** One network to time. */
export interface NetworkTask {
  kind: 'network';
  key: string;
  batch: number;
  cell: string;
}

/** A finished task: what was timed, its timing and the 1-minute load when it ran. */
export type SurveyRecord = (OpTask | NetworkTask) & { timing: Timing; load1: number; empty?: Timing };

/** The shapes each kind of operation is timed at: [height = width, channels] (stem: output channels). */
const CELL_SHAPES: readonly [number, number][] = [[8, 4], [8, 8], [8, 16], [4, 8], [4, 16], [4, 32], [2, 16], [2, 32]];
const STEM_SHAPES: readonly [number, number][] = [[8, 4], [8, 8], [8, 16], [4, 8], [16, 8]];
const REDUCTION_SHAPES: readonly [number, number][] = [[8, 4], [8, 8], [8, 16], [4, 8], [4, 16]];
const HEAD_SHAPES: readonly [number, number][] = [[4, 16], [4, 8], [8, 16], [2, 32], [8, 8]];
const DENSE_INPUTS: readonly number[] = [8, 16, 32, 64];

/** The one operation of a small description whose op is `kind`. */
function findOp(net: NetworkDescription, kind: string): NetOp {
  const found = net.ops.find((o) => o.op === kind);
  if (!found) throw new Error(`latency survey: no '${kind}' operation in ${net.ops.map((o) => o.op).join(', ')}`);
  return found;
}

/**
 * Every operation kind a NAS-Bench-201 network holds, at the survey's shapes: the cell operations
 * (and 'add', 'zero') inside a one-stage network of that size, stem, reduction, head and the
 * dense classifier in networks built around them.
 */
export function surveyOperations(numClasses: number): NetOp[] {
  const ops: NetOp[] = [];
  const cellNet = (h: number, c: number, cell: string, stages = 1) =>
    describeNetwork(nb201CellArch(parseNb201Cell(cell)), { inputShape: [h, h, c], numClasses, channels: c, stages, cellsPerStage: 1 });
  for (const [h, c] of CELL_SHAPES) {
    const net = cellNet(h, c, '|conv1x1~0|+|conv3x3~0|avgpool3x3~1|+|skip~0|none~1|skip~2|');
    for (const kind of ['conv1x1', 'conv3x3', 'avgpool3x3', 'skip', 'add']) ops.push(findOp(net, kind));
    ops.push(findOp(cellNet(h, c, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|'), 'zero'));
  }
  for (const [h, c] of STEM_SHAPES) ops.push(findOp(describeNetwork(nb201CellArch(parseNb201Cell('|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|')), { inputShape: [h, h, 1], numClasses, channels: c, stages: 1 }), 'stem'));
  for (const [h, c] of REDUCTION_SHAPES) ops.push(findOp(cellNet(h, c, '|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|', 2), 'reduction'));
  for (const [h, c] of HEAD_SHAPES) ops.push(findOp(cellNet(h, c, '|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|'), 'head'));
  for (const n of DENSE_INPUTS) ops.push(findOp(cellNet(2, n, '|skip~0|+|none~0|skip~1|+|none~0|none~1|skip~2|'), 'dense'));
  return ops;
}

function opKey(op: NetOp, batch: number): string {
  return `op ${op.op} ${op.inputShapes.map((s) => s.join('x')).join('+')}->${op.outputShape.join('x')} b${batch}`;
}

/**
 * Every task of a survey in its seeded run order (operations and networks shuffled together).
 * @param settings the survey's settings
 * @example surveyTasks(settings).length // (operations + cells) × batches
 */
export function surveyTasks(settings: LatencySurveySettings): (OpTask | NetworkTask)[] {
  const tasks: (OpTask | NetworkTask)[] = [];
  for (const batch of settings.batches) {
    for (const op of surveyOperations(settings.numClasses)) tasks.push({ kind: 'op', key: opKey(op, batch), batch, op });
    for (const cell of settings.cells) tasks.push({ kind: 'network', key: `net ${cell} b${batch}`, batch, cell });
  }
  return createRng(`${settings.seed}/order`).shuffle(tasks);
}

/** The network a survey times for a cell. */
export function surveyNetwork(settings: Pick<LatencySurveySettings, 'inputShape' | 'numClasses' | 'network'>, cell: string): NetworkDescription {
  return describeNetwork(nb201CellArch(parseNb201Cell(cell)), { inputShape: settings.inputShape, numClasses: settings.numClasses, ...settings.network });
}

function machine(): SurveyMachine {
  const info = backendInfo();
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    tfjs: tf.version.tfjs,
    backend: info?.backend ?? tf.getBackend(),
    loadAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    started: new Date().toISOString(),
  };
}

/** A shard file read back. */
export interface SurveyShard {
  settings: LatencySurveySettings;
  machine: SurveyMachine;
  records: SurveyRecord[];
}

/** A shard file's first line: what is measured (matched on resuming) and where (recorded only). */
interface SurveyHeader {
  settings: LatencySurveySettings;
  machine: SurveyMachine;
}

/**
 * Reads a shard file: its header and the records finished so far (a torn last line, from a run
 * killed while writing, is ignored: that task simply runs again).
 * @throws Error naming the file when it has no valid header
 */
export function readSurveyShard(file: string): SurveyShard {
  const { header, records } = readJsonl<SurveyHeader, SurveyRecord>(file);
  if (typeof header.settings !== 'object' || header.settings === null || typeof header.machine !== 'object') {
    throw new Error(`readSurveyShard: ${file} must start with a header { header: { settings, machine } }, got ${describe(header)}`);
  }
  return { settings: header.settings, machine: header.machine, records };
}

function settingsMismatch(found: SurveyHeader, wanted: SurveyHeader): string | null {
  return JSON.stringify(found.settings) === JSON.stringify(wanted.settings) ? null : 'was made with other settings; use another --out or delete it';
}

/** Options of {@link runLatencySurvey}. */
export interface RunSurveyOptions {
  settings: LatencySurveySettings;
  /** The shard file (created, or resumed when it exists with the same settings). */
  out: string;
  shard: ShardSpec;
  /** Stop after this many new tasks (for a short run; default: all). */
  limit?: number;
  /** Called after each task with (done, total). */
  progress?: (done: number, total: number) => void;
}

/**
 * Runs (or resumes) one shard of a survey on the active backend (call `init()` first), appending
 * each finished task to the shard file.
 * @returns how many tasks the shard has, how many were done before, and how many ran now
 * @throws Error when the file exists with different settings; TypeError/RangeError for bad options
 */
export function runLatencySurvey(opts: RunSurveyOptions): { total: number; before: number; ran: number } {
  const caller = 'runLatencySurvey';
  const s = checkSettings(opts.settings, caller);
  checkString('out', opts.out, caller);
  const limit = checkInt('limit', opts.limit ?? Number.MAX_SAFE_INTEGER, { min: 0 }, caller);
  const store = openJsonlStore<SurveyHeader, SurveyRecord>(opts.out, { settings: s, machine: machine() }, (r) => r.key, { mismatch: settingsMismatch });
  const measure = (task: OpTask | NetworkTask): SurveyRecord => {
    const rng = createRng(`${s.seed}/${task.key}`);
    const timingOpts = { batch: task.batch, warmup: s.warmup, repeats: s.repeats, rng };
    if (task.kind === 'op') {
      const { empty, overheadMs: _o, opMs: _m, ...timing } = measureOperation(task.op, timingOpts);
      return { ...task, timing, empty, load1: os.loadavg()[0] };
    }
    return { ...task, timing: measureNetwork(surveyNetwork(s, task.cell), timingOpts), load1: os.loadavg()[0] };
  };
  return runPending(store, surveyTasks(s), (t) => t.key, measure, { shard: opts.shard, limit, progress: opts.progress });
}

function checkSettings(settings: unknown, caller: string): LatencySurveySettings {
  if (typeof settings !== 'object' || settings === null) throw new TypeError(`${caller}: 'settings' must be a survey's settings, got ${describe(settings)}`);
  const s = settings as LatencySurveySettings;
  checkArray<string>('settings.cells', s.cells, { minLength: 1 }, caller).forEach((c, i) => checkString(`settings.cells[${i}]`, c, caller));
  checkArray<number>('settings.batches', s.batches, { minLength: 1 }, caller).forEach((b, i) => checkInt(`settings.batches[${i}]`, b, { min: 1, max: 4096 }, caller));
  checkInt('settings.repeats', s.repeats, { min: 1 }, caller);
  checkInt('settings.warmup', s.warmup, { min: 0 }, caller);
  checkString('settings.seed', s.seed, caller);
  return s;
}

/** A whole survey: the settings and machines of its shards, every record. */
export interface LatencySurvey {
  settings: LatencySurveySettings;
  machines: SurveyMachine[];
  /** Timed operations, each with the empty model timed beside it. */
  ops: (OpTask & { timing: Timing; load1: number; empty: Timing })[];
  networks: (NetworkTask & { timing: Timing; load1: number })[];
}

/**
 * Reads every shard file of a survey (`survey-*.jsonl` in a folder, or a list of files) into one
 * survey; the shards must share their settings.
 * @throws Error when there is no shard or the shards disagree on their settings
 * @example loadLatencySurvey(dataPath('latency')).networks.length // 600: 300 cells at batch 1 and 64
 */
export function loadLatencySurvey(source: string | readonly string[]): LatencySurvey {
  const caller = 'loadLatencySurvey';
  const files =
    typeof source === 'string'
      ? fs
          .readdirSync(source)
          .filter((f) => /^survey-.*\.jsonl$/.test(f))
          .sort()
          .map((f) => path.join(source, f))
      : [...source];
  if (files.length === 0) throw new Error(`${caller}: no survey shard (survey-*.jsonl) in ${describe(source)}`);
  const shards = files.map(readSurveyShard);
  const settings = shards[0].settings;
  shards.forEach((sh, i) => {
    if (JSON.stringify(sh.settings) !== JSON.stringify(settings)) throw new Error(`${caller}: ${files[i]} has other settings than ${files[0]}`);
  });
  const records = shards.flatMap((sh) => sh.records);
  return {
    settings,
    machines: shards.map((sh) => sh.machine),
    ops: records.filter((r): r is LatencySurvey['ops'][number] => r.kind === 'op'),
    networks: records.filter((r): r is LatencySurvey['networks'][number] => r.kind === 'network'),
  };
}
