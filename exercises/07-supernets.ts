/**
 * Chapter 07, weight sharing: your exercise.
 *
 * The chapter's model of how a supernet ranks architectures while it trains: with s the stand-alone
 * accuracies and q the supernet's bias before training, its prediction after E epochs is
 *
 *   p(E) = α(E)·s + (1 − α(E))·q,   α(E) = E / (E + λ),
 *
 * and its quality is the Spearman rank correlation ρ(E) = Spearman(p(E), s).
 *
 * Run `await check("07")` in the notebook to see which cases pass.
 */
import { spearman } from 'nasbook';
// spearman(x, y) is Spearman's rank correlation with average ranks for ties; it throws when x or
// y is constant (every value equal), because the correlation is then undefined.

/**
 * α(E) = E / (E + λ): 0 before training, 1/2 after λ epochs, approaching 1.
 * Check: mixingWeight(10, 10) = 0.5.
 */
export function mixingWeight(epochs: number, lambda: number): number {
  throw new Error('TODO: return epochs / (epochs + lambda)');
}

/**
 * The modelled prediction p(E) = α(E)·s + (1 − α(E))·q, one value per architecture.
 * Check: supernetPrediction([90, 80], [70, 95], 5, 5) = [80, 87.5].
 */
export function supernetPrediction(s: number[], q: number[], epochs: number, lambda: number): number[] {
  throw new Error('TODO: mix s and q with the weight alpha(E)');
}

/**
 * ρ(E) = Spearman(p(E), s). When p(E) gives every architecture the same value it ranks nothing:
 * return 0 in that case (spearman would throw).
 * Check: s = [1, 2, 3], q = [3, 2, 1], E = 0 gives −1 (ρ(0) is Spearman(q, s)); E = 3, λ = 1 gives 1.
 */
export function rankCorrelation(s: number[], q: number[], epochs: number, lambda: number): number {
  throw new Error('TODO: return spearman(p(E), s), or 0 when p(E) is constant');
}

/**
 * ρ(E) at every budget of `epochs`, in order.
 * Check: rankCorrelationCurve([1, 2, 3], [3, 1, 2], [0, 10], 1) = [−0.5, 1].
 */
export function rankCorrelationCurve(s: number[], q: number[], epochs: number[], lambda: number): number[] {
  throw new Error('TODO: return rankCorrelation at each budget');
}

/**
 * The output of one sub-network of a weight-sharing supernet, evaluated with the weights it
 * inherits. The supernet's cell has nodes 0..n−1: node 0 is the input x, node n−1 the output, and
 * n − 1 is the largest node number in `path`. Every edge i→j (i < j) has candidate operations;
 * `shared["i->j"][op]` is candidate op's weight matrix on that edge, the one matrix every
 * sub-network that picks op there uses. The sub-network (`path`) picks one operation per edge
 * (an edge missing from `path` is 'none'):
 *   'none' adds nothing, 'skip' adds hᵢ unchanged, any other op adds relu(W·hᵢ) with its shared W.
 * Node j is the sum over its incoming edges, hⱼ = Σ_{i<j} op_{i→j}(hᵢ). Return h_{n−1}.
 * Check: shared = { "0->1": { conv: [[1, 0], [0, -1]] } }, path = { "0->1": "conv" }, x = [3, 4]
 * gives relu([3, −4]) = [3, 0].
 */
export function subnetOutput(shared: Record<string, Record<string, number[][]>>, path: Record<string, string>, x: number[]): number[] {
  throw new Error('TODO: walk the nodes in order, summing each incoming edge\'s operation with its shared weights');
}
