/**
 * The tensor layer: the tfjs engine choice, data sets, ONE plain-data network description (per-op
 * shapes, MACs, parameters, depth) read by the model builder and the cost model, training as steps you can drive, and seeded training. `tf` is re-exported so notebooks, which
 * import only from "nasbook", can reach tfjs itself (tf.memory(), tf.tidy(), ...).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export { init, backendInfo, detectNativeTfjsNode } from './backend';
export type { BackendName, BackendInfo, InitOptions, NativeTfjsNodeStatus } from './backend';
export {
  loadDigits, classCounts, stratifiedSplit, splitChecksum, prepareData, prepareDigits, dataTensors, SPLIT_PARTS, NORMALIZATION_KINDS,
  type ImageDataset, type SplitFractions, type DataSplit, type SplitPart, type NormalizationKind, type Normalization, type DataPart,
  type PreparedData, type FeatureLayout, type LabelEncoding,
} from './data';
export {
  CELL_OPS, DEFAULT_NETWORK_OPTIONS, checkArchitecture, checkMlpArch, checkCellArch, checkSupernetCell, resolveNetworkOptions, liveCell,
  isMixedEdge, withCandidates,
  type CellOp, type MlpArch, type CellEdge, type CellArch, type MixedEdge, type SupernetCell, type Architecture, type NetworkOptions,
  type ResolvedNetworkOptions, type LiveCell,
} from './arch';
export { NETWORK_OPS, candidateOp, type NetOpKind, type OpAttributes, type OpShapeCost, type Primitives, type OpDefinition } from './ops';
export {
  describeNetwork, describeConvNet, checkNetworkDescription, hasMixedEdges, NETWORK_INPUT,
  type NetworkDescription, type NetOp, type CellPosition, type ConvNetOptions,
} from './network';
export { archCost, networkCost, checkModelShape, type OpKind, type OpCost, type ArchCost, type ModelShape, type ModelOptions } from './cost';
export { buildModel, inputLayout, BatchNorm } from './models';
export { batchNormTraining, movingAverages } from './batchNorm';
export {
  GroupOptimizer, trainStep, evaluate, crossEntropy, correctCount, modelForward, trainableGroup, disposeStep,
  type Forward, type Batch, type VariableGroup, type OptimizerKind, type OptimizerConfig, type StepResult,
} from './step';
export { TapeFreeStep, type TapeFreeStepResult } from './engine';
export { Supernet, buildSupernet, argmaxCell, edgeKey, type SupernetOptions, type BatchNormStats } from './supernet';
export {
  train, OPTIMIZER_NAMES, LEARNING_RATE_SCHEDULES,
  type OptimizerName, type LearningRateSchedule, type EarlyStopping, type TrainOptions, type EpochRecord, type ResolvedTrainOptions, type TrainResult,
} from './train';
export {
  wasmGradientKernels, registerWasmKernels, unregisterWasmKernels, wasmKernelStatus, type WasmKernelState,
} from './kernels';
export { setKernelPack, withKernelPack, kernelPackEnabled, kernelPackStatus, kernelPackCalls, type KernelPackStatus } from './pack';
