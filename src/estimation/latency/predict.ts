/**
 * A network's predicted latency from its description: each operation's time from the fitted
 * per-operation model (its own type's fit when there is one, the global fit otherwise), then
 * aggregated over the operation graph, sequentially (sum) or in parallel by depth (depth-max).
 */
import { checkNumber, checkOneOf, describe } from '../../core/checks';
import { checkNetworkDescription, type NetworkDescription } from '../../tensor/network';
import { depthMaxLatency, sequentialLatency, type TimedOp } from './aggregate';
import { predictOpLatency, type LatencyModel, type LinearLatencyModel } from './fit';

/** How per-operation times add up: 'sum' (a sequential processor) or 'depthMax' (an idealised parallel one). */
export type LatencyAggregation = 'sum' | 'depthMax';

/** Options of {@link predictLatency}. */
export interface PredictLatencyOptions {
  /** 'sum' (default) or 'depthMax'. */
  aggregate?: LatencyAggregation;
  /** A fixed cost per forward pass, added once (for example a measured empty model; default 0). */
  overheadMs?: number;
}

function checkModel(model: unknown, caller: string): LatencyModel {
  const m = model as Partial<LatencyModel> | null;
  if (typeof m !== 'object' || m === null || typeof m.global !== 'object' || m.global === null || typeof m.perOp !== 'object' || m.perOp === null) {
    throw new TypeError(`${caller}: 'model' must be a fitted latency model { global, perOp } (from fitLatencyModel), got ${describe(model)}`);
  }
  return m as LatencyModel;
}

/** The per-operation model used for an operation type: its own fit, else the global one. */
function modelFor(model: LatencyModel, op: string): LinearLatencyModel {
  return model.perOp[op] ?? model.global;
}

/**
 * Each operation of a network with its predicted time, ready for the aggregations.
 * @param net a network description (from describeNetwork)
 * @param model a fitted latency model (from fitLatencyModel)
 * @throws TypeError if net or model is not one
 * @example timedOps(describeNetwork(cell, opts), model).map((o) => o.time) // predicted ms per operation
 */
export function timedOps(net: NetworkDescription, model: LatencyModel): (TimedOp & { name: string; op: string })[] {
  const caller = 'timedOps';
  const d = checkNetworkDescription('net', net, caller);
  const m = checkModel(model, caller);
  // A negative prediction (an intercept below 0 extrapolated to a tiny op) is clipped: time is never negative.
  return d.ops.map((o) => ({ name: o.name, op: o.op, inputs: o.inputs, time: Math.max(0, predictOpLatency(modelFor(m, o.op), o)) }));
}

/**
 * The predicted latency of one forward pass of a network: per-operation predictions, aggregated.
 * @param net a network description (from describeNetwork)
 * @param model a fitted latency model (from fitLatencyModel), in milliseconds
 * @param opts aggregate ('sum' or 'depthMax') and a fixed per-pass overhead
 * @throws TypeError/RangeError for a bad description, model or option
 * @example predictLatency(describeNetwork(cell, { inputShape: [8, 8, 1], numClasses: 10 }), model) // ms
 */
export function predictLatency(net: NetworkDescription, model: LatencyModel, opts: PredictLatencyOptions = {}): number {
  const caller = 'predictLatency';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be { aggregate?, overheadMs? }, got ${describe(opts)}`);
  const aggregate = checkOneOf('opts.aggregate', opts.aggregate ?? 'sum', ['sum', 'depthMax'] as const, caller);
  const overhead = checkNumber('opts.overheadMs', opts.overheadMs ?? 0, { min: 0 }, caller);
  const ops = timedOps(net, model);
  return overhead + (aggregate === 'sum' ? sequentialLatency(ops) : depthMaxLatency(ops));
}
