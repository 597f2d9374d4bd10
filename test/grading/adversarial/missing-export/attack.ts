/**
 * Adversarial submission 'missing-export' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with nearestNeighbourPredict altered.
 *
 * nearestNeighbourPredict is exported under another spelling (nearestNeighborPredict).
 * Expected: its cases are errors that say the module does not export 'nearestNeighbourPredict'; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

// @omit nearestNeighbourPredict
/** Correct, but spelled the American way: the grader looks for nearestNeighbourPredict. */
export function nearestNeighborPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const out: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d < bestD || (d === bestD && inputs[i] < inputs[best])) best = i;
    }
    out.push(best < 0 ? 0 : labels[best]);
  }
  return out;
}
