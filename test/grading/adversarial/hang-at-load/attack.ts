/**
 * Adversarial submission 'hang-at-load' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * The module spins forever while it loads (a top-level loop), before any function is called.
 * Expected: the load times out, so every case of the file scores 0 as a timeout.
 */

import { makeLearner, type LearnerName } from 'nasbook';

// The attack: never finish loading.
let ticks = 0;
for (;;) ticks++;
