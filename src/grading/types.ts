/**
 * The exercise format. A chapter's cases are data: each names an exported function of the
 * student's module (`exercises/NN-slug.ts`), the JSON-safe arguments to call it with, and what
 * it must return. Public cases carry their expected value (students see them); hidden cases are
 * generated from a seed, and their expected values are computed by calling the reference
 * solution (`solutions/NN-slug.ts`) in the trusted process. The same data drives the notebook's
 * `check`, `nasbook check`, the tests and the grader.
 */
import type { Rng } from '../core/rng';

/** A call to make on the student's module: the part of a case a sandbox may see. */
export interface CaseInput {
  /** Unique within the chapter, readable: `countTasks(|X|=3, |Y|=2)`. */
  name: string;
  /** The exported function to call. */
  fn: string;
  /** JSON-safe arguments. */
  args: unknown[];
  /** Numbers match when |actual - expected| <= tolerance * max(1, |expected|); 0 (default) = exact. */
  tolerance?: number;
  /** Points this case is worth. */
  points: number;
  /**
   * The function's contract says it leaves its arguments unchanged (it returns a new value): the
   * case fails when the call changed one of them, even if it returned the right value.
   */
  inputsUnchanged?: boolean;
}

/**
 * A case with its expected result and hints in two levels, neither of which gives the code away:
 * `hint` nudges (where to look), shown when the case fails; `fullHint` explains the idea in more
 * depth, shown only when the student asks for it (`check("04", { hints: "full" })`).
 */
export interface Case extends CaseInput {
  expected: unknown;
  /** The nudge: what to look at when this case fails. */
  hint: string;
  /** The fuller explanation, on request. */
  fullHint?: string;
  /** A hidden case: its inputs, and what the code prints while it runs, are never shown to the student. */
  hidden?: boolean;
}

/** Everything graded for one chapter. */
export interface ChapterCases {
  /** Two digits: '01'. */
  chapter: string;
  /** The slug shared by the notebook, exercise and solution files: 'no-free-lunch'. */
  slug: string;
  /** The functions a student writes, in the order the notebook introduces them. */
  functions: string[];
  /** Fixed cases from the chapter, with expected values. */
  publicCases: Case[];
  /**
   * What graded code may take from the library (the library rule, library.ts). By default each
   * function in `functions` that the library also exports may not be reached; `forbid` adds library
   * exports that implement the same ideas under other names, `allow` lifts the default for one.
   */
  library?: { forbid?: string[]; allow?: string[] };
  /** Hidden case inputs drawn from `rng`; expected values come from the reference solution. */
  hiddenInputs(rng: Rng): CaseInput[];
}
