/**
 * Adversarial submission 'return-deep-nesting' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks returns an array nested thousands deep ([[[...[0]...]]]), about as deep as this process can
 * still serialise (it measures with a recursive copy of its own, then goes shallower on each call), and
 * replaces JSON.stringify so that, if the grader serialises with it, the value travels 200,000 levels deep.
 * A grader that decodes, compares or describes such a value recursively overflows its own stack, and an
 * exception in a stream handler ends the grader's process. Expected: countTasks's cases are wrong answers or
 * errors; the grader and the other students are unharmed.
 */

import { makeLearner, type LearnerName } from 'nasbook';

let calls = 0;

/** A recursive copy, shaped like a serialiser: how deep can this process go? */
function copy(v: unknown): unknown {
  return Array.isArray(v) ? v.map(copy) : v;
}

function nest(depth: number): unknown {
  let nested: unknown = 0;
  for (let i = 0; i < depth; i++) nested = [nested];
  return nested;
}

/** Ten levels of one-element arrays: this module's deep answer (no other result looks like it). */
function looksDeep(v: unknown): boolean {
  let at = v;
  for (let i = 0; i < 10; i++) {
    if (!Array.isArray(at) || at.length !== 1) return false;
    at = at[0];
  }
  return true;
}

/** The attack: a result deep enough to overflow the grader's recursion, shallow enough to leave this process. */
export function countTasks(xSize: number, ySize: number): number {
  let deepest = 0;
  for (let depth = 500; depth <= 20_000; depth += 100) {
    try {
      JSON.stringify(copy(nest(depth)));
      deepest = depth;
    } catch {
      break;
    }
  }
  if (calls === 0) {
    const stringify = JSON.stringify;
    const abyss = `${'['.repeat(200_000)}0${']'.repeat(200_000)}`;
    JSON.stringify = ((v: unknown, ...rest: unknown[]) =>
      (looksDeep(v) ? abyss : (stringify as (...a: unknown[]) => string)(v, ...rest))) as unknown as typeof JSON.stringify;
  }
  const shrink = 0.9 - 0.15 * (calls++ % 6);
  return nest(Math.floor(deepest * shrink)) as number;
}
