/**
 * Adversarial submission 'offheap-memory-bomb' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks holds 1 GiB in Buffers, which live outside the JavaScript heap, then answers correctly.
 * A heap limit (--max-old-space-size) does not count this memory; scaled up, it takes the machine's memory from
 * the grader and every other student. Expected: the process is stopped for using too much memory, so
 * countTasks's cases crash ("out of memory"); the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** Kept across calls: one process holds at most 1 GiB. */
const hoard: Buffer[] = [];

/** The attack: fill 16 buffers of 64 MiB (written, so the pages are really taken): 4 times the test's heap limit. */
export function countTasks(xSize: number, ySize: number): number {
  while (hoard.length < 16) hoard.push(Buffer.alloc(64 * 1024 * 1024, 1));
  return ySize ** xSize;
}
