/**
 * Score one exercise file against a list of cases: compile it, run every case's call in a child
 * process, compare each result with the expected value, and say for each case what happened in
 * words a student can act on. The notebook's `check`, `nasbook check`, the tests and the grader
 * all go through `gradeFile`.
 */
import * as fs from 'node:fs';
import { describe } from '../core/checks';
import { compareResult } from './compare';
import { compileExercisesAsync, type Compiled } from './compile';
import * as path from 'node:path';
import { chapters, exerciseFileName } from './cases';
import { libraryRule, type ProtectedExport } from './library';
import { runCalls, type CallOutcome, type RunOptions, type RunTiming } from './runner';
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
  /** The fuller hint, when the case has one. */
  fullHint?: string;
  /** Where the student's code threw (`file:line:column`), when it threw in the student's file. */
  where?: string;
  /** The text of that line of the student's file. */
  line?: string;
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
  /** Protected library functions the graded calls reached (the library rule), each named once (absent: none). */
  libraryUses?: string[];
  /** Files the student's processes left in their private working folders (written past the sandbox; removed; absent: none). */
  writtenFiles?: number;
  /** Where the time went (absent for a file that did not compile). */
  timing?: RunTiming;
}

/** One file to grade: its cases, and the library functions its calls may not reach. */
export interface GradeEntry {
  file: string;
  cases: Case[];
  protectedExports?: ProtectedExport[];
}

/** A stub's TODO error, recognised so the report says "not done yet" instead of "crashed". */
const TODO = /^Error: TODO\b/;

/**
 * What came back, as it is kept in reports: JSON-safe (a bigint, NaN or a huge value would break
 * or bloat a gradebook written as JSON), so anything not plain and small is kept as its description.
 */
function keptActual(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    // Kept as is when JSON carries it unchanged (no NaN turned null, no undefined dropped).
    if (text !== undefined && text.length <= 2000 && compareResult(value, JSON.parse(text)).ok) return value;
  } catch {
    // not JSON: described below
  }
  return describe(value);
}

/** The text of line `n` (1-based) of `file`, trimmed, or undefined. */
function sourceLine(file: string, n: number): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/)[n - 1]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The first argument a call changed, as a sentence, or null when it left them all as they were. */
function changedInput(c: Case, after: unknown[] | undefined): string | null {
  if (!c.inputsUnchanged || after === undefined) return null;
  for (let i = 0; i < c.args.length; i++) {
    const cmp = compareResult(c.args[i], after[i], 0);
    if (!cmp.ok) {
      return `changed its argument ${i + 1}, which it must leave as it was (return a new value instead): ` +
        `it was ${describe(c.args[i])} and is now ${describe(after[i])}`;
    }
  }
  return null;
}

function resultOf(c: Case, outcome: CallOutcome): CaseResult {
  const base = { name: c.name, fn: c.fn, points: c.points, hint: c.hint, args: c.args, expected: c.expected, ...(c.fullHint ? { fullHint: c.fullHint } : {}) };
  if (outcome.status === 'ok') {
    const changed = changedInput(c, outcome.argsAfter);
    if (changed) return { ...base, status: 'fail', earned: 0, message: changed, actual: keptActual(outcome.value) };
    let cmp: ReturnType<typeof compareResult>;
    try {
      cmp = compareResult(c.expected, outcome.value, c.tolerance ?? 0);
    } catch (e) {
      cmp = { ok: false, reason: `the result could not be compared: ${(e as Error).message}` };
    }
    return cmp.ok
      ? { ...base, status: 'pass', earned: c.points, message: '', actual: keptActual(outcome.value) }
      : { ...base, status: 'fail', earned: 0, message: cmp.reason, actual: keptActual(outcome.value) };
  }
  if (outcome.status === 'error' && TODO.test(outcome.message)) {
    return { ...base, status: 'todo', earned: 0, message: outcome.message.replace(/^Error: /, '') };
  }
  if (outcome.status === 'error' && outcome.where) {
    const m = /^(.*):(\d+):(\d+)$/.exec(outcome.where);
    const line = m ? sourceLine(m[1], Number(m[2])) : undefined;
    return { ...base, status: 'error', earned: 0, message: outcome.message, where: outcome.where, ...(line ? { line } : {}) };
  }
  return { ...base, status: outcome.status, earned: 0, message: outcome.message };
}

function compileErrorReport(file: string, errors: string[], cases: Case[]): FileReport {
  const message = `the file does not compile: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
  const results = cases.map((c): CaseResult => ({
    name: c.name, fn: c.fn, status: 'compile-error', points: c.points, earned: 0, message, hint: c.hint, args: c.args, expected: c.expected,
  }));
  return { file, compileErrors: errors, results, score: 0, maxScore: cases.reduce((s, c) => s + c.points, 0), output: '', forgedLines: 0, libraryUses: [], writtenFiles: 0 };
}

/**
 * Grade several files, each on its own cases, each in sandboxed processes of its own (a student's
 * chapters: nothing one chapter's code does carries into another's): a file that does not compile
 * costs only its own cases, and a call that crashes or times out costs only itself.
 * @returns one report per entry, in order
 */
export async function gradeFiles(entries: GradeEntry[], options: GradeFileOptions = {}): Promise<FileReport[]> {
  return gradeCompiled(await compileExercisesAsync(entries.map((e) => e.file)), entries, options);
}

export interface GradeFileOptions extends RunOptions {
  /**
   * Told of each case as soon as its result is known (progress: the notebook's and the CLI's
   * table fill in row by row), with the index of its file and of the case in that file's list.
   * A file that does not compile reports all its cases at once, before any case runs.
   */
  onCase?: (result: CaseResult, fileIndex: number, caseIndex: number) => void;
}

/**
 * `gradeFiles` for files already compiled (the grader type-checks ahead, in bounded workers, while
 * earlier submissions run). Within a file the cases run in order, each call's inputs sent only when
 * the call before it has reported: put public cases before hidden ones, and no public result can
 * carry a hidden input.
 */
export async function gradeCompiled(compiled: Compiled[], entries: (GradeEntry | Case[])[], options: GradeFileOptions = {}): Promise<FileReport[]> {
  const { onCase, ...runOptions } = options;
  if (onCase) {
    compiled.forEach((c, i) => {
      const entry = entries[i];
      if (c.js === null) compileErrorReport(c.file, c.errors, Array.isArray(entry) ? entry : entry.cases).results.forEach((r, k) => onCase(r, i, k));
    });
  }
  const reports: FileReport[] = [];
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i];
    const entry = entries[i];
    const cases = Array.isArray(entry) ? entry : entry.cases;
    const protectedExports = Array.isArray(entry) ? options.protectedExports : (entry.protectedExports ?? options.protectedExports);
    if (c.js === null) {
      reports.push(compileErrorReport(c.file, c.errors, cases));
      continue;
    }
    const onCall = onCase ? (index: number, outcome: CallOutcome) => onCase(resultOf(cases[index], outcome), i, index) : undefined;
    const calls = cases.map((k) => ({ fn: k.fn, args: k.args, quiet: k.hidden === true, returnArgs: k.inputsUnchanged === true }));
    const run = await runCalls(c, calls, { ...runOptions, protectedExports, ...(onCall ? { onCall } : {}) });
    const results = cases.map((k, j) => resultOf(k, run.outcomes[j]));
    const libraryUses = [...new Set(run.outcomes.flatMap((o) => (o.status === 'error' ? (o.library ?? []) : [])))];
    reports.push({
      file: c.file,
      compileErrors: [],
      results,
      score: results.reduce((s, r) => s + r.earned, 0),
      maxScore: cases.reduce((s, k) => s + k.points, 0),
      output: run.output,
      forgedLines: run.forgedLines,
      libraryUses,
      writtenFiles: run.writtenFiles,
      timing: run.timing,
    });
  }
  return reports;
}

/**
 * The library rule for a file named like a chapter's exercise (`04-bandits-bo.ts`), so `check` and
 * `nasbook check` apply the grader's rule; none for any other file.
 */
export function libraryRuleForFile(file: string): ProtectedExport[] {
  const chapter = chapters.find((c) => exerciseFileName(c) === path.basename(file));
  return chapter ? libraryRule(chapter) : [];
}

/**
 * Grade `file` on `cases`. A file named like a chapter's exercise is held to that chapter's library
 * rule unless `options.protectedExports` says otherwise.
 * @param file a TypeScript module exporting the functions the cases call
 */
export async function gradeFile(file: string, cases: Case[], options: GradeFileOptions = {}): Promise<FileReport> {
  const [report] = await gradeFiles([{ file, cases, protectedExports: options.protectedExports ?? libraryRuleForFile(file) }], options);
  return report;
}
