/**
 * Chapter 06, hardware-aware NAS: your exercise.
 *
 * A network is a graph of operations. Given each operation's time, its latency on a sequential
 * processor is the sum of the times; on an idealised parallel processor, operations at the same
 * depth run side by side, so each depth costs its slowest operation. And each operation's time is
 * modelled as ℓ = a·M + b·S + c (M its multiply-accumulates, S its output size), fitted to
 * measurements by least squares.
 *
 * An operation graph is a list `ops` of { inputs, time }: `inputs` holds the indices (into `ops`)
 * of the operations it reads, -1 for the network input. The list is NOT necessarily in evaluation
 * order; it has no cycle.
 *
 * Run `await check("06")` in the notebook to see which cases pass.
 */

/**
 * The latency on a sequential processor: the sum of every operation's time.
 * Check: times 3 and 5 side by side, then an add of 1: 9.
 */
export function sequentialLatency(ops: { inputs: number[]; time: number }[]): number {
  throw new Error('TODO: return the sum of the times');
}

/**
 * The latency on an idealised parallel processor: Σ over depth levels of the largest time at that
 * level, where depth(op) = 1 + the largest depth of its inputs and the network input (-1) has depth 0.
 * Check: times 3 and 5 side by side (both depth 1), then an add of 1 (depth 2): 5 + 1 = 6.
 */
export function depthMaxLatency(ops: { inputs: number[]; time: number }[]): number {
  throw new Error('TODO: compute each op\'s depth, then sum the maximum time of each depth');
}

/**
 * The least-squares fit of ms ≈ a·macs + b·outputSize + c to measured operations (at least three,
 * and never all on one line: the fit is unique).
 *
 * Minimise Σ (msᵢ − a·Mᵢ − b·Sᵢ − c)². Setting the three partial derivatives to zero gives the
 * normal equations XᵀX [a, b, c]ᵀ = Xᵀy with rows Xᵢ = [Mᵢ, Sᵢ, 1]: a 3 x 3 linear system.
 * Cramer's rule or Gaussian elimination on the 3 x 3 system is a few lines.
 * Check: (M, S, ms) = (0, 1, 1), (10, 1, 2), (0, 3, 2) gives { a: 0.1, b: 0.5, c: 0.5 }.
 */
export function fitLatency(samples: { macs: number; outputSize: number; ms: number }[]): { a: number; b: number; c: number } {
  throw new Error('TODO: solve the normal equations for a, b, c');
}
