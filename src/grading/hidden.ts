/**
 * Hidden cases: inputs drawn from the instructor's seed, expected values computed by running the
 * reference solution in the trusted process's own child. The seed never reaches a student's
 * process: only the inputs do.
 */
import * as path from 'node:path';
import { createRng, type Seed } from '../core/rng';
import { courseDir } from '../core/paths';
import { exerciseFileName } from './cases';
import { compileExercisesAsync } from './compile';
import { runCalls } from './runner';
import type { Case, ChapterCases } from './types';

/**
 * The hidden cases of a chapter for `seed`, with expected values from the solution.
 * @param solutionsDir where the reference solutions are (default: the package's `solutions/`)
 * @throws Error if the solution fails on one of its own hidden inputs
 */
export async function hiddenCases(chapter: ChapterCases, seed: Seed, solutionsDir = courseDir('solutions')): Promise<Case[]> {
  const inputs = chapter.hiddenInputs(createRng(seed).child(`hidden/${chapter.chapter}`));
  const file = path.join(solutionsDir, exerciseFileName(chapter));
  // In a type-check worker, as students' files are: the grader's own thread never loads the compiler.
  const [compiled] = await compileExercisesAsync([file]);
  if (compiled.js === null) throw new Error(`hiddenCases: the solution ${file} does not compile: ${compiled.errors.join('; ')}`);
  const run = await runCalls(compiled, inputs.map((c) => ({ fn: c.fn, args: c.args })), { callTimeoutMs: 60_000 });
  return inputs.map((input, i) => {
    const outcome = run.outcomes[i];
    if (outcome.status !== 'ok') throw new Error(`hiddenCases: the solution failed on '${input.name}': ${outcome.message}`);
    return { ...input, hidden: true, expected: outcome.value, hint: 'A hidden case: its inputs are not shown. Re-read the function\'s contract and test edge cases.' };
  });
}
