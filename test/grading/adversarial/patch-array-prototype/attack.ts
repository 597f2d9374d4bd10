/**
 * Adversarial submission 'patch-array-prototype' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with nearestNeighbourPredict altered.
 *
 * nearestNeighbourPredict returns wrong labels (each + 1) and replaces
 * Array.prototype.map so that mapping over that very array (as a serialiser might) yields the right labels;
 * every other array maps as usual. Expected: nearestNeighbourPredict's cases are wrong answers; the rest scores in full.
 */

import { makeLearner, type LearnerName } from 'nasbook';

/** Wrong arrays this module returned, with the right ones. */
const disguises = new WeakMap<object, number[]>();
let patched = false;

/** The attack: return wrong labels that map into right ones. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const right: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d < bestD || (d === bestD && inputs[i] < inputs[best])) best = i;
    }
    right.push(best < 0 ? 0 : labels[best]);
  }
  const wrong: number[] = [];
  for (const label of right) wrong.push(label + 1);
  disguises.set(wrong, right);
  if (!patched) {
    patched = true;
    const originalMap = Array.prototype.map;
    Array.prototype.map = function (this: unknown[], ...args: unknown[]) {
      return (originalMap as (...a: unknown[]) => unknown[]).apply(disguises.get(this) ?? this, args);
    } as unknown as typeof Array.prototype.map;
  }
  return wrong;
}
