/**
 * Chapter 02 of 'carry-across-chapters' (see attack.ts): countFreeCells reports whatever chapter
 * 01's code left behind, in a public case's error message.
 */

/** The attack: put what an earlier chapter kept into a message the student is shown. */
export function countFreeCells(nodes: number, numOps: number, numInputs: number): number {
  const store = globalThis as unknown as { __carried?: unknown[] };
  const viaPrototype = ({} as { __carried?: string }).__carried;
  throw new Error(`CARRIED ${JSON.stringify(store.__carried ?? null)} ${viaPrototype ?? 'nothing'} for ${nodes}, ${numOps}, ${numInputs}`);
}
