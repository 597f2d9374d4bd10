/**
 * An energy model of inference: what one forward pass of a network would cost in a 45 nm
 * process, from its per-operation arithmetic and data movement. It is a MODEL, computed from the
 * network's description; nothing here is measured (this machine exposes no energy counter), and
 * the absolute numbers are only as good as the published constants. What it gets right is the
 * structure: arithmetic scales with multiply-accumulates, memory traffic with bytes moved, and
 * moving a byte from a large memory costs far more than an operation on it.
 *
 * Constants (Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014,
 * 45 nm, 0.9 V; the table of his Figure 1.1.9):
 * - 32-bit floating-point multiply 3.7 pJ, 32-bit floating-point add 0.9 pJ: one FP32
 *   multiply-accumulate = 4.6 pJ;
 * - a 64-bit read from an 8 KB SRAM 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ; DRAM 1.3–2.6 nJ.
 *
 * How they are applied, per operation of `archCost(...).ops`, with 4-byte (FP32) values:
 * - arithmetic: macs × 4.6 pJ;
 * - activations: each output value is written once and read once by its consumer, from a 32 KB
 *   cache: outputSize × 4 B × 2 × (20 pJ / 8 B);
 * - weights: every parameter (batch-norm statistics included) is read once per inference from a
 *   1 MB cache, where a small network's weights fit: params × 4 B × (100 pJ / 8 B).
 * Identity ('skip') and 'zero' edges move nothing. Swap the constants (`EnergyConstants`) to model
 * weights in DRAM or 8-bit arithmetic.
 */
import { checkNumber, describe } from '../core/checks';
import { archCost, type ArchCost, type ModelOptions, type OpCost, type OpKind } from '../tensor/cost';
import type { Architecture } from '../tensor/arch';

/** The energy constants of the model, in picojoules. */
export interface EnergyConstants {
  /** One multiply-accumulate. */
  macPJ: number;
  /** Moving one byte of activations (one write or one read). */
  activationBytePJ: number;
  /** Reading one byte of weights. */
  weightBytePJ: number;
  /** Bytes per value (4 for FP32). */
  bytesPerValue: number;
  /** Where the numbers come from. */
  source: string;
}

/**
 * Horowitz (ISSCC 2014), 45 nm: FP32 MAC = 3.7 pJ (multiply) + 0.9 pJ (add); activations in a
 * 32 KB SRAM (20 pJ per 64-bit access = 2.5 pJ/B); weights in a 1 MB SRAM (100 pJ per 64-bit
 * access = 12.5 pJ/B); FP32 values.
 */
export const HOROWITZ_45NM: Readonly<EnergyConstants> = Object.freeze({
  macPJ: 3.7 + 0.9,
  activationBytePJ: 20 / 8,
  weightBytePJ: 100 / 8,
  bytesPerValue: 4,
  source: 'M. Horowitz, "Computing\'s energy problem (and what we can do about it)", ISSCC 2014, 45 nm: FP32 mult 3.7 pJ + add 0.9 pJ; 64-bit SRAM read 20 pJ (32 KB), 100 pJ (1 MB)',
});

/** The modelled energy of one operation, in picojoules. */
export interface OpEnergy {
  name: string;
  op: OpKind;
  computePJ: number;
  activationPJ: number;
  weightPJ: number;
  totalPJ: number;
}

/** The modelled energy of one inference (one example), with its per-operation breakdown. */
export interface EnergyEstimate {
  /** Total in microjoules (1 µJ = 10⁶ pJ). */
  microjoules: number;
  computePJ: number;
  activationPJ: number;
  weightPJ: number;
  totalPJ: number;
  ops: OpEnergy[];
  constants: EnergyConstants;
}

/** Operations that produce no new tensor: an identity passes its input on, a zero edge is dropped. */
const MOVES_NOTHING: ReadonlySet<OpKind> = new Set<OpKind>(['skip', 'zero']);

/**
 * The modelled energy of one inference from a network's per-operation costs.
 * @param cost the output of `archCost` (or any `{ ops }` with macs, outputSize and parameters per op)
 * @param constants default {@link HOROWITZ_45NM}
 * @throws TypeError/RangeError for a cost without ops, an op with a negative or non-finite count, or a negative constant
 * @example energyFromCost(archCost({ kind: 'mlp', widths: [3] }, { inputShape: [4], numClasses: 2 })).totalPJ
 * // MACs 18 × 4.6 + outputs 5 × 4 B × 2 × 2.5 + weights 23 × 4 B × 12.5 = 82.8 + 100 + 1150 = 1332.8
 */
export function energyFromCost(cost: Pick<ArchCost, 'ops'>, constants: EnergyConstants = HOROWITZ_45NM): EnergyEstimate {
  const caller = 'energyFromCost';
  const k = checkConstants(constants, caller);
  if (typeof cost !== 'object' || cost === null || !Array.isArray(cost.ops)) throw new TypeError(`${caller}: 'cost' must be an archCost result { ops }, got ${describe(cost)}`);
  const ops = cost.ops.map((o, i) => opEnergy(o, k, i, caller));
  const sum = (f: (e: OpEnergy) => number) => ops.reduce((a, e) => a + f(e), 0);
  const totalPJ = sum((e) => e.totalPJ);
  return { microjoules: totalPJ / 1e6, computePJ: sum((e) => e.computePJ), activationPJ: sum((e) => e.activationPJ), weightPJ: sum((e) => e.weightPJ), totalPJ, ops, constants: k };
}

/**
 * The modelled energy of one inference of the network an architecture describes: `archCost`, then
 * {@link energyFromCost}.
 * @param arch an MLP genome or a cell
 * @param opts inputShape, numClasses and (for a cell) the network options, as for `archCost`
 * @throws as `archCost` and {@link energyFromCost}
 * @example networkEnergy(nb201CellArch(parseNb201Cell('|conv3x3~0|+|skip~0|conv1x1~1|+|none~0|skip~1|avgpool3x3~2|')), { inputShape: [8, 8, 1], numClasses: 10, channels: 8, stages: 2 }).microjoules
 */
export function networkEnergy(arch: Architecture, opts: ModelOptions, constants: EnergyConstants = HOROWITZ_45NM): EnergyEstimate {
  return energyFromCost(archCost(arch, opts), constants);
}

function opEnergy(o: OpCost, k: EnergyConstants, i: number, caller: string): OpEnergy {
  if (typeof o !== 'object' || o === null) throw new TypeError(`${caller}: 'cost.ops[${i}]' must be an op cost, got ${describe(o)}`);
  const macs = checkNumber(`cost.ops[${i}].macs`, o.macs, { min: 0 }, caller);
  const outputs = checkNumber(`cost.ops[${i}].outputSize`, o.outputSize, { min: 0 }, caller);
  const weights = checkNumber(`cost.ops[${i}].params`, o.params, { min: 0 }, caller) + checkNumber(`cost.ops[${i}].nonTrainableParams`, o.nonTrainableParams ?? 0, { min: 0 }, caller);
  const computePJ = macs * k.macPJ;
  const activationPJ = MOVES_NOTHING.has(o.op) ? 0 : outputs * k.bytesPerValue * 2 * k.activationBytePJ;
  const weightPJ = weights * k.bytesPerValue * k.weightBytePJ;
  return { name: o.name, op: o.op, computePJ, activationPJ, weightPJ, totalPJ: computePJ + activationPJ + weightPJ };
}

function checkConstants(c: unknown, caller: string): EnergyConstants {
  if (typeof c !== 'object' || c === null) throw new TypeError(`${caller}: 'constants' must be { macPJ, activationBytePJ, weightBytePJ, bytesPerValue, source }, got ${describe(c)}`);
  const o = c as EnergyConstants;
  checkNumber('constants.macPJ', o.macPJ, { min: 0 }, caller);
  checkNumber('constants.activationBytePJ', o.activationBytePJ, { min: 0 }, caller);
  checkNumber('constants.weightBytePJ', o.weightBytePJ, { min: 0 }, caller);
  checkNumber('constants.bytesPerValue', o.bytesPerValue, { min: 0, exclusiveMin: true }, caller);
  return o;
}
