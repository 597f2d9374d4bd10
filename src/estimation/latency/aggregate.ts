/**
 * How per-operation latencies add up to a network's latency, on two kinds of processor:
 *
 * - sequential (a CPU running one operation at a time): the sum of every operation's time;
 * - parallel (a GPU, in the idealised model): operations at the same depth of the operation graph
 *   do not depend on each other and run side by side, so each depth costs its slowest operation
 *   and the network costs Σ_depth max_{ops at that depth} time.
 *
 * The depth of an operation is 1 + the largest depth among its inputs (the network input has
 * depth 0), the same rule the network description uses. The graph is plain data: a list of
 * operations, each naming its inputs by index (-1 for the network input) and carrying a time. A
 * network description's `ops` is such a list once each entry has a time (see predictLatency).
 */
import { checkArray, checkInt, checkNumber, describe } from '../../core/checks';

/** One operation of an operation graph with its time. */
export interface TimedOp {
  /** Indices of the operations it reads; -1 is the network input. */
  inputs: readonly number[];
  /** Its time (any unit, >= 0). */
  time: number;
}

function checkGraph(ops: unknown, caller: string): readonly TimedOp[] {
  const list = checkArray<Record<string, unknown>>('ops', ops, { minLength: 1 }, caller);
  list.forEach((op, i) => {
    if (typeof op !== 'object' || op === null) throw new TypeError(`${caller}: 'ops[${i}]' must be { inputs, time }, got ${describe(op)}`);
    checkNumber(`ops[${i}].time`, op.time, { min: 0 }, caller);
    checkArray<unknown>(`ops[${i}].inputs`, op.inputs, { minLength: 1 }, caller).forEach((j, k) => {
      checkInt(`ops[${i}].inputs[${k}]`, j, { min: -1, max: list.length - 1 }, caller);
      if (j === i) throw new RangeError(`${caller}: 'ops[${i}].inputs' must not read the operation itself, got ${i}`);
    });
  });
  return list as unknown as TimedOp[];
}

/**
 * The depth of every operation: 1 + the largest depth of its inputs, the network input at 0.
 * Works whatever the order of the list; a cycle is an error.
 * @param ops the operation graph (each op's `inputs` index into `ops`, -1 for the network input)
 * @throws TypeError/RangeError for a malformed graph, a negative or NaN time, or a cycle (named)
 * @example opDepths([{ inputs: [-1], time: 1 }, { inputs: [-1], time: 2 }, { inputs: [0, 1], time: 1 }]) // [1, 1, 2]
 */
export function opDepths(ops: readonly TimedOp[]): number[] {
  return depthsOf(checkGraph(ops, 'opDepths'), 'opDepths');
}

function depthsOf(ops: readonly TimedOp[], caller: string): number[] {
  const depth = new Array<number>(ops.length).fill(-1);
  const state = new Array<'new' | 'open' | 'done'>(ops.length).fill('new');
  const visit = (i: number, trail: number[]): number => {
    if (state[i] === 'done') return depth[i];
    if (state[i] === 'open') {
      const cycle = [...trail.slice(trail.indexOf(i)), i];
      throw new RangeError(`${caller}: 'ops' must be acyclic, got the cycle ${cycle.join(' -> ')} (each reads the next)`);
    }
    state[i] = 'open';
    let d = 0;
    for (const j of ops[i].inputs) d = Math.max(d, j === -1 ? 0 : visit(j, [...trail, i]));
    state[i] = 'done';
    depth[i] = d + 1;
    return depth[i];
  };
  ops.forEach((_, i) => visit(i, []));
  return depth;
}

/**
 * The latency of a sequential processor: the sum of the operations' times.
 * @param ops the operation graph (checked: acyclic, times finite and >= 0)
 * @throws as opDepths
 * @example sequentialLatency([{ inputs: [-1], time: 1 }, { inputs: [-1], time: 2 }, { inputs: [0, 1], time: 0.5 }]) // 3.5
 */
export function sequentialLatency(ops: readonly TimedOp[]): number {
  const graph = checkGraph(ops, 'sequentialLatency');
  depthsOf(graph, 'sequentialLatency');
  return graph.reduce((a, op) => a + op.time, 0);
}

/**
 * The latency of an idealised parallel processor: Σ over depth levels of the slowest operation
 * at that level. Never more than the sequential sum; equal to it on a chain.
 * @param ops the operation graph (checked: acyclic, times finite and >= 0)
 * @throws as opDepths
 * @example depthMaxLatency([{ inputs: [-1], time: 1 }, { inputs: [-1], time: 2 }, { inputs: [0, 1], time: 0.5 }]) // 2.5
 */
export function depthMaxLatency(ops: readonly TimedOp[]): number {
  const graph = checkGraph(ops, 'depthMaxLatency');
  const depth = depthsOf(graph, 'depthMaxLatency');
  const slowest = new Map<number, number>();
  graph.forEach((op, i) => slowest.set(depth[i], Math.max(slowest.get(depth[i]) ?? 0, op.time)));
  let total = 0;
  for (const t of slowest.values()) total += t;
  return total;
}
