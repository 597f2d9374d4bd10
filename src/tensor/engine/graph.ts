/**
 * Compiles a network description into the tape-free step's graph: the description is walked with
 * the operation table (ops.ts), as the model builder walks it, but with primitives that make
 * engine nodes (./nodes) instead of tfjs layers. Parameters are created in the same order as the
 * model builder creates its weights, which is how a compiled graph takes a model's weights.
 */
import type { CellOp } from '../arch';
import { NETWORK_INPUT, type NetworkDescription } from '../network';
import { NETWORK_OPS, type Primitives } from '../ops';
import { BN_EPSILON, BN_MOMENTUM } from '../batchNorm';
import {
  AvgPoolNode, BatchNormNode, ConvNode, DenseNode, GlobalAvgPoolNode, InputNode, ReluNode, SumNode, ZeroNode, type Node, type Param, type ParamSource,
} from './nodes';

/** Thrown while compiling when the description holds an operation the step does not cover yet. */
export class NotCovered extends Error {}

/** The parameters of a graph in creation order; trainable ones get a place in the flat vector. */
export class ParamList implements ParamSource {
  readonly params: Param[] = [];
  /** Floats of all trainable parameters together (the flat vector the optimiser updates). */
  trainableSize = 0;

  param(shape: number[], trainable: boolean): Param {
    const size = shape.reduce((a, b) => a * b, 1);
    const p: Param = { shape: [...shape], size, trainable, value: 0, grad: 0 };
    this.params.push(p);
    if (trainable) this.trainableSize += size;
    return p;
  }
}

/** The operation table's primitives as engine nodes. */
class NodePrimitives implements Primitives<Node> {
  /** Every node made, in creation order: a topological order, since a node is made after its inputs. */
  readonly nodes: Node[] = [];

  constructor(private readonly params: ParamList) {}

  private made<T extends Node>(node: T): T {
    this.nodes.push(node);
    return node;
  }

  conv(x: Node, filters: number, kernelSize: number, strides: number): Node {
    return this.made(new ConvNode(x, this.params, filters, kernelSize, strides, false));
  }

  convLayer(x: Node, filters: number, kernelSize: number): Node {
    return this.made(new ConvNode(x, this.params, filters, kernelSize, 1, true));
  }

  dense(x: Node, units: number, activation: 'relu' | 'softmax'): Node {
    return this.made(new DenseNode(x, this.params, units, activation === 'relu'));
  }

  relu(x: Node): Node {
    return this.made(new ReluNode(x));
  }

  bn(x: Node): Node {
    return this.made(new BatchNormNode(x, this.params, { momentum: BN_MOMENTUM, epsilon: BN_EPSILON }));
  }

  avgPool(x: Node, poolSize: number, strides: number): Node {
    return this.made(new AvgPoolNode(x, poolSize, strides));
  }

  globalAvgPool(x: Node): Node {
    return this.made(new GlobalAvgPoolNode(x));
  }

  sum(terms: Node[]): Node {
    return terms.length === 1 ? terms[0] : this.made(new SumNode(terms));
  }

  zeroLike(x: Node): Node {
    return this.made(new ZeroNode(x));
  }

  mixed(_candidates: readonly CellOp[]): Node {
    throw new NotCovered('mixed edges');
  }
}

/** A compiled graph: its nodes in evaluation order (the input first) and its parameters. */
export interface Graph {
  input: InputNode;
  nodes: Node[];
  /** The classifier: a dense node whose outputs are the logits the loss takes. */
  output: Node;
  params: ParamList;
}

/**
 * The graph of a description, or the name of the first operation it does not cover.
 * @param net a description whose last operation is the softmax classifier
 */
export function compileGraph(net: NetworkDescription): Graph | string {
  const params = new ParamList();
  const p = new NodePrimitives(params);
  const input = new InputNode(net.inputShape);
  const values: Node[] = [];
  try {
    for (const op of net.ops) {
      const inputs = op.inputs.map((i) => (i === NETWORK_INPUT ? input : values[i]));
      values.push(NETWORK_OPS[op.op].build(p, inputs, op));
    }
  } catch (error) {
    if (error instanceof NotCovered) return error.message;
    throw error;
  }
  const last = net.ops[net.ops.length - 1];
  if (last.op !== 'dense' || last.activation !== 'softmax') return 'a network that does not end in a softmax classifier';
  return { input, nodes: p.nodes, output: values[values.length - 1], params };
}
