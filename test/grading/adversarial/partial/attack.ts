/**
 * Adversarial submission 'partial' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks and nearestNeighbourPredict altered.
 *
 * A partly correct student: two honest mistakes (|X|^|Y| instead of |Y|^|X|; 1-NN ties go to the larger input).
 * Expected: exactly the points of the cases these two functions still get right (the test computes them by
 * calling this module directly), and the other two functions in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** A classic slip: the exponent and the base swapped. */
export function countTasks(xSize: number, ySize: number): number {
  return xSize ** ySize;
}

/** 1-NN on the line, but a tie goes to the later training input instead of the smaller one. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const out: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d <= bestD) best = i;
    }
    out.push(best < 0 ? 0 : labels[best]);
  }
  return out;
}
