/**
 * Adversarial submission 'memory-bomb' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks fills the JavaScript heap until the process runs out of memory.
 * Expected: countTasks's cases crash with "out of memory"; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** The attack: allocate until the heap is full. */
export function countTasks(xSize: number, ySize: number): number {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1_000_000).fill(xSize + ySize + 0.5));
}
