/**
 * From a latency survey to the chapter's comparison: the per-operation model fitted to the timed
 * operations of one batch size, its predictions for the timed networks (sum and depth-max), and
 * the MACs-only baseline beside them.
 */
import { checkInt, checkOneOf, describe } from '../../core/checks';
import { checkRng, type Rng } from '../../core/rng';
import { median } from '../../core/stats';
import { fitLatencyModel, fitLinearLatency, type LatencyModel } from './fit';
import { predictLatency } from './predict';
import type { Timing } from './measure';
import { surveyNetwork, type LatencySurvey } from './survey';

/** A latency model fitted to a survey's operations at one batch size. */
export interface SurveyModel {
  batch: number;
  statistic: TimingStatistic;
  model: LatencyModel;
  /** The empty model's median time at the networks' input shape: the fixed cost of one forward pass. */
  overheadMs: number;
  /** Operations it was fitted to. */
  samples: number;
}

/**
 * Which summary of the repeated passes to use: the median (the usual choice), or the minimum, the
 * pass least disturbed by other processes, which on a busy shared machine is the closer estimate
 * of what the operations themselves cost.
 */
export type TimingStatistic = 'median' | 'min';

const pick = (t: Timing, statistic: TimingStatistic): number => (statistic === 'median' ? t.medianMs : t.minMs);

function checkBatch(survey: LatencySurvey, batch: number, caller: string): number {
  checkInt('batch', batch, { min: 1 }, caller);
  if (!survey.settings.batches.includes(batch)) throw new RangeError(`${caller}: 'batch' must be one of the survey's batches ${survey.settings.batches.join(', ')}, got ${batch}`);
  return batch;
}

/**
 * Fits ℓ = a·M + b·S + c (global and per operation type) to the operations a survey timed at one
 * batch size, each operation's own time being its one-operation model minus the empty model (by
 * the same statistic).
 * @param survey a loaded survey (loadLatencySurvey)
 * @param batch one of the survey's batch sizes
 * @param statistic 'median' (default) or 'min' of the repeated passes, for operations, the empty model and networks alike
 * @throws RangeError for a batch the survey did not time, an unknown statistic, or too few operations of a type
 * @example fitSurveyModel(loadLatencySurvey(dir), 64).model.perOp.conv3x3
 */
export function fitSurveyModel(survey: LatencySurvey, batch: number, statistic: TimingStatistic = 'median'): SurveyModel {
  const caller = 'fitSurveyModel';
  if (typeof survey !== 'object' || survey === null || !Array.isArray(survey.ops)) throw new TypeError(`${caller}: 'survey' must be a loaded survey, got ${describe(survey)}`);
  checkBatch(survey, batch, caller);
  checkOneOf('statistic', statistic, ['median', 'min'] as const, caller);
  const ops = survey.ops.filter((o) => o.batch === batch);
  const opMs = (o: LatencySurvey['ops'][number]) => Math.max(0, pick(o.timing, statistic) - pick(o.empty, statistic));
  const model = fitLatencyModel(ops.map((o) => ({ op: o.op.op, macs: o.op.macs, outputSize: o.op.outputSize, ms: opMs(o) })));
  const inputKey = survey.settings.inputShape.join('x');
  const atInput = ops.filter((o) => o.op.inputShapes[0].join('x') === inputKey);
  const overheads = (atInput.length > 0 ? atInput : ops).map((o) => pick(o.empty, statistic));
  return { batch, statistic, model, overheadMs: median(overheads), samples: ops.length };
}

/** One timed network beside its predictions. */
export interface NetworkLatencyRow {
  cell: string;
  macs: number;
  /** Measured (ms), by the model's statistic (median or min of the passes). */
  measuredMs: number;
  /** Measured median and quartiles (ms). */
  medianMs: number;
  q25Ms: number;
  q75Ms: number;
  /** The fastest timed pass (ms): the least disturbed by other work on the machine. */
  minMs: number;
  /** Predicted: overhead + Σ operations (a sequential processor). */
  sumMs: number;
  /** Predicted: overhead + Σ_depth max (an idealised parallel processor): a model, not measured. */
  depthMaxMs: number;
  load1: number;
}

/**
 * Every network a survey timed at one batch size, with the model's predictions.
 * @param survey a loaded survey
 * @param fitted the model for the same batch size (fitSurveyModel)
 * @throws RangeError when the model was fitted at another batch size
 */
export function surveyPredictions(survey: LatencySurvey, fitted: SurveyModel): NetworkLatencyRow[] {
  const caller = 'surveyPredictions';
  checkBatch(survey, fitted.batch, caller);
  return survey.networks
    .filter((n) => n.batch === fitted.batch)
    .map((n) => {
      const net = surveyNetwork(survey.settings, n.cell);
      const opts = { overheadMs: fitted.overheadMs };
      return {
        cell: n.cell,
        macs: net.ops.reduce((a, o) => a + o.macs, 0),
        measuredMs: pick(n.timing, fitted.statistic),
        medianMs: n.timing.medianMs,
        q25Ms: n.timing.q25Ms,
        q75Ms: n.timing.q75Ms,
        minMs: n.timing.minMs,
        sumMs: predictLatency(net, fitted.model, opts),
        depthMaxMs: predictLatency(net, fitted.model, { ...opts, aggregate: 'depthMax' }),
        load1: n.load1,
      };
    });
}

/**
 * The MACs-only baseline: latency ≈ k·MACs + c fitted by least squares on networks, evaluated
 * out of fold (the networks split in two at random; each half predicted by the line fitted to the
 * other), so it is judged on networks it never saw, as the per-operation model is.
 * @param macs each network's MACs
 * @param measuredMs each network's measured latency
 * @param rng draws the split
 * @throws RangeError with fewer than 6 networks or different lengths
 * @example macsBaseline(rows.map((r) => r.macs), rows.map((r) => r.measuredMs), createRng(0))
 */
export function macsBaseline(macs: readonly number[], measuredMs: readonly number[], rng: Rng): number[] {
  const caller = 'macsBaseline';
  if (!Array.isArray(macs) || !Array.isArray(measuredMs) || macs.length !== measuredMs.length || macs.length < 6) {
    throw new RangeError(`${caller}: 'macs' and 'measuredMs' must be arrays of the same length, at least 6, got ${describe(macs)} and ${describe(measuredMs)}`);
  }
  checkRng('rng', rng, caller);
  const order = rng.shuffle(macs.map((_, i) => i));
  const half = new Set(order.slice(0, Math.floor(order.length / 2)));
  const fitOn = (inFold: boolean) => {
    const rows = macs.map((m, i) => ({ m, y: measuredMs[i], i })).filter((r) => half.has(r.i) === inFold);
    // A one-column fit: with output sizes all 0 the solver drops that column.
    return fitLinearLatency(rows.map((r) => ({ op: 'network', macs: r.m, outputSize: 0, ms: r.y })));
  };
  const [a, b] = [fitOn(true), fitOn(false)];
  return macs.map((m, i) => {
    const line = half.has(i) ? b : a;
    return Math.max(0, line.a * m + line.c);
  });
}
