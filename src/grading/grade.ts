/**
 * Score one exercise file against a list of cases: compile it, run every case's call in a child
 * process, compare each result with the expected value, and say for each case what happened in
 * words a student can act on. The notebook's `check`, `nasbook check`, the tests and the grader
 * all go through `gradeFile`.
 */
import * as path from 'node:path';
import { compareResult } from './compare';
import { compileExercise } from './compile';
import { runCalls, type CallOutcome, type RunOptions } from './runner';
import type { Case } from './types';

export type CaseStatus = 'pass' | 'fail' | 'todo' | 'error' | 'timeout' | 'crash' | 'compile-error';

export interface CaseResult {
  name: string;
  fn: string;
  status: CaseStatus;
  points: number;
  earned: number;
  /** Why it did not pass (empty when it passed). */
  message: string;
  hint: string;
  args: unknown[];
  expected: unknown;
  /** What came back (undefined when nothing did). */
  actual?: unknown;
}

export interface FileReport {
  file: string;
  compileErrors: string[];
  results: CaseResult[];
  score: number;
  maxScore: number;
  /** What the student's code printed while it ran, capped. */
  output: string;
  /** Lines on the result channel without the run's token: attempts to forge results. */
  forgedLines: number;
}

/** A stub's TODO error, recognised so the report says "not done yet" instead of "crashed". */
const TODO = /^Error: TODO\b/;

function resultOf(c: Case, outcome: CallOutcome): CaseResult {
  const base = { name: c.name, fn: c.fn, points: c.points, hint: c.hint, args: c.args, expected: c.expected };
  if (outcome.status === 'ok') {
    const cmp = compareResult(c.expected, outcome.value, c.tolerance ?? 0);
    return cmp.ok
      ? { ...base, status: 'pass', earned: c.points, message: '', actual: outcome.value }
      : { ...base, status: 'fail', earned: 0, message: cmp.reason, actual: outcome.value };
  }
  if (outcome.status === 'error' && TODO.test(outcome.message)) {
    return { ...base, status: 'todo', earned: 0, message: outcome.message.replace(/^Error: /, '') };
  }
  return { ...base, status: outcome.status, earned: 0, message: outcome.message };
}

/**
 * Grade `file` on `cases`.
 * @param file a TypeScript module exporting the functions the cases call
 */
export async function gradeFile(file: string, cases: Case[], options: RunOptions = {}): Promise<FileReport> {
  const maxScore = cases.reduce((s, c) => s + c.points, 0);
  const compiled = compileExercise(file);
  if (compiled.js === null) {
    const message = `the file does not compile: ${compiled.errors[0]}${compiled.errors.length > 1 ? ` (and ${compiled.errors.length - 1} more)` : ''}`;
    const results = cases.map((c): CaseResult => ({
      name: c.name, fn: c.fn, status: 'compile-error', points: c.points, earned: 0, message, hint: c.hint, args: c.args, expected: c.expected,
    }));
    return { file: compiled.file, compileErrors: compiled.errors, results, score: 0, maxScore, output: '', forgedLines: 0 };
  }
  const run = await runCalls(compiled, cases.map((c) => ({ fn: c.fn, args: c.args })), options);
  const results = cases.map((c, i) => resultOf(c, run.outcomes[i]));
  return {
    file: path.resolve(file),
    compileErrors: [],
    results,
    score: results.reduce((s, r) => s + r.earned, 0),
    maxScore,
    output: run.output,
    forgedLines: run.forgedLines,
  };
}
