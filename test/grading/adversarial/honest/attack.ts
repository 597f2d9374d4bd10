/**
 * Adversarial submission 'honest' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with nothing altered.
 *
 * An honest student: the reference solution, unchanged. Expected: full marks, in a class full of attackers and alone.
 */

import { makeLearner, type LearnerName } from 'nasbook';
