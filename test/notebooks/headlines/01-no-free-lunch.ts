/**
 * Chapter 01's headline results, asserted on what the executed notebook printed: No Free Lunch
 * holds exactly (from scratch and in the library, networks included), learners' per-task gains
 * cancel pair by pair, and on smooth tasks the nearest-neighbour bias wins beyond the seed noise
 * while on uniform tasks every learner stays at 1/|Y|.
 */
import { expect } from 'vitest';
import { numbers } from '../headlines';

export function headlines(text: string): void {
  // Counting tasks: |Y|^|X|.
  expect(numbers(text, /\|X\| = 4, {2}\|Y\| = 2: (\d+)/)).toEqual([16]);
  // Exactly 1/|Y|, from scratch and with the library.
  expect(text).toMatch(/from scratch: correct × \|Y\| = total for every learner: true; same counts as the library's exactOts: true/);
  const [exact, pairs] = numbers(text, /exact OTS accuracy is 1\/\|Y\| for (\d+) of (\d+) \(learner, space\) pairs/);
  expect(pairs).toBe(12);
  expect(exact).toBe(pairs);
  // No Free Lunch task by task: every pair of learners has a zero net difference.
  expect(text).toMatch(/the net difference is zero for every pair/);
  // Structured tasks: nearest wins with separated intervals; uniform tasks: every interval holds 1/3.
  expect(text).toMatch(/the intervals do not overlap/);
  expect(text).toMatch(/On uniform tasks the interval over seeds of every learner contains 1\/3/);
  const [nearest] = numbers(text, /On smooth tasks \*\*nearest\*\* reaches ([\d.]+)/);
  expect(nearest).toBeGreaterThan(0.5);
}
