/**
 * Parameter count and multiply-accumulates (MACs) of a network, read from its description
 * (`describeNetwork`), op by op, without building anything. The latency chapter fits per-op
 * latencies to these numbers; the search chapters use the totals as model-size objectives.
 *
 * The conventions (per example, batch 1) are those of the operation table in ops.ts: a k x k
 * convolution does H·W·C_out·k²·C_in MACs, a dense layer n·m; pooling counts one accumulate per
 * window element; batch norm, ReLU, identity and additions count 0 MACs; batch norm's moving
 * statistics are non-trainable parameters, which tfjs's `countParams()` includes. Only the live
 * part of each cell is counted (see `liveCell`), exactly as the builder builds it.
 */
import type { Architecture, SupernetCell } from './arch';
import { checkNetworkDescription, describeChecked, type ModelOptions, type NetworkDescription } from './network';
import type { NetOpKind } from './ops';

export { checkModelShape, type ModelShape, type ModelOptions } from './network';

/** What one entry of the cost breakdown is (an entry of the operation table). */
export type OpKind = NetOpKind;

/** The cost of one operation of a network. */
export interface OpCost {
  /** Where it sits, e.g. 'stage2/cell1/edge3<-1', 'stage2/reduction', 'classifier'. */
  name: string;
  op: OpKind;
  /** Multiply-accumulates per example. */
  macs: number;
  /** Trainable parameters. */
  params: number;
  /** Non-trainable parameters (batch norm moving statistics). */
  nonTrainableParams: number;
  /** Shape of the output for one example ([h, w, c] or [units]). */
  outputShape: number[];
  /** Number of output values for one example. */
  outputSize: number;
}

/** The cost of a whole network and its per-op breakdown. */
export interface ArchCost {
  /** Trainable parameters. */
  params: number;
  nonTrainableParams: number;
  /** params + nonTrainableParams: what tfjs's `model.countParams()` reports. */
  totalParams: number;
  /** Multiply-accumulates per example. */
  macs: number;
  ops: OpCost[];
}

/**
 * Parameters and MACs of a network, with a per-op breakdown, from its description.
 * @param net a network description (from describeNetwork)
 * @throws TypeError when `net` is not a description
 * @example networkCost(describeNetwork({ kind: 'mlp', widths: [32] }, { inputShape: [8, 8, 1], numClasses: 10 })).params // 2410
 */
export function networkCost(net: NetworkDescription): ArchCost {
  checkNetworkDescription('net', net, 'networkCost');
  const ops = net.ops.map((o) => ({
    name: o.name,
    op: o.op,
    macs: o.macs,
    params: o.params,
    nonTrainableParams: o.nonTrainableParams,
    outputShape: [...o.outputShape],
    outputSize: o.outputSize,
  }));
  const params = ops.reduce((a, o) => a + o.params, 0);
  const nonTrainableParams = ops.reduce((a, o) => a + o.nonTrainableParams, 0);
  return { params, nonTrainableParams, totalParams: params + nonTrainableParams, macs: ops.reduce((a, o) => a + o.macs, 0), ops };
}

/**
 * Parameters and MACs of the network an architecture describes, with a per-op breakdown, computed
 * from its description (see networkCost and describeNetwork).
 * @param arch an MLP genome, a cell, or a supernet cell
 * @param opts inputShape ([8, 8, 1] for digits), numClasses, and for a cell the network options
 *   (channels, cellsPerStage, stages)
 * @throws TypeError/RangeError for an invalid architecture or option
 * @example archCost({ kind: 'mlp', widths: [32] }, { inputShape: [8, 8, 1], numClasses: 10 }).params
 * // 64·32 + 32 + 32·10 + 10 = 2410
 */
export function archCost(arch: Architecture | SupernetCell, opts: ModelOptions): ArchCost {
  return networkCost(describeChecked(arch, opts, 'archCost'));
}
