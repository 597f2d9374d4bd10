/**
 * Chapter 01's headline results, asserted on what the executed notebook printed.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

export function headlines(text: string): void {
  // Counting tasks: |Y|^|X|.
  expect(numbers(text, /\|X\| = 4, {2}\|Y\| = 2: (\d+)/)).toEqual([16]);
  // No Free Lunch task by task: every pair of learners has a zero net difference.
  expect(text).toMatch(/the net difference is zero for every pair/);
}
