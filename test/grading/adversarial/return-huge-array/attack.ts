/**
 * Adversarial submission 'return-huge-array' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with nearestNeighbourPredict altered.
 *
 * nearestNeighbourPredict returns an array of 3 million labels.
 * Expected: nearestNeighbourPredict's cases are errors ("too large"); the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: an answer too big to carry. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  return new Array<number>(3_000_000).fill(labels[0] ?? 0);
}
