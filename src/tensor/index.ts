/**
 * The tensor layer: the tfjs engine choice (and, as the other tensor modules land, kernels,
 * datasets, model building and training). `tf` is re-exported so notebooks, which import only
 * from "nasbook", can reach tfjs itself (tf.memory(), tf.tidy(), ...).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export { init, backendInfo, detectNativeTfjsNode } from './backend';
export type { BackendName, BackendInfo, InitOptions, NativeTfjsNodeStatus } from './backend';
